"""Appearance alone: the view and the menus follow the look settings whoever changes them;
hold O to peek, tap O to toggle (with a clock the test controls)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from reader.ui import settings as keys
from reader.ui.reading_view import Layout, ReadingView
from reader.ui.window.actions import ActionId, build_actions
from reader.ui.window.article.appearance import Appearance


def _appearance(services, qtbot, clock):  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    view = ReadingView()
    window.setCentralWidget(view)
    actions = build_actions(window, {action_id: (lambda *_: None) for action_id in ActionId})
    appearance = Appearance(services.settings, view, actions, clock=clock, parent=window)
    return appearance, view, actions, window


def test_the_view_and_menus_follow_the_settings(services, qtbot):
    appearance, view, actions, _window = _appearance(services, qtbot, clock=lambda: 0.0)
    assert view.layout_mode() is Layout.SIDE_BY_SIDE
    services.settings.set(keys.LAYOUT, "interleaved")  # as the Preferences dialog does
    assert view.layout_mode() is Layout.INTERLEAVED
    assert actions[ActionId.INTERLEAVED].isChecked()
    assert not actions[ActionId.PEEK].isEnabled()  # peeking belongs to translation-only
    services.settings.set(keys.THEME, "dark")
    assert actions[ActionId.THEME_DARK].isChecked()
    assert appearance.change_font_size(1) == keys.DEFAULT_FONT_SIZE + 1
    assert appearance.change_font_size(0) == keys.DEFAULT_FONT_SIZE
    appearance.close()


def test_hold_o_peeks_while_held_and_tap_toggles(services, qtbot):
    now = [100.0]
    appearance, view, _actions, _window = _appearance(services, qtbot, clock=lambda: now[0])
    appearance.set_layout(Layout.TRANSLATION_ONLY)
    appearance.peek_triggered(True)  # O pressed
    now[0] += 0.1
    appearance.peek_key_released()  # a tap: the original stays
    assert view.peeking_original()
    appearance.peek_triggered(False)  # tapped again: back to the translation
    assert not view.peeking_original()
    appearance.peek_triggered(True)
    now[0] += 1.0
    appearance.peek_key_released()  # held a second: back on release
    assert not view.peeking_original()
    appearance.close()
