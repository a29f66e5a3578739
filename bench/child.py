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
  window (``bench.books.long_book``).
- ``book_export``: the same novel, once translated, exported to a bilingual EPUB
  (``bench.books.book_export``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.books.book_export import book_export
from bench.books.long_book import long_book
from bench.long_view import long_article
from bench.long_window import long_window
from bench.measure import STARTED, TARGET, StallProbe, application, peak_rss_mb, wait
from bench.window_modes import window, window_open


def _emit(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


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
    rss_loaded = peak_rss_mb()
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
        "peak_rss_mb": peak_rss_mb(),
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

    app = application()
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
    wait(app, lambda: False, 0.2)  # let the first paints and layouts settle

    marks: dict[str, float] = {}
    probe = StallProbe()

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

    app = application()
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
    wait(app, lambda: paints[0] > 0, 5.0)

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
    "book_export": book_export,
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
