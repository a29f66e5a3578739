"""Books in the library: ``.epub`` files listed as one entry with chapters, and remembered."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.core.articles.article import ArticleKind, ChapterRole
from reader.core.library import listing_memo
from reader.core.library.listing import find_article_files, load_library
from testkit.epub_books import Doc, build_epub


def _book(folder: Path, name: str = "roman.epub") -> Path:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>La maison est grande et le jardin est beau.</p>", "Un"),
            Doc("c2.xhtml", "<h1>Deux</h1><p>Il pleut.</p><p>Le soir tombe.</p>", "Deux")]
    return build_epub(folder / name, docs, title="Roman", creators=[("Anne Auteur", "aut")])


def test_a_folder_lists_books_beside_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nUn article court, en français, pour la liste.\n")
    book_path = _book(tmp_path)
    (tmp_path / "z-broken.epub").write_bytes(b"PK\x03\x04 not really")
    assert find_article_files([tmp_path]) == [tmp_path / "a.txt", book_path,
                                              tmp_path / "z-broken.epub"]
    article, book, broken = load_library([tmp_path], remember_languages=False)
    assert article.kind is ArticleKind.ARTICLE and not article.chapters
    assert book.kind is ArticleKind.BOOK and book.title == "Roman" and book.byline == "Anne Auteur"
    assert [(c.title, c.start, c.count, c.role) for c in book.chapters] == [
        ("Un", 0, 2, ChapterRole.BODY), ("Deux", 2, 3, ChapterRole.BODY)]
    assert broken.error == "not a valid EPUB (a broken or truncated zip archive)"


def test_the_listing_memo_gives_the_same_book_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing_memo, "SETTLED_NS", 100_000_000)
    path = _book(tmp_path)
    time.sleep(0.2)
    first = load_library([path])
    read: list[Path] = []
    from reader.core.library import listing

    real = listing.read_file
    monkeypatch.setattr(listing, "read_file", lambda p, **kw: read.append(p) or real(p, **kw))
    again = load_library([path])
    assert read == []  # from the memo
    assert again == first and again[0].chapters == first[0].chapters
    assert again[0].kind is ArticleKind.BOOK and again[0].words == first[0].words == 16


def test_adding_a_book_copies_it_into_the_library_once(tmp_path: Path) -> None:
    from reader.core.library.user_folder import AddError, add_file

    library = tmp_path / "library"
    library.mkdir()
    source = _book(tmp_path)
    added = add_file(source, folder=library)
    assert not added.already and added.path.suffix == ".epub"
    assert added.path.parent == library and added.path.name.startswith("roman-")
    assert added.path.read_bytes() == source.read_bytes()
    assert added.article.kind is ArticleKind.BOOK and len(added.article.chapters) == 2
    again = add_file(source, folder=library)
    assert again.already and again.path == added.path
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"not a zip")
    with pytest.raises(AddError) as refused:
        add_file(broken, folder=library)
    assert str(refused.value) == (
        f"{broken}: not a valid EPUB (a broken or truncated zip archive)")
    assert sorted(p.name for p in library.iterdir() if not p.name.startswith(".")) == [
        added.path.name]
