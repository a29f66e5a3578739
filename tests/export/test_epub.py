"""The bilingual EPUB export, checked by EPUBCheck (0 errors) and by reading the files back.

Articles (hand-made translations: edited, failed, missing, truncated rows), a book through
the real engine with the echo model (a post-edited chapter heading, a cover, a footnote),
EPUB 2 input, an Arabic target (right to left), both layouts, and the command line.
EPUBCheck (Debian ``epubcheck``, Java) takes ~5 s a file: each test validates its files in
one parallel batch; without it the checks skip, saying so, and the content asserts run.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from reader.cli import main
from reader.core.articles.article import Article, ArticleKind, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.library.formats import read_file
from reader.core.presentation.export_document import FAILED_PLACEHOLDER, PENDING_PLACEHOLDER
from reader.core.presentation.row_display import TRUNCATED_NOTE
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import FAST, TranslationEngine
from reader.core.translation.results import ArticleTranslation, ParagraphStatus
from reader.export.epub import render_epub
from reader.export.epub_export import EpubRequest, epub_book, export_epub
from testkit.epub_books import Doc, build_epub, tiny_png
from tests.export.test_export_model import fake_text, fake_translation

REPO = Path(__file__).resolve().parents[2]
SEED_000 = REPO / "seeds" / "000_54e85f053ada47e1.txt"
SEED_002 = REPO / "seeds" / "002_5cd07c1ed0724f90.txt"
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
X = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
MODIFIED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def epubcheck(*paths: Path) -> None:
    """EPUBCheck on every file at once (one JVM each, in parallel): 0 errors, 0 fatals."""
    java = shutil.which("java")
    if java is None or not EPUBCHECK.exists():
        pytest.skip("EPUBCheck is not installed (Debian package epubcheck; see .ci/run)")
    runs = [(path, subprocess.Popen(
        [java, "-jar", str(EPUBCHECK), str(path), "-q", "-j", str(path) + ".json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)) for path in paths]
    for path, run in runs:
        _, err = run.communicate(timeout=180)
        report = json.loads(Path(str(path) + ".json").read_text(encoding="utf-8"))
        bad = [f"{m['severity']} {m['ID']} {m['message']} {m['locations'][:1]}"
               for m in report["messages"] if m["severity"] in ("ERROR", "FATAL")]
        assert bad == [] and run.returncode == 0, (path.name, bad, err[-500:])


class Book:
    """An exported EPUB opened for reading: its OPF, nav, NCX and chapters as XML trees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.files = {i.filename: archive.read(i) for i in self.infos}
        self.opf = ET.fromstring(self.files["OEBPS/content.opf"])
        self.nav = ET.fromstring(self.files["OEBPS/nav.xhtml"])
        self.ncx = ET.fromstring(self.files["OEBPS/toc.ncx"])
        spine = [r.get("idref") for r in self.opf.iter(f"{OPF}itemref")]
        hrefs = {i.get("id"): i.get("href") for i in self.opf.iter(f"{OPF}item")}
        self.spine = [hrefs[idref] for idref in spine]
        self.chapters = [ET.fromstring(self.files[f"OEBPS/{n}"]) for n in self.spine
                         if n.startswith("ch")]

    @property
    def languages(self) -> list[str]:
        return [e.text or "" for e in self.opf.iter(f"{DC}language")]

    def title(self) -> str:
        return next(self.opf.iter(f"{DC}title")).text or ""

    def nav_labels(self) -> list[str]:
        return [" | ".join(" ".join(s.itertext()) for s in a) for a in self.nav.iter(f"{X}a")]

    def ncx_labels(self) -> list[str]:
        return [t.text or "" for t in self.ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}text")][1:]

    def blocks(self, number: int) -> list[tuple[str, str, str, str]]:
        """Chapter ``number``'s (tag, class, lang, text) in its section, in order."""
        section = next(self.chapters[number].iter(f"{X}section"))
        out = []
        for element in section:
            tag = element.tag.removeprefix(X)
            if tag == "blockquote":
                element = element[0]
            out.append((tag, element.get("class", ""), element.get("lang", ""),
                        "".join(element.itertext())))
        return out


