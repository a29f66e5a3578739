"""What the reader points at in the reading view: the character under the mouse, sentence
pairs hovered and pinned, the word hovered and its counterparts, alternatives asked for,
what Ctrl+C copies, the translation cell under a point."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF

from reader.core.translation.results import SentencePair
from reader.core.words.alignment import WordLink
from reader.ui.reading_view.highlight import pair_containing
from reader.ui.reading_view.types import Hit, PairRef, Side, pair_span
from reader.ui.reading_view.word_marks import word_around


class Pointing:
    """A part of :class:`~reader.ui.reading_view.view.ReadingView` (mixed into it): it uses
    the view's geometry, highlights, scroller and signals."""

    def hit(self, point: QPoint | QPointF) -> Hit | None:
        """The character under a viewport point, or None."""
        self.flush()
        return self._geometry.hit(point)

    def pair_at(self, hit: Hit | None) -> PairRef | None:
        if hit is None or self._scroller.row(hit.row).shared:
            return None
        number = pair_containing(self._doc.translation(hit.row), hit.side, hit.offset)
        return PairRef(hit.row, number) if number is not None else None

    def point_for(self, row: int, side: Side, offset: int) -> QPoint:
        """The viewport point over character ``offset`` of a cell (for tests and tooling)."""
        self.flush()
        return self._geometry.point_for(row, side, offset)

    def pair(self, ref: PairRef | None) -> SentencePair | None:
        return self._highlights.pair(ref)

    def hovered_pair(self) -> PairRef | None:
        return self._highlights.hover

    def pinned_pair(self) -> PairRef | None:
        return self._highlights.pinned

    def highlighted_spans(self) -> dict[Side, tuple[int, int, int]]:
        """What is highlighted now: side → (row, start, end). The pinned pair wins."""
        return self._highlights.highlighted_spans()

    def pin_pair(self, ref: PairRef | None, reveal_side: Side | None = None) -> None:
        self._highlights.pinned = ref
        self.pairHighlighted.emit(*(ref.row, ref.pair) if ref else (-1, -1))
        pair = self.pair(ref)
        if ref is not None and pair is not None and reveal_side is not None:
            rects = self.span_rects(ref.row, reveal_side, *pair_span(pair, reveal_side))
            if rects:
                united = rects[0]
                for rect in rects[1:]:
                    united = united.united(rect)
                self._scroller.reveal(ref.row, united)
        self.viewport().update()

    def set_hovered_pair(self, ref: PairRef | None) -> None:
        if self._highlights.set_hover(ref):
            if self._highlights.pinned is None:
                self.pairHighlighted.emit(*(ref.row, ref.pair) if ref else (-1, -1))
            self.viewport().update()

    # -- words (see word_marks) ------------------------------------------------------------

    def set_hovered_word(self, hit: Hit | None) -> None:
        """Light the word under the mouse and its counterparts on the other side. The first
        time the mouse is over a row, its word links are asked for (``wordLinksWanted``)."""
        words = self._highlights.words
        translation = None
        if hit is not None and not self._scroller.row(hit.row).shared:
            translation = self._doc.translation(hit.row)
        if hit is None or translation is None or not translation.sentences:
            if words.set_hover(None):
                self.viewport().update()
            return
        if words.needs(hit.row, translation.translation):
            self.wordLinksWanted.emit(hit.row)
        if words.set_hover((hit.row, hit.side, hit.offset)):
            self.viewport().update()

    def set_word_links(
        self, row: int, translation: str, links: Sequence[Sequence[WordLink]]
    ) -> None:
        """A row's word links, for the translation text they were made for (dropped when the
        row shows another text by now)."""
        current = self._doc.translation(row)
        if current is None or current.translation != translation:
            return
        self._highlights.words.set_links(row, translation, links)
        self.viewport().update()

    def lit_words(self) -> dict[Side, list[tuple[int, int]]]:
        """What the word hover lights now: side → spans of the hovered row."""
        return self._highlights.words.lit()

    def word_at(self, hit: Hit | None) -> str:
        """The word under ``hit`` (letters, digits and marks around it), or ""."""
        translation = self._doc.translation(hit.row) if hit is not None else None
        if hit is None or translation is None:
            return ""
        text = translation.translation if hit.side is Side.TARGET else translation.source
        return word_around(text, hit.offset)

    def request_alternatives(self, hit: Hit, kind: str, where: QPoint) -> None:
        """Ask the window for the alternatives of the sentence (``kind`` "sentence") or the
        translation's word ("word") under ``hit``; the menu pops up at ``where`` (global)."""
        self.alternativesRequested.emit(hit.row, kind, str(hit.side), hit.offset, where)

    def copy_text(self) -> str:
        """What Ctrl+C copies: the pinned sentence and its translation, else the focused
        paragraph's original and translation (a blank line between), else ""."""
        pinned = self.pair(self._highlights.pinned)
        if pinned is not None:
            return f"{pinned.source}\n{pinned.target}"
        index = self.focus_row()
        if index < 0:
            return ""
        display = self._doc.display(index)
        parts = [display.source]
        if self._doc.options.show_translation and display.has_target_text and display.target:
            parts.append(display.target)
        return "\n\n".join(parts)

    def target_row_at(self, point: QPoint | QPointF) -> int:
        """The row whose translation cell is under a viewport point, or -1."""
        self.flush()
        found = self._geometry.translation_cell_at(point)
        return found[0] if found is not None else -1
