"""The worker pattern: job ids, ordering, cancellation, errors, shutdown; progress maths."""

from __future__ import annotations

import threading

import pytest

from reader.ui.workers import JobContext, Outbox, ProgressEstimate, WorkerThread, format_duration


@pytest.fixture
def worker(qtbot):  # type: ignore[no-untyped-def]
    thread = WorkerThread("test-worker")
    events: list[tuple] = []
    signals = thread.worker
    # Direct calls on the worker thread: the list records the exact emission order.
    signals.started.connect(lambda job, kind: events.append(("started", job, kind)))
    signals.progress.connect(lambda job, done, total: events.append(("progress", job, done,
                                                                     total)))
    signals.result.connect(lambda job, payload: events.append(("result", job, payload)))
    signals.error.connect(lambda job, message: events.append(("error", job, message)))
    signals.finished.connect(lambda job, cancelled: events.append(("finished", job, cancelled)))
    thread.events = events  # type: ignore[attr-defined]
    yield thread
    assert thread.shutdown(2000)


def _finished(events: list[tuple], job: int) -> bool:
    return any(e[0] == "finished" and e[1] == job for e in events)


def test_a_job_reports_in_order(worker, qtbot):
    def job(context: JobContext) -> object:
        context.progress(1, 2)
        context.emit("partial")
        context.progress(2, 2)
        return "value"

    job_id = worker.submit(job, "demo")
    qtbot.waitUntil(lambda: _finished(worker.events, job_id))
    assert worker.events == [
        ("started", job_id, "demo"),
        ("progress", job_id, 1, 2),
        ("result", job_id, "partial"),
        ("progress", job_id, 2, 2),
        ("result", job_id, "value"),
        ("finished", job_id, False),
    ]


def test_cancel_before_start_and_while_running(worker, qtbot):
    gate = threading.Event()
    entered = threading.Event()

    def blocking(context: JobContext) -> object:
        entered.set()
        gate.wait(5)
        context.check()  # cancelled meanwhile: stops here
        return "never"

    running = worker.submit(blocking)
    queued = worker.submit(lambda context: "never either")
    assert entered.wait(5)
    worker.cancel(queued)
    worker.cancel(running)
    gate.set()
    qtbot.waitUntil(lambda: _finished(worker.events, queued))
    kinds = [(e[0], e[1]) for e in worker.events]
    assert ("finished", running) in kinds and ("finished", queued) in kinds
    assert ("started", queued) not in kinds  # skipped without running
    assert not any(e[0] == "result" for e in worker.events)
    assert all(e[2] is True for e in worker.events if e[0] == "finished")


def test_an_error_is_one_line_and_the_worker_goes_on(worker, qtbot):
    def failing(context: JobContext) -> object:
        raise OSError(28, "No space left on device", "/tmp/x")

    bad = worker.submit(failing)
    good = worker.submit(lambda context: 42)
    qtbot.waitUntil(lambda: _finished(worker.events, good))
    assert ("error", bad, "No space left on device: /tmp/x") in worker.events
    assert ("finished", bad, False) in worker.events
    assert ("result", good, 42) in worker.events


def test_cancellation_is_read_from_the_flag_not_the_message(worker, qtbot):
    class Stopped(Exception):
        pass

    def job(context: JobContext) -> object:
        worker.cancel(context.job_id)
        raise Stopped("some text that mentions nothing")

    job_id = worker.submit(job)
    qtbot.waitUntil(lambda: _finished(worker.events, job_id))
    assert ("finished", job_id, True) in worker.events
    assert not any(e[0] == "error" for e in worker.events)


def test_shutdown_stops_a_running_job_promptly(qtbot):
    thread = WorkerThread("stopping")
    started = threading.Event()

    def long_job(context: JobContext) -> object:
        started.set()
        while not context.is_cancelled():
            threading.Event().wait(0.01)  # one "batch"
        return None

    thread.submit(long_job)
    assert started.wait(5)
    assert thread.shutdown(2000)
    assert thread.thread.isFinished()


def test_progress_estimate_maths():
    now = [0.0]
    estimate = ProgressEstimate(clock=lambda: now[0])
    estimate.reset(100)
    assert estimate.seconds_left is None
    now[0] = 2.0
    estimate.update(10, 100)  # 5 per second
    assert estimate.rate == pytest.approx(5.0)
    assert estimate.seconds_left == pytest.approx(18.0)
    assert estimate.fraction == pytest.approx(0.1)
    assert estimate.describe() == "10 / 100 sentences · 18 s left"
    now[0] = 3.0
    estimate.update(30, 100)  # 20 per second, smoothed
    assert 5.0 < estimate.rate < 20.0
    estimate.update(100, 100)
    assert estimate.describe() == "100 / 100 sentences"
    assert format_duration(0.2) == "<1 s"
    assert format_duration(75) == "1 min 15 s"


def test_an_outbox_wakes_its_receiver_once_per_batch() -> None:
    outbox: Outbox[int] = Outbox()
    # Only the first item of a batch asks for a signal: the rest ride along with it.
    assert [outbox.put(i) for i in range(5)] == [True, False, False, False, False]
    assert outbox.take(limit=2) == [0, 1]
    assert len(outbox) == 3
    assert outbox.put(5) is False  # three still wait for the receiver
    assert outbox.take() == [2, 3, 4, 5]
    assert outbox.put(6) is True


class _Clock:
    """A clock that moves only when told: slices are cut by it, not by the machine."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_outbox_is_drained_in_bounded_slices_in_order_and_completely() -> None:
    outbox: Outbox[int] = Outbox()
    for item in range(1000):
        outbox.put(item)
    clock = _Clock()
    shown: list[list[int]] = []

    def show(batch: list[int]) -> None:
        shown.append(batch)
        clock.now += 0.002  # each chunk "takes" 2 ms

    turns = 0
    while True:
        turns += 1
        left = outbox.drain(show, chunk=100, seconds=0.005, clock=clock)
        if not left:
            break
    # 3 chunks fit a 5 ms slice; 10 chunks make 4 turns; nothing lost, nothing twice.
    assert turns == 4 and [len(b) for b in shown] == [100] * 10
    assert [item for batch in shown for item in batch] == list(range(1000))
    assert len(outbox) == 0 and not outbox.drain(show, chunk=100, seconds=0.005, clock=clock)


def test_a_slice_always_shows_one_chunk_and_items_put_meanwhile_come_after() -> None:
    outbox: Outbox[int] = Outbox()
    for item in range(10):
        outbox.put(item)
    clock = _Clock()
    shown: list[int] = []

    def slow(batch: list[int]) -> None:
        shown.extend(batch)
        clock.now += 1.0  # over any budget: one chunk per turn
        outbox.put(100 + len(shown))  # the job goes on putting while the GUI shows

    assert outbox.drain(slow, chunk=4, seconds=0.001, clock=clock)
    assert shown == [0, 1, 2, 3]
    while outbox.drain(slow, chunk=4, seconds=0.001, clock=clock) and len(shown) < 20:
        pass
    assert shown[:10] == list(range(10)) and shown[10] == 104  # oldest first, in order
