"""A whole novel as an EPUB (``python -m bench.child long_book '{"words": 200000}'``).

Issue #23's done-criteria for books: "a whole novel (~200,000 words) lists in < 2 s, opens
with no event-loop stall over 50 ms". ``bench.books.novel.write_novel`` writes the book (EPUB 3,
~60 chapters, distinct paragraphs, footnotes, front matter); then:

1. listing: ``load_library`` on it, with no memo (every run reads the whole book: unzip,
   XHTML, chapters, words, the book's language), ``repeats`` times, and once through the
   command line (``bilingual-reader list --json``: a new process, its start-up included);
2. opening: the book alone in a library folder, the real window lists it, opens it and
   translates it, with the same 10 ms probe as the 5 MB plain-text book
   (``bench.long_window``): the longest event-loop gap while it opens (``articleOpened`` →
   first paint + 1 s), while it lists and while it translates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _listing(book: Path, repeats: int) -> dict[str, Any]:
    from reader.core.library.listing import load_library

    times = []
    article = None
    for _ in range(repeats):
        start = time.perf_counter()
        (article,) = load_library([book], remember_languages=False)
        times.append(time.perf_counter() - start)
    assert article is not None
    if not article.ok:
        return {"status": "error", "error": article.error}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reader", "list", "--json", str(book)],
                          capture_output=True, text=True, timeout=120, check=False, env=env)
    cli_s = time.perf_counter() - start
    listed = json.loads(done.stdout)[0] if done.returncode == 0 else {}
    return {
        "status": "ok" if done.returncode == 0 and listed.get("kind") == "book" else "error",
        **({} if done.returncode == 0 else {"error": done.stderr.strip()[-300:]}),
        "words": article.words, "paragraphs": len(article.paragraphs),
        "chapters": len(article.chapters), "language": article.language,
        "load_library_s": sorted(times), "best_s": min(times),
        "cli_list_json_s": cli_s,
    }


def long_book(args: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from bench.books.novel import write_novel
    from bench.long_window import _GcWatch, _one_window
    from bench.measure import application

    words = int(args.get("words", 200_000))
    timeout_s = float(args.get("timeout_s", 240))
    folder = Path(tempfile.mkdtemp(prefix="long-book-"))
    book = write_novel(folder, words)
    listing = _listing(book, int(args.get("repeats", 3)))
    QApplication.setApplicationName("bilingual-reader")
    app = application()
    app.setStyle("Fusion")
    gcs = _GcWatch()
    try:
        opened = _one_window(app, folder, timeout_s, gcs)
    finally:
        gcs.close()
    status = "ok" if listing["status"] == "ok" and opened["status"] == "ok" else "error"
    result: dict[str, Any] = {
        "status": status, "file_kb": round(book.stat().st_size / 1000),
        "listing": listing, "window": opened,
        "longest_open_gap_ms": opened.get("open", {}).get("longest_gap_ms"),
    }
    if status == "error":
        result["error"] = listing.get("error") or opened.get("error", "?")
    return result
