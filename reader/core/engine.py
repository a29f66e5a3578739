"""The offline translation engine: an article in, aligned paragraph translations out.

Why not ``argostranslate.translate``: it splits sentences with MiniSBD, which downloads a
model on first use (a crash offline), and it translates one paragraph per call in batches of
32 tokens, about one sentence per CTranslate2 call. Here an article is one job:

1. every paragraph is routed (direct package or a pivot through English), looked up in the
   cache and in the reader's post-edits; passthrough paragraphs (already in the target
   language, numbers, URLs) never reach a model;
2. the rest is split into sentences offline (``reader.core.sentences``), tokenized with the
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
and batches; what is done is kept (and cached).
Nothing here imports Qt, torch or stanza, and nothing touches the network.
"""

from __future__ import annotations

import collections
import logging
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import packages as package_store
from reader.core.article import Article, Paragraph, source_hash
from reader.core.batching import length_batches, token_chunks, windows_of
from reader.core.cache import (
    CachedTranslation,
    CacheEntry,
    SentenceEntry,
    TranslationCache,
    UserEdit,
)
from reader.core.packages import InstalledPackage, MissingModelError, PackageError
from reader.core.row_display import is_untranslatable
from reader.core.sentences import joiner_for, split_long_text, split_sentences
from reader.core.tokenizers import Tokenizer, load_tokenizer
from reader.core.translation import (
    ArticleTranslation,
    PackageRef,
    ParagraphStatus,
    ParagraphTranslation,
    SentencePair,
    TranslationProgress,
    pairs_from_sentences,
)

if TYPE_CHECKING:
    import ctranslate2

log = logging.getLogger(__name__)


# -- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecodingOptions:
    """Decoding settings. The defaults follow argostranslate's own call to
    ``translate_batch`` (beam 4, length penalty 0.2, replace unknowns, the package's target
    prefix), plus a decoding-length limit proportional to the source."""

    beam_size: int = 4
    length_penalty: float = 0.2
    replace_unknowns: bool = True
    # Longest translation allowed for a sentence of n source tokens: ratio * n + margin.
    # The limit only stops models that loop; it must never cut a long answer, so a sentence
    # still writing at it is decoded again (in a batch of its own kind) with
    # retry_ratio * n + retry_margin, at most retry_cap. One still unfinished then is
    # reported as truncated and never cached.
    length_ratio: float = 1.6
    length_margin: int = 8
    length_cap: int = 256
    retry_ratio: float = 4.0
    retry_margin: int = 32
    retry_cap: int = 1024
    # Sentences longer than this are cut at clause, then token, boundaries (never truncated).
    max_input_tokens: int = 200
    # Batching and streaming granularity: these change speed, not output. A batch shares
    # one decoding-length limit (its longest sentence's), so its sentences are kept within
    # ``batch_length_spread`` of each other: a short sentence in a long sentence's batch
    # would otherwise be allowed (and, from a model that loops, cost) the long one's length.
    # Defaults from bench/ on 2 cores with the echo model at fr_en 1.9's shape (it stops
    # like trained weights): finished sentences leave a CTranslate2 batch, so bigger, looser
    # batches win (1024/2.0 took about 0.65 of 512/1.25's time, alternating runs, a shared
    # machine); a looping model is still bounded by the per-batch limit and the retry.
    max_batch_tokens: int = 1024
    batch_length_spread: float = 2.0
    window_sentences: int = 48
    # Streaming (the window): the first paragraph that needs the model goes alone in the
    # first window, so it is on screen after its own sentences, not after a full window.
    first_paragraph_alone: bool = False

    def max_decoding_length(self, source_tokens: int) -> int:
        return min(
            self.length_cap, math.ceil(self.length_ratio * source_tokens) + self.length_margin
        )

    def retry_decoding_length(self, source_tokens: int) -> int:
        return max(
            self.max_decoding_length(source_tokens),
            min(self.retry_cap, math.ceil(self.retry_ratio * source_tokens) + self.retry_margin),
        )

    def cache_key(self) -> str:
        """Only the settings that change the output: a new value never serves old text."""
        return (
            f"beam={self.beam_size};lp={self.length_penalty:g};unk={int(self.replace_unknowns)};"
            f"len={self.length_ratio:g}x+{self.length_margin}<={self.length_cap};"
            f"retry={self.retry_ratio:g}x+{self.retry_margin}<={self.retry_cap};"
            f"in<={self.max_input_tokens}"
        )


FAST = DecodingOptions(beam_size=1)
ACCURATE = DecodingOptions(beam_size=4)
PRESETS: dict[str, DecodingOptions] = {"fast": FAST, "accurate": ACCURATE}


# -- events -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TranslationStarted:
    packages: tuple[PackageRef, ...]
    total_sentences: int  # sentences that need the model in this run
    paragraphs: int


