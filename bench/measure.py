"""What the child processes measure with: the start clock, peak memory, the GUI-thread stall
probes, the first paint of a window, and waiting on the event loop.

Shared by the modes of :mod:`bench.child`, :mod:`bench.window_modes`, :mod:`bench.long_view`
and :mod:`bench.long_window`; Qt is imported inside each helper, so the engine-only mode never
loads it."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET = "en"
STARTED = time.monotonic()  # the interpreter is up and has reached our code


def peak_rss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; the bench targets Linux CI and desktops).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StallProbe:
    """A 10 ms precise timer on the GUI thread; a late tick is a stalled event loop."""

    def __init__(self, interval_ms: int = 10) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.ticks: list[float] = []
        self.cpu: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())  # the GUI thread's own CPU: ours, or waiting?

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.cpu = [time.thread_time()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def gaps_ms(self, since: float | None = None, until: float | None = None) -> list[float]:
        gaps = []
        for before, after in zip(self.ticks, self.ticks[1:], strict=False):
            if (since is None or after >= since) and (until is None or before <= until):
                gaps.append(1000 * (after - before))
        return gaps

    def summary(self, since: float | None = None, until: float | None = None) -> dict[str, Any]:
        gaps = sorted(self.gaps_ms(since, until))
        if not gaps:
            return {"ticks": 0}
        return {
            "ticks": len(gaps),
            # The longest gap between ticks, period included: the worst wait a click saw.
            "longest_gap_ms": gaps[-1],
            "p99_gap_ms": gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))],
            "median_gap_ms": gaps[len(gaps) // 2],
        }


class StallWatch:
    """What the stalls of the GUI thread were made of, found safely.

    By default, nothing walks another thread's frames: each long gap between probe ticks
    gets the GUI thread's CPU time spent in it (much: our GUI-thread code; little: the
    thread was waiting, for the GIL or for the machine) and the garbage-collector passes
    over 10 ms that overlap it, on any thread (``gc.callbacks`` run in the collecting
    thread; a full collection holds the GIL, so one on a worker stalls the GUI too).

    ``BENCH_STALL_STACKS=1`` adds the old sampler: a thread that walks every thread's
    frames with ``sys._current_frames()`` every 5 ms during a stall. It is opt-in because
    with it the window child died of SIGSEGV in 3 to 4 runs of 6 (CPython 3.11, PySide6
    worker QThreads); it is also stopped as soon as the event loop returns, before Qt and
    the interpreter tear down the threads it reads."""

    def __init__(self, probe: StallProbe, threshold_ms: float = 30.0) -> None:
        import gc
        import os
        import threading

        self._probe = probe
        self._threshold = threshold_ms / 1000
        self._gc_passes: list[tuple[float, float, int]] = []  # (start, end, generation)
        self._gc_start = 0.0
        gc.callbacks.append(self._on_gc)
        # Per stall (keyed by its last tick): its length at the latest sample, and the
        # distinct stacks of the threads that were not idle, in the order they were seen.
        self._stalls: dict[float, tuple[float, list[str]]] = {}
        self._stop = threading.Event()
        self._main = threading.main_thread().ident
        self._thread: threading.Thread | None = None
        if os.environ.get("BENCH_STALL_STACKS") == "1":
            self._thread = threading.Thread(target=self._run, name="stall-watch", daemon=True)
            self._thread.start()

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_start = now
        elif now - self._gc_start > 0.01:
            self._gc_passes.append((self._gc_start, now, int(info["generation"])))

    def _run(self) -> None:
        assert self._thread is not None
        me = self._thread.ident
        while not self._stop.wait(0.005):
            ticks = self._probe.ticks
            if not ticks:
                continue
            last = ticks[-1]
            gap = time.perf_counter() - last
            if gap < self._threshold:
                continue
            seen = self._stalls.get(last, (0.0, []))[1]
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                lines: list[str] = []
                current: Any = frame
                while current is not None and len(lines) < 12:
                    lines.append(f"{where(current.f_code.co_filename)}:{current.f_lineno} "
                                 f"{current.f_code.co_name}")
                    current = current.f_back
                if not lines or lines[0].startswith(("threading.py", "queue.py")):
                    continue  # an idle worker waiting for jobs
                if ident == self._main and "patched_exec" in lines[0]:
                    continue  # the GUI thread inside the event loop: waiting, not working
                who = "GUI" if ident == self._main else "worker"
                stack = f"{who}: " + " < ".join(lines)
                if stack not in seen and len(seen) < 8:
                    seen.append(stack)
            self._stalls[last] = (gap, seen)

    def stop(self) -> None:
        import gc

        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    def worst(self, count: int = 4) -> list[dict[str, Any]]:
        """The ``count`` longest gaps: when, how long, the GUI CPU in them, the GC passes
        overlapping them (and the sampled stacks, if any)."""
        probe = self._probe
        origin = probe.ticks[0] if probe.ticks else 0.0
        gaps = sorted(range(1, len(probe.ticks)),
                      key=lambda i: probe.ticks[i] - probe.ticks[i - 1], reverse=True)[:count]
        worst = []
        for i in gaps:
            before, after = probe.ticks[i - 1], probe.ticks[i]
            entry: dict[str, Any] = {
                "started_s": before - origin, "gap_ms": 1000 * (after - before),
                "gui_cpu_ms": 1000 * (probe.cpu[i] - probe.cpu[i - 1])
                if len(probe.cpu) == len(probe.ticks) else None,
                "gc_passes_ms": [round(1000 * (end - start)) for start, end, _ in
                                 self._gc_passes if start < after and end > before],
            }
            if before in self._stalls:
                entry["stacks"] = self._stalls[before][1]
            worst.append(entry)
        return worst


def where(filename: str) -> str:
    """A short, telling name for a source file.

    For example ``reader/core/translation/engine.py`` or ``langdetect/…``."""
    path = Path(filename)
    parts = path.parts
    if "reader" in parts:
        return "/".join(parts[parts.index("reader"):])
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1:]
        return "/".join(rest[:1] + rest[-1:]) if len(rest) > 1 else rest[0]
    return path.name


def application() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    return app


def wait(app: Any, condition: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``condition()`` (checked at least every 10 ms) or the
    timeout. The loop sleeps between events as ``app.exec()`` does: a loop that polled
    ``processEvents`` without waiting kept the GUI thread running Python, taking the GIL
    from the workers half the time (their parsing and preparing ran up to twice as long as
    in the app)."""
    from PySide6.QtCore import QEventLoop, QTimer

    wake = QTimer()  # an event at least every 10 ms: the condition is checked that often
    wake.start(10)
    deadline = time.monotonic() + timeout_s
    try:
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents
                              | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        wake.stop()
    return True


# -- the real window --------------------------------------------------------------------------


# -- the real window ---------------------------------------------------------------------------


class FirstPaint:
    """An application-wide event filter that notes the first ``QEvent.Paint`` received by
    ``window`` or any of its children, then removes itself (a Python filter on every event
    would slow the loop it is measuring)."""

    def __init__(self, app: Any, window: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.at: float | None = None  # CLOCK_MONOTONIC, comparable with the parent's
        self.at_perf: float | None = None
        paint = QEvent.Type.Paint
        outer = self

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # Qt override
                if outer.at is None and event.type() == paint and (
                    watched is window or window.isAncestorOf(watched)
                ):
                    outer.at = time.monotonic()
                    outer.at_perf = time.perf_counter()
                    app.removeEventFilter(self)
                return False

        self._filter = Filter()
        app.installEventFilter(self._filter)
