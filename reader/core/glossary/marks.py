"""Where glossary terms read in a finished translation (for the window's marks, ``--json``
and the flag on a post-edit that contradicts an entry). No model: a search in the text."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.glossary.terms import TermMatch

if TYPE_CHECKING:
    from reader.core.translation.results import ParagraphTranslation


@dataclass(frozen=True, slots=True)
class GlossaryMark:
    """A glossary term in a paragraph: its source span, and where its target reads in the
    translation (``target_start`` is -1 when the translation lacks it: a post-edit that
    contradicts the entry, or a term the model dropped)."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    target: str
    keep: bool = False

    @property
    def found(self) -> bool:
        return self.target_start >= 0

    def to_json(self) -> dict[str, object]:
        return {
            "source_span": [self.source_start, self.source_end],
            "target": self.target,
            "target_span": [self.target_start, self.target_end] if self.found else None,
            "keep": self.keep,
        }


def find_marks(translation: str, matches: Sequence[TermMatch]) -> tuple[GlossaryMark, ...]:
    """Each match's target, searched case-insensitively on word boundaries in
    ``translation`` after the previous one found (terms keep their order in most
    sentences; one found earlier is still found)."""
    marks: list[GlossaryMark] = []
    cursor = 0
    for match in matches:
        pattern = re.compile(r"(?<!\w)" + re.escape(match.target) + r"(?!\w)", re.IGNORECASE)
        found = pattern.search(translation, cursor) or pattern.search(translation)
        start, end = (found.start(), found.end()) if found else (-1, -1)
        if found and found.start() >= cursor:
            cursor = found.end()
        marks.append(GlossaryMark(match.start, match.end, start, end, match.target,
                                  match.entry.keep))
    return tuple(marks)


def with_marks(
    result: ParagraphTranslation, matches: Sequence[TermMatch]
) -> ParagraphTranslation:
    if not matches or not result.translation:
        return result
    return dataclasses.replace(result, glossary=find_marks(result.translation, matches))


__all__ = ["GlossaryMark", "find_marks", "with_marks"]
