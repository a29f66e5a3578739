"""The library pane's model: one row per article file, with its translation status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.core.articles.article import Article
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation

ModelIndex = QModelIndex | QPersistentModelIndex
_STATUS = attrgetter("status")


class Status(StrEnum):
    UNKNOWN = "…"
    NONE = "not translated"
    PARTIAL = "partly"
    FULL = "translated"
    NO_MODEL = "no model"
    ERROR = "error"


@dataclass
class TranslationSummary:
    """How much of an article's translation is at hand (cache, edits, this session)."""

    status: Status = Status.UNKNOWN
    done: int = 0  # paragraphs that needed a model and have a translation
    total: int = 0  # paragraphs that need a model

    @property
    def label(self) -> str:
        if self.status is Status.PARTIAL:
            return f"partly ({self.done}/{self.total})"
        return str(self.status)

    @classmethod
    def from_translations(
        cls, translations: list[ParagraphTranslation | None]
    ) -> TranslationSummary:
        # Counted at C speed (no Python code per paragraph): the window sums up a book's
        # 40,000 paragraphs on the GUI thread when its translation ends.
        # (Not ``translations.count(None)``: it compares through each translation's
        # dataclass ``__eq__``, Python code per paragraph; the statuses count those present.)
        statuses = Counter(map(_STATUS, filter(None, translations)))
        needed = len(translations) - statuses[ParagraphStatus.PASSTHROUGH]
        missing = len(translations) - statuses.total()
        done = needed - missing - statuses[ParagraphStatus.FAILED]
        if not needed or done == needed:
            status = Status.FULL
        elif done:
            status = Status.PARTIAL
        else:
            status = Status.NONE
        return cls(status, done, needed)


class Column:
    TITLE = 0
    DATE = 1
    WORDS = 2
    LANGUAGE = 3
    STATUS = 4
    COUNT = 5


_HEADERS = ("Title", "Date", "Words", "Lang", "Status")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


@dataclass
class LibraryEntry:
    article: Article
    summary: TranslationSummary
    read: bool = False

    @property
    def key(self) -> str:
        return self.article.key


class LibraryModel(QAbstractTableModel):
    """Articles of the library (those that failed to parse too, with their error)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LibraryEntry] = []
        self._rows_by_key: dict[str, int] = {}

    # -- content -----------------------------------------------------------------------------

    def set_articles(
        self, articles: list[Article], summaries: dict[str, TranslationSummary] | None = None,
        read: set[str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._entries = [
            LibraryEntry(
                a,
                (summaries or {}).get(a.key)
                or TranslationSummary(Status.ERROR if not a.ok else Status.UNKNOWN),
                a.key in (read or set()),
            )
            for a in articles
        ]
        self._reindex()
        self.endResetModel()

    def add_articles(self, articles: list[Article]) -> list[str]:
        """Append the articles not listed yet; return the keys of all given ones."""
        new = [a for a in articles if a.key not in self._rows_by_key]
        if new:
            first = len(self._entries)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for article in new:
                status = Status.ERROR if not article.ok else Status.UNKNOWN
                self._entries.append(LibraryEntry(article, TranslationSummary(status)))
            self._reindex()
            self.endInsertRows()
        return [a.key for a in articles]

    def _reindex(self) -> None:
        self._rows_by_key = {entry.key: row for row, entry in enumerate(self._entries)}

    def articles(self) -> list[Article]:
        return [entry.article for entry in self._entries]

    def entry(self, key: str) -> LibraryEntry | None:
        row = self._rows_by_key.get(key)
        return self._entries[row] if row is not None else None

    def article(self, key: str) -> Article | None:
        entry = self.entry(key)
        return entry.article if entry is not None else None

    def row_of(self, key: str) -> int:
        return self._rows_by_key.get(key, -1)

    def set_summary(self, key: str, summary: TranslationSummary) -> None:
        row = self._rows_by_key.get(key)
        if row is None or self._entries[row].summary == summary:
            return
        if not self._entries[row].article.ok:
            return  # a file that did not parse stays "error"
        self._entries[row].summary = summary
        index = self.index(row, Column.STATUS)
        self.dataChanged.emit(index, index)

    def set_summaries(self, summaries: dict[str, TranslationSummary]) -> None:
        for key, summary in summaries.items():
            self.set_summary(key, summary)

    def set_read(self, key: str, read: bool = True) -> None:
        row = self._rows_by_key.get(key)
        if row is not None and self._entries[row].read != read:
            self._entries[row].read = read
            self.dataChanged.emit(self.index(row, 0), self.index(row, Column.COUNT - 1))

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.TextAlignmentRole
            and section == Column.WORDS
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        article = entry.article
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == SORT_ROLE:
            if column == Column.WORDS:
                return article.words
            if column == Column.TITLE:
                return article.display_title.casefold()
            return self._display(entry, column) or ""
        if role == KEY_ROLE:
            return entry.key
        if role == SEARCH_ROLE:
            return " ".join(
                filter(None, (article.display_title, article.path.name, article.date,
                              article.byline, article.section, article.error))
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if not article.ok:
                return f"{article.path}\n{article.error}"
            return f"{article.display_title}\n{article.path}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.WORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(entry, column)
        if role == Qt.ItemDataRole.FontRole and column == Column.TITLE and not entry.read \
                and article.ok:
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        return None

    @staticmethod
    def _display(entry: LibraryEntry, column: int) -> str:
        article = entry.article
        if column == Column.TITLE:
            if not article.ok:
                return f"{article.path.name}: {article.error}"
            return article.display_title
        if not article.ok:
            return "error" if column == Column.STATUS else ""
        if column == Column.DATE:
            return article.date or ""
        if column == Column.WORDS:
            return f"{article.words:,}".replace(",", "\u202f")
        if column == Column.LANGUAGE:
            return article.language
        if column == Column.STATUS:
            return entry.summary.label
        return ""

    @staticmethod
    def _foreground(entry: LibraryEntry, column: int) -> QColor | None:
        palette = QGuiApplication.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        if not entry.article.ok:
            return QColor("#e57373") if dark else QColor("#b3261e")
        if column != Column.STATUS:
            return None
        status = entry.summary.status
        if status is Status.FULL:
            return QColor("#81c784") if dark else QColor("#2e7d32")
        if status is Status.PARTIAL:
            return QColor("#ffb74d") if dark else QColor("#a15c00")
        if status is Status.NO_MODEL:
            return QColor("#e57373") if dark else QColor("#b3261e")
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


class LibraryFilter(QSortFilterProxyModel):
    """Filters on title, file name, date, byline and section, and on a set of keys (a feed's
    items); sorts numbers as numbers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys: frozenset[str] | None = None
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(Column.TITLE)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())

    def set_keys(self, keys: set[str] | frozenset[str] | None) -> None:
        """List only these articles (None: all of them)."""
        chosen = None if keys is None else frozenset(keys)
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10 (invalidateFilter is deprecated)
            self.beginFilterChange()
            self._keys = chosen
            self.endFilterChange()
        else:
            self._keys = chosen
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if self._keys is not None:
            key = self.sourceModel().index(source_row, 0, source_parent).data(KEY_ROLE)
            if key not in self._keys:
                return False
        return super().filterAcceptsRow(source_row, source_parent)

    def key_at(self, row: int) -> str | None:
        index = self.index(row, 0)
        value = index.data(KEY_ROLE) if index.isValid() else None
        return str(value) if value is not None else None

    def row_of(self, key: str) -> int:
        for row in range(self.rowCount()):
            if self.key_at(row) == key:
                return row
        return -1


