"""Where state lives: XDG directories, read at call time so a test can isolate itself.

- Argos packages: ``$XDG_DATA_HOME/argos-translate/packages`` — the same folder argostranslate
  itself uses, so packages installed by either tool are seen by both.
- Translation cache: ``$XDG_CACHE_HOME/bilingual-reader/``.
- Settings: ``$XDG_CONFIG_HOME/bilingual-reader/``.
- The reader's own articles: ``$XDG_DATA_HOME/bilingual-reader/library``; files opened from
  elsewhere (``bilingual-reader FILE``, a drop): ``…/bilingual-reader/opened-files.json``.

What ships with the app (fonts, sample articles, the launcher entry and icons) is found
through ``importlib.resources`` in the ``reader.data.*`` packages (setup.py maps them onto
``resources/`` and ``seeds/``), so it is found the same way from a wheel, an editable
install or the checkout.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

APP_NAME = "bilingual-reader"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "").strip()
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def data_home() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share")


def cache_home() -> Path:
    return _xdg("XDG_CACHE_HOME", ".cache")


def config_home() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def argos_data_dir() -> Path:
    return data_home() / "argos-translate"


def packages_dir() -> Path:
    return argos_data_dir() / "packages"


def app_cache_dir() -> Path:
    return cache_home() / APP_NAME


def app_config_dir() -> Path:
    return config_home() / APP_NAME


def translation_cache_path() -> Path:
    return app_cache_dir() / "translations.sqlite3"


def _data_folder(package: str) -> Path:
    """The folder of one of the ``reader.data.*`` packages, on disk (the app is never run
    from a zip, so ``files()`` is a real folder)."""
    # Imported here: importlib.resources pulls in tempfile, shutil, bz2 and lzma (~10 ms),
    # which `list DIR` (a named folder, no samples) never needs.
    import importlib.resources

    root = importlib.resources.files(package)
    if not isinstance(root, Path):
        raise FileNotFoundError(f"the app's data package {package} is not a folder on disk")
    return root


def samples_dir() -> Path:
    """The sample articles shipped with the app (the "Samples" part of the library)."""
    return _data_folder("reader.data.samples")


def default_library_dir() -> Path:
    """Where the bundled sample articles are (the one place that knows)."""
    return samples_dir()


def fonts_dir() -> Path:
    """The bundled DejaVu fonts."""
    return _data_folder("reader.data.fonts")


def desktop_data_dir() -> Path:
    """The launcher entry (``bilingual-reader.desktop``), the SVG icon and its PNG sizes."""
    return _data_folder("reader.data.desktop")


def user_library_dir() -> Path:
    """The reader's own articles (``add``, the window's "Add article…")."""
    return data_home() / APP_NAME / "library"


def default_library_paths() -> list[Path]:
    """What ``list`` and the window show without a PATH: the samples, then the reader's
    own library once it exists."""
    found = [default_library_dir()]
    user = user_library_dir()
    if user.is_dir():
        found.append(user)
    return found + opened_files()


# -- files opened from outside the library ---------------------------------------------------
# ``bilingual-reader FILE`` (a file manager's "Open with") and files dropped on the window
# stay in the library: their paths are kept in one small JSON list that ``list`` reads too.
MAX_OPENED_FILES = 500


def opened_files_path() -> Path:
    return data_home() / APP_NAME / "opened-files.json"


def _read_opened() -> list[str]:
    try:
        data = json.loads(opened_files_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # none yet, or unreadable: nothing remembered (never an error)
    return [str(p) for p in data if isinstance(p, str)] if isinstance(data, list) else []


def opened_files() -> list[Path]:
    """The files and folders opened from outside the library that still exist."""
    return [Path(p) for p in _read_opened() if os.path.exists(p)]


def remember_opened(locations: list[Path]) -> list[Path]:
    """Keep ``locations`` (resolved) in the opened files; returns those new to the list.
    Paths inside the default library folders are listed anyway and are not kept."""
    known = _read_opened()
    inside = [default_library_dir().resolve(), user_library_dir().resolve()]
    fresh: list[Path] = []
    for location in locations:
        path = Path(location).resolve()
        if str(path) in known or any(path.is_relative_to(folder) for folder in inside):
            continue
        known.append(str(path))
        fresh.append(path)
    if fresh:
        target = opened_files_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            temporary.write_text(json.dumps(known[-MAX_OPENED_FILES:], ensure_ascii=False,
                                            indent=0), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:
            return []  # a read-only data folder: the file is still open, just not kept
    return fresh


def bundled_models_dir() -> Path:
    """``models/`` of a source checkout: ``.argosmodel`` files dropped there are installed on
    start. A checkout-only convenience (an installed wheel has no such folder and this path
    then does not exist): outside a checkout, use ``models install`` or drop the file on
    the window."""
    return Path(__file__).resolve().parent.parent / "models"
