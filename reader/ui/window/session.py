"""The article on screen: opening it, what the cache has at once, streaming the rest, Stop.

The session holds the one copy of the article on screen, as it is translated: parsed with
per-paragraph languages when known, read in the language the reader chose. Every change of
article, target language, quality or source language goes through :meth:`_leave_jobs`,
which first saves an edit in progress (against the article and language it was typed in,
whoever called), then drops the jobs of what is left, so a late paragraph can never land
in the article being read.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core.article import Article
from reader.core.engine import (
    TranslationFinished,
    TranslationProgress,
    TranslationStarted,
)
from reader.core.packages import MissingModelError, PackageError
from reader.core.translation import ParagraphTranslation
from reader.ui import settings as keys
from reader.ui.library_model import LibraryModel, Status, TranslationSummary
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import Pending
from reader.ui.window.languages import source_languages
from reader.ui.window.progress import TaskProgress
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

POSITION_SAVE_MS = 1500


@dataclass(frozen=True)
class ArticleParsed:
    """First result of a translation job that had to parse the file."""

    article: Article


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
        return set(self._jobs)

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
        pane.view.set_article(self._article if listed.ok else None)
        if not listed.ok:
            pane.set_article(listed)
            pane.show_no_model(None)
            pane.view.set_message(f"Cannot show {listed.path.name}: {listed.error}")
            self.articleOpened.emit(key)
            return
        self.update_header()
        self.render()
        state = self.services.settings.article_state(key)
        pane.view.restore_position(state.paragraph, state.offset)
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
        from reader.core.packages import language_name

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
        from reader.core.packages import language_name

        if self._article is None:
            return
        installed = self.services.engine.installed()
        self.pane.view.set_headings(
            language_name(self._article.language, installed),
            f"{language_name(self.services.target_language(), installed)} · machine translation",
        )

    # -- translating --------------------------------------------------------------------------

    def render(self) -> None:
        """Show what the cache has at once; translate the rest in the worker."""
        article = self._article
        if article is None or not article.ok:
            return
        self._leave_jobs()
        view = self.pane.view
        target = self.services.target_language()
        self._shown_target = target
        try:
            ready = self.services.engine.peek(article, target)
        except MissingModelError as error:
            self._show_missing_model(error)
            return
        except PackageError as error:
            self.message.emit(str(error))
            return
        self.pane.show_no_model(None)
        view.clear_translations()
        for translation in ready:
            if translation is not None:
                view.set_translation(translation)
        view.flush()
        self.summaryChanged.emit(article.key, TranslationSummary.from_translations(ready))
        if all(t is not None for t in ready):
            self.progress.end()
            self.translationFinished.emit(article.key, False)
            return
        view.set_pending_style(Pending.TRANSLATING)
        self.translate()

    def resume(self) -> None:
        """Translate what is missing (after Stop, or a failure)."""
        if self._article is not None and self._article.ok:
            self.render()

    def translate(self, *, only: set[int] | None = None, use_cache: bool = True) -> int | None:
        """Start a job translating the article on screen (``only`` these paragraphs;
        ``use_cache=False`` runs the model again and replaces the cached machine text)."""
        article = self._article
        if article is None or not article.ok:
            return None
        services = self.services
        engine, target, key = services.engine, self._shown_target, article.key
        known = services.parsed.get(key)
        override = services.settings.source_override(key)

        def job(context: JobContext) -> object:
            full = known
            if full is None:
                from reader.core.parser import parse_file

                full = parse_file(article.path, paragraph_languages=True)
                context.emit(ArticleParsed(full))
            full = full.with_source_language(override)
            context.check()
            for event in engine.translate(
                full, target, use_cache=use_cache, is_cancelled=context.is_cancelled, only=only
            ):
                if isinstance(event, TranslationProgress):
                    context.progress(event.done, event.total)
                elif isinstance(event, TranslationFinished):
                    return event
                elif isinstance(event, TranslationStarted):
                    context.emit(event)
                else:
                    context.emit(event.paragraph)
            return None

        ids: list[int] = []
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

    def reload_row(self, row: int) -> None:
        """Show ``row`` as the cache has it now (after an edit or a revert)."""
        article = self._article
        if article is None:
            return
        ready = self.services.engine.peek(article, self._shown_target)
        translation = ready[row]
        if translation is not None:
            self.pane.view.set_translation(translation)
        else:
            self.translate(only={row})

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
        if isinstance(payload, ParagraphTranslation):
            self.pane.view.set_translation(payload)
        elif isinstance(payload, TranslationStarted):
            if payload.total_sentences:
                self.progress.begin(payload.total_sentences)
                self.progress.update_progress(0, payload.total_sentences, "sentences")
        elif isinstance(payload, ArticleParsed):
            self._article_parsed(payload.article)
        elif isinstance(payload, TranslationFinished) and payload.error:
            self.message.emit(f"Translation failed: {payload.error}")

    def _article_parsed(self, full: Article) -> None:
        self.services.parsed.put(full)
        current = self._article
        listed = self.library.article(full.key)
        if current is None or current.key != full.key or listed is None:
            return
        self._article = self.services.reading_article(listed)
        if [p.text for p in full.paragraphs] != [p.text for p in current.paragraphs]:
            # The file changed on disk since it was listed: show what is there now.
            self.pane.view.set_article(self._article)

    def _on_job_finished(self, job_id: int, key: str, cancelled: bool) -> None:
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
        for job_id in self._jobs:
            # Still ask for the left article's status when its job ends: its last window
            # lands in the cache after this.
            self.services.translation.drop(
                job_id, then=lambda _c, k=left: self._refresh_summary(k)
            )
        self._jobs.clear()
        self.progress.end()
        self._set_busy(False)

    def _refresh_summary(self, key: str | None) -> None:
        listed = self.library.article(key) if key else None
        if listed is None or not listed.ok or key == self.key():
            return
        try:
            ready = self.services.engine.peek(self.services.reading_article(listed),
                                              self.services.target_language())
        except PackageError:
            return
        self.summaryChanged.emit(key, TranslationSummary.from_translations(ready))

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _show_missing_model(self, error: MissingModelError) -> None:
        from reader.core.packages import language_name

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
