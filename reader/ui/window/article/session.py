"""The article on screen: opening it, what the cache has at once, streaming the rest, Stop.

The session holds the one copy of the article on screen, as it is translated: parsed with
per-paragraph languages when known, read in the language the reader chose. Every change of
article, target language, quality or source language goes through :meth:`_leave_jobs`,
which first saves an edit in progress (against the article and language it was typed in,
whoever called), then drops the jobs of what is left, so a late paragraph can never land
in the article being read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core.articles.article import Article
from reader.core.models.store import MissingModelError, language_name
from reader.core.translation.engine import (
    TranslationFinished,
    TranslationStarted,
)
from reader.core.translation.results import ParagraphTranslation
from reader.ui import settings as keys
from reader.ui.library_model import LibraryModel, Status, TranslationSummary
from reader.ui.memory import keep_long_lived
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import Pending
from reader.ui.window.article.jobs import (
    ArticleParsed,
    CacheRead,
    cache_read_job,
    read_cache,
    translation_job,
)
from reader.ui.window.languages import source_languages
from reader.ui.window.progress import TaskProgress
from reader.ui.window.services import Services
from reader.ui.workers import JobContext, Outbox

# Translations shown per turn of the event loop when many arrive together (a book's
# cached paragraphs and sentence-memory hits come thousands at once): as many as fit in
# APPLY_BUDGET_S, APPLY_CHUNK at a time. Each costs ~6 µs alone, two to three times that
# while a worker runs Python beside the GUI thread (a fixed 2,000 took up to 40 ms).
APPLY_CHUNK = 250
APPLY_BUDGET_S = 0.006
# Translations shown between two freezes of everything alive out of full GC passes: a book's
# 40,000 arrive while it translates, and unfrozen they make each full pass (on any thread,
# holding the GIL) longer (reader.ui.memory). A freeze costs one young pass, ~1 ms.
FREEZE_EVERY = 4000

POSITION_SAVE_MS = 1500
# Longest wait of the cache read for the original's first paint (a window that is not
# painted, say covered, must not hold it up).
PAINT_BEFORE_READ_S = 0.1


class ArticleSession(QObject):
    """Opens articles into the reading pane and translates what the cache lacks.

    Signals:

    - ``articleOpened(key: str)``;
    - ``articleChanged()``: the article on screen was read again (new source language, or
      the file changed on disk), same key;
    - ``translationFinished(key: str, cancelled: bool)``: the article on screen has all the
      translation it will get for now (from the cache at once, or at the end of a job);
    - ``busyChanged(busy: bool)``: a job for the article on screen started, or none is left;
    - ``summaryChanged(key: str, summary: TranslationSummary)``;
    - ``message(text: str)``: one line for the status bar;
    - ``modelMissing(from_code: str, to_code: str)``: no model reaches the article's language
      (the window offers that pair for download).
    """

    articleOpened = Signal(str)
    articleChanged = Signal()
    modelMissing = Signal(str, str)
    translationFinished = Signal(str, bool)
    busyChanged = Signal(bool)
    summaryChanged = Signal(str, object)
    message = Signal(str)

    def __init__(
        self, services: Services, pane: ReadingPane, library: LibraryModel,
        progress: TaskProgress, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.pane = pane
        self.library = library
        self.progress = progress
        self._article: Article | None = None
        self._shown_target = services.target_language()
        self._jobs: set[int] = set()
        self._read_job: int | None = None  # the cache read of what is on screen
        self._stop_after_read = False
        self._outboxes: dict[int, Outbox[ParagraphTranslation]] = {}  # by live job
        self._shown_since_freeze = 0
        self._busy = False
        self._stopped: str | None = None  # key of the article the reader stopped
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_MS)
        self._position_timer.timeout.connect(self.save_position)
        pane.view.positionChanged.connect(self._position_timer.start)
        progress.cancelRequested.connect(self.cancel)

    # -- what is on screen --------------------------------------------------------------------

    @property
    def article(self) -> Article | None:
        return self._article

    def key(self) -> str | None:
        return self._article.key if self._article is not None else None

    @property
    def shown_target(self) -> str:
        """The language of the translations on screen (an edit is saved for this one)."""
        return self._shown_target

    def job_ids(self) -> set[int]:
        """The jobs for what is on screen (its cache read and translation)."""
        return self._jobs | ({self._read_job} if self._read_job is not None else set())

    def busy(self) -> bool:
        return self._busy

    def stopped_by_reader(self) -> str | None:
        """The key of the article whose translation the reader stopped (not resumed)."""
        return self._stopped

    # -- opening ------------------------------------------------------------------------------

    def open(self, key: str) -> None:
        if self._article is not None and self._article.key == key:
            return
        listed = self.library.article(key)
        if listed is None:
            return
        self._leave_jobs()
        self.save_position()
        self._article = self.services.reading_article(listed)
        self.services.settings.set(keys.LAST_ARTICLE, key)
        pane = self.pane
        if not listed.ok:
            pane.view.set_article(None)
            pane.set_article(listed)
            pane.show_no_model(None)
            pane.view.set_message(f"Cannot show {listed.path.name}: {listed.error}")
            self.articleOpened.emit(key)
            return
        # The header first: showing it resizes the view, which would lay out its screen of
        # rows again. Then the rows, laid out once, where the reader left the article.
        self.update_header()
        state = self.services.settings.article_state(key)
        pane.view.set_article(self._article, (state.paragraph, state.offset))
        self.render()
        self.articleOpened.emit(key)

    def reread(self) -> None:
        """Read the article on screen again in the language the reader chose for it now
        (per article, or the default source language) and translate it."""
        if self._article is None:
            return
        listed = self.library.article(self._article.key)
        if listed is None or not listed.ok:
            return
        self._leave_jobs()
        self._article = self.services.reading_article(listed)
        self.pane.view.set_article(self._article)
        self.update_header()
        self.articleChanged.emit()
        self.render()

    def set_source_language(self, code: str) -> None:
        """The reader says the article on screen is in ``code`` ("" = as detected)."""
        key = self.key()
        if key is None:
            return
        self.pane.view.commit_edit()
        settings = self.services.settings
        state = settings.article_state(key)
        state.source_language = code or None
        settings.set_article_state(key, state)
        self.reread()

    def update_header(self) -> None:
        article = self._article
        if article is None:
            return
        listed = self.library.article(article.key) or article
        installed = self.services.engine.installed()
        self.pane.set_article(
            listed,
            languages=source_languages(installed),
            override=self.services.settings.article_state(article.key).source_language,
            detected_name=language_name(listed.language, installed),
        )
        self.update_headings()

    def update_headings(self) -> None:
        if self._article is None:
            return
        installed = self.services.engine.installed()
        self.pane.view.set_headings(
            language_name(self._article.language, installed),
            f"{language_name(self.services.target_language(), installed)} · machine translation",
        )

    # -- translating --------------------------------------------------------------------------

    def render(self) -> None:
        """Show what the cache has as soon as it is read (on the reading worker: a book's
        cache read is too long for the GUI thread); translate the rest in the worker."""
        article = self._article
        if article is None or not article.ok:
            return
        self._leave_jobs()
        target = self.services.target_language()
        self._shown_target = target
        self.pane.view.clear_translations()  # another target's text goes at once
        self._stop_after_read = False
        engine = self.services.engine
        shown = self.pane.view.article()
        rows = shown.paragraphs if shown is not None else ()
        # The original is painted first, then the cache is read: the read is Python work
        # over every paragraph (a book's takes 0.2-0.5 s), and run while the GUI thread
        # lays out and paints the screen it takes half of the GIL from it, doubling that
        # paint (issue #15's stalls). The job waits on its worker, holding nothing.
        painted = threading.Event()
        self.pane.view.call_after_paint(painted.set)

        job = cache_read_job(engine, article, target, rows,
                             lambda: painted.wait(PAINT_BEFORE_READ_S))

        def finished(_cancelled: bool) -> None:
            if self._read_job == job_id:
                self._read_job = None

        job_id = self.services.reading.submit(
            job, "cache read", on_result=self._on_cache_read,
            on_error=lambda text: self.message.emit(text), on_finished=finished,
        )
        self._read_job = job_id

    def _on_cache_read(self, payload: object) -> None:
        assert isinstance(payload, CacheRead)
        # The read is over once its result is here (the router hands over only the current
        # read's): forgotten now, not when its "finished" arrives in a later event, so that
        # whoever hears translationFinished below sees no job left for an all-cached article.
        self._read_job = None
        article = self._article
        if article is None:
            return
        if payload.no_model is not None:
            self._show_missing_model(payload.no_model)
            return
        self.pane.show_no_model(None)
        view = self.pane.view
        view.set_translations(payload.ready, payload.paragraphs)
        view.flush()
        self.summaryChanged.emit(article.key, payload.summary)
        if not payload.missing:
            self.progress.end()
            self.translationFinished.emit(article.key, False)
            return
        if self._stop_after_read:  # Stop was pressed while the cache was read
            view.set_pending_style(Pending.STOPPED)
            self._stopped = article.key
            self.translationFinished.emit(article.key, True)
            return
        view.set_pending_style(Pending.TRANSLATING)
        self.translate(only=payload.missing)

    def resume(self) -> None:
        """Translate what is missing (after Stop, or a failure)."""
        if self._article is not None and self._article.ok:
            self.render()

    def translate(
        self, *, only: Iterable[int] | None = None, use_cache: bool = True
    ) -> int | None:
        """Start a job translating the article on screen (``only`` these paragraphs, all
        if the file changed on disk; ``use_cache=False`` runs the model again and replaces
        the cached machine text)."""
        article = self._article
        if article is None or not article.ok:
            return None
        services = self.services
        engine, target, key = services.engine, self._shown_target, article.key
        known = services.parsed.get(key)
        override = services.settings.source_override(key)

        ids: list[int] = []
        outbox: Outbox[ParagraphTranslation] = Outbox()
        job = translation_job(engine, article, target, known, override, outbox,
                              only=only, use_cache=use_cache)
        job_id = services.translation.submit(
            job, "translate",
            on_result=self._on_job_result,
            on_progress=lambda done, total: self.progress.update_progress(done, total,
                                                                          "sentences"),
            on_error=lambda text: self.message.emit(f"Translation failed: {text}"),
            on_finished=lambda cancelled: self._on_job_finished(ids[0], key, cancelled),
        )
        ids.append(job_id)
        self._jobs.add(job_id)
        self._outboxes[job_id] = outbox
        self._stopped = None
        self._set_busy(True)
        self.progress.begin(0, "Preparing translation…")
        return job_id

    def cancel(self) -> None:
        """Stop: what is done stays (and is cached)."""
        for job_id in self._jobs:
            self.services.translation.cancel(job_id)
        if self._jobs:
            self._stopped = self.key()
        if self._read_job is not None:
            self._stop_after_read = True  # show what is cached, translate nothing

    def reload_row(self, row: int) -> None:
        """Show ``row`` as the cache has it now (after an edit or a revert)."""
        self.reload_rows([row])

    def reload_rows(self, rows: Iterable[int]) -> None:
        """Show ``rows`` as the cache has them now (one read of those rows only: a book's
        edit applied to its repeats is not a read of the whole book)."""
        article = self._article
        if article is None:
            return
        rows = sorted(set(rows))
        ready = self.services.engine.peek(article, self._shown_target, only=rows)
        missing: set[int] = set()
        for row in rows:
            translation = ready[row] if 0 <= row < len(ready) else None
            if translation is not None:
                self.pane.view.set_translation(translation)
            else:
                missing.add(row)
        if missing:
            self.translate(only=missing)

    def packages_changed(self) -> None:
        """Models were installed or removed: headers name them; a "no model" pane may now
        have one."""
        self.update_header()
        if self._article is not None and (self.pane.no_model_shown() or not self._jobs):
            self.render()

    def save_position(self) -> None:
        article = self._article
        view = self.pane.view
        if article is None or not article.ok or not view.row_count():
            return
        settings = self.services.settings
        state = settings.article_state(article.key)
        state.paragraph, state.offset = view.top_position()
        settings.set_article_state(article.key, state)

    def close(self) -> None:
        """The window closes: keep the edit in progress and the position."""
        self.pane.view.commit_edit()
        self.save_position()
        self._position_timer.stop()

    # -- job signals (only ever this session's live jobs: the router drops the rest) --------

    def _on_job_result(self, payload: object) -> None:
        if isinstance(payload, Outbox):
            self._apply(payload)
        elif isinstance(payload, TranslationStarted):
            if payload.total_sentences:
                self.progress.begin(payload.total_sentences)
                self.progress.update_progress(0, payload.total_sentences, "sentences")
        elif isinstance(payload, ArticleParsed):
            self._article_parsed(payload)
        elif isinstance(payload, TranslationFinished) and payload.error:
            self.message.emit(f"Translation failed: {payload.error}")

    def _apply(self, outbox: Outbox[ParagraphTranslation]) -> None:
        """Show the translations waiting in a live job's outbox, a bounded slice per turn
        of the event loop (the rest on the next turn, if the job is still live)."""
        if outbox.drain(self._show, chunk=APPLY_CHUNK, seconds=APPLY_BUDGET_S):
            QTimer.singleShot(0, self, lambda: self._apply_live(outbox))

    def _show(self, translations: list[ParagraphTranslation]) -> None:
        self.pane.view.add_translations(translations)
        self._shown_since_freeze += len(translations)
        if self._shown_since_freeze >= FREEZE_EVERY:
            self._shown_since_freeze = 0
            keep_long_lived()  # kept as long as the article is shown: out of full GC passes

    def _apply_live(self, outbox: Outbox[ParagraphTranslation]) -> None:
        if any(live is outbox for live in self._outboxes.values()):
            self._apply(outbox)

    def _finish_live(self, job_id: int, key: str, cancelled: bool) -> None:
        if job_id in self._outboxes:  # not dropped meanwhile
            self._on_job_finished(job_id, key, cancelled)

    def _article_parsed(self, parsed: ArticleParsed) -> None:
        full = parsed.article
        self.services.parsed.put(full)
        current = self._article
        listed = self.library.article(full.key)
        if current is None or current.key != full.key or listed is None:
            return
        self._article = self.services.reading_article(listed)
        if parsed.changed:
            # The file changed on disk since it was listed: show what is there now.
            self.pane.view.set_article(self._article)

    def _on_job_finished(self, job_id: int, key: str, cancelled: bool) -> None:
        outbox = self._outboxes.get(job_id)
        if outbox is not None and len(outbox):
            # Its last translations first, a slice per turn; it ends once they are shown.
            outbox.drain(self._show, chunk=APPLY_CHUNK, seconds=APPLY_BUDGET_S)
            QTimer.singleShot(0, self, lambda: self._finish_live(job_id, key, cancelled))
            return
        self._outboxes.pop(job_id, None)
        self._jobs.discard(job_id)
        if self._jobs:
            return
        self._set_busy(False)
        self.progress.end()
        view = self.pane.view
        translations = view.translations()
        if cancelled:
            view.set_pending_style(Pending.STOPPED)
            done = sum(1 for t in translations if t is not None)
            self.message.emit(
                f"Translation stopped: {done} of {len(translations)} paragraphs are ready. "
                "Ctrl+R translates the rest."
            )
        self.summaryChanged.emit(key, TranslationSummary.from_translations(translations))
        self.translationFinished.emit(key, cancelled)

    # -- leaving ------------------------------------------------------------------------------

    def _leave_jobs(self) -> None:
        """Save an edit in progress, then drop the jobs of what is on screen."""
        self.pane.view.commit_edit()
        left = self.key()
        if self._read_job is not None:
            self.services.reading.drop(self._read_job)
            self._read_job = None
        for job_id in self._jobs:
            # Still ask for the left article's status when its job ends: its last window
            # lands in the cache after this.
            self.services.translation.drop(
                job_id, then=lambda _c, k=left: self._refresh_summary(k)
            )
        self._jobs.clear()
        self._outboxes.clear()
        self.progress.end()
        self._set_busy(False)

    def _refresh_summary(self, key: str | None) -> None:
        """The status of an article left while it translated (read on the library worker,
        never ahead of the open article's cache read)."""
        listed = self.library.article(key) if key else None
        if key is None or listed is None or not listed.ok or key == self.key():
            return
        engine, target = self.services.engine, self.services.target_language()
        article = self.services.reading_article(listed)

        def job(context: JobContext) -> object:
            return read_cache(engine, article, target).summary

        self.services.library.submit(
            job, "status", on_result=lambda summary: self.summaryChanged.emit(key, summary),
            on_error=lambda _text: None,  # a status not read stays as it was
        )

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _show_missing_model(self, error: MissingModelError) -> None:
        self.progress.end()
        self.pane.show_no_model(
            f"No translation model for {language_name(error.from_code)} → "
            f"{language_name(error.to_code)} is installed, so only the original is shown. "
            "Install one (from a file or the Argos index) to read it side by side."
        )
        self.modelMissing.emit(error.from_code, error.to_code)
        if self._article is not None:
            self.summaryChanged.emit(self._article.key, TranslationSummary(Status.NO_MODEL))
            self.translationFinished.emit(self._article.key, False)
