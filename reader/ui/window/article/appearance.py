"""How the article looks: layout, theme, text size, and peeking at the original.

Follows the settings: whoever changes a look preference (a menu, a shortcut, the
Preferences dialog), the view and the checked menu entries follow ``Settings.changed``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication

from reader.ui import settings as keys
from reader.ui.reading_view import Layout, ReadingView
from reader.ui.settings import Settings
from reader.ui.theme import apply_theme, reading_family
from reader.ui.window.actions import ActionId

HOLD_TO_PEEK_MS = 400  # O held longer than this is a "hold": released = back to translation

LAYOUT_ACTIONS = {
    Layout.SIDE_BY_SIDE: ActionId.SIDE_BY_SIDE,
    Layout.INTERLEAVED: ActionId.INTERLEAVED,
    Layout.TRANSLATION_ONLY: ActionId.TRANSLATION_ONLY,
}
THEME_ACTIONS = {"system": ActionId.THEME_SYSTEM, "light": ActionId.THEME_LIGHT,
                 "dark": ActionId.THEME_DARK}


class Appearance(QObject):
    """Applies the look preferences to the reading view and keeps their actions checked.

    ``hold_to_peek_ms``: how long O must be held for its release to end the peek.
    """

    def __init__(
        self, settings: Settings, view: ReadingView, actions: Mapping[ActionId, QAction],
        *, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.view = view
        self.actions = actions
        self.hold_to_peek_ms = HOLD_TO_PEEK_MS
        self._clock = clock
        self._peek_pressed_at: float | None = None
        settings.changed.connect(self._on_setting)
        QApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._apply_layout()
        self._apply_theme()
        self._apply_font()

    # -- commands ---------------------------------------------------------------------------

    def set_layout(self, mode: str) -> None:
        self.settings.set(keys.LAYOUT, str(mode))
        self._apply_layout()

    def set_theme(self, theme: str) -> None:
        self.settings.set(keys.THEME, theme)
        self._apply_theme()

    def change_font_size(self, step: int) -> int:
        """One point bigger (1), smaller (-1) or the normal size (0); returns the size."""
        size = self.settings.get(keys.FONT_SIZE) + step if step else keys.DEFAULT_FONT_SIZE
        size = min(max(size, keys.MIN_FONT_SIZE), keys.MAX_FONT_SIZE)
        self.settings.set(keys.FONT_SIZE, size)
        self._apply_font()
        return size

    def set_peek_original(self, peek: bool) -> None:
        self.actions[ActionId.PEEK].setChecked(peek)
        self.view.set_peek_original(peek)

    def peek_triggered(self, checked: bool) -> None:
        """O pressed (the action): peek, and time the press to tell a hold from a tap."""
        self._peek_pressed_at = self._clock() if checked else None
        self.view.set_peek_original(checked)

    def peek_key_released(self) -> None:
        """O released: after a hold, back to the translation; after a tap, keep peeking."""
        if self._peek_pressed_at is None:
            return
        if (self._clock() - self._peek_pressed_at) * 1000 >= self.hold_to_peek_ms:
            self.set_peek_original(False)
        self._peek_pressed_at = None

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # -- following the settings -------------------------------------------------------------

    def _on_setting(self, key: str) -> None:
        if key == keys.LAYOUT.key:
            self._apply_layout()
        elif key == keys.THEME.key:
            self._apply_theme()
        elif key == keys.FONT_SIZE.key:
            self._apply_font()

    def _apply_layout(self) -> None:
        mode = Layout(self.settings.get(keys.LAYOUT))
        self.actions[LAYOUT_ACTIONS[mode]].setChecked(True)
        self.view.set_layout_mode(mode)
        self.actions[ActionId.PEEK].setEnabled(mode == Layout.TRANSLATION_ONLY)
        if mode != Layout.TRANSLATION_ONLY:
            self.set_peek_original(False)

    def _apply_theme(self) -> None:
        theme = self.settings.get(keys.THEME)
        self.actions[THEME_ACTIONS[theme]].setChecked(True)
        apply_theme(theme)
        self.view.viewport().update()

    def _apply_font(self) -> None:
        self.view.set_text_font(reading_family(), self.settings.get(keys.FONT_SIZE))

    def _on_system_scheme(self, _scheme: object) -> None:
        if self.settings.get(keys.THEME) == "system":
            apply_theme("system")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Hold-to-peek: O pressed triggers the action; its release is seen here.
        if (
            event.type() == QEvent.Type.KeyRelease
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_O
            and not event.isAutoRepeat()
        ):
            self.peek_key_released()
        return False
