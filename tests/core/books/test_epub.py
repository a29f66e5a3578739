"""EPUB 2 and 3 books read into one Article with chapters: exact paragraphs and chapters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.core.articles.article import ArticleKind, Chapter, ChapterRole, ParagraphKind
from reader.core.books import package as package_module
from reader.core.books.epub import read_epub
from testkit.epub_books import CONTAINER, Doc, TocEntry, build_epub, tiny_png, write_zip

B, T, N, C, Q, BP = (ParagraphKind.BODY, ParagraphKind.TITLE, ParagraphKind.NOTE,
                     ParagraphKind.CAPTION, ParagraphKind.QUOTE, ParagraphKind.BOILERPLATE)
FRONT, BODY, BACK = ChapterRole.FRONT, ChapterRole.BODY, ChapterRole.BACK


def rows(book) -> list[tuple[ParagraphKind, str]]:
    return [(p.kind, p.text) for p in book.paragraphs]


def chapters(book) -> list[tuple[str, int, int, ChapterRole]]:
    return [(c.title, c.start, c.count, c.role) for c in book.chapters]


def test_epub3_novel_metadata_nav_footnotes_images_front_matter(tmp_path: Path) -> None:
    docs = [
        Doc("cover.xhtml", '<div><img src="cover.png" alt="Couverture"/></div>', "Couverture",
            in_toc=False, body_type="cover"),
        Doc("title.xhtml", "<h1>Le Voyage</h1><p>roman</p>", "Titre", in_toc=False,
            body_type="frontmatter titlepage"),
        Doc("copyright.xhtml", "<p>© 2026 Éditions Essai. Tous droits réservés.</p>",
            "Mentions", in_toc=False, body_type="copyright-page"),
        Doc("c1.xhtml",
            '<section epub:type="chapter"><h1>Chapitre premier</h1>'
            "<p>La maison est grande, et le jardin descend jusqu’à la rivière.</p>"
            '<p>Il pleut depuis trois jours<a epub:type="noteref" href="#n1">1</a>.</p>'
            "<blockquote><p>« Rien ne presse », dit-elle.</p></blockquote>"
            '<figure><img src="cover.png" alt="Le jardin sous la pluie"/>'
            "<figcaption>Le jardin en automne.</figcaption></figure>"
            '<aside epub:type="footnote" id="n1"><p>Depuis le lundi.</p></aside></section>',
            "Chapitre premier"),
        Doc("c2.xhtml",
            '<h1 id="top">Chapitre deux</h1><p>Le lendemain, le ciel était clair.</p>'
            '<h2 id="s2">Le retour</h2><p>Ils rentrèrent à la nuit tombée.</p>',
            "Chapitre deux"),
    ]
    docs[4].body = docs[4].body.replace(
        "<p>Ils", '<p><span epub:type="pagebreak" id="p7" title="7">7</span>Ils')
    toc = [TocEntry("Chapitre premier", "c1.xhtml"),
           TocEntry("Chapitre deux", "c2.xhtml#top", [TocEntry("Le retour", "c2.xhtml#s2")])]
    path = build_epub(
        tmp_path / "voyage.epub", docs, toc=toc, title="Le Voyage",
        creators=[("Jeanne Martin", "aut"), ("Paul Durand", "ill")], date="1869-05-04",
        publisher="Éditions Essai",
        landmarks=[("cover", "cover.xhtml", "Couverture"), ("bodymatter", "c1.xhtml", "Début")],
        extra={"OEBPS/cover.png": tiny_png()},
    )
    book = read_epub(path)
    assert book.ok, book.error
    assert book.kind is ArticleKind.BOOK
    assert (book.title, book.byline, book.date, book.site, book.language) == (
        "Le Voyage", "Jeanne Martin", "1869-05-04", "Éditions Essai", "fr")
    assert rows(book) == [
        (T, "Le Voyage"), (B, "roman"),
        (BP, "© 2026 Éditions Essai. Tous droits réservés."),
        (T, "Chapitre premier"),
        (B, "La maison est grande, et le jardin descend jusqu’à la rivière."),
        (B, "Il pleut depuis trois jours[1]."),
        (Q, "« Rien ne presse », dit-elle."),
        (C, "[image: Le jardin sous la pluie]"),
        (C, "Le jardin en automne."),
        (N, "[1] Depuis le lundi."),
        (T, "Chapitre deux"), (B, "Le lendemain, le ciel était clair."),
        (T, "Le retour"), (B, "Ils rentrèrent à la nuit tombée."),
    ]
    assert chapters(book) == [
        ("Le Voyage", 0, 2, FRONT), ("Mentions", 2, 1, FRONT),
        ("Chapitre premier", 3, 7, BODY), ("Chapitre deux", 10, 2, BODY),
        ("Le retour", 12, 2, BODY),
    ]
    assert [p.index for p in book.paragraphs] == list(range(14))
    assert book.chapter_at(0) == 0 and book.chapter_at(11) == 3 and book.chapter_at(13) == 4
    assert book.chapter_at(14) is None


def test_epub2_ncx_entities_guide_and_linked_notes(tmp_path: Path) -> None:
    docs = [
        Doc("cover.xhtml", '<div><img src="cover.png" alt="cover"/></div>', "Cover", in_toc=False),
        Doc("toc.xhtml", '<h1>Table</h1><p><a href="c1.xhtml">Chapitre I</a></p>', "Table",
            in_toc=False),
        Doc("c1.xhtml",
            "<h1>Chapitre I</h1><p>M.&nbsp;Homais &eacute;tait pharmacien"
            '<sup><a id="r1" href="notes.xhtml#fn1">1</a></sup>.</p>'
            "<p>Les vers&#160;:<br/>Il pleure dans mon c&oelig;ur<br/>"
            "Comme il pleut sur la ville.</p>",
            "Chapitre I"),
        Doc("c2.xhtml", "<h1>Chapitre II</h1><p>Le bal eut lieu en octobre.</p>"
            '<p><span class="pagenum"><a id="page12">[12]</a></span>La nuit vint.</p>',
            "Chapitre II"),
        Doc("notes.xhtml", '<h1>Notes</h1><p id="fn1"><a href="c1.xhtml#r1">1</a>. Voir le '
            "chapitre suivant.</p>", "Notes"),
    ]
    toc = [TocEntry("Première partie", "c1.xhtml", [TocEntry("Chapitre I", "c1.xhtml"),
                                                    TocEntry("Chapitre II", "c2.xhtml")]),
           TocEntry("Notes", "notes.xhtml")]
    path = build_epub(
        tmp_path / "bovary.epub", docs, version=2, toc=toc, title="Madame Bovary",
        creators=[("Gustave Flaubert", "aut")], date="1857", publisher="Michel Lévy",
        guide=[("cover", "cover.xhtml", "Cover"), ("toc", "toc.xhtml", "Table"),
               ("text", "c1.xhtml", "Début")],
        extra={"OEBPS/cover.png": tiny_png()},
    )
    book = read_epub(path)
    assert book.ok, book.error
    assert (book.title, book.byline, book.date, book.site) == (
        "Madame Bovary", "Gustave Flaubert", "1857", "Michel Lévy")
    # The page-break marker "12" is not text; &nbsp; and &eacute; are their characters.
    assert rows(book) == [
        (T, "Chapitre I"),
        (B, "M.\xa0Homais était pharmacien[1]."),
        (B, "Les vers\xa0:\nIl pleure dans mon cœur\nComme il pleut sur la ville."),
        (T, "Chapitre II"), (B, "Le bal eut lieu en octobre."), (B, "La nuit vint."),
        (T, "Notes"), (N, "[1] Voir le chapitre suivant."),
    ]
    # Two entries at the same place share the chapter; the notes page is back matter.
    assert chapters(book) == [
        ("Première partie — Chapitre I", 0, 3, BODY), ("Chapitre II", 3, 3, BODY),
        ("Notes", 6, 2, BACK),
    ]


def test_without_nav_or_ncx_chapters_come_from_headings(tmp_path: Path) -> None:
    docs = [
        Doc("a.xhtml", "<h2>Un</h2><p>Premier texte du livre.</p>", "Doc A"),
        Doc("b.xhtml", "<p>Suite du premier, sans titre.</p>", "Doc B"),
        Doc("c.xhtml", "<h2>Deux</h2><p>Second texte.</p>", "Doc C"),
    ]
    book = read_epub(build_epub(tmp_path / "plain.epub", docs, nav=False, ncx=False))
    assert book.ok, book.error
    assert chapters(book) == [("Un", 0, 2, BODY), ("Doc B", 2, 1, BODY),
                              ("Deux", 3, 2, BODY)]


def test_toc_names_some_documents_others_join_or_start_chapters(tmp_path: Path) -> None:
    docs = [
        Doc("c1.xhtml", "<h1>Un</h1><p>Texte un.</p>", "Un"),
        Doc("c1b.xhtml", "<p>Texte un, suite.</p>", in_toc=False),
        Doc("interlude.xhtml", "<h1>Interlude</h1><p>Pause.</p>", in_toc=False),
        Doc("c2.xhtml", "<h1>Deux</h1><p>Texte deux.</p>", "Deux"),
    ]
    book = read_epub(build_epub(tmp_path / "split.epub", docs))
    assert chapters(book) == [("Un", 0, 3, BODY), ("Interlude", 3, 2, BODY), ("Deux", 5, 2, BODY)]


def test_broken_nav_falls_back_to_ncx_and_empty_label_to_heading(tmp_path: Path) -> None:
    docs = [Doc("c1.xhtml", "<h1>Chapitre un</h1><p>Texte.</p>", "Chapitre un"),
            Doc("c2.xhtml", "<h1>Chapitre deux</h1><p>Suite.</p>", "Chapitre deux")]
    toc = [TocEntry("Premier", "c1.xhtml"), TocEntry("", "c2.xhtml")]
    path = build_epub(tmp_path / "b.epub", docs, toc=toc, ncx=True)
    broken = tmp_path / "broken-nav.epub"
    with zipfile.ZipFile(path) as source:
        files = {n: source.read(n) for n in source.namelist() if n != "mimetype"}
    files["OEBPS/nav.xhtml"] = b"<html><body><nav>not closed"
    write_zip(broken, files)
    for book in (read_epub(path), read_epub(broken)):
        assert book.ok, book.error
        assert chapters(book) == [("Premier", 0, 2, BODY), ("Chapitre deux", 2, 2, BODY)]


def test_non_linear_documents_come_last_as_back_matter(tmp_path: Path) -> None:
    docs = [Doc("answers.xhtml", "<h1>Réponses</h1><p>Oui.</p>", "Réponses", linear=False),
            Doc("c1.xhtml", "<h1>Questions</h1><p>Pourquoi ?</p>", "Questions")]
    book = read_epub(build_epub(tmp_path / "nl.epub", docs))
    assert rows(book) == [(T, "Questions"), (B, "Pourquoi ?"), (T, "Réponses"), (B, "Oui.")]
    assert chapters(book) == [("Questions", 0, 2, BODY), ("Réponses", 2, 2, BACK)]


def test_small_capitals_svg_images_hidden_and_scripts(tmp_path: Path) -> None:
    docs = [Doc("c1.xhtml",
                "<h1>Cʜᴀᴘɪᴛʀᴇ ᴘʀᴇᴍɪᴇʀ</h1><p>Il prononçait /ʁɛʒɪm/ sans accent.</p>"
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                '<title>Une carte</title><image xlink:href="map.png" width="1" height="1"/></svg>'
                '<p hidden="">caché</p><script>var x = 1;</script><p><img src="map.png" alt=""/>'
                "Après l’image.</p>", "Cʜᴀᴘɪᴛʀᴇ ᴘʀᴇᴍɪᴇʀ", properties="svg")]
    book = read_epub(build_epub(tmp_path / "sc.epub", docs, extra={"OEBPS/map.png": tiny_png()}))
    assert rows(book) == [
        (T, "Chapitre premier"), (B, "Il prononçait /ʁɛʒɪm/ sans accent."),
        (C, "[image: Une carte]"), (C, "[image]"), (B, "Après l’image."),
    ]
    assert book.chapters == (Chapter("Chapitre premier", 0, 5, BODY),)


def test_language_comes_from_the_text_not_the_declaration(tmp_path: Path) -> None:
    docs = [Doc("c1.xhtml", "<h1>Chapitre</h1><p>La maison est grande et le jardin est très "
                "beau ; nous y passons toutes nos soirées d’été avec les enfants.</p>", "Chapitre")]
    book = read_epub(build_epub(tmp_path / "lang.epub", docs, language="en"))
    assert book.language == "fr"
    assert {p.language for p in book.paragraphs} == {"fr"}


# -- refused files: one line each ----------------------------------------------------------------


def _one_line(error: str | None) -> str:
    assert error is not None and "\n" not in error
    return error


def _simple(tmp_path: Path, name: str = "b.epub", **files: str | bytes) -> Path:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>Texte du chapitre.</p>", "Un")]
    return build_epub(tmp_path / name, docs, extra=dict(files) or None)


ENCRYPTION = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
<enc:EncryptionMethod Algorithm="{algorithm}"/>
<enc:CipherData><enc:CipherReference URI="OEBPS/{target}"/></enc:CipherData>
</enc:EncryptedData></encryption>"""


