"""Every setting of the window, declared once with its type and default.

Three kinds of state, kept apart in ``settings.ini`` (``$XDG_CONFIG_HOME/bilingual-reader``):

- ``[preferences]``: what the reader chose (language, layout, theme, font size, quality…);
- ``[reading]``: where the reader is (last article, per-article position, read state and
  source-language override, as one JSON object);
- ``[window]``: geometry and splitter sizes (throw-away: deleting it loses nothing chosen).

The file is opened at call time (tests isolate themselves through ``XDG_CONFIG_HOME``).
A corrupt file is set aside and replaced by defaults, with one warning for the status bar;
a value of the wrong type reads as its default. Nothing here raises on bad data.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

from reader import paths
from reader.core.models.argos_import import fallback_dir
from reader.private_files import RefusedFile, ensure_private_file, withdraw

log = logging.getLogger(__name__)

T = TypeVar("T", str, int, bool)

LAYOUTS = ("side-by-side", "interleaved", "translation-only")
THEMES = ("system", "light", "dark")
QUALITIES = ("fast", "accurate")
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 32
DEFAULT_FONT_SIZE = 12
# Reading memory is bounded: the oldest entries go first.
MAX_REMEMBERED_ARTICLES = 500


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One preference: its INI key, default and the values it may take."""

    key: str
    default: T
    choices: tuple[T, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def coerce(self, raw: object) -> T:
        """``raw`` as read from the INI file, or the default when it does not fit."""
        if raw is None:
            return self.default
        value: object
        try:
            if isinstance(self.default, bool):
                value = raw if isinstance(raw, bool) else str(raw).strip().lower() in (
                    "true", "1", "yes", "on"
                )
            elif isinstance(self.default, int):
                value = int(str(raw).strip())
                if self.minimum is not None and value < self.minimum:
                    return self.default
                if self.maximum is not None and value > self.maximum:
                    return self.default
            else:
                value = str(raw).strip()
        except (TypeError, ValueError):
            return self.default
        if self.choices and value not in self.choices:
            return self.default
        return value  # type: ignore[return-value]


# -- the table: every preference, once ---------------------------------------------------------

TARGET_LANGUAGE = Setting("preferences/target_language", "en")
LAYOUT = Setting("preferences/layout", "side-by-side", choices=LAYOUTS)
THEME = Setting("preferences/theme", "system", choices=THEMES)
FONT_SIZE = Setting(
    "preferences/font_size", DEFAULT_FONT_SIZE, minimum=MIN_FONT_SIZE, maximum=MAX_FONT_SIZE
)
QUALITY = Setting("preferences/quality", "accurate", choices=QUALITIES)
# The library's folders, one per line (a single folder before Preferences existed).
LIBRARY_FOLDER = Setting("preferences/library_folder", "")
# The language articles are read as unless the reader says otherwise for one article;
# "" = as detected.
DEFAULT_SOURCE_LANGUAGE = Setting("preferences/default_source_language", "")
BACKGROUND_TRANSLATION = Setting("preferences/background_translation", True)
# Read aloud's speed: -10 (slowest) .. 10 (fastest), 0 the voice's own.
SPEECH_RATE = Setting("preferences/speech_rate", 0, minimum=-10, maximum=10)
# Where translation happens (issue 26): the CTranslate2 device, and this computer or a
# LibreTranslate server (its address; the API key is kept apart, in a 0600 file).
COMPUTES = ("auto", "cpu", "cuda")
TRANSLATORS = ("local", "server")
COMPUTE = Setting("preferences/compute", "auto", choices=COMPUTES)
TRANSLATE_WITH = Setting("preferences/translate_with", "local", choices=TRANSLATORS)
SERVER_URL = Setting("preferences/server_url", "")
WHERE_KEYS = (COMPUTE.key, TRANSLATE_WITH.key, SERVER_URL.key)  # each rebuilds the engine
LAST_ARTICLE = Setting("reading/last_article", "")
# Minutes between automatic refreshes of the feeds followed; 0 = only when asked (F5).
FEED_REFRESH_MINUTES = Setting("preferences/feed_refresh_minutes", 0, minimum=0,
                               maximum=24 * 60)
# The library pane (Ctrl+B); a window too narrow for it and two columns hides it anyway.
LIBRARY_SHOWN = Setting("preferences/library_shown", True)

PREFERENCES: tuple[Setting, ...] = (  # type: ignore[type-arg]
    TARGET_LANGUAGE, LAYOUT, THEME, FONT_SIZE, QUALITY, LIBRARY_FOLDER,
    DEFAULT_SOURCE_LANGUAGE, BACKGROUND_TRANSLATION, LAST_ARTICLE, LIBRARY_SHOWN,
    FEED_REFRESH_MINUTES, COMPUTE, TRANSLATE_WITH, SERVER_URL,
)

_ARTICLES_KEY = "reading/articles"
_GEOMETRY_KEY = "window/geometry"
_WINDOW_STATE_KEY = "window/state"
_SPLITTER_KEY = "window/splitter"


@dataclass
class ArticleState:
    """What is remembered per article (by its resolved path)."""

    paragraph: int = 0  # the paragraph at the top of the view
    offset: float = 0.0  # how far into that paragraph, as a fraction of its height
    read: bool = False
    source_language: str | None = None  # the reader's override of the detected language
    seen: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "paragraph": self.paragraph,
            "offset": round(self.offset, 4),
            "read": self.read,
            "seen": round(self.seen),
        }
        if self.source_language:
            data["source_language"] = self.source_language
        return data

    @classmethod
    def from_json(cls, data: object) -> ArticleState:
        if not isinstance(data, dict):
            return cls()
        state = cls()
        try:
            state.paragraph = max(0, int(data.get("paragraph", 0)))
            state.offset = min(1.0, max(0.0, float(data.get("offset", 0.0))))
            state.read = bool(data.get("read", False))
            language = data.get("source_language")
            state.source_language = str(language) if language else None
            state.seen = float(data.get("seen", 0.0))
        except (TypeError, ValueError):
            return cls()
        return state


