"""A ``.pdf`` file → an :class:`~reader.core.articles.article.Article`.

The file is read here (the same checks as any article file: a regular file, readable, under
``MAX_PDF_BYTES``), then parsed by ``python -m reader.core.pdf.extract`` in a child process
that limits its own CPU time and memory (see that module): a crafted PDF can at worst make
the child stop with an error, never hang or exhaust this process. The child's answer is
JSON; the paragraphs become an Article like any other (title, lede, body, languages).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import reader
from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.language import langid
from reader.core.pdf import extract
from reader.core.pdf.extract import PdfText
from reader.core.text.encoding import UnreadableFileError, read_bytes

log = logging.getLogger(__name__)

PDF_SUFFIXES = frozenset({".pdf"})
MAX_PDF_BYTES = 100 * 1024 * 1024
# The child's limits (module attributes, read at each call: tests lower them).
CPU_SECONDS = extract.CPU_SECONDS
MEMORY_BYTES = extract.MEMORY_BYTES
MAX_PAGES = extract.MAX_PAGES
# The child stops itself after CPU_SECONDS of CPU; this wall-clock bound only covers a child
# that is not given the CPU at all (a stopped process), so it is generous.
_WALL_FACTOR = 4


def _child_env() -> dict[str, str]:
    """The environment for the child: ours, with this copy of ``reader`` first on the path
    (a source checkout run without installing must find the same code)."""
    env = dict(os.environ)
    root = str(Path(reader.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _child_error(returncode: int, stderr: bytes) -> str:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"PDF too complex to read (over {CPU_SECONDS} s of work); not read"
    if b"MemoryError" in stderr:
        return "PDF too large to read (memory limit reached)"
    last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    log.warning("PDF reader process failed (%s): %s", returncode, last[0])
    return "could not read the PDF (its reader process failed)"


def read_pdf(data: bytes) -> PdfText:
    """``data`` parsed in a child process with CPU and memory limits."""
    try:
        done = subprocess.run(
            [
                sys.executable, "-m", "reader.core.pdf.extract",
                str(CPU_SECONDS), str(MEMORY_BYTES), str(MAX_PAGES),
            ],
            input=data,
            capture_output=True,
            env=_child_env(),
            timeout=_WALL_FACTOR * CPU_SECONDS + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PdfText(error="PDF too complex to read (its reader process did not finish)")
    except OSError as exc:
        return PdfText(error=f"could not start the PDF reader ({exc.strerror or exc})")
    if done.returncode != 0:
        return PdfText(error=_child_error(done.returncode, done.stderr))
    try:
        answer = json.loads(done.stdout)
        return PdfText(
            title=str(answer["title"]),
            paragraphs=[(str(text), bool(title)) for text, title in answer["paragraphs"]],
            pages=int(answer["pages"]),
            truncated=bool(answer["truncated"]),
            unmapped=int(answer["unmapped"]),
            error=answer["error"],
        )
    except (ValueError, KeyError, TypeError):
        return PdfText(error="could not read the PDF (its reader process gave no answer)")


def parse_pdf(
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
    data: bytes | None = None,
) -> Article:
    """Read and parse the PDF at ``path`` (whose bytes are ``data`` when the caller has read
    them). Never raises for bad input: the Article carries ``error`` (one line)."""
    path = Path(path)
    if data is None:
        try:
            data = read_bytes(path, max_bytes=MAX_PDF_BYTES)
        except UnreadableFileError as exc:
            return Article(path=path, error=exc.message)
    if b"%PDF-" not in data[:1024]:
        return Article(path=path, error="not a PDF (no PDF header)")
    found = read_pdf(data)
    if found.error:
        return Article(path=path, error=found.error)
    return article_from(path, found, paragraph_languages=paragraph_languages, memo=language_memo)


def article_from(
    path: Path,
    found: PdfText,
    *,
    paragraph_languages: bool = True,
    memo: langid.LanguageMemo | None = None,
) -> Article:
    """The Article for a PDF's paragraphs: the title paragraph marked, the first body
    paragraph after it the lede, languages detected as for any article."""
    from reader.core.articles.parser import _languages

    kinds: list[tuple[str, ParagraphKind]] = []
    lede_pending = True
    for text, is_title in found.paragraphs:
        if is_title:
            kinds.append((text, ParagraphKind.TITLE))
        elif lede_pending:
            kinds.append((text, ParagraphKind.LEDE))
            lede_pending = False
        else:
            kinds.append((text, ParagraphKind.BODY))
    if not kinds:
        return Article(path=path, error="no article text found")
    language, confidence, languages = _languages(
        kinds, paragraph_languages=paragraph_languages, memo=memo
    )
    if found.truncated:
        # Said where the text stops (window, listings, exports), in the app's language.
        log.info("%s: only the first %d pages of the PDF were read (limits)", path, found.pages)
        kinds.append((truncation_note(found.pages), ParagraphKind.BOILERPLATE))
        languages.append(("en", 1.0))
    return Article(
        path=path,
        title=found.title,
        language=language,
        language_confidence=confidence,
        paragraphs=tuple(
            Paragraph(index, text, kind, lang, conf)
            for index, ((text, kind), (lang, conf)) in enumerate(
                zip(kinds, languages, strict=True)
            )
        ),
    )


def truncation_note(pages: int) -> str:
    """The last paragraph of a PDF read only in part."""
    return (f"[Only the first {pages} pages of this PDF are shown: the reader reads at most "
            f"{MAX_PAGES} pages or {extract.MAX_CHARS:,} characters of a PDF.]")
