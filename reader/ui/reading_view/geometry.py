"""Where things are on screen: cells, sentence spans and characters of a document's rows in
content coordinates (y from the document's top) and viewport coordinates (y from the top of
the screen). Rows asked about are laid out through the scroller, which keeps the reading
position if that changes a height.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtWidgets import QScrollBar

from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.row_layout import Cell
from reader.ui.reading_view.row_layout import cell_rect as row_cell_rect
from reader.ui.reading_view.row_layout import hit_cell as row_hit_cell
from reader.ui.reading_view.row_layout import point_for as row_point_for
from reader.ui.reading_view.row_layout import span_rects as row_span_rects
from reader.ui.reading_view.scroller import Scroller
from reader.ui.reading_view.types import Hit, Side


class ViewGeometry:
    def __init__(self, doc: DocumentLayout, scroller: Scroller, bar: QScrollBar) -> None:
        self._doc = doc
        self._scroller = scroller
        self._bar = bar

    def content_y(self, point: QPoint | QPointF) -> float:
        return point.y() + self._bar.value()

    def row_at(self, point: QPoint | QPointF) -> int:
        """The row under a viewport point (the nearest above it between rows; -1 if none)."""
        return self._doc.row_at(self.content_y(point))

    def cell_rect(self, row: int, side: Side) -> QRectF | None:
        """A row's cell standing for ``side`` (content coordinates; None when not shown)."""
        if not 0 <= row < len(self._doc):
            return None
        rect = row_cell_rect(self._scroller.row(row), side)
        return rect.translated(0, self._doc.top(row)) if rect is not None else None

    def row_rect(self, row: int, width: float) -> QRectF:
        self._scroller.row(row)
        return QRectF(0, self._doc.top(row), width, self._doc.height(row))

    def span_rects(self, row: int, side: Side, start: int, end: int) -> list[QRectF]:
        """Content rectangles covering characters [start, end) of a row's ``side``."""
        if not 0 <= row < len(self._doc):
            return []
        rects = row_span_rects(self._scroller.row(row), side, start, end)
        top = self._doc.top(row)
        return [rect.translated(0, top) for rect in rects]

    def hit(self, point: QPoint | QPointF) -> Hit | None:
        """The character under a viewport point, or None."""
        index = self.row_at(point)
        if index < 0:
            return None
        found = row_hit_cell(self._scroller.row(index), point.x(),
                                    self.content_y(point) - self._doc.top(index))
        return Hit(index, *found) if found is not None else None

    def point_for(self, row: int, side: Side, offset: int) -> QPoint:
        """The viewport point over character ``offset`` of a row's ``side``."""
        point = row_point_for(self._scroller.row(row), side, offset)
        if point is None:
            raise ValueError(f"row {row} has no laid-out {side} text")
        y = point.y() + self._doc.top(row) - self._bar.value()
        return QPoint(round(point.x()), round(y))

    def translation_cell_at(
        self, point: QPoint | QPointF, left_margin: float = 0.0
    ) -> tuple[int, Cell] | None:
        """The row and translation cell under a viewport point (``left_margin``: also a
        little to the cell's left, where its marks are), or None."""
        index = self.row_at(point)
        if index < 0:
            return None
        cell = self._scroller.row(index).cell(Side.TARGET)
        if cell is None or cell.shared:
            return None
        top = self._doc.top(index) + cell.y
        area = QRectF(cell.x - left_margin, top, cell.width + left_margin,
                      max(cell.height, 1.0))
        return (index, cell) if area.contains(QPointF(point.x(), self.content_y(point))) \
            else None
