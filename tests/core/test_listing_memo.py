"""Articles remembered by file signature: the same articles back, never a stale one."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.library import listing as library
from reader.core.library import listing_memo
from reader.core.library.listing import load_library

MEMO = Path("bilingual-reader") / "listing.json"


@pytest.fixture(autouse=True)
def quick_settling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled 0.2 s after a change (2 s in use), so tests wait less."""
    monkeypatch.setattr(listing_memo, "SETTLED_NS", 200_000_000)


def _settle() -> None:
    """Wait until files changed so far are old enough to be remembered (their ctime cannot
    be set back, only waited out)."""
    time.sleep(listing_memo.SETTLED_NS / 1e9 + 0.05)


@pytest.fixture
def folder(tmp_path: Path, seed_paths: list[Path]) -> Path:
    target = tmp_path / "library"
    target.mkdir()
    for path in seed_paths:
        copy = target / path.name
        copy.write_bytes(path.read_bytes())
    _settle()
    return target


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the library parses from now on."""
    seen: list[Path] = []
    real = library.read_file

    def spy(path: Path, **kwargs: object) -> Article:
        seen.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "read_file", spy)
    return seen


def _same(a: list[Article], b: list[Article]) -> None:
    assert a == b  # every field and every paragraph (index, text, kind, language, confidence)
    assert [x.words for x in a] == [x.words for x in b]


def test_an_unchanged_library_is_not_parsed_again(folder: Path, parses: list[Path]) -> None:
    first = load_library([folder])
    assert len(parses) == 5
    parses.clear()
    again = load_library([folder])
    assert parses == []
    _same(again, first)
    # Each mode has its own memo: paragraph languages are not those of a plain listing.
    with_languages = load_library([folder], paragraph_languages=True)
    assert len(parses) == 5
    parses.clear()
    _same(load_library([folder], paragraph_languages=True), with_languages)
    assert parses == []
    _same(load_library([folder]), first)
    assert parses == []


def test_a_changed_file_is_parsed_again(
    folder: Path, parses: list[Path], isolated_xdg: dict[str, Path]
) -> None:
    load_library([folder])
    target = sorted(folder.iterdir())[0]
    text = target.read_text(encoding="utf-8")
    # Same size, other words, the same mtime: the status-change time still tells.
    changed = text.replace("Ukraine", "Bukrain", 1)
    assert len(changed) == len(text) and changed != text
    info = target.stat()
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # mtime as before
    _settle()
    assert listing_memo.signature(target) is not None  # remembered: the signature tells
    parses.clear()
    again = load_library([folder])
    assert parses == [target]
    assert "Bukrain" in "\n".join(p.text for p in again[0].paragraphs)
    # A file replaced by another one (a new inode), dated like the old one.
    info = target.stat()
    replacement = folder / "replacement.tmp"
    replacement.write_text(text, encoding="utf-8")
    os.replace(replacement, target)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    _settle()
    parses.clear()
    third = load_library([folder])
    assert parses == [target]
    assert "Bukrain" not in "\n".join(p.text for p in third[0].paragraphs)


def test_a_file_changed_just_now_is_never_served_from_the_memo(
    folder: Path, parses: list[Path]
) -> None:
    target = sorted(folder.iterdir())[1]
    target.write_text("Titre\n\nPremier corps de texte assez long pour compter.", "utf-8")
    load_library([folder])
    parses.clear()
    # Rewritten within the same clock tick, same size: only its recency protects it.
    target.write_text("Titre\n\nSecond corps de texte assez long pour compter.", "utf-8")
    again = load_library([folder])
    assert target in parses
    assert again[1].paragraphs[1].text.startswith("Second")


def test_articles_with_errors_are_not_remembered(tmp_path: Path, parses: list[Path]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    _settle()
    for _ in range(2):
        assert load_library([empty])[0].error == "empty file"
    assert parses == [empty, empty]


def _each_record(memo: Path, change: object) -> None:
    """Rewrite every stored article record with ``change(record)``."""
    stored = json.loads(memo.read_bytes())
    for entry in stored["entries"].values():
        entry[1] = change(entry[1])  # type: ignore[operator]
    memo.write_bytes(json.dumps(stored).encode())


def _set(index: int, value: object) -> object:
    return lambda record: [*record[:index], value, *record[index + 1:]]


# What a crash, a bad disk or a crafted file can leave: each is a miss, never an article.
DAMAGE: dict[str, object] = {
    "empty": b"",
    "garbage": b"\x00\xe3 not json at all",
    "not utf-8": b"\xff\xfe{}",
    "nested": b"[" * 100_000,
    "truncated": "truncated",
    "too short": lambda record: ["too", "short"],
    "a word count as a string": _set(8, "120"),
    "a word count as a boolean": _set(8, True),
    "a negative word count": _set(8, -1),
    "a title as a number": _set(0, 12),
    "a date as a list": _set(1, ["2024"]),
    "a confidence as a string": _set(7, "0.9"),
    "a paragraph text as a number": lambda r: [*r[:9], [1, *r[9][1:]], *r[10:]],
    "an unknown paragraph kind": lambda r: [*r[:10], ["sidebar", *r[10][1:]], *r[11:]],
    "a paragraph kind as a list": lambda r: [*r[:10], [["body"], *r[10][1:]], *r[11:]],
    "columns of unequal length": lambda r: [*r[:11], r[11][1:], *r[12:]],
    "a signature as a string": "signature",
    "entries as a list": "entries",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_or_crafted_memo_is_a_miss_without_a_traceback(
    folder: Path,
    parses: list[Path],
    isolated_xdg: dict[str, Path],
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    first = load_library([folder])
    memo = isolated_xdg["XDG_CACHE_HOME"] / MEMO
    assert memo.is_file()
    change = DAMAGE[damage]
    if change == "truncated":
        memo.write_bytes(memo.read_bytes()[:1000])
    elif change == "signature":
        stored = json.loads(memo.read_bytes())
        for entry in stored["entries"].values():
            entry[0] = "1 2 3 4 5"
        memo.write_bytes(json.dumps(stored).encode())
    elif change == "entries":
        stored = json.loads(memo.read_bytes())
        stored["entries"] = list(stored["entries"].items())
        memo.write_bytes(json.dumps(stored).encode())
    elif isinstance(change, bytes):
        memo.write_bytes(change)
    else:
        _each_record(memo, change)
    parses.clear()
    with caplog.at_level(logging.DEBUG):
        again = load_library([folder])
    _same(again, first)
    assert len(parses) == 5
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    parses.clear()
    _same(load_library([folder]), first)  # rewritten whole
    assert parses == []


def test_other_code_empties_the_memo(
    folder: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_library([folder])
    real = listing_memo._code_key
    monkeypatch.setattr(listing_memo, "_code_key", lambda options: [*real(options), "v2"])
    parses.clear()
    load_library([folder])
    assert len(parses) == 5


def test_installing_a_missing_extraction_package_empties_the_memo(
    folder: Path, parses: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages listed while lxml_html_clean was missing went through our own parser: once it
    # is installed, they are extracted again.
    site = tmp_path / "venv" / "site-packages"
    site.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    load_library([folder])
    parses.clear()
    load_library([folder])
    assert parses == []
    (site / "lxml_html_clean-0.4.7.dist-info").mkdir()
    load_library([folder])
    assert len(parses) == 5


def test_a_memo_that_cannot_be_written_costs_only_time(
    folder: Path, parses: list[Path], isolated_xdg: dict[str, Path]
) -> None:
    cache = isolated_xdg["XDG_CACHE_HOME"]
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "bilingual-reader").write_text("a file where the folder should be", "utf-8")
    first = load_library([folder])
    _same(load_library([folder]), first)
    assert len(parses) == 10


def test_the_memo_keeps_the_newest_articles_within_its_bounds(
    folder: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(folder.iterdir())
    monkeypatch.setattr(listing_memo, "MAX_TOTAL_BYTES", sum(f.stat().st_size for f in files[-2:]))
    load_library([folder])
    parses.clear()
    load_library([folder])
    assert parses == files[:3]  # the last two listed were kept, the others parsed again
    monkeypatch.setattr(listing_memo, "MAX_ENTRIES", 1)
    load_library([folder])
    parses.clear()
    load_library([folder])
    assert parses == files[:4]


def test_a_large_pdf_is_remembered_and_weighed_by_its_text(
    tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from testkit.pdf_pages import EXPECTED, PARAGRAPHS, Layout, typeset, write_pdf

    target = tmp_path / "library"
    target.mkdir()
    pages = typeset(PARAGRAPHS[:3], Layout(header=None))
    # A picture of noise makes the file large (over MAX_FILE_BYTES); its text stays small.
    path = write_pdf(
        target / "gros.pdf", [*pages, []], images={2: (40, 40, 515, 760)}, noise=True
    )
    assert path.stat().st_size > listing_memo.MAX_FILE_BYTES
    # Room in the memo for the PDF's text, not for its bytes.
    monkeypatch.setattr(listing_memo, "MAX_TOTAL_BYTES", path.stat().st_size // 4)
    _settle()
    first = load_library([target])
    assert [p.text for p in first[0].paragraphs] == EXPECTED[:3]
    assert parses == [path]
    again = load_library([target])
    assert parses == [path]  # not parsed again: remembered
    assert again == first
