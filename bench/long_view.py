"""A long article in the reading view (``python -m bench.child long_article '{"mb": 5}'``).

Issue #15: "a 5 MB article opens with no stall over 50 ms". A plain-text book of ``mb``
megabytes is written and parsed (outside the measurement: the window parses in a worker),
then, with a 10 ms ``QTimer`` probe running, everything below happens from the event loop
as the reader would cause it:

1. ``ReadingView.set_article`` → the view's first paint (time to first paint);
2. translations arriving for the first screens, in batches (what the engine's stream does);
3. reading on: forty page-downs;
4. dragging the scroll bar through the whole book: forty jumps, top to bottom;
5. Ctrl+F for a word found in every paragraph (searched in slices), then End, then Home.

Reported: the longest gap between probe ticks over the whole run and per phase; the GUI
thread's CPU time for each step (its action and the paint it causes: what a step costs us,
which a loaded machine does not stretch); time to first paint; rows laid out; the process's
resident memory before the view opens the book and after the run.
"""

from __future__ import annotations

import itertools
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SENTENCES = (
    "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les entreprises.",
    "Selon plusieurs experts interrogés à Paris, l'été sera difficile pour l'industrie.",
    "« Nous ne pouvons pas attendre », a déclaré la ministre devant l'Assemblée nationale.",
    "Les syndicats demandent une hausse des salaires de 2 000 euros par an.",
    "La décision, attendue depuis des mois, divise encore la majorité.",
)


def write_book(folder: Path, megabytes: float) -> Path:
    """A plain-text book: paragraphs of one to eight sentences, blank lines between."""
    parts: list[str] = []
    size = 0
    number = 0
    while size < megabytes * 1_000_000:
        # Mostly one sentence, now and then up to six: ~110 bytes a paragraph on average,
        # as in the 10 MB book of ~112,000 paragraphs.
        count = 1 if number % 5 else 1 + (number // 5) % 6
        paragraph = " ".join(_SENTENCES[(number + i) % len(_SENTENCES)] for i in range(count))
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        number += 1
    path = folder / f"book-{megabytes:g}mb.txt"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def _rss_mb() -> float:
    """The resident set now (not the peak: parsing the book peaks far above what the view
    keeps, and would hide it)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def long_article(args: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from bench.measure import StallProbe, application, wait
    from reader.core.articles.parser import parse_file
    from reader.core.text.sentences import split_sentences
    from reader.core.translation.results import (
        ParagraphStatus,
        ParagraphTranslation,
        pairs_from_sentences,
    )
    from reader.ui.reading_view import ReadingView

    megabytes = float(args.get("mb", 5))
    folder = Path(tempfile.mkdtemp(prefix="long-view-"))
    book = write_book(folder, megabytes)
    started = time.perf_counter()
    article = parse_file(book, paragraph_languages=False)
    parse_s = time.perf_counter() - started
    if not article.ok:
        return {"status": "error", "error": f"the book did not parse: {article.error}"}

    app = application()
    app.setStyle("Fusion")
    view = ReadingView()
    view.resize(1300, 850)
    view.show()
    wait(app, view.isVisible, 5.0)
    app.processEvents()
    rss_before = _rss_mb()

    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, watched: object, event: Any) -> bool:  # Qt override
            if event.type() == QEvent.Type.Paint and view.article() is not None and not painted:
                painted.append(time.perf_counter())
            return False

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)

    def translation(index: int) -> ParagraphTranslation:
        paragraph = article.paragraphs[index]
        spans = split_sentences(paragraph.text)
        targets = [paragraph.text[a:b].upper() for a, b in spans]
        text, pairs = pairs_from_sentences(paragraph.text, spans, targets)
        return ParagraphTranslation(index, paragraph.text, text, paragraph.kind,
                                    ParagraphStatus.TRANSLATED, "fr", pairs)

    bar = view.verticalScrollBar()
    steps: list[tuple[str, Callable[[], None]]] = [("open", lambda: view.set_article(article))]
    for batch in range(10):  # the first 240 paragraphs' translations, 24 at a time
        rows = range(batch * 24, min(len(article.paragraphs), (batch + 1) * 24))
        ready = [translation(i) for i in rows]  # made before: the engine's work, not ours
        steps.append(("translations", lambda ready=ready: [view.set_translation(t)
                                                           for t in ready]))
    steps += [("page down", lambda: bar.setValue(bar.value() + bar.pageStep()))] * 40
    for jump in range(41):
        steps.append(("drag", lambda jump=jump: bar.setValue(bar.maximum() * jump // 40)))
    steps.append(("find", lambda: view.find("ministre")))
    steps.append(("end", lambda: view.verticalScrollBar().setValue(bar.maximum())))
    steps.append(("home", lambda: view.go_to_paragraph(0)))

    probe = StallProbe()
    marks: list[tuple[str, float]] = []
    busy: dict[str, float] = {}  # the longest GUI-thread CPU time of a step, by phase
    done: list[bool] = []

    def run(index: int = 0) -> None:
        if index == len(steps):
            done.append(True)
            return
        name, action = steps[index]
        marks.append((name, time.perf_counter()))
        # CPU time of the GUI thread for the action and the paint it causes: what the step
        # costs us whatever else the machine is doing (a loaded machine stretches the
        # probe's gaps, not this).
        cpu = time.thread_time()
        action()
        view.viewport().repaint()
        spent = 1000 * (time.thread_time() - cpu)
        busy[name] = max(busy.get(name, 0.0), spent)
        # The next step once this one is painted and the loop has turned (a reader's pace
        # is far slower; this is the worst case of back-to-back events).
        QTimer.singleShot(30, lambda: run(index + 1))

    probe.start()
    QTimer.singleShot(50, run)
    finished = wait(app, lambda: bool(done) and not view.finding(), 120.0)
    end = time.perf_counter()
    probe.stop()
    if not finished:
        return {"status": "error", "error": "the scripted reading did not finish"}
    phases: dict[str, float] = {}
    bounds = [*marks, ("", end)]
    for (name, start), (_, stop) in itertools.pairwise(bounds):
        gaps = probe.gaps_ms(start, stop + 0.025)
        if gaps:
            phases[name] = max(phases.get(name, 0.0), max(gaps))
    open_at = marks[0][1]
    return {
        "status": "ok",
        "megabytes": round(book.stat().st_size / 1_000_000, 2),
        "paragraphs": len(article.paragraphs),
        "parse_s": parse_s,
        "first_paint_ms": 1000 * (painted[0] - open_at) if painted else None,
        "stall": probe.summary(open_at, end),
        "longest_gap_by_phase_ms": phases,
        "longest_step_cpu_ms": max(busy.values()),
        "step_cpu_by_phase_ms": busy,
        "layout": view.layout_stats(),
        "matches": len(view.matches()),
        "rss_mb": {"before_open": rss_before, "after": _rss_mb()},
    }
