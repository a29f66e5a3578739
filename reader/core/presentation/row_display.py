"""What one row shows: a paragraph and its translation, as the reader sees them. Plain data.

The one row-display rule. The reading view (``reader.ui.reading_view``) and every export
(``reader.core.presentation.export_document``: PDF, HTML, Markdown) call ``row_display``, so
the screen and a printed page cannot disagree about a row:

- a post-edit (``EDITED``) is shown instead of the machine text, and marked;
- a passthrough paragraph (already in the target language, a number, a URL) is shown once,
  across both columns, with a note saying why, never twice;
- a failed paragraph keeps its original and says the model gave nothing usable;
- a paragraph with no translation yet (pending, cancelled) keeps its original and a
  placeholder where the translation goes;
- a translation the model had not finished at its length limit (``TRUNCATED``) is shown with
  ``TRUNCATED_NOTE``, the same words on screen and on paper (words may be missing: that is a
  warning, not a style).

Each medium words its own marks (a screen note is not a printed one), from the same state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from reader.core.translation.results import ParagraphStatus, ParagraphTranslation

_LETTER = re.compile(r"[^\W\d_]")
_URL_ONLY = re.compile(r"^(?:(?:https?://|www\.)\S+|\S+@\S+\.\w+|[\w.-]+\.[a-z]{2,}/\S*)$", re.I)


def is_untranslatable(text: str) -> bool:
    """Empty, numbers and punctuation only, or a lone URL/e-mail address."""
    stripped = text.strip()
    return not stripped or _LETTER.search(stripped) is None or bool(_URL_ONLY.match(stripped))


# A post-edit the cache could not write yet (kept in memory; it is written on a retry).
UNSAVED_NOTE = "✎ edited — not saved yet"
# A translation the model had not finished at its length limit, even after a retry with room.
TRUNCATED_NOTE = "[cut short: the model did not finish this translation]"


def status_mark(status: ParagraphStatus | None) -> str | None:
    """The warning shown with a translation of this status, or None (window, PDF, HTML,
    Markdown and the command line all print this label)."""
    if status is ParagraphStatus.TRUNCATED:
        return TRUNCATED_NOTE
    return None


class RowState(StrEnum):
    TRANSLATED = "translated"  # machine text (fresh or cached)
    EDITED = "edited"  # the reader's own words, marked
    PASSTHROUGH = "passthrough"  # shown once, across both columns, with a note
    FAILED = "failed"  # the model gave nothing usable
    MISSING = "missing"  # not translated yet (on its way, or cancelled)


class PassthroughReason(StrEnum):
    NOTHING_TO_TRANSLATE = "nothing-to-translate"  # numbers, punctuation, a URL
    ALREADY_TARGET = "already-target"  # written in the target language already


@dataclass(frozen=True, slots=True)
class RowDisplay:
    """What a row shows. ``target`` is the translation text shown ("" when there is none:
    a placeholder or a note goes there instead)."""

    source: str
    target: str
    state: RowState
    passthrough_reason: PassthroughReason | None = None
    source_language: str = ""  # the paragraph's language as translated ("" when unknown)
    mark: str | None = None  # a warning shown with the text (``status_mark``)

    @property
    def shared(self) -> bool:
        """One block for both columns: there is nothing to compare."""
        return self.state is RowState.PASSTHROUGH

    @property
    def has_target_text(self) -> bool:
        return self.state in (RowState.TRANSLATED, RowState.EDITED)

    @property
    def edited(self) -> bool:
        return self.state is RowState.EDITED


def row_state(status: ParagraphStatus | None) -> RowState:
    """The row state of a paragraph status (None: no translation at all)."""
    if status is None or status is ParagraphStatus.PENDING:
        return RowState.MISSING
    if status is ParagraphStatus.PASSTHROUGH:
        return RowState.PASSTHROUGH
    if status is ParagraphStatus.FAILED:
        return RowState.FAILED
    if status is ParagraphStatus.EDITED:
        return RowState.EDITED
    return RowState.TRANSLATED


def row_display(source: str, translation: ParagraphTranslation | None) -> RowDisplay:
    """What the row of a paragraph with text ``source`` shows, given its translation."""
    state = row_state(translation.status if translation is not None else None)
    language = translation.source_language if translation is not None else ""
    if state is RowState.PASSTHROUGH:
        reason = (PassthroughReason.NOTHING_TO_TRANSLATE if is_untranslatable(source)
                  else PassthroughReason.ALREADY_TARGET)
        return RowDisplay(source, "", state, reason, language)
    target = translation.shown if translation is not None and state in (
        RowState.TRANSLATED, RowState.EDITED) else ""
    mark = status_mark(translation.status) if translation is not None else None
    if translation is not None and translation.unsaved and state is RowState.EDITED:
        mark = UNSAVED_NOTE
    return RowDisplay(source, target, state, None, language, mark)
