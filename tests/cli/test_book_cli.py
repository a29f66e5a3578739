"""Books on the command line: ``list`` shows an EPUB as one entry with its chapters,
``translate`` and ``search`` work on it as on an article, a DRM'd book is one line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from testkit.epub_books import Doc, build_epub


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _library(folder: Path) -> Path:
    docs = [
        Doc("title.xhtml", "<h1>Le Roman</h1>", "Titre", in_toc=False,
            body_type="frontmatter titlepage"),
        Doc("c1.xhtml", "<h1>Un</h1><p>La maison est grande et le jardin est beau.</p>", "Un"),
        Doc("c2.xhtml", "<h1>Deux</h1><p>Il pleut sur le village.</p><p>Le soir tombe.</p>",
            "Deux"),
    ]
    book = build_epub(folder / "roman.epub", docs, title="Le Roman",
                      creators=[("Anne Auteur", "aut")], date="1869", publisher="Essai")
    (folder / "article.txt").write_text("Un titre\n\nUn paragraphe en français pour le test.\n",
                                        encoding="utf-8")
    (folder / "verrou.epub").write_bytes(book.read_bytes())
    with zipfile.ZipFile(folder / "verrou.epub", "a") as archive:
        archive.writestr("META-INF/rights.xml", "<rights/>")
    return book


def test_list_json_shows_a_book_with_its_chapters(tmp_path: Path, capsys) -> None:
    _library(tmp_path)
    code, out, _ = cli(capsys, "list", str(tmp_path), "--json")
    assert code == 0
    listed = {Path(entry["path"]).name: entry for entry in json.loads(out)}
    article, book, locked = listed["article.txt"], listed["roman.epub"], listed["verrou.epub"]
    assert "kind" not in article and "chapters" not in article  # as before books
    assert book["kind"] == "book" and book["error"] is None
    assert (book["title"], book["byline"], book["date"], book["site"], book["language"]) == (
        "Le Roman", "Anne Auteur", "1869", "Essai", "fr")
    assert book["paragraphs"] == 6 and book["words"] == 21
    assert book["chapters"] == [
        {"title": "Le Roman", "role": "front", "start": 0, "paragraphs": 1},
        {"title": "Un", "role": "body", "start": 1, "paragraphs": 2},
        {"title": "Deux", "role": "body", "start": 3, "paragraphs": 3},
    ]
    assert locked["kind"] == "book" and locked["error"] == (
        "protected by DRM (Adobe DRM, META-INF/rights.xml): it cannot be read here")

    code, out, _ = cli(capsys, "list", str(tmp_path))
    assert code == 0
    line = next(line for line in out.splitlines() if "roman.epub" in line)
    assert "Le Roman" in line and "3 chapters" in line
    assert any("verrou.epub: protected by DRM" in line for line in out.splitlines())


def test_translate_and_search_a_book(tmp_path: Path, capsys, install_fr_en, echo) -> None:
    book = _library(tmp_path)
    code, out, _ = cli(capsys, "translate", str(book), "--json", "--quality", "fast")
    assert code == 0
    (translated,) = json.loads(out)
    sources = [p["source"] for p in translated["paragraphs"]]
    assert sources == ["Le Roman", "Un", "La maison est grande et le jardin est beau.", "Deux",
                       "Il pleut sur le village.", "Le soir tombe."]
    assert translated["paragraphs"][4]["translation"] == echo("Il pleut sur le village.")
    code, out, _ = cli(capsys, "search", "village", str(book), "--json")
    assert code == 0
    hits = json.loads(out)
    assert {(hit["paragraph"], hit["side"]) for hit in hits} == {(4, "source"),
                                                                 (4, "translation")}