def assert_every_element_has_its_language(book: Book) -> None:
    for name, data in book.files.items():
        if not name.endswith(".xhtml"):
            continue
        for element in ET.fromstring(data).iter():
            lang = element.get("lang")
            assert lang and element.get(XML_LANG) == lang, (name, element.tag)
            assert (element.get("dir") == "rtl") == (lang == "ar"), (name, element.tag)


def check_container(book: Book) -> None:
    first = book.infos[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.files["mimetype"] == b"application/epub+zip"


# -- articles: a reading list ------------------------------------------------------------------


@pytest.fixture(scope="module")
def translations() -> list[ArticleTranslation]:
    first = fake_translation(parse_file(SEED_000), edited=(2,), failed=(3,), missing=(4,))
    first.paragraphs = [replace(t, status=ParagraphStatus.TRUNCATED) if t.index == 5 else t
                        for t in first.paragraphs]
    return [first, fake_translation(parse_file(SEED_002))]


def test_articles_make_a_valid_reading_list_in_both_layouts(
    tmp_path: Path, translations: list[ArticleTranslation]
) -> None:
    paths = []
    for layout in ("interleaved", "translation-only"):
        path = tmp_path / f"{layout}.epub"
        path.write_bytes(render_epub(epub_book(translations, "en"), layout, MODIFIED))
        paths.append(path)
    epubcheck(*paths)
    interleaved, mono = Book(paths[0]), Book(paths[1])
    for book in (interleaved, mono):
        check_container(book)
        assert_every_element_has_its_language(book)
        assert book.spine == ["ch001.xhtml", "ch002.xhtml"]
        assert b"2026-01-02T03:04:05Z" in book.files["OEBPS/content.opf"]
        assert book.title() == "2 articles (English)"
    assert interleaved.languages == ["fr", "en"] and mono.languages == ["en", "fr"]

    first = translations[0]
    article = first.article
    title = article.paragraphs[0]
    assert interleaved.nav_labels() == [
        f"{t.article.paragraphs[0].text} | {fake_text(t.article.paragraphs[0])}"
        for t in translations]
    assert mono.ncx_labels() == [fake_text(t.article.paragraphs[0]) for t in translations]

    rows = interleaved.blocks(0)
    p = article.paragraphs
    assert rows[:5] == [
        ("h1", "src", "fr", title.text), ("p", "tr title", "en", fake_text(title)),
        ("p", "meta", "en", "2022-09"), ("p", "meta", "en", f"Source: {SEED_000.name}"),
        ("p", "meta", "en", "French → English · Models: translate-fr_en 1.9"),
    ]
    by_text = {(text, cls): lang for _, cls, lang, text in rows}
    assert by_text[(p[1].text, "src lede")] == "fr"
    assert by_text[(fake_text(p[1]), "tr lede")] == "en"
    assert by_text[("EN2 my own words", "tr caption edited")] == "en"  # a post-edit, as edited
    assert by_text[(FAILED_PLACEHOLDER, "tr missing caption")] == "en"
    truncated = f"{fake_text(p[5])} {TRUNCATED_NOTE}"
    assert [r for r in rows if "truncated" in r[1] or "missing" in r[1]] == [
        ("p", "tr missing caption", "en", FAILED_PLACEHOLDER),
        ("p", "tr missing", "en", PENDING_PLACEHOLDER),
        ("p", "tr truncated", "en", truncated),
    ]
    note = next(next(interleaved.chapters[0].iter(f"{X}section")).iter(f"{X}span"))
    assert (note.get("class"), note.text) == ("note", TRUNCATED_NOTE)
    # Translation only: the originals left are those of the rows without a translation.
    mono_rows = mono.blocks(0)
    assert mono_rows[0] == ("h1", "tr", "en", fake_text(title))
    assert [r for r in mono_rows if "src" in r[1]] == [
        ("p", "src untranslated caption", "fr", f"{p[3].text} {FAILED_PLACEHOLDER}"),
        ("p", "src untranslated", "fr", f"{p[4].text} {PENDING_PLACEHOLDER}"),
    ]
    assert ("p", "tr truncated", "en", truncated) in mono_rows
    assert ("p", "tr caption edited", "en", "EN2 my own words") in mono_rows


def test_an_arabic_translation_is_right_to_left(tmp_path: Path) -> None:
    article = parse_file(SEED_002)
    arabic = fake_translation(article, target="ar")
    arabic = replace(arabic, paragraphs=[
        replace(p, translation=f"ترجمة {p.index}") if p.status is ParagraphStatus.TRANSLATED
        else p for p in arabic.paragraphs])
    paths = []
    for layout in ("interleaved", "translation-only"):
        path = tmp_path / f"ar-{layout}.epub"
        path.write_bytes(render_epub(epub_book([arabic], "ar"), layout, MODIFIED))
        paths.append(path)
    epubcheck(*paths)
    interleaved, mono = Book(paths[0]), Book(paths[1])
    assert interleaved.languages == ["fr", "ar"] and mono.languages == ["ar", "fr"]
    for book in (interleaved, mono):
        assert_every_element_has_its_language(book)  # dir="rtl" exactly on Arabic elements
    assert interleaved.blocks(0)[1] == ("p", "tr title", "ar", "ترجمة 0")
    spine = mono.opf.find(f"{OPF}spine")
    assert spine is not None and spine.get("page-progression-direction") == "rtl"
    assert interleaved.opf.find(f"{OPF}spine").get("page-progression-direction") is None


# -- a book, through the real engine --------------------------------------------------------------


def make_book(folder: Path, version: int = 3) -> Path:
    docs = [
        Doc("cover.xhtml", '<img src="cover.png" alt="Couverture"/>', "Couverture",
            in_toc=False, body_type="cover"),
        Doc("title.xhtml", "<h1>Le Roman</h1><p>Roman</p>", "Titre", in_toc=False,
            body_type="frontmatter titlepage"),
        Doc("c1.xhtml", '<h1>Un</h1><p>La maison est grande et le jardin est beau.'
            '<a epub:type="noteref" href="#n1">1</a></p>'
            '<aside epub:type="footnote" id="n1"><p>Une note en bas de page.</p></aside>'
            if version == 3 else "<h1>Un</h1><p>La maison est grande et le jardin est beau.</p>",
            "Un"),
        Doc("c2.xhtml", "<h1>Deux</h1><p>Il pleut sur le village.</p><p>Le soir tombe.</p>",
            "Deux"),
    ]
    # build_epub names the image after the manifest's length: the nav (or NCX), the docs.
    image_id = f"i{len(docs) + 1}"
    return build_epub(folder / f"roman{version}.epub", docs, version=version, title="Le Roman",
                      creators=[("Anne Auteur", "aut")], date="1869", publisher="Essai",
                      extra={"OEBPS/cover.png": tiny_png()},
                      extra_metadata=f'<meta name="cover" content="{image_id}"/>')


def engine() -> TranslationEngine:
    return TranslationEngine(TranslationCache(), options=FAST)


def test_a_book_keeps_its_chapters_cover_and_translated_titles(
    tmp_path: Path, install_fr_en: object, echo
) -> None:
    book = read_file(make_book(tmp_path))
    assert book.ok and book.kind is ArticleKind.BOOK
    assert [c.title for c in book.chapters] == ["Le Roman", "Un", "Deux"]
    translator = engine()
    # The reader's own title for chapter "Un": a post-edit is the title everywhere.
    heading = next(p for p in book.paragraphs if p.text == "Un")
    from reader.core.translation.results import ParagraphTranslation

    assert translator.set_edit(ParagraphTranslation(
        heading.index, "Un", "One", heading.kind, ParagraphStatus.TRANSLATED, "fr"), "en",
        "Chapter One")
    progress: list[tuple[int, int]] = []
    paths = []
    for layout in ("interleaved", "translation-only"):
        path = tmp_path / f"book-{layout}.epub"
        report = export_epub(translator, [book], EpubRequest(path, "en", layout),
                             progress=lambda d, t: progress.append((d, t)))
        assert report.ok and report.messages == [] and report.written == [path]
        paths.append(path)
    epubcheck(*paths)
    assert progress[-1][0] == progress[-1][1]
    interleaved, mono = Book(paths[0]), Book(paths[1])
    for exported in (interleaved, mono):
        check_container(exported)
        assert_every_element_has_its_language(exported)
        assert exported.spine == ["cover.xhtml", "ch001.xhtml", "ch002.xhtml", "ch003.xhtml"]
        assert exported.files["OEBPS/cover.png"] == tiny_png()
        cover = [i for i in exported.opf.iter(f"{OPF}item") if i.get("href") == "cover.png"]
        assert cover[0].get("properties") == "cover-image"
        assert [e.text for e in exported.opf.iter(f"{DC}creator")] == ["Anne Auteur"]
        assert [e.text for e in exported.opf.iter(f"{DC}date")] == ["1869"]
    # Echo titles equal their originals: only the edited one shows a second language.
    assert interleaved.nav_labels() == ["Le Roman", "Un | Chapter One", "Deux"]
    assert mono.ncx_labels() == ["Le Roman", "Chapter One", "Deux"]
    assert interleaved.blocks(1) == [
        ("h1", "src", "fr", "Un"), ("p", "tr title", "en", "Chapter One"),
        ("p", "src", "fr", "La maison est grande et le jardin est beau.[1]"),
        ("p", "tr", "en", echo("La maison est grande et le jardin est beau.[1]")),
        ("p", "src footnote", "fr", "[1] Une note en bas de page."),
        ("p", "tr footnote", "en", echo("[1] Une note en bas de page.")),
    ]
    assert mono.blocks(2) == [
        ("h1", "src", "fr", "Deux"),
        ("p", "tr", "en", echo("Il pleut sur le village.")),
        ("p", "tr", "en", echo("Le soir tombe.")),
    ]
    sections = [next(c.iter(f"{X}section")).get("{http://www.idpf.org/2007/ops}type")
                for c in mono.chapters]
    assert sections == ["frontmatter", "chapter", "chapter"]
    # Read back by the app's own EPUB reader: a book with the same chapters.
    again = read_file(paths[1])
    assert again.ok and [c.title for c in again.chapters] == ["Le Roman", "Chapter One", "Deux"]


def test_an_epub2_book_exports_too(tmp_path: Path, install_fr_en: object) -> None:
    book = read_file(make_book(tmp_path, version=2))
    assert book.ok and len(book.chapters) == 3
    path = tmp_path / "from-epub2.epub"
    assert export_epub(engine(), [book], EpubRequest(path, "en")).ok
    epubcheck(path)
    assert Book(path).files["OEBPS/cover.png"] == tiny_png()


def test_problems_are_one_line_and_write_nothing(tmp_path: Path, install_fr_en: object) -> None:
    article = parse_file(SEED_002)
    assert export_epub(engine(), [article], EpubRequest(tmp_path / "x.epub", "en",
                                                        "side-by-side")).messages == [
        "unknown layout 'side-by-side' for an EPUB (choose interleaved or translation-only)"]
    report = export_epub(engine(), [article], EpubRequest(tmp_path / "no" / "x.epub", "en"))
    assert report.messages == [f"cannot write {tmp_path / 'no' / 'x.epub'}: no such folder "
                               f"({tmp_path / 'no'})"]
    broken = Article(path=tmp_path / "broken.epub", error="not a valid EPUB")
    report = export_epub(engine(), [broken], EpubRequest(tmp_path / "x.epub", "en"))
    assert report.messages == [f"skipped {broken.path}: not a valid EPUB",
                               "nothing to export: no readable article"]
    report = export_epub(engine(), [article], EpubRequest(tmp_path / "x.epub", "en"),
                         is_cancelled=lambda: True)
    assert report.messages == ["export cancelled; nothing written"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xdg"]  # the test's own folders


# -- the command line ------------------------------------------------------------------------------


def test_cli_exports_an_epub_by_its_suffix(
    tmp_path: Path, install_fr_en: object, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_book(tmp_path)
    out = tmp_path / "out.epub"
    code = main(["export", str(book), str(SEED_002), "-o", str(out), "--layout",
                 "translation-only", "--to", "en"])
    stdout, stderr = capsys.readouterr()
    assert (code, stdout, stderr) == (0, f"{out}\n", "")
    exported = Book(out)
    assert exported.languages == ["en", "fr"]
    assert len(exported.chapters) == 3 + 1  # the book's chapters, then the article
    epubcheck(out)


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "x.epub", "--layout", "side-by-side"],
     "an EPUB is interleaved or translation-only (side by side needs a page: export a PDF)"),
    (["-o", "x.epub", "--also", "md"], "--also is for a PDF, not an EPUB"),
    (["-o", "x.epub", "--page-size", "A4"], "--page-size is for a PDF, not an EPUB"),
    (["-o", "x.pdf", "--layout", "translation-only"],
     "translation-only is an EPUB layout (for a PDF: --also mono)"),
])
def test_cli_usage_errors(args: list[str], message: str,
                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(SEED_002), *args])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"bilingual-reader export: error: {message}"


