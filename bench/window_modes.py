"""The real window in a fresh process: ``window`` (launch to first paint and first translated
paragraph, with the event loop's stalls) and ``window_open`` (opening cached articles).

Modes of ``python -m bench.child``; see :mod:`bench.child` for what each measures."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.measure import (
    STARTED,
    FirstPaint,
    StallProbe,
    StallWatch,
    application,
    peak_rss_mb,
    wait,
)


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
    from reader.ui.window.shell import MainWindow

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
        probes["paint"] = FirstPaint(app, main)
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
        probe = probes["stall"] = StallProbe()
        probe.start()
        probes["watch"] = StallWatch(probe)

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
        "peak_rss_mb": peak_rss_mb(),
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

    from reader.ui.window.shell import MainWindow

    QApplication.setApplicationName("bilingual-reader")
    app = application()
    app.setStyle("Fusion")  # as reader.ui.app.run does
    main = MainWindow([Path(p) for p in args["paths"]])
    main.show()
    settled: list[str] = []
    main.translationFinished.connect(lambda key, _cancelled: settled.append(key))
    if not wait(app, lambda: bool(settled), 60.0):
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
            wait(app, lambda: not main.view_job_ids(), 10.0)  # the previous one settled
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