def settings_path() -> Path:
    return paths.app_config_dir() / "settings.ini"


class Settings(QObject):
    """The window's settings file. ``warnings`` holds one line per problem met opening it.

    One object per window, shared by every part: whoever changes a preference (the
    toolbar's quick switch, the Preferences dialog, a shortcut) goes through :meth:`set`,
    and every part that shows it follows ``changed``.

    Signals: ``changed(key: str)``: a preference took a new value (its ``Setting.key``).
    """

    changed = Signal(str)

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path if path is not None else settings_path()
        self.warnings: list[str] = []
        self._qsettings = self._open()
        self._articles: dict[str, ArticleState] | None = None
        # The preferences as last announced (``changed``): what :meth:`reload` compares with.
        self._announced: dict[str, object] = {}
        self._announce()

    def _open(self) -> QSettings:
        try:
            # 0600 in a 0700 folder before Qt reads it (Qt's rewrites keep the file's mode);
            # a FIFO, a device, another user's file or one others may write is refused
            # without being read, and a throwaway file takes the session's changes.
            ensure_private_file(self.path)
        except RefusedFile as refused:
            withdraw(refused)
            self._warn(f"{refused}; defaults are used and changes are not saved")
            self.path = fallback_dir("settings") / self.path.name
        except OSError as error:
            self._warn(f"cannot create the settings folder {self.path.parent}: {error.strerror}")
        qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)
        status = qsettings.status()
        if status == QSettings.Status.FormatError:
            # Set the bad file aside (the reader may want it) rather than overwrite it.
            aside = self.path.with_name(self.path.name + ".corrupt")
            try:
                os.replace(self.path, aside)
                where = f"; moved it to {aside.name}"
            except OSError:
                where = ""
            self._warn(f"the settings file was unreadable, so defaults are used{where}")
            qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)
        elif status == QSettings.Status.AccessError:
            self._warn(f"cannot read the settings file {self.path}; defaults are used")
        return qsettings

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)

    # -- preferences --------------------------------------------------------------------------

    def get(self, setting: Setting[T]) -> T:
        return setting.coerce(self._qsettings.value(setting.key))

    def set(self, setting: Setting[T], value: T) -> None:
        old = self.get(setting)
        new = setting.coerce(value)
        self._qsettings.setValue(setting.key, new)
        self._announced[setting.key] = new
        if new != old:
            self.changed.emit(setting.key)

    def reload(self) -> list[str]:
        """Read the file again (another instance saved it): ``changed`` for each preference
        that took a new value; returns their keys."""
        self._qsettings.sync()  # our unsaved values are written, the file's are read
        self._articles = None
        # Compared with what was last announced, not with a read just before the sync:
        # any QSettings on this file in this process (they share one copy) may already
        # have read the new values in.
        changed = [setting.key for setting in PREFERENCES
                   if self.get(setting) != self._announced.get(setting.key)]
        self._announce()
        for key in changed:
            self.changed.emit(key)
        return changed

    def _announce(self) -> None:
        self._announced = {setting.key: self.get(setting) for setting in PREFERENCES}

    def library_folders(self) -> list[Path]:
        """The library's folders, in the order the reader gave them."""
        return [Path(line) for line in self.get(LIBRARY_FOLDER).splitlines() if line.strip()]

    def set_library_folders(self, folders: list[Path]) -> None:
        self.set(LIBRARY_FOLDER, "\n".join(str(f) for f in dict.fromkeys(folders)))

    def source_override(self, key: str) -> str | None:
        """The language the article ``key`` is to be read as: the reader's choice for that
        article, else the default source language; None = as detected."""
        return self.article_state(key).source_language or self.get(DEFAULT_SOURCE_LANGUAGE) or None

    # -- reading memory -----------------------------------------------------------------------

    def _article_states(self) -> dict[str, ArticleState]:
        if self._articles is None:
            raw = self._qsettings.value(_ARTICLES_KEY)
            states: dict[str, ArticleState] = {}
            if raw:
                try:
                    data = json.loads(str(raw))
                except ValueError:
                    self._warn("the remembered reading positions were unreadable; forgotten")
                    data = {}
                if isinstance(data, dict):
                    states = {str(k): ArticleState.from_json(v) for k, v in data.items()}
            self._articles = states
        return self._articles

    def article_state(self, key: str) -> ArticleState:
        state = self._article_states().get(key)
        return ArticleState(**vars(state)) if state is not None else ArticleState()

    def set_article_state(self, key: str, state: ArticleState) -> None:
        states = self._article_states()
        state.seen = time.time()
        states[key] = state
        if len(states) > MAX_REMEMBERED_ARTICLES:
            for old in sorted(states, key=lambda k: states[k].seen)[
                : len(states) - MAX_REMEMBERED_ARTICLES
            ]:
                del states[old]
        self._qsettings.setValue(
            _ARTICLES_KEY,
            json.dumps({k: v.to_json() for k, v in states.items()}, ensure_ascii=False),
        )

    def source_overrides(self) -> dict[str, str]:
        """Every article's source-language override, by key (a snapshot for a worker)."""
        return {k: s.source_language for k, s in self._article_states().items()
                if s.source_language}

    def is_read(self, key: str) -> bool:
        state = self._article_states().get(key)
        return bool(state and state.read)

    # -- window -------------------------------------------------------------------------------

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_geometry(self) -> QByteArray | None:
        return self._bytes(_GEOMETRY_KEY)

    def window_state(self) -> QByteArray | None:
        return self._bytes(_WINDOW_STATE_KEY)

    def splitter_state(self) -> QByteArray | None:
        return self._bytes(_SPLITTER_KEY)

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self._qsettings.setValue(_GEOMETRY_KEY, geometry)
        self._qsettings.setValue(_WINDOW_STATE_KEY, state)
        self._qsettings.setValue(_SPLITTER_KEY, splitter)

    def sync(self) -> None:
        self._qsettings.sync()
        if self._qsettings.status() == QSettings.Status.AccessError:
            self._warn(f"cannot save the settings to {self.path}")