@dataclass(frozen=True, slots=True)
class ParagraphReady:
    paragraph: ParagraphTranslation


@dataclass(frozen=True, slots=True)
class TranslationFinished:
    cancelled: bool = False
    error: str | None = None
    translated: int = 0  # paragraphs produced by the model in this run
    reused: int = 0  # paragraphs served from cache, edits or passthrough


EngineEvent = TranslationStarted | TranslationProgress | ParagraphReady | TranslationFinished


class TranslationCancelled(Exception):
    pass


# -- routes and models ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    packages: tuple[InstalledPackage, ...]

    @property
    def key(self) -> str:
        """Identifies the exact chain in the cache: every package and its version."""
        return ">".join(f"{p.code}@{p.version}" for p in self.packages)

    @property
    def refs(self) -> tuple[PackageRef, ...]:
        return tuple(p.ref for p in self.packages)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class ModelPool:
    """Loads each package's Translator and tokenizer once and keeps them (thread-safe).

    ``ctranslate2`` is imported here, on first use, so that importing the engine stays
    cheap (the window imports it at start-up; the model loads in the worker).

    Threads: one CTranslate2 worker per core, each single-threaded, fed independent batches
    asynchronously. For sentence-sized batches this is about twice as fast on 2 cores as one
    worker splitting each batch across the cores (bench/ measures both)."""

    def __init__(
        self,
        *,
        compute_type: str = "auto",
        inter_threads: int | None = None,
        intra_threads: int = 1,
    ) -> None:
        self.compute_type = compute_type
        self.inter_threads = inter_threads or _default_workers()
        self.intra_threads = intra_threads
        self._translators: dict[Path, ctranslate2.Translator] = {}
        self._tokenizers: dict[Path, Tokenizer] = {}
        self._lock = threading.Lock()

    def translator(self, package: InstalledPackage) -> ctranslate2.Translator:
        with self._lock:
            translator = self._translators.get(package.path)
            if translator is None:
                import ctranslate2

                try:
                    translator = ctranslate2.Translator(
                        str(package.path / "model"),
                        device="cpu",
                        compute_type=self.compute_type,
                        inter_threads=self.inter_threads,
                        intra_threads=self.intra_threads,
                    )
                # A damaged model.bin surfaces as RuntimeError, ValueError or IndexError.
                except (RuntimeError, ValueError, OSError, IndexError) as error:
                    raise PackageError(
                        f"cannot load the model of {package.code} {package.version}: {error}"
                    ) from error
                self._translators[package.path] = translator
            return translator

    def tokenizer(self, package: InstalledPackage) -> Tokenizer:
        with self._lock:
            tokenizer = self._tokenizers.get(package.path)
            if tokenizer is None:
                tokenizer = load_tokenizer(package.path, package.from_code, package.to_code)
                self._tokenizers[package.path] = tokenizer
            return tokenizer

    def unload(self) -> None:
        with self._lock:
            self._translators.clear()
            self._tokenizers.clear()


# -- the engine ------------------------------------------------------------------------------------

# CTranslate2's end of sentence for Argos (OpenNMT) models; returned with return_end_token.
_END_TOKEN = "</s>"

# Paragraphs needing the model are prepared in chunks of 64, 128, … up to 2,048 (a chunk of
# a book's one-sentence paragraphs is ~10 ms of work per 100), checking for cancellation
# every 32 paragraphs: a window closed while a book is prepared waits for no more.
_FIRST_PREPARE_CHUNK = 64
_MAX_PREPARE_CHUNK = 2048
_PREPARE_CHECK_EVERY = 32


@dataclass(slots=True)
class _Unit:
    """One model input: a sentence, or a piece of an over-long sentence."""

    text: str
    tokens: list[str]
    route: Route
    key: str  # identifies the input in the sentence memory
    result: str | None = None
    from_memory: bool = False
    truncated: bool = False  # still writing at the decoding limit after the retry


