"""Search across the library (Ctrl+Shift+F) and the reading memory shown in the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from reader.ui.library_model import Column
from reader.ui.panels.search_panel import SPANS_ROLE, ResultColumn
from reader.ui.reading_view import Match, Side
from reader.ui.window.actions import shortcuts_help
from tests.ui.conftest import wait_translated


def test_search_as_you_type_opens_the_hit_and_lights_up_both_sides(
    make_window, qtbot, install_fr_en
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    panel = window.search.panel
    qtbot.keyClick(view, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.search.dock.isVisible()
    assert QApplication.focusWidget() is panel.edit

    with qtbot.waitSignal(window.searchFinished, timeout=5000):
        qtbot.keyClicks(panel.edit, "ces jours-ci")
    assert window.search.jobs_run == 1  # typing is debounced: one search for the whole query
    hits = panel.model.hits()
    found = {(hit.article_path.name[:3], hit.side) for hit in hits}
    assert {("001", "source"), ("002", "source")} <= found
    assert "match" in panel.status.text() and "articles" in panel.status.text()
    # Each row: article, paragraph number, side, snippet with the query in bold.
    number = next(i for i, hit in enumerate(hits) if hit.article_path.name.startswith("002"))
    hit = hits[number]
    model = panel.model
    assert model.index(number, ResultColumn.ARTICLE).data() == hit.article_title
    assert model.index(number, ResultColumn.PARAGRAPH).data() == str(hit.paragraph_index + 1)
    assert model.index(number, ResultColumn.SIDE).data() == "original"
    spans = model.index(number, ResultColumn.MATCH).data(SPANS_ROLE)
    assert [hit.snippet[a:b].casefold() for a, b in spans] == ["ces jours-ci"]
    assert not panel.results.grab().isNull()  # the snippet delegate paints

    # Enter on a result opens its article at the paragraph, the match lit on both sides.
    panel.results.setFocus()
    panel.results.setCurrentIndex(model.index(number, 0))
    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert window.current_key() is not None and "002" in window.current_key()
    assert view.search_hit() == Match(hit.paragraph_index, Side.SOURCE, hit.start, hit.end)
    wait_translated(qtbot, window)
    row = hit.paragraph_index
    assert view.row_visible(row)
    pair = view.translation(row).sentences[0]
    assert view.search_highlights() == {
        Side.SOURCE: (row, hit.start, hit.end),
        Side.TARGET: (row, pair.target_start, pair.target_end),
    }

    # A match in a translation: the match there, the aligned original sentence opposite.
    translated = view.translation(row)
    word = max(translated.sentences[1].target.split(), key=len)[:6]
    with qtbot.waitSignal(window.searchFinished, timeout=5000):
        panel.edit.setText(word)
    in_translation = [h for h in panel.model.hits() if h.side == "translation"]
    assert in_translation
    target_hit = next((h for h in in_translation if h.article_path == view.article().path),
                      in_translation[0])
    assert window.open_search_hit(target_hit)
    spans_now = view.search_highlights()
    shown_row, start, end = spans_now[Side.TARGET]
    assert shown_row == target_hit.paragraph_index
    assert view.translation(shown_row).translation[start:end].casefold() == word.casefold()
    aligned = next(p for p in view.translation(shown_row).sentences
                   if p.target_start <= start < p.target_end)
    assert spans_now[Side.SOURCE] == (shown_row, aligned.source_start, aligned.source_end)

    panel.edit.setFocus()
    qtbot.keyClick(panel.edit, Qt.Key.Key_Escape)
    assert not window.search.dock.isVisible()


def test_read_state_is_shown_toggled_and_remembered(make_window, qtbot):
    window = make_window()  # no model: the originals alone
    qtbot.waitUntil(lambda: window.current_key() is not None)
    # Every action's keys are the ones the help (F1) lists: both come from one table.
    help_text = shortcuts_help()
    for action in window.actions.values():
        for sequence in action.shortcuts():
            keys = sequence.toString()
            assert keys and keys in help_text, action.text()
    assert "Ctrl+Shift+O" in help_text and "F3" in help_text
    keys = [window.library.proxy.key_at(row) for row in range(window.library.proxy.rowCount())]
    view = window.pane.view

    def bold(row: int) -> bool:
        font = window.library.proxy.index(row, Column.TITLE).data(Qt.ItemDataRole.FontRole)
        return isinstance(font, QFont) and font.weight() > QFont.Weight.Normal

    # Opening an article does not make it read; reaching its end does.
    QApplication.processEvents()
    assert not window.library.model.entry(keys[0]).read and bold(0)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    with qtbot.waitSignal(window.readChanged) as changed:
        bar.setValue(bar.maximum())
    assert changed.args == [keys[0], True]
    assert not bold(0)

    # The library's context menu toggles it; so does Ctrl+U on the selected article.
    menu = window.library.context_menu(keys[1])
    [action] = menu.actions()
    assert action.text().startswith("Mark as read")
    action.trigger()
    assert window.library.model.entry(keys[1]).read and not bold(1)
    menu = window.library.context_menu(keys[0])
    assert menu.actions()[0].text().startswith("Mark as unread")
    menu.actions()[0].trigger()
    assert bold(0)
    window.library.view.setFocus()
    qtbot.keyClick(window.library.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.library.model.entry(keys[0]).read
    window.close()

    again = make_window()
    assert [again.library.model.entry(key).read for key in keys] == [
        True, True, False, False, False
    ]