class LibraryDelegate(QStyledItemDelegate):
    """Draws a library row as two lines: the title, then date · words · language and the
    translation status (coloured) on the right. Failed files show their error instead."""

    PADDING = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        meta = QFont(option.font)
        meta.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.86))
        return title, meta

    def sizeHint(
        self, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QSize:
        title, meta = self._fonts(option)
        height = QFontMetrics(title).height() + QFontMetrics(meta).height() + 3 * self.PADDING
        return QSize(200, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        model = index.model()
        row = index.row()

        def cell(column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            return model.index(row, column, index.parent()).data(role)

        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text_color)
        muted.setAlphaF(0.62)
        title_font, meta_font = self._fonts(option)
        custom = cell(Column.TITLE, Qt.ItemDataRole.FontRole)
        if isinstance(custom, QFont) and custom.weight() > QFont.Weight.Normal:
            title_font.setWeight(QFont.Weight.DemiBold)  # unread
        rect = option.rect.adjusted(self.PADDING + 2, self.PADDING, -self.PADDING - 2, 0)
        title_metrics = QFontMetrics(title_font)
        meta_metrics = QFontMetrics(meta_font)

        painter.save()
        foreground = cell(Column.TITLE, Qt.ItemDataRole.ForegroundRole)
        painter.setFont(title_font)
        painter.setPen(foreground if isinstance(foreground, QColor) and not selected
                       else text_color)
        title = str(cell(Column.TITLE) or "")
        painter.drawText(
            rect.left(), rect.top() + title_metrics.ascent(),
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        baseline = rect.top() + title_metrics.height() + self.PADDING // 2 + meta_metrics.ascent()
        painter.setFont(meta_font)
        status = str(cell(Column.STATUS) or "")
        status_width = meta_metrics.horizontalAdvance(status)
        status_color = cell(Column.STATUS, Qt.ItemDataRole.ForegroundRole)
        painter.setPen(status_color if isinstance(status_color, QColor) and not selected
                       else text_color)
        painter.drawText(rect.right() - status_width, baseline, status)
        details = "  ·  ".join(
            str(part) for part in (
                cell(Column.DATE), f"{cell(Column.WORDS)} words" if cell(Column.WORDS) else "",
                cell(Column.LANGUAGE),
            ) if part
        )
        painter.setPen(muted)
        painter.drawText(
            rect.left(), baseline,
            meta_metrics.elidedText(details, Qt.TextElideMode.ElideRight,
                                    max(0, rect.width() - status_width - 12)),
        )
        painter.restore()
