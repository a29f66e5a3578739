"""Post-edits and cache writes while another process holds the translation cache.

The other process is real: a second Python that opens ``translations.sqlite3`` with sqlite3
and holds ``BEGIN EXCLUSIVE`` for a set time. An edit is stored or refused (exit 1, one
line), never reported saved and lost; one failed write never stops later ones.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from reader import paths
from reader.cli import main
from reader.core.articles.article import source_hash
from reader.core.translation import cache as cache_module
from reader.core.translation.cache import CacheEntry, TranslationCache
from tests.data.sqlite_lock import locked


def cached_entries(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM translations").fetchone()[0]


def stored_edits(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT source_hash, translation FROM user_edits ORDER BY translation"
        ).fetchall()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exited:  # argparse's usage errors
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(cache_module, "WRITE_WAIT_S", 0.5)
    return 0.5


def _body_paragraph(capsys: pytest.CaptureFixture[str], article: Path) -> dict[str, object]:
    code, out, _ = cli(capsys, "list", "--paragraphs", "--json", str(article))
    assert code == 0
    paragraphs = json.loads(out)[0]["paragraphs"]
    return next(p for p in paragraphs if p["kind"] == "body" and p["index"] > 0)


def test_cli_edit_is_stored_or_refused_under_another_process_lock(
    install_fr_en, seed_paths, capsys, short_wait
) -> None:
    article = seed_paths[0]
    paragraph = _body_paragraph(capsys, article)
    index = str(paragraph["index"])
    database = paths.translation_cache_path()
    assert cli(capsys, "translate", "--json", str(article))[0] == 0  # creates and fills it
    cached = cached_entries(database)
    assert cached > 0

    # Locked for longer than the bound: refused in one line, exit 1, nothing stored.
    with locked(database, 2.0):
        started = time.monotonic()
        code, out, err = cli(capsys, "edit", str(article), "--paragraph", index,
                             "--text", "Locked out.")
        waited = time.monotonic() - started
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "not stored" in err and "locked" in err
        assert short_wait <= waited < 1.9  # waited for the bound, not for the lock
        # cache clear under the lock: fails honestly, removes nothing.
        code, out, err = cli(capsys, "cache", "clear")
        assert code == 1 and out == "" and err.count("\n") == 1 and "nothing was removed" in err
    assert stored_edits(database) == []
    assert cached_entries(database) == cached

    # Lock released within the bound: the edit waits and is stored.
    with locked(database, 0.2):
        code, out, err = cli(capsys, "edit", str(article), "--paragraph", index,
                             "--text", "Waited for it.")
    assert (code, err) == (0, "") and out.startswith(f"stored: paragraph {index} ")
    assert stored_edits(database) == [(source_hash(str(paragraph["text"])), "Waited for it.")]

    # Same numbering as list --paragraphs and translate --json.
    code, out, _ = cli(capsys, "translate", "--json", str(article))
    shown = json.loads(out)[0]["paragraphs"][int(index)]
    assert shown["index"] == int(index) and shown["source"] == paragraph["text"]
    assert (shown["status"], shown["translation"]) == ("edited", "Waited for it.")

    # cache clear reports what it really removed; post-edits stay.
    code, out, _ = cli(capsys, "cache", "clear")
    assert code == 0
    assert out.startswith(f"removed {cached} cached translations")
    assert stored_edits(database) == [(source_hash(str(paragraph["text"])), "Waited for it.")]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--paragraph", "9999", "--text", "Some text."], "out of range: 000_"),
        (["--paragraph", "-1", "--text", "Some text."], "index from 0, got '-1'"),
        (["--paragraph", "x", "--text", "Some text."], "index from 0, got 'x'"),
        (["--paragraph", "1", "--text", "   "], "--text is empty"),
    ],
)
def test_cli_edit_usage_errors_exit_2(install_fr_en, seed_paths, capsys, args, says) -> None:
    code, out, err = cli(capsys, "edit", str(seed_paths[0]), *args)
    assert code == 2 and out == "" and "Traceback" not in err
    last = err.strip().splitlines()[-1]  # argparse's own errors come after its usage lines
    assert "edit: error:" in last and says in last
    if "range" in says:
        assert err.count("\n") == 1 and "paragraphs 0 to " in last


def test_a_failed_write_never_stops_later_writes(install_fr_en, tmp_path: Path) -> None:
    database = tmp_path / "translations.sqlite3"
    cache = TranslationCache(database, write_wait=0.3)
    entry = CacheEntry("r", "d", source_hash("Un."), "fr", "en", "Un.", "One.", ())
    with locked(database, 1.5):
        assert not cache.set_edit("fr", "en", source_hash("Un."), "Un.", "First, by hand.")
        assert "locked" in cache.last_error
        # Kept in memory and served, marked unsaved.
        edit = cache.get_edits("fr", "en", [source_hash("Un.")])[source_hash("Un.")]
        assert (edit.translation, edit.saved) == ("First, by hand.", False)
        assert cache.unsaved_edits() == 1
        # Machine text while failing: tried once, without waiting for the bound.
        started = time.monotonic()
        assert not cache.put_many([entry])
        assert time.monotonic() - started < 0.3
    assert stored_edits(database) == []
    # The next write, in the same session, stores itself and the edit kept in memory.
    assert cache.set_edit("fr", "en", source_hash("Deux."), "Deux.", "Second, by hand.")
    assert cache.unsaved_edits() == 0 and cache.last_error == ""
    assert stored_edits(database) == [
        (source_hash("Un."), "First, by hand."), (source_hash("Deux."), "Second, by hand.")
    ]
    assert cache.put_many([entry])
    assert cache.get_many("r", "d", [entry.source_hash])[entry.source_hash].translation == "One."
    # A revert refused by the lock hides the stored edit until it is written.
    with locked(database, 1.0):
        assert not cache.delete_edit("fr", "en", source_hash("Un."))
        assert source_hash("Un.") not in cache.get_edits("fr", "en", [source_hash("Un.")])
    assert cache.retry_unsaved() == 0
    assert stored_edits(database) == [(source_hash("Deux."), "Second, by hand.")]
    cache.close()
