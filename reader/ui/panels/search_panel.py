"""Search across the library (Ctrl+Shift+F): a query box and one row per match.

The panel only shows: it asks for a search (``searchRequested``, debounced while typing) and
the window runs ``reader.core.library.search.search_library`` on a worker, then hands the hits back
with :meth:`SearchPanel.set_results`. Each row gives the article, the paragraph number, the
side (original or translation) and a snippet with every occurrence of the query in bold.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core.library.search import SearchHit, find_all

ModelIndex = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 150
SPANS_ROLE = Qt.ItemDataRole.UserRole + 10
SIDE_LABELS = {"source": "original", "translation": "translation"}


class ResultColumn:
    ARTICLE = 0
    PARAGRAPH = 1
    SIDE = 2
    MATCH = 3
    COUNT = 4


_HEADERS = ("Article", "¶", "Side", "Match")


class SearchResultsModel(QAbstractTableModel):
    """The hits of one query (``SPANS_ROLE`` on the match column: where the query occurs
    in the snippet, for bold)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._query = ""

    def set_results(self, query: str, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._query = query
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else ResultColumn.COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ResultColumn.ARTICLE:
                return hit.article_title
            if column == ResultColumn.PARAGRAPH:
                return str(hit.paragraph_index + 1)
            if column == ResultColumn.SIDE:
                return SIDE_LABELS.get(hit.side, hit.side)
            if column == ResultColumn.MATCH:
                # One line: a paragraph's own line breaks become spaces (same length).
                return hit.snippet.replace("\n", " ")
        if role == SPANS_ROLE and column == ResultColumn.MATCH:
            return find_all(hit.snippet, self._query)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{hit.article_title}\nParagraph {hit.paragraph_index + 1}, "
                    f"{SIDE_LABELS.get(hit.side, hit.side)}\n\n{hit.snippet}")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ResultColumn.PARAGRAPH:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def snippet_segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_match) runs."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


class SnippetDelegate(QStyledItemDelegate):
    """Paints a snippet on one line with the matches in bold on a soft marker; when the
    text before the first match would push it out of sight, that text is cut on the left."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)

        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        spans = index.data(SPANS_ROLE) or []
        segments = snippet_segments(text, spans)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        marker = QColor(255, 200, 0, 90 if dark else 120)
        normal = QFont(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        normal_metrics, bold_metrics = QFontMetricsF(normal), QFontMetricsF(bold)
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)

        # Keep the first match in sight: when the lead-in would push it out, cut the lead-in
        # on the left, at a word boundary.
        if segments and not segments[0][1] and len(segments) > 1:
            lead = segments[0][0]
            match_width = bold_metrics.horizontalAdvance(segments[1][0])
            room = max(rect.width() / 3, rect.width() - match_width - 60)
            if normal_metrics.horizontalAdvance(lead) > room:
                cut = normal_metrics.elidedText(lead, Qt.TextElideMode.ElideLeft, room)
                space = cut.find(" ", 1)
                if 0 < space < len(cut) - 1:
                    cut = "…" + cut[space + 1:]
                segments[0] = (cut, False)

        painter.save()
        painter.setClipRect(option.rect)
        baseline = rect.top() + (rect.height() + normal_metrics.ascent()
                                 - normal_metrics.descent()) / 2
        x = rect.left()
        for piece, is_match in segments:
            metrics = bold_metrics if is_match else normal_metrics
            width = metrics.horizontalAdvance(piece)
            last = x + width > rect.right()
            if last:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, rect.right() - x)
                width = metrics.horizontalAdvance(piece)
            if is_match and not selected and piece:
                painter.fillRect(
                    QRectF(x - 1, baseline - metrics.ascent() - 1, width + 2,
                           metrics.height() + 2),
                    marker,
                )
            painter.setFont(bold if is_match else normal)
            painter.setPen(color)
            painter.drawText(round(x), round(baseline), piece)
            x += width
            if last:
                break
        painter.restore()


class SearchPanel(QWidget):
    """Query box, status line and results table.

    Signals:

    - ``searchRequested(query: str)``: the query changed and typing paused for
      ``DEBOUNCE_MS`` (at once when cleared);
    - ``hitActivated(hit: object)``: a :class:`SearchHit` was clicked or chosen with Enter;
    - ``closeRequested()``: Esc in the panel.
    """

    searchRequested = Signal(str)
    hitActivated = Signal(object)
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.edit = QLineEdit()
        self.edit.setObjectName("libraryQuery")
        self.edit.setPlaceholderText(
            "Search every article, original and translation (accents and case ignored)"
        )
        self.edit.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.status.setObjectName("searchStatus")
        self.status.setMinimumWidth(200)
        row.addWidget(self.edit, 1)
        row.addWidget(self.status)
        layout.addLayout(row)

        self.model = SearchResultsModel(self)
        self.results = QTableView()
        self.results.setObjectName("searchResults")
        self.results.setModel(self.model)
        self.results.setItemDelegateForColumn(ResultColumn.MATCH, SnippetDelegate(self.results))
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setShowGrid(False)
        self.results.setWordWrap(False)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setAlternatingRowColors(True)
        self.results.verticalHeader().setVisible(False)
        self.results.verticalHeader().setDefaultSectionSize(
            round(self.fontMetrics().height() * 1.55)
        )
        header = self.results.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ResultColumn.ARTICLE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ResultColumn.ARTICLE, 260)
        header.resizeSection(ResultColumn.PARAGRAPH, 44)
        header.resizeSection(ResultColumn.SIDE, 90)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_search)
        self.edit.textChanged.connect(self._on_text)
        self.results.activated.connect(self._on_activated)
        self.results.clicked.connect(self._on_activated)
        self.edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self._shown_query: str | None = None

    # -- query -----------------------------------------------------------------------------

    def query(self) -> str:
        return self.edit.text().strip()

    def focus_query(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def _on_text(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._emit_search()
        else:
            self._timer.start()

    def _emit_search(self) -> None:
        query = self.query()
        if query:
            self.status.setText("Searching…")
        self.searchRequested.emit(query)

    # -- results ---------------------------------------------------------------------------

    def set_results(self, query: str, hits: Sequence[SearchHit], limit: int) -> None:
        if query != self.query():
            return  # typed on since: a newer search is on its way
        self._shown_query = query
        self.model.set_results(query, hits)
        if not query:
            self.status.setText("")
        elif not hits:
            self.status.setText("No match")
        else:
            articles = len({hit.article_path for hit in hits})
            more = "+" if len(hits) >= limit else ""
            self.status.setText(
                f"{len(hits)}{more} match{'es' if len(hits) != 1 else ''} in {articles} "
                f"article{'s' if articles != 1 else ''}"
            )
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def shown_query(self) -> str | None:
        return self._shown_query

    def _on_activated(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if hit is not None:
            self.hitActivated.emit(hit)

    def activate_current(self) -> None:
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self.results.setCurrentIndex(index)
            self._on_activated(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.closeRequested.emit()
            return True
        if watched is self.edit:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():  # Enter before the pause: search now
                    self._timer.stop()
                    self._emit_search()
                else:
                    self.activate_current()
                return True
            if key == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0, 0))
                return True
        return False
