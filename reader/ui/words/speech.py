"""Read aloud: sentences spoken one at a time through QtTextToSpeech, each announced as it
starts (the window lights it).

QtTextToSpeech is in PySide6-Addons only (the optional ``speech`` extra): without it,
:func:`speech_missing` says how to install it. On Linux the engine is speech-dispatcher
(``speechd``), whose voices come from espeak-ng; it reports no word progress, so the unit
lit is the sentence: the next one is said when the engine is Ready again.

The engine is made on first use, never at start-up: speechd's constructor starts the
daemon (2–3 s the first time) and can block while a stuck daemon ends. Tests pass
``engine="mock"`` (Qt's own plug-in: no audio, deterministic, English and a few others).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal

log = logging.getLogger(__name__)

ADDONS_NOTE = ("Read aloud needs PySide6-Addons (Qt's text-to-speech): "
               "pip install \"bilingual-reader[speech]\"")
# Debian/Ubuntu packages that give speech-dispatcher a voice per language (espeak-ng has
# about a hundred languages).
VOICE_PACKAGES = "speech-dispatcher and speech-dispatcher-espeak-ng (espeak-ng)"
MAX_RATE = 10  # the preference's range is -MAX_RATE..MAX_RATE (Qt's rate is -1.0..1.0)


def _module() -> Any:
    try:
        return importlib.import_module("PySide6.QtTextToSpeech")
    except ImportError:
        return None


def speech_missing() -> str:
    """Why read aloud cannot work here ("" when QtTextToSpeech is installed)."""
    return "" if _module() is not None else ADDONS_NOTE


def language_name(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())


class ReadAloud(QObject):
    """Says sentences in order. Signals: ``sentenceStarted(index)`` as each starts,
    ``finished()`` after the last (or after :meth:`stop`), ``note(text)`` for what the reader
    should know (no voice for the language, no speech module, an engine error)."""

    sentenceStarted = Signal(int)
    finished = Signal()
    note = Signal(str)

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine_name = engine
        self._tts: Any = None
        self._queue: list[str] = []
        self._index = -1
        self._speaking = False
        self.rate = 0  # -MAX_RATE..MAX_RATE, from Preferences

    @property
    def speaking(self) -> bool:
        return self._speaking

    def engine(self) -> Any:
        """The QTextToSpeech object, made on first use; None without the module or when the
        engine failed to start (``note`` says why)."""
        if self._tts is not None:
            return self._tts
        module = _module()
        if module is None:
            self.note.emit(ADDONS_NOTE)
            return None
        tts_class = module.QTextToSpeech
        tts = tts_class(self.engine_name, self) if self.engine_name else tts_class(self)
        if tts.state() == tts_class.State.Error:
            self.note.emit(f"Read aloud is not available: {tts.errorString()} "
                           f"(engines here: {', '.join(tts_class.availableEngines()) or 'none'})")
            tts.deleteLater()
            return None
        tts.stateChanged.connect(self._state_changed)
        self._tts = tts
        return tts

    def voice_locale(self, language: str) -> QLocale | None:
        """A locale of the engine for ``language`` (ISO 639-1), its own country first."""
        tts = self.engine()
        if tts is None:
            return None
        wanted = QLocale(language).language()
        found = [loc for loc in tts.availableLocales() if loc.language() == wanted]
        if not found:
            return None
        preferred = QLocale(language)
        found.sort(key=lambda loc: loc.territory() != preferred.territory())
        return found[0]

    def speak(self, sentences: Sequence[str], language: str) -> bool:
        """Start saying ``sentences`` (in ``language``); False, with a ``note``, when it
        cannot (no module, no engine, no voice for the language)."""
        self.stop()
        tts = self.engine()
        if tts is None:
            return False
        locale = self.voice_locale(language)
        if locale is None:
            self.note.emit(
                f"No {language_name(language)} voice is installed for read aloud: install "
                f"{VOICE_PACKAGES} (the system's packages), then restart the app."
            )
            return False
        tts.setLocale(locale)
        tts.setRate(max(-MAX_RATE, min(MAX_RATE, self.rate)) / MAX_RATE)
        self._queue = [s for s in sentences]
        self._index = -1
        self._speaking = True
        self._next()
        return True

    def stop(self) -> None:
        if not self._speaking:
            return
        self._speaking = False
        self._queue = []
        if self._tts is not None:
            self._tts.stop()
        self.finished.emit()

    def _next(self) -> None:
        self._index += 1
        while self._index < len(self._queue) and not self._queue[self._index].strip():
            self._index += 1
        if self._index >= len(self._queue):
            self._speaking = False
            self.finished.emit()
            return
        self.sentenceStarted.emit(self._index)
        self._tts.say(self._queue[self._index])

    def _state_changed(self, state: Any) -> None:
        if not self._speaking:
            return
        tts_class = type(self._tts)
        if state == tts_class.State.Ready:
            self._next()
        elif state == tts_class.State.Error:
            self._speaking = False
            self.note.emit(f"Read aloud stopped: {self._tts.errorString()}")
            self.finished.emit()
