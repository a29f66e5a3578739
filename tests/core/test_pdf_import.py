"""PDF in: real PDFs drawn by the tests (QPdfWriter, or byte by byte) read back as articles.

The multi-column magazine pages carry a running header and page numbers; reading them back
must give the paragraphs word for word, in order, with neither among them. Most tests parse
in this process (``read_pdf_bytes``); the end-to-end ones go through ``parse_pdf`` and its
limited child process.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from reader.core.articles.article import ParagraphKind
from reader.core.pdf import importer
from reader.core.pdf.extract import NO_TEXT_LAYER, UNMAPPED_TEXT, read_pdf_bytes
from reader.core.pdf.importer import parse_pdf
from testkit.pdf_pages import (
    CUTTABLE,
    EXPECTED,
    GLYPHS_ONLY,
    HEADER,
    PARAGRAPHS,
    TITLE,
    Layout,
    Line,
    raw_pdf,
    typeset,
    write_pdf,
)


@pytest.fixture(scope="module")
def magazine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[Line]]]:
    """Two columns, three pages, a title over both columns, header and page numbers."""
    layout = Layout(title=TITLE, bottom=330.0)
    pages = typeset(CUTTABLE, layout)
    path = write_pdf(tmp_path_factory.mktemp("pdf") / "magazine.pdf", pages)
    return path, pages


def test_the_magazine_fixture_has_what_the_tests_need(
    magazine: tuple[Path, list[list[Line]]],
) -> None:
    _path, pages = magazine
    assert len(pages) >= 3
    body = [line for page in pages for line in page if line.size == 10.0]
    # Words cut at line ends, and lines in both columns of every page.
    assert sum(line.text.endswith("-") for line in body) >= 6
    for page in pages[:-1]:
        assert {line.x < 300 for line in page if line.size == 10.0} == {True, False}


def test_two_columns_read_back_word_for_word_without_header_or_page_numbers(
    magazine: tuple[Path, list[list[Line]]],
) -> None:
    path, _pages = magazine
    article = parse_pdf(path)  # through the child process
    assert article.error is None
    assert article.title == TITLE
    texts = [p.text for p in article.paragraphs]
    assert texts == [TITLE, *EXPECTED]
    assert [p.kind for p in article.paragraphs[:3]] == [
        ParagraphKind.TITLE, ParagraphKind.LEDE, ParagraphKind.BODY,
    ]
    assert article.language == "fr"
    for text in texts:
        assert HEADER not in text
        assert not re.fullmatch(r"\d+", text)
        assert not re.search(r"\b[1-9]\b", text)  # no page number glued to a paragraph


def test_a_naive_text_dump_would_interleave_headers_the_reader_does_not(
    magazine: tuple[Path, list[list[Line]]],
) -> None:
    """The fixture is hard enough: pypdf's plain dump keeps the header and page numbers."""
    pypdf = pytest.importorskip("pypdf")
    path, _pages = magazine
    dump = " ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    assert dump.count(HEADER.split()[0]) >= 3
    got = read_pdf_bytes(path.read_bytes())
    assert " ".join(t for t, _ in got.paragraphs).count("Revue") == 0


def test_three_columns_spaced_paragraphs_and_headers_with_page_numbers(tmp_path: Path) -> None:
    layout = Layout(
        columns=((40.0, 160.0), (217.0, 160.0), (394.0, 160.0)),
        indent=0.0,
        paragraph_space=8.0,
        header=None,
        bottom=420.0,
        extra={n: [Line(40.0, 45.0, f"Le Courrier du soir · page {n}", 8.0)] for n in (1, 2, 3)},
    )
    pages = typeset(CUTTABLE[:10], layout)
    assert len(pages) >= 2
    got = read_pdf_bytes(write_pdf(tmp_path / "three.pdf", pages).read_bytes())
    assert got.error is None
    assert [t for t, _ in got.paragraphs] == EXPECTED[:10]


def test_hyphenation_at_line_ends(tmp_path: Path) -> None:
    lines = [
        "Les chercheurs ont mené une expé-",
        "rience à Lyon ; c’est peut-",
        "être la première fois que le porte-",
        "monnaie des ménages, selon Jean-",
        "Pierre Martin, pèse autant. Beau-",
        "coup l’ont dit-",
        "il, c’est-à-",
        "dire tous les élus de 2019 -",
        "2020 et de la région Provence-",
        "Alpes, sans anti-",
        "inflammatoire ni anti-inflammatoire.",
    ]
    page = [Line(60.0, 100.0 + 14.0 * k, text) for k, text in enumerate(lines)]
    got = read_pdf_bytes(write_pdf(tmp_path / "hyphens.pdf", [page]).read_bytes())
    assert [t for t, _ in got.paragraphs] == [
        "Les chercheurs ont mené une expérience à Lyon ; c’est peut-être la première fois que "
        "le porte-monnaie des ménages, selon Jean-Pierre Martin, pèse autant. Beaucoup l’ont "
        "dit-il, c’est-à-dire tous les élus de 2019 - 2020 et de la région Provence-Alpes, sans "
        "anti-inflammatoire ni anti-inflammatoire."
    ]


