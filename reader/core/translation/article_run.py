"""One call's articles through the decoder, window by window, each as a stream of events.

For each article (``ArticleRun``), paragraphs that need the model are prepared in chunks
just ahead of the windows that translate them: split into sentences offline, tokenized with
the package's own tokenizer, identical inputs translated once, and those the sentence memory
knows filled in. Windows of sentences go to the ``Decoder``; each paragraph is handed out
as soon as it is complete, in document order, and cached (never when empty, failed or cut).

The articles of one call share CTranslate2 (``Pipeline``): at most two windows are queued in
all, and when an article has nothing left to queue, the next article's first window goes
in behind its last one, so the workers do not idle at each article's end.
"""

from __future__ import annotations

import collections
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from reader.core.articles.article import Paragraph, source_hash
from reader.core.models.store import PackageError
from reader.core.text.sentences import joiner_for, split_long_text, split_sentences
from reader.core.translation.batching import token_chunks, windows_of
from reader.core.translation.cache import CacheEntry, SentenceEntry, TranslationCache
from reader.core.translation.decoder import Decoder, Flight, Unit, one_line
from reader.core.translation.model_pool import ModelPool, Route
from reader.core.translation.options import DecodingOptions
from reader.core.translation.results import (
    EngineEvent,
    PackageRef,
    ParagraphReady,
    ParagraphStatus,
    ParagraphTranslation,
    SentencePair,
    TranslationCancelled,
    TranslationFinished,
    TranslationProgress,
    TranslationStarted,
    pairs_from_sentences,
)

log = logging.getLogger(__name__)

# Paragraphs needing the model are prepared in chunks of 64, 128, … up to 2,048 (a chunk of
# a book's one-sentence paragraphs is ~10 ms of work per 100), checking for cancellation
# every 32 paragraphs: a window closed while a book is prepared waits for no more.
_FIRST_PREPARE_CHUNK = 64
_MAX_PREPARE_CHUNK = 2048
_PREPARE_CHECK_EVERY = 32


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What every article of one call shares."""

    target: str
    use_cache: bool
    cancelled: Callable[[], bool]
    cache: TranslationCache | None
    decoder: Decoder  # with the options and the pool of models the call decodes with

    @property
    def options(self) -> DecodingOptions:
        return self.decoder.options

    @property
    def pool(self) -> ModelPool:
        return self.decoder.pool


@dataclass(frozen=True, slots=True)
class RunPlan:
    """One article sorted by the engine: what is ready without a model (passthrough, edits,
    cached text), and the paragraphs that need one, with their language and route."""

    refs: tuple[PackageRef, ...]
    ready: list[ParagraphTranslation | None]
    needs_model: list[tuple[Paragraph, str, Route]]
    wanted: list[int]  # the paragraphs asked for, in document order


@dataclass(slots=True)
class PendingParagraph:
    paragraph: Paragraph
    language: str
    route: Route
    spans: list[tuple[int, int]]
    # For each sentence, the units whose translations join into its translation.
    sentence_units: list[list[Unit]] = field(default_factory=list)

    def done(self) -> bool:
        return all(unit.result is not None for units in self.sentence_units for unit in units)


# Windows queued in CTranslate2 at once, over all articles of a run: one collected, one
# waiting behind it. CTranslate2 takes asynchronous batches first in, first out, so window
# n+1's batches are waiting when window n's last batch frees a worker (no idle worker at a
# window's end), while window n's paragraphs are still shown as soon as they are done.
_WINDOWS_IN_FLIGHT = 2


class ArticleRun:
    """One article's translation, driven window by window by a ``Pipeline``: its plan,
    its inputs prepared so far, and the events produced but not yet handed out."""

    def __init__(self, settings: RunSettings, plan: RunPlan) -> None:
        self.settings = settings
        self.refs = plan.refs
        self.ready = plan.ready
        self.needs_model = plan.needs_model
        self.wanted = plan.wanted
        self.size = max(1, settings.options.window_sentences)
        # Paragraphs are prepared (split, tokenized, recalled) chunk by chunk, just ahead of
        # the windows that translate them: a 40,000-paragraph book starts translating after
        # its first chunk, not after seconds of preparing all of it, and its model inputs
        # are never all in memory at once. The chunks grow, so a short article is one chunk.
        self.chunks = prepare_chunks(self.needs_model)
        self.seen: dict[tuple[str, str], Unit] = {}  # de-duplication, whole article
        self.queue: list[Unit] = []  # prepared inputs still to translate, in document order
        self.outstanding: list[PendingParagraph] = []
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
        refs = self.refs
        try:
            self.more = self._prepare_next()
        except TranslationCancelled:  # while the first chunk was prepared
            self.events.append(TranslationStarted(refs, self._total(), len(self.wanted)))
            self._end(TranslationFinished(cancelled=True))
            return
        except PackageError as error:
            self.events.append(TranslationStarted(refs, 0, len(self.wanted)))
            self.events.extend(
                fail_rest(self.ready, self.wanted, self.needs_model, 0)
            )
            self._end(TranslationFinished(error=str(error)))
            return
        self.events.append(TranslationStarted(refs, self._total(), len(self.wanted)))
        self._complete_finished()  # paragraphs made entirely of remembered sentences
        self._flush()
        if self.settings.options.first_paragraph_alone and self.outstanding:
            first = {id(u) for units in self.outstanding[0].sentence_units for u in units}
            while self.lead < len(self.queue) and id(self.queue[self.lead]) in first:
                self.lead += 1

    def next_window(self) -> list[Unit] | None:
        """The next window to queue, preparing chunks as needed; None when none is ready
        (everything is queued, or the first paragraph is awaited before preparing more)."""
        # Short of a full window, prepare one more chunk; more only while nothing at all is
        # queued or in flight (a book of repeated sentences adds few new inputs a chunk, and
        # must not be prepared whole before its next window, nor before the window in flight
        # is shown).
        while self.more and not self.lead and len(self.queue) < self.size:
            if self.flights and not self.emitted:
                break  # the first paragraph is shown before more is prepared
            if self.settings.cancelled():
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

    def collect(self, flight: Flight) -> None:
        """Wait for one of this article's windows and hand out what it completes."""
        self.flights -= 1
        self.settings.decoder.collect_units(flight, self.settings.cancelled)
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
            fail_rest(self.ready, self.wanted, self.needs_model, self.emitted)
        )
        self._end(TranslationFinished(
            error=one_line(error), translated=self.translated, reused=self.reused
        ))

    def _end(self, event: TranslationFinished) -> None:
        self.events.append(event)
        self.ended = True

    def _prepare_next(self) -> bool:
        """Prepare the next chunk; False when every paragraph is prepared."""
        chunk = next(self.chunks, None)
        if chunk is None:
            return False
        pending = prepare(self.settings, chunk)
        units = unique_units(pending, self.seen)
        if self.settings.use_cache:
            recall(self.settings, units)
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
        by_model = complete(self.settings, completed, self.ready)
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