def test_titles_named_only_by_the_table_of_contents_are_translated_too(
    tmp_path: Path, install_fr_en: object
) -> None:
    from reader.core.translation.results import ParagraphTranslation
    from testkit.epub_books import TocEntry

    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>La maison est grande.</p>", "Un"),
            Doc("c2.xhtml", "<p>Il pleut sur le village.</p>", "Deux")]
    toc = [TocEntry("Premier chapitre", "c1.xhtml"), TocEntry("Second chapitre", "c2.xhtml")]
    book = read_file(build_epub(tmp_path / "toc.epub", docs, title="Le Roman", toc=toc))
    assert [c.title for c in book.chapters] == ["Premier chapitre", "Second chapitre"]
    translator = engine()
    # The reader's own words for two texts only the table of contents and the OPF hold: they
    # are translated as a text of their own, through the cache, where edits win.
    for source, edit in (("Le Roman", "The Novel"), ("Second chapitre", "Second chapter")):
        assert translator.set_edit(ParagraphTranslation(
            0, source, source, ParagraphKind.TITLE, ParagraphStatus.TRANSLATED, "fr"), "en",
            edit)
    path = tmp_path / "out.epub"
    assert export_epub(translator, [book], EpubRequest(path, "en")).ok
    exported = Book(path)
    assert exported.title() == "Le Roman / The Novel"
    assert exported.ncx_labels() == ["Premier chapitre", "Second chapitre / Second chapter"]
    # The heading "Un" is not the chapter's title here: it stays a row of its own.
    assert exported.blocks(0)[:2] == [("h1", "src", "fr", "Premier chapitre"),
                                      ("h2", "src", "fr", "Un")]


