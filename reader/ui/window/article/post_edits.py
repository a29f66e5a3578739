"""The reader's own translations: save an edit, revert it, translate a paragraph again,
carry an edit to its repeats, clear an article's translations."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from reader.core.articles.article import Article
from reader.core.glossary.suggest import RepeatedChanges, Suggestion
from reader.core.translation.cache import CacheWriteError
from reader.core.translation.engine import article_cache_hashes
from reader.core.translation.post_edit import RepeatProposal, apply_repeats, find_repeats
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.core.util.wording import plural
from reader.ui.library_model import LibraryModel
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import REVERT_KEYS, Pending
from reader.ui.window.article.session import ArticleSession
from reader.ui.window.services import Services
from reader.ui.workers import JobContext


@dataclass(frozen=True)
class RepeatsFound:
    target: str
    proposals: list[RepeatProposal]


# While edits are kept in memory only (the cache could not write them), how often the window
# tries again.
RETRY_UNSAVED_MS = 2000


@dataclass(frozen=True)
class EditWritten:
    row: int
    text: str
    stored: bool
    error: str


class PostEdits(QObject):
    """Edits of the article on screen (the session's), stored in the cache.

    An edit is saved for the paragraph the view holds and the language the session shows,
    so it lands where it was typed whatever happens next (another article, another
    language: the session saves an edit in progress before it changes either).

    Signals: ``editSaved(row: int)``; ``repeatsFound(count: int)`` (0 too: the look-up
    ended); ``repeatsApplied(count: int)``; ``message(text: str)``; ``editNotSaved(row)`` and
    ``unsavedWritten()`` (see :meth:`save_edit`); ``editReverted(row)``.
    """

    editSaved = Signal(int)
    # An edit the cache could not write in time: shown, kept in memory, retried.
    editNotSaved = Signal(int)
    # A revert was handled (written, or kept to retry): the row shows the machine text.
    editReverted = Signal(int)
    # Every edit kept in memory is written now (after editNotSaved).
    unsavedWritten = Signal()
    repeatsFound = Signal(int)
    repeatsApplied = Signal(int)
    message = Signal(str)

    def __init__(
        self, services: Services, session: ArticleSession, pane: ReadingPane,
        library: LibraryModel, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.pane = pane
        self.library = library
        self._repeats_job: int | None = None
        self._pending: RepeatsFound | None = None
        # One-word changes made this session ("Make this a glossary entry").
        self.changes = RepeatedChanges()
        self.glossary_suggestion: Suggestion | None = None
        self._retrying = False
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_UNSAVED_MS)
        self._retry_timer.timeout.connect(self.retry_unsaved)
        pane.view.editCommitted.connect(self.save_edit)
        pane.view.rowActionRequested.connect(self.row_action)
        pane.repeats_bar.applyRequested.connect(self.apply_pending_repeats)
        pane.repeats_bar.dismissed.connect(self.dismiss_repeats)

    def _dialog_parent(self) -> QWidget:
        return self.pane.window()

    # -- paragraph actions ----------------------------------------------------------------------

    def row_action(self, action: str, row: int) -> None:
        """The reading view's context menu: "edit", "revert" or "retranslate" ``row``."""
        handlers = {"edit": self.edit_with_dialog, "revert": self.revert,
                    "retranslate": self.retranslate}
        if action in handlers:
            handlers[action](row)

    def current_row(self) -> int:
        view = self.pane.view
        row = view.editing_row()
        return row if row >= 0 else view.focus_row()

    def revert_current(self) -> None:
        """Ctrl+Shift+Backspace: the paragraph being edited, else the current one."""
        row = self.current_row()
        if row >= 0:
            self.revert(row)

    def retranslate_current(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.retranslate(row)

    def edit_in_place(self) -> None:
        """F2: edit the current paragraph's translation in place."""
        view = self.pane.view
        row = view.focus_row()
        if row < 0 or not view.edit_row(row):
            self.message.emit("Nothing to edit here: open a translated paragraph first.")

    def edit_with_dialog(self, row: int) -> None:
        translation = self.pane.view.translation(row)
        if translation is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self._dialog_parent(), "Edit translation",
            "Your translation (kept over machine text):", translation.translation,
        )
        if ok:
            self.save_edit(row, text)

    def revert(self, row: int) -> None:
        view = self.pane.view
        translation = view.translation(row)
        if translation is None:
            return
        if view.editing_row() == row:
            view.cancel_edit()
        if translation.status is not ParagraphStatus.EDITED:
            self.message.emit("This paragraph shows the machine translation already.")
            return
        engine = self.services.engine
        target = self.session.shown_target
        article = self.session.article

        def job(context: JobContext) -> object:  # may wait for the cache: not here
            return engine.revert_edit(translation, target)

        def done(stored: object) -> None:
            current = self.session.article
            if (current is not None and article is not None and current.path == article.path
                    and self.session.shown_target == target):
                self.session.reload_row(row)
            if stored:
                self.message.emit(f"Paragraph {row + 1}: back to the machine translation.")
            else:
                self._retry_timer.start()
                self.message.emit(f"Paragraph {row + 1}: back to the machine translation, "
                                  "not saved yet (the cache is busy); it is saved on a retry.")
            self.editReverted.emit(row)

        self.services.edits.submit(job, "revert", on_result=done,
                                   on_error=lambda message: self.message.emit(message))

    def retranslate(self, row: int) -> None:
        view = self.pane.view
        translation = view.translation(row)
        if translation is not None and translation.status is ParagraphStatus.PASSTHROUGH:
            return  # nothing to translate there
        if view.editing_row() == row:
            view.commit_edit()
        self.message.emit(f"Translating paragraph {row + 1} again…")
        view.set_pending_style(Pending.TRANSLATING)
        # Bypasses the cache for this paragraph only; the new machine text replaces the
        # cached one. A post-edit keeps being shown (the engine serves it first).
        self.session.translate(only={row}, use_cache=False)

    def save_edit(self, row: int, text: str) -> bool:
        """Store the reader's translation of ``row`` (kept over machine text, survives
        re-translation and model upgrades), show it, then look for its repeats.

        The write runs on the edits worker; True means it was started. ``editSaved(row)``
        once it is committed; ``editNotSaved(row)`` when the cache could not be written in
        time: the edit stays on screen marked not saved yet, kept in memory, and a timer
        retries until ``unsavedWritten()``."""
        article = self.session.article
        translation = self.pane.view.translation(row)
        if article is None or translation is None:
            return False
        text = text.strip()
        if not text:
            self.message.emit(
                f"An empty translation was not saved; {REVERT_KEYS} goes back to the machine "
                "translation."
            )
            return False
        if text == translation.translation.strip():
            return False  # unchanged: no edit to keep
        target = self.session.shown_target
        engine = self.services.engine
        # On screen at once, marked "not saved yet" until the write commits: the write may
        # wait for another program's hold on the cache (seconds), on the edits worker.
        self.pane.view.set_translation(dataclasses.replace(
            translation, translation=text, status=ParagraphStatus.EDITED, sentences=(),
            machine_translation=translation.machine_translation
            if translation.status is ParagraphStatus.EDITED else translation.translation,
            unsaved=True,
        ))
        self.message.emit(f"Paragraph {row + 1}: saving your edit…")

        def job(context: JobContext) -> object:
            stored = engine.set_edit(translation, target, text)
            cache = engine.cache
            return EditWritten(row, text, stored, cache.last_error if cache else "")

        def written(payload: object) -> None:
            assert isinstance(payload, EditWritten)
            self._edit_written(article, translation, target, payload)

        self.services.edits.submit(job, "edit", on_result=written,
                                   on_error=lambda message: self.message.emit(message))
        return True

    def _edit_written(
        self, article: Article, translation: ParagraphTranslation, target: str,
        done: EditWritten,
    ) -> None:
        current = self.session.article
        if (current is not None and current.path == article.path
                and self.session.shown_target == target):
            self.session.reload_row(done.row)
        if not done.stored:
            self.message.emit(
                f"Paragraph {done.row + 1}: your edit is not saved yet ({done.error}); it is "
                "kept and saved as soon as the cache can be written."
            )
            self._retry_timer.start()
            self.editNotSaved.emit(done.row)
            return
        self.message.emit(f"Paragraph {done.row + 1}: your edit is saved.")
        self.editSaved.emit(done.row)
        if self.services.cache.unsaved_edits():
            self._retry_timer.start()
        elif self._retry_timer.isActive():
            self._unsaved_done()  # it carried the earlier unsaved edits with it
        self._find_repeats(article, translation, done.text, target)
        self._note_change(translation, done.text)

    def _note_change(self, translation: ParagraphTranslation, text: str) -> None:
        """The same one-word change made in two paragraphs: offer it as a glossary entry
        (the status line says so; Tools → Glossary… opens with it filled in)."""
        machine = (translation.machine_translation
                   if translation.status is ParagraphStatus.EDITED
                   else translation.translation) or ""
        found = self.changes.note(translation.source, machine, text)
        if found is not None:
            self.glossary_suggestion = found
            self.message.emit(
                f"You changed “{found.replaced}” to “{found.target}” twice. Make this a "
                "glossary entry? Tools → Glossary… (Ctrl+Shift+G) has it ready."
            )

    def retry_unsaved(self) -> None:
        """Try again to write the edits kept in memory (on the edits worker)."""
        cache = self.services.cache
        if self._retrying:
            return
        if not cache.unsaved_edits():
            self._retry_timer.stop()
            return
        self._retrying = True

        def job(context: JobContext) -> object:
            return cache.retry_unsaved()

        def result(payload: object) -> None:
            if payload == 0:
                self._unsaved_done()

        def finished(_cancelled: bool) -> None:
            self._retrying = False

        self.services.edits.submit(job, "edit-retry", on_result=result, on_finished=finished,
                                   on_error=lambda message: self.message.emit(message))

    def _unsaved_done(self) -> None:
        self._retry_timer.stop()
        article = self.session.article
        if article is not None:
            self.session.reload_rows(
                row for row, t in enumerate(self.pane.view.translations())
                if t is not None and t.unsaved
            )
        self.message.emit("Your edits are saved now.")
        self.unsavedWritten.emit()

    # -- repeats of an edited passage -------------------------------------------------------

    def _find_repeats(
        self, article: Article, edited: ParagraphTranslation, text: str, target: str
    ) -> None:
        engine = self.services.engine
        articles = [self.services.reading_article(a) for a in self.library.articles()]
        path = article.path

        def job(context: JobContext) -> object:
            proposals = find_repeats(articles, edited, text, engine, target, source_article=path)
            return RepeatsFound(target, proposals)

        if self._repeats_job is not None:
            self.services.search.drop(self._repeats_job)
        self._repeats_job = self.services.search.submit(
            job, "repeats", on_result=self._repeats_found,
            on_error=lambda message: self.message.emit(message),
        )

    def _repeats_found(self, payload: object) -> None:
        assert isinstance(payload, RepeatsFound)
        self._repeats_job = None
        todo = [p for p in payload.proposals if p.needs_applying]
        same = sum(1 for p in payload.proposals if p.identical)
        if todo:
            self._pending = RepeatsFound(payload.target, todo)
            times = "once more" if len(todo) == 1 else f"{len(todo)} more times"
            articles = len({p.article_path for p in todo})
            where = "" if articles == 1 else f" (in {articles} articles)"
            also = f" {plural(same, 'identical paragraph')} already show it." if same else ""
            self.pane.repeats_bar.offer(
                f"This passage appears {times}{where}. Apply your edit there too?{also}"
            )
        elif same:
            self.message.emit(f"Your edit also shows in {plural(same, 'identical paragraph')}.")
        self.repeatsFound.emit(len(todo))

    def apply_pending_repeats(self) -> int:
        """Store the pending proposals as edits (the Apply button of the repeats bar), on the
        edits worker; ``repeatsApplied`` says how many. Returns how many are proposed."""
        pending = self._pending
        self.dismiss_repeats()
        if pending is None:
            return 0
        engine = self.services.engine
        cache = self.services.cache

        def job(context: JobContext) -> object:  # writes that may wait: on the edits worker
            return apply_repeats(pending.proposals, engine, pending.target)

        def done(payload: object) -> None:
            assert isinstance(payload, list)
            applied: list[RepeatProposal] = payload
            article = self.session.article
            if article is not None and pending.target == self.session.shown_target:
                self.session.reload_rows(proposal.paragraph_index for proposal in applied
                                         if proposal.article_path == article.path)
            unsaved = " (not saved yet: the cache is busy; saved on a retry)" if (
                cache.unsaved_edits()) else ""
            if unsaved:
                self._retry_timer.start()
            self.message.emit(f"Your edit was applied to {len(applied)} more paragraph"
                              f"{'s' if len(applied) != 1 else ''}{unsaved}.")
            self.repeatsApplied.emit(len(applied))

        self.services.edits.submit(job, "repeats", on_result=done,
                                   on_error=lambda message: self.message.emit(message))
        return len(pending.proposals)

    def dismiss_repeats(self) -> None:
        self._pending = None
        self.pane.repeats_bar.setVisible(False)

    # -- clearing an article's translations --------------------------------------------------

    def clear_article_translations(self, *, include_edits: bool = False) -> bool:
        """Forget the cached machine translations of the article on screen (every route and
        setting) and translate it again. Post-edits stay unless ``include_edits``, which
        asks for confirmation first. The clearing runs on the edits worker (it may wait for
        the cache); the status bar says what was removed, or that nothing could be. Returns
        True when it was started."""
        article = self.session.article
        if article is None or not article.ok:
            self.message.emit("Open an article first.")
            return False
        self.pane.view.commit_edit()
        if include_edits:
            edits = sum(
                1 for t in self.pane.view.translations()
                if t is not None and t.status is ParagraphStatus.EDITED
            )
            mine = (f"your {plural(edits, 'edited paragraph')}"
                    if edits else "any edits you made to its paragraphs")
            answer = QMessageBox.question(
                self._dialog_parent(), "Delete your edits?",
                f"Delete the machine translations of “{article.display_title}” and {mine}, "
                "in every language?\n\nYour edits cannot be recovered.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.message.emit("Nothing was deleted.")
                return False
        cache = self.services.cache
        hashes = article_cache_hashes(article)

        def job(context: JobContext) -> object:  # may wait for the cache: not here
            try:
                return cache.clear_hashes(hashes, include_edits=include_edits)
            except CacheWriteError as error:
                return error

        def done(payload: object) -> None:
            if isinstance(payload, CacheWriteError):
                self.message.emit(f"The translations were not cleared: {payload}.")
                return
            assert isinstance(payload, int)
            kept = "" if include_edits else "; your edits are kept"
            self.message.emit(f"Cleared {plural(payload, 'cached translation')}{kept}. "
                              "Translating again…")
            current = self.session.article
            if current is not None and current.path == article.path:
                self.session.render()

        self.services.edits.submit(job, "clear", on_result=done,
                                   on_error=lambda message: self.message.emit(message))
        return True
