"""Editing a translation in place: the editor widget laid over a translation cell, and the
session that opens, places and closes it.

Nothing is stored here: a finished edit comes out as a signal, and the window saves it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QScrollBar, QTextEdit, QWidget

from reader.core.articles.article import ParagraphKind
from reader.core.translation.results import ParagraphStatus
from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.painting import reading_colors
from reader.ui.reading_view.row_layout import QUOTE_INDENT
from reader.ui.reading_view.scroller import Scroller
from reader.ui.reading_view.types import Layout, Side


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

    def finished(self) -> bool:
        return self._finished

    def finish(self, commit: bool) -> None:
        if self._finished:
            return
        self._finished = True
        if commit:
            self.committed.emit(self.toPlainText())
        else:
            self.cancelled.emit()

    def discard(self) -> None:
        """Close without a signal (the article went away under it)."""
        self._finished = True  # a focus-out while hiding must not save it again
        self.hide()
        self.deleteLater()

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


class EditSession(QObject):
    """At most one open in-place edit over a translation cell of a document's rows.

    The document lays the row out around the editor (``DocumentLayout.set_editing``: the
    cell grows and shrinks with what is typed); the scroller keeps the reading position.

    Signals: ``finished(row: int, text: str)`` (saved), ``cancelled(row: int)``.
    """

    finished = Signal(int, str)
    cancelled = Signal(int)

    def __init__(
        self, viewport: QWidget, doc: DocumentLayout, scroller: Scroller, bar: QScrollBar
    ) -> None:
        super().__init__(viewport)
        self._viewport = viewport
        self._doc = doc
        self._scroller = scroller
        self._bar = bar
        self._editor: InlineEditor | None = None
        self._row = -1
        self._leading = 0.0
        self._height = 0.0  # the editor's content height the row was laid out for
        self.had_focus = False  # the reader was typing in the editor that just closed

    def editor(self) -> InlineEditor | None:
        return self._editor

    def row(self) -> int:
        return self._row if self._editor is not None else -1

    def open(self, row: int, colors: dict[str, QColor]) -> InlineEditor | None:
        """An editor over ``row``'s translation cell (None when the row shows none)."""
        translation = self._doc.translation(row)
        cell = self._scroller.row(row).cell(Side.TARGET)
        if translation is None or cell is None or cell.shared:
            return None
        self.discard()
        kind = cell.kind
        typography = self._doc.typography
        editor = InlineEditor(self._viewport)
        editor.setFont(typography.font(kind))
        palette = editor.palette()
        palette.setColor(QPalette.ColorRole.Base, colors["editor"])
        palette.setColor(QPalette.ColorRole.Text, colors["text"])
        editor.setPalette(palette)
        editor.setGeometry(QRectF(cell.x, 0, cell.width, cell.text_height).toRect())
        self._leading = typography.leading(kind)
        editor.set_text(translation.translation, self._leading,
                        QUOTE_INDENT if kind is ParagraphKind.QUOTE else 0)
        editor.committed.connect(lambda value, e=editor: self._done(e, value))
        editor.cancelled.connect(lambda e=editor: self._done(e, None))
        editor.document().documentLayout().documentSizeChanged.connect(
            lambda size, e=editor: self._on_size(e, size)
        )
        editor.show()  # (a shown editor has its real width: the text wraps as it will)
        self._editor, self._row = editor, row
        self._height = editor.content_height()
        self._doc.set_editing(row, self._height)
        self._scroller.row(row)
        self.place()
        return editor

    def commit(self) -> None:
        if self._editor is not None:
            self._editor.finish(True)

    def cancel(self) -> None:
        if self._editor is not None:
            self._editor.finish(False)

    def discard(self) -> None:
        """Close the editor without saving or signalling."""
        editor, row, self._editor, self._row = self._editor, self._row, None, -1
        if editor is not None:
            editor.discard()
            self._doc.set_editing(None)
            if 0 <= row < len(self._doc):
                self._scroller.row(row)

    def place(self) -> None:
        """Lay the editor over its cell where the cell is now on screen."""
        row = self.row()
        if self._editor is None or not 0 <= row < len(self._doc):
            return
        cell = self._doc.row(row).cell(Side.TARGET)
        if cell is None or not cell.editing:
            self._editor.hide()
            return
        top = self._doc.top(row) + cell.y + self._leading * 0.5 - self._bar.value()
        height = max(self._height, cell.text_height - self._leading * 0.5)
        self._editor.setGeometry(round(cell.x), round(top), round(cell.width), round(height) + 2)
        self._editor.show()

    def _done(self, editor: InlineEditor, text: str | None) -> None:
        if editor is not self._editor:
            return
        row = self._row
        self.had_focus = editor.hasFocus()
        self.discard()
        if text is None:
            self.cancelled.emit(row)
        else:
            self.finished.emit(row, text)

    def _on_size(self, editor: InlineEditor, size: QSizeF) -> None:
        if editor is self._editor and abs(size.height() - self._height) > 0.5:
            self._height = size.height()
            self._doc.set_editing(self._row, self._height)
            self._scroller.row(self._row)
            self.place()
            self._viewport.update()


class InPlaceEditing:
    """The reading view's in-place editing: which rows can be edited, opening the editor over
    a translation, committing or cancelling it.

    A part of :class:`~reader.ui.reading_view.view.ReadingView` (mixed into it): it uses the
    view's document layout, highlights, scroller, editor session and signals."""

    def can_edit(self, row: int) -> bool:
        """A translation is on screen for that row and it is not a passthrough."""
        options = self._doc.options
        if not 0 <= row < len(self._doc) or not options.show_translation:
            return False
        if options.mode is Layout.TRANSLATION_ONLY and options.peek_original:
            return False
        translation = self._doc.translation(row)
        return translation is not None and translation.status is not ParagraphStatus.PASSTHROUGH

    def edit_row(self, row: int) -> bool:
        """Open the in-place editor over ``row``'s translation. False when not editable."""
        editor = self._edit.editor()
        if editor is not None and self._edit.row() == row:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if not self.can_edit(row):
            return False
        self.commit_edit()
        self.flush()
        editor = self._edit.open(row, reading_colors(self.palette()))
        if editor is None:
            return False
        self._highlights.hover = self._highlights.pinned = None
        self._current_row = row
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        rect = self.cell_rect(row, Side.TARGET)
        if rect is not None:
            self._scroller.reveal(row, rect)
        self.editStarted.emit(row)
        self.viewport().update()
        return True

    def editor(self) -> InlineEditor | None:
        return self._edit.editor()

    def editing_row(self) -> int:
        return self._edit.row()

    def commit_edit(self) -> None:
        """Save the open in-place edit (if any): ``editCommitted`` is emitted."""
        self._edit.commit()

    def cancel_edit(self) -> None:
        self._edit.cancel()

    def _on_edit_finished(self, row: int, text: str | None) -> None:
        if self._edit.had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.viewport().update()
        if text is None:
            self.editCancelled.emit(row)
        else:
            self.editCommitted.emit(row, text)