@dataclass(slots=True)
class _PendingParagraph:
    paragraph: Paragraph
    language: str
    route: Route
    spans: list[tuple[int, int]]
    # For each sentence, the units whose translations join into its translation.
    sentence_units: list[list[_Unit]] = field(default_factory=list)

    def done(self) -> bool:
        return all(unit.result is not None for units in self.sentence_units for unit in units)


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
    ) -> None:
        self.cache = cache
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

    def _plan(
        self,
        article: Article,
        target: str,
        routes: dict[str, Route | None],
        *,
        use_cache: bool,
        only: set[int] | None,
    ) -> tuple[list[ParagraphTranslation | None], list[tuple[Paragraph, str, Route]]]:
        """Sort the paragraphs into what is ready now (passthrough, post-edits, cached text)
        and what needs the model, with one cache query per route and language."""
        ready: list[ParagraphTranslation | None] = [None] * len(article.paragraphs)
        needs_model: list[tuple[Paragraph, str, Route]] = []
        by_route: dict[str, list[tuple[Paragraph, str, Route]]] = {}
        for paragraph in self._chosen(article, only):
            language = self._paragraph_language(article, paragraph)
            route = routes.get(language)
            if language == target or route is None or is_untranslatable(paragraph.text):
                ready[paragraph.index] = _result(
                    paragraph, language, ParagraphStatus.PASSTHROUGH, paragraph.text
                )
                continue
            by_route.setdefault(route.key, []).append((paragraph, language, route))

        for items in by_route.values():
            route = items[0][2]
            hashes = [paragraph.hash for paragraph, _, _ in items]
            machine: dict[str, CachedTranslation] = {}
            edits: dict[tuple[str, str], UserEdit] = {}
            if self.cache is not None:
                machine = self.cache.get_many(route.key, self.options.cache_key(), hashes)
                for language in {language for _, language, _ in items}:
                    found = self.cache.get_edits(language, target, hashes)
                    edits.update({(language, h): edit for h, edit in found.items()})
            for paragraph, language, _ in items:
                edit = edits.get((language, paragraph.hash))
                cached = machine.get(paragraph.hash)
                if edit is not None:
                    ready[paragraph.index] = _result(
                        paragraph,
                        language,
                        ParagraphStatus.EDITED,
                        edit.translation,
                        machine_translation=cached.translation if cached else None,
                    )
                elif cached is not None and use_cache:
                    ready[paragraph.index] = _result(
                        paragraph,
                        language,
                        ParagraphStatus.CACHED,
                        cached.translation,
                        sentences=cached.sentences,
                    )
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
        pipeline = _Pipeline(
            self, list(articles), target, use_cache=use_cache,
            cancelled=is_cancelled or (lambda: False),
            only=list(only) if only is not None else [None] * len(articles),
        )
        return [pipeline.stream(position) for position in range(len(pipeline.articles))]

    @staticmethod
    def _refs(routes: dict[str, Route | None]) -> tuple[PackageRef, ...]:
        refs: list[PackageRef] = []
        for route in routes.values():
            if route is not None:
                refs.extend(ref for ref in route.refs if ref not in refs)
        return tuple(refs)

    def _fail_rest(
        self,
        ready: list[ParagraphTranslation | None],
        wanted: list[int],
        needs_model: list[tuple[Paragraph, str, Route]],
        emitted: int,
    ) -> Iterator[ParagraphReady]:
        unfinished = {
            paragraph.index: (paragraph, language) for paragraph, language, _ in needs_model
        }
        for index in wanted[emitted:]:
            result = ready[index]
            if result is None:
                paragraph, language = unfinished[index]
                result = _result(paragraph, language, ParagraphStatus.FAILED, "")
            yield ParagraphReady(result)

    def _prepare(
        self, needs_model: Sequence[tuple[Paragraph, str, Route]], cancelled: Callable[[], bool]
    ) -> list[_PendingParagraph]:
        limit = self.options.max_input_tokens
        pending: list[_PendingParagraph] = []
        for number, (paragraph, language, route) in enumerate(needs_model):
            if number % _PREPARE_CHECK_EVERY == 0 and cancelled():
                raise TranslationCancelled  # a chunk of a book is a fraction of a second
            tokenizer = self.pool.tokenizer(route.packages[0])
            spans = split_sentences(paragraph.text, language)
            item = _PendingParagraph(paragraph, language, route, spans)
            for start, end in spans:
                sentence = paragraph.text[start:end]
                pieces = split_long_text(
                    sentence, lambda text, tokenizer=tokenizer: len(tokenizer.encode(text)) <= limit
                )
                units: list[_Unit] = []
                for piece in pieces:
                    tokens = tokenizer.encode(piece)
                    # A clause with no punctuation to cut at: cut between words.
                    for start, chunk in token_chunks(tokens, limit):
                        key = source_hash(piece if len(tokens) <= limit else f"{piece}\0w{start}")
                        units.append(_Unit(piece, chunk, route, key))
                item.sentence_units.append(units)
            pending.append(item)
        return pending

    def _recall(self, units: list[_Unit]) -> None:
        """Fill in the units the sentence memory already knows (one query per route)."""
        if self.cache is None:
            return
        by_route: dict[str, list[_Unit]] = {}
        for unit in units:
            by_route.setdefault(unit.route.key, []).append(unit)
        for route_key, route_units in by_route.items():
            known = self.cache.get_sentences(
                route_key, self.options.cache_key(), [unit.key for unit in route_units]
            )
            for unit in route_units:
                remembered = known.get(unit.key)
                if remembered:
                    unit.result = remembered
                    unit.from_memory = True

    def _submit_units(self, units: list[_Unit]) -> _Flight:
        """Queue a window's batches in CTranslate2 without waiting for them. A pivot route's
        second leg needs the first leg's text, so pivot routes are decoded at collection."""
        flight = _Flight(units)
        for unit in units:
            route = unit.route
            flight.by_route.setdefault(route.key, (route, []))[1].append(unit)
        for key, (route, route_units) in flight.by_route.items():
            if len(route.packages) == 1:
                package = route.packages[0]
                token_lists = [unit.tokens for unit in route_units]
                flight.submitted[key] = self._submit(
                    package, token_lists, range(len(token_lists)),
                    self.options.max_decoding_length,
                )
        return flight

    def _collect_units(self, flight: _Flight, cancelled: Callable[[], bool]) -> None:
        """Wait for a submitted window and fill in its units (retrying unfinished ones)."""
        for key, (route, route_units) in flight.by_route.items():
            texts: list[str] | None = None
            cut = [False] * len(route_units)
            for leg, package in enumerate(route.packages):
                tokenizer = self.pool.tokenizer(package)
                if leg == 0:
                    token_lists = [unit.tokens for unit in route_units]
                else:
                    assert texts is not None
                    token_lists = [tokenizer.encode(text) for text in texts]
                texts, leg_cut = self._translate_tokens(
                    package, tokenizer, token_lists, cancelled,
                    flight.submitted.get(key) if leg == 0 else None,
                )
                # A pivot leg that was cut hands on cut text: the end result is cut too.
                cut = [a or b for a, b in zip(cut, leg_cut, strict=True)]
            assert texts is not None
            for unit, text, truncated in zip(route_units, texts, cut, strict=True):
                unit.result = text
                unit.truncated = truncated

    def _translate_tokens(
        self,
        package: InstalledPackage,
        tokenizer: Tokenizer,
        token_lists: list[list[str]],
        cancelled: Callable[[], bool],
        submitted: list[_Submitted] | None = None,
    ) -> tuple[list[str], list[bool]]:
        """Translate token lists with one package: length-sorted batches, all submitted at
        once so CTranslate2's workers decode them in parallel, results in input order.

        Returns the texts and, for each, whether it is still cut after the retry: a
        hypothesis without ``</s>`` stopped at the decoding limit, so it is decoded again
        with room (``retry_decoding_length``); only one still unfinished then is cut.
        ``submitted``: the first pass, already queued by ``_submit``."""
        options = self.options
        if submitted is None:
            if cancelled():
                raise TranslationCancelled
            submitted = self._submit(
                package, token_lists, range(len(token_lists)), options.max_decoding_length
            )
        finished = _gather(submitted)
        unfinished = [i for i, (_, done) in finished.items() if not done]
        if unfinished:
            log.info(
                "%d of %d sentences reached the decoding limit; decoding them again with room",
                len(unfinished), len(token_lists),
            )
            if cancelled():
                raise TranslationCancelled
            try:
                finished.update(_gather(self._submit(
                    package, token_lists, unfinished, options.retry_decoding_length
                )))
            except (RuntimeError, ValueError) as error:
                # A model that cannot decode that far (its position table is shorter): keep
                # the first pass, reported as cut, rather than lose the whole window.
                log.warning("retry with a longer limit failed: %s", _one_line(error))
        outputs: list[str] = []
        cut: list[bool] = []
        for i in range(len(token_lists)):
            tokens, done = finished[i]
            outputs.append(_clean_output(tokenizer.decode(tokens), package.target_prefix))
            cut.append(not done)
        return outputs, cut

    def _submit(
        self,
        package: InstalledPackage,
        token_lists: list[list[str]],
        indices: Iterable[int],
        limit: Callable[[int], int],
    ) -> list[_Submitted]:
        """Queue ``token_lists[i]`` for each index in CTranslate2 (asynchronous batches);
        ``_gather`` waits for them."""
        translator = self.pool.translator(package)
        options = self.options
        chosen = list(indices)
        pending: list[_Submitted] = []
        # Longest batches first (as _length_batches makes them): the workers take batches
        # in submission order, so the window ends on short batches and neither worker
        # waits long for the other.
        batches = length_batches(
            [token_lists[i] for i in chosen],
            max_tokens=options.max_batch_tokens,
            spread=options.batch_length_spread,
            workers=self.pool.inter_threads,
        )
        for batch in batches:
            batch = [chosen[j] for j in batch]
            sources = [token_lists[i] or ["▁"] for i in batch]
            longest = max(len(source) for source in sources)
            prefix = [[package.target_prefix]] * len(sources) if package.target_prefix else None
            results = translator.translate_batch(
                sources,
                target_prefix=prefix,
                beam_size=options.beam_size,
                num_hypotheses=1,
                length_penalty=options.length_penalty,
                replace_unknowns=options.replace_unknowns,
                # One limit per batch, from its longest sentence: batches are length-sorted
                # and kept within batch_length_spread, so this is per sentence within 2×.
                max_decoding_length=limit(longest),
                max_input_length=0,  # we cut long inputs ourselves; never truncate
                max_batch_size=0,
                # The end token tells a finished hypothesis from one cut by the limit.
                return_end_token=True,
                asynchronous=True,
            )
            pending.append((batch, results))
        return pending

    def _complete(
        self,
        completed: list[_PendingParagraph],
        target: str,
        ready: list[ParagraphTranslation | None],
    ) -> int:
        """Assemble finished paragraphs, cache them with their new sentences in one
        transaction, and return how many needed the model in this run."""
        decoding = self.options.cache_key()
        entries: list[CacheEntry] = []
        remembered: dict[tuple[str, str], SentenceEntry] = {}
        by_model = 0
        # Chinese and Japanese sentences follow each other without a space.
        joiner = joiner_for(target)
        for item in completed:
            units = [unit for sentence in item.sentence_units for unit in sentence]
            sentence_texts = [
                joiner.join(unit.result or "" for unit in sentence).strip()
                for sentence in item.sentence_units
            ]
            translation, pairs = pairs_from_sentences(
                item.paragraph.text, item.spans, sentence_texts, joiner
            )
            ok = bool(translation.strip()) and all(sentence_texts)
            truncated = any(unit.truncated for unit in units)
            from_memory = all(unit.from_memory for unit in units)
            by_model += not from_memory
            status = ParagraphStatus.CACHED if from_memory else ParagraphStatus.TRANSLATED
            if not ok:
                status = ParagraphStatus.FAILED
            elif truncated:
                status = ParagraphStatus.TRUNCATED
            ready[item.paragraph.index] = _result(
                item.paragraph,
                item.language,
                status,
                translation if ok else "",
                sentences=pairs if ok else (),
            )
            if not ok or truncated:
                continue  # never cache a failed, empty or cut result
            entries.append(
                CacheEntry(
                    route=item.route.key,
                    decoding=decoding,
                    source_hash=item.paragraph.hash,
                    source_lang=item.language,
                    target_lang=target,
                    source_text=item.paragraph.text,
                    translation=translation,
                    sentences=pairs,
                )
            )
            for unit in units:
                if not unit.from_memory and unit.result and not unit.truncated:
                    remembered[(unit.route.key, unit.key)] = SentenceEntry(
                        unit.route.key, decoding, unit.key, unit.result
                    )
        if entries and self.cache is not None:
            self.cache.put_many(entries, remembered.values())
        return by_model

    # -- post-edits --------------------------------------------------------------------------

    def set_edit(self, paragraph: ParagraphTranslation, target: str, text: str) -> None:
        if self.cache is None:
            raise PackageError("no cache to keep the edit in")
        self.cache.set_edit(
            paragraph.source_language,
            target,
            source_hash(paragraph.source),
            paragraph.source,
            text,
        )

    def revert_edit(self, paragraph: ParagraphTranslation, target: str) -> None:
        if self.cache is not None:
            self.cache.delete_edit(paragraph.source_language, target, source_hash(paragraph.source))


