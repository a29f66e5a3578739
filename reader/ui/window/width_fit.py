"""Fitting the window's width: half a laptop screen must stay readable.

Below the width where the library and two reading columns of ``MIN_COLUMN_CHARS`` fit
together, the library collapses (the toolbar's Library button and Ctrl+B show it anyway,
until the window is wide again); the reader's own choice to hide it is kept in the
settings. The reading view itself shows interleaved while side by side does not fit
(``ReadingView.narrowChanged``); this part says so in the status bar. Words are never
broken to fit: the view's text layout breaks lines at word boundaries only (a single word
longer than the column is the last resort).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from reader.ui import settings as keys
from reader.ui.reading_view import ReadingView
from reader.ui.settings import Settings

LIBRARY_WIDTH = 380  # the library pane's first width
NARROW_MESSAGE = "Too narrow for side by side: interleaved for now"
WIDE_MESSAGE = "Side by side again"


class WidthFit(QObject):
    """Shows or hides ``library`` as the ``window``'s width and the reader decide."""

    def __init__(
        self, window: QMainWindow, splitter: QSplitter, library: QWidget, view: ReadingView,
        settings: Settings, action: QAction, say: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window, self._splitter, self._library = window, splitter, library
        self._view, self._settings, self._action, self._say = view, settings, action, say
        # Ctrl+B while narrow shows the library anyway, until the window is wide again;
        # the width it had when last shown decides "wide enough".
        self._forced = False
        self._library_width = LIBRARY_WIDTH
        window.installEventFilter(self)
        view.narrowChanged.connect(lambda narrow: say(NARROW_MESSAGE if narrow
                                                      else WIDE_MESSAGE))
        settings.changed.connect(
            lambda key: self.fit() if key == keys.LIBRARY_SHOWN.key else None)

    def library_fits(self) -> bool:
        """The library and two reading columns of ``MIN_COLUMN_CHARS`` fit side by side."""
        chrome = (self._view.verticalScrollBar().sizeHint().width()
                  + self._splitter.handleWidth() + 4)
        available = self._window.width() - self._library_width - chrome
        return available >= self._view.side_by_side_min_width()

    def fit(self) -> None:
        """Show the library when the reader wants it and the window is wide enough (or the
        reader asked for it with Ctrl+B while narrow)."""
        if not self._library.isHidden():
            self._library_width = max(self._splitter.sizes()[0], 120)
        fits = self.library_fits()
        if fits:
            self._forced = False
        shown = self._settings.get(keys.LIBRARY_SHOWN) and (fits or self._forced)
        if shown == self._library.isHidden():
            self._library.setVisible(shown)
        self._action.setChecked(shown)

    def toggle(self) -> bool:
        """Ctrl+B: hide or show the library (remembered); returns whether it is shown."""
        show = self._library.isHidden()
        self._forced = show
        self._settings.set(keys.LIBRARY_SHOWN, show)  # (fit() follows the change)
        self.fit()
        return not self._library.isHidden()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.fit()
        return False
