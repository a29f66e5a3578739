"""The action table: menus, toolbar, shortcuts and the help page come from one place."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QToolBar

from reader.ui.window.actions import (
    ACTIONS,
    MENUS,
    TOOLBAR,
    ActionId,
    build_actions,
    build_menus,
    build_toolbar,
    key_texts,
    shortcuts_help,
)


def _menu_ids() -> list[ActionId]:
    ids: list[ActionId] = []
    for _title, entries in MENUS:
        for entry in entries:
            if isinstance(entry, ActionId):
                ids.append(entry)
            elif isinstance(entry, tuple):
                ids.extend(entry[1])
    return ids


def test_every_action_is_declared_once_and_in_one_menu():
    assert set(ACTIONS) == set(ActionId)
    in_menus = _menu_ids()
    assert sorted(in_menus) == sorted(ActionId)  # each exactly once
    assert all(entry in ACTIONS for entry in TOOLBAR if isinstance(entry, ActionId))


def test_no_two_actions_share_a_key(qapp):
    owners: dict[str, ActionId] = {}
    for action_id, spec in ACTIONS.items():
        for text in key_texts(spec):
            assert text not in owners, f"{text}: {owners.get(text)} and {action_id}"
            owners[text] = action_id


def test_the_help_page_lists_every_key_including_those_it_used_to_miss(qapp):
    text = shortcuts_help()
    for spec in ACTIONS.values():
        for keys in key_texts(spec):
            assert keys in text, spec.text
    for missed_before in ("Ctrl+Shift+O", "F3", "Ctrl+,"):
        assert missed_before in text
    assert "Preferences" in text


def test_built_actions_trigger_their_slots_and_fill_menus_and_toolbar(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    triggered: list[ActionId] = []
    slots = {action_id: (lambda _checked=False, a=action_id: triggered.append(a))
             for action_id in ActionId}
    actions = build_actions(window, slots)
    menus = build_menus(window.menuBar(), actions)
    assert list(menus) == [title.replace("&", "") for title, _ in MENUS]
    assert actions[ActionId.PREFERENCES] in menus["Edit"].actions()
    assert actions[ActionId.PREFERENCES].shortcut().toString() == "Ctrl+,"
    bar = QToolBar()
    build_toolbar(bar, actions, {})
    assert actions[ActionId.OPEN_FOLDER] in bar.actions()
    actions[ActionId.OPEN_FILES].trigger()
    actions[ActionId.THEME_DARK].trigger()
    actions[ActionId.THEME_LIGHT].trigger()
    assert triggered == [ActionId.OPEN_FILES, ActionId.THEME_DARK, ActionId.THEME_LIGHT]
    # A group's checkable actions exclude each other.
    assert actions[ActionId.THEME_LIGHT].isChecked()
    assert not actions[ActionId.THEME_DARK].isChecked()