def test_drm_is_refused_with_one_line_font_obfuscation_is_not(tmp_path: Path) -> None:
    aes = ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                            target="c1.xhtml")
    book = read_epub(_simple(tmp_path, "drm.epub", **{"META-INF/encryption.xml": aes}))
    assert _one_line(book.error) == (
        "protected by DRM (META-INF/encryption.xml encrypts its text): it cannot be read here")
    assert book.kind is ArticleKind.BOOK and not book.paragraphs
    rights = read_epub(_simple(tmp_path, "adobe.epub", **{"META-INF/rights.xml": "<rights/>"}))
    assert _one_line(rights.error) == (
        "protected by DRM (Adobe DRM, META-INF/rights.xml): it cannot be read here")
    fonts = ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding", target="f.otf")
    ok = read_epub(_simple(tmp_path, "fonts.epub", **{"META-INF/encryption.xml": fonts}))
    assert ok.ok and rows(ok) == [(T, "Un"), (B, "Texte du chapitre.")]


def test_broken_and_foreign_files_get_one_line(tmp_path: Path) -> None:
    good = _simple(tmp_path)
    truncated = tmp_path / "truncated.epub"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _one_line(read_epub(truncated).error) == (
        "not a valid EPUB (a broken or truncated zip archive)")
    text = tmp_path / "text.epub"
    text.write_text("Ceci n'est pas un livre.")
    assert read_epub(text).error == "not a valid EPUB (a broken or truncated zip archive)"
    bare = write_zip(tmp_path / "bare.epub", {"OEBPS/c1.xhtml": "<p/>"})
    assert read_epub(bare).error == "not an EPUB (no META-INF/container.xml in the archive)"
    no_opf = write_zip(tmp_path / "noopf.epub", {"META-INF/container.xml": CONTAINER})
    assert read_epub(no_opf).error == "missing from the archive: OEBPS/content.opf"
    assert read_epub(tmp_path / "absent.epub").error.startswith("cannot read the file (")


