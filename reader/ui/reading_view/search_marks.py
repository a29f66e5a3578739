"""What the reader searched for, marked in the reading view: the matches of Ctrl+F (found by
``find.Finder``, library search's rule) and the library search hit being shown, with
scrolling to either. The view owns one and forwards its public find and search-hit methods
here; painting asks it which ranges of a row are lit (through ``highlight``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Signal

from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.find import Finder
from reader.ui.reading_view.highlight import HighlightState, Range, snap_to_match
from reader.ui.reading_view.scroller import Scroller
from reader.ui.reading_view.types import Match, Side

SpanRects = Callable[[int, Side, int, int], list[QRectF]]


class SearchMarks(QObject):
    """Signals: ``findChanged(current: int, total: int)`` (as ``Finder.changed``);
    ``changed()``: what is marked changed (the view repaints)."""

    findChanged = Signal(int, int)
    changed = Signal()

    def __init__(
        self, doc: DocumentLayout, highlights: HighlightState, scroller: Scroller,
        span_rects: SpanRects, row_rect: Callable[[int], QRectF],
        top_row: Callable[[], int], parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._highlights = highlights
        self._scroller = scroller
        self._span_rects = span_rects  # content rectangles, laid out first (the view's)
        self._row_rect = row_rect
        self._top_row = top_row  # the row at the top of the screen
        self.finder = Finder(self._texts, self)
        self.finder.changed.connect(self.findChanged)
        self.finder.changed.connect(self.changed)
        self.finder.currentMoved.connect(self._reveal_match)

    # -- find (Ctrl+F) -----------------------------------------------------------------------

    def _texts(self, row: int) -> list[tuple[Side, str]]:
        display = self._doc.display(row)
        texts = [(Side.SOURCE, display.source)]
        if display.has_target_text:
            texts.append((Side.TARGET, display.target))
        return texts

    def find(self, text: str) -> int:
        """Every match of ``text``, from the screen's top row; the count found so far."""
        if text:
            self._highlights.search_mark = None
        self.finder.start(text, len(self._doc), self._top_row())
        self.changed.emit()
        return self.finder.total()

    def clear_find(self) -> None:
        self.finder.clear()
        self.changed.emit()

    def new_document(self) -> str:
        """Another article is shown: its matches are found again (the find bar stays open
        across articles). Returns the query to find in it ("" for none)."""
        query = self.finder.query()
        self.finder.clear()
        return query

    def translations_replaced(self) -> None:
        """Every row may have another translation: the matches are found again."""
        query = self.finder.query()
        if query:
            self.finder.start(query, len(self._doc), self._top_row())

    def rows_changed(self, rows: list[int]) -> None:
        """These rows' translations changed: their matches are found again."""
        if self.finder.query():
            for row in rows:
                self.finder.refresh_row(row)

    def _reveal_match(self) -> None:
        match = self.finder.current()
        if match is None:
            return
        rects = self._span_rects(match.row, match.side, match.start, match.end)
        # No rectangle: a side not shown (e.g. the original in translation-only mode).
        self._scroller.reveal(match.row, rects[0] if rects else self._row_rect(match.row))
        self.changed.emit()

    # -- the library search hit --------------------------------------------------------------

    def show_hit(self, row: int, side: Side, start: int, end: int, query: str) -> None:
        """Mark a library search hit and scroll to it (the row exists, laid out). With
        ``query``, the span is moved to the nearest match in the text on screen."""
        text = self._side_text(row, side)
        if query and text is not None:
            start, end = snap_to_match(text, query, start, end)
        self._highlights.search_mark = Match(row, side, start, end)
        self._highlights.pinned = None
        rects = self._span_rects(row, side, start, end) if end > start else []
        self._scroller.reveal(row, rects[0] if rects else self._row_rect(row))
        self.changed.emit()

    def clear_hit(self) -> None:
        if self._highlights.search_mark is not None:
            self._highlights.search_mark = None
            self.changed.emit()

    def hit(self) -> Match | None:
        return self._highlights.search_mark

    def hit_row(self) -> int:
        """The row of the search hit shown (-1 when none): the scroller anchors on it."""
        mark = self._highlights.search_mark
        return mark.row if mark is not None else -1

    def _side_text(self, row: int, side: Side) -> str | None:
        if side is Side.SOURCE:
            return self._doc.paragraph(row).text
        translation = self._doc.translation(row)
        return translation.translation if translation is not None else None

    # -- painting ----------------------------------------------------------------------------

    def ranges(self, row: int) -> dict[Side, list[Range]]:
        """What is lit in ``row`` (hover, pin, find matches, the search hit)."""
        return self._highlights.ranges(row, self.finder.in_row(row), self.finder.current())