def test_a_paragraph_already_in_the_target_language_is_printed_once(tmp_path: Path) -> None:
    translation = fake_translation(parse_file(SEED_002))
    english = [p for p in translation.paragraphs if p.status is ParagraphStatus.PASSTHROUGH]
    assert english, "seed 002 ends with English boilerplate"
    for layout in ("interleaved", "translation-only"):
        path = tmp_path / f"{layout}.epub"
        path.write_bytes(render_epub(epub_book([translation], "en"), layout, MODIFIED))
        rows = Book(path).blocks(0)
        for paragraph in english:
            shown = [r for r in rows if r[3] == " ".join(paragraph.source.split())]
            assert [r[1].split()[:2] for r in shown] == [["src", "same"]], layout
            assert shown[0][2] == "en"


def test_characters_xml_cannot_hold_are_dropped_not_fatal(tmp_path: Path) -> None:
    from reader.core.articles.article import Paragraph

    article = Article(path=tmp_path / "odd.txt", title="Titre", language="fr", paragraphs=(
        Paragraph(0, "Titre", ParagraphKind.TITLE, "fr"),
        Paragraph(1, "Un\x01 mot <b>&amp; \ufffeun autre.", ParagraphKind.BODY, "fr")))
    path = tmp_path / "odd.epub"
    path.write_bytes(render_epub(epub_book([fake_translation(article)], "en"), "interleaved"))
    assert Book(path).blocks(0)[-2][3] == "Un mot <b>&amp; un autre."
