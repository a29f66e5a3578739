"""The main window: library on the left, the article and its translation on the right.

The window is a thin controller. Parsing, translation, caching and export live in
``reader.core``/``reader.export``; every slow call runs in a :class:`WorkerThread` and comes
back as signals tagged with a job id. The window keeps the ids of the jobs whose results
belong to the article on screen (``_view_jobs``) and drops every other result, so a late
paragraph from an article the reader has left can never land in the one they are reading.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader.core.article import Article
from reader.core.cache import TranslationCache
from reader.core.engine import (
    PRESETS,
    ModelPool,
    ParagraphReady,
    TranslationEngine,
    TranslationFinished,
    TranslationStarted,
    article_cache_hashes,
)
from reader.core.packages import MissingModelError, PackageError
from reader.core.post_edit import RepeatProposal, apply_repeats, find_repeats
from reader.core.search import SearchHit, search_library
from reader.core.translation import ParagraphStatus, ParagraphTranslation
from reader.ui import settings as keys
from reader.ui.library_model import (
    Column,
    LibraryDelegate,
    LibraryFilter,
    LibraryModel,
    Status,
    TranslationSummary,
)
from reader.ui.model_manager import ModelManagerDialog, ModelTasks
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import (
    EDIT_KEYS,
    RETRANSLATE_KEYS,
    REVERT_KEYS,
    Layout,
    Pending,
    Side,
)
from reader.ui.search_panel import SearchPanel
from reader.ui.settings import Settings
from reader.ui.theme import apply_theme, reading_family
from reader.ui.workers import JobContext, ProgressEstimate, WorkerThread

log = logging.getLogger(__name__)

# Sentences per engine window in the window: small windows stream paragraphs sooner and
# let Cancel act within one small batch (the engine's default of 48 suits the CLI).
STREAM_WINDOW = 8
HOLD_TO_PEEK_MS = 400  # O held longer than this is a "hold", released = back to translation
SHUTDOWN_WAIT_MS = 2000
MESSAGE_MS = 8000
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


@dataclasses.dataclass(frozen=True)
class ArticleParsed:
    """First result of a translation job: the article with per-paragraph languages."""

    article: Article


@dataclasses.dataclass(frozen=True)
class LibraryLoaded:
    articles: list[Article]
    summaries: dict[str, TranslationSummary]
    replace: bool


@dataclasses.dataclass(frozen=True)
class SearchDone:
    query: str
    hits: list[SearchHit]
    limit: int


@dataclasses.dataclass(frozen=True)
class RepeatsFound:
    target: str
    proposals: list[RepeatProposal]


def apply_language_override(article: Article, language: str | None) -> Article:
    """The article as if written in ``language``: the reader says detection was wrong.

    Paragraphs that had the article's detected language (or inherited it) take the new
    one; paragraphs confidently detected as another language keep theirs."""
    if not language or language == article.language:
        return article
    paragraphs = tuple(
        dataclasses.replace(p, language=language)
        if p.language in (article.language, "und") or p.language_confidence == 0.0
        else p
        for p in article.paragraphs
    )
    return dataclasses.replace(article, language=language, paragraphs=paragraphs)


def summarize(
    engine: TranslationEngine, articles: Sequence[Article], target: str
) -> dict[str, TranslationSummary]:
    """Translation status of each article from the cache (runs on a worker)."""
    summaries: dict[str, TranslationSummary] = {}
    for article in articles:
        if not article.ok:
            summaries[article.key] = TranslationSummary(Status.ERROR)
            continue
        try:
            ready = engine.peek(article, target)
        except MissingModelError:
            summaries[article.key] = TranslationSummary(Status.NO_MODEL)
            continue
        except PackageError:
            summaries[article.key] = TranslationSummary(Status.UNKNOWN)
            continue
        summaries[article.key] = TranslationSummary.from_translations(ready)
    return summaries


class TaskProgress(QWidget):
    """A label, a progress bar and a Cancel button for the status bar.

    Signals: ``cancelRequested()``.
    """

    cancelRequested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 1000)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.clicked.connect(self.cancelRequested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.estimate = ProgressEstimate()
        self.setVisible(False)

    def begin(self, total: int, text: str = "") -> None:
        self.estimate.reset(total)
        self.bar.setValue(0)
        if total <= 0:
            self.bar.setRange(0, 0)  # busy indicator
        else:
            self.bar.setRange(0, 1000)
        self.label.setText(text)
        self.setVisible(True)

    def update_progress(self, done: int, total: int, unit: str) -> None:
        self.estimate.update(done, total)
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * self.estimate.fraction))
        self.label.setText(self.estimate.describe(unit))

    def value(self) -> float:
        return self.estimate.fraction

    def end(self) -> None:
        self.setVisible(False)


class MainWindow(QMainWindow):
    """The reader's window.

    Signals (mostly for tests and tooling):

    - ``libraryLoaded(count: int)``;
    - ``articleOpened(key: str)``;
    - ``translationFinished(key: str, cancelled: bool)``: the article on screen has all the
      translation it will get for now (from the cache at once, or at the end of a job);
    - ``exportFinished(ok: bool)``: a PDF export ended (written, failed or cancelled);
    - ``statusMessage(text: str)``: a one-line message was shown in the status bar;
    - ``editSaved(row: int)``: a post-edit of the article on screen was stored;
    - ``repeatsFound(count: int)``: after an edit, how many other paragraphs would take it
      (0 too: the look-up ended);
    - ``repeatsApplied(count: int)``: the reader said Apply; that many edits were stored;
    - ``searchFinished(count: int)``: library search results are on screen;
    - ``readChanged(key: str, read: bool)``: an article's read state changed.
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

    def __init__(
        self,
        library_paths: Sequence[Path] | None = None,
        *,
        stream_window: int = STREAM_WINDOW,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Bilingual Reader")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.settings = Settings()
        self.cache = TranslationCache()
        self._pool = ModelPool()
        self._stream_window = stream_window
        self.engine = self._make_engine()
        self.translation_worker = WorkerThread("translation")
        self.io_worker = WorkerThread("library")
        self.tasks_worker = WorkerThread("tasks")
        # Library search and the look-up of an edit's repeats: quick reads of the parsed
        # library and the cache, never queued behind a library load or an export.
        self.search_worker = WorkerThread("search")
        self.model_tasks = ModelTasks(self.tasks_worker, self)

        self._explicit_paths = [Path(p) for p in library_paths] if library_paths else None
        self._article: Article | None = None  # on screen, with any language override
        self._full_articles: dict[str, Article] = {}  # per-paragraph languages, by key
        self._view_jobs: set[int] = set()
        self._job_keys: dict[int, str] = {}
        self._library_job: int | None = None
        self._summary_job: int | None = None
        self._export_job: int | None = None
        self._export_ok = False
        self._selecting = False
        self._peek_pressed_at: float | None = None
        self.model_dialog: ModelManagerDialog | None = None
        self.last_message = ""
        self._shut_down = False
        self._search_job: int | None = None
        self.search_jobs = 0  # how many searches ran (the debounce keeps this low)
        self._repeats_job: int | None = None
        self._pending_repeats: RepeatsFound | None = None

        self._build_ui()
        self._build_actions()
        self._connect_workers()
        self._restore_window()
        self._apply_preferences()
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(1500)
        self._position_timer.timeout.connect(self._save_position)
        self.pane.view.positionChanged.connect(self._position_timer.start)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        QTimer.singleShot(0, self._start)

    # -- construction ----------------------------------------------------------------------------

    def _make_engine(self) -> TranslationEngine:
        quality = self.settings.get(keys.QUALITY)
        options = dataclasses.replace(PRESETS[quality], window_sentences=self._stream_window)
        return TranslationEngine(self.cache, options=options, pool=self._pool)

    def _build_ui(self) -> None:
        self.library_model = LibraryModel(self)
        self.library_proxy = LibraryFilter(self)
        self.library_proxy.setSourceModel(self.library_model)

        library = QWidget()
        library.setObjectName("libraryPane")
        library_layout = QVBoxLayout(library)
        library_layout.setContentsMargins(8, 8, 4, 8)
        library_layout.setSpacing(6)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter articles (Ctrl+L)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.library_proxy.set_text)
        self.library_view = QListView()
        self.library_view.setObjectName("libraryView")
        self.library_view.setModel(self.library_proxy)
        self.library_view.setModelColumn(Column.TITLE)
        self.library_view.setItemDelegate(LibraryDelegate(self.library_view))
        self.library_view.setUniformItemSizes(True)
        self.library_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.library_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.library_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.library_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.library_view.customContextMenuRequested.connect(self._on_library_menu)
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("librarySort")
        self.sort_combo.setToolTip("Order of the library")
        for label, column, order in (
            ("File order", -1, Qt.SortOrder.AscendingOrder),
            ("Title", Column.TITLE, Qt.SortOrder.AscendingOrder),
            ("Newest first", Column.DATE, Qt.SortOrder.DescendingOrder),
            ("Longest first", Column.WORDS, Qt.SortOrder.DescendingOrder),
            ("Status", Column.STATUS, Qt.SortOrder.AscendingOrder),
        ):
            self.sort_combo.addItem(label, (column, order))
        self.sort_combo.currentIndexChanged.connect(self._on_sort)
        self.library_view.selectionModel().currentRowChanged.connect(self._on_library_current)
        self.library_empty = QLabel("")
        self.library_empty.setWordWrap(True)
        self.library_empty.setVisible(False)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(6)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.sort_combo)
        library_layout.addLayout(filter_row)
        library_layout.addWidget(self.library_view, 1)
        library_layout.addWidget(self.library_empty)

        self.pane = ReadingPane()
        self.pane.view.set_message("Loading the library…")
        self.pane.modelManagerRequested.connect(self.open_model_manager)
        self.pane.sourceLanguageChosen.connect(self._on_source_language)
        self.pane.view.rowActionRequested.connect(self._on_row_action)
        self.pane.view.editCommitted.connect(self._on_edit_committed)
        self.pane.view.endReached.connect(self._on_end_reached)
        self.pane.repeats_bar.applyRequested.connect(self.apply_pending_repeats)
        self.pane.repeats_bar.dismissed.connect(self.dismiss_repeats)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(library)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.search_panel = SearchPanel()
        self.search_panel.searchRequested.connect(self.search_library)
        self.search_panel.hitActivated.connect(self.open_search_hit)
        self.search_panel.closeRequested.connect(self.close_search)
        self.search_dock = QDockWidget("Search library", self)
        self.search_dock.setObjectName("searchDock")
        self.search_dock.setWidget(self.search_panel)
        self.search_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        # Under the reading pane: results read as wide one-line rows, and the side-by-side
        # columns keep their width.
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.search_dock.hide()

        self.translation_progress = TaskProgress("translationProgress")
        self.translation_progress.cancelRequested.connect(self.cancel_translation)
        self.export_progress = TaskProgress("exportProgress")
        self.export_progress.cancelRequested.connect(self._cancel_export)
        self.statusBar().addPermanentWidget(self.export_progress)
        self.statusBar().addPermanentWidget(self.translation_progress)

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetLanguage")
        self.target_combo.setMinimumWidth(140)
        self.target_combo.setToolTip("Translate into (languages your installed models reach)")
        self.target_combo.activated.connect(
            lambda index: self.set_target_language(str(self.target_combo.itemData(index)))
        )
        self.quality_combo = QComboBox()
        self.quality_combo.setObjectName("quality")
        self.quality_combo.addItem("Fast", "fast")
        self.quality_combo.addItem("Accurate", "accurate")
        self.quality_combo.setToolTip("Fast: greedy decoding (beam 1); accurate: beam 4")
        self.quality_combo.activated.connect(
            lambda index: self.set_quality(str(self.quality_combo.itemData(index)))
        )

    def _action(
        self, text: str, slot: object, shortcuts: Sequence[str | QKeySequence] = (),
        *, checkable: bool = False, tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        # Window-wide: works from the library list and the reading view alike.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.open_folder_action = self._action("Open folder…", self.choose_folder, ["Ctrl+O"])
        self.open_files_action = self._action("Open files…", self.choose_files, ["Ctrl+Shift+O"])
        self.export_action = self._action("Export PDF…", self.export_pdf, ["Ctrl+E"])
        self.export_listed_action = self._action(
            "Export listed articles to one PDF…", self.export_listed_pdf, ["Ctrl+Shift+E"],
            tip="Every article in the library list (as filtered), in its order",
        )
        quit_action = self._action("Quit", self.close, [QKeySequence.StandardKey.Quit])
        for action in (self.open_folder_action, self.open_files_action, None,
                       self.export_action, self.export_listed_action, None, quit_action):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)

        view_menu = menu.addMenu("&View")
        self.layout_group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for mode, label, shortcut in (
            (Layout.SIDE_BY_SIDE, "Side by side", "Ctrl+1"),
            (Layout.INTERLEAVED, "Interleaved", "Ctrl+2"),
            (Layout.TRANSLATION_ONLY, "Translation only", "Ctrl+3"),
        ):
            action = self._action(label, lambda _=False, m=mode: self.set_layout(m), [shortcut],
                                  checkable=True)
            self.layout_group.addAction(action)
            self.layout_actions[mode] = action
            view_menu.addAction(action)
        self.peek_action = self._action(
            "Show original (hold O)", self._on_peek_action, ["O"], checkable=True,
            tip="In translation-only layout: hold O to see the original, tap to toggle",
        )
        self.peek_action.setAutoRepeat(False)
        view_menu.addAction(self.peek_action)
        view_menu.addSeparator()
        self.bigger_action = self._action("Bigger text", lambda: self.change_font_size(1),
                                          ["Ctrl+=", "Ctrl++"])
        self.smaller_action = self._action("Smaller text", lambda: self.change_font_size(-1),
                                           ["Ctrl+-"])
        self.reset_font_action = self._action("Normal text size",
                                              lambda: self.change_font_size(0), ["Ctrl+0"])
        for action in (self.bigger_action, self.smaller_action, self.reset_font_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme, label in (("system", "Follow system"), ("light", "Light"), ("dark", "Dark")):
            action = self._action(label, lambda _=False, t=theme: self.set_theme(t),
                                  checkable=True)
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action
            theme_menu.addAction(action)

        go_menu = menu.addMenu("&Go")
        self.next_article_action = self._action(
            "Next article", lambda: self.step_article(1), ["Ctrl+PgDown", "Alt+Down"])
        self.previous_article_action = self._action(
            "Previous article", lambda: self.step_article(-1), ["Ctrl+PgUp", "Alt+Up"])
        self.next_paragraph_action = self._action(
            "Next paragraph", self.pane.view.next_paragraph, ["J", "Ctrl+Down"])
        self.previous_paragraph_action = self._action(
            "Previous paragraph", self.pane.view.previous_paragraph, ["K", "Ctrl+Up"])
        self.find_action = self._action("Find in article…", self.pane.open_find,
                                        [QKeySequence.StandardKey.Find])
        self.find_next_action = self._action(
            "Find next", lambda: self.pane.view.find_next(False),
            [QKeySequence.StandardKey.FindNext])
        self.filter_action = self._action("Filter library", self._focus_filter, ["Ctrl+L"])
        self.search_action = self._action("Search library…", self.open_search,
                                          ["Ctrl+Shift+F"])
        self.toggle_read_action = self._action(
            "Mark as read / unread", lambda: self.toggle_read(), ["Ctrl+U"],
            tip="An article becomes read once its end has been on screen")
        for action in (self.next_article_action, self.previous_article_action, None,
                       self.next_paragraph_action, self.previous_paragraph_action, None,
                       self.find_action, self.find_next_action, self.filter_action,
                       self.search_action, None, self.toggle_read_action):
            go_menu.addSeparator() if action is None else go_menu.addAction(action)

        translate_menu = menu.addMenu("&Translate")
        self.translate_action = self._action(
            "Translate article (resume)", self.translate_current, ["Ctrl+R"])
        self.cancel_action = self._action("Stop translating", self.cancel_translation,
                                          ["Ctrl+."])
        self.models_action = self._action("Translation models…", self.open_model_manager,
                                          ["Ctrl+M"])
        self.edit_action = self._action(
            "Edit paragraph translation", self.edit_current_paragraph, [EDIT_KEYS],
            tip="Edit the current paragraph's translation in place (also: double-click it, "
                "or Enter in the reading view)")
        self.revert_action = self._action(
            "Revert to machine translation", lambda: self._paragraph_action("revert"),
            [REVERT_KEYS])
        self.retranslate_action = self._action(
            "Translate paragraph again", lambda: self._paragraph_action("retranslate"),
            [RETRANSLATE_KEYS], tip="Run the model again on the current paragraph only")
        self.clear_article_action = self._action(
            "Clear this article's translations", lambda: self.clear_article_translations(),
            tip="Forget the machine translations of this article's paragraphs (your edits "
                "stay) and translate it again")
        self.clear_edits_action = self._action(
            "Also delete my edits…",
            lambda: self.clear_article_translations(include_edits=True),
            tip="Forget this article's machine translations and your edits (asks first)")
        for action in (self.translate_action, self.cancel_action, None, self.edit_action,
                       self.revert_action, self.retranslate_action, None,
                       self.clear_article_action, self.clear_edits_action, None,
                       self.models_action):
            translate_menu.addSeparator() if action is None else translate_menu.addAction(action)

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts, ["F1"]))

        bar = self.toolbar
        bar.addAction(self.open_folder_action)
        bar.addSeparator()
        bar.addWidget(_toolbar_label("Translate to"))
        bar.addWidget(self.target_combo)
        bar.addWidget(_toolbar_label("Quality"))
        bar.addWidget(self.quality_combo)
        bar.addSeparator()
        for mode in Layout:
            bar.addAction(self.layout_actions[mode])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.export_action)
        bar.addAction(self.models_action)

    def _connect_workers(self) -> None:
        worker = self.translation_worker.worker
        worker.result.connect(self._on_translation_result)
        worker.progress.connect(self._on_translation_progress)
        worker.error.connect(self._on_translation_error)
        worker.finished.connect(self._on_translation_finished)
        io = self.io_worker.worker
        io.result.connect(self._on_io_result)
        io.error.connect(self._on_io_error)
        tasks = self.tasks_worker.worker
        tasks.result.connect(self._on_task_result)
        tasks.progress.connect(self._on_task_progress)
        tasks.error.connect(self._on_task_error)
        tasks.finished.connect(self._on_task_finished)
        search = self.search_worker.worker
        search.result.connect(self._on_search_result)
        search.error.connect(lambda job_id, message: self.show_message(message))
        self.model_tasks.packagesChanged.connect(self._on_packages_changed)
        self.model_tasks.message.connect(lambda text, error: self.show_message(text))

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

    def _apply_preferences(self) -> None:
        layout = self.settings.get(keys.LAYOUT)
        self.layout_actions[layout].setChecked(True)
        self.pane.view.set_layout_mode(layout)
        self.peek_action.setEnabled(layout == Layout.TRANSLATION_ONLY)
        theme = self.settings.get(keys.THEME)
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)
        self.pane.view.set_text_font(reading_family(), self.settings.get(keys.FONT_SIZE))
        self.quality_combo.setCurrentIndex(
            self.quality_combo.findData(self.settings.get(keys.QUALITY))
        )
        self._refresh_targets()
        hints = QApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme)

    # -- start-up ---------------------------------------------------------------------------------

    def _start(self) -> None:
        for warning in self.settings.warnings + self.cache.warnings:
            self.show_message(warning)
        self.load_library(self._library_paths(), replace=True)
        models = paths.bundled_models_dir()
        if models.is_dir() and any(models.glob("*.argosmodel")):
            self.model_tasks.install_bundled(models)

    def _library_paths(self) -> list[Path]:
        if self._explicit_paths:
            return self._explicit_paths
        folder = self.settings.get(keys.LIBRARY_FOLDER)
        if folder and Path(folder).is_dir():
            return [Path(folder)]
        return [paths.default_library_dir()]

    # -- library ----------------------------------------------------------------------------------

    def load_library(self, locations: list[Path], *, replace: bool) -> int:
        engine = self.engine
        target = self.target_language()

        def job(context: JobContext) -> object:
            from reader.core.library import load_library

            # On the worker: if langdetect is needed (articles not seen before; the library
            # remembers languages by content), loading its profiles takes ~0.4 s.
            articles = load_library(locations, paragraph_languages=False)
            context.check()
            return LibraryLoaded(articles, summarize(engine, articles, target), replace)

        self._library_job = self.io_worker.submit(job, "library")
        return self._library_job

    def _on_io_result(self, job_id: int, payload: object) -> None:
        if self._shut_down:
            return  # queued signals arriving after shutdown: nothing to update
        if isinstance(payload, LibraryLoaded) and job_id == self._library_job:
            self._library_loaded(payload)
        elif job_id == self._summary_job and isinstance(payload, dict):
            self.library_model.set_summaries(payload)

    def _on_io_error(self, job_id: int, message: str) -> None:
        self.show_message(message)

    def _library_loaded(self, loaded: LibraryLoaded) -> None:
        read = {a.key for a in loaded.articles if self.settings.is_read(a.key)}
        if loaded.replace:
            self.library_model.set_articles(loaded.articles, loaded.summaries, read)
            wanted = self.settings.get(keys.LAST_ARTICLE)
        else:
            self.library_model.add_articles(loaded.articles)
            self.library_model.set_summaries(loaded.summaries)
            wanted = loaded.articles[0].key if loaded.articles else ""
        count = self.library_model.rowCount()
        self.library_empty.setVisible(count == 0)
        self.library_empty.setText(
            "No articles here (.txt, .md, .html). Open a folder (Ctrl+O) or drop files."
        )
        if count == 0:
            self.pane.view.set_message("No articles. Open a folder (Ctrl+O) or drop files here.")
        bad = sum(1 for a in loaded.articles if not a.ok)
        if bad:
            self.show_message(f"{bad} file(s) could not be read; they are listed with the reason")
        self.libraryLoaded.emit(count)
        if self._article is None or not loaded.replace or (
            self.library_model.entry(self._article.key) is None
        ):
            row = self.library_proxy.row_of(wanted) if wanted else -1
            if row < 0 and self.library_proxy.rowCount():
                row = 0
            if row >= 0:
                self.select_row(row)

    def refresh_summaries(self) -> None:
        engine, target = self.engine, self.target_language()
        articles = self.library_model.articles()

        def job(context: JobContext) -> object:
            return summarize(engine, articles, target)

        self._summary_job = self.io_worker.submit(job, "summaries")

    def select_row(self, row: int) -> None:
        index = self.library_proxy.index(row, 0)
        if index.isValid():
            self.library_view.setCurrentIndex(index)
            self.library_view.scrollTo(index)

    def _on_library_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.library_proxy.key_at(current.row()) if current.isValid() else None
        if key is not None:
            self.open_article(key)

    def _on_sort(self, index: int) -> None:
        column, order = self.sort_combo.itemData(index)
        current = self.current_key()
        self.library_proxy.sort(column, order)
        if current is not None:
            row = self.library_proxy.row_of(current)
            if row >= 0:
                self.library_view.scrollTo(self.library_proxy.index(row, 0))

    def step_article(self, step: int) -> None:
        count = self.library_proxy.rowCount()
        if not count:
            return
        current = self.library_view.currentIndex()
        row = current.row() + step if current.isValid() else 0
        self.select_row(min(max(row, 0), count - 1))

    def choose_folder(self) -> None:
        start = self.settings.get(keys.LIBRARY_FOLDER) or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        self.settings.set(keys.LIBRARY_FOLDER, str(folder))
        self._explicit_paths = None
        self.show_message(f"Loading {folder}…")
        self.load_library([folder], replace=True)

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Open articles", str(Path.home()),
            "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)",
        )
        if files:
            self.load_library([Path(f) for f in files], replace=False)

    # -- opening an article ------------------------------------------------------------------------

    def current_key(self) -> str | None:
        return self._article.key if self._article is not None else None

    def open_article(self, key: str) -> None:
        if self._article is not None and self._article.key == key:
            return
        article = self.library_model.article(key)
        if article is None:
            return
        self.pane.view.commit_edit()  # saved against the article it was typed in
        self._save_position()
        self._cancel_view_jobs()
        state = self.settings.article_state(key)
        self._article = apply_language_override(
            self._full_articles.get(key, article), state.source_language
        )
        self.settings.set(keys.LAST_ARTICLE, key)
        self.setWindowTitle(f"{article.display_title} — Bilingual Reader")
        pane = self.pane
        pane.view.set_article(self._article if article.ok else None)
        if not article.ok:
            pane.set_article(article)
            pane.show_no_model(None)
            pane.view.set_message(f"Cannot show {article.path.name}: {article.error}")
            self.translation_progress.end()
            self.articleOpened.emit(key)
            return
        self._update_header()
        self._refresh_targets()
        self._render_translation()
        pane.view.restore_position(state.paragraph, state.offset)
        self.articleOpened.emit(key)

    def _update_header(self) -> None:
        from reader.core.languages import source_language_choices
        from reader.core.packages import language_name

        article = self._article
        if article is None:
            return
        original = self.library_model.article(article.key) or article
        override = self.settings.article_state(article.key).source_language
        installed = self.engine.installed()
        self.pane.set_article(
            original,
            languages=source_language_choices(
                code for p in installed for code in (p.from_code, p.to_code)
            ),
            override=override,
            detected_name=language_name(original.language, installed),
        )
        self._update_headings()

    def _update_headings(self) -> None:
        from reader.core.packages import language_name

        if self._article is None:
            return
        installed = self.engine.installed()
        self.pane.view.set_headings(
            language_name(self._article.language, installed),
            f"{language_name(self.target_language(), installed)} · machine translation",
        )

    def _render_translation(self) -> None:
        """Show what the cache has at once; translate the rest in the worker."""
        article = self._article
        if article is None or not article.ok:
            return
        self.pane.view.commit_edit()  # before the target, quality or language changes
        self._cancel_view_jobs()
        view = self.pane.view
        target = self.target_language()
        try:
            ready = self.engine.peek(article, target)
        except MissingModelError as error:
            self._show_missing_model(error)
            return
        except PackageError as error:
            self.show_message(str(error))
            return
        self.pane.show_no_model(None)
        view.clear_translations()
        for translation in ready:
            if translation is not None:
                view.set_translation(translation)
        view.flush()
        summary = TranslationSummary.from_translations(ready)
        self.library_model.set_summary(article.key, summary)
        if all(t is not None for t in ready):
            self.translation_progress.end()
            self.translationFinished.emit(article.key, False)
            return
        view.set_pending_style(Pending.TRANSLATING)
        self._start_translation(article, target)

    def _show_missing_model(self, error: MissingModelError) -> None:
        from reader.core.packages import language_name

        self.translation_progress.end()
        source = language_name(error.from_code)
        target = language_name(error.to_code)
        self.pane.show_no_model(
            f"No translation model for {source} → {target} is installed, so only the "
            "original is shown. Install one (from a file or the Argos index) to read "
            "it side by side."
        )
        if self._article is not None:
            self.library_model.set_summary(self._article.key, TranslationSummary(Status.NO_MODEL))
            self.translationFinished.emit(self._article.key, False)

    def _start_translation(
        self, article: Article, target: str, *, only: set[int] | None = None,
        use_cache: bool = True,
    ) -> int:
        engine = self.engine
        key = article.key
        override = self.settings.article_state(key).source_language
        known = self._full_articles.get(key)

        def job(context: JobContext) -> object:
            full = known
            if full is None:
                from reader.core.parser import parse_file

                full = parse_file(article.path, paragraph_languages=True)
                context.emit(ArticleParsed(full))
            full = apply_language_override(full, override)
            context.check()
            for event in engine.translate(
                full, target, use_cache=use_cache, is_cancelled=context.is_cancelled, only=only
            ):
                if isinstance(event, ParagraphReady):
                    context.emit(event.paragraph)
                elif isinstance(event, TranslationStarted):
                    context.emit(event)
                elif isinstance(event, TranslationFinished):
                    return event
                else:
                    context.progress(event.done, event.total)
            return None

        job_id = self.translation_worker.submit(job, "translate")
        self._view_jobs.add(job_id)
        self._job_keys[job_id] = key
        self.translation_progress.begin(0, "Preparing translation…")
        return job_id

    def translate_current(self) -> None:
        """Translate what is missing (after a cancel, or a failure)."""
        if self._article is not None and self._article.ok:
            self._render_translation()

    def cancel_translation(self) -> None:
        for job_id in self._view_jobs:
            self.translation_worker.cancel(job_id)

    def _cancel_view_jobs(self) -> None:
        self.cancel_translation()
        self._view_jobs.clear()  # whatever they still send is stale from now on
        self.translation_progress.end()

    def view_job_ids(self) -> set[int]:
        return set(self._view_jobs)

    # -- translation job signals -----------------------------------------------------------------

    def _on_translation_result(self, job_id: int, payload: object) -> None:
        if self._shut_down:
            return  # queued signals arriving after shutdown: nothing to update
        if job_id not in self._view_jobs:
            return  # a stale result: from an article or language no longer on screen
        view = self.pane.view
        if isinstance(payload, ParagraphTranslation):
            view.set_translation(payload)
        elif isinstance(payload, TranslationStarted):
            if payload.total_sentences:
                self.translation_progress.begin(payload.total_sentences)
                self.translation_progress.update_progress(0, payload.total_sentences,
                                                          "sentences")
        elif isinstance(payload, ArticleParsed):
            self._article_parsed(payload.article)
        elif isinstance(payload, TranslationFinished) and payload.error:
            self.show_message(f"Translation failed: {payload.error}")

    def _article_parsed(self, full: Article) -> None:
        self._full_articles[full.key] = full
        current = self._article
        if current is None or current.key != full.key:
            return
        texts = [p.text for p in full.paragraphs]
        if texts != [p.text for p in current.paragraphs]:
            # The file changed on disk since it was listed: show what is there now.
            self._article = apply_language_override(
                full, self.settings.article_state(full.key).source_language
            )
            self.pane.view.set_article(self._article)
        else:
            self._article = apply_language_override(
                full, self.settings.article_state(full.key).source_language
            )

    def _on_translation_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id in self._view_jobs:
            self.translation_progress.update_progress(done, total, "sentences")

    def _on_translation_error(self, job_id: int, message: str) -> None:
        if job_id in self._view_jobs:
            self.show_message(f"Translation failed: {message}")

    def _on_translation_finished(self, job_id: int, cancelled: bool) -> None:
        if self._shut_down:
            return  # queued signals arriving after shutdown: nothing to update
        key = self._job_keys.pop(job_id, None)
        if job_id not in self._view_jobs:
            if key is not None:
                self._refresh_summary(key)
            return
        self._view_jobs.discard(job_id)
        if self._view_jobs:
            return
        self.translation_progress.end()
        view = self.pane.view
        translations = view.translations()
        if cancelled:
            view.set_pending_style(Pending.STOPPED)
            done = sum(1 for t in translations if t is not None)
            self.show_message(
                f"Translation stopped: {done} of {len(translations)} paragraphs are ready. "
                "Ctrl+R translates the rest."
            )
        if key is not None:
            self.library_model.set_summary(key, TranslationSummary.from_translations(translations))
            self.translationFinished.emit(key, cancelled)

    def _refresh_summary(self, key: str) -> None:
        article = self.library_model.article(key)
        if article is None or not article.ok:
            return
        try:
            ready = self.engine.peek(article, self.target_language())
        except PackageError:
            return
        self.library_model.set_summary(key, TranslationSummary.from_translations(ready))

    # -- paragraph actions: post-edits, re-translation --------------------------------------

    def _on_row_action(self, action: str, row: int) -> None:
        article = self._article
        if article is None:
            return
        view = self.pane.view
        target = self.target_language()
        translation = view.translation(row)
        try:
            if action == "retranslate":
                if translation is not None and \
                        translation.status is ParagraphStatus.PASSTHROUGH:
                    return  # nothing to translate there
                if view.editing_row() == row:
                    view.commit_edit()
                self.show_message(f"Translating paragraph {row + 1} again…")
                view.set_pending_style(Pending.TRANSLATING)
                # Bypasses the cache for this paragraph only; the new machine text replaces
                # the cached one. A post-edit keeps being shown (the engine serves it first).
                self._start_translation(article, target, only={row}, use_cache=False)
            elif action == "edit" and translation is not None:
                text, ok = QInputDialog.getMultiLineText(
                    self, "Edit translation", "Your translation (kept over machine text):",
                    translation.translation,
                )
                if ok:
                    self.save_edit(row, text)
            elif action == "revert" and translation is not None:
                if view.editing_row() == row:
                    view.cancel_edit()
                if translation.status is not ParagraphStatus.EDITED:
                    self.show_message("This paragraph shows the machine translation already.")
                    return
                self.engine.revert_edit(translation, target)
                self._reload_row(row)
                self.show_message(f"Paragraph {row + 1}: back to the machine translation.")
        except PackageError as error:
            self.show_message(str(error))

    def _paragraph_action(self, action: str) -> None:
        row = self.pane.view.editing_row()
        if row < 0:
            row = self.pane.view.focus_row()
        if row >= 0:
            self._on_row_action(action, row)

    def edit_current_paragraph(self) -> None:
        """F2: edit the current paragraph's translation in place."""
        view = self.pane.view
        row = view.focus_row()
        if row < 0 or not view.edit_row(row):
            self.show_message("Nothing to edit here: open a translated paragraph first.")

    def _on_edit_committed(self, row: int, text: str) -> None:
        self.save_edit(row, text)

    def save_edit(self, row: int, text: str) -> bool:
        """Store the reader's translation of ``row`` (kept over machine text, survives
        re-translation and model upgrades), show it, then look for its repeats."""
        article = self._article
        translation = self.pane.view.translation(row)
        if article is None or translation is None:
            return False
        text = text.strip()
        if not text:
            self.show_message(
                f"An empty translation was not saved; {REVERT_KEYS} goes back to the machine "
                "translation."
            )
            return False
        if text == translation.translation.strip():
            return False  # unchanged: no edit to keep
        target = self.target_language()
        try:
            self.engine.set_edit(translation, target, text)
        except (PackageError, ValueError) as error:
            self.show_message(str(error))
            return False
        self._reload_row(row)
        self.show_message(f"Paragraph {row + 1}: your edit is saved.")
        self.editSaved.emit(row)
        self._find_repeats(article, translation, text, target)
        return True

    def _reload_row(self, row: int) -> None:
        article = self._article
        if article is None:
            return
        ready = self.engine.peek(article, self.target_language())
        if ready[row] is not None:
            self.pane.view.set_translation(ready[row])  # type: ignore[arg-type]
        else:
            self._start_translation(article, self.target_language(), only={row})

    # -- repeats of an edited passage ---------------------------------------------------------

    def _library_for_lookup(self) -> list[Article]:
        """The library as the engine should see it: parsed paragraphs where known, and the
        reader's language overrides applied."""
        articles = []
        for article in self.library_model.articles():
            full = self._full_articles.get(article.key, article)
            override = self.settings.article_state(article.key).source_language
            articles.append(apply_language_override(full, override))
        return articles

    def _find_repeats(
        self, article: Article, edited: ParagraphTranslation, text: str, target: str
    ) -> None:
        engine, articles = self.engine, self._library_for_lookup()
        path = article.path

        def job(context: JobContext) -> object:
            proposals = find_repeats(articles, edited, text, engine, target, source_article=path)
            return RepeatsFound(target, proposals)

        self._repeats_job = self.search_worker.submit(job, "repeats")

    def _repeats_found(self, found: RepeatsFound) -> None:
        todo = [p for p in found.proposals if p.needs_applying]
        same = sum(1 for p in found.proposals if p.identical)
        if todo:
            self._pending_repeats = RepeatsFound(found.target, todo)
            times = "once more" if len(todo) == 1 else f"{len(todo)} more times"
            articles = len({p.article_path for p in todo})
            where = "" if articles == 1 else f" (in {articles} articles)"
            also = (f" {same} identical paragraph{'s' if same != 1 else ''} already "
                    "show it.") if same else ""
            self.pane.repeats_bar.offer(
                f"This passage appears {times}{where}. Apply your edit there too?{also}"
            )
        elif same:
            self.show_message(
                f"Your edit also shows in {same} identical paragraph{'s' if same != 1 else ''}."
            )
        self.repeatsFound.emit(len(todo))

    def apply_pending_repeats(self) -> int:
        """Store the pending proposals as edits (the Apply button of the repeats bar)."""
        pending = self._pending_repeats
        self.dismiss_repeats()
        if pending is None:
            return 0
        try:
            applied = apply_repeats(pending.proposals, self.engine, pending.target)
        except (PackageError, ValueError) as error:
            self.show_message(str(error))
            return 0
        article = self._article
        if article is not None and pending.target == self.target_language():
            for proposal in applied:
                if proposal.article_path == article.path:
                    self._reload_row(proposal.paragraph_index)
        self.show_message(
            f"Your edit was applied to {len(applied)} more paragraph"
            f"{'s' if len(applied) != 1 else ''}."
        )
        self.repeatsApplied.emit(len(applied))
        return len(applied)

    def dismiss_repeats(self) -> None:
        self._pending_repeats = None
        self.pane.repeats_bar.setVisible(False)

    # -- clearing an article's translations --------------------------------------------------

    def clear_article_translations(self, *, include_edits: bool = False) -> bool:
        """Forget the cached machine translations of the article on screen (every route and
        setting) and translate it again. Post-edits stay unless ``include_edits``, which
        asks for confirmation first. Returns True when something was cleared."""
        article = self._article
        if article is None or not article.ok:
            self.show_message("Open an article first.")
            return False
        self.pane.view.commit_edit()
        if include_edits:
            edits = sum(
                1 for t in self.pane.view.translations()
                if t is not None and t.status is ParagraphStatus.EDITED
            )
            mine = (f"your {edits} edited paragraph{'s' if edits != 1 else ''}"
                    if edits else "any edits you made to its paragraphs")
            answer = QMessageBox.question(
                self, "Delete your edits?",
                f"Delete the machine translations of “{article.display_title}” and {mine}, "
                "in every language?\n\nYour edits cannot be recovered.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.show_message("Nothing was deleted.")
                return False
        self._cancel_view_jobs()
        removed = self.cache.clear_hashes(
            article_cache_hashes(article), include_edits=include_edits
        )
        kept = "" if include_edits else "; your edits are kept"
        self.show_message(f"Cleared {removed} cached translation{'s' if removed != 1 else ''}"
                          f"{kept}. Translating again…")
        self._render_translation()
        return True

    # -- library search ---------------------------------------------------------------------

    def open_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def close_search(self) -> None:
        self.search_dock.hide()
        self.pane.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def search_library(self, query: str) -> int | None:
        """Run a library search on the search worker (the panel debounces typing)."""
        if self._search_job is not None:
            self.search_worker.cancel(self._search_job)  # skipped if it has not started
            self._search_job = None
        if not query:
            self.search_panel.set_results(query, [], 0)
            self.searchFinished.emit(0)
            return None
        articles = self.library_model.articles()
        cache, target = self.cache, self.target_language()
        limit = 500

        def job(context: JobContext) -> object:
            hits = search_library(articles, query, cache=cache, target_language=target,
                                  limit=limit)
            return SearchDone(query, hits, limit)

        self.search_jobs += 1
        self._search_job = self.search_worker.submit(job, "search")
        return self._search_job

    def _on_search_result(self, job_id: int, payload: object) -> None:
        if self._shut_down:
            return
        if isinstance(payload, SearchDone) and job_id == self._search_job:
            self._search_job = None
            self.search_panel.set_results(payload.query, payload.hits, payload.limit)
            self.searchFinished.emit(len(payload.hits))
        elif isinstance(payload, RepeatsFound) and job_id == self._repeats_job:
            self._repeats_job = None
            self._repeats_found(payload)

    def open_search_hit(self, hit: SearchHit) -> bool:
        """Open the hit's article, scroll to the paragraph and light up the match (and, on
        the other side, the aligned sentence)."""
        key = next((a.key for a in self.library_model.articles() if a.path == hit.article_path),
                   None)
        if key is None:
            return False
        if key != self.current_key():
            row = self.library_proxy.row_of(key)
            if row >= 0:
                self.select_row(row)
            else:  # filtered out of the list: open it anyway
                self.open_article(key)
        if key != self.current_key():
            return False
        side = Side.SOURCE if hit.side == "source" else Side.TARGET
        return self.pane.view.show_search_hit(
            hit.paragraph_index, side, hit.start, hit.end, self.search_panel.query()
        )

    # -- read state -----------------------------------------------------------------------------

    def _on_end_reached(self) -> None:
        """An article becomes *read* once its end has been on screen (scrolled to, or the
        whole article fits). Opening it is not enough; "Mark as read / unread" (Ctrl+U, or
        the library's context menu) sets it by hand."""
        article = self._article
        if article is not None and article.ok:
            self.set_read(article.key, True)

    def set_read(self, key: str, read: bool) -> None:
        state = self.settings.article_state(key)
        entry = self.library_model.entry(key)
        if state.read == read and (entry is None or entry.read == read):
            return
        state.read = read
        self.settings.set_article_state(key, state)
        self.library_model.set_read(key, read)
        self.readChanged.emit(key, read)

    def toggle_read(self, key: str | None = None) -> None:
        key = key or self._selected_key() or self.current_key()
        entry = self.library_model.entry(key) if key else None
        if entry is None:
            return
        self.set_read(entry.key, not entry.read)
        self.show_message(f"“{entry.article.display_title}” marked as "
                          f"{'read' if entry.read else 'unread'}.")

    def _selected_key(self) -> str | None:
        index = self.library_view.currentIndex()
        return self.library_proxy.key_at(index.row()) if index.isValid() else None

    def library_menu(self, key: str) -> QMenu:
        """The library list's context menu for one article."""
        entry = self.library_model.entry(key)
        menu = QMenu(self)
        read = entry is not None and entry.read
        action = menu.addAction(f"Mark as {'unread' if read else 'read'}\tCtrl+U")
        action.triggered.connect(lambda: self.toggle_read(key))
        action.setEnabled(entry is not None and entry.article.ok)
        return menu

    def _on_library_menu(self, point: QPoint) -> None:
        index = self.library_view.indexAt(point)
        key = self.library_proxy.key_at(index.row()) if index.isValid() else None
        if key is not None:
            self.library_menu(key).exec(self.library_view.viewport().mapToGlobal(point))

    # -- preferences -----------------------------------------------------------------------------

    def target_language(self) -> str:
        return self.settings.get(keys.TARGET_LANGUAGE)

    def _refresh_targets(self) -> None:
        from reader.core.packages import language_name, reachable_targets

        source = self._article.language if self._article is not None else "fr"
        installed = self.engine.installed()
        targets = reachable_targets(source, installed)
        current = self.target_language()
        combo = self.target_combo
        combo.blockSignals(True)
        combo.clear()
        for code, name in targets:
            combo.addItem(name, code)
        if combo.findData(current) < 0:
            # Keep the reader's choice visible even when no model reaches it any more.
            combo.addItem(f"{language_name(current, installed)} (no model)", current)
        combo.setCurrentIndex(combo.findData(current))
        combo.blockSignals(False)

    def set_target_language(self, code: str) -> None:
        if code == self.target_language():
            return
        self.pane.view.commit_edit()  # stored for the language it was written in
        self.settings.set(keys.TARGET_LANGUAGE, code)
        self._refresh_targets()
        self._update_headings()
        self._render_translation()
        self.refresh_summaries()

    def set_quality(self, quality: str) -> None:
        if quality == self.settings.get(keys.QUALITY):
            return
        self.settings.set(keys.QUALITY, quality)
        self.quality_combo.setCurrentIndex(self.quality_combo.findData(quality))
        self.engine = self._make_engine()
        self._render_translation()
        self.refresh_summaries()

    def set_layout(self, mode: str) -> None:
        self.settings.set(keys.LAYOUT, str(mode))
        self.layout_actions[mode].setChecked(True)
        self.pane.view.set_layout_mode(mode)
        self.peek_action.setEnabled(mode == Layout.TRANSLATION_ONLY)
        if mode != Layout.TRANSLATION_ONLY:
            self.set_peek_original(False)

    def set_theme(self, theme: str) -> None:
        self.settings.set(keys.THEME, theme)
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)
        self.pane.view.viewport().update()

    def _on_system_scheme(self, _scheme: object) -> None:
        if self.settings.get(keys.THEME) == "system":
            apply_theme("system")

    def change_font_size(self, step: int) -> None:
        size = self.settings.get(keys.FONT_SIZE) + step if step else keys.DEFAULT_FONT_SIZE
        size = min(max(size, keys.MIN_FONT_SIZE), keys.MAX_FONT_SIZE)
        self.settings.set(keys.FONT_SIZE, size)
        self.pane.view.set_text_font(reading_family(), size)
        self.show_message(f"Text size {size} pt")

    def set_peek_original(self, peek: bool) -> None:
        self.peek_action.setChecked(peek)
        self.pane.view.set_peek_original(peek)

    def _on_peek_action(self, checked: bool) -> None:
        from time import monotonic

        self._peek_pressed_at = monotonic() if checked else None
        self.pane.view.set_peek_original(checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Hold-to-peek: O pressed triggers the action; released after a hold turns it off.
        if (
            event.type() == QEvent.Type.KeyRelease
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_O
            and not event.isAutoRepeat()
            and self._peek_pressed_at is not None
        ):
            from time import monotonic

            if (monotonic() - self._peek_pressed_at) * 1000 >= HOLD_TO_PEEK_MS:
                self.set_peek_original(False)
            self._peek_pressed_at = None
        return False

    def _on_source_language(self, code: str) -> None:
        if self._article is None:
            return
        key = self._article.key
        state = self.settings.article_state(key)
        state.source_language = code or None
        self.settings.set_article_state(key, state)
        base = self._full_articles.get(key) or self.library_model.article(key)
        if base is None:
            return
        self._article = apply_language_override(base, state.source_language)
        self.pane.view.set_article(self._article)
        self._refresh_targets()
        self._update_headings()
        self._render_translation()

    # -- models ------------------------------------------------------------------------------

    def open_model_manager(self) -> ModelManagerDialog:
        if self.model_dialog is None:
            self.model_dialog = ModelManagerDialog(self.model_tasks, self)
        self.model_dialog.refresh()
        self.model_dialog.show()
        self.model_dialog.raise_()
        self.model_dialog.activateWindow()
        return self.model_dialog

    def _on_packages_changed(self) -> None:
        # New engine: the package list and loaded models are read again on next use.
        self._pool.unload()
        self.engine = self._make_engine()
        self._refresh_targets()
        self._update_header()
        if self._article is not None and (
            self.pane.no_model_shown() or not self._view_jobs
        ):
            self._render_translation()
        self.refresh_summaries()

    # -- export ------------------------------------------------------------------------------

    def export_pdf(self) -> None:
        article = self._article
        if article is None or not article.ok:
            self.show_message("Open an article to export it.")
            return
        if self._export_job is not None:
            self.show_message("An export is already running.")
            return
        target = self.target_language()
        suggested = Path.home() / f"{article.path.stem}.{target}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, "Export bilingual PDF", str(suggested),
                                              "PDF (*.pdf)")
        if name:
            self.start_export(Path(name))

    def listed_articles(self) -> list[Article]:
        """The readable articles of the library list, filtered and sorted as shown."""
        articles = []
        for row in range(self.library_proxy.rowCount()):
            key = self.library_proxy.key_at(row)
            article = self.library_model.article(key) if key else None
            if article is not None and article.ok:
                articles.append(article)
        return articles

    def export_listed_pdf(self) -> None:
        articles = self.listed_articles()
        if not articles:
            self.show_message("No readable article in the list to export.")
            return
        if self._export_job is not None:
            self.show_message("An export is already running.")
            return
        folders = {a.path.parent.name for a in articles}
        stem = folders.pop() if len(folders) == 1 else "articles"
        suggested = Path.home() / f"{stem}.{self.target_language()}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, f"Export {len(articles)} articles to one bilingual PDF", str(suggested),
            "PDF (*.pdf)",
        )
        if name:
            self.start_export(Path(name), articles)

    def start_export(self, output: Path, articles: Sequence[Article] | None = None) -> int | None:
        """Export ``articles`` (default: the open one) to ``output`` on the tasks worker."""
        chosen = list(articles) if articles is not None else (
            [self._article] if self._article is not None else []
        )
        if not chosen:
            return None
        try:
            from reader.export.pdf import ExportRequest, export_articles
        except ImportError as error:
            self.show_message(f"PDF export is not available: {error}")
            return None
        layout = self.settings.get(keys.LAYOUT)
        request = ExportRequest(
            output=output,
            target_language=self.target_language(),
            layout="interleaved" if layout != Layout.SIDE_BY_SIDE else "side-by-side",
            also=("mono",) if layout == Layout.TRANSLATION_ONLY else (),
        )
        engine = self.engine
        # Read on the GUI thread: settings and the parsed-article memo are not thread-safe.
        plan = [
            (article, self._full_articles.get(article.key),
             self.settings.article_state(article.key).source_language)
            for article in chosen
        ]

        def job(context: JobContext) -> object:
            from reader.core.parser import parse_file

            full_articles = []
            for article, known, override in plan:
                if context.is_cancelled():
                    break
                full = known or parse_file(article.path, paragraph_languages=True)
                full_articles.append(apply_language_override(full, override))
            return export_articles(engine, full_articles, request, progress=context.progress,
                                   is_cancelled=context.is_cancelled)

        self._export_ok = False
        self._export_job = self.tasks_worker.submit(job, "export")
        self.export_progress.begin(0, "Exporting…")
        return self._export_job

    def _cancel_export(self) -> None:
        if self._export_job is not None:
            self.tasks_worker.cancel(self._export_job)

    def _on_task_result(self, job_id: int, payload: object) -> None:
        if self._shut_down:
            return  # queued signals arriving after shutdown: nothing to update
        if job_id != self._export_job:
            return
        written = getattr(payload, "written", [])
        messages = getattr(payload, "messages", [])
        # Written files are complete (partial output is never left); skipped articles of a
        # multi-article export are reported beside them, not as a failure.
        self._export_ok = bool(written)
        if self._export_ok:
            skipped = f" (skipped: {'; '.join(messages)})" if messages else ""
            self.show_message(f"Exported {', '.join(str(p) for p in written)}{skipped}")
        else:
            self.show_message("Export failed: " + ("; ".join(messages) or "unknown reason"))

    def _on_task_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._export_job:
            self.export_progress.update_progress(done, total, "sentences")

    def _on_task_error(self, job_id: int, message: str) -> None:
        if job_id == self._export_job:
            self.show_message(f"Export failed: {message}")

    def _on_task_finished(self, job_id: int, cancelled: bool) -> None:
        if self._shut_down:
            return  # queued signals arriving after shutdown: nothing to update
        if job_id == self._export_job:
            self._export_job = None
            self.export_progress.end()
            if cancelled:
                self.show_message("Export cancelled.")
            self.exportFinished.emit(self._export_ok and not cancelled)

    # -- drag and drop --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.open_paths(dropped)

    def open_paths(self, dropped: list[Path]) -> None:
        """Install ``.argosmodel`` files; add articles and folders to the library."""
        models = [p for p in dropped if p.suffix.lower() == ".argosmodel"]
        articles = [
            p for p in dropped
            if p.is_dir() or p.suffix.lower() in ARTICLE_SUFFIXES
        ]
        ignored = len(dropped) - len(models) - len(articles)
        if models:
            self.show_message(f"Installing {len(models)} model(s)…")
            self.model_tasks.install_files(models)
        if articles:
            self.load_library(articles, replace=False)
        if ignored:
            self.show_message(f"Ignored {ignored} file(s): not an article or a model")

    # -- messages, help ------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        line = " ".join(text.split())
        self.last_message = line
        self.statusBar().showMessage(line, MESSAGE_MS)
        self.statusMessage.emit(line)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS_HELP)

    # -- closing -------------------------------------------------------------------------------

    def _save_position(self) -> None:
        article = self._article
        if article is None or not article.ok or not self.pane.view.row_count():
            return
        state = self.settings.article_state(article.key)
        state.paragraph, state.offset = self.pane.view.top_position()
        self.settings.set_article_state(article.key, state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shut_down:
            event.accept()
            return
        self.pane.view.commit_edit()
        self._save_position()
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
        self._position_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for worker in (self.translation_worker, self.io_worker, self.tasks_worker,
                       self.search_worker):
            worker.shutdown(SHUTDOWN_WAIT_MS)
        self.cache.close()


def _toolbar_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setContentsMargins(8, 0, 4, 0)
    return label


SHORTCUTS_HELP = f"""\
Articles: Ctrl+PgDown / Alt+Down next, Ctrl+PgUp / Alt+Up previous, Ctrl+L filter.
Paragraphs: J / Ctrl+Down next, K / Ctrl+Up previous; Space / Shift+Space page.
Sentences: hover or click a sentence to light up its counterpart; Esc clears.
Copy: Ctrl+C copies the clicked sentence and its translation, else the current
  paragraph with its translation (right-click: original or translation alone).
Find: Ctrl+F (both languages), Enter next, Shift+Enter previous, Esc close.
Search the library: Ctrl+Shift+F (as you type; Enter or a click opens a result,
  lit up on both sides; Esc closes). Ctrl+U marks an article read / unread (it
  becomes read once its end has been on screen; unread titles are bold).
Your translation: double-click a translation, or Enter / {EDIT_KEYS} on the current
  paragraph, to edit it in place; Ctrl+Enter or clicking away saves, Esc cancels.
  Edits are marked by a teal margin, win over machine text and are exported.
  {REVERT_KEYS} reverts to the machine translation; {RETRANSLATE_KEYS}
  translates the paragraph again.
Layout: Ctrl+1 side by side, Ctrl+2 interleaved, Ctrl+3 translation only
  (hold O to peek at the original, tap O to toggle).
Text size: Ctrl+= bigger, Ctrl+- smaller, Ctrl+0 normal.
Translation: Ctrl+R translate / resume, Ctrl+. stop, Ctrl+M models; the Translate
  menu clears this article's translations (your edits stay unless you confirm).
Files: Ctrl+O open folder, Ctrl+E export PDF, Ctrl+Shift+E export every listed
  article to one PDF; drop articles, folders or .argosmodel files."""
