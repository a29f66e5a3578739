"""The reading position over a document whose rows get their real heights as they come on
screen: the scroll bar, the rows laid out around the screen, and positions by paragraph.

Only the rows on screen, plus half a screen above and below, are laid out; the rest keep
estimated heights (``document_layout``). What the reader is reading stays put while rows
around it change height: the scroller keeps an *anchor*, a row and how far the top of the
screen is from that row's top (or "the end"), and scrolls back to it whenever heights change.
The anchor is the row being edited, or a search hit being shown, when on screen; else the
row at the top of the screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtWidgets import QScrollBar

from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.row_layout import RowLayout

_END = -1  # the anchor row that means "the end of the document"


class Scroller(QObject):
    """Signals: ``anchored()``: the content moved under the screen (heights or the anchor
    changed; the view places its editor again and checks whether the end is on screen)."""

    anchored = Signal()

    def __init__(
        self, doc: DocumentLayout, bar: QScrollBar, page_height: Callable[[], int],
        preferred_rows: Callable[[], tuple[int, ...]], parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._bar = bar
        self._page_height = page_height
        self._preferred_rows = preferred_rows  # rows to anchor on when on screen
        self._anchor: tuple[int, float] = (0, 0.0)
        self._restoring = False  # the scroll bar moves because of us, not the reader
        self._settling = False

    # -- the anchor --------------------------------------------------------------------------

    def at_end(self) -> bool:
        """Held at the end of the document (the reader scrolled all the way down)."""
        return self._anchor[0] == _END

    def to_start(self) -> None:
        self._anchor = (0, -self._doc.origin())
        self.settle()

    def to_end(self) -> None:
        self._anchor = (_END, 0.0)
        self.settle()

    def to_row(self, row: int, offset: float) -> None:
        """The screen's top ``offset`` pixels below row ``row``'s top."""
        self._anchor = (row, offset)
        self.settle()

    def capture(self, y: int) -> None:
        """The reader scrolled: the anchor for the screen's top at content ``y``."""
        if self._restoring:
            return
        maximum = self._bar.maximum()
        if 0 < maximum <= y:
            self._anchor = (_END, 0.0)  # at the end: stays there as rows get laid out
            return
        for row in self._preferred_rows():
            if 0 <= row < len(self._doc) and self.row_visible(row):
                self._anchor = (row, y - self._doc.top(row))
                return
        row = self._doc.row_at(y)
        if row >= 0:
            self._anchor = (row, y - self._doc.top(row))

    def settle(self) -> None:
        """Lay out the rows on screen and half a screen around them; keep the anchor."""
        if self._settling:
            return
        count = len(self._doc)
        self._settling = True
        try:
            if count:
                self._lay_out_around(count)
        finally:
            self._settling = False
            self.apply()

    def _lay_out_around(self, count: int) -> None:
        doc, height = self._doc, max(1, self._page_height())
        margin = height / 2
        if self._anchor[0] == _END:  # upwards from the last row
            index = count - 1
            while index >= 0 and doc.top(index + 1) > doc.content_height() - height - margin:
                doc.row(index)
                index -= 1
            return
        anchor = min(self._anchor[0], count - 1)
        offset = self._anchor[1] if anchor == self._anchor[0] else 0.0
        self._anchor = (anchor, offset)
        index = anchor  # downwards: these rows move nothing above them
        while index < count and doc.top(index) <= doc.top(anchor) + offset + height + margin:
            doc.row(index)
            index += 1
        index = anchor - 1  # upwards: each can move the anchor, hence the fresh tops
        while index >= 0 and doc.top(index + 1) > doc.top(anchor) + offset - margin:
            doc.row(index)
            index -= 1

    def apply(self) -> None:
        """Scroll to the anchor (after heights changed)."""
        self.update_range()
        if len(self._doc):
            row, offset = self._anchor
            self._restoring = True
            try:
                # Up, never down, to a whole pixel: rounded down, the screen's top would be
                # in the row above, and a position saved there would come back one row up.
                value = self._bar.maximum() if row == _END else math.ceil(
                    self._doc.top(row) + offset - 1e-6)
                self._bar.setValue(value)
            finally:
                self._restoring = False
        self.anchored.emit()

    def update_range(self) -> None:
        page = self._page_height()
        height = self._doc.content_height() if len(self._doc) else 0.0
        self._restoring = True
        try:
            self._bar.setRange(0, max(0, round(height - page)))
        finally:
            self._restoring = False
        self._bar.setPageStep(max(1, round(page * 0.9)))
        self._bar.setSingleStep(max(1, round(self._doc.typography.line_height() * 1.5)))

    def row(self, index: int) -> RowLayout:
        """Row ``index`` laid out; if that changed a height, the anchor is kept."""
        if self._doc.is_laid_out(index):
            return self._doc.row(index)
        span = self._doc.span(index)
        row = self._doc.row(index)
        if self._doc.span(index) != span and not self._settling:
            self.apply()
        return row

    # -- positions ---------------------------------------------------------------------------

    def top_position(self) -> tuple[int, float]:
        """(paragraph at the top of the screen, fraction of it scrolled past)."""
        if not len(self._doc):
            return 0, 0.0
        y = self._bar.value()
        index = self._doc.row_at(y)
        span = self._doc.span(index)
        offset = (y - self._doc.top(index)) / span if span > 0 else 0.0
        return index, min(1.0, max(0.0, offset))

    def restore_position(self, paragraph: int, fraction: float = 0.0) -> None:
        """Back to a ``top_position()`` (of this or another layout of the document)."""
        if not len(self._doc):
            return
        paragraph = min(max(0, paragraph), len(self._doc) - 1)
        if paragraph or fraction:
            self.row(paragraph)
            self.to_row(paragraph, fraction * self._doc.span(paragraph))
        else:
            self.to_start()

    def row_visible(self, index: int) -> bool:
        top = self._bar.value()
        row_top = self._doc.top(index)
        return row_top < top + self._page_height() and row_top + self._doc.height(index) > top

    def reveal(self, row: int, rect: QRectF) -> None:
        """Scroll so ``rect`` (content coordinates, in row ``row``) is on screen, a third
        from the top; anchored on that row, so rows laid out around it cannot push it off."""
        top, height = self._bar.value(), self._page_height()
        if row < 0 or (rect.top() >= top and rect.bottom() <= top + height):
            return
        self.to_row(row, rect.top() - height / 3 - self._doc.top(row))

    def end_on_screen(self) -> bool:
        """The first lines of the last paragraph are on screen."""
        count = len(self._doc)
        if not count:
            return False
        last = count - 1
        bottom = self._bar.value() + self._page_height()
        line = self._doc.typography.line_height()
        return self._doc.top(last) + min(self._doc.height(last), line * 2) <= bottom


