"""What the mouse and the keys do in the reading view: hover sentences and words, click
sentences, Ctrl+click a translated word for its alternatives, double-click to edit, the
context menu, Ctrl+C, Space, Home, End, Esc, Enter. Talks to the view through its
public methods only (the view forwards its Qt event handlers here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent

from reader.ui.reading_view.menu import exec_row_menu
from reader.ui.reading_view.types import Side

if TYPE_CHECKING:
    from reader.ui.reading_view.view import ReadingView


class ReadingInput:
    def __init__(self, view: ReadingView) -> None:
        self._view = view

    def mouse_move(self, event: QMouseEvent) -> None:
        view = self._view
        hit = view.hit(event.position())
        view.set_hovered_pair(view.pair_at(hit))
        view.set_hovered_word(hit)
        # Hover tracking is ours: accepted, so the move does not travel on to a parent (alone,
        # the view has none, and Qt warns about an event nobody took).
        event.accept()

    def mouse_press(self, event: QMouseEvent) -> bool:
        """A left click pins the sentence pair under it (or unpins) and makes its paragraph
        the current one. False: not ours (another button)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        view = self._view
        view.setFocus(Qt.FocusReason.MouseFocusReason)
        hit = view.hit(event.position())
        if (event.modifiers() & Qt.KeyboardModifier.ControlModifier and hit is not None
                and hit.side is Side.TARGET and view.word_at(hit)):
            view.request_alternatives(hit, "word", event.globalPosition().toPoint())
            return True
        ref = view.pair_at(hit)
        if ref is None or ref == view.pinned_pair():
            view.pin_pair(None)
        else:
            # Reveal the counterpart: the side the reader did not click.
            view.pin_pair(ref, reveal_side=hit.side.other if hit is not None else Side.SOURCE)
        row = view.row_at_y(event.position().y() + view.verticalScrollBar().value())
        if row >= 0:
            view.set_current_paragraph(row)
        return True

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        """A double click on a translation edits it in place (False: nothing to edit)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        row = self._view.target_row_at(event.position())
        return row >= 0 and self._view.edit_row(row)

    def key_press(self, event: QKeyEvent) -> bool:
        """Carry out a reading key; False when the key is not one (the view passes it on)."""
        view = self._view
        bar = view.verticalScrollBar()
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Copy):
            text = view.copy_text()
            if text:
                QGuiApplication.clipboard().setText(text)
        elif key == Qt.Key.Key_Space:
            step = -bar.pageStep() if event.modifiers() else bar.pageStep()
            bar.setValue(bar.value() + step)
        elif key == Qt.Key.Key_Home:
            bar.setValue(0)
        elif key == Qt.Key.Key_End:
            view.go_to_end()
        elif key == Qt.Key.Key_Escape and view.pinned_pair() is not None:
            view.pin_pair(None)
        elif key == Qt.Key.Key_Escape and view.search_hit() is not None:
            view.clear_search_hit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            return view.edit_row(view.focus_row())
        else:
            return False
        return True

    def context_menu(self, event: QContextMenuEvent) -> None:
        view = self._view
        article = view.article()
        index = view.row_at_y(event.pos().y() + view.verticalScrollBar().value())
        if article is None or index < 0:
            return
        hit = view.hit(event.pos())
        on_sentence = hit is not None and hit.row == index and view.pair_at(hit) is not None
        word = view.word_at(hit) if on_sentence and hit.side is Side.TARGET else ""
        original = view.word_at(hit) if on_sentence and hit.side is Side.SOURCE else ""
        action = exec_row_menu(
            view, event.globalPos(), article.paragraphs[index].text, view.translation(index),
            can_edit=view.can_edit(index), show_translation=view.showing_translation(),
            on_sentence=on_sentence, word=word, source_word=original,
        )
        if action in ("glossary-translate", "glossary-keep"):
            view.glossaryRequested.emit(original, action == "glossary-keep")
        elif action in ("sentence-alternatives", "word-alternatives") and hit is not None:
            view.request_alternatives(hit, action.split("-")[0], event.globalPos())
        elif action == "edit-here":
            view.edit_row(index)
        elif action is not None:
            view.rowActionRequested.emit(action, index)
