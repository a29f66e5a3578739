"""Which PDF library reads our PDFs best: ``python -m bench.pdf_libraries [--quick] [FILE.pdf…]``.

Side by side on the same files: pypdf (BSD), pdfminer.six (MIT) and pdfplumber (MIT; optional,
measured only where installed), each asked for its plain text, and the reader's own import
(pdfminer.six plus ``reader.core.pdf``: reading order, running lines, hyphens, paragraphs).
The files are drawn here with ``testkit.pdf_pages`` (QPdfWriter): a two-column magazine with
a running header and page numbers, and a long single-column report; any PDF named on the
command line is timed too (its text is never printed or kept).

For the drawn files the paragraphs are known, so each output is scored: how many of them
appear word for word (white space aside) in it, and whether the running header or a page
number does. Timings are the median of a few runs in this process (pdfminer's and pypdf's
imports excluded); this is a choice of library, not a performance goal.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # `python bench/pdf_libraries.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _reader(path: Path) -> str:
    from reader.core.pdf.extract import read_pdf_bytes

    found = read_pdf_bytes(path.read_bytes())
    return "\n".join(text for text, _title in found.paragraphs)


def _available() -> dict[str, Callable[[Path], str]]:
    found: dict[str, Callable[[Path], str]] = {}
    for name, module, function in (
        ("pypdf", "pypdf", _pypdf),
        ("pdfminer.six", "pdfminer", _pdfminer),
        ("pdfplumber", "pdfplumber", _pdfplumber),
        ("reader (pdfminer.six + reader.core.pdf)", "pdfminer", _reader),
    ):
        try:
            __import__(module)
        except ImportError:
            continue
        found[name] = function
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _score(output: str, paragraphs: list[str], header: str) -> str:
    flat = _words(output)
    whole = sum(_words(p) in flat for p in paragraphs)
    noise = []
    if header in flat:
        noise.append("header")
    if re.search(r"(?m)^\s*\d{1,3}\s*$", output):
        noise.append("page numbers")
    return f"{whole}/{len(paragraphs)}" + (f", + {' and '.join(noise)}" if noise else "")


HEADER = "Revue des sciences — mars 2026"  # testkit.pdf_pages' running header


def _files(folder: Path, quick: bool) -> list[tuple[str, Path, list[str] | None]]:
    from testkit.pdf_pages import CUTTABLE, EXPECTED, TITLE, Layout, typeset, write_pdf

    magazine = typeset(CUTTABLE, Layout(title=TITLE, bottom=330.0))
    report = typeset(CUTTABLE * (2 if quick else 8), Layout(columns=((60.0, 475.0),)))
    expected = list(EXPECTED)
    return [
        (f"magazine, 2 columns ({len(magazine)} pages)",
         write_pdf(folder / "magazine.pdf", magazine), expected),
        (f"report, 1 column ({len(report)} pages)",
         write_pdf(folder / "report.pdf", report), None),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_libraries")
    parser.add_argument("--quick", action="store_true", help="one run each, a shorter report")
    parser.add_argument("pdfs", nargs="*", type=Path, help="more PDFs to time")
    args = parser.parse_args(argv)
    from reader.export.typesetter import ensure_application

    ensure_application()
    import logging

    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    libraries = _available()
    repeats = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        files = _files(Path(tmp), args.quick)
        files += [(path.name, path, None) for path in args.pdfs]
        print("| file | library | seconds | paragraphs word for word |")
        print("|---|---|---:|---|")
        for label, path, expected in files:
            for name, read in libraries.items():
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    output = read(path)
                    times.append(time.perf_counter() - start)
                score = _score(output, expected, HEADER) if expected else "—"
                print(f"| {label} | {name} | {statistics.median(times):.2f} | {score} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