class Pipeline:
    """The articles of one ``translate_many`` call, read in order, sharing CTranslate2: at
    most ``_WINDOWS_IN_FLIGHT`` windows are queued in all, and when an article has nothing
    left to queue, the next article's first window is queued behind its last one."""

    def __init__(
        self, settings: RunSettings, count: int, plan_for: Callable[[int], RunPlan]
    ) -> None:
        self.settings = settings
        self.count = count
        self.plan_for = plan_for  # raises MissingModelError for an article without a route
        self.runs: list[ArticleRun | None] = [None] * count
        # An article whose run could not be made (no route) while the one before was read:
        # its stream raises the error when it starts, as ``translate`` would.
        self.failures: dict[int, Exception] = {}
        self.in_flight: collections.deque[tuple[ArticleRun, Flight]] = collections.deque()

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

    def _run(self, position: int) -> ArticleRun:
        run = self.runs[position]
        if run is None:
            if position in self.failures:
                raise self.failures.pop(position)
            run = ArticleRun(self.settings, self.plan_for(position))
            run.start()
            self.runs[position] = run
        return run

    def _advance(self, position: int, run: ArticleRun) -> None:
        """Queue windows while there is room (this article's, then the next one's); then
        wait for the oldest window queued, or end the article when none of it is left."""
        if self.settings.cancelled():
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

    def _fill(self, position: int, run: ArticleRun) -> None:
        while len(self.in_flight) < _WINDOWS_IN_FLIGHT:
            window = run.next_window()
            if window is not None:
                self._submit(run, window)
            elif not run.all_submitted or not self._queue_next(position + 1):
                return

    def _queue_next(self, position: int) -> bool:
        """Queue a window of the article at ``position`` (the one after the article being
        read); False when there is none to queue. Its failures are its own."""
        if position >= self.count or position in self.failures:
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

    def _submit(self, run: ArticleRun, window: list[Unit]) -> None:
        flight = self.settings.decoder.submit_units(window)
        run.flights += 1
        self.in_flight.append((run, flight))

    def _collect_for(self, owner: ArticleRun, flight: Flight) -> None:
        try:
            owner.collect(flight)
        except TranslationCancelled:
            self._drop(owner)
            owner.cancel()
        except (PackageError, RuntimeError, ValueError) as error:
            log.exception("translation failed")
            self._drop(owner)
            owner.fail(error)

    def _drop(self, run: ArticleRun) -> None:
        """Forget a run's queued windows (CTranslate2 cannot stop them: they finish unread)."""
        if run.flights:
            self.in_flight = collections.deque(
                item for item in self.in_flight if item[0] is not run
            )
            run.flights = 0




