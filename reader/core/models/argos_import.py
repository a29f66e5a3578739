"""Import ``argostranslate.settings`` even when the folders it insists on are unusable.

That module creates its data, config, cache (+ ``downloads``) and package folders at import
time, from ``XDG_*_HOME`` (or ``$SNAP_USER_DATA`` / the home folder) and
``ARGOS_PACKAGES_DIR``; one ``os.makedirs`` failing (a read-only disk, ``XDG_CACHE_HOME``
pointing at a file) makes the import, and so every translation, fail. We never use those
import-time folders (:func:`reader.core.models.store.sync_argos_settings` points its globals at
ours right after), so before the first import we try to create each one as it would, and for
any we cannot, point its variable at a private temporary folder for the length of the import
only. Our own translation cache reports its own trouble (and keeps translations in memory).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

_lock = threading.Lock()
_fallback_root: Path | None = None
warnings: list[str] = []  # one line per folder replaced (also logged)


def fallback_dir(name: str) -> Path:
    """A private folder for this process (removed at exit) standing in for an unusable one."""
    global _fallback_root
    if _fallback_root is None:
        _fallback_root = Path(tempfile.mkdtemp(prefix="bilingual-reader-argos-"))
        atexit.register(shutil.rmtree, _fallback_root, True)
    folder = _fallback_root / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def can_create(folder: Path) -> OSError | None:
    """None when ``os.makedirs(folder, exist_ok=True)`` works, else its error."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        return error
    return None


def _argos_folders() -> dict[str, list[Path]]:
    """Environment variable → the folders argostranslate.settings creates from it, computed
    the way that module does (os.getenv with a default: set-but-empty counts as set)."""
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()
    data = Path(os.getenv("XDG_DATA_HOME", default=home / ".local" / "share")) / "argos-translate"
    config = Path(os.getenv("XDG_CONFIG_HOME", default=home / ".config")) / "argos-translate"
    cache = Path(os.getenv("XDG_CACHE_HOME", default=home / ".local" / "cache")) / "argos-translate"
    folders = {
        "XDG_DATA_HOME": [data, data / "packages"],
        "XDG_CONFIG_HOME": [config],
        "XDG_CACHE_HOME": [cache, cache / "downloads"],
    }
    if os.getenv("ARGOS_PACKAGES_DIR") is not None:
        folders["ARGOS_PACKAGES_DIR"] = [Path(os.environ["ARGOS_PACKAGES_DIR"])]
    return folders


@contextlib.contextmanager
def _environment(overrides: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def import_argos_settings() -> ModuleType:
    """``argostranslate.settings``, imported with every folder it creates made creatable."""
    loaded = sys.modules.get("argostranslate.settings")
    if loaded is not None:
        return loaded
    with _lock:
        overrides: dict[str, str] = {}
        for variable, folders in _argos_folders().items():
            for folder in folders:
                error = can_create(folder)
                if error is None:
                    continue
                stand_in = fallback_dir(variable.lower())
                if variable == "ARGOS_PACKAGES_DIR":
                    stand_in = stand_in / "packages"
                overrides[variable] = str(stand_in)
                message = (
                    f"cannot create {folder} ({error.strerror or error}); "
                    f"argostranslate uses {stand_in} for this session"
                )
                log.warning(message)
                warnings.append(message)
                break
        with _environment(overrides):
            from argostranslate import settings
        return settings
