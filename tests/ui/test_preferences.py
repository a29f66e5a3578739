"""Preferences: the dialog alone on real settings and cache, in sync with the toolbar's
quick switches, remembered across restarts; and in the window (Ctrl+,)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QMessageBox

from reader.core.articles.article import source_hash
from reader.core.translation.cache import CacheEntry
from reader.core.translation.results import ParagraphStatus
from reader.ui import settings as keys
from reader.ui.settings import Settings
from reader.ui.window.actions import ActionId
from reader.ui.window.preferences import PreferencesDialog
from reader.ui.window.quick_switches import QuickSwitches
from tests.ui.conftest import wait_translated


def _choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    assert index >= 0, (value, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _dialog(services, qtbot) -> PreferencesDialog:  # type: ignore[no-untyped-def]
    dialog = PreferencesDialog(services, lambda: services.engine.installed())
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_and_quick_switches_stay_in_sync_and_are_remembered(install_pivot, services,
                                                                  qtbot):
    settings = services.settings
    dialog = _dialog(services, qtbot)
    quick = QuickSwitches(settings, lambda: services.engine.installed())
    offered = {dialog.target.itemData(i) for i in range(dialog.target.count())}
    assert offered == {"en", "es"}  # es through English

    changed: list[str] = []
    settings.changed.connect(changed.append)
    _choose(dialog.target, "es")
    assert settings.get(keys.TARGET_LANGUAGE) == "es"
    assert quick.target_combo.currentData() == "es"  # the toolbar follows
    assert changed == [keys.TARGET_LANGUAGE.key]
    _choose(quick.quality_combo, "fast")  # and the dialog follows the toolbar
    assert dialog.quality.currentData() == "fast"

    _choose(dialog.layout_combo, "interleaved")
    _choose(dialog.theme, "dark")
    _choose(dialog.source, "de")
    dialog.font_size.setValue(15)
    dialog.background.setChecked(False)
    settings.sync()
    again = Settings()  # a new window reads them
    assert again.get(keys.TARGET_LANGUAGE) == "es"
    assert again.get(keys.QUALITY) == "fast"
    assert again.get(keys.LAYOUT) == "interleaved"
    assert again.get(keys.THEME) == "dark"
    assert again.get(keys.DEFAULT_SOURCE_LANGUAGE) == "de"
    assert again.get(keys.FONT_SIZE) == 15
    assert again.get(keys.BACKGROUND_TRANSLATION) is False
    # The default source language applies to articles without their own choice.
    assert again.source_override("/some/article.txt") == "de"


def test_library_folders_are_added_and_removed(services, qtbot, tmp_path: Path):
    dialog = _dialog(services, qtbot)
    first, second = tmp_path / "news", tmp_path / "more"
    dialog.add_folder(first)
    dialog.add_folder(second)
    assert [dialog.folders.item(i).text() for i in range(2)] == [str(first), str(second)]
    dialog.folders.setCurrentRow(0)
    dialog.remove_selected_folder()
    assert services.settings.library_folders() == [second]
    services.settings.sync()
    assert Settings().library_folders() == [second]


def test_the_dialog_fits_a_laptop_screen_and_shows_its_notes_whole(services, qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea

    dialog = _dialog(services, qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height() * 0.85
    assert dialog.findChild(QScrollArea, "prefScroll") is not None
    close = [b for b in dialog.findChildren(QPushButton) if b.text() == "Close"]
    assert close and close[0].isVisible()  # outside the scrolled part: always reachable
    note = dialog.findChild(QLabel, "prefWhereNote")
    assert note.text() and note.height() >= note.heightForWidth(note.width())


def test_cache_size_is_shown_and_clearing_keeps_edits(services, qtbot, monkeypatch):
    cache = services.cache
    text = "Une phrase en français."
    cache.put_many([CacheEntry("route", "decoding", source_hash(text), "fr", "en", text,
                               "A sentence in French.", ())])
    cache.set_edit("fr", "en", source_hash(text), text, "My sentence.")
    dialog = _dialog(services, qtbot)
    assert dialog.cache_label.text().startswith("1 paragraph translation, 1 of your edits")
    assert "MB in" in dialog.cache_label.text()

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert dialog.clear_cache() is None
    assert cache.stats().entries == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.cacheCleared, timeout=10_000) as cleared:
        dialog.clear_cache()
    assert cleared.args == [1]
    qtbot.waitUntil(lambda: dialog.clear_cache_button.isEnabled())
    assert cache.stats().entries == 0 and cache.stats().user_edits == 1
    assert dialog.cache_label.text().startswith("0 paragraph translations")

    with qtbot.waitSignal(dialog.modelsRequested):
        dialog.models_button.click()


def test_preferences_in_the_window_switch_the_target_language_for_good(
    install_pivot, make_window, qtbot
):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    assert window.actions[ActionId.PREFERENCES].shortcut().toString() == "Ctrl+,"
    window.actions[ActionId.PREFERENCES].trigger()
    dialog = window.preferences_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(window.translationFinished, timeout=60_000):
        _choose(dialog.target, "es")
    assert window.quick.target_combo.currentData() == "es"
    # The echo test models answer fr→en→es with fr→en's words: what shows the switch took
    # is that every row was translated anew through the pivot (nothing cached for es).
    statuses = {t.status for t in window.pane.view.translations()}
    assert ParagraphStatus.TRANSLATED in statuses and ParagraphStatus.CACHED not in statuses
    dialog.close()
    # F1 is built from the same action table as the menus: Preferences is listed.
    help_box = window.show_shortcuts()
    assert "Ctrl+," in help_box.text() and "Ctrl+Shift+O" in help_box.text()
    help_box.close()
    window.close()

    again = make_window(wait=False)
    wait_translated(qtbot, again)
    assert again.target_language() == "es"
    assert again.quick.target_combo.currentData() == "es"