# A queued batch: the indices it holds and CTranslate2's asynchronous results for them.
_Submitted = tuple[list[int], list["ctranslate2.AsyncTranslationResult"]]


@dataclass(slots=True)
class _Flight:
    """A window handed to CTranslate2: its units by route, and each single-package route's
    queued first pass (pivot routes are decoded when the window is collected)."""

    units: list[_Unit]
    by_route: dict[str, tuple[Route, list[_Unit]]] = field(default_factory=dict)
    submitted: dict[str, list[_Submitted]] = field(default_factory=dict)



# -- driving articles through CTranslate2 ---------------------------------------------------------

# Windows queued in CTranslate2 at once, over all articles of a run: one collected, one
# waiting behind it. CTranslate2 takes asynchronous batches first in, first out, so window
# n+1's batches are waiting when window n's last batch frees a worker (no idle worker at a
# window's end), while window n's paragraphs are still shown as soon as they are done.
_WINDOWS_IN_FLIGHT = 2


class _ArticleRun:
    """One article's translation, driven window by window by a ``_Pipeline``: its plan,
    its inputs prepared so far, and the events produced but not yet handed out."""

    def __init__(
        self,
        engine: TranslationEngine,
        article: Article,
        target: str,
        *,
        use_cache: bool,
        only: Iterable[int] | None,
        cancelled: Callable[[], bool],
    ) -> None:
        self.engine = engine
        self.target = target
        self.use_cache = use_cache
        self.cancelled = cancelled
        only_set = set(only) if only is not None else None
        self.routes = engine._routes_for(article, target)  # MissingModelError: no route
        self.ready, self.needs_model = engine._plan(
            article, target, self.routes, use_cache=use_cache, only=only_set
        )
        self.wanted = [
            p.index for p in article.paragraphs if only_set is None or p.index in only_set
        ]
        self.size = max(1, engine.options.window_sentences)
        # Paragraphs are prepared (split, tokenized, recalled) chunk by chunk, just ahead of
        # the windows that translate them: a 40,000-paragraph book starts translating after
        # its first chunk, not after seconds of preparing all of it, and its model inputs
        # are never all in memory at once. The chunks grow, so a short article is one chunk.
        self.chunks = _prepare_chunks(self.needs_model)
        self.seen: dict[tuple[str, str], _Unit] = {}  # de-duplication, whole article
        self.queue: list[_Unit] = []  # prepared inputs still to translate, in document order
        self.outstanding: list[_PendingParagraph] = []
        self.prepared = self.queued = 0  # paragraphs prepared, units queued so far
        self.more = True  # paragraphs left to prepare
        self.lead = 0  # units of the first window when the first paragraph goes alone
        self.flights = 0  # this article's windows queued in CTranslate2
        self.emitted = 0
        self.reused = sum(1 for index in self.wanted if self.ready[index] is not None)
        self.translated = 0
        self.done = self.reported = 0
        self.events: collections.deque[EngineEvent] = collections.deque()
        self.ended = False

    @property
    def all_submitted(self) -> bool:
        return not self.more and not self.queue

    def start(self) -> None:
        """Prepare the first chunk and announce the run (or end it there)."""
        refs = self.engine._refs(self.routes)
        try:
            self.more = self._prepare_next()
        except TranslationCancelled:  # while the first chunk was prepared
            self.events.append(TranslationStarted(refs, self._total(), len(self.wanted)))
            self._end(TranslationFinished(cancelled=True))
            return
        except PackageError as error:
            self.events.append(TranslationStarted(refs, 0, len(self.wanted)))
            self.events.extend(
                self.engine._fail_rest(self.ready, self.wanted, self.needs_model, 0)
            )
            self._end(TranslationFinished(error=str(error)))
            return
        self.events.append(TranslationStarted(refs, self._total(), len(self.wanted)))
        self._complete_finished()  # paragraphs made entirely of remembered sentences
        self._flush()
        if self.engine.options.first_paragraph_alone and self.outstanding:
            first = {id(u) for units in self.outstanding[0].sentence_units for u in units}
            while self.lead < len(self.queue) and id(self.queue[self.lead]) in first:
                self.lead += 1

    def next_window(self) -> list[_Unit] | None:
        """The next window to queue, preparing chunks as needed; None when none is ready
        (everything is queued, or the first paragraph is awaited before preparing more)."""
        # Short of a full window, prepare one more chunk; more only while nothing at all is
        # queued or in flight (a book of repeated sentences adds few new inputs a chunk, and
        # must not be prepared whole before its next window, nor before the window in flight
        # is shown).
        while self.more and not self.lead and len(self.queue) < self.size:
            if self.flights and not self.emitted:
                break  # the first paragraph is shown before more is prepared
            if self.cancelled():
                raise TranslationCancelled
            self.more = self._prepare_next()
            self._complete_finished()  # a chunk may be all remembered sentences
            self._flush()
            if self.queue or self.flights:
                break
        if not self.queue:
            return None
        if self.lead:
            count, self.lead = self.lead, 0
        elif self.more:
            count = self.size
        else:  # the last windows: all of about the same size (see windows_of)
            count = len(next(windows_of(self.queue, self.size)))
        window, self.queue[:count] = self.queue[:count], []
        return window

    def collect(self, flight: _Flight) -> None:
        """Wait for one of this article's windows and hand out what it completes."""
        self.flights -= 1
        self.engine._collect_units(flight, self.cancelled)
        for unit in flight.units:
            unit.tokens = []  # not needed again; a book's would pile up in ``seen``
        self.done += len(flight.units)
        self.reported = self._total()
        self.events.append(TranslationProgress(self.done, self.reported))
        self._complete_finished()
        self._flush()

    def finish(self) -> None:
        if self.done and self.reported != self.done:
            # The estimate was high: the last chunks held no new input.
            self.events.append(TranslationProgress(self.done, self.done))
        self._flush()
        self._end(TranslationFinished(translated=self.translated, reused=self.reused))

    def cancel(self) -> None:
        self._end(
            TranslationFinished(cancelled=True, translated=self.translated, reused=self.reused)
        )

    def fail(self, error: BaseException) -> None:
        self.events.extend(
            self.engine._fail_rest(self.ready, self.wanted, self.needs_model, self.emitted)
        )
        self._end(TranslationFinished(
            error=_one_line(error), translated=self.translated, reused=self.reused
        ))

    def _end(self, event: TranslationFinished) -> None:
        self.events.append(event)
        self.ended = True

    def _prepare_next(self) -> bool:
        """Prepare the next chunk; False when every paragraph is prepared."""
        chunk = next(self.chunks, None)
        if chunk is None:
            return False
        pending = self.engine._prepare(chunk, self.cancelled)
        units = _unique_units(pending, self.seen)
        if self.use_cache:
            self.engine._recall(units)
        fresh = [unit for unit in units if unit.result is None]
        self.queue.extend(fresh)
        self.outstanding.extend(pending)
        self.prepared += len(chunk)
        self.queued += len(fresh)
        return True

    def _total(self) -> int:
        """Inputs for the model: exact once all is prepared, until then extrapolated from
        the paragraphs prepared so far."""
        left = len(self.needs_model) - self.prepared
        if left and self.prepared:
            return self.queued + math.ceil(self.queued * left / self.prepared)
        return self.queued + left

    def _complete_finished(self) -> None:
        completed = [item for item in self.outstanding if item.done()]
        if not completed:
            return
        self.outstanding = [item for item in self.outstanding if not item.done()]
        by_model = self.engine._complete(completed, self.target, self.ready)
        self.translated += by_model
        self.reused += len(completed) - by_model

    def _flush(self) -> None:
        """Hand out the paragraphs now complete, in document order."""
        wanted, ready = self.wanted, self.ready
        while self.emitted < len(wanted) and ready[wanted[self.emitted]] is not None:
            paragraph = ready[wanted[self.emitted]]
            assert paragraph is not None
            self.emitted += 1
            self.events.append(ParagraphReady(paragraph))


