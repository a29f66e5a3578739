"""The one way the window runs slow work: a long-lived worker thread with a job queue.

A job is a plain function ``fn(context) -> value`` run on the worker's thread. It reports
through its :class:`JobContext` (``emit`` a partial result, ``progress``) and polls
``context.is_cancelled()`` between batches. Translation, library loading, model install and
download, index fetch and PDF export all go through :class:`WorkerThread`; the core stays
Qt-free and knows nothing of this (it takes ``progress``/``is_cancelled`` callbacks or yields).

Every result carries the id of its job, so the window can drop a stale one (an article it
has since left) without any timing assumption.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.util.wording import one_line

log = logging.getLogger(__name__)
T = TypeVar("T")

_ids = itertools.count(1)
_ids_lock = threading.Lock()


def _next_id() -> int:
    with _ids_lock:
        return next(_ids)


class JobCancelled(Exception):
    """Raised by a job (through :meth:`JobContext.check`) to stop early."""


class JobContext:
    """What a job sees of its worker: cancellation, progress and partial results."""

    def __init__(self, worker: Worker, job_id: int) -> None:
        self._worker = worker
        self.job_id = job_id

    def is_cancelled(self) -> bool:
        return self._worker.is_cancelled(self.job_id)

    def check(self) -> None:
        if self.is_cancelled():
            raise JobCancelled

    def progress(self, done: int, total: int) -> None:
        self._worker.progress.emit(self.job_id, int(done), int(total))

    def emit(self, payload: object) -> None:
        self._worker.result.emit(self.job_id, payload)


JobFunction = Callable[[JobContext], object]


class Outbox(Generic[T]):
    """Items a job hands to the GUI thread in batches, with no delay added.

    The job puts each item and emits the outbox itself (``context.emit(outbox)``)
    only when :meth:`put` says it was empty; the GUI thread takes what is there.
    While the GUI thread is busy, items pile up behind one queued signal instead of one
    signal each: a book's 40,000 paragraphs remembered from its sentences arrive in a few
    events, not 40,000 that the event loop would deliver in one burst of a second.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[T] = []

    def put(self, item: T) -> bool:
        """Add ``item``; True when the receiver must be told (nothing was waiting)."""
        with self._lock:
            self._items.append(item)
            return len(self._items) == 1

    def take(self, limit: int | None = None) -> list[T]:
        """The items waiting, oldest first (at most ``limit``; the rest stay)."""
        with self._lock:
            if limit is None or len(self._items) <= limit:
                items, self._items = self._items, []
            else:
                items, self._items = self._items[:limit], self._items[limit:]
            return items

    def drain(
        self, handle: Callable[[list[T]], object], *, chunk: int, seconds: float,
        clock: Callable[[], float] = time.perf_counter,
    ) -> bool:
        """Hand the waiting items to ``handle``, oldest first, ``chunk`` at a time, until
        none is left or ``seconds`` have passed (at least one chunk is handed); True when
        items are left for another turn. The GUI thread takes a job's results this way:
        a bounded slice per turn of the event loop, however many arrived together."""
        deadline = clock() + seconds
        while batch := self.take(chunk):
            handle(batch)
            if clock() >= deadline:
                break
        return len(self) > 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


@dataclass(frozen=True)
class _Job:
    job_id: int
    kind: str
    fn: JobFunction


_STOP = object()  # the shutdown sentinel


