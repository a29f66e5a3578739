"""A 5 MB book opened in the real window (``python -m bench.child long_window '{"mb": 5}'``).

Issue #15's done-criterion: "a 5 MB article opens with no stall over 50 ms". A plain-text
book (``bench.long_view.write_book``) is the only article of a library folder; the real
``MainWindow`` lists it (on its library worker), opens it, reads the cache (on its reading
worker) and translates what is missing. Twice: with the translation cache of the child's
XDG folders as the parent gives it (``fresh`` in ``bench.run``: empty), then in a second
window once the first has translated the book (every paragraph cached).

A 10 ms ``QTimer`` probe on the GUI thread notes, at every tick, the wall clock and the GUI
thread's CPU time: a late tick with little CPU spent is the machine (other processes, or
another thread holding the GIL), a late tick with the CPU spent is our GUI-thread code.
Garbage-collector passes over 20 ms are noted on any thread (a full collection holds the GIL,
so one on a worker stalls the GUI thread too). Reported per window: the longest gap (and its
CPU) while the book opens (``articleOpened`` → its first paint + 1 s), while the library lists
it and while it translates; time to the first paint and to the first translation shown.
"""

from __future__ import annotations

import gc
import tempfile
import time
from pathlib import Path
from typing import Any

SETTLE_S = 1.0  # after the first paint, still "opening": the cache read and its paint


class _CpuProbe:
    """A 10 ms precise timer noting (wall, GUI-thread CPU) at each tick."""

    def __init__(self, on_tick: Any = None) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[tuple[float, float]] = []
        self._on_tick = on_tick
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append((time.perf_counter(), time.thread_time()))
        if self._on_tick is not None:
            self._on_tick()

    def start(self) -> None:
        self.ticks = [(time.perf_counter(), time.thread_time())]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def worst(self, since: float, until: float) -> dict[str, Any]:
        """The longest gap between ticks in [since, until], with the GUI CPU spent in it."""
        gaps = [(1000 * (b[0] - a[0]), 1000 * (b[1] - a[1]))
                for a, b in zip(self.ticks, self.ticks[1:], strict=False)
                if b[0] >= since and a[0] <= until]
        if not gaps:
            return {"ticks": 0}
        wall, cpu = max(gaps)
        return {"ticks": len(gaps), "longest_gap_ms": wall, "its_gui_cpu_ms": cpu,
                "most_gui_cpu_in_a_gap_ms": max(c for _, c in gaps),
                "p99_gap_ms": sorted(w for w, _ in gaps)[min(len(gaps) - 1,
                                                             int(0.99 * len(gaps)))]}


class _GcWatch:
    """Garbage-collector passes over 20 ms, on any thread: (start, ms, generation)."""

    def __init__(self) -> None:
        self.passes: list[tuple[float, float, int]] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif (spent := time.perf_counter() - self._start) > 0.02:
            self.passes.append((self._start, 1000 * spent, int(info["generation"])))

    def within(self, since: float, until: float) -> list[float]:
        return [round(ms) for start, ms, _ in self.passes if since <= start <= until]

    def close(self) -> None:
        gc.callbacks.remove(self._callback)


def _one_window(app: Any, folder: Path, timeout_s: float, gcs: _GcWatch) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject

    from bench.measure import wait
    from reader.ui.window.shell import MainWindow

    marks: dict[str, float] = {}
    holder: dict[str, Any] = {}

    def on_tick() -> None:
        window = holder.get("window")
        if window is not None and "opened" in marks and "translation" not in marks \
                and window.pane.view.translation(0) is not None:
            marks["translation"] = time.perf_counter()

    probe = _CpuProbe(on_tick)
    probe.start()
    marks["launch"] = time.perf_counter()
    window = holder["window"] = MainWindow([folder])
    window.resize(1300, 850)
    window.show()
    view = window.pane.view

    class PaintWatch(QObject):
        def eventFilter(self, watched: object, event: Any) -> bool:  # Qt override
            if event.type() == QEvent.Type.Paint and "opened" in marks \
                    and "painted" not in marks:
                marks["painted"] = time.perf_counter()
            return False

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    window.articleOpened.connect(lambda _key: marks.setdefault("opened", time.perf_counter()))
    ended: list[bool] = []
    window.translationFinished.connect(lambda _key, cancelled: ended.append(cancelled))
    done = wait(app, lambda: bool(ended) and "painted" in marks, timeout_s)
    marks["done"] = time.perf_counter()
    wait(app, lambda: False, SETTLE_S)  # the last paints belong to the article
    probe.stop()
    rows = view.row_count()
    shown = sum(t is not None for t in view.translations())
    window.shutdown()
    window.deleteLater()
    wait(app, lambda: False, 0.2)
    if "painted" not in marks:
        return {"status": "error", "error": "the book was never opened and painted"}
    opened, painted = marks["opened"], marks["painted"]
    open_until = painted + SETTLE_S
    return {
        "status": "ok" if done and not ended[-1] else "error",
        **({} if done else {"error": f"not translated within {timeout_s:.0f} s"}),
        "paragraphs": rows,
        "translations_shown": shown,
        "listed_s": opened - marks["launch"],
        "first_paint_ms": 1000 * (painted - opened),
        "first_translation_ms": 1000 * (marks["translation"] - opened)
        if "translation" in marks else None,
        "translated_s": marks["done"] - opened,
        "open": probe.worst(opened, open_until),
        "listing": probe.worst(marks["launch"], opened),
        "translating": probe.worst(open_until, marks["done"]),
        "gc_passes_over_20ms": {"open": gcs.within(opened, open_until),
                                "listing": gcs.within(marks["launch"], opened),
                                "translating": gcs.within(open_until, marks["done"])},
    }


def long_window(args: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from bench.long_view import write_book
    from bench.measure import application

    megabytes = float(args.get("mb", 5))
    timeout_s = float(args.get("timeout_s", 240))
    folder = Path(tempfile.mkdtemp(prefix="long-window-"))
    book = write_book(folder, megabytes)
    QApplication.setApplicationName("bilingual-reader")
    app = application()
    app.setStyle("Fusion")  # as reader.ui.app.run does
    gcs = _GcWatch()
    try:
        fresh = _one_window(app, folder, timeout_s, gcs)
        cached = _one_window(app, folder, timeout_s, gcs) if fresh["status"] == "ok" else None
    finally:
        gcs.close()
    worst = max((w["open"].get("longest_gap_ms", 0.0) for w in (fresh, cached) if w),
                default=0.0)
    status = "ok" if fresh["status"] == "ok" and cached and cached["status"] == "ok" \
        else "error"
    result: dict[str, Any] = {
        "status": status, "megabytes": round(book.stat().st_size / 1_000_000, 2),
        "longest_open_gap_ms": worst, "fresh_cache": fresh, "cached": cached,
    }
    if status == "error":
        result["error"] = (cached or fresh).get("error", "?")
    return result