class _Pipeline:
    """The articles of one ``translate_many`` call, read in order, sharing CTranslate2: at
    most ``_WINDOWS_IN_FLIGHT`` windows are queued in all, and when an article has nothing
    left to queue, the next article's first window is queued behind its last one."""

    def __init__(
        self,
        engine: TranslationEngine,
        articles: list[Article],
        target: str,
        *,
        use_cache: bool,
        cancelled: Callable[[], bool],
        only: list[Iterable[int] | None],
    ) -> None:
        self.engine = engine
        self.articles = articles
        self.target = target
        self.use_cache = use_cache
        self.cancelled = cancelled
        self.only = only
        self.runs: list[_ArticleRun | None] = [None] * len(articles)
        # An article whose run could not be made (no route) while the one before was read:
        # its stream raises the error when it starts, as ``translate`` would.
        self.failures: dict[int, Exception] = {}
        self.in_flight: collections.deque[tuple[_ArticleRun, _Flight]] = collections.deque()

    def stream(self, position: int) -> Iterator[EngineEvent]:
        run = self._run(position)  # MissingModelError before anything is yielded
        try:
            while True:
                while run.events:
                    yield run.events.popleft()
                if run.ended:
                    return
                try:
                    self._advance(position, run)
                except TranslationCancelled:
                    self._drop(run)
                    run.cancel()
                except (PackageError, RuntimeError, ValueError) as error:
                    log.exception("translation failed")
                    self._drop(run)
                    run.fail(error)
        finally:
            self._drop(run)  # a stream closed early: its queued windows finish unread

    def _run(self, position: int) -> _ArticleRun:
        run = self.runs[position]
        if run is None:
            if position in self.failures:
                raise self.failures.pop(position)
            run = _ArticleRun(
                self.engine, self.articles[position], self.target, use_cache=self.use_cache,
                only=self.only[position], cancelled=self.cancelled,
            )
            run.start()
            self.runs[position] = run
        return run

    def _advance(self, position: int, run: _ArticleRun) -> None:
        """Queue windows while there is room (this article's, then the next one's); then
        wait for the oldest window queued, or end the article when none of it is left."""
        if self.cancelled():
            raise TranslationCancelled
        self._fill(position, run)
        if run.events:
            return  # hand out what preparing completed before waiting on CTranslate2
        if not run.flights and (run.all_submitted or not self.in_flight):
            run.finish()
            return
        # The oldest window: this article's, or (when an article was read out of order
        # and filled the pipeline) another's, collected for it so this one gets room.
        owner, flight = self.in_flight.popleft()
        if owner is run:
            run.collect(flight)
        else:
            self._collect_for(owner, flight)

    def _fill(self, position: int, run: _ArticleRun) -> None:
        while len(self.in_flight) < _WINDOWS_IN_FLIGHT:
            window = run.next_window()
            if window is not None:
                self._submit(run, window)
            elif not run.all_submitted or not self._queue_next(position + 1):
                return

    def _queue_next(self, position: int) -> bool:
        """Queue a window of the article at ``position`` (the one after the article being
        read); False when there is none to queue. Its failures are its own."""
        if position >= len(self.articles) or position in self.failures:
            return False
        try:
            run = self._run(position)
        except Exception as error:  # raised again when its stream starts
            self.failures[position] = error
            return False
        if run.ended:
            return False
        try:
            window = run.next_window()
            if window is None:
                return False
            self._submit(run, window)
        except TranslationCancelled:
            return False  # the article being read sees it too, at its next step
        except PackageError as error:
            log.exception("translation failed")
            self._drop(run)
            run.fail(error)
            return False
        return True

    def _submit(self, run: _ArticleRun, window: list[_Unit]) -> None:
        flight = self.engine._submit_units(window)
        run.flights += 1
        self.in_flight.append((run, flight))

    def _collect_for(self, owner: _ArticleRun, flight: _Flight) -> None:
        try:
            owner.collect(flight)
        except TranslationCancelled:
            self._drop(owner)
            owner.cancel()
        except (PackageError, RuntimeError, ValueError) as error:
            log.exception("translation failed")
            self._drop(owner)
            owner.fail(error)

    def _drop(self, run: _ArticleRun) -> None:
        """Forget a run's queued windows (CTranslate2 cannot stop them: they finish unread)."""
        if run.flights:
            self.in_flight = collections.deque(
                item for item in self.in_flight if item[0] is not run
            )
            run.flights = 0


