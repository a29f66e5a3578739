"""Dictionary look-up time (issue #24: the entry on screen < 50 ms after the click).

Side by side in one run, on every distinct word of the seed articles (French), through
``Dictionaries.define`` (the form as written, then its lemma):

- ``freedict``: Debian's dict-freedict-fra-eng (dictd, dictzip; 8.5k headwords), when
  installed;
- ``stardict-100k``: a StarDict dictionary of 100,000 made-up headwords plus the FreeDict-like
  test entries (testkit.dictionaries), uncompressed, built in a temporary folder;
- ``dictd-100k``: the same 100,000 entries as dictd with a dictzip body.

For each: the first use (index read into memory; the lemma table's first load is reported
apart), then per look-up the median, 99th percentile and maximum, and how many words found
an entry. The window does the look-up on the GUI thread once warm, so these are the
click-to-panel times less one repaint.

Limits: the made-up headwords are short ASCII strings (a real 100k dictionary has longer
lines, so a larger index to read once); a shared machine's load shows in the maximum.

    python -m bench.lookup [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import env

FREEDICT = Path("/usr/share/dictd/freedict-fra-eng.index")


def _words(limit: int | None) -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted(env.SEEDS_DIR.glob("*.txt")):
        for word in re.findall(r"\w+", path.read_text(encoding="utf-8")):
            if not word.isdigit():
                seen.setdefault(word, None)
    words = list(seen)
    return words[:limit] if limit else words


def _big_entries(count: int) -> dict[str, str]:
    from testkit.dictionaries import FRENCH_ENGLISH

    entries = {f"mot{n:06d}x": f"mot{n:06d}x <n>\nword number {n}" for n in range(count)}
    entries.update(FRENCH_ENGLISH)
    return entries


def _measure(folder: Path, words: list[str]) -> dict[str, Any]:
    from reader.core.words.dictionaries import Dictionaries

    book = Dictionaries([folder])
    start = time.perf_counter()
    problems = book.warm("fr", "en")
    first_use = time.perf_counter() - start
    times, found = [], 0
    for word in words:
        start = time.perf_counter()
        answer = book.define(word, "fr", "en")
        times.append(time.perf_counter() - start)
        found += bool(answer.entries)
    times.sort()
    return {
        "index_load_ms": round(first_use * 1000, 2),
        "lookups": len(times),
        "found": found,
        "median_ms": round(statistics.median(times) * 1000, 4),
        "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 4),
        "max_ms": round(times[-1] * 1000, 3),
        "problems": problems,
    }


def lookup_cost(quick: bool) -> dict[str, Any]:
    from reader.core.words.lemma import lemma
    from testkit.dictionaries import build_dictd, build_stardict

    words = _words(300 if quick else None)
    start = time.perf_counter()
    lemma("maisons", "fr")
    result: dict[str, Any] = {"words": len(words),
                              "lemma_table_first_load_ms": round(
                                  (time.perf_counter() - start) * 1000, 1)}
    count = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        entries = _big_entries(count)
        build_stardict(folder / "sd", f"fr-en-{count}", entries)
        build_dictd(folder / "dd", f"fr-en-{count}", entries, chunk=58315)
        if FREEDICT.exists():
            result["freedict"] = _measure(FREEDICT.parent, words)
        else:
            result["freedict"] = "not installed (Debian: dict-freedict-fra-eng)"
        result[f"stardict-{count // 1000}k"] = _measure(folder / "sd", words)
        result[f"dictd-{count // 1000}k"] = _measure(folder / "dd", words)
    result["goal"] = "entry on screen < 50 ms after the click"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.lookup", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true",
                        help="300 words and 20,000 made-up entries instead of all and 100,000")
    args = parser.parse_args(argv)
    os.environ.setdefault("BILINGUAL_READER_SYSTEM_DICTIONARIES", "")
    print(json.dumps(lookup_cost(args.quick), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
