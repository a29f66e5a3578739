"""The reading view's vocabulary: layouts, sides, references to rows and sentences, and the
paragraph actions' keys. Plain values, shared by every part of the view and by the window."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reader.core.translation.results import SentencePair


class Layout(StrEnum):
    SIDE_BY_SIDE = "side-by-side"
    INTERLEAVED = "interleaved"
    TRANSLATION_ONLY = "translation-only"


class Side(StrEnum):
    SOURCE = "source"
    TARGET = "target"

    @property
    def other(self) -> Side:
        return Side.TARGET if self is Side.SOURCE else Side.SOURCE


class Pending(StrEnum):
    """How a paragraph without a translation is drawn."""

    TRANSLATING = "translating"  # grey bars: it is on its way
    STOPPED = "stopped"  # cancelled or not started: a short note instead


@dataclass(frozen=True)
class Hit:
    """A character under the mouse: row, side, offset in that side's text."""

    row: int
    side: Side
    offset: int


@dataclass(frozen=True)
class PairRef:
    """A sentence pair: its row and its number in the row's translation."""

    row: int
    pair: int


@dataclass(frozen=True)
class Match:
    """A span [start, end) of one side's text in one row."""

    row: int
    side: Side
    start: int
    end: int


def pair_span(pair: SentencePair, side: Side) -> tuple[int, int]:
    if side is Side.SOURCE:
        return pair.source_start, pair.source_end
    return pair.target_start, pair.target_end


# Shortcuts of the paragraph actions (the window's actions use them; the context menu and the
# tooltip of an edited paragraph name them).
EDIT_KEYS = "F2"
REVERT_KEYS = "Ctrl+Shift+Backspace"
RETRANSLATE_KEYS = "Ctrl+Shift+R"
EDITED_TOOLTIP = (
    "Your edit: shown and exported instead of the machine translation, and kept when the "
    f"paragraph is translated again or a model is upgraded.\nRevert: {REVERT_KEYS} or "
    "right-click → Revert to machine translation."
)
EDITOR_HINT = "Ctrl+Enter saves · Esc cancels"