class Worker(QObject):
    """Runs queued jobs one after the other on the thread it lives in.

    Signals (all carry the job id first):

    - ``started(job_id: int, kind: str)``: the job left the queue and is running;
    - ``progress(job_id: int, done: int, total: int)``;
    - ``result(job_id: int, payload: object)``: a partial result (``context.emit``) or the
      job's return value (emitted last, unless it is ``None``);
    - ``error(job_id: int, message: str)``: the job raised; one line for the status bar;
    - ``finished(job_id: int, cancelled: bool)``: always the last signal of a job, even one
      cancelled before it started.
    """

    started = Signal(int, str)
    progress = Signal(int, int, int)
    result = Signal(int, object)
    error = Signal(int, str)
    finished = Signal(int, bool)

    def __init__(self) -> None:
        super().__init__()
        self._queue: queue.Queue[object] = queue.Queue()
        self._cancelled: set[int] = set()
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._current: int | None = None

    # -- called from any thread ------------------------------------------------------------

    def submit(self, fn: JobFunction, kind: str = "") -> int:
        job_id = _next_id()
        with self._lock:
            self._pending.add(job_id)
        self._queue.put(_Job(job_id, kind, fn))
        return job_id

    def cancel(self, job_id: int) -> None:
        with self._lock:
            if job_id in self._pending or job_id == self._current:
                self._cancelled.add(job_id)

    def cancel_all(self) -> None:
        with self._lock:
            self._cancelled |= self._pending
            if self._current is not None:
                self._cancelled.add(self._current)

    def is_cancelled(self, job_id: int) -> bool:
        with self._lock:
            return job_id in self._cancelled

    def stop(self) -> None:
        """Cancel everything and end :meth:`run` once the current job has stopped."""
        self.cancel_all()
        self._queue.put(_STOP)

    # -- the worker thread -----------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            assert isinstance(item, _Job)
            self._run_one(item)
        thread = QThread.currentThread()
        if thread is not None:
            thread.quit()

    def _run_one(self, job: _Job) -> None:
        with self._lock:
            self._pending.discard(job.job_id)
            skipped = job.job_id in self._cancelled
            self._current = None if skipped else job.job_id
        if skipped:
            self._forget(job.job_id)
            self.finished.emit(job.job_id, True)
            return
        self.started.emit(job.job_id, job.kind)
        context = JobContext(self, job.job_id)
        cancelled = False
        try:
            value = job.fn(context)
        except JobCancelled:
            cancelled = True
        except Exception as error:  # a job's failure is a message, never a dead thread
            # A job that failed *because* it was cancelled (e.g. DownloadCancelled) ended
            # as asked: the flag says so, whatever the exception's text.
            cancelled = context.is_cancelled()
            if not cancelled:
                log.exception("%s job %d failed", job.kind or "background", job.job_id)
                self.error.emit(job.job_id, one_line(error))
        else:
            if value is not None:
                self.result.emit(job.job_id, value)
            cancelled = context.is_cancelled()
        self._forget(job.job_id)
        self.finished.emit(job.job_id, cancelled)

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self._cancelled.discard(job_id)
            if self._current == job_id:
                self._current = None


class WorkerThread:
    """A :class:`Worker` on its own ``QThread``; the object the window holds.

    ``shutdown`` cancels every job, queues the stop sentinel and waits for the thread: a
    job stops at its next cancellation check (between translation batches), so closing
    the window mid-translation returns quickly and never destroys a running thread.
    """

    def __init__(self, name: str) -> None:
        self.worker = Worker()
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.thread.start()
        self._stopped = False

    def submit(self, fn: JobFunction, kind: str = "") -> int:
        return self.worker.submit(fn, kind)

    def cancel(self, job_id: int) -> None:
        self.worker.cancel(job_id)

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop and join the thread; True when it ended within ``timeout_ms``."""
        if self._stopped:
            return True
        self._stopped = True
        self.worker.stop()
        if self.thread.wait(timeout_ms):
            return True
        # A job that does not check for cancellation often enough: keep waiting rather
        # than terminate() it (that can leave locks held and files half-written).
        log.warning("worker %s still busy after %d ms; waiting", self.thread.objectName(),
                    timeout_ms)
        return bool(self.thread.wait())


class ProgressEstimate:
    """Rate and time left of a job from (done, total) samples; plain maths, no Qt.

    The rate is an exponential moving average, so a slow first batch (the model loading)
    does not dominate the estimate for the rest of the article.
    """

    SMOOTHING = 0.3

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.reset()

    def reset(self, total: int = 0) -> None:
        self.total = total
        self.done = 0
        self.rate: float | None = None  # units per second
        self._last_time = self._clock()
        self._last_done = 0

    def update(self, done: int, total: int) -> None:
        now = self._clock()
        self.total = total
        elapsed = now - self._last_time
        advanced = done - self._last_done
        if advanced > 0 and elapsed > 0:
            sample = advanced / elapsed
            self.rate = sample if self.rate is None else (
                self.SMOOTHING * sample + (1 - self.SMOOTHING) * self.rate
            )
            self._last_time = now
            self._last_done = done
        self.done = done

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def seconds_left(self) -> float | None:
        if not self.rate or not self.total:
            return None
        return max(0.0, (self.total - self.done) / self.rate)

    def describe(self, unit: str = "sentences") -> str:
        text = f"{self.done} / {self.total} {unit}"
        left = self.seconds_left
        if left is not None and self.done < self.total:
            text += f" · {format_duration(left)} left"
        return text


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return "<1 s"
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 10 else f"{minutes} min"
