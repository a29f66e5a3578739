"""Where state lives: XDG directories, read at call time so a test can isolate itself.

- Argos packages: ``$XDG_DATA_HOME/argos-translate/packages`` — the same folder argostranslate
  itself uses, so packages installed by either tool are seen by both.
- Translation cache: ``$XDG_CACHE_HOME/bilingual-reader/``.
- Settings: ``$XDG_CONFIG_HOME/bilingual-reader/``.
- The reader's own articles: ``$XDG_DATA_HOME/bilingual-reader/library``.
"""

from __future__ import annotations

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


def project_root() -> Path:
    """The source checkout (holds ``seeds/``, ``models/``, ``resources/``)."""
    return Path(__file__).resolve().parent.parent


def default_library_dir() -> Path:
    """Where the bundled sample articles are (the one place that knows)."""
    return project_root() / "seeds"


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
    return found


def bundled_models_dir() -> Path:
    return project_root() / "models"


def resources_dir() -> Path:
    return project_root() / "resources"
