"""The PDF export, checked by reading the PDFs back.

Words and their positions come from poppler (``pdftotext -bbox``) where installed, else from
pypdf's text visitor. The layouts are checked geometrically: in side by side, the first line
of paragraph N's original and of its translation sit on the same line band, left and right;
interleaved, each translation follows its original, indented.
"""

from __future__ import annotations

import errno
import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from reader import private_files
from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.models.store import InstalledPackage
from reader.core.presentation.export_document import ExportArticle, build_article
from reader.core.presentation.row_display import TRUNCATED_NOTE, status_mark
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import FAST, TranslationEngine
from reader.core.translation.results import (
    ArticleTranslation,
    ParagraphStatus,
    ParagraphTranslation,
)
from reader.export import pdf
from reader.export.pdf import ExportReport, ExportRequest, export_articles, render_pdf, write_pdf
from tests.export.test_export_model import fake_translation

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_000 = SEEDS / "000_54e85f053ada47e1.txt"
SEED_001 = SEEDS / "001_ae8a9364b6c910c6.txt"
SEED_002 = SEEDS / "002_5cd07c1ed0724f90.txt"
POPPLER = shutil.which("pdftotext") is not None
PT_PER_MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _qt_app(qapp: object) -> None:
    """A QApplication before anything of ours makes a bare QGuiApplication: the widget tests
    that run later in the same process need the full one."""


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_file(SEED_002)


# -- reading PDFs back ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    page: int
    x: float  # left, points
    y: float  # top of the text, points from the top of the page
    height: float
    text: str


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>'
)


def words_poppler(path: Path) -> tuple[list[Word], float]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words: list[Word] = []
    width = 0.0
    for page, chunk in enumerate(out.split("<page ")[1:]):
        match = _PAGE.match("<page " + chunk)
        assert match
        width = float(match.group(1))
        for x, top, bottom, text in _WORD.findall(chunk):
            words.append(
                Word(page, float(x), float(top), float(bottom) - float(top), html.unescape(text))
            )
    return words, width


