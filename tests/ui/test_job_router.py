"""The job router: each job's signals reach its own handlers; dropped jobs reach nobody."""

from __future__ import annotations

import threading

import pytest

from reader.ui.window.jobs import JobRouter
from reader.ui.workers import JobContext, WorkerThread


@pytest.fixture
def router(qtbot):  # type: ignore[no-untyped-def]
    built = JobRouter(WorkerThread("router-test"))
    yield built
    built.shutdown(2000)


def test_each_job_reaches_only_its_own_handlers(router, qtbot):
    seen: dict[str, list[object]] = {"a": [], "b": []}
    ended: list[tuple[str, bool]] = []

    def job(name: str):  # type: ignore[no-untyped-def]
        def run(context: JobContext) -> object:
            context.progress(1, 2)
            context.emit(f"{name}-partial")
            return f"{name}-value"
        return run

    for name in ("a", "b"):
        router.submit(job(name), name,
                      on_result=seen[name].append,
                      on_progress=lambda done, total, n=name: seen[n].append((done, total)),
                      on_finished=lambda cancelled, n=name: ended.append((n, cancelled)))
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=5000)
    assert seen["a"] == [(1, 2), "a-partial", "a-value"]
    assert seen["b"] == [(1, 2), "b-partial", "b-value"]
    assert ended == [("a", False), ("b", False)]


def test_a_dropped_job_is_stale_wherever_its_results_come_from(router, qtbot):
    release = threading.Event()
    results: list[object] = []
    ended: list[bool] = []

    def slow(context: JobContext) -> object:
        release.wait(5)
        context.emit("late")
        return "late value"

    job_id = router.submit(slow, "slow", on_result=results.append)
    router.drop(job_id, then=ended.append)
    # Even a result injected by hand for that id goes nowhere.
    router.worker_thread.worker.result.emit(job_id, "injected")
    release.set()
    qtbot.waitUntil(lambda: ended == [True], timeout=5000)
    assert results == []


def test_an_error_without_a_handler_is_reported_once(router, qtbot):
    def broken(context: JobContext) -> object:
        raise ValueError("bad input\nmore detail")

    with qtbot.waitSignal(router.failed, timeout=5000) as failed:
        router.submit(broken, "broken")
    assert failed.args == ["bad input"]
    errors: list[str] = []
    done: list[bool] = []
    router.submit(broken, "broken", on_error=errors.append, on_finished=done.append)
    qtbot.waitUntil(lambda: done == [False], timeout=5000)
    assert errors == ["bad input"]


def test_a_closed_router_routes_nothing(router, qtbot):
    got: list[object] = []
    release = threading.Event()

    def job(context: JobContext) -> object:
        release.wait(5)
        return "value"

    router.submit(job, "job", on_result=got.append, on_finished=got.append)
    router.close()
    release.set()
    assert router.worker_thread.shutdown(2000)
    qtbot.wait(50)
    assert got == []
