"""Editing a translation in place, in a reading view built alone: the editor over the cell,
the row following what is typed, saving and cancelling through the view's signals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui.reading_view import Layout, Side
from tests.ui.reading_view.conftest import Translated, ViewFactory, synthetic_article


def _editable_row(view) -> int:  # type: ignore[no-untyped-def]
    return next(row for row in range(1, view.row_count()) if view.can_edit(row))


def test_the_editor_covers_the_translation_and_saves_with_ctrl_enter(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    view.activateWindow()
    row = _editable_row(view)
    view.go_to_paragraph(row)
    machine = view.translation(row).translation
    cell = view.cell_rect(row, Side.TARGET)
    with qtbot.waitSignal(view.editStarted) as started:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                          pos=view.point_for(row, Side.TARGET, 2))
    assert started.args == [row] and view.editing_row() == row
    editor = view.editor()
    assert editor is not None and editor.isVisible() and editor.toPlainText() == machine
    geometry = editor.geometry()
    scroll = view.verticalScrollBar().value()
    assert geometry.x() == round(cell.x()) and geometry.width() == round(cell.width())
    assert abs(geometry.y() + scroll - cell.y()) < 12
    kind = view.article().paragraphs[row].kind
    assert editor.font().pointSizeF() == view.text_font(kind).pointSizeF()

    # Four more lines: the row grows, the next row moves down, never under the editor.
    below = view.cell_rect(row + 1, Side.SOURCE).top()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " More words of mine." * 30)
    qtbot.waitUntil(lambda: view.cell_rect(row + 1, Side.SOURCE).top() > below)
    assert view.cell_rect(row + 1, Side.SOURCE).top() >= \
        editor.geometry().bottom() + view.verticalScrollBar().value() - 1
    with qtbot.waitSignal(view.editCommitted) as committed:
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert committed.args[0] == row and committed.args[1].endswith("More words of mine.")
    assert view.editor() is None and view.editing_row() == -1
    # The view stores nothing: the window saves the edit and sends the new translation.
    assert view.translation(row).translation == machine


def test_escape_cancels_and_focus_leaving_saves(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    row = _editable_row(view)
    assert view.edit_row(row)
    editor = view.editor()
    with qtbot.waitSignal(view.editCancelled) as cancelled:
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert cancelled.args == [row] and view.editor() is None

    # A click elsewhere in the window (another widget taking the focus) saves.
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    other = QLineEdit(view)
    other.show()
    assert view.edit_row(row)
    qtbot.waitUntil(lambda: view.editor() is not None and view.editor().hasFocus())
    with qtbot.waitSignal(view.editCommitted):
        other.setFocus(Qt.FocusReason.MouseFocusReason)
    assert view.editor() is None


def test_what_cannot_be_edited_is_not_opened(
    make_view: ViewFactory, translated_seed: Translated
) -> None:
    article, translations = translated_seed
    kept = article.paragraphs[2]  # as if already in English: kept as is
    translations[2] = ParagraphTranslation(2, kept.text, kept.text, kept.kind,
                                           ParagraphStatus.PASSTHROUGH, "en")
    view = make_view(article, translations)
    assert not view.can_edit(2) and not view.edit_row(2) and view.editor() is None
    untranslated = make_view(article)
    assert not untranslated.edit_row(1)
    view.set_layout_mode(Layout.TRANSLATION_ONLY)
    view.set_peek_original(True)
    assert not view.edit_row(_editable_row_in(translations))


def _editable_row_in(translations) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, t in enumerate(translations)
                if i and t.status is not ParagraphStatus.PASSTHROUGH)


def test_changing_the_layout_saves_the_open_edit(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    row = _editable_row(view)
    assert view.edit_row(row)
    with qtbot.waitSignal(view.editCommitted) as committed:
        view.set_layout_mode(Layout.INTERLEAVED)
    assert committed.args[0] == row and view.editor() is None


def test_a_new_article_drops_the_edit_without_saving(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    assert view.edit_row(_editable_row(view))
    with qtbot.assertNotEmitted(view.editCommitted), qtbot.assertNotEmitted(view.editCancelled):
        view.set_article(synthetic_article(10))
    assert view.editor() is None and view.editing_row() == -1