class Navigation:
    """The reading view's positions: by paragraph, J/K, the current paragraph, the end.

    A part of :class:`~reader.ui.reading_view.view.ReadingView` (mixed into it): it uses the
    view's document layout, scroller, editor session and signals."""

    def top_position(self) -> tuple[int, float]:
        """(paragraph at the top of the view, fraction of it scrolled past)."""
        return self._scroller.top_position()

    def restore_position(self, paragraph: int, offset: float = 0.0) -> None:
        self._scroller.restore_position(paragraph, offset)

    def go_to_paragraph(self, index: int) -> None:
        if not len(self._doc):
            return
        index = min(max(0, index), len(self._doc) - 1)
        self._current_row = index
        if index:
            self._scroller.to_row(index, -self._doc.typography.line_height() * 0.6)
        else:
            self._scroller.to_start()
        self.currentParagraphChanged.emit(index)
        self.viewport().update()

    def current_paragraph(self) -> int:
        if self._current_row >= 0:
            return self._current_row
        return self.top_position()[0]

    def next_paragraph(self) -> None:
        self.go_to_paragraph(self._navigation_row() + 1)

    def previous_paragraph(self) -> None:
        self.go_to_paragraph(self._navigation_row() - 1)

    def _navigation_row(self) -> int:
        current = self._current_row
        if current < 0 or not self.row_visible(current):
            current = self.top_position()[0]
        return current

    def go_to_end(self) -> None:
        """The end of the article at the bottom of the screen (it stays there as rows above
        get their real heights)."""
        self._scroller.to_end()

    def row_visible(self, index: int) -> bool:
        return self._scroller.row_visible(index)

    def _on_scrolled(self, value: int) -> None:
        self._scroller.capture(value)
        self._edit.place()
        self.viewport().update()
        self.positionChanged.emit()
        self._end_timer.start()

    def _check_end(self) -> None:
        if self._end_reported or not self.isVisible():
            return
        # The last paragraph has come on screen (its whole height need not: a viewport a
        # few pixels shorter, or a translation arriving below, must not undo "read").
        if self._scroller.end_on_screen():
            self._end_reported = True
            self.endReached.emit()

    def end_reached(self) -> bool:
        return self._end_reported

    def focus_row(self) -> int:
        """The paragraph the keyboard acts on: the pinned sentence's, else the current
        paragraph (J/K, a click) when on screen, else the first one on screen."""
        if self._highlights.pinned is not None:
            return self._highlights.pinned.row
        count = len(self._doc)
        if 0 <= self._current_row < count and self.row_visible(self._current_row):
            return self._current_row
        if not count:
            return -1
        top = self.verticalScrollBar().value()
        index = self._doc.row_at(top)
        if self._doc.top(index) < top and index + 1 < count:
            index += 1  # the first row whose top is on screen
        return index

    def set_current_paragraph(self, row: int) -> None:
        """The paragraph marker (J/K and actions start from it), without scrolling."""
        if 0 <= row < len(self._doc) and row != self._current_row:
            self._current_row = row
            self.currentParagraphChanged.emit(row)
            self.viewport().update()
