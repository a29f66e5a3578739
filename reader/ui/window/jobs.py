"""Worker results routed by job id: one handler per job, stale results dropped here.

A :class:`JobRouter` sits on one :class:`~reader.ui.workers.WorkerThread`. Whoever submits
a job says, for that job only, what to do with its results, progress, error and end. Every
signal of the worker goes through :meth:`JobRouter._route`, which looks the job up: a job
that was :meth:`dropped <JobRouter.drop>` (the reader left the article it belonged to), or
one submitted by somebody else on the same worker, has no handlers and its signals go
nowhere. That is the only place where stale results are dropped, so no handler ever has to
ask "is this still mine?".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from reader.ui.workers import JobFunction, WorkerThread


@dataclass
class JobHandlers:
    """What to do with one job's signals (each optional)."""

    result: Callable[[object], None] | None = None
    progress: Callable[[int, int], None] | None = None
    error: Callable[[str], None] | None = None
    finished: Callable[[bool], None] | None = None


class JobRouter(QObject):
    """Submits jobs to one worker and routes what they send back to their own handlers.

    Signals: ``failed(message: str)``: a job without an error handler raised.
    """

    failed = Signal(str)

    def __init__(self, worker: WorkerThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread = worker
        self._jobs: dict[int, JobHandlers] = {}
        self._closed = False
        signals = worker.worker
        # Queued to this (GUI) thread: handlers run on the thread that owns the router.
        signals.result.connect(self._on_result)
        signals.progress.connect(self._on_progress)
        signals.error.connect(self._on_error)
        signals.finished.connect(self._on_finished)

    def submit(
        self,
        fn: JobFunction,
        kind: str = "",
        *,
        on_result: Callable[[object], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_finished: Callable[[bool], None] | None = None,
    ) -> int:
        job_id = self.worker_thread.submit(fn, kind)
        self._jobs[job_id] = JobHandlers(on_result, on_progress, on_error, on_finished)
        return job_id

    def cancel(self, job_id: int) -> None:
        """Ask the job to stop at its next check; its handlers still hear how it ended."""
        self.worker_thread.cancel(job_id)

    def drop(self, job_id: int, *, then: Callable[[bool], None] | None = None) -> None:
        """Cancel the job and forget it: whatever it still sends is stale from now on.
        ``then`` (if given) still hears that it ended (say, to refresh a status)."""
        self.worker_thread.cancel(job_id)
        if then is not None and job_id in self._jobs:
            self._jobs[job_id] = JobHandlers(finished=then)
        else:
            self._jobs.pop(job_id, None)

    def close(self) -> None:
        """Route nothing any more (the window is shutting down)."""
        self._closed = True
        self._jobs.clear()

    def shutdown(self, timeout_ms: int) -> bool:
        self.close()
        return self.worker_thread.shutdown(timeout_ms)

    # -- routing ----------------------------------------------------------------------------

    def _route(self, job_id: int) -> JobHandlers | None:
        return None if self._closed else self._jobs.get(job_id)

    def _on_result(self, job_id: int, payload: object) -> None:
        handlers = self._route(job_id)
        if handlers is not None and handlers.result is not None:
            handlers.result(payload)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        handlers = self._route(job_id)
        if handlers is not None and handlers.progress is not None:
            handlers.progress(done, total)

    def _on_error(self, job_id: int, message: str) -> None:
        handlers = self._route(job_id)
        if handlers is None:
            return
        if handlers.error is not None:
            handlers.error(message)
        else:
            self.failed.emit(message)

    def _on_finished(self, job_id: int, cancelled: bool) -> None:
        handlers = self._route(job_id)
        if handlers is None:
            return
        del self._jobs[job_id]
        if handlers.finished is not None:
            handlers.finished(cancelled)
