"""The words' place in the main window: the word panel and the Words list as docks on the
right (tabbed together, hidden until wanted), and "jump to context" from the list.

``attach`` is called once by the shell with the window; the window is used through the
names every part of it already offers (``services``, ``pane``, ``session``, ``library``,
``current_key``, ``show_message``), so nothing here imports the shell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from reader.core.words.context import find_word
from reader.core.words.saved import SavedWord
from reader.ui.reading_view.types import Side
from reader.ui.window.actions import ActionId
from reader.ui.words.controller import WordsController


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    return dock


class WordsDocks:
    """The two docks and what links them to the window."""

    def __init__(self, window: Any, speech_engine: str | None = None) -> None:
        self.window = window
        self.controller = WordsController(
            window.services, window.pane, lambda: window.session.shown_target,
            speech_engine=speech_engine, parent=window,
        )
        c = self.controller
        self.panel_dock = _dock(window, "Word", "wordDock", c.panel)
        self.list_dock = _dock(window, "Saved words", "wordsListDock", c.words_list)
        window.tabifyDockWidget(self.panel_dock, self.list_dock)
        c.message.connect(window.show_message)
        c.panelWanted.connect(self.show_panel)
        c.jumpRequested.connect(self.jump)
        window.session.articleOpened.connect(self._article_opened)

    def show_panel(self) -> None:
        self.panel_dock.show()
        self.panel_dock.raise_()

    def toggle_list(self) -> None:
        if self.list_dock.isVisible() and not self.list_dock.visibleRegion().isEmpty():
            self.list_dock.hide()
            return
        self.list_dock.show()
        self.list_dock.raise_()
        self.controller.refresh_list()

    def _article_opened(self, _key: str) -> None:
        article = self.window.pane.view.article()
        if article is not None and article.ok:
            self.controller.warm(article.language)

    def jump(self, saved: SavedWord) -> bool:
        """Open the saved word's article at its sentence, the word lit."""
        window = self.window
        path = Path(saved.article_path)
        key = next((a.key for a in window.library.model.articles() if a.path == path), None)
        if key is None:
            window.show_message(f"{path.name} is not in the library any more")
            return False
        if key != window.current_key() and not window.library.select_key(key):
            window.session.open(key)  # filtered out of the list: opened anyway
        article = window.pane.view.article()
        if article is None or window.current_key() != key:
            return False
        row = saved.paragraph if 0 <= saved.paragraph < len(article.paragraphs) else 0
        text = article.paragraphs[row].text
        start = text.find(saved.sentence) if saved.sentence else -1
        offset = start + saved.position if start >= 0 and saved.position >= 0 else \
            find_word(text, saved.word)
        if offset < 0:
            window.pane.view.go_to_paragraph(row)
            return True
        return window.pane.view.show_search_hit(row, Side.SOURCE, offset,
                                                offset + len(saved.word))

    def slots(self) -> dict[ActionId, Callable[..., object]]:
        """The Words menu's commands, for the window's action table."""
        c = self.controller
        return {ActionId.LOOKUP_WORD: c.lookup_under_mouse, ActionId.SAVE_WORD: c.save_current,
                ActionId.SAVED_WORDS: self.toggle_list,
                ActionId.READ_ALOUD: c.toggle_read_aloud}
