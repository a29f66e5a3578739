"""Issue 6: hostile input through the real command, two processes at once, environment faults.

Every case must end in a clean outcome: opened correctly, or one clear line on stderr; the
other files keep working; no traceback ever reaches the user.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import paths
from reader.core.articles.article import source_hash
from reader.core.articles.parser import parse_file
from reader.core.translation.engine import is_untranslatable

REPO = Path(__file__).resolve().parents[2]
# Translating 10 MB with even a tiny model is minutes of work; the parser tests cover it.
TOO_BIG_TO_TRANSLATE = {"big"}


def reader_cli(*args: str, timeout: float = 300, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=os.environ.copy(),
        **kwargs,
    )


def assert_clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr
    for line in stderr.strip().splitlines():
        assert line.startswith("bilingual-reader:"), f"not a one-line message: {line!r}"


@pytest.fixture
def translatable_corpus(bad_corpus: dict[str, Path], tmp_path: Path) -> Path:
    """The awkward corpus minus the 10 MB file, as a folder of its own (links kept as links)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, path in bad_corpus.items():
        if name in TOO_BIG_TO_TRANSLATE or path.parent != bad_corpus["empty"].parent:
            continue
        target = folder / path.name
        if path.is_symlink():
            os.symlink(os.readlink(path), target)
        elif path.is_dir():
            target.mkdir()
        else:
            shutil.copyfile(path, target)
    return folder


def test_list_survives_every_bad_file(bad_corpus_dir: Path) -> None:
    result = reader_cli("list", str(bad_corpus_dir), "--json")
    assert result.returncode == 0
    assert_clean_stderr(result.stderr)
    listed = {Path(a["path"]).name: a for a in json.loads(result.stdout)}
    assert listed["latin1.txt"]["error"] is None and "é" in listed["latin1.txt"]["title"]
    assert listed["utf16be.txt"]["error"] is None
    assert "empty" in listed["empty.txt"]["error"]
    assert "binary" in listed["photo.txt"]["error"]
    assert listed["loop.txt"]["error"]
    # A folder named x.txt is a folder: scanned (it is empty), never opened as a file.
    assert "x.txt" not in listed
    alone = reader_cli("list", str(bad_corpus_dir / "x.txt"))
    assert alone.returncode == 1 and "no articles found" in alone.stderr
    assert_clean_stderr(alone.stderr)
    assert listed["big.txt"]["error"] is None and listed["big.txt"]["paragraphs"] > 1000


def test_translate_survives_every_bad_file(install_fr_en, translatable_corpus: Path) -> None:
    result = reader_cli("translate", str(translatable_corpus), "--json", "--quality", "fast")
    assert_clean_stderr(result.stderr)
    assert result.returncode == 1  # some files are not articles: reported, not fatal
    articles = {Path(a["path"]).name: a for a in json.loads(result.stdout)}
    good = [
        "latin1.txt",
        "cp1252.txt",
        "utf16le.txt",
        "utf16be.txt",
        "utf8bom.txt",
        "crlf.txt",
        "cr.txt",
        "page.html",
        "article.md",
        "emoji.txt",
        "long_paragraph.txt",
    ]
    for name in good:
        article = articles[name]
        assert article.get("error") is None, (name, article.get("error"))
        paragraphs = article["paragraphs"]
        assert paragraphs and all(p["translation"].strip() for p in paragraphs), name
    # The 50,000-character paragraph came back whole: one result, every sentence aligned.
    long_para = max(articles["long_paragraph.txt"]["paragraphs"], key=lambda p: len(p["source"]))
    assert len(long_para["source"]) >= 49_000 and len(long_para["sentences"]) > 100
    # Arabic has no model: named in one line, the others still translated.
    assert "ar" in articles["arabic.txt"]["error"] or "Arabic" in articles["arabic.txt"]["error"]
    for name in ("empty.txt", "photo.txt", "binary_junk.txt", "loop.txt", "blank.txt"):
        assert articles[name]["error"], name


def test_export_survives_every_bad_file(
    install_fr_en, translatable_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.pdf"
    result = reader_cli("export", str(translatable_corpus), "-o", str(out), "--quality", "fast")
    assert_clean_stderr(result.stderr)
    # Bad files are skipped with a line each; the good ones are exported.
    assert result.returncode == 1
    assert "empty" in result.stderr and "arabic.txt" in result.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 10_000
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_two_processes_translate_into_one_cache(install_fr_en, seed_paths) -> None:
    command = [sys.executable, "-m", "reader", "translate", "seeds", "--quality", "fast"]
    runs = [
        subprocess.Popen(
            command,
            cwd=REPO,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
        assert_clean_stderr(stderr)
    conn = sqlite3.connect(paths.translation_cache_path())
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT source_hash FROM translations")}
    expected = set()
    for path in seed_paths:
        article = parse_file(path)
        expected |= {
            source_hash(p.text)
            for p in article.paragraphs
            if p.language != "en" and not is_untranslatable(p.text)
        }
    assert stored == expected  # nothing lost, nothing extra


def test_models_dir_unusable_is_one_line(synthetic_packages, isolated_xdg) -> None:
    # A regular file where the packages folder should be: no write can succeed, even as root.
    argos = isolated_xdg["XDG_DATA_HOME"] / "argos-translate"
    argos.mkdir(parents=True)
    (argos / "packages").write_text("not a folder")
    result = reader_cli("models", "install", str(synthetic_packages["fr_en"]))
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    result = reader_cli("translate", "seeds/001_ae8a9364b6c910c6.txt")
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)


def test_garbage_cache_file_is_replaced_and_translation_works(install_fr_en) -> None:
    cache_file = paths.translation_cache_path()
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(os.urandom(8192))
    result = reader_cli("translate", "seeds/004_07fde87c689b752c.txt", "--quality", "fast")
    assert result.returncode == 0
    assert_clean_stderr(result.stderr)
    assert "moved it to" in result.stderr
    assert (
        sqlite3.connect(cache_file).execute("SELECT count(*) FROM translations").fetchone()[0] > 0
    )


def test_cache_dir_unusable_degrades_to_memory(install_fr_en, isolated_xdg) -> None:
    (isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader").write_text("a file, not a folder")
    result = reader_cli("translate", "seeds/004_07fde87c689b752c.txt", "--quality", "fast")
    assert result.returncode == 0
    assert_clean_stderr(result.stderr)
    assert "in memory" in result.stderr