def prepare(
    settings: RunSettings, needs_model: Sequence[tuple[Paragraph, str, Route]]
) -> list[PendingParagraph]:
    """Split paragraphs into sentences and tokenize them; an over-long sentence is cut at
    clauses, then between words."""
    limit = settings.options.max_input_tokens
    pending: list[PendingParagraph] = []
    for number, (paragraph, language, route) in enumerate(needs_model):
        if number % _PREPARE_CHECK_EVERY == 0 and settings.cancelled():
            raise TranslationCancelled  # a chunk of a book is a fraction of a second
        tokenizer = settings.pool.tokenizer(route.packages[0])
        spans = split_sentences(paragraph.text, language)
        item = PendingParagraph(paragraph, language, route, spans)
        for start, end in spans:
            sentence = paragraph.text[start:end]
            tokens = tokenizer.encode(sentence)
            # Each sentence is encoded once; only one over the limit is cut at clauses
            # (and its pieces encoded).
            encoded = [(sentence, tokens)] if len(tokens) <= limit else [
                (piece, tokenizer.encode(piece)) for piece in split_long_text(
                    sentence, lambda text, tk=tokenizer: len(tk.encode(text)) <= limit
                )
            ]
            units: list[Unit] = []
            for piece, tokens in encoded:
                # A clause with no punctuation to cut at: cut between words.
                for offset, chunk in token_chunks(tokens, limit):
                    key = source_hash(piece if len(tokens) <= limit else f"{piece}\0w{offset}")
                    units.append(Unit(chunk, route, key))
            item.sentence_units.append(units)
        pending.append(item)
    return pending


def recall(settings: RunSettings, units: list[Unit]) -> None:
    """Fill in the units the sentence memory already knows (one query per route)."""
    cache = settings.cache
    if cache is None:
        return
    by_route: dict[str, list[Unit]] = {}
    for unit in units:
        by_route.setdefault(unit.route.key, []).append(unit)
    for route_key, route_units in by_route.items():
        known = cache.get_sentences(
            route_key, settings.options.cache_key(), [unit.key for unit in route_units]
        )
        for unit in route_units:
            remembered = known.get(unit.key)
            if remembered:
                unit.result = remembered
                unit.from_memory = True



def complete(
    settings: RunSettings,
    completed: list[PendingParagraph],
    ready: list[ParagraphTranslation | None],
) -> int:
    """Assemble finished paragraphs, cache them with their new sentences in one
    transaction, and return how many needed the model in this run."""
    decoding = settings.options.cache_key()
    entries: list[CacheEntry] = []
    remembered: dict[tuple[str, str], SentenceEntry] = {}
    by_model = 0
    # Chinese and Japanese sentences follow each other without a space.
    joiner = joiner_for(settings.target)
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
        ready[item.paragraph.index] = paragraph_result(
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
                target_lang=settings.target,
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
    if entries and settings.cache is not None:
        settings.cache.put_many(entries, remembered.values())
    return by_model



def fail_rest(
    ready: list[ParagraphTranslation | None],
    wanted: list[int],
    needs_model: list[tuple[Paragraph, str, Route]],
    emitted: int,
) -> Iterator[ParagraphReady]:
    """Every wanted paragraph not handed out yet: its text if ready, else failed."""
    unfinished = {
        paragraph.index: (paragraph, language) for paragraph, language, _ in needs_model
    }
    for index in wanted[emitted:]:
        result = ready[index]
        if result is None:
            paragraph, language = unfinished[index]
            result = paragraph_result(paragraph, language, ParagraphStatus.FAILED, "")
        yield ParagraphReady(result)



def unique_units(
    pending: list[PendingParagraph], seen: dict[tuple[str, str], Unit]
) -> list[Unit]:
    """Identical inputs on the same route are translated once and read the same everywhere.

    ``seen`` holds the inputs of the chunks prepared before (updated here); the units
    returned are the new ones, in document order."""
    ordered: list[Unit] = []
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


def paragraph_result(
    paragraph: Paragraph,
    language: str,
    status: ParagraphStatus,
    translation: str,
    *,
    sentences: tuple[SentencePair, ...] = (),
    machine_translation: str | None = None,
    unsaved: bool = False,
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
        unsaved=unsaved,
    )


def prepare_chunks(
    needs_model: list[tuple[Paragraph, str, Route]],
) -> Iterator[list[tuple[Paragraph, str, Route]]]:
    """``needs_model`` in growing chunks: the first small (the first window starts after
    it), later ones larger (fewer cache queries, a better estimate of the total)."""
    start, size = 0, _FIRST_PREPARE_CHUNK
    while start < len(needs_model):
        yield needs_model[start : start + size]
        start += size
        size = min(2 * size, _MAX_PREPARE_CHUNK)
