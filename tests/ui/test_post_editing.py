"""Post-editing in the window: in place, marked, kept, reverted, carried to repeats, cleared.

Synthetic models translate to gibberish: these tests check structure, never wording.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip

from reader.core.presentation.row_display import UNSAVED_NOTE
from reader.core.translation.cache import CacheEntry
from reader.core.translation.results import ParagraphStatus
from reader.ui.reading_view import EDITED_TOOLTIP, Layout, Side
from reader.ui.window.actions import ActionId
from tests.data.sqlite_lock import locked
from tests.ui.conftest import wait_translated

QUOTE = "Ces jours-ci, l’armée russe montre son meilleur"


def _translated_rows(view) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        row for row in range(view.row_count())
        if view.translation(row) is not None
        and view.translation(row).status in (ParagraphStatus.CACHED, ParagraphStatus.TRANSLATED)
        and view.translation(row).sentences
    ]


def _show(view, row: int) -> None:  # type: ignore[no-untyped-def]
    view.go_to_paragraph(row)
    view.flush()


def test_double_click_edits_in_place_and_the_edit_survives_a_restart(
    make_window, qtbot, install_fr_en
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.pane.view
    row, other, third = _translated_rows(view)[1:4]
    _show(view, row)
    machine = view.translation(row).translation
    cell = view.cell_rect(row, Side.TARGET)

    with qtbot.waitSignal(view.editStarted) as started:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                          pos=view.point_for(row, Side.TARGET, 2))
    assert started.args == [row]
    editor = view.editor()
    assert editor is not None and editor.isVisible()
    assert QApplication.focusWidget() is editor
    # Over the translation cell, as wide, in the same font.
    geometry = editor.geometry()
    scroll = view.verticalScrollBar().value()
    assert geometry.x() == round(cell.x()) and geometry.width() == round(cell.width())
    assert abs(geometry.y() + scroll - cell.y()) < 12
    kind = view.article().paragraphs[row].kind
    assert editor.font().family() == view.text_font(kind).family()
    assert editor.font().pointSizeF() == view.text_font(kind).pointSizeF()
    assert editor.toPlainText() == machine

    # Letters that are shortcuts in the window (J, K, O) are just text here.
    editor.selectAll()
    qtbot.keyClicks(editor, "Ok, just keep going")
    assert view.current_paragraph() == row and not view.peeking_original()
    # The row grows or shrinks with the text: the next row never hides under the editor.
    qtbot.waitUntil(lambda: view.cell_rect(row + 1, Side.SOURCE).top()
                    >= editor.geometry().bottom() + scroll - 1)
    with qtbot.waitSignal(window.editSaved) as saved:
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [row]
    assert view.editor() is None
    view.flush()
    edited = view.translation(row)
    assert edited.status is ParagraphStatus.EDITED
    assert edited.translation == "Ok, just keep going"
    assert edited.machine_translation == machine

    # Marked discreetly, and the mark explains itself.
    point = view.point_for(row, Side.TARGET, 1)
    assert view.tooltip_at(point) == EDITED_TOOLTIP
    assert view.tooltip_at(view.point_for(row, Side.SOURCE, 1)) == ""
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QHelpEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)),
    )
    qtbot.waitUntil(lambda: QToolTip.text() == EDITED_TOOLTIP)
    QToolTip.hideText()

    # Enter on the current paragraph edits it; Esc cancels.
    _show(view, other)
    view.setFocus()
    with qtbot.waitSignal(view.editStarted):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.editing_row() == other
    qtbot.keyClicks(view.editor(), " and more")
    with qtbot.waitSignal(view.editCancelled):
        qtbot.keyClick(view.editor(), Qt.Key.Key_Escape)
    view.flush()
    assert view.translation(other).status is not ParagraphStatus.EDITED

    # F2 edits it too; clicking elsewhere saves.
    _show(view, third)
    window.actions[ActionId.EDIT].trigger()
    assert view.editing_row() == third
    view.editor().selectAll()
    qtbot.keyClicks(view.editor(), "Clicked away")
    with qtbot.waitSignal(window.editSaved):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    view.flush()
    assert view.translation(third).translation == "Clicked away"

    # Interleaved: the editor sits on the indented translation block under the original.
    window.set_layout(Layout.INTERLEAVED)
    _show(view, other)
    assert view.edit_row(other)
    block = view.cell_rect(other, Side.TARGET)
    assert view.editor().geometry().x() == round(block.x())
    assert view.editor().geometry().width() == round(block.width())
    view.cancel_edit()
    window.set_layout(Layout.SIDE_BY_SIDE)
    window.close()

    again = make_window(wait=False)
    wait_translated(qtbot, again)
    shown = again.pane.view.translation(row)
    assert shown.status is ParagraphStatus.EDITED and shown.translation == "Ok, just keep going"
    assert again.pane.view.translation(third).translation == "Clicked away"


def test_retranslating_keeps_edits_and_replaces_the_machine_entry(
    make_window, qtbot, install_fr_en
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    edited, stale, untouched = _translated_rows(view)[1:4]
    with qtbot.waitSignal(window.editSaved):
        assert window.post_edits.save_edit(edited, "Mine.")
    view.flush()

    # Translate the edited paragraph again (Ctrl+Shift+R): the edit stays on screen.
    _show(view, edited)
    view.setFocus()
    with qtbot.waitSignal(window.translationFinished, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_R,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.translation(edited).status is ParagraphStatus.EDITED
    assert view.translation(edited).translation == "Mine."
    # Revert is one action (Ctrl+Shift+Backspace): the machine text is back, from the cache.
    with qtbot.waitSignal(window.post_edits.editReverted):
        qtbot.keyClick(view, Qt.Key.Key_Backspace,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view.flush()
    assert view.translation(edited).status is ParagraphStatus.CACHED

    # A stale machine entry for another paragraph: re-translation replaces it.
    article = view.article()
    paragraph = article.paragraphs[stale]
    route = window.engine.route("fr", "en").key
    window.cache.put_many([CacheEntry(route, window.engine.options.cache_key(), paragraph.hash,
                                      "fr", "en", paragraph.text, "STALE MACHINE TEXT", ())])
    with qtbot.waitSignal(window.translationFinished, timeout=5000):
        window.session.resume()
    assert view.translation(stale).translation == "STALE MACHINE TEXT"
    before = view.translation(untouched)
    _show(view, stale)
    with qtbot.waitSignal(window.translationFinished, timeout=10_000):
        window.actions[ActionId.RETRANSLATE].trigger()
    fresh = view.translation(stale)
    assert fresh.status is ParagraphStatus.TRANSLATED  # a model run, not the cache
    assert fresh.translation != "STALE MACHINE TEXT"
    assert view.translation(untouched) is before  # that paragraph only
    assert window.engine.peek(article, "en")[stale].translation == fresh.translation


def test_an_edit_offers_to_apply_itself_to_its_repeats(
    make_window, qtbot, install_fr_en, tmp_path: Path, seed_paths
):
    for path in seed_paths:
        if path.name.startswith(("001", "002")):
            shutil.copy(path, tmp_path / path.name)
    window = make_window([tmp_path], wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    first = view.article()
    assert first.path.name.startswith("001")
    long_row = next(p.index for p in first.paragraphs if QUOTE in p.text)
    window.select_row(1)
    wait_translated(qtbot, window)
    short_row = next(p.index for p in view.article().paragraphs if QUOTE in p.text)
    bar = window.pane.repeats_bar

    # Not now: nothing is stored elsewhere.
    with qtbot.waitSignal(window.repeatsFound, timeout=5000) as found:
        assert window.post_edits.save_edit(short_row, "First try.")
    assert found.args == [1]
    assert bar.isVisible() and "appears once more" in bar.text.text()
    qtbot.mouseClick(bar.later_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    assert window.engine.peek(first, "en")[long_row].status is ParagraphStatus.CACHED

    # Apply: the longer paragraph of the other article gets the edit in place of the quote.
    edit = "These days the Russian army shows its best side: its back. Running is wise."
    with qtbot.waitSignal(window.repeatsFound, timeout=5000):
        assert window.post_edits.save_edit(short_row, edit)
    assert bar.isVisible()
    with qtbot.waitSignal(window.repeatsApplied) as applied:
        qtbot.mouseClick(bar.apply_button, Qt.MouseButton.LeftButton)
    assert applied.args == [1] and not bar.isVisible()
    repeat = window.engine.peek(first, "en")[long_row]
    assert repeat.status is ParagraphStatus.EDITED
    assert repeat.translation.startswith(edit) and repeat.translation != edit

    window.select_row(0)
    wait_translated(qtbot, window)
    assert view.translation(long_row).translation == repeat.translation


def test_clearing_an_articles_translations_keeps_edits_unless_confirmed(
    make_window, qtbot, install_fr_en, monkeypatch
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    edited, other = _translated_rows(view)[1:3]
    with qtbot.waitSignal(window.editSaved):
        assert window.post_edits.save_edit(edited, "Mine.")

    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        window.actions[ActionId.CLEAR_ARTICLE].trigger()
    # The machine text was forgotten (translated again by the model); the edit was not.
    assert view.translation(other).status is ParagraphStatus.TRANSLATED
    assert view.translation(edited).status is ParagraphStatus.EDITED

    questions: list[str] = []

    def answer(button):  # type: ignore[no-untyped-def]
        def ask(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            questions.append(text)
            return button
        return ask

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    window.actions[ActionId.CLEAR_EDITS].trigger()
    assert questions and "1 edited paragraph" in questions[0]
    assert not window.view_job_ids()  # declined: nothing cleared, nothing re-translated
    assert view.translation(edited).status is ParagraphStatus.EDITED
    assert window.engine.peek(view.article(), "en")[other] is not None

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        window.actions[ActionId.CLEAR_EDITS].trigger()
    assert len(questions) == 2
    assert view.translation(edited).status is ParagraphStatus.TRANSLATED
    assert view.translation(edited).translation != "Mine."


def test_an_edit_made_while_another_process_locks_the_cache_is_kept_and_saved_later(
    make_window, qtbot, install_fr_en
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    first, second = _translated_rows(view)[1:3]
    window.cache.write_wait = 0.5
    database = window.cache.path
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    with locked(database, 2.5):
        began = time.monotonic()
        with qtbot.waitSignal(window.post_edits.editNotSaved, timeout=5000) as refused:
            assert window.post_edits.save_edit(first, "Mine, while locked.")
            # On screen at once, marked, while the write waits on its worker.
            shown = view.translation(first)
            assert shown.translation == "Mine, while locked." and shown.unsaved
        ended = time.monotonic()
        assert refused.args == [first]
        # The GUI thread kept turning while the write waited its 0.5 s bound.
        assert ended - began >= 0.5
        during = [began, *(t for t in ticks if began <= t <= ended), ended]
        assert len(during) >= 12
        assert max(b - a for a, b in itertools.pairwise(during)) < 0.3
        view.flush()
        shown = view.translation(first)
        assert (shown.status, shown.translation, shown.unsaved) == (
            ParagraphStatus.EDITED, "Mine, while locked.", True)
        # Marked on screen: the target cell's note (what is painted under the text).
        cells = view.document_layout().row(first).cells
        notes = [cell.note for cell in cells if cell.side is Side.TARGET]
        assert notes == [UNSAVED_NOTE]
        assert "not saved yet" in window.last_message
        assert "locked by another program" in window.last_message
        assert view.tooltip_at(view.point_for(first, Side.TARGET, 1)) == EDITED_TOOLTIP
        assert _stored(database) == {}
        # Clearing the article's translations under the lock: refused, and said so.
        machine = _machine_rows(database)
        assert machine > 0
        with qtbot.waitSignal(window.statusMessage, timeout=5000,
                              check_params_cb=lambda text: "not cleared" in text):
            window.actions[ActionId.CLEAR_ARTICLE].trigger()
        assert "locked by another program" in window.last_message
        assert _machine_rows(database) == machine

    # The lock ended: the window's retry stores it and says so.
    with qtbot.waitSignal(window.post_edits.unsavedWritten, timeout=10_000):
        pass
    assert window.last_message == "Your edits are saved now."
    view.flush()
    assert not view.translation(first).unsaved
    cells = view.document_layout().row(first).cells
    assert [c.note for c in cells if c.side is Side.TARGET] != [UNSAVED_NOTE]
    paragraph = view.article().paragraphs[first]
    assert _stored(database) == {paragraph.hash: "Mine, while locked."}

    # The next edit, in the same session, is written and reported saved at once.
    with qtbot.waitSignal(window.editSaved):
        assert window.post_edits.save_edit(second, "Mine, later.")
    assert window.last_message.endswith("your edit is saved.")
    assert _stored(database)[view.article().paragraphs[second].hash] == "Mine, later."
    timer.stop()


def _stored(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as conn:
        return dict(conn.execute("SELECT source_hash, translation FROM user_edits"))


def _machine_rows(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM translations").fetchone()[0]
