"""The offline translation engine: an article in, aligned paragraph translations out.

Why not ``argostranslate.translate``: it splits sentences with MiniSBD, which downloads a
model on first use (a crash offline), and it translates one paragraph per call in batches of
32 tokens, about one sentence per CTranslate2 call. Here an article is one job:

1. every paragraph is routed (direct package or a pivot through English), looked up in the
   cache and in the reader's post-edits; passthrough paragraphs (already in the target
   language, numbers, URLs) never reach a model;
2. the rest is split into sentences offline (``reader.core.text.sentences``), tokenized with the
   package's SentencePiece model, and identical sentences are translated once;
3. sentences go to a long-lived ``ctranslate2.Translator`` in document-order windows, each
   window in length-sorted batches, each batch with a decoding-length limit proportional to
   its longest source sentence (a synthetic or broken model can never loop to 256 tokens);
   a sentence still writing at that limit (no ``</s>``) is decoded again with room, and
   one still unfinished then makes its paragraph ``truncated``: shown, never cached;
4. each paragraph is yielded as soon as it is complete, in document order, with its
   sentence alignment, and cached (never when empty, failed or truncated).

Paragraphs are prepared (step 2) in chunks just ahead of the windows that need them, so a
book's first window starts after its first chunk. Cancellation is checked between chunks
and batches; what is done is kept (and cached). Several articles (``translate_many``) share
one pipeline, so CTranslate2's workers do not idle at each article's end.

This module plans (step 1) and is the API; the rest lives beside it: ``decoding_options``
(settings and presets), ``model_pool`` (models and tokenizers loaded once, routes),
``article_run`` (steps 2 and 4, windows, several articles in one pipeline) and ``decoder``
(step 3). Nothing here imports Qt, torch or stanza, and nothing touches the network.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from reader.core.articles.article import Article, Paragraph, source_hash
from reader.core.glossary.marks import with_marks
from reader.core.glossary.store import GlossaryStore, article_scope
from reader.core.glossary.terms import Matcher
from reader.core.models import store as package_store
from reader.core.models.store import InstalledPackage, MissingModelError, PackageError
from reader.core.presentation.row_display import is_untranslatable
from reader.core.text.sentences import split_sentences
from reader.core.translation.article_run import Pipeline
from reader.core.translation.cache import CachedTranslation, TranslationCache, UserEdit
from reader.core.translation.decoder import Decoder
from reader.core.translation.model_pool import ModelPool, Route
from reader.core.translation.options import ACCURATE, FAST, PRESETS, DecodingOptions
from reader.core.translation.results import (
    ArticleTranslation,
    EngineEvent,
    PackageRef,
    ParagraphReady,
    ParagraphStatus,
    ParagraphTranslation,
    TranslationCancelled,
    TranslationFinished,
    TranslationProgress,
    TranslationStarted,
)
from reader.core.translation.run_steps import (
    RunPlan,
    RunSettings,
    paragraph_result,
    salted_hash,
)
from reader.core.util.wording import one_line

# -- the engine ------------------------------------------------------------------------------------

log = logging.getLogger(__name__)


class TranslationEngine:
    """Translate articles with installed Argos packages, cache-first.

    One engine is meant to live as long as the app: it keeps the loaded models.
    ``translate`` may run on a worker thread while ``peek`` runs on the GUI thread.
    """

    def __init__(
        self,
        cache: TranslationCache | None = None,
        *,
        options: DecodingOptions = ACCURATE,
        pool: ModelPool | None = None,
        glossary: GlossaryStore | None = None,
    ) -> None:
        self.cache = cache
        # The reader's glossary (``reader.core.glossary``): terms every translation obeys.
        self.glossary = glossary
        self.options = options
        self.pool = pool or ModelPool()
        self._packages: list[InstalledPackage] | None = None
        self._packages_lock = threading.Lock()

    # -- packages ----------------------------------------------------------------------

    def installed(self) -> list[InstalledPackage]:
        with self._packages_lock:
            if self._packages is None:
                self._packages = package_store.installed_packages()
            return self._packages

    def refresh_packages(self) -> None:
        """Call after installing or removing packages."""
        with self._packages_lock:
            self._packages = None
        self.pool.unload()

    def route(self, from_code: str, to_code: str) -> Route:
        return Route(package_store.resolve_route(from_code, to_code, self.installed()))

    # -- planning ------------------------------------------------------------------------

    def _paragraph_language(self, article: Article, paragraph: Paragraph) -> str:
        if paragraph.language and paragraph.language != "und":
            return paragraph.language
        return article.language

    def _routes_for(
        self, article: Article, target: str, paragraphs: Iterable[Paragraph] | None = None
    ) -> dict[str, Route | None]:
        """A route per source language present (in ``paragraphs``, by default all); None
        where a secondary language has no model (its paragraphs pass through). The
        article's own language must have one."""
        routes: dict[str, Route | None] = {}
        for paragraph in article.paragraphs if paragraphs is None else paragraphs:
            language = self._paragraph_language(article, paragraph)
            if language == target or language in routes:
                continue
            try:
                routes[language] = self.route(language, target)
            except MissingModelError:
                if language == article.language:
                    raise
                routes[language] = None
        return routes

    def peek(
        self, article: Article, target: str, *, only: Iterable[int] | None = None
    ) -> list[ParagraphTranslation | None]:
        """What can be shown at once without a model: passthrough, edits, cached text.

        ``None`` marks paragraphs that need the model (and, with ``only``, those not asked
        for: the cost is that of the rows asked for). Raises ``MissingModelError`` when the
        article's language has no route to ``target``."""
        only_set = set(only) if only is not None else None
        routes = self._routes_for(article, target, self._chosen(article, only_set))
        ready, _ = self._plan(article, target, routes, use_cache=True, only=only_set)
        return ready

    @staticmethod
    def _chosen(article: Article, only: set[int] | None) -> Sequence[Paragraph]:
        if only is None:
            return article.paragraphs
        count = len(article.paragraphs)
        return [article.paragraphs[i] for i in sorted(only) if 0 <= i < count]

    def matchers(
        self, article: Article, target: str, routes: dict[str, Route | None]
    ) -> dict[str, Matcher]:
        """The glossary's terms for ``article``, by source language (pivot routes too: each
        leg obeys them, ``Decoder.translate_terms_through``)."""
        if self.glossary is None:
            return {}
        try:
            entries = self.glossary.entries()
        except (OSError, sqlite3.Error) as error:  # held, damaged, unreadable: no terms
            log.warning("glossary %s not used: %s", self.glossary.path, one_line(error))
            return {}
        if not entries:
            return {}
        scope = article_scope(article.path) if article.path else None
        found: dict[str, Matcher] = {}
        for language, route in routes.items():
            if route is not None:
                matcher = Matcher(
                    [e for e in entries if e.applies(language, target, scope)], language, target
                )
                if matcher:
                    found[language] = matcher
        return found

    def _plan(
        self,
        article: Article,
        target: str,
        routes: dict[str, Route | None],
        *,
        use_cache: bool,
        only: set[int] | None,
        matchers: dict[str, Matcher] | None = None,
    ) -> tuple[list[ParagraphTranslation | None], list[tuple[Paragraph, str, Route]]]:
        """Sort the paragraphs into what is ready now (passthrough, post-edits, cached text)
        and what needs the model, with one cache query per route and language. A paragraph
        with glossary terms is cached under its hash salted with them (``salted_hash``)."""
        if matchers is None:
            matchers = self.matchers(article, target, routes)
        ready: list[ParagraphTranslation | None] = [None] * len(article.paragraphs)
        needs_model: list[tuple[Paragraph, str, Route]] = []
        by_route: dict[str, list[tuple[Paragraph, str, Route]]] = {}
        for paragraph in self._chosen(article, only):
            language = self._paragraph_language(article, paragraph)
            route = routes.get(language)
            if language == target or route is None or is_untranslatable(paragraph.text):
                ready[paragraph.index] = paragraph_result(
                    paragraph, language, ParagraphStatus.PASSTHROUGH, paragraph.text
                )
                continue
            by_route.setdefault(route.key, []).append((paragraph, language, route))

        for items in by_route.values():
            route = items[0][2]
            hashes = [paragraph.hash for paragraph, _, _ in items]
            terms = {
                paragraph.index: tuple(matchers[language].find(paragraph.text))
                for paragraph, language, _ in items if language in matchers
            }
            salted = [
                salted_hash(paragraph.text, paragraph.hash, terms.get(paragraph.index, ()))
                for paragraph, _, _ in items
            ]
            machine: dict[str, CachedTranslation] = {}
            edits: dict[tuple[str, str], UserEdit] = {}
            if self.cache is not None:
                found_machine = self.cache.get_many(
                    route.key, self.options.cache_key(), salted
                )
                machine = {
                    paragraph.hash: found_machine[key]
                    for (paragraph, _, _), key in zip(items, salted, strict=True)
                    if key in found_machine
                }
                for language in {language for _, language, _ in items}:
                    found = self.cache.get_edits(language, target, hashes)
                    edits.update({(language, h): edit for h, edit in found.items()})
            for paragraph, language, _ in items:
                edit = edits.get((language, paragraph.hash))
                cached = machine.get(paragraph.hash)
                if edit is not None:
                    ready[paragraph.index] = with_marks(paragraph_result(
                        paragraph,
                        language,
                        ParagraphStatus.EDITED,
                        edit.translation,
                        machine_translation=cached.translation if cached else None,
                        unsaved=not edit.saved,
                    ), terms.get(paragraph.index, ()))
                elif cached is not None and use_cache:
                    ready[paragraph.index] = with_marks(paragraph_result(
                        paragraph,
                        language,
                        ParagraphStatus.CACHED,
                        cached.translation,
                        sentences=cached.sentences,
                    ), terms.get(paragraph.index, ()))
                else:
                    needs_model.append((paragraph, language, route))
        needs_model.sort(key=lambda item: item[0].index)
        return ready, needs_model

    # -- translating -----------------------------------------------------------------------

    def translate_article(
        self,
        article: Article,
        target: str,
        *,
        use_cache: bool = True,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> tuple[ArticleTranslation, TranslationFinished]:
        """Run ``translate`` to the end and collect the result (CLI, export)."""
        result = ArticleTranslation(article=article, target_language=target)
        finished = TranslationFinished()
        for event in self.translate(
            article, target, use_cache=use_cache, is_cancelled=is_cancelled
        ):
            if isinstance(event, TranslationStarted):
                result.packages = event.packages
            elif isinstance(event, ParagraphReady):
                result.paragraphs.append(event.paragraph)
            elif isinstance(event, TranslationFinished):
                finished = event
        return result, finished

    def translate(
        self,
        article: Article,
        target: str,
        *,
        use_cache: bool = True,
        is_cancelled: Callable[[], bool] | None = None,
        only: Iterable[int] | None = None,
    ) -> Iterator[EngineEvent]:
        """Translate ``article`` into ``target``, yielding events as work completes.

        Yields ``TranslationStarted``, then ``ParagraphReady`` for every paragraph (or every
        paragraph in ``only``) in document order interleaved with ``TranslationProgress``,
        then ``TranslationFinished``. Raises ``MissingModelError`` before yielding anything
        when no route exists for the article's language. ``use_cache=False`` re-translates
        (and replaces the cached machine text); post-edits are still shown, never replaced.
        """
        return self.translate_many(
            [article], target, use_cache=use_cache, is_cancelled=is_cancelled,
            only=None if only is None else [only],
        )[0]

    def translate_many(
        self,
        articles: Sequence[Article],
        target: str,
        *,
        use_cache: bool = True,
        is_cancelled: Callable[[], bool] | None = None,
        only: Sequence[Iterable[int] | None] | None = None,
    ) -> list[Iterator[EngineEvent]]:
        """One event stream per article, each exactly what ``translate`` yields for it, to be
        read in order (a stream read early is fine: the export starts them all to learn
        their totals). Unlike separate ``translate`` calls, the next article's first window
        is queued in CTranslate2 while the last window of the one before is decoded, so
        the workers do not idle at each article's end (``translate`` on many files, the
        export). A stream left unread stops its article; the others go on."""
        articles = list(articles)
        chosen = list(only) if only is not None else [None] * len(articles)
        settings = RunSettings(
            target=target,
            use_cache=use_cache,
            cancelled=is_cancelled or (lambda: False),
            cache=self.cache,
            decoder=self.make_decoder(),
        )

        def plan_for(position: int) -> RunPlan:
            article, wanted = articles[position], chosen[position]
            only_set = set(wanted) if wanted is not None else None
            routes = self._routes_for(article, target)  # MissingModelError: no route
            matchers = self.matchers(article, target, routes)
            ready, needs_model = self._plan(
                article, target, routes, use_cache=use_cache, only=only_set,
                matchers=matchers,
            )
            indices = [
                p.index for p in article.paragraphs if only_set is None or p.index in only_set
            ]
            return RunPlan(self._refs(routes), ready, needs_model, indices, matchers)

        pipeline = Pipeline(settings, len(articles), plan_for)
        return [pipeline.stream(position) for position in range(len(articles))]

    def make_decoder(self) -> Decoder:
        """What decodes this engine's sentences (a LibreTranslate engine sends them away)."""
        # With attention: word links are made in the same pass (bench/words.py).
        return Decoder(self.pool, self.options, attention=True)

    @staticmethod
    def _refs(routes: dict[str, Route | None]) -> tuple[PackageRef, ...]:
        refs: list[PackageRef] = []
        for route in routes.values():
            if route is not None:
                refs.extend(ref for ref in route.refs if ref not in refs)
        return tuple(refs)

    # -- post-edits --------------------------------------------------------------------------

    def set_edit(self, paragraph: ParagraphTranslation, target: str, text: str) -> bool:
        """Store the reader's translation of ``paragraph``. True once it is committed; False
        when the cache could not write it in time (``cache.last_error``): it is then kept in
        memory, shown as not saved yet, and written by the cache's next edit or retry.
        May wait for the cache (``TranslationCache.write_wait``): never on the GUI thread."""
        if self.cache is None:
            raise PackageError("no cache to keep the edit in")
        return self.cache.set_edit(
            paragraph.source_language,
            target,
            source_hash(paragraph.source),
            paragraph.source,
            text,
        )

    def paragraph_to_edit(
        self, article: Article, target: str, index: int
    ) -> ParagraphTranslation:
        """Paragraph ``index`` (0-based, as ``Paragraph.index``) as an edit is stored for it:
        its cached or edited translation, else the paragraph in the language the engine
        reads it in. Raises ``PackageError`` for a paragraph shown unchanged (already in
        ``target``, or nothing to translate) or when the article's language has no model."""
        ready = self.peek(article, target, only=[index])[index]
        if ready is None:
            paragraph = article.paragraphs[index]
            language = self._paragraph_language(article, paragraph)
            ready = paragraph_result(paragraph, language, ParagraphStatus.PENDING, "")
        if ready.status is ParagraphStatus.PASSTHROUGH:
            raise PackageError(
                f"paragraph {index} is shown unchanged (already in {target}, or nothing to "
                "translate): there is no translation to edit"
            )
        return ready

    def revert_edit(self, paragraph: ParagraphTranslation, target: str) -> bool:
        """Go back to the machine translation; False when not written yet (as ``set_edit``)."""
        if self.cache is None:
            return True
        return self.cache.delete_edit(
            paragraph.source_language, target, source_hash(paragraph.source)
        )


def article_cache_hashes(article: Article) -> list[str]:
    """The cache keys of an article: its paragraphs' and its sentences' hashes (for
    clearing one article). Pieces of over-long sentences are not listed; they are only ever
    reused for the very same piece."""
    hashes: list[str] = []
    for paragraph in article.paragraphs:
        hashes.append(paragraph.hash)
        hashes.extend(
            source_hash(paragraph.text[start:end])
            for start, end in split_sentences(paragraph.text, paragraph.language)
        )
    return hashes


__all__ = [
    "ACCURATE",
    "FAST",
    "PRESETS",
    "DecodingOptions",
    "EngineEvent",
    "ModelPool",
    "ParagraphReady",
    "Route",
    "TranslationCancelled",
    "TranslationEngine",
    "TranslationFinished",
    "TranslationProgress",
    "TranslationStarted",
    "article_cache_hashes",
    "is_untranslatable",
]
