"""The main window's shell: it builds the parts, lays them out and wires them together.

Each part does one thing and is built with the shared :class:`Services`; the shell owns no
behaviour of its own beyond composition, messages and closing:

- ``library`` (:class:`LibraryPane`): the article list, loading, statuses, read state;
- ``session`` (:class:`ArticleSession`): the article on screen and its translation;
- ``post_edits`` (:class:`PostEdits`): the reader's edits, repeats, clearing;
- ``search``, ``exporter``, ``word_tools``, ``words`` (word panel, saved words, read aloud);
- ``appearance``, ``quick`` (the toolbar's switches), Preferences; ``background`` (idle work);
- ``width_fit`` (:class:`WidthFit`): the library collapses in a narrow window (Ctrl+B);
- ``live_state`` (:class:`LiveState`): models and settings changed by other processes;
- ``intake`` (:class:`Intake`): files, links and text dropped, pasted or added;
- ``actions``: every command, from the table in :mod:`reader.ui.window.actions`.

A new part is added in ``__init__`` (build), ``_connect`` (wire) and, for a command,
the action table plus :func:`~reader.ui.window.actions.window_slots`. Where features plug in:

- new articles from anywhere (a dialog, a watched folder, files from another instance):
  ``self.library.load(paths, replace=False)`` or :meth:`open_paths`; the list, statuses and
  the background translation follow by themselves;
- models installed or removed: ``model_tasks.packagesChanged`` (here) and
  ``live_state.packagesChanged`` (another process) → ``_on_packages_changed``;
- a new preference: declare it in :mod:`reader.ui.settings`, add its control to
  :mod:`reader.ui.window.preferences`, and react to it in ``_on_setting`` (or in the part
  that shows it, through ``Settings.changed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QToolBar

from reader import paths
from reader.core.library.search import SearchHit
from reader.core.translation.engine import TranslationEngine
from reader.private_files import take_refusals
from reader.ui import settings as keys
from reader.ui.dialogs.add_article import AddArticleDialog, ArticleAdder
from reader.ui.dialogs.model_manager import ModelManagerDialog, ModelTasks
from reader.ui.folder_watch import FolderWatch
from reader.ui.gil import favour_gui_thread
from reader.ui.memory import keep_long_lived, tune_collector
from reader.ui.panels.feeds_panel import WindowFeeds
from reader.ui.panels.first_run import ModelOffer
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import Side
from reader.ui.window.actions import (
    ActionId,
    build_actions,
    build_menus,
    build_toolbar,
    shortcuts_html,
    window_slots,
)
from reader.ui.window.actions import shortcuts_help as shortcuts_help
from reader.ui.window.article.appearance import LAYOUT_ACTIONS, THEME_ACTIONS, Appearance
from reader.ui.window.article.post_edits import PostEdits
from reader.ui.window.article.session import ArticleSession
from reader.ui.window.article.word_tools import WordTools
from reader.ui.window.background import BackgroundTranslation
from reader.ui.window.export import Exporter
from reader.ui.window.intake import Intake
from reader.ui.window.library import LibraryPane
from reader.ui.window.live_state import LiveState
from reader.ui.window.preferences import PreferencesDialog
from reader.ui.window.progress import StatusLine, TaskProgress
from reader.ui.window.quick_switches import QuickSwitches
from reader.ui.window.search import LibrarySearch
from reader.ui.window.services import STREAM_WINDOW, Services
from reader.ui.window.where import ServerPairs, WhereStatus
from reader.ui.window.width_fit import LIBRARY_WIDTH, WidthFit
from reader.ui.words.docks import WordsDocks
from reader.ui.workers import WorkerThread

MESSAGE_MS = 8000
TITLE = "Bilingual Reader"


class MainWindow(QMainWindow):
    """The reader's window.

    Signals (mostly for tests and tooling):

    - ``libraryLoaded(count: int)``; ``articleOpened(key: str)``;
    - ``translationFinished(key: str, cancelled: bool)``: the article on screen has all the
      translation it will get for now (from the cache at once, or at the end of a job);
    - ``exportFinished(ok: bool)``; ``statusMessage(text: str)``;
    - ``editSaved(row: int)``; ``repeatsFound(count: int)``; ``repeatsApplied(count: int)``;
    - ``searchFinished(count: int)``; ``readChanged(key: str, read: bool)``.
    """

    libraryLoaded = Signal(int)
    articleOpened = Signal(str)
    exportFinished = Signal(bool)
    translationFinished = Signal(str, bool)
    statusMessage = Signal(str)
    editSaved = Signal(int)
    repeatsFound = Signal(int)
    repeatsApplied = Signal(int)
    searchFinished = Signal(int)
    readChanged = Signal(str, bool)

    def __init__(self, library_paths: Sequence[Path] | None = None, *,
                 stream_window: int = STREAM_WINDOW, services: Services | None = None) -> None:
        super().__init__()
        favour_gui_thread()  # before the workers start (reader.ui.gil)
        self.setWindowTitle(TITLE)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.services = services or Services.create(stream_window=stream_window)
        s = self.services
        self.settings, self.cache = s.settings, s.cache
        self.model_tasks = ModelTasks(s.tasks.worker_thread, self)
        self.model_dialog: ModelManagerDialog | None = None
        # Links and pasted text go to the reader's library (reader/ui/dialogs/add_article.py);
        # the library folders are watched so files saved into them appear by themselves.
        self.article_adder = ArticleAdder(s.tasks.worker_thread, self)
        self.folder_watch = FolderWatch(self)
        # Models installed or removed by another process, settings saved by another window.
        self.live_state = LiveState(s.settings, self)
        self.preferences_dialog: PreferencesDialog | None = None
        self.last_message = ""
        self._shut_down = False

        self.library = LibraryPane(s, library_paths)
        self.feeds = WindowFeeds(s, self.library, self.show_message, self)
        self.intake = Intake(self, self.library, self.article_adder, self.model_tasks,
                             self.show_message)
        self.pane = ReadingPane()
        self.pane.view.set_message("Loading the library…")
        self.translation_progress = TaskProgress("translationProgress")
        self.export_progress = TaskProgress("exportProgress")
        self.background_label = StatusLine("backgroundStatus", self)
        self.session = ArticleSession(s, self.pane, self.library.model,
                                      self.translation_progress, self)
        self.where_status = WhereStatus(s, self.session.translationFinished, self)
        self.post_edits = PostEdits(s, self.session, self.pane, self.library.model, self)
        self.word_tools = WordTools(s, self.session, self.pane, self.post_edits, self)
        self.words = WordsDocks(self)  # the word panel and the Words list, as docks
        self.search = LibrarySearch(s, self.library.model, self)
        self.exporter = Exporter(s, self.export_progress, lambda: self.session.article,
                                 self.library.listed_articles, self)
        self.quick = QuickSwitches(s.settings, lambda: s.engine.installed(), self)
        self.server_pairs = ServerPairs(s, self.quick.refresh_targets, self.show_message, self)
        self.actions = build_actions(
            self, window_slots(self) | self.words.slots()
        )
        self.appearance = Appearance(s.settings, self.pane.view, self.actions, parent=self)
        self.background = BackgroundTranslation(
            s, self.library.model, self.library.listed_keys, self.library.refresh_summary,
            open_key=self.session.key, parent=self)
        self.background.watch_input()
        self._lay_out()
        self.width_fit = WidthFit(self, self.splitter, self.library, self.pane.view,
                                  s.settings, self.actions[ActionId.TOGGLE_LIBRARY],
                                  self.show_message)
        self._connect()
        self._restore_window()
        QTimer.singleShot(0, self._start)

    # -- composition ------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([LIBRARY_WIDTH, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        status = self.statusBar()
        for widget in (self.background_label, self.where_status, self.export_progress,
                       self.translation_progress):
            status.addPermanentWidget(widget)
        build_menus(self.menuBar(), self.actions)
        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        build_toolbar(self.toolbar, self.actions, {"target": self.quick.target_combo,
                                                   "quality": self.quick.quality_combo})

    def _connect(self) -> None:
        s, lib, session, view = self.services, self.library, self.session, self.pane.view
        s.settings.changed.connect(self._on_setting)
        for router in s.routers():
            router.failed.connect(self.show_message)
        for source in (lib, session, self.post_edits, self.word_tools, self.exporter):
            source.message.connect(self.show_message)  # type: ignore[attr-defined]
        lib.libraryLoaded.connect(self._on_library_loaded)
        lib.articleChosen.connect(session.open)
        lib.summariesChanged.connect(self.background.statuses_refreshed)
        lib.readChanged.connect(self.readChanged)
        session.articleOpened.connect(self._on_article_opened)
        session.articleChanged.connect(lambda: self._follow_source_language())
        session.translationFinished.connect(self._on_translation_finished)
        session.busyChanged.connect(
            lambda busy: self.background.pause() if busy else self.background.resume())
        session.summaryChanged.connect(lib.set_summary)
        view.endReached.connect(self._on_end_reached)
        self.pane.modelManagerRequested.connect(self.open_model_manager)
        # First run: one click downloads the pair the article needs, inside the "no model"
        # banner (so it shows and hides with it).
        self.model_offer = ModelOffer(self.model_tasks)
        self.pane.add_to_banner(self.model_offer, self.model_offer.status)
        session.modelMissing.connect(self.model_offer.offer)
        self.pane.sourceLanguageChosen.connect(session.set_source_language)
        self.post_edits.editSaved.connect(self.editSaved)
        self.post_edits.repeatsFound.connect(self.repeatsFound)
        self.post_edits.repeatsApplied.connect(self.repeatsApplied)
        self.search.searchFinished.connect(self.searchFinished)
        self.search.hitActivated.connect(self.open_search_hit)
        self.search.closed.connect(lambda: view.setFocus())
        self.exporter.exportFinished.connect(self.exportFinished)
        # An export translates what is missing too: the background waits for it.
        self.exporter.exportStarted.connect(lambda: self.background.pause("export"))
        self.exporter.exportFinished.connect(lambda _ok: self.background.resume("export"))
        self.background.status.connect(self.background_label.show_text)
        self.model_tasks.packagesChanged.connect(self._on_packages_changed)
        self.model_tasks.message.connect(lambda text, _error: self.show_message(text))
        self.folder_watch.changed.connect(lib.reload)
        self.live_state.packagesChanged.connect(self._on_packages_changed)

    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 860)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter_state()
        if splitter is not None:
            self.splitter.restoreState(splitter)

    # -- fitting the width (reader/ui/window/width_fit.py) ----------------------------------

    def toggle_library(self) -> bool:
        return self.width_fit.toggle()

    def _start(self) -> None:
        tune_collector()  # a book's translations must not start full GC passes (memory.py)
        keep_long_lived()  # the app's modules and widgets: out of every full GC pass
        for warning in self.settings.warnings + self.cache.warnings + take_refusals():
            self.show_message(warning)
        self.library.reload()
        self.live_state.start()
        # While the library worker reads the files: the first article opened then finds
        # the fonts loaded and their glyphs drawn.
        QTimer.singleShot(0, self.pane.view.warm_up)
        # The reading surface takes the keys (J/K, Ctrl+C, O), not the filter box that Qt
        # would focus first: typing a letter must not filter the library by surprise.
        self.pane.view.setFocus(Qt.FocusReason.OtherFocusReason)
        models = paths.bundled_models_dir()
        if models.is_dir() and any(models.glob("*.argosmodel")):
            self.model_tasks.install_bundled(models)

    # -- what the parts tell each other ---------------------------------------------------------

    def _on_setting(self, key: str) -> None:
        if key in (keys.TARGET_LANGUAGE.key, keys.QUALITY.key, *keys.WHERE_KEYS):
            self.background.reset()  # the engine follows on its own (Engines)
            self.session.update_headings()
            self.session.render()
            self.library.refresh_summaries()
        elif key == keys.DEFAULT_SOURCE_LANGUAGE.key:
            self.background.reset()
            self.session.reread()
            self.library.refresh_summaries()
        elif key == keys.LIBRARY_FOLDER.key:
            self.library.folders_changed()
        elif key == keys.BACKGROUND_TRANSLATION.key:
            self.background.setting_changed()

    def _on_library_loaded(self, count: int) -> None:
        if count == 0:
            self.pane.view.set_message("No articles. Open a folder (Ctrl+O) or drop files here.")
        keep_long_lived()  # the listed articles (a book is 40,000 paragraphs)
        self.intake.show_extraction_notices()
        self.libraryLoaded.emit(count)
        self.background.start()
        self.folder_watch.watch(self.library.library_paths())

    def _on_article_opened(self, key: str) -> None:
        self.library.set_open_key(key)
        listed = self.library.model.article(key)
        if listed is not None:
            self.setWindowTitle(f"{listed.display_title} — {TITLE}")
        self._follow_source_language()
        self.articleOpened.emit(key)

    def _follow_source_language(self) -> None:
        article = self.session.article
        if article is not None and article.ok:
            self.quick.refresh_targets(article.language)

    def _on_translation_finished(self, key: str, cancelled: bool) -> None:
        if cancelled:
            self.background.skip(key)  # the reader said Stop: leave it alone
        self.translationFinished.emit(key, cancelled)

    def _on_end_reached(self) -> None:
        """An article becomes *read* once its end has been on screen."""
        article = self.session.article
        if article is not None and article.ok:
            self.library.set_read(article.key, True)

    def _on_packages_changed(self) -> None:
        self.services.engines.rebuild(packages_changed=True)
        self.background.reset()
        self.quick.refresh_targets()
        self.session.packages_changed()
        self.library.refresh_summaries()
        if self.preferences_dialog is not None:
            self.preferences_dialog.refresh()

    def _on_cache_cleared(self, removed: int) -> None:
        self.show_message(f"Cleared {removed} cached translations; your edits are kept.")
        self.background.reset()
        self.session.render()
        self.library.refresh_summaries()

    # -- the window's own commands ----------------------------------------------------------------

    @property
    def engine(self) -> TranslationEngine:
        return self.services.engine

    def target_language(self) -> str:
        return self.services.target_language()

    def set_target_language(self, code: str) -> None:
        self.settings.set(keys.TARGET_LANGUAGE, code)

    def set_quality(self, quality: str) -> None:
        self.settings.set(keys.QUALITY, quality)

    def set_layout(self, mode: str) -> None:
        self.appearance.set_layout(mode)

    def set_theme(self, theme: str) -> None:
        self.appearance.set_theme(theme)

    def change_font_size(self, step: int) -> None:
        self.show_message(f"Text size {self.appearance.change_font_size(step)} pt")

    def current_key(self) -> str | None:
        return self.session.key()

    def view_job_ids(self) -> set[int]:
        return self.session.job_ids()

    def select_row(self, row: int) -> None:
        self.library.select_row(row)

    def open_search_hit(self, hit: SearchHit) -> bool:
        """Open the hit's article, scroll to the paragraph and light up the match (and, on
        the other side, the aligned sentence)."""
        key = next((a.key for a in self.library.model.articles() if a.path == hit.article_path),
                   None)
        if key is None:
            return False
        if key != self.current_key() and not self.library.select_key(key):
            self.session.open(key)  # filtered out of the list: open it anyway
        if key != self.current_key():
            return False
        side = Side.SOURCE if hit.side == "source" else Side.TARGET
        return self.pane.view.show_search_hit(
            hit.paragraph_index, side, hit.start, hit.end, self.search.panel.query()
        )

    def open_model_manager(self) -> ModelManagerDialog:
        if self.model_dialog is None:
            self.model_dialog = ModelManagerDialog(self.model_tasks, self)
        self.model_dialog.refresh()
        self.model_dialog.show()
        self.model_dialog.raise_()
        self.model_dialog.activateWindow()
        return self.model_dialog

    def open_preferences(self) -> PreferencesDialog:
        if self.preferences_dialog is None:
            dialog = PreferencesDialog(self.services, lambda: self.engine.installed(), self)
            dialog.modelsRequested.connect(self.open_model_manager)
            dialog.cacheCleared.connect(self._on_cache_cleared)
            self.preferences_dialog = dialog
        self.preferences_dialog.refresh()
        self.preferences_dialog.show()
        self.preferences_dialog.raise_()
        return self.preferences_dialog

    def show_shortcuts(self) -> QMessageBox:
        """F1: every command's keys, from the action table (non-modal)."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", shortcuts_html(),
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("shortcutsHelp")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setModal(False)
        box.show()
        return box

    def show_message(self, text: str) -> None:
        line = " ".join(text.split())
        self.last_message = line
        self.statusBar().showMessage(line, MESSAGE_MS)
        self.statusMessage.emit(line)

    # -- what comes in from outside (reader/ui/window/intake.py) -------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.intake.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        event.acceptProposedAction()
        self.intake.drop(event.mimeData())

    def show_add_article(self) -> AddArticleDialog:
        return self.intake.show_add_article()

    def paste_article(self) -> int:
        """Ctrl+V outside a text field: a copied link is fetched, copied text is kept."""
        return self.intake.paste_article()

    def open_paths(self, dropped: list[Path]) -> None:
        """Install ``.argosmodel`` files; add articles and folders to the library."""
        self.intake.open_paths(dropped)

    # -- closing ----------------------------------------------------------------------------------

    @property
    def translation_worker(self) -> WorkerThread:
        return self.services.translation.worker_thread

    @property
    def io_worker(self) -> WorkerThread:
        return self.services.library.worker_thread

    @property
    def tasks_worker(self) -> WorkerThread:
        return self.services.tasks.worker_thread

    def is_shut_down(self) -> bool:
        return self._shut_down

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._shut_down:
            self.session.close()
            self.settings.save_window(self.saveGeometry(), self.saveState(),
                                      self.splitter.saveState())
            self.settings.sync()
            self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every worker (cancelling their jobs) and close the cache. Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.background.close()
        self.live_state.stop()
        self.appearance.close()
        self.session.close()
        self.services.shutdown()


__all__ = ["LAYOUT_ACTIONS", "THEME_ACTIONS", "MainWindow", "shortcuts_help"]