def test_single_column_article_with_its_title_from_the_largest_text(tmp_path: Path) -> None:
    layout = Layout(
        columns=((70.0, 455.0),), title="Un hiver sans neige dans les Alpes", header=None,
        page_numbers=False,
    )
    pages = typeset(PARAGRAPHS[:4], layout)
    path = write_pdf(tmp_path / "article.pdf", pages, title="Microsoft Word - brouillon.docx")
    article = parse_pdf(path)
    assert article.error is None
    assert article.title == "Un hiver sans neige dans les Alpes"
    assert [p.text for p in article.paragraphs] == [article.title, *EXPECTED[:4]]


def test_title_from_the_metadata_when_no_text_stands_out(tmp_path: Path) -> None:
    layout = Layout(columns=((70.0, 455.0),), header=None, page_numbers=False)
    pages = typeset(PARAGRAPHS[:2], layout)
    sensible = read_pdf_bytes(
        write_pdf(tmp_path / "a.pdf", pages, title="Rapport sur l’énergie").read_bytes()
    )
    assert sensible.title == "Rapport sur l’énergie"
    assert [t for t, _ in sensible.paragraphs] == EXPECTED[:2]
    junk = read_pdf_bytes(
        write_pdf(tmp_path / "b.pdf", pages, title="Microsoft Word - brouillon.docx").read_bytes()
    )
    assert junk.title == ""
    article = importer.article_from(tmp_path / "b.pdf", junk)
    assert article.display_title == "b"
    assert [p.kind for p in article.paragraphs] == [ParagraphKind.LEDE, ParagraphKind.BODY]


def test_a_scanned_pdf_without_a_text_layer_is_one_line(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[], []], images={1: (40, 40, 500, 700),
                                                             2: (40, 40, 500, 700)})
    article = parse_pdf(path)
    assert article.error == NO_TEXT_LAYER == "no text layer; OCR is not supported"
    assert article.paragraphs == ()


def test_glyphs_without_characters_are_not_read_as_text() -> None:
    data = raw_pdf([b"BT /F1 12 Tf 72 700 Td <0041004200430044> Tj ET"], font=GLYPHS_ONLY)
    got = read_pdf_bytes(data)
    assert got.error == UNMAPPED_TEXT
    assert got.paragraphs == []


