"""What is lit up: the sentence pair under the mouse (hover), the one clicked (pinned), the word
under the mouse and its counterparts (``words``), and a library search hit being shown with
its aligned sentence. Plain Python, no Qt: the view asks it what to paint in a row and tells
it what the mouse did.

Roles (the painter's colour names): ``glossary``, ``glossary_conflict`` (the reader's glossary
terms, under the rest), ``hover``, ``pinned``, ``word``, ``find``,
``find_current``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reader.core.library.search import find_all
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation, SentencePair
from reader.ui.reading_view.types import Match, PairRef, Side, pair_span
from reader.ui.reading_view.word_marks import WordMarks

Range = tuple[int, int, str]  # start, end, role


def pair_containing(
    translation: ParagraphTranslation | None, side: Side, offset: int
) -> int | None:
    """The number of the sentence pair whose ``side`` span holds ``offset``, or None."""
    if translation is None or translation.status is ParagraphStatus.PASSTHROUGH:
        return None
    for number, pair in enumerate(translation.sentences):
        start, end = pair_span(pair, side)
        if start <= offset < end:
            return number
    return None


def snap_to_match(text: str, query: str, start: int, end: int) -> tuple[int, int]:
    """The match of ``query`` in ``text`` nearest to [start, end) (a cached translation found
    by library search may differ from the one on screen); (0, 0) when there is none."""
    spans = find_all(text, query)
    if (start, end) in spans:
        return start, end
    if not spans:
        return 0, 0
    return min(spans, key=lambda span: abs(span[0] - start))


class HighlightState:
    """Hover, pin and the search hit of one document. ``translation(row)`` gives a row's
    translation (None when there is none or the row does not exist)."""

    def __init__(self, translation: Callable[[int], ParagraphTranslation | None]) -> None:
        self._translation = translation
        self.hover: PairRef | None = None
        self.pinned: PairRef | None = None
        self.search_mark: Match | None = None
        self.words = WordMarks()

    def clear(self) -> None:
        self.hover = self.pinned = None
        self.search_mark = None
        self.words.clear()

    def forget_row(self, row: int) -> None:
        """The row's translation changed: a pair in it may no longer exist."""
        if self.hover is not None and self.hover.row == row:
            self.hover = None
        if self.pinned is not None and self.pinned.row == row:
            self.pinned = None
        self.words.forget_row(row)

    def set_hover(self, ref: PairRef | None) -> bool:
        """True when it changed and the reader sees it (a pinned pair hides the hover)."""
        if ref == self.hover:
            return False
        self.hover = ref
        return True

    def pair(self, ref: PairRef | None) -> SentencePair | None:
        if ref is None:
            return None
        translation = self._translation(ref.row)
        if translation is None or not 0 <= ref.pair < len(translation.sentences):
            return None
        return translation.sentences[ref.pair]

    def highlighted_spans(self) -> dict[Side, tuple[int, int, int]]:
        """What is highlighted now: side → (row, start, end). The pinned pair wins."""
        ref = self.pinned or self.hover
        pair = self.pair(ref)
        if ref is None or pair is None:
            return {}
        return {side: (ref.row, *pair_span(pair, side)) for side in Side}

    def search_highlights(self) -> dict[Side, tuple[int, int, int]]:
        """What the search hit lights up: side → (row, start, end), counterpart included."""
        mark = self.search_mark
        if mark is None or mark.end <= mark.start:
            return {}
        found = {mark.side: (mark.row, mark.start, mark.end)}
        number = pair_containing(self._translation(mark.row), mark.side, mark.start)
        pair = self.pair(PairRef(mark.row, number)) if number is not None else None
        if pair is not None:
            found[mark.side.other] = (mark.row, *pair_span(pair, mark.side.other))
        return found

    def ranges(
        self, row: int, matches: Iterable[Match] = (), current: Match | None = None
    ) -> dict[Side, list[Range]]:
        """Everything to light up in ``row``, by side, in painting order."""
        ranges: dict[Side, list[Range]] = {}
        # Glossary terms first (under everything else): a faint mark on both sides; a term
        # a post-edit does not follow is marked as a conflict on the source side.
        translation = self._translation(row)
        for term in translation.glossary if translation is not None else ():
            conflict = translation.status is ParagraphStatus.EDITED and not term.found
            ranges.setdefault(Side.SOURCE, []).append(
                (term.source_start, term.source_end,
                 "glossary_conflict" if conflict else "glossary"))
            if term.found:
                ranges.setdefault(Side.TARGET, []).append(
                    (term.target_start, term.target_end, "glossary"))
        for ref, role in ((self.hover, "hover"), (self.pinned, "pinned")):
            pair = self.pair(ref)
            if ref is None or pair is None or ref.row != row:
                continue
            for side in Side:
                ranges.setdefault(side, []).append((*pair_span(pair, side), role))
        for side, spans in self.words.ranges(row).items():
            ranges.setdefault(side, []).extend(spans)
        for match in matches:
            role = "find_current" if match == current else "find"
            ranges.setdefault(match.side, []).append((match.start, match.end, role))
        mark = self.search_mark
        for side, (mark_row, start, end) in self.search_highlights().items():
            if mark_row == row:
                role = "find_current" if mark is not None and side is mark.side else "pinned"
                ranges.setdefault(side, []).append((start, end, role))
        return ranges
