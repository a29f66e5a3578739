"""The reading surface: a scroll area that paints a ``DocumentLayout`` and routes the mouse
and keyboard to its parts: the scroller (reading position, rows laid out around the screen),
highlights, find, the in-place editor, the row menu.

Only the rows on screen, plus half a screen above and below, are ever laid out (see
``scroller`` and ``document_layout``), so an article of any length opens and scrolls at the
cost of one screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.translation.results import ParagraphTranslation
from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.editor import EditSession, InPlaceEditing
from reader.ui.reading_view.geometry import ViewGeometry
from reader.ui.reading_view.highlight import HighlightState
from reader.ui.reading_view.interaction import ReadingInput
from reader.ui.reading_view.painting import paint_document, reading_colors, warm_up
from reader.ui.reading_view.pointing import Pointing
from reader.ui.reading_view.row_layout import MARGIN, LayoutOptions, side_by_side_min_width
from reader.ui.reading_view.scroller import Navigation, Scroller
from reader.ui.reading_view.search_marks import SearchMarks
from reader.ui.reading_view.types import (
    EDITED_TOOLTIP,
    Layout,
    Match,
    Pending,
    Side,
)


class ReadingView(Navigation, InPlaceEditing, Pointing, QAbstractScrollArea):
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
      last paragraph (once per article shown);
    - ``narrowChanged(narrow: bool)``: side by side was chosen but the view is too narrow
      for two columns of ``MIN_COLUMN_CHARS``: it shows interleaved until it is wider;
    - ``wordLinksWanted(row: int)``: the mouse is over a row whose word links are not known
      (the window reads or makes them and calls ``set_word_links``);
    - ``alternativesRequested(row, kind, side, offset, where: QPoint)``: the reader asked for
      the alternatives of a sentence (``kind`` "sentence") or of a translated word ("word")
      at ``offset`` of ``side``'s text ("source" / "target"); ``where`` is global.
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
    narrowChanged = Signal(bool)
    wordLinksWanted = Signal(int)
    alternativesRequested = Signal(int, str, str, int, QPoint)
    # An original's word from the context menu: (word, keep) — "Keep this word" (True) or
    # "Always translate as…" (False); the window's glossary takes it.
    glossaryRequested = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a scroll bar that comes and goes changes the column width, and
        # every row on screen is laid out again (opening a long article after a short one,
        # or a translation arriving that makes the text overflow), and the text jumps.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)

        self._article: Article | None = None
        self._after_paint: list[Callable[[], object]] = []
        options = LayoutOptions(family=QFont().family(), note_family=self.font().family())
        self._doc = DocumentLayout(options, self.viewport().width())
        self._chosen_mode = options.mode  # what the reader chose; a narrow view may differ
        self._narrow = False
        self._highlights = HighlightState(self.translation)
        self._current_row = -1
        self._placeholder_text = "Open an article from the library."
        self._source_heading = ""
        self._target_heading = ""
        self._end_reported = False
        self._scroller = Scroller(
            self._doc, self.verticalScrollBar(), lambda: self.viewport().height(),
            lambda: (self.editing_row(), self._marks.hit_row()), self,
        )
        self._marks = SearchMarks(self._doc, self._highlights, self._scroller,
                                  self.span_rects, self.row_rect,
                                  lambda: self.top_position()[0], self)
        self._marks.findChanged.connect(self.findChanged)
        self._marks.changed.connect(self.viewport().update)
        bar = self.verticalScrollBar()
        self._input = ReadingInput(self)
        self._geometry = ViewGeometry(self._doc, self._scroller, bar)
        self._edit = EditSession(self.viewport(), self._doc, self._scroller, bar)
        self._edit.finished.connect(self._on_edit_finished)
        self._edit.cancelled.connect(lambda row: self._on_edit_finished(row, None))
        self._scroller.anchored.connect(self._edit.place)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        # "The end has been on screen" is judged once layout and scrolling have settled.
        self._end_timer = QTimer(self)
        self._end_timer.setSingleShot(True)
        self._end_timer.setInterval(0)
        self._end_timer.timeout.connect(self._check_end)
        self._scroller.anchored.connect(self._end_timer.start)

    # -- content ---------------------------------------------------------------------------

    def set_article(
        self, article: Article | None, position: tuple[int, float] | None = None
    ) -> None:
        """Show ``article`` from its start, or at ``position`` (a :meth:`top_position`):
        the rows on screen are laid out once, where the reader will be (a book's first
        screen laid out and then its restored one costs a settle too many)."""
        self._edit.discard()
        self._article = article
        if article is None:
            self._doc.set_rows(())
        else:
            self._doc.set_rows(article.paragraphs, article.text_offsets)
        self._highlights.clear()
        self._current_row = -1
        self._end_reported = False
        query = self._marks.new_document()  # the find bar stays open across articles
        if position is not None:
            self._scroller.restore_position(*position)
        else:
            self._scroller.to_start()
        self.viewport().update()
        if query:
            self.find(query)

    def article(self) -> Article | None:
        return self._article

    def warm_up(self) -> None:
        """Load the rows' fonts and glyphs now (the window calls it while the library is
        read, so the first article opened does not pay for them)."""
        warm_up(self._doc.typography)

    def call_after_paint(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the view has next been painted (at once when it is not
        shown: nothing will paint it). The window starts work that competes with the GUI
        thread for the GIL only once the reader sees the text."""
        if self.isVisible():
            self._after_paint.append(callback)
        else:
            callback()

    def set_message(self, text: str) -> None:
        """What the empty view says (no article, or why it cannot show one)."""
        self._placeholder_text = text
        self.viewport().update()

    def set_translation(self, translation: ParagraphTranslation) -> bool:
        """Show ``translation`` in its row; False (and nothing changes) when it is not the
        translation of that row's paragraph: a stale result can never land here."""
        return self.add_translations([translation]) == 1

    def set_translations(
        self, translations: Sequence[ParagraphTranslation | None],
        rows_of: Sequence[Paragraph] | None = None,
    ) -> int:
        """Show many translations at once, one per row (``None`` leaves a row as it is);
        returns how many were shown. A whole article's cached translations arrive this way:
        one pass, not one :meth:`set_translation` (and one update) per paragraph.

        ``rows_of``: the paragraphs they were made from. When they are the very paragraphs
        on screen, nothing is checked row by row; otherwise each must be the translation of
        its row's paragraph, as in :meth:`set_translation`, or it is left out."""
        shown = self._doc.set_translations(translations, rows_of)
        if shown:
            self._highlights.hover = self._highlights.pinned = None
            self._marks.translations_replaced()
            self.viewport().update()
        return shown

    def add_translations(self, batch: Sequence[ParagraphTranslation]) -> int:
        """Show each translation of ``batch`` in its row, as :meth:`set_translation` would
        (a stale one is left out), with one update for all; returns how many were shown.
        Rows are laid out again when painted (or flushed): many together cost one pass."""
        shown = self._doc.add_translations(batch)
        for row in shown:
            self._highlights.forget_row(row)
        self._marks.rows_changed(shown)
        if shown:
            self.viewport().update()
        return len(shown)

    def clear_translations(self) -> None:
        self._edit.discard()
        self._doc.set_editing(None)
        self._highlights.hover = self._highlights.pinned = None
        if self._doc.clear_translations():  # else none was shown: no height changed
            self._scroller.settle()
        self.viewport().update()

    def translation(self, row: int) -> ParagraphTranslation | None:
        return self._doc.translation(row) if 0 <= row < len(self._doc) else None

    def translations(self) -> list[ParagraphTranslation | None]:
        return self._doc.translations()

    def row_count(self) -> int:
        return len(self._doc)

    def layout_stats(self) -> dict[str, int]:
        """How much layout work was done: rows laid out since creation, rows kept laid out
        (tests check that a long document lays out a bounded number; the bench reports it)."""
        return {"rows_laid_out": self._doc.rows_laid_out, "cached_rows": self._doc.cached_rows()}

    def document_layout(self) -> DocumentLayout:
        """The document as laid out: its rows and their cells, columns and typography (to
        read: tests and tooling check what is on screen)."""
        return self._doc

    # -- presentation ----------------------------------------------------------------------

    def _configure(self, **changes: object) -> None:
        """New layout options or width, the reading position kept."""
        row, fraction = self.top_position()
        at_end = self._scroller.at_end()
        options = self._doc.options.with_(**changes)
        if self._doc.configure(options, self.viewport().width()) and len(self._doc):
            if at_end:
                self._scroller.to_end()
            else:
                self._scroller.restore_position(row, fraction)
        self.viewport().update()

    def set_layout_mode(self, mode: Layout | str) -> None:
        self._chosen_mode = Layout(mode)
        self._fit_mode()

    def _fit_mode(self) -> None:
        """Show the chosen layout, or interleaved while side by side does not fit."""
        # (Judged once shown: a view not yet on screen has no real width.)
        narrow = (self._chosen_mode is Layout.SIDE_BY_SIDE and self.isVisible()
                  and self.viewport().width() < side_by_side_min_width(self._doc.typography))
        mode = Layout.INTERLEAVED if narrow else self._chosen_mode
        if mode != self._doc.options.mode:
            self.commit_edit()
        self._configure(mode=mode)
        if narrow != self._narrow:
            self._narrow = narrow
            self.narrowChanged.emit(narrow)

    def layout_mode(self) -> Layout:
        """The layout shown (interleaved while side by side does not fit)."""
        return self._doc.options.mode

    def chosen_layout(self) -> Layout:
        return self._chosen_mode

    def narrowed(self) -> bool:
        """Side by side was chosen, but the view is too narrow: interleaved is shown."""
        return self._narrow

    def side_by_side_min_width(self) -> float:
        return side_by_side_min_width(self._doc.typography)

    def set_show_translation(self, show: bool) -> None:
        if show != self._doc.options.show_translation:
            self.commit_edit()
            self._configure(show_translation=show)

    def set_peek_original(self, peek: bool) -> None:
        if peek != self._doc.options.peek_original:
            if peek:
                self.commit_edit()
            self._configure(peek_original=peek)

    def showing_translation(self) -> bool:
        return self._doc.options.show_translation

    def peeking_original(self) -> bool:
        return self._doc.options.peek_original

    def set_pending_style(self, pending: Pending) -> None:
        self._configure(pending=pending)

    def pending_style(self) -> Pending:
        return self._doc.options.pending

    def set_text_font(self, family: str, size: int) -> None:
        self._configure(family=family, size=size)
        self._fit_mode()  # a bigger font needs a wider view for two columns

    def text_font(self, kind: ParagraphKind = ParagraphKind.BODY) -> QFont:
        return self._doc.typography.font(kind)

    def set_headings(self, source: str, target: str) -> None:
        # Only painted: the heading band's height depends on the layout, not its words.
        self._source_heading, self._target_heading = source, target
        self.viewport().update()

    def headings(self) -> tuple[str, str]:
        return self._source_heading, self._target_heading

    # -- geometry (content coordinates) ----------------------------------------------------

    def flush(self) -> None:
        """Lay out what is on screen now (tests and geometry queries want current numbers)."""
        self._scroller.settle()

    def cell_rect(self, row: int, side: Side) -> QRectF | None:
        """The rectangle of a row's cell in content coordinates (None when not shown)."""
        self.flush()
        return self._geometry.cell_rect(row, side)

    def row_rect(self, row: int) -> QRectF:
        self.flush()
        return self._geometry.row_rect(row, self.viewport().width())

    def row_at_y(self, y: float) -> int:
        """The row at content ``y`` (the nearest one above it between rows; -1 if none)."""
        return self._doc.row_at(y)

    def span_rects(self, row: int, side: Side, start: int, end: int) -> list[QRectF]:
        """Content rectangles covering characters [start, end) of a row's ``side``."""
        return self._geometry.span_rects(row, side, start, end)

    # -- library search hits and find (the search marks part) ---------------------------------

    def show_search_hit(
        self, row: int, side: Side, start: int, end: int, query: str = ""
    ) -> bool:
        """Scroll to a library search hit and highlight it; on the other side, the aligned
        sentence. With ``query``, the span is checked against the text on screen (a cached
        translation found by search may differ from the one shown) and moved to the
        nearest match there. False when the row does not exist."""
        if not 0 <= row < len(self._doc):
            return False
        self.flush()
        self._marks.show_hit(row, side, start, end, query)
        self._current_row = row
        self.currentParagraphChanged.emit(row)
        return True

    def clear_search_hit(self) -> None:
        self._marks.clear_hit()

    def search_hit(self) -> Match | None:
        return self._marks.hit()

    def search_highlights(self) -> dict[Side, tuple[int, int, int]]:
        """What the search hit lights up: side → (row, start, end), counterpart included."""
        return self._highlights.search_highlights()

    def find(self, text: str) -> int:
        """Highlight every match of ``text`` on both sides, as library search matches (case
        and accents ignored); go to the first one at or after the view's top. Returns the
        number of matches found so far (a long article is searched on from the event loop,
        ``findChanged`` telling the count)."""
        return self._marks.find(text)

    def find_next(self, backward: bool = False) -> None:
        self._marks.finder.step(backward)

    def clear_find(self) -> None:
        self._marks.clear_find()

    def matches(self) -> list[Match]:
        return self._marks.finder.matches()

    def finding(self) -> bool:
        """A long article is still being searched (``findChanged`` tells the count)."""
        return self._marks.finder.scanning()

    def current_match(self) -> Match | None:
        return self._marks.finder.current()

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self._scroller.settle()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = reading_colors(self.palette())
        painter.fillRect(self.viewport().rect(), colors["base"])
        doc = self._doc
        if not len(doc):
            painter.setPen(colors["muted"])
            painter.drawText(
                self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder_text,
            )
            self._painted()
            return
        paint_document(
            painter, doc, self.verticalScrollBar().value(), self.viewport().height(), colors,
            (self._source_heading, self._target_heading), self._current_row,
            self._marks.ranges,
        )
        painter.end()
        self._painted()

    def _painted(self) -> None:
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            callback()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._doc.width:
            self._fit_mode()
        else:
            self._scroller.settle()

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    # -- tooltips ------------------------------------------------------------------------------

    def tooltip_at(self, point: QPoint | QPointF) -> str:
        """The tooltip for a viewport point: an edited translation explains its mark."""
        self.flush()
        found = self._geometry.translation_cell_at(point, left_margin=14)
        return EDITED_TOOLTIP if found is not None and found[1].edited else ""

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

    # Qt's event handlers: the input part decides what each does.

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._input.mouse_move(event)

    def leaveEvent(self, event: object) -> None:
        self.set_hovered_pair(None)
        self.set_hovered_word(None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._input.mouse_press(event):
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # The press was a click on the text (pin, current paragraph): its release is ours.
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self._input.mouse_double_click(event):
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._input.key_press(event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._input.context_menu(event)