def words_pypdf(path: Path) -> tuple[list[Word], float]:
    from pypdf import PdfReader

    words: list[Word] = []
    width = 0.0
    for number, page in enumerate(PdfReader(path).pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            number: int = number,
            height: float = height,
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                points = size * abs(cm[3] or 1)
                # pypdf gives the baseline; DejaVu's ascent is 0.93 em, so this is the top.
                words.append(Word(number, x, height - y - 0.93 * points, points, text))

        page.extract_text(visitor_text=visit)
    return words, width


def read_words(path: Path, footers: bool = False) -> tuple[list[Word], float]:
    """Every word with its position, and the page width. Page footers ("3 / 12", centred,
    so they straddle the columns) are left out unless asked for."""
    words, width = words_poppler(path) if POPPLER else words_pypdf(path)
    if not footers:
        from pypdf import PdfReader

        height = float(PdfReader(path).pages[0].mediabox.height)
        words = [w for w in words if w.y < height - 14 * PT_PER_MM]
    return words, width


def squash(text: str) -> str:
    return "".join(text.split())


class Stream:
    """Words in reading order, glued without white space, so a paragraph is found whatever
    its line breaks; ``at`` maps a character offset back to its word."""

    def __init__(self, words: list[Word]) -> None:
        self.words = sorted(words, key=lambda w: (w.page, round(w.y, 1), w.x))
        self.starts: list[int] = []
        parts: list[str] = []
        position = 0
        for word in self.words:
            self.starts.append(position)
            part = squash(word.text)
            parts.append(part)
            position += len(part)
        self.text = "".join(parts)

    def at(self, offset: int) -> Word:
        low, high = 0, len(self.starts) - 1
        while low < high:  # last word starting at or before offset
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return self.words[low]

    def locate(self, needles: list[str]) -> list[tuple[Word, Word]]:
        """(first word, last word) of each needle, found one after the other."""
        found: list[tuple[Word, Word]] = []
        position = 0
        for needle in needles:
            key = squash(needle)
            start = self.text.find(key, position)
            assert start >= 0, f"missing or out of order: {needle[:80]!r}"
            position = start + len(key)
            found.append((self.at(start), self.at(position - 1)))
        return found


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    if POPPLER:
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return out.split("\f")[: page_count(path)]
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


# -- documents --------------------------------------------------------------------------------


def seed_document(article: Article, **kwargs: object) -> ExportArticle:
    return build_article(fake_translation(article, **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def rich(seed: Article) -> ExportArticle:
    """Seed 002 with every second translation twice as long (so pairs break across pages),
    one post-edit, one failure, and its English boilerplate passing through."""
    return seed_document(seed, long_every=2, edited=(5,), failed=(7,))


@pytest.fixture(scope="module")
def side_by_side(rich: ExportArticle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(rich, tmp_path_factory.mktemp("sbs") / "out.pdf", "side-by-side")


@pytest.fixture(scope="module")
def interleaved(rich: ExportArticle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf([rich], tmp_path_factory.mktemp("il") / "out.pdf", "interleaved")


# -- layouts ----------------------------------------------------------------------------------


def test_side_by_side_pairs_start_on_the_same_line_band(
    rich: ExportArticle, side_by_side: Path
) -> None:
    words, width = read_words(side_by_side)
    middle = width / 2
    left = Stream([w for w in words if w.x < middle])
    right = Stream([w for w in words if w.x >= middle])
    sources = left.locate([row.source for row in rich.rows])
    translated = [row for row in rich.rows if not row.passthrough]
    translations = dict(
        zip(
            (row.index for row in translated),
            right.locate([row.shown for row in translated]),
            strict=True,
        )
    )
    crossed = 0
    for row, (source_first, source_last) in zip(rich.rows, sources, strict=True):
        if row.passthrough:
            continue
        first, last = translations[row.index]
        assert first.page == source_first.page, f"paragraph {row.index} split over pages"
        assert abs(first.y - source_first.y) < 0.5, f"paragraph {row.index} not level"
        assert source_first.x < middle - 20 <= middle <= first.x
        crossed += last.page > first.page or source_last.page > source_first.page
    # The long pairs must really have run over a page break for this to prove anything.
    assert crossed >= 1
    assert 3 <= page_count(side_by_side) <= 12


def test_side_by_side_prints_passthrough_once_with_a_note(
    rich: ExportArticle, side_by_side: Path
) -> None:
    passthrough = [row for row in rich.rows if row.passthrough]
    assert passthrough
    words, width = read_words(side_by_side)
    left = Stream([w for w in words if w.x < width / 2]).text
    right = Stream([w for w in words if w.x >= width / 2]).text
    for row in passthrough:
        assert left.count(squash(row.source)) == 1 and squash(row.source) not in right
    assert right.count(squash("(unchanged: already English)")) == len(passthrough)
    assert squash("EN5 my own words (edited)") in right
    assert squash("[translation failed]") in right


def test_interleaved_puts_each_translation_under_its_original(
    rich: ExportArticle, interleaved: Path
) -> None:
    words, _ = read_words(interleaved)
    stream = Stream(words)
    needles: list[str] = []
    for row in rich.rows:
        needles.append(row.source)
        if not row.passthrough:
            needles.append(row.shown)
    found = iter(stream.locate(needles))
    for row in rich.rows:
        source_first, _ = next(found)
        if row.passthrough:
            continue
        translation_first, _ = next(found)
        indent = translation_first.x - source_first.x
        assert 6 * PT_PER_MM < indent < 8 * PT_PER_MM, f"paragraph {row.index}: {indent}"
    assert squash(rich.rows[-1].source) in stream.text
    assert 3 <= page_count(interleaved) <= 14


@pytest.mark.skipif(not POPPLER, reason="word heights come from poppler")
def test_both_layouts_use_the_same_body_size(
    rich: ExportArticle, side_by_side: Path, interleaved: Path
) -> None:
    # "Zelensky" occurs only in BODY paragraphs of seed 002 (originals, regular weight).
    def heights(path: Path) -> set[float]:
        words, _ = read_words(path)
        return {round(w.height, 1) for w in words if w.text == "Zelensky" and w.page > 0}

    assert heights(side_by_side) and heights(side_by_side) == heights(interleaved)


def test_header_and_page_numbers(rich: ExportArticle, side_by_side: Path) -> None:
    pages = page_texts(side_by_side)
    first = squash(pages[0])
    header = rich.header
    assert header.title_translation
    for part in (
        header.title,
        header.title_translation,
        "Jessie Neal",
        SEED_002.name,
        "French → English",
        "translate-fr_en 1.9",
        "FRENCH",
        "ENGLISH",
    ):
        assert squash(part) in first, part
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"(?m)^\s*{number}\s*/\s*{len(pages)}\s*$", text), f"footer {number}"


def test_fonts_are_the_bundled_ones_embedded_and_there_are_no_images(side_by_side: Path) -> None:
    if shutil.which("pdffonts"):
        out = subprocess.run(
            ["pdffonts", str(side_by_side)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
        assert out
        for line in out:
            name, emb = line.split()[0], line.split()[-5]
            assert name.split("+")[-1].startswith("DejaVu"), line
            assert emb == "yes", line
    from pypdf import PdfReader

    for page in PdfReader(side_by_side).pages:
        resources = page["/Resources"]
        xobjects = resources.get("/XObject", {})
        assert not xobjects or not any(
            xobjects[name].get("/Subtype") == "/Image" for name in xobjects
        )
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]


def test_several_articles_each_start_a_page_and_get_a_bookmark(tmp_path: Path) -> None:
    from pypdf import PdfReader

    articles = [seed_document(parse_file(path)) for path in (SEED_002, SEED_000, SEED_001)]
    out = write_pdf(articles, tmp_path / "all.pdf")
    reader = PdfReader(out, strict=True)
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in outline] == [a.header.title for a in articles]
    starts = [page for _, page in outline]
    assert starts[0] == 0 and starts == sorted(set(starts))

    words, width = read_words(out)
    left = Stream([w for w in words if w.x < width / 2])
    for number, (article, start) in enumerate(zip(articles, starts, strict=True)):
        title_word = next(w for w in words if w.page == start)
        assert squash(article.header.title).startswith(squash(title_word.text))
        assert title_word.y < 20 * PT_PER_MM  # at the top of its page
        last_source, _ = left.locate([article.rows[-1].source])[0]
        end = starts[number + 1] if number + 1 < len(starts) else len(reader.pages)
        assert start <= last_source.page < end
    if shutil.which("pdfinfo"):
        check = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stderr.strip()


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_page_sizes(
    rich: ExportArticle, tmp_path: Path, size: str, points: tuple[int, int]
) -> None:
    from pypdf import PdfReader

    out = write_pdf(rich, tmp_path / "out.pdf", "interleaved", size)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points


def test_french_typography_renders_and_missing_glyphs_do_not_crash(tmp_path: Path) -> None:
    # Also: no ligature code points (U+FB00-FB06) in the text, or "officielle" is unsearchable.
    text = "« L’été – déjà ! » Œuvre, naïveté, ça… 😀 中文 \u0007"
    article = Article(
        path=tmp_path / "typo.txt",
        title=text,
        language="fr",
        paragraphs=(
            Paragraph(0, text, ParagraphKind.TITLE, "fr"),
            Paragraph(1, text, ParagraphKind.BODY, "fr"),
        ),
    )
    out = write_pdf(seed_document(article), tmp_path / "typo.pdf")
    extracted = squash("".join(page_texts(out)))
    assert squash("« L’été – déjà ! » Œuvre, naïveté, ça…") in extracted
    words = "officielle fleuve affaire"
    ligatures = Article(
        path=tmp_path / "lig.txt",
        language="fr",
        paragraphs=(Paragraph(0, words, ParagraphKind.BODY, "fr"),),
    )
    out = write_pdf(seed_document(ligatures), tmp_path / "lig.pdf")
    extracted = "".join(page_texts(out))
    assert squash(words) in squash(extracted) and not re.search("[\ufb00-\ufb06]", extracted)


def test_translation_only_pdf(rich: ExportArticle, tmp_path: Path) -> None:
    out = write_pdf(rich, tmp_path / "mono.pdf", mono=True)
    words, _ = read_words(out)
    stream = Stream(words)
    stream.locate([row.shown for row in rich.rows])
    body = next(row for row in rich.rows if row.kind is ParagraphKind.BODY)
    assert squash(body.source) not in stream.text


@pytest.mark.skipif(not POPPLER, reason="compares the two readers")
def test_the_pypdf_fallback_reads_the_same_columns(rich: ExportArticle, side_by_side: Path) -> None:
    words, width = words_pypdf(side_by_side)
    right = Stream([w for w in words if w.x >= width / 2])
    right.locate([row.shown for row in rich.rows if not row.passthrough])


def test_render_is_in_memory(rich: ExportArticle) -> None:
    # Export speed is measured by bench/, not asserted here.
    data = render_pdf(rich, "side-by-side")
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


# -- export_articles with the real engine and a synthetic model (failure handling) -----------------


def real_engine() -> TranslationEngine:
    return TranslationEngine(TranslationCache(), options=FAST)


def export(articles: list[Article], output: Path, **kwargs: object) -> ExportReport:
    request = ExportRequest(output, "en", **kwargs)  # type: ignore[arg-type]
    return export_articles(real_engine(), articles, request)


@pytest.fixture(autouse=True)
def _fr_en_for_export_tests(request: pytest.FixtureRequest) -> None:
    """export_articles runs the real engine: give it the synthetic fr→en model, except in the
    tests that are about a missing model."""
    if "no_model" not in request.node.name:
        request.getfixturevalue("install_fr_en")


def only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for outputs (tmp_path also holds this test's XDG folders)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_export_writes_all_requested_files(seed: Article, out: Path) -> None:
    progress: list[tuple[int, int]] = []
    request = ExportRequest(
        out / "news.pdf", "en", "interleaved", "Letter", also=("mono", "html", "md")
    )
    report = export_articles(
        real_engine(), [seed], request, progress=lambda d, t: progress.append((d, t))
    )
    assert report.ok and report.messages == []
    assert [p.name for p in report.written] == ["news.pdf", "news.mono.pdf", "news.html", "news.md"]
    assert only(out) == ["news.html", "news.md", "news.mono.pdf", "news.pdf"]
    total = progress[-1][1]  # sentences that needed the model
    assert total > len(seed.paragraphs)
    assert progress[0] == (0, total) and progress[-1] == (total, total)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_exported_files_get_normal_permissions_not_mkstemps_private_ones(
    seed: Article, out: Path
) -> None:
    import os
    import stat

    previous = os.umask(0o022)
    try:
        report = export_articles(
            real_engine(), [seed], ExportRequest(out / "news.pdf", "en", also=("html",))
        )
        assert report.ok
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in report.written}
        assert modes == {"news.pdf": 0o644, "news.html": 0o644}
        # Overwriting keeps the permissions the reader gave the file.
        (out / "news.pdf").chmod(0o640)
        assert export_articles(real_engine(), [seed], ExportRequest(out / "news.pdf", "en")).ok
        assert stat.S_IMODE((out / "news.pdf").stat().st_mode) == 0o640
    finally:
        os.umask(previous)


def test_unreadable_article_is_skipped_and_the_others_exported(seed: Article, out: Path) -> None:
    broken = Article(path=out / "broken.txt", error="not a text file")
    report = export([broken, seed], out / "out.pdf")
    assert not report.ok
    assert report.messages == [f"skipped {broken.path}: not a text file"]
    assert report.written == [out / "out.pdf"]
    assert squash(seed.paragraphs[0].text) in squash("".join(page_texts(out / "out.pdf")))


def test_a_model_failure_is_reported_and_the_rest_still_exported(
    seed: Article, out: Path, install_fr_en: InstalledPackage
) -> None:
    (install_fr_en.path / "model" / "model.bin").write_bytes(b"a corrupted download")
    request = ExportRequest(out / "out.pdf", "en", "interleaved")
    report = export_articles(real_engine(), [seed], request)
    assert not report.ok and report.written == [out / "out.pdf"]
    [message] = report.messages
    assert message.startswith(
        f"{seed.path}: translation failed (the CTranslate2 model is refused: "
    )
    assert message.endswith("its untranslated paragraphs are marked")
    text = squash("".join(page_texts(out / "out.pdf")))
    assert squash(seed.paragraphs[1].text) in text and squash("[translation failed]") in text


def _assert_failed_cleanly(report: ExportReport, folder: Path, before: list[str]) -> None:
    assert not report.ok and report.written == []
    assert len(report.messages) == 1 and "\n" not in report.messages[0]
    assert only(folder) == before, "a file was left behind"


def test_output_folder_that_is_a_file(seed: Article, out: Path) -> None:
    (out / "file").write_text("x")
    report = export([seed], out / "file" / "out.pdf")
    _assert_failed_cleanly(report, out, ["file"])
    assert "cannot write" in report.messages[0] and "not a folder" in report.messages[0]


def test_output_folder_missing_or_output_is_a_folder(seed: Article, out: Path) -> None:
    report = export([seed], out / "nope" / "out.pdf")
    _assert_failed_cleanly(report, out, [])
    (out / "out.pdf").mkdir()
    report = export([seed], out / "out.pdf")
    _assert_failed_cleanly(report, out, ["out.pdf"])


def test_full_disk_leaves_the_old_file_and_no_partial_one(
    seed: Article, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (out / "out.pdf").write_bytes(b"previous export")

    def full_disk(path: Path, data: bytes) -> None:
        with open(path, "wb") as file:
            file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdf, "_write_file", full_disk)
    report = export([seed], out / "out.pdf")
    _assert_failed_cleanly(report, out, ["out.pdf"])
    assert report.messages[0] == f"cannot write {out / 'out.pdf'}: No space left on device"
    assert (out / "out.pdf").read_bytes() == b"previous export"


def test_a_failing_extra_file_writes_nothing(
    seed: Article, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pdf._write_file

    def fail_on_html(path: Path, data: bytes) -> None:
        if ".html." in path.name:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(path, data)

    monkeypatch.setattr(pdf, "_write_file", fail_on_html)
    report = export([seed], out / "out.pdf", also=("md", "html"))
    _assert_failed_cleanly(report, out, [])
    assert "out.html" in report.messages[0]


def test_write_pdf_raises_and_leaves_nothing(
    rich: ExportArticle, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:  # where a full disk surfaces: the data written, not kept
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(private_files.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        write_pdf(rich, out / "out.pdf")
    assert only(out) == []


def test_no_model_for_the_pair_writes_nothing(seed: Article, out: Path) -> None:
    from reader.core.translation.engine import TranslationEngine

    request = ExportRequest(out / "out.pdf", "en")
    report = export_articles(TranslationEngine(cache=None), [seed], request)
    _assert_failed_cleanly(report, out, [])
    assert "no translation model installed" in report.messages[0]

    # Several articles lacking the same model still give one message.
    german = replace(seed.with_source_language("de"), path=out / "de.txt")
    report = export([german, german], out / "out.pdf")
    _assert_failed_cleanly(report, out, [])


def test_cancelled_export_writes_nothing(seed: Article, out: Path) -> None:
    request = ExportRequest(out / "out.pdf", "en")
    report = export_articles(real_engine(), [seed], request, is_cancelled=lambda: True)
    _assert_failed_cleanly(report, out, [])
    assert report.messages == ["export cancelled; nothing written"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layout": "columns"}, "unknown layout"),
        ({"page_size": "A5"}, "unknown page size"),
        ({"also": ("docx",)}, "unknown extra format"),
    ],
)
def test_bad_requests(seed: Article, out: Path, kwargs: dict[str, object], message: str) -> None:
    report = export([seed], out / "out.pdf", **kwargs)
    _assert_failed_cleanly(report, out, [])
    assert report.messages[0].startswith(message)


# -- the real engine, a synthetic model ----------------------------------------------------------


def test_end_to_end_with_a_synthetic_model(
    install_fr_en: object, seed: Article, tmp_path: Path
) -> None:
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import TranslationEngine

    cache = TranslationCache()
    engine = TranslationEngine(cache)
    request = ExportRequest(tmp_path / "out.pdf", "en", also=("mono", "html", "md"))
    progress: list[tuple[int, int]] = []
    report = export_articles(engine, [seed], request, progress=lambda d, t: progress.append((d, t)))
    assert report.ok, report.messages
    assert len(report.written) == 4
    total = progress[-1][1]
    assert total > 0 and progress[0] == (0, total) and progress[-1] == (total, total)

    # Exporting again is served from the cache: no model work, and quick.
    progress.clear()
    report = export_articles(
        engine, [seed], replace(request, also=()), progress=lambda d, t: progress.append((d, t))
    )
    assert report.ok and progress == [(0, 0)]  # nothing needed the model

    cached, _ = engine.translate_article(seed, "en")
    exported = build_article(cached)
    assert exported.header.packages == (install_fr_en.ref,)  # type: ignore[attr-defined]
    words, width = read_words(tmp_path / "out.pdf")
    left = Stream([w for w in words if w.x < width / 2])
    right = Stream([w for w in words if w.x >= width / 2])
    left.locate([row.source for row in exported.rows])
    right.locate([row.shown for row in exported.rows if not row.passthrough])
    cache.close()


# -- outside the test process: no display, and a worker thread -------------------------------


def _run(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


_SCRIPT_ARTICLE = """
from pathlib import Path
from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.translation.results import (
    ArticleTranslation, ParagraphStatus, ParagraphTranslation,
)
from reader.core.presentation.export_document import build_article
text = "« L’été sera chaud », dit-il."
article = Article(path=Path("a.txt"), language="fr",
                  paragraphs=(Paragraph(0, text, ParagraphKind.BODY, "fr"),))
done = ParagraphTranslation(0, text, "It will be hot.", ParagraphKind.BODY,
                            ParagraphStatus.TRANSLATED, "fr")
document = build_article(ArticleTranslation(article, "en", (), [done]))
"""


def _clean_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(REPO)
    return env


def test_works_without_a_display_or_an_application(tmp_path: Path) -> None:
    result = _run(
        _SCRIPT_ARTICLE
        + f"""
import os
from reader.export.pdf import write_pdf
# Many times over: PySide6 6.12 on Python 3.11 loses a reference to None per Qt call,
# which aborts the interpreter after a couple of exports (hence the pin in pyproject.toml).
for _ in range(25):
    write_pdf(document, Path({str(tmp_path / "cli.pdf")!r}))
print(os.environ["QT_QPA_PLATFORM"])
""",
        _clean_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offscreen"
    assert squash("It will be hot.") in squash("".join(page_texts(tmp_path / "cli.pdf")))


def test_works_from_a_worker_thread_of_a_gui_app(out: Path) -> None:
    env = _clean_env()
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = _run(
        _SCRIPT_ARTICLE
        + f"""
import threading
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])  # as the window has; the export runs beside it
from reader.export.pdf import write_pdf
errors = []
def work():
    try:
        for layout in ("side-by-side", "interleaved"):
            write_pdf(document, Path({str(out)!r}) / (layout + ".pdf"), layout)
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
print(errors or "ok")
""",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert only(out) == ["interleaved.pdf", "side-by-side.pdf"]


def test_article_without_model_is_skipped_and_the_rest_exported(
    install_fr_en, seed_paths, tmp_path
) -> None:
    from reader.core.articles.article import Article, Paragraph, ParagraphKind
    from reader.core.articles.parser import parse_file
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import FAST, TranslationEngine
    from reader.export.pdf import ExportRequest, export_articles

    german = Article(
        path=tmp_path / "de.txt",
        title="Ein Titel",
        language="de",
        paragraphs=(Paragraph(0, "Ein Titel", ParagraphKind.TITLE, "de", 0.9),),
    )
    out = tmp_path / "mixed.pdf"
    engine = TranslationEngine(TranslationCache(), options=FAST)
    report = export_articles(engine, [parse_file(seed_paths[1]), german], ExportRequest(out, "en"))
    assert not report.ok and report.written == [out]
    assert len(report.messages) == 1 and "de.txt" in report.messages[0]


# -- exact rows with the echo model ----------------------------------------------------------


def test_echo_model_rows_read_back_exactly(
    install_fr_en: object, seed: Article, tmp_path: Path, echo: Callable[[str], str]
) -> None:
    """With the echo model every translation is known: the PDF's right column must read,
    row by row, exactly the tokenizer-normalized original."""
    report = export([seed], tmp_path / "echo.pdf", layout="side-by-side")
    assert report.ok, report.messages
    cached, _ = real_engine().translate_article(seed, "en")
    rows = [row for row in build_article(cached).rows if not row.passthrough]
    by_index = {p.index: p for p in seed.paragraphs}
    assert len(rows) > 5
    for row in rows:
        assert row.status is ParagraphStatus.CACHED
        assert row.shown == echo(by_index[row.index].text)
    words, width = read_words(tmp_path / "echo.pdf")
    right = Stream([w for w in words if w.x >= width / 2])
    right.locate([row.shown for row in rows])


def test_a_cut_translation_is_printed_with_its_mark(seed: Article, tmp_path: Path) -> None:
    first = seed.paragraphs[1]
    cut = ParagraphTranslation(
        first.index, first.text, "Words until the limit", first.kind,
        ParagraphStatus.TRUNCATED, "fr",
    )
    document = build_article(ArticleTranslation(seed, "en", (), [cut]))
    [row] = [row for row in document.rows if row.index == first.index]
    assert row.note == TRUNCATED_NOTE == status_mark(cut.status)
    path = write_pdf(document, tmp_path / "cut.pdf", "side-by-side")
    words, width = read_words(path)
    right = Stream([w for w in words if w.x >= width / 2])
    right.locate(["Words until the limit", TRUNCATED_NOTE])
