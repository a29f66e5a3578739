"""Editing a translation in place: the editor widget laid over a translation cell, and the
session that opens, places and closes it.

The view decides *where* (a cell's rectangle) and stores nothing: a finished edit comes out
as a signal, and the window saves it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QWidget


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
    """At most one open in-place edit over a parent widget (the view's viewport).

    Signals: ``finished(row: int, text: str)`` (saved), ``cancelled(row: int)``,
    ``resized(row: int, height: float)``: what is typed made the text taller or shorter.
    """

    finished = Signal(int, str)
    cancelled = Signal(int)
    resized = Signal(int, float)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._editor: InlineEditor | None = None
        self._row = -1
        self.leading = 0.0
        self.height = 0.0  # the editor's content height the row was laid out for
        self.had_focus = False

    def editor(self) -> InlineEditor | None:
        return self._editor

    def row(self) -> int:
        return self._row if self._editor is not None else -1

    def open(
        self, row: int, text: str, font: QFont, colors: dict[str, QColor], rect: QRectF,
        leading: float, indent: float,
    ) -> InlineEditor:
        """An editor over ``rect`` (viewport coordinates) holding ``text``."""
        self.discard()
        editor = InlineEditor(self._parent)
        editor.setFont(font)
        palette = editor.palette()
        palette.setColor(QPalette.ColorRole.Base, colors["editor"])
        palette.setColor(QPalette.ColorRole.Text, colors["text"])
        editor.setPalette(palette)
        editor.setGeometry(rect.toRect())
        editor.set_text(text, leading, indent)
        editor.committed.connect(lambda value, e=editor: self._done(e, value))
        editor.cancelled.connect(lambda e=editor: self._done(e, None))
        editor.document().documentLayout().documentSizeChanged.connect(
            lambda size, e=editor: self._on_size(e, size)
        )
        editor.show()  # (a shown editor has its real width: the text wraps as it will)
        self._editor, self._row, self.leading = editor, row, leading
        self.height = editor.content_height()
        return editor

    def commit(self) -> None:
        if self._editor is not None:
            self._editor.finish(True)

    def cancel(self) -> None:
        if self._editor is not None:
            self._editor.finish(False)

    def discard(self) -> None:
        """Close the editor without saving or signalling."""
        editor, self._editor, self._row = self._editor, None, -1
        if editor is not None:
            editor.discard()

    def place(self, rect: QRectF | None) -> None:
        """Lay the editor over ``rect`` (viewport coordinates), or hide it (None)."""
        if self._editor is None:
            return
        if rect is None:
            self._editor.hide()
            return
        self._editor.setGeometry(rect.toRect())
        self._editor.show()

    def _done(self, editor: InlineEditor, text: str | None) -> None:
        if editor is not self._editor:
            return
        row = self._row
        # Whether the reader was typing in it: then the view takes the focus back.
        self.had_focus = editor.hasFocus()
        self.discard()
        if text is None:
            self.cancelled.emit(row)
        else:
            self.finished.emit(row, text)

    def _on_size(self, editor: InlineEditor, size: QSizeF) -> None:
        if editor is self._editor and abs(size.height() - self.height) > 0.5:
            self.height = size.height()
            self.resized.emit(self._row, self.height)
