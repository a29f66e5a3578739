"""What every part of the window shares: settings, cache, engine, workers, parsed articles.

Parts take a :class:`Services` in their constructor instead of reaching into the window,
so a test builds one part with real services (a real cache, real settings in a throwaway
XDG folder, real worker threads) and nothing else.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from reader import paths
from reader.core.articles.article import Article
from reader.core.server.choice import load_api_key
from reader.core.server.engine import ServerEngine
from reader.core.server.libretranslate import LibreTranslateClient
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import PRESETS, ModelPool, TranslationEngine
from reader.ui import settings as keys
from reader.ui.memory import keep_long_lived
from reader.ui.settings import Settings
from reader.ui.window.jobs import JobRouter
from reader.ui.workers import WorkerThread

log = logging.getLogger(__name__)

# Sentences per engine window in the window: small windows stream paragraphs sooner and
# let Cancel act within one small batch (the engine's default of 48 suits the CLI).
STREAM_WINDOW = 8
SHUTDOWN_WAIT_MS = 2000
MAX_PARSED_PARAGRAPHS = 200_000
LONG_LIVED_PARAGRAPHS = 1_000  # a parsed article this long is frozen out of GC passes


class Engines(QObject):
    """The current translation engine, rebuilt when the quality, the models or where
    translation happens change (the loaded models are kept in one pool across rebuilds,
    unless the compute device changes).

    Where: the local models on the device of ``COMPUTE``, or, when ``TRANSLATE_WITH`` is
    "server" and an address is set, that LibreTranslate server (nothing is sent anywhere
    otherwise). Signals: ``changed()``: :attr:`engine` is a new engine.
    """

    changed = Signal()

    def __init__(
        self, cache: TranslationCache, settings: Settings, *, stream_window: int = STREAM_WINDOW,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._settings = settings
        self._stream_window = stream_window
        self.pool = ModelPool(device=settings.get(keys.COMPUTE))
        self.engine = self._make()
        settings.changed.connect(self._on_setting)

    def _make(self) -> TranslationEngine:
        quality = self._settings.get(keys.QUALITY)
        options = dataclasses.replace(PRESETS[quality], window_sentences=self._stream_window,
                                      first_paragraph_alone=True)
        server = self._server()
        if server is not None:
            return ServerEngine(server, self._cache, options=options)
        compute = self._settings.get(keys.COMPUTE)
        if self.pool.requested != compute:
            self.pool = ModelPool(device=compute)  # models load again on the new device
        from reader.core.glossary.store import open_user_glossary

        # The reader's glossary, when there is one: every translation obeys it.
        return TranslationEngine(self._cache, options=options, pool=self.pool,
                                 glossary=open_user_glossary())

    def _server(self) -> LibreTranslateClient | None:
        settings = self._settings
        url = settings.get(keys.SERVER_URL)
        if settings.get(keys.TRANSLATE_WITH) != "server" or not url:
            return None
        try:
            return LibreTranslateClient(url, load_api_key(paths.app_config_dir(), url))
        except ValueError as error:  # an address edited by hand in settings.ini
            log.warning("not a server address, translating here: %s", error)
            return None

    def _on_setting(self, key: str) -> None:
        # Connected before the window's parts: they read the new engine when told.
        if key in (keys.QUALITY.key, *keys.WHERE_KEYS):
            self.rebuild()

    def rebuild(self, *, packages_changed: bool = False) -> None:
        if packages_changed:
            # The package list and loaded models are read again on next use.
            self.pool.unload()
        self.engine = self._make()
        self.changed.emit()


class ParsedArticles:
    """Articles parsed with per-paragraph languages, by key (the library lists them parsed
    faster, with one language for the whole article). GUI thread only.

    Bounded by paragraphs, least recently used out first: background translation parses the
    whole library, and a 10 MB article alone is 100,000 paragraphs. An article forgotten
    here is parsed again when next translated."""

    def __init__(self, max_paragraphs: int = MAX_PARSED_PARAGRAPHS) -> None:
        self.max_paragraphs = max_paragraphs
        self._by_key: OrderedDict[str, Article] = OrderedDict()
        self._paragraphs = 0

    def get(self, key: str) -> Article | None:
        article = self._by_key.get(key)
        if article is not None:
            self._by_key.move_to_end(key)
        return article

    def put(self, article: Article) -> None:
        old = self._by_key.pop(article.key, None)
        if old is not None:
            self._paragraphs -= len(old.paragraphs)
        self._by_key[article.key] = article
        self._paragraphs += len(article.paragraphs)
        if len(article.paragraphs) >= LONG_LIVED_PARAGRAPHS:
            keep_long_lived()  # a book kept here: out of every full GC pass
        while self._paragraphs > self.max_paragraphs and len(self._by_key) > 1:
            _key, evicted = self._by_key.popitem(last=False)
            self._paragraphs -= len(evicted.paragraphs)

    def __len__(self) -> int:
        return len(self._by_key)


@dataclass
class Services:
    """The window's shared services. Build with :meth:`create`; end with :meth:`shutdown`."""

    settings: Settings
    cache: TranslationCache
    engines: Engines
    translation: JobRouter  # article translation: on screen first, then the background
    library: JobRouter  # library loading and status summaries
    tasks: JobRouter  # export (model installs share this worker through ModelTasks)
    search: JobRouter  # library search and an edit's repeats: quick, never queued behind
    parsed: ParsedArticles
    # The cache read of the article being opened (a 5 MB book's is ~0.5 s of lookups, too
    # long for the GUI thread), alone: never queued behind a translation window, a library
    # load, a search or a status read (those go to ``library``: the background translation
    # asks for one at every step), so the cached text shows as soon as it is read.
    reading: JobRouter
    # Writes of the reader's post-edits: a write may wait for a cache another program holds
    # (TranslationCache.write_wait), never on the GUI thread and never behind other work.
    edits: JobRouter

    @classmethod
    def create(
        cls, *, stream_window: int = STREAM_WINDOW, settings: Settings | None = None,
        cache: TranslationCache | None = None,
    ) -> Services:
        settings = settings if settings is not None else Settings()
        cache = cache if cache is not None else TranslationCache()
        return cls(
            settings=settings,
            cache=cache,
            engines=Engines(cache, settings, stream_window=stream_window),
            translation=JobRouter(WorkerThread("translation")),
            library=JobRouter(WorkerThread("library")),
            tasks=JobRouter(WorkerThread("tasks")),
            search=JobRouter(WorkerThread("search")),
            parsed=ParsedArticles(),
            reading=JobRouter(WorkerThread("reading")),
            edits=JobRouter(WorkerThread("edits")),
        )

    @property
    def engine(self) -> TranslationEngine:
        return self.engines.engine

    def target_language(self) -> str:
        return self.settings.get(keys.TARGET_LANGUAGE)

    def reading_article(self, article: Article) -> Article:
        """``article`` as it is to be translated: parsed with per-paragraph languages when
        known, read in the language the reader chose (the one override rule, in core)."""
        full = self.parsed.get(article.key) or article
        return full.with_source_language(self.settings.source_override(article.key))

    def routers(self) -> tuple[JobRouter, ...]:
        return (self.translation, self.library, self.tasks, self.search, self.reading,
                self.edits)

    def shutdown(self) -> None:
        """Stop every worker (cancelling their jobs) and close the cache. Idempotent."""
        for router in self.routers():
            router.shutdown(SHUTDOWN_WAIT_MS)
        # Post-edits the cache could not write yet: one last bounded try before they go.
        if self.cache.unsaved_edits() and self.cache.retry_unsaved():
            log.warning("%d post-edits could not be saved: %s",
                        self.cache.unsaved_edits(), self.cache.last_error)
        self.cache.close()
