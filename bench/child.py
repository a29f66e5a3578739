"""Measurements that need a fresh process: ``python -m bench.child MODE JSON_ARGS``.

Cold start and peak memory only mean something in a process that has done nothing else, and
Qt wants its ``QApplication`` created once per process. Each mode prints one JSON line last.
``launch`` in the arguments is the parent's ``time.monotonic()`` just before ``Popen``
(CLOCK_MONOTONIC is system-wide on Linux, so the two processes share the clock).

Modes:

- ``first``: engine only, no window: launch → imports → model loaded → first translated
  paragraph → article done; then peak RSS (``ru_maxrss``) with the model loaded and the
  article translated.
- ``window``: the real main window from ``reader.ui.app``: launch → first ``QEvent.Paint`` on
  it → first translated paragraph in its reading view, and the longest event-loop stall while
  the article translates. "not yet" while the module does not exist.
- ``stall``: the window's own building blocks (``ReadingPane`` fed by a ``WorkerThread``
  running the engine, as ``reader.ui.workers`` prescribes) and a 10 ms ``QTimer`` probe.
- ``cached_open``: a fully cached article: parse → cache lookup (``peek``) → rendered view.
- ``export``: ``reader.export.pdf.export_articles`` per cached article, both layouts.
- ``long_article``: a 5 MB book opened and scrolled through in the reading view
  (``bench.long_view``).
- ``long_window``: a 5 MB book opened in the real window, fresh cache then cached
  (``bench.long_window``).
- ``long_book``: a novel of ~200,000 words as an EPUB: listed, then opened in the real
  window (``bench.long_book``).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.long_book import long_book
from bench.long_view import long_article
from bench.long_window import long_window

TARGET = "en"
STARTED = time.monotonic()  # the interpreter is up and has reached our code


def _emit(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


def _peak_rss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; the bench targets Linux CI and desktops).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- engine only ------------------------------------------------------------------------------


def first(args: dict[str, Any]) -> dict[str, Any]:
    launch = float(args["launch"])
    from reader.core.articles.parser import parse_file
    from reader.core.translation.engine import (
        PRESETS,
        ParagraphReady,
        TranslationEngine,
        TranslationFinished,
    )
    from reader.core.translation.results import ParagraphStatus

    imported = time.monotonic()
    article = parse_file(Path(args["seed"]), paragraph_languages=True)
    # The app's defaults (default pool), with the preset the parent asked for.
    engine = TranslationEngine(None, options=PRESETS[args.get("preset", "accurate")])
    parsed = time.monotonic()
    engine.pool.translator(engine.route("fr", TARGET).packages[0])
    loaded = time.monotonic()
    rss_loaded = _peak_rss_mb()
    first_paragraph = None
    for event in engine.translate(article, TARGET, use_cache=False):
        if (isinstance(event, ParagraphReady) and first_paragraph is None
                and event.paragraph.status is ParagraphStatus.TRANSLATED):
            first_paragraph = time.monotonic()
        elif isinstance(event, TranslationFinished) and event.error:
            raise RuntimeError(event.error)
    done = time.monotonic()
    return {
        "status": "ok",
        "interpreter_s": STARTED - launch,
        "imports_s": imported - launch,
        "parsed_s": parsed - launch,
        "model_loaded_s": loaded - launch,
        "first_paragraph_s": (first_paragraph or done) - launch,
        "article_done_s": done - launch,
        "peak_rss_model_loaded_mb": rss_loaded,
        "peak_rss_mb": _peak_rss_mb(),
    }


# -- Qt helpers -------------------------------------------------------------------------------


class _StallProbe:
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


class _StallWatch:
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

    def __init__(self, probe: _StallProbe, threshold_ms: float = 30.0) -> None:
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
                    lines.append(f"{_where(current.f_code.co_filename)}:{current.f_lineno} "
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


def _where(filename: str) -> str:
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


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    return app


def _wait(app: Any, condition: Callable[[], bool], timeout_s: float) -> bool:
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


class _FirstPaint:
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


def window(args: dict[str, Any]) -> dict[str, Any]:
    """Launch the window exactly as ``bilingual-reader`` does, by calling
    ``reader.ui.app.run(paths)``, and take over where it would block: ``QApplication.exec``
    is replaced by one that installs the probes, runs the real event loop, and quits once the
    window reports the opened article translated (``MainWindow.translationFinished``)."""
    launch = float(args["launch"])
    try:
        import reader.ui.app as app_module
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("reader.ui"):
            return {"status": "not yet", "reason": "reader.ui.app does not exist yet"}
        raise
    if not callable(getattr(app_module, "run", None)):
        return {"status": "not yet", "reason": "reader.ui.app has no run(paths)"}
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from reader.core.translation.results import ParagraphStatus
    from reader.ui.main_window import MainWindow

    timeout_s = float(args.get("timeout_s", 150))
    marks: dict[str, float] = {}
    probes: dict[str, Any] = {}
    real_exec = QApplication.exec

    def patched_exec(*_args: Any, **_kwargs: Any) -> int:
        app = QApplication.instance()
        assert app is not None
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows:
            marks["no_window"] = 1.0
            return 0
        main = windows[0]
        probes["paint"] = _FirstPaint(app, main)
        if args.get("until") == "paint":
            # Cold start only: leave as soon as the first frame is painted.
            def painted() -> None:
                if probes["paint"].at is not None:
                    app.quit()

            quitter = QTimer(main)
            quitter.setInterval(1)
            quitter.timeout.connect(painted)
            quitter.start()
            QTimer.singleShot(int(timeout_s * 1000), app.quit)
            return int(real_exec())
        probe = probes["stall"] = _StallProbe()
        probe.start()
        probes["watch"] = _StallWatch(probe)

        # The translation starts when the window submits its job (on this thread): note it
        # there, not in the poll below, which a stall would delay.
        worker = main.translation_worker
        submit = worker.submit

        def noting_submit(fn: Any, kind: str = "") -> int:
            marks.setdefault("job_perf", time.perf_counter())
            return submit(fn, kind)

        worker.submit = noting_submit  # type: ignore[method-assign]

        # Issue #12's goal counts from the model being loaded (on the translation worker) to
        # the first translated paragraph on screen: note when the first translator is ready.
        from reader.core.translation.engine import ModelPool

        real_translator = ModelPool.translator

        def noting_translator(pool: Any, package: Any) -> Any:
            translator = real_translator(pool, package)
            marks.setdefault("model_loaded", time.monotonic())
            return translator

        ModelPool.translator = noting_translator  # type: ignore[method-assign]

        def first_translated() -> None:
            if "first_paragraph" not in marks and any(
                t is not None and t.status is ParagraphStatus.TRANSLATED
                for t in main.pane.view.translations()
            ):
                marks["first_paragraph"] = time.monotonic()
                marks["first_paragraph_perf"] = time.perf_counter()

        poll = QTimer(main)
        poll.setInterval(5)
        poll.timeout.connect(first_translated)
        poll.start()

        def finished(_key: str, cancelled: bool) -> None:
            first_translated()
            if not cancelled and "done" not in marks:
                marks["done"] = time.monotonic()
                marks["done_perf"] = time.perf_counter()
                # Keep probing a moment: the last relayout and paint belong to the article.
                QTimer.singleShot(100, app.quit)

        main.translationFinished.connect(finished)
        QTimer.singleShot(int(timeout_s * 1000), app.quit)
        code = int(real_exec())
        probes["watch"].stop()  # before anything is torn down
        return code

    QApplication.exec = patched_exec  # type: ignore[method-assign]
    try:
        app_module.run([Path(p) for p in args["paths"]])
    finally:
        QApplication.exec = real_exec  # type: ignore[method-assign]
    if "no_window" in marks:
        return {"status": "error", "error": "run() showed no MainWindow before exec()"}
    paint = probes["paint"]
    if paint.at is None:
        return {"status": "error", "error": "the window was never painted"}
    if args.get("until") == "paint":
        return {"status": "ok", "interpreter_s": STARTED - launch,
                "window_shown_s": paint.at - launch}
    result: dict[str, Any] = {
        "status": "ok",
        "interpreter_s": STARTED - launch,
        "window_shown_s": paint.at - launch,
        "first_paragraph_s": marks["first_paragraph"] - launch
        if "first_paragraph" in marks else None,
        "article_done_s": marks["done"] - launch if "done" in marks else None,
        "model_loaded_s": marks["model_loaded"] - launch if "model_loaded" in marks else None,
        "peak_rss_mb": _peak_rss_mb(),
    }
    if "model_loaded" in marks and "first_paragraph" in marks:
        result["first_paragraph_after_model_s"] = marks["first_paragraph"] - marks["model_loaded"]
    if "done" not in marks:
        result["note"] = f"the opened article was not translated within {timeout_s:.0f} s"
    stall = probes["stall"]
    done = marks.get("done_perf")
    # While the article translates: from the job's submission (model load included) to the
    # article done. Before it, the window lists the library (start-up, reported apart).
    result["stall"] = stall.summary(marks.get("job_perf", paint.at_perf), done)
    result["stall_startup"] = stall.summary(paint.at_perf, marks.get("job_perf"))
    result["stall_after_first_paragraph"] = stall.summary(
        marks.get("first_paragraph_perf"), done)
    result["probe_started_after_paint_s"] = probes["stall"].ticks[0] - (paint.at_perf or 0)
    probes["watch"].stop()
    result["stall"]["worst"] = probes["watch"].worst()
    return result


def window_open(args: dict[str, Any]) -> dict[str, Any]:
    """Open fully cached articles in the real window: ``MainWindow.session.open(key)`` (what
    a click in the library does) until the reading view's next paint."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject
    from PySide6.QtWidgets import QApplication

    from reader.ui.main_window import MainWindow

    QApplication.setApplicationName("bilingual-reader")
    app = _application()
    app.setStyle("Fusion")  # as reader.ui.app.run does
    main = MainWindow([Path(p) for p in args["paths"]])
    main.show()
    settled: list[str] = []
    main.translationFinished.connect(lambda key, _cancelled: settled.append(key))
    if not _wait(app, lambda: bool(settled), 60.0):
        return {"status": "error", "error": "the first article never settled"}
    proxy = main.library.proxy
    keys = [proxy.key_at(row) for row in range(proxy.rowCount())]
    keys = [k for k in keys if k is not None]
    if len(keys) < 2:
        return {"status": "error", "error": f"the library lists {len(keys)} articles"}
    viewport = main.pane.view.viewport()
    paints = [0]

    class PaintCounter(QObject):
        def eventFilter(self, watched: object, event: Any) -> bool:  # Qt override
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    counter = PaintCounter()
    viewport.installEventFilter(counter)
    times: list[float] = []
    jobs_left = 0
    for _ in range(int(args.get("repeats", 3))):
        for key in keys:
            if key == main.current_key():
                continue
            _wait(app, lambda: not main.view_job_ids(), 10.0)  # the previous one settled
            before = paints[0]
            start = time.perf_counter()
            main.session.open(key)
            while paints[0] == before and time.perf_counter() - start < 5:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            times.append(1000 * (time.perf_counter() - start))
            jobs_left += bool(main.view_job_ids())
    main.shutdown()
    times.sort()
    return {
        "status": "ok",
        "opens": len(times),
        "median_ms": times[len(times) // 2],
        "max_ms": times[-1],
        "opens_that_started_a_job": jobs_left,
        "via": "window",
    }


# -- the window's building blocks -------------------------------------------------------------


def stall(args: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtCore import QObject, QTimer, Slot

    from reader.core.articles.parser import parse_file
    from reader.core.translation.engine import (
        PRESETS,
        ParagraphReady,
        TranslationEngine,
        TranslationProgress,
    )
    from reader.core.translation.results import ParagraphTranslation
    from reader.ui.reading_pane import ReadingPane
    from reader.ui.workers import JobContext, WorkerThread

    app = _application()
    pane = ReadingPane()
    pane.resize(1200, 800)
    pane.show()
    view = pane.view
    article = parse_file(Path(args["seed"]), paragraph_languages=True)
    engine = TranslationEngine(None, options=PRESETS[args.get("preset", "accurate")])
    pane.set_article(article)
    view.set_article(article)
    for ready in engine.peek(article, TARGET):
        if ready is not None:
            view.set_translation(ready)
    _wait(app, lambda: False, 0.2)  # let the first paints and layouts settle

    marks: dict[str, float] = {}
    probe = _StallProbe()

    def job(context: JobContext) -> None:
        engine.pool.translator(engine.route("fr", TARGET).packages[0])
        context.emit("loaded")
        for event in engine.translate(article, TARGET, use_cache=False,
                                      is_cancelled=context.is_cancelled):
            if isinstance(event, ParagraphReady):
                context.emit(event.paragraph)
            elif isinstance(event, TranslationProgress):
                context.progress(event.done, event.total)

    class Receiver(QObject):
        """Lives on the GUI thread, so the worker's signals arrive queued, as in the window."""

        @Slot(int, object)
        def on_result(self, _job: int, payload: object) -> None:
            if payload == "loaded":
                marks["loaded"] = time.perf_counter()
            elif isinstance(payload, ParagraphTranslation):
                marks.setdefault("first", time.perf_counter())
                view.set_translation(payload)

        @Slot(int, bool)
        def on_finished(self, _job: int, _cancelled: bool) -> None:
            marks["done"] = time.perf_counter()
            # Keep probing a moment: the last relayout and paint belong to the translation.
            QTimer.singleShot(100, app.quit)

    receiver = Receiver()
    worker = WorkerThread("bench-translate")
    worker.worker.result.connect(receiver.on_result)
    worker.worker.finished.connect(receiver.on_finished)
    probe.start()
    marks["submitted"] = time.perf_counter()
    worker.submit(job, "translate")
    app.exec()
    probe.stop()
    worker.shutdown()
    if "done" not in marks:
        return {"status": "error", "error": "the translation job never finished"}
    return {
        "status": "ok",
        "seconds": marks["done"] - marks["submitted"],
        "whole_job": probe.summary(marks["submitted"], marks["done"] + 0.1),
        "while_translating": probe.summary(marks.get("loaded"), marks["done"] + 0.1),
        "model_load_s": marks.get("loaded", marks["submitted"]) - marks["submitted"],
        "translated_paragraphs": sum(t is not None for t in view.translations()),
    }


def cached_open(args: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject

    from reader.core.articles.parser import parse_file
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import TranslationEngine
    from reader.ui.reading_pane import ReadingPane

    app = _application()
    pane = ReadingPane()
    pane.resize(1200, 800)
    pane.show()
    view = pane.view
    engine = TranslationEngine(TranslationCache())
    paints = [0]

    class PaintCounter(QObject):
        def eventFilter(self, watched: object, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    _wait(app, lambda: paints[0] > 0, 5.0)

    def open_once(path: Path) -> dict[str, float]:
        start = time.perf_counter()
        article = parse_file(path, paragraph_languages=True)
        parsed = time.perf_counter()
        ready = engine.peek(article, TARGET)
        looked_up = time.perf_counter()
        missing = sum(r is None for r in ready)
        if missing:
            raise RuntimeError(f"{path.name}: {missing} paragraphs not cached")
        before = paints[0]
        pane.set_article(article)
        view.set_article(article)
        for translation in ready:
            assert translation is not None
            view.set_translation(translation)
        view.flush()
        view.viewport().repaint()  # paints now, synchronously: the view is on screen
        painted = time.perf_counter()
        if paints[0] == before:
            raise RuntimeError("the view did not paint")
        return {"total_ms": 1000 * (painted - start), "parse_ms": 1000 * (parsed - start),
                "lookup_ms": 1000 * (looked_up - parsed), "render_ms": 1000 * (painted - looked_up),
                "paragraphs": len(ready)}

    seeds = [Path(p) for p in args["seeds"]]
    first_open = open_once(seeds[0])  # fonts, first layout: start-up costs, reported apart
    runs = [open_once(path) for _ in range(int(args.get("repeats", 3))) for path in seeds]

    def med(key: str) -> float:
        values = sorted(run[key] for run in runs)
        return values[len(values) // 2]

    return {
        "status": "ok",
        "opens": len(runs),
        "first_open_ms": first_open["total_ms"],
        "median_ms": med("total_ms"),
        "max_ms": max(run["total_ms"] for run in runs),
        "parse_ms": med("parse_ms"),
        "lookup_ms": med("lookup_ms"),
        "render_ms": med("render_ms"),
        "cache_entries": engine.cache.stats().entries if engine.cache else 0,
        "via": "ReadingPane",
    }


def export(args: dict[str, Any]) -> dict[str, Any]:
    from reader.core.articles.parser import parse_file
    from reader.core.models.store import InstalledPackage
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import ModelPool, TranslationEngine
    from reader.export.pdf import LAYOUTS, ExportRequest, export_articles

    class NoModelPool(ModelPool):
        """Exporting a cached article must never load a model; fail loudly if it tries."""

        def translator(self, package: InstalledPackage) -> Any:
            raise RuntimeError("export tried to translate: a paragraph was not cached")

    engine = TranslationEngine(TranslationCache(), pool=NoModelPool())
    articles = [parse_file(Path(p), paragraph_languages=True) for p in args["seeds"]]
    repeats = int(args.get("repeats", 2))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        output = Path(folder) / "article.pdf"

        def once(article: Any, layout: str) -> float:
            start = time.perf_counter()
            report = export_articles(engine, [article], ExportRequest(output, TARGET,
                                                                      layout=layout))
            seconds = time.perf_counter() - start
            if not report.ok:
                raise RuntimeError("; ".join(report.messages))
            return seconds

        first_s = once(articles[0], LAYOUTS[0])  # QGuiApplication, fonts: paid once
        layouts: dict[str, Any] = {}
        for layout in LAYOUTS:
            times = sorted(once(a, layout) for _ in range(repeats) for a in articles)
            layouts[layout] = {"median_ms": 1000 * times[len(times) // 2],
                               "max_ms": 1000 * times[-1], "exports": len(times),
                               "pdf_kb": output.stat().st_size / 1024}
    return {"status": "ok", "first_export_ms": 1000 * first_s, "layouts": layouts}


MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "first": first,
    "window": window,
    "window_open": window_open,
    "stall": stall,
    "cached_open": cached_open,
    "export": export,
    "long_article": long_article,
    "long_window": long_window,
    "long_book": long_book,
}


def main(argv: list[str]) -> int:
    mode, raw = argv[0], argv[1] if len(argv) > 1 else "{}"
    args = json.loads(raw)
    try:
        result = MODES[mode](args)
    except Exception as error:  # reported as a row, never a dead bench
        import traceback

        traceback.print_exc()
        result = {"status": "error", "error": f"{type(error).__name__}: {error}"}
    _emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