def _gather(submitted: list[_Submitted]) -> dict[int, tuple[list[str], bool]]:
    """Wait for queued batches: for each index, the output pieces (without ``</s>``) and
    whether the model ended them itself."""
    decoded: dict[int, tuple[list[str], bool]] = {}
    for batch, results in submitted:
        for i, result in zip(batch, results, strict=True):
            tokens = list(result.result().hypotheses[0])
            done = bool(tokens) and tokens[-1] == _END_TOKEN
            decoded[i] = (tokens[:-1] if done else tokens, done)
    return decoded


def _unique_units(
    pending: list[_PendingParagraph], seen: dict[tuple[str, str], _Unit]
) -> list[_Unit]:
    """Identical inputs on the same route are translated once and read the same everywhere.

    ``seen`` holds the inputs of the chunks prepared before (updated here); the units
    returned are the new ones, in document order."""
    ordered: list[_Unit] = []
    for item in pending:
        for units in item.sentence_units:
            for position, unit in enumerate(units):
                # The unit's key hashes its text (and its place in an over-long sentence):
                # same route and key, same tokens. Two strings, not a tuple of tokens, are
                # kept for the whole run (a book's are ~100,000).
                key = (item.route.key, unit.key)
                shared = seen.get(key)
                if shared is None:
                    seen[key] = unit
                    ordered.append(unit)
                else:
                    units[position] = shared
    return ordered


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


