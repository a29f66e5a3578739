"""Library folders watched for new, changed and removed article files.

QFileSystemWatcher reports a folder whose entries changed (not which file), and a save in
an editor or a download arrives as several events; one ``changed`` signal is sent after
things have been quiet for a moment, so the library is reloaded once. Sub-folders are
watched too (folders are listed recursively); hidden ones are not (they are not listed).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

# Quiet time before reloading: a browser writing a page, an editor's save-and-rename.
DEFAULT_SETTLE_MS = 400
# A folder tree larger than this is watched at its top only (inotify watches are finite).
MAX_WATCHED_FOLDERS = 500


class FolderWatch(QObject):
    """Watches folders (recursively) and emits ``changed`` once things settle."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, settle_ms: int = DEFAULT_SETTLE_MS):
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._roots: list[Path] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(settle_ms)
        self._timer.timeout.connect(self._settled)
        self._watcher.directoryChanged.connect(self._on_directory_changed)

    def watch(self, folders: Iterable[Path]) -> None:
        """Watch exactly these folders (and their sub-folders); files are ignored."""
        self._roots = [Path(f) for f in folders if Path(f).is_dir()]
        self._rewatch()

    def folders(self) -> list[str]:
        return sorted(self._watcher.directories())

    def _rewatch(self) -> None:
        current = set(self._watcher.directories())
        wanted: list[str] = []
        for root in self._roots:
            for folder, subfolders, _files in os.walk(root):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                wanted.append(folder)
                if len(wanted) >= MAX_WATCHED_FOLDERS:
                    break
        stale = [d for d in current if d not in wanted]
        if stale:
            self._watcher.removePaths(stale)
        fresh = [d for d in wanted if d not in current]
        if fresh:
            self._watcher.addPaths(fresh)

    def _on_directory_changed(self, _folder: str) -> None:
        self._timer.start()  # restart: wait for quiet

    def _settled(self) -> None:
        self._rewatch()  # a new sub-folder is watched from now on
        self.changed.emit()