def test_entity_declarations_are_refused_and_never_expanded(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>'
            "<body><p>&c;</p></body></html>")
    external = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&e;</p></body></html>')
    for name, chapter in (("bomb", bomb), ("external", external)):
        path = _simple(tmp_path, f"{name}.epub")
        with zipfile.ZipFile(path) as source:
            files = {n: source.read(n) for n in source.namelist() if n != "mimetype"}
        files["OEBPS/c1.xhtml"] = chapter.encode()
        book = read_epub(write_zip(tmp_path / f"{name}-2.epub", files))
        assert _one_line(book.error) == (
            "OEBPS/c1.xhtml declares XML entities (refused: a possible entity bomb)")


def test_zip_slip_names_are_never_read(tmp_path: Path) -> None:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>Dedans.</p>", "Un"),
            Doc("../../evil.xhtml", "<p>Dehors.</p>", "Evil")]
    path = build_epub(tmp_path / "slip.epub", docs)
    with zipfile.ZipFile(path) as archive:
        assert "OEBPS/../../evil.xhtml" in archive.namelist()
    book = read_epub(path)
    assert book.ok and rows(book) == [(T, "Un"), (B, "Dedans.")]
    assert chapters(book) == [("Un", 0, 2, BODY)]


def test_zip_bombs_stop_at_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>" + "a " * 300_000 + "</p>", "Un")]
    path = build_epub(tmp_path / "bomb.epub", docs)
    assert path.stat().st_size < 10_000  # 600 KB of text deflates to almost nothing
    monkeypatch.setattr(package_module, "MAX_MEMBER_BYTES", 256 * 1024)
    book = read_epub(path)
    assert _one_line(book.error) == "refused: OEBPS/c1.xhtml is larger than 256 KB"