def _result(
    paragraph: Paragraph,
    language: str,
    status: ParagraphStatus,
    translation: str,
    *,
    sentences: tuple[SentencePair, ...] = (),
    machine_translation: str | None = None,
) -> ParagraphTranslation:
    return ParagraphTranslation(
        index=paragraph.index,
        source=paragraph.text,
        translation=translation,
        kind=paragraph.kind,
        status=status,
        source_language=language,
        sentences=sentences,
        machine_translation=machine_translation,
    )


def _prepare_chunks(
    needs_model: list[tuple[Paragraph, str, Route]],
) -> Iterator[list[tuple[Paragraph, str, Route]]]:
    """``needs_model`` in growing chunks: the first small (the first window starts after
    it), later ones larger (fewer cache queries, a better estimate of the total)."""
    start, size = 0, _FIRST_PREPARE_CHUNK
    while start < len(needs_model):
        yield needs_model[start : start + size]
        start += size
        size = min(2 * size, _MAX_PREPARE_CHUNK)


def _clean_output(text: str, target_prefix: str) -> str:
    text = text.strip()
    if target_prefix and text.startswith(target_prefix):
        text = text[len(target_prefix) :].strip()
    return text


def _one_line(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    return message[0] if message else type(error).__name__


def with_options(engine: TranslationEngine, options: DecodingOptions) -> TranslationEngine:
    """A view of ``engine`` with other decoding settings, sharing its models and cache."""
    twin = TranslationEngine(engine.cache, options=options, pool=engine.pool)
    twin._packages = engine._packages
    return twin


__all__ = [
    "ACCURATE",
    "FAST",
    "PRESETS",
    "DecodingOptions",
    "EngineEvent",
    "ModelPool",
    "ParagraphReady",
    "Route",
    "TranslationEngine",
    "TranslationFinished",
    "TranslationStarted",
    "article_cache_hashes",
    "is_untranslatable",
]
