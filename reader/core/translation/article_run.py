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
from collections.abc import Callable, Iterator

from reader.core.models.errors import PackageError
from reader.core.translation.batching import windows_of
from reader.core.translation.decoder import Flight, Unit
from reader.core.translation.results import (
    EngineEvent,
    ParagraphReady,
    TranslationCancelled,
    TranslationFinished,
    TranslationProgress,
    TranslationStarted,
)
from reader.core.translation.run_steps import (
    PendingParagraph,
    RunPlan,
    RunSettings,
    complete,
    fail_rest,
    prepare,
    prepare_chunks,
    recall,
    unique_units,
)
from reader.core.util.wording import one_line

log = logging.getLogger(__name__)


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
        self.matchers = plan.matchers
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
        pending = prepare(self.settings, chunk, self.matchers)
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




