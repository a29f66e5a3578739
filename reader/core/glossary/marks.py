"""Where glossary terms read in a finished translation (for the window's marks, ``--json``
and the flag on a post-edit that contradicts an entry). No model: a search in the text."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from reader.core.glossary.terms import TermMatch
from reader.core.translation.results import GlossaryMark, ParagraphTranslation


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


__all__ = ["find_marks", "with_marks"]
