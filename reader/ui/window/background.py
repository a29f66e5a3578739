"""Background translation: while the window is idle, translate the rest of the library.

One article at a time, on the translation worker, in the order
:func:`reader.core.translation.background_order.background_order` gives. It yields at
once to the reader:
when the article on screen needs the worker, :meth:`BackgroundTranslation.pause` cancels
the background job (it stops between two engine windows, which is where the engine can
stop; what it finished is cached) and the reader's job runs next. Each article's status in
the library follows as its paragraphs are cached.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from reader.core.translation.background_order import background_order
from reader.core.translation.engine import TranslationFinished, TranslationProgress
from reader.ui import settings as keys
from reader.ui.library_model import LibraryModel, Status
from reader.ui.window.article.jobs import ArticleParsed
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

IDLE_MS = 300  # how long the reader's side stays quiet before the background starts
# After the reader's last key, click, wheel or mouse move, the background waits this long:
# its Python-side work (parsing, language detection, tokenizing) competes with the GUI thread
# for the GIL, so it runs while the reader reads, not while they scroll, hover or type.
INPUT_QUIET_MS = 1500
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove, QEvent.Type.TouchBegin,
})
PENDING = (Status.NONE, Status.PARTIAL)


class BackgroundTranslation(QObject):
    """Translates the library's untranslated articles while nothing else needs the worker.

    ``refresh_summary(key)`` is called as an article's translation progresses (the library
    reads its status from the cache). Signals:

    - ``articleStarted(key: str)``, ``articleDone(key: str)``;
    - ``allDone()``: nothing is left to translate (for this target, quality and models);
    - ``status(text: str)``: one line saying what it does ("" when idle).
    """

    articleStarted = Signal(str)
    articleDone = Signal(str)
    allDone = Signal()
    status = Signal(str)

    def __init__(
        self, services: Services, library: LibraryModel,
        listed_keys: Callable[[], list[str]],
        refresh_summary: Callable[[str], None],
        open_key: Callable[[], str | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.library = library
        self._listed_keys = listed_keys
        self._refresh_summary = refresh_summary
        self._open_key = open_key
        self._job: int | None = None
        self._key: str | None = None
        self._holds: set[str] = set()  # who needs the worker or the CPU now
        self._started = False
        self._tried: set[str] = set()  # done or given up on, until the next reset
        self._skip: set[str] = set()  # the reader said Stop on these
        self._reported_done = False
        self._statuses_stale = False  # after a reset, until the library read them again
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self._next)
        self._input_timer = QTimer(self)
        self._input_timer.setSingleShot(True)
        self._input_timer.setInterval(INPUT_QUIET_MS)
        self._input_timer.timeout.connect(lambda: self.resume("input"))
        self._watching_input = False

    def watch_input(self) -> None:
        """Yield to the reader's input too (the window calls this; tests of the part alone
        need not)."""
        app = QApplication.instance()
        if app is not None and not self._watching_input:
            app.installEventFilter(self)
            self._watching_input = True

    def note_input(self) -> None:
        """The reader is scrolling, hovering or typing: wait until they stop."""
        if not self._input_timer.isActive():
            self.pause("input")
        self._input_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.note_input()
        return False

    # -- control ------------------------------------------------------------------------------

    def enabled(self) -> bool:
        return self.services.settings.get(keys.BACKGROUND_TRANSLATION)

    def start(self) -> None:
        """Begin (the library is loaded); runs whenever idle from now on."""
        self._started = True
        self.schedule()

    def pause(self, reason: str = "reader") -> None:
        """Something the reader asked for needs the worker (``reason``: "reader" for the
        article on screen, "export"…): stop the background job now (between engine
        windows) and wait until every reason has been :meth:`resumed <resume>`."""
        self._holds.add(reason)
        self._timer.stop()
        self._cancel_job()

    def resume(self, reason: str = "reader") -> None:
        self._holds.discard(reason)
        self.schedule()

    def paused(self) -> bool:
        return bool(self._holds)

    def reset(self) -> None:
        """The target language, quality or models changed: everything may need work again.
        Nothing starts until :meth:`statuses_refreshed` (the library reads them again)."""
        self._tried.clear()
        self._skip.clear()
        self._reported_done = False
        self._statuses_stale = True
        self._timer.stop()
        self._cancel_job()

    def statuses_refreshed(self) -> None:
        """The library's statuses are current: look for work."""
        self._statuses_stale = False
        self.schedule()

    def skip(self, key: str) -> None:
        """Leave ``key`` alone until the next reset (the reader stopped its translation)."""
        self._skip.add(key)
        if self._key == key:
            self._cancel_job()

    def setting_changed(self) -> None:
        if self.enabled():
            self.schedule()
        else:
            self._timer.stop()
            self._cancel_job()
            self.status.emit("")

    def schedule(self) -> None:
        """Look for work after a quiet moment (nothing happens while a job runs)."""
        if (self._started and not self._holds and not self._statuses_stale
                and self._job is None and self.enabled()):
            self._timer.start()

    def current_key(self) -> str | None:
        return self._key

    def queue(self) -> list[str]:
        """The keys still to translate, in order."""
        pending = {
            entry.key for entry in (self.library.entry(a.key) for a in self.library.articles())
            if entry is not None and entry.article.ok and entry.summary.status in PENDING
        }
        return background_order(
            self._open_key(), self._listed_keys(), [a.key for a in self.library.articles()],
            pending, skip=self._tried | self._skip,
        )

    # -- the jobs -------------------------------------------------------------------------------

    def _next(self) -> None:
        if self._job is not None or self._holds or self._statuses_stale or not self.enabled():
            return
        order = self.queue()
        if not order:
            self.status.emit("")
            if not self._reported_done:
                self._reported_done = True
                self.allDone.emit()
            return
        self._reported_done = False
        self._translate(order[0], left=len(order))

    def _translate(self, key: str, *, left: int) -> None:
        services = self.services
        listed = self.library.article(key)
        if listed is None:
            return
        known = services.parsed.get(key)
        override = services.settings.source_override(key)
        engine, target = services.engine, services.target_language()

        def job(context: JobContext) -> object:
            full = known
            if full is None:
                from reader.core.library.formats import read_file

                full = read_file(listed.path, paragraph_languages=True)
                _ = full.text_offsets  # made here, not on the GUI thread
                context.emit(ArticleParsed(full))
            context.check()
            for event in engine.translate(full.with_source_language(override), target,
                                          is_cancelled=context.is_cancelled):
                if isinstance(event, TranslationProgress):
                    context.progress(event.done, event.total)
                elif isinstance(event, TranslationFinished):
                    return event
            return None

        self._key = key
        self._job = services.translation.submit(
            job, "background", on_result=self._on_result,
            on_progress=lambda _done, _total: self._refresh_summary(key),
            on_error=lambda _text: self._tried.add(key),
            on_finished=lambda cancelled: self._on_finished(key, cancelled),
        )
        self.articleStarted.emit(key)
        title = listed.display_title
        title = title if len(title) <= 40 else title[:39].rstrip() + "…"
        self.status.emit(f"Translating the library: “{title}” "
                         f"({left} article{'s' if left != 1 else ''} to go)")

    def _on_result(self, payload: object) -> None:
        if isinstance(payload, ArticleParsed):
            self.services.parsed.put(payload.article)
        elif isinstance(payload, TranslationFinished) and payload.error and self._key:
            self._tried.add(self._key)  # a failing article is not tried again and again

    def _on_finished(self, key: str, cancelled: bool) -> None:
        self._job = None
        self._key = None
        self._refresh_summary(key)
        if not cancelled:
            # Done, or as done as it gets (failed paragraphs): not again until a reset.
            self._tried.add(key)
            self.articleDone.emit(key)
        self.schedule()

    def _cancel_job(self) -> None:
        if self._job is not None:
            self.services.translation.cancel(self._job)

    def close(self) -> None:
        self._timer.stop()
        self._input_timer.stop()
        self._started = False
        app = QApplication.instance()
        if app is not None and self._watching_input:
            app.removeEventFilter(self)
            self._watching_input = False
