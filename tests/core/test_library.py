"""Paths → articles: folder scanning, and one Article per file whatever happens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.articles.article import Article, ParagraphKind
from reader.core.language import langid
from reader.core.library import listing as library
from reader.core.library.listing import SUPPORTED_SUFFIXES, find_article_files, load_library
from tests.data.make_bad_corpus import FRENCH_BODY, FRENCH_TITLE, LATIN1_BODY

REFUSED = {
    "binary_junk.txt": "binary file (contains NUL bytes), not an article",
    "photo.txt": "binary file (PNG image), not an article",
    "report.txt": "binary file (PDF document), not an article",
    "controls.txt": "binary file (control characters), not an article",
    "nul.txt": "binary file (contains NUL bytes), not an article",
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "loop.txt": "symbolic link loop",
}
# Same French article, stored in every encoding and newline convention.
SAME_ARTICLE = [
    "cp1252.txt", "utf16le.txt", "utf16be.txt", "utf16le_nobom.txt", "utf32le.txt",
    "utf8bom.txt", "crlf.txt", "cr.txt", "nested/inner.txt",
]
OTHER_GOOD = [
    "latin1.txt", "big.txt", "long_paragraph.txt", "page.html", "article.md", "arabic.txt",
    "emoji.txt",
]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".epub", ".pdf"} == SUPPORTED_SUFFIXES


def test_corpus_folder_lists_every_article_file_once_in_order(
    bad_library: dict[str, Article],
) -> None:
    expected = set(REFUSED) | set(SAME_ARTICLE) | set(OTHER_GOOD)
    names = list(bad_library)
    assert set(names) == expected  # hidden, .docx, the x.txt folder and the loop left out
    assert names == sorted(names)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files_carry_one_clear_message(bad_library: dict[str, Article], name: str) -> None:
    article = bad_library[name]
    assert article.error == REFUSED[name]
    assert not article.ok and article.paragraphs == ()


@pytest.mark.parametrize("name", SAME_ARTICLE)
def test_every_encoding_gives_the_same_text(bad_library: dict[str, Article], name: str) -> None:
    article = bad_library[name]
    assert article.ok, article.error
    assert [p.text for p in article.paragraphs] == [FRENCH_TITLE, FRENCH_BODY]
    assert article.title == FRENCH_TITLE
    assert article.language == "fr"


def test_latin1_is_not_mojibake(bad_library: dict[str, Article]) -> None:
    article = bad_library["latin1.txt"]
    assert [p.text for p in article.paragraphs] == [FRENCH_TITLE, LATIN1_BODY]


def test_cp1252_curly_quotes(bad_library: dict[str, Article]) -> None:
    body = bad_library["cp1252.txt"].paragraphs[1].text
    assert "é" in body and "’" in body and "“" in body and "…" in body
    assert "Ã" not in body and "\x92" not in body


@pytest.mark.parametrize("name", OTHER_GOOD)
def test_other_awkward_files_still_parse(bad_library: dict[str, Article], name: str) -> None:
    article = bad_library[name]
    assert article.ok, article.error
    assert article.paragraphs and article.title
    assert article.paragraphs[0].kind is ParagraphKind.TITLE


def test_corpus_cases_given_one_by_one(bad_corpus: dict[str, Path]) -> None:
    cases = ["directory", "symlink_loop", "empty", "png_renamed", "utf16_le", "markdown"]
    articles = load_library([bad_corpus[case] for case in cases])
    errors = [article.error for article in articles]
    # The folder named x.txt, given explicitly, is scanned (and holds nothing).
    assert errors == ["symbolic link loop", "empty file",
                      "binary file (PNG image), not an article", None, None]


def test_find_in_the_seed_folder(seeds_dir: Path, seed_paths: list[Path]) -> None:
    assert find_article_files([seeds_dir]) == seed_paths
    assert find_article_files([str(seeds_dir)]) == seed_paths


def test_scan_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "c/z.html", "c/d/y.htm", "e.markdown", ".hidden.txt",
                 ".git/x.txt", "notes.docx", "image.png", "c/UPPER.TXT"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Titre\n\nCorps.", encoding="utf-8")
    found = [str(path.relative_to(tmp_path)) for path in find_article_files([tmp_path])]
    assert found == ["a.md", "b.txt", "c/UPPER.TXT", "c/d/y.htm", "c/z.html", "e.markdown"]


def test_symlink_loops_between_folders_terminate(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Titre\n\nCorps.", encoding="utf-8")
    os.symlink("..", tmp_path / "a" / "parent")
    os.symlink(tmp_path / "a", tmp_path / "alias")
    found = find_article_files([tmp_path])
    assert [path.name for path in found] == ["one.txt"]


def test_explicit_files_are_always_included(tmp_path: Path, seed_paths: list[Path]) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04rest")
    hidden = tmp_path / ".draft.txt"
    hidden.write_text("Titre\n\nCorps du brouillon.", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    found = find_article_files([odd, hidden, missing])
    assert found == [odd, hidden, missing]
    articles = load_library([odd, hidden, missing])
    assert articles[0].error == "binary file (ZIP archive), not an article"
    assert articles[1].ok and articles[1].title == "Titre"
    assert articles[2].error == "no such file or directory"


def test_a_file_named_twice_is_listed_once(seeds_dir: Path, seed_paths: list[Path]) -> None:
    assert find_article_files([seed_paths[2], seeds_dir]) == [
        seed_paths[2], *[p for p in seed_paths if p != seed_paths[2]]
    ]


def test_files_reached_through_links_or_two_spellings_are_listed_once(tmp_path: Path) -> None:
    """Duplicates are told apart by real path, whether the scan knew it (a plain entry of a
    resolved folder) or had to resolve it (a link, a file named explicitly)."""
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt"):
        (real / name).write_text("Titre\n\nCorps.", encoding="utf-8")
    os.symlink(real / "a.txt", real / "link_to_a.txt")  # the same file under another name
    os.symlink(real, tmp_path / "alias")  # the whole folder through a link
    os.symlink(real / "sub", real / "sub_alias")  # a subfolder twice
    found = find_article_files(
        [tmp_path / "alias", real, real / "sub" / ".." / "a.txt", tmp_path / "alias" / "sub"]
    )
    assert [str(path.relative_to(tmp_path)) for path in found] == ["alias/a.txt", "alias/sub/b.txt"]


def test_missing_path_does_not_stop_the_others(seed_paths: list[Path], tmp_path: Path) -> None:
    articles = load_library([tmp_path / "nope.txt", seed_paths[0], tmp_path / "nope_dir"])
    assert [article.error for article in articles] == [
        "no such file or directory", None, "no such file or directory"
    ]
    assert articles[1].language == "fr"


def test_an_unexpected_crash_on_one_file_does_not_stop_the_others(
    seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_parse = library.read_file

    def flaky(path: Path, **kwargs: bool) -> Article:
        if path == seed_paths[1]:
            raise RuntimeError("boom")
        return real_parse(path, **kwargs)

    monkeypatch.setattr(library, "read_file", flaky)
    articles = load_library(seed_paths)
    assert [article.ok for article in articles] == [True, False, True, True, True]
    assert articles[1].error == "could not load (RuntimeError)"
    assert articles[1].path == seed_paths[1]


def test_unreadable_folder_is_reported(
    tmp_path: Path, seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Titre\n\nCorps.", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert find_article_files([locked, seed_paths[0]]) == [seed_paths[0]]
    articles = load_library([locked, seed_paths[0]])
    assert (articles[0].path, articles[0].error) == (locked, "permission denied (folder)")
    assert articles[1].ok


def test_listing_detects_one_sample_per_article_not_every_paragraph(
    tmp_path: Path, seed_paths: list[Path], detection_samples: list[int]
) -> None:
    # Seed 000 has no boilerplate: listing it must cost one detection, on a bounded sample.
    text = seed_paths[0].read_text(encoding="utf-8").lstrip()
    count = 100
    for i in range(count):  # distinct texts, so no cache can hide the cost
        (tmp_path / f"article_{i:03}.txt").write_text(f"Numéro {i} : {text}", encoding="utf-8")
    articles = load_library([tmp_path])
    assert len(articles) == count and all(a.ok and a.language == "fr" for a in articles)
    assert len(detection_samples) == count
    assert max(detection_samples) <= langid.ARTICLE_SAMPLE_CHARS + 2
    assert all(p.language_confidence == 0.0 for a in articles for p in a.paragraphs)


def test_article_languages_are_remembered_across_listings(
    tmp_path: Path,
    seed_paths: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    isolated_xdg: dict[str, Path],
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    tmp_path = library
    for path in seed_paths:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_library([tmp_path])
    calls: list[str] = []
    real = langid.detect_sample

    def spy(
        sample: str, trials: int = langid.PARAGRAPH_TRIALS, profiles: str = "all"
    ) -> tuple[str, float] | None:
        calls.append(sample)
        return real(sample, trials, profiles)

    monkeypatch.setattr(langid, "detect_sample", spy)
    again = load_library([tmp_path])
    assert [a.language for a in again] == [a.language for a in first] == ["fr"] * 5
    # Nothing is judged again, not even 002's boilerplate paragraphs.
    assert calls == []
    # A changed article is judged again: the memo is keyed on content, not on the path.
    changed = tmp_path / seed_paths[0].name
    changed.write_text("Un autre titre\n\n" + "Une phrase en français, bien sûr. " * 30)
    calls.clear()
    load_library([tmp_path])
    assert len(calls) == 1
    # A garbage memo file is an empty memo, not an error.
    memo_file = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader" / "languages.json"
    memo_file.write_text("{not json")
    assert [a.language for a in load_library([tmp_path])] == ["fr"] * 5