def test_empty_book_and_spine_without_text(tmp_path: Path) -> None:
    images = [Doc("cover.xhtml", '<img src="c.png" alt="Couverture"/>', "Cover")]
    book = read_epub(build_epub(tmp_path / "img.epub", images, extra={"OEBPS/c.png": tiny_png()}))
    assert book.error == "no text found in the book"


EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.mark.slow
def test_the_two_sample_books_are_valid_epubs(tmp_path: Path) -> None:
    """The EPUB 2 and EPUB 3 samples above are what a publisher would ship: EPUBCheck
    reports 0 errors (so the reader is tested on valid books, not on our own dialect)."""
    import shutil
    import subprocess

    java = shutil.which("java")
    if java is None or not EPUBCHECK_JAR.exists():
        pytest.skip("EPUBCheck is not installed (Debian package epubcheck)")
    for test in (test_epub3_novel_metadata_nav_footnotes_images_front_matter,
                 test_epub2_ncx_entities_guide_and_linked_notes):
        folder = tmp_path / test.__name__
        folder.mkdir()
        test(folder)
        (book,) = folder.glob("*.epub")
        done = subprocess.run([java, "-jar", str(EPUBCHECK_JAR), "-q", str(book)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_chapter_that_is_not_well_formed_is_read_as_html(tmp_path: Path) -> None:
    path = _simple(tmp_path, "sloppy.epub")
    with zipfile.ZipFile(path) as source:
        files = {n: source.read(n) for n in source.namelist() if n != "mimetype"}
    files["OEBPS/c1.xhtml"] = (
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Un</title></head><body>'
        b"<h1>Un</h1><p>Fromage & dessert<br>le soir<sup><a href='#n1'>1</a></sup></p>"
        b"<p id='n1'>1. Une note.</body></html>")
    book = read_epub(write_zip(tmp_path / "sloppy-2.epub", files))
    assert book.ok, book.error
    assert rows(book) == [(T, "Un"), (B, "Fromage & dessert\nle soir[1]"), (N, "[1] Une note.")]


def test_non_ascii_and_percent_encoded_names(tmp_path: Path) -> None:
    docs = [Doc("chapître 1.xhtml", "<h1>Un</h1><p>Premier.</p>", "Un"),
            Doc("chapître 2.xhtml", '<h1 id="début">Deux</h1><p>Second.</p>', "Deux")]
    toc = [TocEntry("Le premier", "chap%C3%AEtre%201.xhtml"),
           TocEntry("Le second", "chap%C3%AEtre%202.xhtml#d%C3%A9but")]
    book = read_epub(build_epub(tmp_path / "noms.epub", docs, toc=toc))
    assert book.ok, book.error
    assert chapters(book) == [("Le premier", 0, 2, BODY), ("Le second", 2, 2, BODY)]


def test_a_missing_chapter_file_leaves_the_rest_and_nested_parts_without_links(
    tmp_path: Path,
) -> None:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>Premier.</p>", "Un"),
            Doc("c2.xhtml", "<h1>Deux</h1><p>Second.</p>", "Deux"),
            Doc("c3.xhtml", "<h1>Trois</h1><p>Troisième.</p>", "Trois")]
    path = build_epub(tmp_path / "trou.epub", docs)
    with zipfile.ZipFile(path) as source:
        files = {n: source.read(n) for n in source.namelist()
                 if n not in ("mimetype", "OEBPS/c2.xhtml")}
    # A part heading without a link: its chapters are still in the list.
    files["OEBPS/nav.xhtml"] = files["OEBPS/nav.xhtml"].replace(
        b'<ol><li><a href="c1.xhtml">Un</a></li>',
        b'<ol><li><span>Partie</span><ol><li><a href="c1.xhtml">Un</a></li></ol></li>')
    assert b"<span>Partie</span>" in files["OEBPS/nav.xhtml"]
    book = read_epub(write_zip(tmp_path / "trou-2.epub", files))
    assert book.ok, book.error
    assert rows(book) == [(T, "Un"), (B, "Premier."), (T, "Trois"), (B, "Troisième.")]
    assert chapters(book) == [("Un", 0, 2, BODY), ("Trois", 2, 2, BODY)]
    only = {n: d for n, d in files.items() if n not in ("OEBPS/c1.xhtml", "OEBPS/c3.xhtml")}
    assert read_epub(write_zip(tmp_path / "vide.epub", only)).error == (
        "no text found in the book")


def test_a_damaged_deflate_stream_is_one_line(tmp_path: Path) -> None:
    import struct

    path = _simple(tmp_path, "inflate.epub")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("OEBPS/c1.xhtml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:
                                                         info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start:start + 8] = b"\xff" * 8  # not a deflate stream any more (zlib.error)
    path.write_bytes(bytes(data))
    book = read_epub(path)
    assert _one_line(book.error) == "damaged archive entry OEBPS/c1.xhtml (corrupt compressed data)"
