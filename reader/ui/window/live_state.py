"""What other processes change while the window is open: models installed or removed (by
the command line, argostranslate, another window) and settings saved by another instance.

The packages folder is watched like a library folder (:class:`FolderWatch`: one signal
once things are quiet; an install extracts into a hidden staging folder and renames it, so
the rename is the event). The settings file is looked at (one ``stat``) every
``SETTINGS_POLL_MS``: QSettings saves by writing a new file and renaming it over the old
one, which a file watch loses track of. Our own saves are seen too; reading them again
finds nothing new and says nothing.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QTimer, Signal

from reader import paths
from reader.ui.folder_watch import FolderWatch
from reader.ui.settings import Settings

SETTLE_MS = 300  # quiet time after a package folder change (well inside 2 s)
SETTINGS_POLL_MS = 700


class LiveState(QObject):
    """Signals: ``packagesChanged()``: the installed models changed on disk. Settings saved
    elsewhere arrive through the usual ``Settings.changed``."""

    packagesChanged = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._packages = FolderWatch(self, settle_ms=SETTLE_MS)
        self._packages.changed.connect(self.packagesChanged)
        self._seen = self._signature()
        self._timer = QTimer(self)
        self._timer.setInterval(SETTINGS_POLL_MS)
        self._timer.timeout.connect(self._look_at_settings)

    def start(self) -> None:
        self._seen = self._signature()
        self._timer.start()
        folder = paths.packages_dir()
        try:
            # Watched even before the first model: the first install is the one that counts.
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # a read-only data folder: nothing will be installed there while we run
        self._packages.watch([folder])

    def stop(self) -> None:
        self._timer.stop()

    def watched(self) -> list[str]:
        return self._packages.folders()

    def _signature(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self._settings.path)
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def _look_at_settings(self) -> None:
        signature = self._signature()
        if signature != self._seen:
            self._seen = signature
            self._settings.reload()