def test_encrypted_pdfs(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    source = write_pdf(tmp_path / "plain.pdf", typeset(PARAGRAPHS[:2], Layout(header=None)))
    for name, user in (("locked.pdf", "secret"), ("owner-only.pdf", "")):
        writer = pypdf.PdfWriter(clone_from=str(source))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        with open(tmp_path / name, "wb") as handle:
            writer.write(handle)
    locked = parse_pdf(tmp_path / "locked.pdf")
    assert locked.error == "encrypted PDF (a password is needed); not read"
    # Only an owner password (printing or copying "restricted"): readable, as in any viewer.
    opened = read_pdf_bytes((tmp_path / "owner-only.pdf").read_bytes())
    assert [t for t, _ in opened.paragraphs] == EXPECTED[:2]


def test_broken_files_are_one_line(tmp_path: Path) -> None:
    good = raw_pdf([b"BT /F1 12 Tf 72 700 Td (Bonjour le monde) Tj ET"])
    assert [t for t, _ in read_pdf_bytes(good).paragraphs] == ["Bonjour le monde"]
    cases = {
        "cut.pdf": good[: len(good) // 2],
        "garbage.pdf": b"%PDF-1.4\n" + b"garbage " * 200,
        "empty-tree.pdf": raw_pdf([]),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        article = parse_pdf(tmp_path / name)
        assert article.error, name
        assert "\n" not in article.error and len(article.error) < 100, article.error
    (tmp_path / "fake.pdf").write_text("Un texte, pas un PDF.", encoding="utf-8")
    assert parse_pdf(tmp_path / "fake.pdf").error == "not a PDF (no PDF header)"
    assert parse_pdf(tmp_path / "missing.pdf").error


def test_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [
        [Line(60.0, 100.0, f"Page numéro {word} du rapport annuel.")]
        for word in ("une", "deux", "trois", "quatre")
    ]
    path = write_pdf(tmp_path / "four.pdf", pages)
    monkeypatch.setattr(importer, "MAX_PAGES", 2)
    article = parse_pdf(path)
    assert [p.text for p in article.paragraphs] == [
        "Page numéro une du rapport annuel.",
        "Page numéro deux du rapport annuel.",
        "[Only the first 2 pages of this PDF are shown: the reader reads at most 2 pages or "
        "3,000,000 characters of a PDF.]",
    ]
    note = article.paragraphs[-1]
    assert (note.kind, note.language) == (ParagraphKind.BOILERPLATE, "en")
    assert article.language == "fr"  # the note does not change what the article is in


@pytest.mark.slow
def test_a_decompression_bomb_stops_at_the_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packer = zlib.compressobj(6)
    zeros = b"0 " * (8 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(24)) + packer.flush()  # 384 MB
    path = tmp_path / "bomb.pdf"
    path.write_bytes(raw_pdf([bomb], compressed=True))
    assert path.stat().st_size < 4 << 20
    monkeypatch.setattr(importer, "MEMORY_BYTES", 256 << 20)
    article = parse_pdf(path)
    assert article.error == "PDF too large to read (memory limit reached)"


@pytest.mark.slow
def test_work_is_bounded_by_the_cpu_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Thousands of tiny text objects: far more than a second of pdfminer's work.
    ops = b"".join(
        b"BT /F1 1 Tf %d %d Td (x) Tj ET\n" % (k % 500, k // 500) for k in range(400_000)
    )
    path = tmp_path / "busy.pdf"
    path.write_bytes(raw_pdf([zlib.compress(ops)], compressed=True))
    monkeypatch.setattr(importer, "CPU_SECONDS", 1)
    article = parse_pdf(path)
    assert article.error == "PDF too complex to read (over 1 s of work); not read"


def test_a_drop_cap_starts_its_word_and_text_drawn_twice_is_read_once(tmp_path: Path) -> None:
    page = [
        Line(60.0, 120.0, "L", 40.0),
        Line(60.0, 60.0, "Un titre de taille moyenne", 16.0),
        Line(60.3, 60.2, "Un titre de taille moyenne", 16.0),  # a fake-bold second pass
        Line(100.0, 100.0, "es chercheurs ont mené une longue enquête à Lyon.", 10.0),
    ]
    got = read_pdf_bytes(write_pdf(tmp_path / "cap.pdf", [page]).read_bytes())
    assert got.title == "Un titre de taille moyenne"
    assert [t for t, _ in got.paragraphs] == [
        "Un titre de taille moyenne",
        "Les chercheurs ont mené une longue enquête à Lyon.",
    ]


def test_footnote_calls_are_left_out_of_the_text(tmp_path: Path) -> None:
    page = [
        Line(60.0, 100.0, "La loi a été signée par le président", 10.0),
        Line(232.0, 96.0, "1", 6.0),  # raised, small: a footnote call
        Line(236.0, 100.0, " le 28 octobre 1998.", 10.0),
    ]
    got = read_pdf_bytes(write_pdf(tmp_path / "note.pdf", [page]).read_bytes())
    assert [t for t, _ in got.paragraphs] == [
        "La loi a été signée par le président le 28 octobre 1998."
    ]


def _hostile(name: str) -> bytes:
    hello = b"BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET"
    if name == "page tree loop":
        return raw_pdf([hello]).replace(b"/Kids [3 0 R]", b"/Kids [2 0 R 3 0 R]")
    if name == "form drawing itself":
        data = raw_pdf([b"/X1 Do " + hello])
        data = data.replace(
            b"/Resources << /Font << /F1 5 0 R >> >>",
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 4 0 R >> >>",
        )
        return data.replace(
            b"<< /Length",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
            b" /Resources << /XObject << /X1 4 0 R >> /Font << /F1 5 0 R >> >> /Length",
        )
    assert name == "arrays nested 200,000 deep"
    return raw_pdf([b"[" * 200_000 + b"]" * 200_000 + b" " + hello])


@pytest.mark.parametrize(
    "name", ["page tree loop", "form drawing itself", "arrays nested 200,000 deep"]
)
def test_crafted_structures_end_and_keep_the_text(name: str) -> None:
    found = importer.read_pdf(_hostile(name))
    assert found.error is None
    assert [t for t, _ in found.paragraphs] == ["Bonjour"]


def test_no_break_spaces_are_kept(tmp_path: Path) -> None:
    text = "«\u00a0Nous attendons\u00a0», a-t-il dit\u00a0: oui\u202f!"
    got = read_pdf_bytes(write_pdf(tmp_path / "nbsp.pdf", [[Line(60.0, 100.0, text)]]).read_bytes())
    assert [t for t, _ in got.paragraphs] == [text]


def test_a_one_page_document_loses_its_header_and_page_number(tmp_path: Path) -> None:
    pages = typeset(CUTTABLE[:4], Layout(title=TITLE, bottom=500.0))
    assert len(pages) == 1
    got = read_pdf_bytes(write_pdf(tmp_path / "one.pdf", pages).read_bytes())
    assert [t for t, _ in got.paragraphs] == [TITLE, *EXPECTED[:4]]
