"""The word under the mouse and its counterpart(s) on the other side, from the word links of
each row's sentences (``reader.core.words.alignment``). Plain Python, no Qt: the view
asks it what to paint (role ``word``) and which rows still need their links.

Links are kept per row with the translation text they were made for: a row whose
translation changed (an edit, a new translation) drops them and asks again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reader.core.words.alignment import WordLink
from reader.ui.reading_view.types import Side

Span = tuple[int, int]


def _span(link: WordLink, side: Side) -> Span:
    if side is Side.SOURCE:
        return link.source_start, link.source_end
    return link.target_start, link.target_end


def word_counterparts(
    links: Sequence[WordLink], side: Side, offset: int
) -> dict[Side, list[Span]]:
    """The word of ``side`` holding ``offset`` and every word linked to it on the other
    side (spans in the paragraph's texts); {} when no linked word is there."""
    found = [link for link in links if _span(link, side)[0] <= offset < _span(link, side)[1]]
    if not found:
        return {}
    here = sorted({_span(link, side) for link in found})
    there = sorted({_span(link, side.other) for link in found})
    return {side: here, side.other: there}


class WordMarks:
    """Word links by row, and the hovered word."""

    def __init__(self) -> None:
        # row → (the translation text the links were made for, all its sentences' links)
        self._links: dict[int, tuple[str, tuple[WordLink, ...]]] = {}
        self._asked: set[int] = set()
        self.hover: tuple[int, Side, int] | None = None

    def clear(self) -> None:
        self._links.clear()
        self._asked.clear()
        self.hover = None

    def set_links(
        self, row: int, translation: str, sentences: Sequence[Sequence[WordLink]]
    ) -> None:
        self._links[row] = (translation, tuple(link for links in sentences for link in links))
        self._asked.discard(row)

    def has_links(self, row: int, translation: str) -> bool:
        kept = self._links.get(row)
        return kept is not None and kept[0] == translation

    def needs(self, row: int, translation: str) -> bool:
        """True once per row (and per translation text) whose links are not known yet: the
        caller asks for them then."""
        if self.has_links(row, translation) or row in self._asked:
            return False
        self._links.pop(row, None)
        self._asked.add(row)
        return True

    def forget_row(self, row: int) -> None:
        self._links.pop(row, None)
        self._asked.discard(row)
        if self.hover is not None and self.hover[0] == row:
            self.hover = None

    def links(self, row: int) -> tuple[WordLink, ...]:
        kept = self._links.get(row)
        return kept[1] if kept else ()

    def set_hover(self, hover: tuple[int, Side, int] | None) -> bool:
        """True when what is lit changes."""
        before = self.lit()
        self.hover = hover
        return self.lit() != before

    def lit(self) -> dict[Side, list[Span]]:
        if self.hover is None:
            return {}
        row, side, offset = self.hover
        return word_counterparts(self.links(row), side, offset)

    def ranges(self, row: int) -> dict[Side, list[tuple[int, int, str]]]:
        if self.hover is None or self.hover[0] != row:
            return {}
        return {
            side: [(start, end, "word") for start, end in spans]
            for side, spans in self.lit().items()
        }


def word_around(text: str, offset: int) -> str:
    """The word of ``text`` holding character ``offset`` (letters, digits, marks), or ""."""
    def inside(ch: str) -> bool:
        return unicodedata.category(ch)[0] in "LNM"

    if not 0 <= offset < len(text) or not inside(text[offset]):
        return ""
    start = end = offset
    while start > 0 and inside(text[start - 1]):
        start -= 1
    while end < len(text) and inside(text[end]):
        end += 1
    return text[start:end]
