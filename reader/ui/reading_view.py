"""The reading surface: an article's paragraphs and their translations, row by row.

One custom scroll area paints everything itself. Each paragraph is a *row*; each row holds a
source cell and a translation cell laid out with ``QTextLayout`` at the column width. In
side-by-side mode both cells start at the row's top and the row is as tall as the taller of
the two, so paragraph N always faces paragraph N whatever their lengths, and one scroll bar
moves both. Because the view owns the layouts it can hit-test the character under the mouse
(for sentence highlighting) and draw highlights, find matches and placeholders itself, and
only the rows on screen are painted (a 200-paragraph article scrolls smoothly).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QMenu, QTextEdit, QToolTip, QWidget

from reader.core.article import Article, Paragraph, ParagraphKind, normalize_source
from reader.core.engine import is_untranslatable
from reader.core.search import find_all
from reader.core.translation import ParagraphStatus, ParagraphTranslation, SentencePair
from reader.fonts import apply_direction, font_for_text


class Layout(StrEnum):
    SIDE_BY_SIDE = "side-by-side"
    INTERLEAVED = "interleaved"
    TRANSLATION_ONLY = "translation-only"


class Side(StrEnum):
    SOURCE = "source"
    TARGET = "target"


class Pending(StrEnum):
    """How a paragraph without a translation is drawn."""

    TRANSLATING = "translating"  # grey bars: it is on its way
    STOPPED = "stopped"  # cancelled or not started: a short note instead


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

# -- geometry constants (pixels at 1x; fonts scale with the font size) ------------------------
MARGIN = 28
GUTTER = 44
MAX_SIDE_BY_SIDE_WIDTH = 1320
MAX_SINGLE_COLUMN_WIDTH = 760
INTERLEAVED_INDENT = 16
QUOTE_INDENT = 16

_KIND_SCALE = {
    ParagraphKind.TITLE: 1.3,
    ParagraphKind.LEDE: 1.06,
    ParagraphKind.BODY: 1.0,
    ParagraphKind.QUOTE: 1.0,
    ParagraphKind.CAPTION: 0.86,
    ParagraphKind.BOILERPLATE: 0.82,
}
_MUTED_KINDS = (ParagraphKind.CAPTION, ParagraphKind.BOILERPLATE)


@dataclass
class _Cell:
    """One block of text at a position in the content (coordinates are content pixels)."""

    side: Side
    text: str
    kind: ParagraphKind
    x: float = 0.0
    y: float = 0.0  # relative to the row top
    width: float = 0.0
    height: float = 0.0
    text_height: float = 0.0
    layout: QTextLayout | None = None
    leading: float = 0.0
    placeholder_lines: int = 0  # > 0: draw grey bars instead of text
    note: str = ""  # a small grey line under the text ("kept as is", "edited"…)
    shared: bool = False  # one cell for both sides (passthrough)
    translation_style: bool = False  # the interleaved translation block
    failed: bool = False
    edited: bool = False  # the reader's post-edit: a thin coloured margin marks it
    editing: bool = False  # the in-place editor covers it (its text is not painted)
    placeholder_path: QPainterPath | None = None  # built at first paint, at (0, 0)


@dataclass
class _Row:
    paragraph: Paragraph
    translation: ParagraphTranslation | None = None
    top: float = 0.0
    height: float = 0.0
    cells: list[_Cell] = field(default_factory=list)

    def cell(self, side: Side) -> _Cell | None:
        for cell in self.cells:
            if cell.side == side or cell.shared:
                return cell
        return None


@dataclass(frozen=True)
class Hit:
    row: int
    side: Side
    offset: int


@dataclass(frozen=True)
class PairRef:
    row: int
    pair: int


@dataclass(frozen=True)
class Match:
    row: int
    side: Side
    start: int
    end: int


class InlineEditor(QTextEdit):
    """The editor placed over a translation cell: same font, width and line spacing.

    Ctrl+Enter saves, Esc cancels, and focus leaving it for anything else in the window
    (a click elsewhere, another pane, a shortcut that moves focus) saves. The window losing
    focus to another application, or the editor's own context menu, does not end the edit.

    Signals: ``committed(text: str)``, ``cancelled()`` (each at most once).
    """

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineEditor")
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(0)
        self._finished = False

    def set_text(self, text: str, leading: float, indent: float) -> None:
        self.setPlainText(text)
        block = QTextBlockFormat()
        # The view spaces lines by the font height plus a leading; so does the editor.
        block.setLineHeight(leading, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        block.setLeftMargin(indent)
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(block)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)
        self.document().clearUndoRedoStacks()

    def content_height(self) -> float:
        return float(self.document().size().height())

    def finish(self, commit: bool) -> None:
        if self._finished:
            return
        self._finished = True
        if commit:
            self.committed.emit(self.toPlainText())
        else:
            self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.finish(True)
        elif key == Qt.Key.Key_Escape:
            self.finish(False)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in (
            Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason
        ):
            self.finish(True)


@dataclass
class _Edit:
    row: int
    editor: InlineEditor
    leading: float = 0.0
    height: float = 0.0  # the editor's content height the row was laid out for


def _blend(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def _with_alpha(color: QColor, alpha: int) -> QColor:
    result = QColor(color)
    result.setAlpha(alpha)
    return result


class ReadingView(QAbstractScrollArea):
    """Paints an article as aligned rows of original and translation.

    Signals:

    - ``pairHighlighted(row: int, pair: int)``: the sentence pair under the mouse or
      clicked changed (-1, -1 when none);
    - ``currentParagraphChanged(row: int)``: J/K navigation or a click moved the marker;
    - ``rowActionRequested(action: str, row: int)``: from the context menu —
      ``"retranslate"``, ``"edit"`` (in a dialog), ``"revert"``;
    - ``editStarted(row: int)``: the in-place editor opened over a translation;
    - ``editCommitted(row: int, text: str)``: the reader saved an in-place edit (the window
      stores it; the text may be unchanged or empty, the window decides);
    - ``editCancelled(row: int)``;
    - ``findChanged(current: int, total: int)``: the find position (current is 0-based,
      -1 when there is no match);
    - ``positionChanged()``: the reader scrolled (the window saves the position later);
    - ``endReached()``: the end of the article has been on screen — the first lines of its
      last paragraph (once per article shown).
    """

    pairHighlighted = Signal(int, int)
    currentParagraphChanged = Signal(int)
    rowActionRequested = Signal(str, int)
    editStarted = Signal(int)
    editCommitted = Signal(int, str)
    editCancelled = Signal(int)
    findChanged = Signal(int, int)
    positionChanged = Signal()
    endReached = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        self._article: Article | None = None
        self._rows: list[_Row] = []
        self._tops: list[float] = []  # row tops, for bisecting
        self._content_height = 0.0
        self._layout_width = -1
        self._layout_mode = Layout.SIDE_BY_SIDE
        self._show_translation = True  # False: no model for this pair, original only
        self._peek_original = False  # translation-only: show the original instead
        self._pending = Pending.TRANSLATING
        self._font_size = 12
        self._family = QFont().family()
        self._source_heading = ""
        self._target_heading = ""
        self._heading_height = 0.0
        self._hover: PairRef | None = None
        self._pinned: PairRef | None = None
        self._current_row = -1
        self._find_text = ""
        self._matches: list[Match] = []
        self._match_index = -1
        self._placeholder_text = "Open an article from the library."
        self._edit: _Edit | None = None
        self._search_mark: Match | None = None  # a library search hit being shown
        self._end_reported = False
        # Relayout is deferred to the next paint, so many streamed paragraphs arriving
        # together cost one layout pass, not one each.
        self._dirty_rows: set[int] = set()
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._apply_dirty_rows)
        # "The end has been on screen" is judged once layout and scrolling have settled
        # (set_article resets the scroll bar after laying out).
        self._end_timer = QTimer(self)
        self._end_timer.setSingleShot(True)
        self._end_timer.setInterval(0)
        self._end_timer.timeout.connect(self._check_end)

    # -- content ---------------------------------------------------------------------------

    def set_article(self, article: Article | None) -> None:
        self._close_editor(emit=False)
        self._article = article
        self._rows = [_Row(p) for p in article.paragraphs] if article is not None else []
        self._hover = self._pinned = None
        self._current_row = -1
        self._search_mark = None
        self._end_reported = False
        self._matches = []
        self._match_index = -1
        self._dirty_rows.clear()
        self._relayout(keep_position=False)
        self.verticalScrollBar().setValue(0)
        if self._find_text:
            self.find(self._find_text)

    def article(self) -> Article | None:
        return self._article

    def set_message(self, text: str) -> None:
        """What the empty view says (no article, or why it cannot show one)."""
        self._placeholder_text = text
        self.viewport().update()

    def set_translation(self, translation: ParagraphTranslation) -> bool:
        """Show ``translation`` in its row; False (and nothing changes) when it is not the
        translation of that row's paragraph: a stale result can never land here."""
        index = translation.index
        if not 0 <= index < len(self._rows):
            return False
        row = self._rows[index]
        if normalize_source(row.paragraph.text) != normalize_source(translation.source):
            return False
        row.translation = translation
        if self._hover is not None and self._hover.row == index:
            self._hover = None
        if self._pinned is not None and self._pinned.row == index:
            self._pinned = None
        self._dirty_rows.add(index)
        self._relayout_timer.start()
        return True

    def clear_translations(self) -> None:
        self._close_editor(emit=False)
        for row in self._rows:
            row.translation = None
        self._hover = self._pinned = None
        self._relayout(keep_position=True)

    def translation(self, row: int) -> ParagraphTranslation | None:
        return self._rows[row].translation if 0 <= row < len(self._rows) else None

    def translations(self) -> list[ParagraphTranslation | None]:
        return [row.translation for row in self._rows]

    def row_count(self) -> int:
        return len(self._rows)

    # -- presentation ----------------------------------------------------------------------

    def set_layout_mode(self, mode: Layout | str) -> None:
        mode = Layout(mode)
        if mode != self._layout_mode:
            self.commit_edit()
            self._layout_mode = mode
            self._relayout(keep_position=True)

    def layout_mode(self) -> Layout:
        return self._layout_mode

    def set_show_translation(self, show: bool) -> None:
        if show != self._show_translation:
            self.commit_edit()
            self._show_translation = show
            self._relayout(keep_position=True)

    def set_peek_original(self, peek: bool) -> None:
        if peek != self._peek_original:
            if peek:
                self.commit_edit()
            self._peek_original = peek
            if self._layout_mode == Layout.TRANSLATION_ONLY:
                self._relayout(keep_position=True)

    def peeking_original(self) -> bool:
        return self._peek_original

    def set_pending_style(self, pending: Pending) -> None:
        if pending != self._pending:
            self._pending = pending
            self._relayout(keep_position=True)

    def set_text_font(self, family: str, size: int) -> None:
        if (family, size) != (self._family, self._font_size):
            self._family, self._font_size = family, size
            self._relayout(keep_position=True)

    def set_headings(self, source: str, target: str) -> None:
        if (source, target) != (self._source_heading, self._target_heading):
            self._source_heading, self._target_heading = source, target
            # Only painted: the heading band's height depends on the layout, not its words
            # (a relayout here laid out every paragraph a second time on each article open).
            self.viewport().update()

    # -- geometry (content coordinates) ----------------------------------------------------

    def _font(self, kind: ParagraphKind, scale: float = 1.0) -> QFont:
        font = QFont(self._family)
        font.setPointSizeF(max(6.0, self._font_size * _KIND_SCALE[kind] * scale))
        if kind is ParagraphKind.TITLE:
            font.setWeight(QFont.Weight.Bold)
        if kind in (ParagraphKind.CAPTION, ParagraphKind.QUOTE):
            font.setItalic(True)
        return font

    def _note_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self._font_size * 0.72))
        return font

    def _line_height(self) -> float:
        return QFontMetricsF(self._font(ParagraphKind.BODY), self.viewport()).height()

    def _columns(self, width: float) -> tuple[float, float, float]:
        """(left x, column width, right x) for side-by-side; (x, width, x) otherwise."""
        single = self._layout_mode != Layout.SIDE_BY_SIDE or not self._show_translation
        if single:
            usable = min(width - 2 * MARGIN, MAX_SINGLE_COLUMN_WIDTH)
            left = max(MARGIN, (width - usable) / 2)
            return left, max(80.0, usable), left
        usable = min(width - 2 * MARGIN, MAX_SIDE_BY_SIDE_WIDTH)
        left = max(MARGIN, (width - usable) / 2)
        column = max(80.0, (usable - GUTTER) / 2)
        return left, column, left + column + GUTTER

    def _lay_out_text(self, cell: _Cell, width: float) -> None:
        # A face for each script of the text, as in the PDF (reader/fonts.py).
        font = font_for_text(self._font(cell.kind), cell.text)
        metrics = QFontMetricsF(font, self.viewport())
        leading = metrics.height() * (0.22 if cell.kind is ParagraphKind.TITLE else 0.36)
        # QTextLayout breaks lines only at U+2028; a same-length swap keeps every offset.
        layout = QTextLayout(cell.text.replace("\n", "\u2028"), font, self.viewport())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        apply_direction(option, cell.text)  # Arabic, Persian, Urdu, Hebrew: from the right
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        indent = QUOTE_INDENT if cell.kind is ParagraphKind.QUOTE else 0
        y = 0.0
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(20.0, width - indent))
            line.setPosition(QPointF(indent, y + leading / 2))
            y += line.height() + leading
        layout.endLayout()
        cell.layout = layout
        cell.leading = leading
        cell.text_height = y

    def _build_cell(
        self, row: _Row, side: Side, x: float, width: float, source_lines: int
    ) -> _Cell:
        paragraph, translation = row.paragraph, row.translation
        edit = self._edit
        if side is Side.SOURCE:
            cell = _Cell(side, paragraph.text, paragraph.kind, x=x, width=width)
            self._lay_out_text(cell, width)
        elif edit is not None and self._rows[edit.row] is row:
            # The editor covers the cell; the cell grows and shrinks with what is typed.
            text = translation.translation if translation is not None else ""
            cell = _Cell(side, text, paragraph.kind, x=x, width=width, editing=True)
            self._lay_out_text(cell, width)
            edit.leading = cell.leading
            edit.height = edit.editor.content_height()
            line = QFontMetricsF(self._font(paragraph.kind), self.viewport()).height()
            cell.text_height = max(line, edit.height) + cell.leading * 0.5
            cell.note = EDITOR_HINT
        elif translation is None:
            cell = _Cell(side, "", paragraph.kind, x=x, width=width)
            if self._pending is Pending.TRANSLATING:
                cell.placeholder_lines = max(1, source_lines)
                line = QFontMetricsF(self._font(paragraph.kind), self.viewport()).height()
                cell.text_height = cell.placeholder_lines * line * 1.36
            else:
                cell.note = "not translated yet (Ctrl+R translates)"
        else:
            cell = _Cell(side, translation.translation, paragraph.kind, x=x, width=width)
            if translation.status is ParagraphStatus.FAILED:
                cell.failed = True
                cell.note = "the model gave no usable translation (right-click to retry)"
            else:
                self._lay_out_text(cell, width)
                if translation.status is ParagraphStatus.EDITED:
                    cell.edited = True
                    cell.note = "✎ edited"
        if cell.note:
            note_metrics = QFontMetricsF(self._note_font(), self.viewport())
            cell.height = cell.text_height + note_metrics.height() * 1.3
        else:
            cell.height = cell.text_height
        return cell

    def _build_row(self, row: _Row, width: float) -> None:
        left, column, right = self._columns(width)
        translation = row.translation
        passthrough = (
            translation is not None and translation.status is ParagraphStatus.PASSTHROUGH
        )
        line = self._line_height()
        row.cells = []
        if passthrough and self._show_translation:
            # Shown once, across both columns, and marked: there is nothing to compare.
            span = (right + column - left) if self._layout_mode == Layout.SIDE_BY_SIDE \
                else column
            cell = _Cell(Side.SOURCE, row.paragraph.text, row.paragraph.kind, x=left,
                         width=span, shared=True)
            self._lay_out_text(cell, span)
            cell.note = _passthrough_note(translation)
            note_metrics = QFontMetricsF(self._note_font(), self.viewport())
            cell.height = cell.text_height + note_metrics.height() * 1.3
            row.cells = [cell]
            row.height = cell.height
            return

        source = self._build_cell(row, Side.SOURCE, left, column, 0)
        lines = source.layout.lineCount() if source.layout is not None else 1
        if not self._show_translation:
            row.cells = [source]
        elif self._layout_mode == Layout.SIDE_BY_SIDE:
            target = self._build_cell(row, Side.TARGET, right, column, lines)
            row.cells = [source, target]
        elif self._layout_mode == Layout.INTERLEAVED:
            target = self._build_cell(
                row, Side.TARGET, left + INTERLEAVED_INDENT, column - INTERLEAVED_INDENT, lines
            )
            target.translation_style = True
            target.y = source.height + line * 0.3
            row.cells = [source, target]
        elif self._peek_original:
            row.cells = [source]
        else:
            row.cells = [self._build_cell(row, Side.TARGET, left, column, lines)]
        row.height = max(cell.y + cell.height for cell in row.cells)

    def _paragraph_gap(self, row: _Row) -> float:
        line = self._line_height()
        if row.paragraph.kind is ParagraphKind.TITLE:
            return line * 1.1
        if self._layout_mode == Layout.INTERLEAVED and self._show_translation:
            return line * 1.2
        return line * 0.85

    def _relayout(self, *, keep_position: bool) -> None:
        position = self.top_position() if keep_position else None
        width = self.viewport().width()
        self._layout_width = width
        self._heading_height = 0.0
        if self._show_translation and self._layout_mode == Layout.SIDE_BY_SIDE and self._rows:
            self._heading_height = QFontMetricsF(self._note_font()).height() * 2.6
        for row in self._rows:
            self._build_row(row, width)
        self._dirty_rows.clear()
        self._restack(0)
        if position is not None:
            self.restore_position(*position)
        self.viewport().update()

    def _restack(self, start: int) -> None:
        y = MARGIN * 0.8 + self._heading_height
        if start > 0:
            previous = self._rows[start - 1]
            y = previous.top + previous.height + self._paragraph_gap(previous)
        for row in self._rows[start:]:
            row.top = y
            y += row.height + self._paragraph_gap(row)
        self._tops = [row.top for row in self._rows]
        self._content_height = y + MARGIN
        self._update_scrollbar()
        self._place_editor()
        self._end_timer.start()

    def _apply_dirty_rows(self) -> None:
        if not self._dirty_rows:
            return
        if self._layout_width != self.viewport().width():
            self._relayout(keep_position=True)
            return
        anchor = self._anchor_row()
        shift = 0.0
        for index in sorted(self._dirty_rows):
            row = self._rows[index]
            before = row.height
            self._build_row(row, self._layout_width)
            if index < anchor:
                shift += row.height - before
        start = min(self._dirty_rows)
        self._dirty_rows.clear()
        self._restack(start)
        # Rows growing above the reader must not push the text they are reading away.
        if shift:
            bar = self.verticalScrollBar()
            bar.setValue(round(bar.value() + shift))
        if self._find_text:
            self._refresh_matches()
        self.viewport().update()

    def _anchor_row(self) -> int:
        """The row that must not move on screen when rows above it change height: the one
        being edited, else a search hit being shown, when on screen; else the first row on
        screen (the text the reader is reading)."""
        for row in (self.editing_row(), self._search_mark.row if self._search_mark else -1):
            if 0 <= row < len(self._rows) and self._row_visible(row):
                return row
        return self.row_at_y(self.verticalScrollBar().value())

    def flush(self) -> None:
        """Lay out pending rows now (tests and geometry queries want current numbers)."""
        self._relayout_timer.stop()
        self._apply_dirty_rows()

    def _update_scrollbar(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, max(0, round(self._content_height - page)))
        bar.setPageStep(max(1, round(page * 0.9)))
        bar.setSingleStep(max(1, round(self._line_height() * 1.5)))

    def cell_rect(self, row: int, side: Side) -> QRectF | None:
        """The rectangle of a row's cell in content coordinates (None when not shown)."""
        self.flush()
        if not 0 <= row < len(self._rows):
            return None
        the_row = self._rows[row]
        cell = the_row.cell(side)
        if cell is None:
            return None
        return QRectF(cell.x, the_row.top + cell.y, cell.width, cell.height)

    def row_rect(self, row: int) -> QRectF:
        self.flush()
        the_row = self._rows[row]
        return QRectF(0, the_row.top, self.viewport().width(), the_row.height)

    def row_at_y(self, y: float) -> int:
        """The row at content ``y`` (the nearest one above it between rows)."""
        if not self._rows:
            return -1
        return max(0, bisect.bisect_right(self._tops, y) - 1)

    # -- positions ---------------------------------------------------------------------------

    def top_position(self) -> tuple[int, float]:
        """(paragraph at the top of the view, fraction of it scrolled past)."""
        if not self._rows:
            return 0, 0.0
        y = self.verticalScrollBar().value()
        index = self.row_at_y(y)
        row = self._rows[index]
        span = row.height + self._paragraph_gap(row)
        offset = (y - row.top) / span if span > 0 else 0.0
        return index, min(1.0, max(0.0, offset))

    def restore_position(self, paragraph: int, offset: float = 0.0) -> None:
        self.flush()
        if not self._rows:
            return
        paragraph = min(max(0, paragraph), len(self._rows) - 1)
        row = self._rows[paragraph]
        span = row.height + self._paragraph_gap(row)
        y = row.top + offset * span if paragraph or offset else 0
        self.verticalScrollBar().setValue(round(y))

    def go_to_paragraph(self, index: int) -> None:
        if not self._rows:
            return
        index = min(max(0, index), len(self._rows) - 1)
        self.flush()
        self._current_row = index
        top = self._rows[index].top - self._line_height() * 0.6
        self.verticalScrollBar().setValue(round(top) if index else 0)
        self.currentParagraphChanged.emit(index)
        self.viewport().update()

    def current_paragraph(self) -> int:
        if self._current_row >= 0:
            return self._current_row
        return self.top_position()[0]

    def next_paragraph(self) -> None:
        current = self._current_row
        if current < 0 or not self._row_visible(current):
            current = self.top_position()[0]
        self.go_to_paragraph(current + 1)

    def previous_paragraph(self) -> None:
        current = self._current_row
        if current < 0 or not self._row_visible(current):
            current = self.top_position()[0]
        self.go_to_paragraph(current - 1)

    def _row_visible(self, index: int) -> bool:
        row = self._rows[index]
        top = self.verticalScrollBar().value()
        return row.top < top + self.viewport().height() and row.top + row.height > top

    def ensure_visible(self, rect: QRectF) -> None:
        """Scroll so ``rect`` (content coordinates) is on screen, a third from the top."""
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        if rect.top() >= top and rect.bottom() <= top + height:
            return
        self.verticalScrollBar().setValue(round(rect.top() - height / 3))

    def _on_scrolled(self, _value: int) -> None:
        self._place_editor()
        self.viewport().update()
        self.positionChanged.emit()
        self._end_timer.start()

    def _check_end(self) -> None:
        if self._end_reported or not self._rows or not self.isVisible():
            return
        # The last paragraph has come on screen (its whole height need not: a viewport a
        # few pixels shorter, or a translation arriving below, must not undo "read").
        last = self._rows[-1]
        bottom = self.verticalScrollBar().value() + self.viewport().height()
        if last.top + min(last.height, self._line_height() * 2) <= bottom:
            self._end_reported = True
            self.endReached.emit()

    def end_reached(self) -> bool:
        return self._end_reported

    # -- editing in place -------------------------------------------------------------------

    def can_edit(self, row: int) -> bool:
        """A translation is on screen for that row and it is not a passthrough."""
        if not 0 <= row < len(self._rows) or not self._show_translation:
            return False
        if self._layout_mode == Layout.TRANSLATION_ONLY and self._peek_original:
            return False
        translation = self._rows[row].translation
        return translation is not None and translation.status is not ParagraphStatus.PASSTHROUGH

    def focus_row(self) -> int:
        """The paragraph the keyboard acts on: the pinned sentence's, else the current
        paragraph (J/K, a click) when on screen, else the first one on screen."""
        if self._pinned is not None:
            return self._pinned.row
        if 0 <= self._current_row < len(self._rows) and self._row_visible(self._current_row):
            return self._current_row
        if not self._rows:
            return -1
        top = self.verticalScrollBar().value()
        index = self.row_at_y(top)
        if self._rows[index].top < top and index + 1 < len(self._rows):
            index += 1  # the first row whose top is on screen
        return index

    def edit_row(self, row: int) -> bool:
        """Open the in-place editor over ``row``'s translation. False when not editable."""
        if self._edit is not None and self._edit.row == row:
            self._edit.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if not self.can_edit(row):
            return False
        self.commit_edit()
        translation = self._rows[row].translation
        assert translation is not None
        self.flush()
        cell = self._rows[row].cell(Side.TARGET)
        if cell is None:
            return False
        editor = InlineEditor(self.viewport())
        editor.setFont(self._font(cell.kind))
        palette = editor.palette()
        colors = self._colors()
        palette.setColor(QPalette.ColorRole.Base, colors["editor"])
        palette.setColor(QPalette.ColorRole.Text, colors["text"])
        editor.setPalette(palette)
        metrics = QFontMetricsF(self._font(cell.kind), self.viewport())
        leading = metrics.height() * (0.22 if cell.kind is ParagraphKind.TITLE else 0.36)
        indent = QUOTE_INDENT if cell.kind is ParagraphKind.QUOTE else 0
        editor.setGeometry(round(cell.x), 0, round(cell.width), round(cell.text_height))
        editor.set_text(translation.translation, leading, indent)
        editor.committed.connect(lambda text, e=editor: self._on_editor_done(e, text))
        editor.cancelled.connect(lambda e=editor: self._on_editor_done(e, None))
        editor.document().documentLayout().documentSizeChanged.connect(
            lambda size, e=editor: self._on_editor_size(e, size)
        )
        editor.show()  # (a shown editor has its real width: the text wraps as it will)
        self._edit = _Edit(row, editor, leading)
        self._hover = self._pinned = None
        self._current_row = row
        self._dirty_rows.add(row)
        self.flush()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        rect = self.cell_rect(row, Side.TARGET)
        if rect is not None:
            self.ensure_visible(rect)
        self.editStarted.emit(row)
        self.viewport().update()
        return True

    def editor(self) -> InlineEditor | None:
        return self._edit.editor if self._edit is not None else None

    def editing_row(self) -> int:
        return self._edit.row if self._edit is not None else -1

    def commit_edit(self) -> None:
        """Save the open in-place edit (if any): ``editCommitted`` is emitted."""
        if self._edit is not None:
            self._edit.editor.finish(True)

    def cancel_edit(self) -> None:
        if self._edit is not None:
            self._edit.editor.finish(False)

    def _on_editor_done(self, editor: InlineEditor, text: str | None) -> None:
        edit = self._edit
        if edit is None or edit.editor is not editor:
            return
        had_focus = editor.hasFocus()
        row = edit.row
        self._close_editor(emit=False)
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        if text is None:
            self.editCancelled.emit(row)
        else:
            self.editCommitted.emit(row, text)

    def _close_editor(self, *, emit: bool) -> None:
        edit = self._edit
        if edit is None:
            return
        if emit:
            edit.editor.finish(True)  # comes back through _on_editor_done
            return
        self._edit = None
        edit.editor._finished = True  # a focus-out while hiding must not save it again
        edit.editor.hide()
        edit.editor.deleteLater()
        if 0 <= edit.row < len(self._rows):
            self._dirty_rows.add(edit.row)
            self._relayout_timer.start()
        self.viewport().update()

    def _on_editor_size(self, editor: InlineEditor, size: QSizeF) -> None:
        edit = self._edit
        if edit is None or edit.editor is not editor:
            return
        if abs(size.height() - edit.height) > 0.5:
            self._dirty_rows.add(edit.row)
            self._relayout_timer.start()

    def _place_editor(self) -> None:
        edit = self._edit
        if edit is None or not 0 <= edit.row < len(self._rows):
            return
        row = self._rows[edit.row]
        cell = row.cell(Side.TARGET)
        if cell is None or not cell.editing:
            edit.editor.hide()
            return
        top = row.top + cell.y + edit.leading * 0.5 - self.verticalScrollBar().value()
        height = max(edit.height, cell.text_height - edit.leading * 0.5)
        edit.editor.setGeometry(round(cell.x), round(top), round(cell.width), round(height) + 2)

    # -- library search hits ------------------------------------------------------------------

    def show_search_hit(
        self, row: int, side: Side, start: int, end: int, query: str = ""
    ) -> bool:
        """Scroll to a library search hit and highlight it; on the other side, the aligned
        sentence. With ``query``, the span is checked against the text on screen (a cached
        translation found by search may differ from the one shown) and moved to the
        nearest match there. False when the row does not exist."""
        if not 0 <= row < len(self._rows):
            return False
        self.flush()
        text = self._side_text(row, side)
        if query and text is not None:
            spans = find_all(text, query)
            if (start, end) not in spans:
                if spans:
                    start, end = min(spans, key=lambda span: abs(span[0] - start))
                else:
                    start = end = 0
        self._search_mark = Match(row, side, start, end)
        self._pinned = None
        self._current_row = row
        rects = self._span_rects(row, side, start, end) if end > start else []
        if rects:
            self.ensure_visible(rects[0])
        else:
            self.ensure_visible(self.row_rect(row))
        self.currentParagraphChanged.emit(row)
        self.viewport().update()
        return True

    def clear_search_hit(self) -> None:
        if self._search_mark is not None:
            self._search_mark = None
            self.viewport().update()

    def search_hit(self) -> Match | None:
        return self._search_mark

    def search_highlights(self) -> dict[Side, tuple[int, int, int]]:
        """What the search hit lights up: side → (row, start, end), counterpart included."""
        mark = self._search_mark
        if mark is None:
            return {}
        found: dict[Side, tuple[int, int, int]] = {}
        if mark.end > mark.start:
            found[mark.side] = (mark.row, mark.start, mark.end)
        pair = self._pair_containing(mark.row, mark.side, mark.start)
        if pair is not None and mark.end > mark.start:
            other = Side.TARGET if mark.side is Side.SOURCE else Side.SOURCE
            found[other] = (mark.row, *_span(pair, other))
        return found

    def _side_text(self, row: int, side: Side) -> str | None:
        the_row = self._rows[row]
        if side is Side.SOURCE:
            return the_row.paragraph.text
        return the_row.translation.translation if the_row.translation is not None else None

    def _pair_containing(self, row: int, side: Side, offset: int) -> SentencePair | None:
        translation = self._rows[row].translation
        if translation is None or translation.status is ParagraphStatus.PASSTHROUGH:
            return None
        for pair in translation.sentences:
            start, end = _span(pair, side)
            if start <= offset < end:
                return pair
        return None

    # -- tooltips -------------------------------------------------------------------------------

    def tooltip_at(self, point: QPoint | QPointF) -> str:
        """The tooltip for a viewport point: an edited translation explains its mark."""
        if not self._rows:
            return ""
        self.flush()
        y = point.y() + self.verticalScrollBar().value()
        index = self.row_at_y(y)
        row = self._rows[index]
        cell = row.cell(Side.TARGET)
        if cell is None or not cell.edited or cell.shared:
            return ""
        # The cell and its margin mark, a little to its left.
        area = QRectF(cell.x - 14, row.top + cell.y, cell.width + 14, cell.height)
        return EDITED_TOOLTIP if area.contains(QPointF(point.x(), y)) else ""

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -- hit-testing and sentence pairs ---------------------------------------------------------

    def hit(self, point: QPoint | QPointF) -> Hit | None:
        """The character under a viewport point, or None."""
        self.flush()
        x = point.x()
        y = point.y() + self.verticalScrollBar().value()
        index = self.row_at_y(y)
        if index < 0:
            return None
        row = self._rows[index]
        for cell in row.cells:
            if cell.layout is None:
                continue
            local_x = x - cell.x
            local_y = y - row.top - cell.y
            if not (0 <= local_x <= cell.width and 0 <= local_y <= cell.text_height):
                continue
            for number in range(cell.layout.lineCount()):
                line = cell.layout.lineAt(number)
                band_top = line.y() - cell.leading / 2
                if band_top <= local_y < band_top + line.height() + cell.leading:
                    if local_x > line.x() + line.naturalTextWidth():
                        return None  # past the end of the line: not on a word
                    offset = line.xToCursor(local_x, QTextLine.CursorPosition.CursorOnCharacter)
                    side = Side.SOURCE if cell.shared else cell.side
                    return Hit(index, side, offset)
        return None

    def pair_at(self, hit: Hit | None) -> PairRef | None:
        if hit is None:
            return None
        translation = self._rows[hit.row].translation
        if translation is None or self._rows[hit.row].cell(hit.side) is None:
            return None
        if self._rows[hit.row].cells[0].shared:
            return None
        for number, pair in enumerate(translation.sentences):
            start, end = (
                (pair.source_start, pair.source_end)
                if hit.side is Side.SOURCE
                else (pair.target_start, pair.target_end)
            )
            if start <= hit.offset < end:
                return PairRef(hit.row, number)
        return None

    def point_for(self, row: int, side: Side, offset: int) -> QPoint:
        """The viewport point over character ``offset`` of a cell (for tests and tooling)."""
        self.flush()
        the_row = self._rows[row]
        cell = the_row.cell(side)
        if cell is None or cell.layout is None:
            raise ValueError(f"row {row} has no laid-out {side} text")
        line = cell.layout.lineForTextPosition(offset)
        left = line.cursorToX(offset)[0]
        right = line.cursorToX(offset + 1)[0]
        x = cell.x + (left + right) / 2
        y = the_row.top + cell.y + line.y() + line.height() / 2
        return QPoint(round(x), round(y - self.verticalScrollBar().value()))

    def pair(self, ref: PairRef | None) -> SentencePair | None:
        if ref is None:
            return None
        translation = self._rows[ref.row].translation
        if translation is None or ref.pair >= len(translation.sentences):
            return None
        return translation.sentences[ref.pair]

    def hovered_pair(self) -> PairRef | None:
        return self._hover

    def pinned_pair(self) -> PairRef | None:
        return self._pinned

    def highlighted_spans(self) -> dict[Side, tuple[int, int, int]]:
        """What is highlighted now: side → (row, start, end). The pinned pair wins."""
        ref = self._pinned or self._hover
        pair = self.pair(ref)
        if ref is None or pair is None:
            return {}
        return {
            Side.SOURCE: (ref.row, pair.source_start, pair.source_end),
            Side.TARGET: (ref.row, pair.target_start, pair.target_end),
        }

    def _set_hover(self, ref: PairRef | None) -> None:
        if ref != self._hover:
            self._hover = ref
            if self._pinned is None:
                self.pairHighlighted.emit(*(ref.row, ref.pair) if ref else (-1, -1))
            self.viewport().update()

    def pin_pair(self, ref: PairRef | None, reveal_side: Side | None = None) -> None:
        self._pinned = ref
        self.pairHighlighted.emit(*(ref.row, ref.pair) if ref else (-1, -1))
        pair = self.pair(ref)
        if ref is not None and pair is not None and reveal_side is not None:
            rects = self._span_rects(ref.row, reveal_side, *_span(pair, reveal_side))
            if rects:
                united = rects[0]
                for rect in rects[1:]:
                    united = united.united(rect)
                self.ensure_visible(united)
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hover(self.pair_at(self.hit(event.position())))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._set_hover(None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        hit = self.hit(event.position())
        ref = self.pair_at(hit)
        if ref is None or ref == self._pinned:
            self.pin_pair(None)
        else:
            # Reveal the counterpart: the side the reader did not click.
            other = Side.TARGET if hit is not None and hit.side is Side.SOURCE else Side.SOURCE
            self.pin_pair(ref, reveal_side=other)
        y = event.position().y() + self.verticalScrollBar().value()
        row = self.row_at_y(y)
        if row >= 0 and row != self._current_row:
            self._current_row = row
            self.currentParagraphChanged.emit(row)

    def copy_text(self) -> str:
        """What Ctrl+C copies: the pinned sentence and its translation, else the focused
        paragraph's original and translation (a blank line between), else ""."""
        pinned = self.pair(self._pinned)
        if pinned is not None:
            return f"{pinned.source}\n{pinned.target}"
        index = self.focus_row()
        if index < 0:
            return ""
        row = self._rows[index]
        parts = [row.paragraph.text]
        if (
            self._show_translation
            and row.translation is not None
            and row.translation.translation
            and row.translation.status is not ParagraphStatus.PASSTHROUGH
        ):
            parts.append(row.translation.translation)
        return "\n\n".join(parts)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.Copy):
            text = self.copy_text()
            if text:
                QGuiApplication.clipboard().setText(text)
        elif event.key() == Qt.Key.Key_Space and not event.modifiers():
            bar.setValue(bar.value() + bar.pageStep())
        elif event.key() == Qt.Key.Key_Space:
            bar.setValue(bar.value() - bar.pageStep())
        elif event.key() == Qt.Key.Key_Home:
            bar.setValue(0)
        elif event.key() == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        elif event.key() == Qt.Key.Key_Escape and self._pinned is not None:
            self.pin_pair(None)
        elif event.key() == Qt.Key.Key_Escape and self._search_mark is not None:
            self.clear_search_hit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            if not self.edit_row(self.focus_row()):
                super().keyPressEvent(event)
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.target_row_at(event.position())
            if row >= 0 and self.edit_row(row):
                return
        super().mouseDoubleClickEvent(event)

    def target_row_at(self, point: QPoint | QPointF) -> int:
        """The row whose translation cell is under a viewport point, or -1."""
        if not self._rows:
            return -1
        self.flush()
        y = point.y() + self.verticalScrollBar().value()
        index = self.row_at_y(y)
        row = self._rows[index]
        cell = row.cell(Side.TARGET)
        if cell is None or cell.shared:
            return -1
        area = QRectF(cell.x, row.top + cell.y, cell.width, max(cell.height, 1.0))
        return index if area.contains(QPointF(point.x(), y)) else -1

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        y = event.pos().y() + self.verticalScrollBar().value()
        index = self.row_at_y(y)
        if index < 0:
            return
        row = self._rows[index]
        menu = QMenu(self)
        copy_source = menu.addAction("Copy original")
        copy_target = menu.addAction("Copy translation")
        copy_target.setEnabled(bool(row.translation and row.translation.translation))
        menu.addSeparator()
        # The text after a tab is shown as the shortcut (the window's actions own the keys).
        edit_here = menu.addAction(f"Edit translation\t{EDIT_KEYS} / double-click")
        edit = menu.addAction("Edit in a window…")
        revert = menu.addAction(f"Revert to machine translation\t{REVERT_KEYS}")
        retranslate = menu.addAction(f"Translate paragraph again\t{RETRANSLATE_KEYS}")
        translatable = row.translation is None or row.translation.status is not \
            ParagraphStatus.PASSTHROUGH
        edit_here.setEnabled(self.can_edit(index))
        edit.setEnabled(bool(row.translation) and translatable)
        revert.setEnabled(
            bool(row.translation) and row.translation.status is ParagraphStatus.EDITED
        )
        retranslate.setEnabled(translatable and self._show_translation)
        chosen = menu.exec(event.globalPos())
        if chosen is None:
            return
        if chosen is copy_source:
            QGuiApplication.clipboard().setText(row.paragraph.text)
        elif chosen is copy_target and row.translation is not None:
            QGuiApplication.clipboard().setText(row.translation.translation)
        elif chosen is edit_here:
            self.edit_row(index)
        elif chosen is edit:
            self.rowActionRequested.emit("edit", index)
        elif chosen is revert:
            self.rowActionRequested.emit("revert", index)
        elif chosen is retranslate:
            self.rowActionRequested.emit("retranslate", index)

    # -- find --------------------------------------------------------------------------------

    def find(self, text: str) -> int:
        """Highlight every match of ``text`` (case-insensitive) on both sides; go to the
        first one at or after the view's top. Returns the number of matches."""
        self._find_text = text
        if text:
            self._search_mark = None
        self._refresh_matches()
        self._match_index = -1
        if self._matches:
            top_row = self.top_position()[0]
            self._match_index = next(
                (i for i, match in enumerate(self._matches) if match.row >= top_row), 0
            )
            self._reveal_match()
        self.findChanged.emit(self._match_index, len(self._matches))
        self.viewport().update()
        return len(self._matches)

    def find_next(self, backward: bool = False) -> None:
        if not self._matches:
            return
        step = -1 if backward else 1
        self._match_index = (self._match_index + step) % len(self._matches)
        self._reveal_match()
        self.findChanged.emit(self._match_index, len(self._matches))
        self.viewport().update()

    def clear_find(self) -> None:
        self._find_text = ""
        self._matches = []
        self._match_index = -1
        self.viewport().update()

    def matches(self) -> list[Match]:
        return list(self._matches)

    def current_match(self) -> Match | None:
        return self._matches[self._match_index] if self._match_index >= 0 else None

    def _refresh_matches(self) -> None:
        current = self.current_match()
        self._matches = []
        if not self._find_text:
            return
        pattern = re.compile(re.escape(self._find_text), re.IGNORECASE)
        for index, row in enumerate(self._rows):
            texts = [(Side.SOURCE, row.paragraph.text)]
            if row.translation is not None and row.translation.status is not \
                    ParagraphStatus.PASSTHROUGH:
                texts.append((Side.TARGET, row.translation.translation))
            for side, text in texts:
                for found in pattern.finditer(text):
                    self._matches.append(Match(index, side, found.start(), found.end()))
        if current is not None and current in self._matches:
            self._match_index = self._matches.index(current)
        elif self._match_index >= len(self._matches):
            self._match_index = len(self._matches) - 1

    def _reveal_match(self) -> None:
        match = self.current_match()
        if match is None:
            return
        rects = self._span_rects(match.row, match.side, match.start, match.end)
        if rects:
            self.ensure_visible(rects[0])
        else:  # on a side not shown (e.g. the original in translation-only mode)
            self.ensure_visible(self.row_rect(match.row))

    # -- painting ----------------------------------------------------------------------------

    def _span_rects(self, row: int, side: Side, start: int, end: int) -> list[QRectF]:
        """Content rectangles covering characters [start, end) of a cell."""
        the_row = self._rows[row]
        cell = the_row.cell(side)
        if cell is None or cell.layout is None or (cell.side is not side and not cell.shared):
            return []
        if cell.shared and side is Side.TARGET:
            return []
        rects: list[QRectF] = []
        layout = cell.layout
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            line_start = line.textStart()
            line_end = line_start + line.textLength()
            s, e = max(start, line_start), min(end, line_end)
            if s >= e:
                continue
            x1 = line.cursorToX(s)[0]
            x2 = min(line.cursorToX(e)[0], line.x() + line.naturalTextWidth())
            # Half the leading above and below: a sentence over several lines reads as one
            # continuous band rather than a stack of separate boxes.
            pad = cell.leading * 0.5
            rects.append(
                QRectF(
                    cell.x + x1 - 2,
                    the_row.top + cell.y + line.y() - pad,
                    max(2.0, x2 - x1 + 4),
                    line.height() + 2 * pad,
                )
            )
        return rects

    def _colors(self) -> dict[str, QColor]:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        dark = base.lightness() < 128
        return {
            "base": base,
            "text": text,
            "muted": _blend(text, base, 0.45),
            "note": _blend(text, base, 0.5),
            "translation": _blend(text, palette.color(QPalette.ColorRole.Link), 0.35),
            "accent": _blend(highlight, base, 0.35),
            # Quieter than the current-paragraph marker, which is also a bar on the left.
            "translation_bar": _blend(highlight, base, 0.7),
            "placeholder": _blend(text, base, 0.88),
            "hover": _with_alpha(highlight, 60 if dark else 34),
            "pinned": _with_alpha(highlight, 95 if dark else 62),
            "find": QColor(255, 200, 0, 90 if dark else 120),
            "find_current": QColor(255, 130, 0, 170 if dark else 190),
            "failed": QColor(230, 90, 80) if dark else QColor(180, 40, 30),
            "rule": _blend(text, base, 0.85),
            # The reader's own words: a quiet teal, apart from the blue of highlights.
            "edited": QColor(77, 182, 172) if dark else QColor(0, 137, 123),
            "editor": _blend(base, highlight, 0.10 if dark else 0.05),
            "editor_frame": _blend(highlight, base, 0.25),
        }

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty_rows:
            self._apply_dirty_rows()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = self._colors()
        painter.fillRect(self.viewport().rect(), colors["base"])
        if not self._rows:
            painter.setPen(colors["muted"])
            painter.drawText(
                self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder_text,
            )
            return
        scroll = self.verticalScrollBar().value()
        height = self.viewport().height()
        painter.translate(0, -scroll)
        self._paint_headings(painter, colors)
        highlights = self._highlight_ranges()
        first = self.row_at_y(scroll)
        for index in range(first, len(self._rows)):
            row = self._rows[index]
            if row.top > scroll + height:
                break
            if index == self._current_row:
                painter.fillRect(
                    QRectF(self._columns(self._layout_width)[0] - 14, row.top, 3, row.height),
                    colors["accent"],
                )
            for cell in row.cells:
                self._paint_cell(painter, row, index, cell, colors, highlights)
        painter.end()

    def _paint_headings(self, painter: QPainter, colors: dict[str, QColor]) -> None:
        if not self._heading_height:
            return
        left, column, right = self._columns(self._layout_width)
        font = self._note_font()
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        painter.setFont(font)
        painter.setPen(colors["muted"])
        top = MARGIN * 0.8
        line = QFontMetricsF(font).height()
        for x, label in ((left, self._source_heading), (right, self._target_heading)):
            painter.drawText(QRectF(x, top, column, line * 1.4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)
            painter.fillRect(QRectF(x, top + line * 1.5, column, 1), colors["rule"])

    def _highlight_ranges(self) -> dict[tuple[int, Side], list[tuple[int, int, str]]]:
        ranges: dict[tuple[int, Side], list[tuple[int, int, str]]] = {}
        for ref, role in ((self._hover, "hover"), (self._pinned, "pinned")):
            pair = self.pair(ref)
            if ref is None or pair is None:
                continue
            for side in Side:
                ranges.setdefault((ref.row, side), []).append((*_span(pair, side), role))
        current = self.current_match()
        for match in self._matches:
            role = "find_current" if match == current else "find"
            ranges.setdefault((match.row, match.side), []).append((match.start, match.end, role))
        mark = self._search_mark
        for side, (row, start, end) in self.search_highlights().items():
            role = "find_current" if mark is not None and side is mark.side else "pinned"
            ranges.setdefault((row, side), []).append((start, end, role))
        return ranges

    def _paint_cell(
        self,
        painter: QPainter,
        row: _Row,
        index: int,
        cell: _Cell,
        colors: dict[str, QColor],
        highlights: dict[tuple[int, Side], list[tuple[int, int, str]]],
    ) -> None:
        top = row.top + cell.y
        if cell.editing:
            # A soft frame around the editor widget (which paints the text itself).
            frame = QRectF(cell.x - 7, top - 2, cell.width + 14, cell.text_height + 6)
            path = QPainterPath()
            path.addRoundedRect(frame, 4, 4)
            painter.fillPath(path, colors["editor"])
            painter.setPen(QPen(colors["editor_frame"], 1.2))
            painter.drawPath(path)
        elif cell.edited:
            # The reader's edit: a thin coloured margin (the tooltip says what it means).
            painter.fillRect(QRectF(cell.x - 10, top + 2, 2.5, cell.height - 4),
                             colors["edited"])
        elif cell.translation_style:
            painter.fillRect(QRectF(cell.x - 10, top + 2, 2, cell.height - 4),
                             colors["translation_bar"])
        if cell.kind is ParagraphKind.QUOTE and cell.layout is not None and not cell.editing:
            painter.fillRect(QRectF(cell.x + 2, top + 3, 2.5, cell.text_height - 6),
                             colors["rule"])
        if cell.editing:
            pass
        elif cell.placeholder_lines:
            self._paint_placeholder(painter, cell, top, colors)
        elif cell.layout is not None:
            side = Side.SOURCE if cell.shared else cell.side
            for start, end, role in highlights.get((index, side), []):
                path = QPainterPath()
                for rect in self._span_rects(index, side, start, end):
                    path.addRoundedRect(rect, 2, 2)
                # One path per span: overlapping line bands are filled once, not darker.
                painter.fillPath(path.simplified(), colors[role])
            if cell.kind in _MUTED_KINDS:
                color = colors["muted"]
            elif cell.translation_style:
                color = colors["translation"]
            else:
                color = colors["text"]
            painter.setPen(color)
            cell.layout.draw(painter, QPointF(cell.x, top))
        if cell.note:
            painter.setFont(self._note_font())
            painter.setPen(colors["failed"] if cell.failed
                           else colors["edited"] if cell.edited else colors["note"])
            metrics = QFontMetricsF(self._note_font())
            painter.drawText(
                QRectF(cell.x, top + cell.text_height + metrics.height() * 0.15, cell.width,
                       metrics.height() * 1.2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                metrics.elidedText(cell.note, Qt.TextElideMode.ElideRight, cell.width),
            )

    def _paint_placeholder(
        self, painter: QPainter, cell: _Cell, top: float, colors: dict[str, QColor]
    ) -> None:
        # One cached path per cell, filled in one call: while a worker runs Python
        # (language detection), every call into Qt can wait a GIL switch interval to come
        # back, so a screen of placeholders drawn bar by bar stalled the event loop.
        if cell.placeholder_path is None:
            line = cell.text_height / max(1, cell.placeholder_lines)
            bar = line * 0.42
            path = QPainterPath()
            for number in range(cell.placeholder_lines):
                last = number == cell.placeholder_lines - 1 and cell.placeholder_lines > 1
                width = cell.width * (0.62 if last else 0.97 - 0.05 * (number % 2))
                path.addRoundedRect(
                    QRectF(0, number * line + (line - bar) / 2, width, bar), bar / 2, bar / 2
                )
            cell.placeholder_path = path
        painter.fillPath(cell.placeholder_path.translated(cell.x, top), colors["placeholder"])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._layout_width:
            self._relayout(keep_position=True)
        else:
            self._update_scrollbar()

    def sizeHint(self) -> QSize:
        return QSize(900, 700)


def _span(pair: SentencePair, side: Side) -> tuple[int, int]:
    if side is Side.SOURCE:
        return pair.source_start, pair.source_end
    return pair.target_start, pair.target_end


def _passthrough_note(translation: ParagraphTranslation | None) -> str:
    if translation is None:
        return ""
    if is_untranslatable(translation.source):
        return "= kept as is (nothing to translate)"
    return f"= kept as is (already {translation.source_language})"
