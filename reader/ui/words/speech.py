"""Read aloud: sentences spoken one at a time through QtTextToSpeech, each announced as it
starts (the window lights it).

QtTextToSpeech is in PySide6-Addons only (the optional ``speech`` extra): without it,
:func:`speech_missing` says how to install it. On Linux the engine is speech-dispatcher
(``speechd``), whose voices come from espeak-ng; it reports no word progress, so the unit
lit is the sentence: the next one is said when the engine is Ready again.

The engine is made on first use, never at start-up, and in a thread of its own, then
handed to the GUI thread: speechd's constructor starts the daemon (2–3 s the first time)
and can block while a stuck daemon ends, so the window never waits on it. The first
:meth:`ReadAloud.speak` therefore answers "starting"; what cannot be said then arrives as a
``note`` followed by ``finished``. Tests pass ``engine="mock"`` (Qt's own plug-in: no audio,
deterministic, English and a few others).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal, Slot

from reader.core.util.wording import one_line

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


def make_engine(name: str | None) -> tuple[Any, str]:
    """A QTextToSpeech object (``name``: the engine, None for the platform's) made in the
    calling thread, or None and why it cannot start."""
    module = _module()
    if module is None:
        return None, ADDONS_NOTE
    tts_class = module.QTextToSpeech
    tts = tts_class(name) if name else tts_class()
    if tts.state() == tts_class.State.Error:
        error = (f"Read aloud is not available: {tts.errorString()} "
                 f"(engines here: {', '.join(tts_class.availableEngines()) or 'none'})")
        del tts  # no parent: deleted here, in the thread that made it
        return None, error
    return tts, ""


class _Host(QObject):
    """The engine's side, in the speech thread: makes the QTextToSpeech object there and
    does everything to it there (Qt's engines keep timers and sockets in their thread)."""

    made = Signal(list, str)  # the engine's locale names, or [] and why it cannot start
    # The utterance's number, "ready" or "error" (with the engine's words): a state that a
    # stop causes arrives after the next utterance was asked for, and must not end it.
    state = Signal(int, str, str)

    def __init__(self, name: str | None, loop: Any) -> None:
        super().__init__()
        self.name = name
        self.loop = loop  # this thread's QEventLoop: ``finish`` ends it
        self.tts: Any = None
        self.utterance = 0
        # Whether the engine has started speaking the current utterance: a Ready before
        # that (a stop's, a locale change's) is not the end of it.
        self.speaking = False

    def start(self) -> None:
        try:
            tts, error = make_engine(self.name)
        except Exception as exc:  # a plug-in that raises: one line, never a crash
            tts, error = None, f"Read aloud is not available: {one_line(exc)}"
        if tts is None:
            self.made.emit([], error)
            return
        tts.setParent(self)
        tts.stateChanged.connect(self._state_changed)
        self.tts = tts
        self.made.emit([locale.name() for locale in tts.availableLocales()], "")

    @Slot(int, str, str, float)
    def say(self, utterance: int, text: str, locale: str, rate: float) -> None:
        self.tts.setLocale(QLocale(locale))
        self.tts.setRate(rate)
        self.utterance, self.speaking = utterance, False
        self.tts.say(text)

    @Slot()
    def stop(self) -> None:
        self.speaking = False
        if self.tts is not None:
            self.tts.stop()

    @Slot()
    def finish(self) -> None:
        """Stop, and end this thread's loop (the engine is deleted here, in its thread)."""
        self.stop()
        self.loop.quit()

    def _state_changed(self, state: Any) -> None:
        tts_class = type(self.tts)
        if state == tts_class.State.Speaking:
            self.speaking = True
        elif state == tts_class.State.Ready and self.speaking:
            self.speaking = False
            self.state.emit(self.utterance, "ready", "")
        elif state == tts_class.State.Error:
            self.state.emit(self.utterance, "error", self.tts.errorString())


# Readers whose engine thread runs: ended before the interpreter tears Qt down (an engine
# whose timers run in a thread still looping at exit takes the process down).
_RUNNING: weakref.WeakSet[ReadAloud] = weakref.WeakSet()


@atexit.register
def _end_engines() -> None:
    for reader in list(_RUNNING):
        with contextlib.suppress(RuntimeError):  # its Qt object is gone already
            reader.shutdown(1.0)


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
    # To the engine's thread (queued: the host lives there).
    _say = Signal(int, str, str, float)
    _stop = Signal()
    _finish = Signal()

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine_name = engine
        self._locales: list[QLocale] | None = None  # the engine's, once it is made
        self._starting = False
        self._unavailable = ""  # why the engine could not start (said again on each try)
        self._pending: tuple[list[str], str] | None = None
        self._queue: list[str] = []
        self._index = -1
        self._locale = ""
        self._utterance = 0  # the number of the sentence asked for last
        self._speaking = False
        self.rate = 0  # -MAX_RATE..MAX_RATE, from Preferences
        self._thread: threading.Thread | None = None

    @property
    def speaking(self) -> bool:
        return self._speaking

    @property
    def ready(self) -> bool:
        """Whether the engine is made and working."""
        return self._locales is not None

    def voice_locale(self, language: str) -> QLocale | None:
        """A locale of the engine for ``language`` (ISO 639-1), its own country first."""
        if self._locales is None:
            return None
        wanted = QLocale(language).language()
        found = [loc for loc in self._locales if loc.language() == wanted]
        if not found:
            return None
        preferred = QLocale(language)
        found.sort(key=lambda loc: loc.territory() != preferred.territory())
        return found[0]

    def speak(self, sentences: Sequence[str], language: str) -> bool:
        """Start saying ``sentences`` (in ``language``). False, with a ``note``, when it
        cannot (no module, an engine that could not start, no voice for the language). The
        first time, the engine starts in its thread and this answers True: a failure then
        comes as a ``note`` and ``finished``."""
        self.stop()
        if _module() is None:
            self.note.emit(ADDONS_NOTE)
            return False
        if self._unavailable:
            self.note.emit(self._unavailable)
            return False
        if self._locales is None:
            self._pending = (list(sentences), language)
            self._speaking = True
            self._start_engine()
            return True
        return self._begin(list(sentences), language)

    def _begin(self, sentences: list[str], language: str) -> bool:
        locale = self.voice_locale(language)
        if locale is None:
            self._speaking = False
            self.note.emit(
                f"No {language_name(language)} voice is installed for read aloud: install "
                f"{VOICE_PACKAGES} (the system's packages), then restart the app."
            )
            return False
        self._locale = locale.name()
        self._queue = sentences
        self._index = -1
        self._speaking = True
        self._next()
        return True

    def _start_engine(self) -> None:
        """Make the engine in a thread of its own, with its own event loop, until
        :meth:`shutdown` (or the application quits). A daemon thread: one stuck in a
        daemon's constructor never holds up the exit."""
        if self._starting or self._thread is not None:
            return
        self._starting = True
        name = self.engine_name

        def run() -> None:
            import shiboken6
            from PySide6.QtCore import QEventLoop, Qt

            loop = QEventLoop()  # first: the engine's timers need this thread's dispatcher
            host = _Host(name, loop)
            queued = Qt.ConnectionType.QueuedConnection
            try:
                host.made.connect(self._engine_made, queued)
                host.state.connect(self._host_state, queued)
                self._say.connect(host.say, queued)
                self._stop.connect(host.stop, queued)
                self._finish.connect(host.finish, queued)
            except RuntimeError:  # the window closed meanwhile
                shiboken6.delete(host)
                return
            host.start()
            loop.exec()
            shiboken6.delete(host)  # with the engine, in the thread that made them

        self._thread = threading.Thread(target=run, name="speech-engine", daemon=True)
        self._thread.start()
        _RUNNING.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop speaking and end the engine's thread (its engine deleted there). Waits up to
        ``timeout`` seconds: a thread stuck in a daemon's constructor is left behind."""
        self.stop()
        thread, self._thread = self._thread, None
        _RUNNING.discard(self)
        if thread is None:
            return
        self._finish.emit()
        thread.join(timeout)
        self._locales = None
        self._starting = False

    @Slot(list, str)
    def _engine_made(self, locales: list[str], error: str) -> None:
        self._starting = False
        pending, self._pending = self._pending, None
        if error:
            self._unavailable = error
        else:
            self._locales = [QLocale(name) for name in locales]
        if not self._speaking or pending is None:
            return  # stopped while the engine started: it is kept for next time
        if error:
            self._speaking = False
            self.note.emit(error)
            self.finished.emit()
        elif not self._begin(*pending):
            self.finished.emit()

    def stop(self) -> None:
        if not self._speaking:
            return
        self._speaking = False
        self._queue = []
        self._pending = None
        if self._locales is not None:
            self._stop.emit()
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
        rate = max(-MAX_RATE, min(MAX_RATE, self.rate)) / MAX_RATE
        self._utterance += 1
        self._say.emit(self._utterance, self._queue[self._index], self._locale, rate)

    @Slot(int, str, str)
    def _host_state(self, utterance: int, state: str, error: str) -> None:
        if not self._speaking or utterance != self._utterance:
            return
        if state == "ready":
            self._next()
        elif state == "error":
            self._speaking = False
            self.note.emit(f"Read aloud stopped: {error}")
            self.finished.emit()
