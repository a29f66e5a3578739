"""The CLI contract: commands, JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader import __version__, paths
from reader.cli import main
from reader.core.translation.cache import TranslationCache

REPO = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_subprocess(
    *args: str, timeout: float = 120, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=os.environ.copy(),
        **kwargs,
    )


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_usage_error_exits_2_without_traceback() -> None:
    result = run_subprocess("translate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    result = run_subprocess("export", "seeds", "--layout", "diagonal", "-o", "x.pdf")
    assert result.returncode == 2


def test_list_json_on_the_default_library(capsys) -> None:
    code, out, _ = cli(capsys, "list", "--json")
    assert code == 0
    articles = json.loads(out)
    assert len(articles) == 5
    by_name = {Path(a["path"]).name[:3]: a for a in articles}
    assert by_name["000"]["date"] == "2022-09"
    assert by_name["003"]["date"] == "2023-05"
    assert by_name["000"]["title"].startswith("Les RUSSES vivant")
    assert by_name["002"]["byline"] == "Jessie Neal"
    english = [b["text"] for b in by_name["002"]["boilerplate"] if b["language"] == "en"]
    assert english[0] == "Related Articles"
    assert english[1].startswith("This website uses cookies")
    for article in articles:
        assert set(article) >= {
            "path",
            "title",
            "date",
            "byline",
            "language",
            "paragraphs",
            "words",
            "error",
        }
        assert article["error"] is None and article["language"] == "fr"
        assert article["paragraphs"] > 5 and article["words"] > 300
        assert not article["title"].startswith((" date", "Home"))


def test_list_reports_bad_files_and_keeps_going(tmp_path, capsys) -> None:
    (tmp_path / "a.txt").write_text(
        "Un titre\n\nUn paragraphe en français pour le test.", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, out, _ = cli(capsys, "list", str(tmp_path), "--json")
    assert code == 0
    errors = {Path(a["path"]).name: a["error"] for a in json.loads(out)}
    assert errors["a.txt"] is None
    assert "empty" in errors["b.txt"]
    assert errors["c.txt"] and "\n" not in errors["c.txt"]


def test_list_missing_path_is_an_error_line(capsys) -> None:
    code, out, err = cli(capsys, "list", "/nonexistent/nowhere.txt", "seeds", "--json")
    assert code == 1 and "nowhere.txt" in err
    listed = json.loads(out)
    assert listed[0]["error"] and len(listed) == 6  # the other articles are still listed


def test_translate_without_model_names_the_pair(capsys) -> None:
    code, _, err = cli(capsys, "translate", "seeds/001_ae8a9364b6c910c6.txt")
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert "fr" in line and "en" in line and "models" in line


def test_translate_json_then_cached(install_fr_en, capsys) -> None:
    seed = str(REPO / "seeds" / "002_5cd07c1ed0724f90.txt")
    code, out, _ = cli(capsys, "translate", seed, "--json", "--quality", "fast")
    assert code == 0
    [article] = json.loads(out)
    assert article["source_language"] == "fr" and article["target_language"] == "en"
    assert article["packages"] == [
        {"code": "translate-fr_en", "from": "fr", "to": "en", "version": "1.0"}
    ]
    statuses = [p["status"] for p in article["paragraphs"]]
    assert set(statuses) == {"translated", "passthrough"}
    for paragraph in article["paragraphs"]:
        assert set(paragraph) >= {"source", "translation", "kind", "status", "sentences"}
        if paragraph["status"] == "translated":
            assert paragraph["sentences"] and paragraph["translation"]
    code, out, _ = cli(capsys, "translate", seed, "--json", "--quality", "fast")
    statuses = [p["status"] for p in json.loads(out)[0]["paragraphs"]]
    assert set(statuses) == {"cached", "passthrough"}
    # --no-cache neither reads nor writes.
    code, out, _ = cli(capsys, "translate", seed, "--json", "--quality", "fast", "--no-cache")
    assert "cached" not in {p["status"] for p in json.loads(out)[0]["paragraphs"]}


def test_translate_text_output_and_pivot(install_pivot, capsys) -> None:
    code, out, _ = cli(
        capsys, "translate", "seeds/004_07fde87c689b752c.txt", "--to", "es", "--quality", "fast"
    )
    assert code == 0
    assert out.startswith("# Les autorités russes")
    assert "(fr → es)" in out
    assert out.count("\n→ ") >= 8


def test_translate_bad_language_code_is_one_line(capsys) -> None:
    code, _, err = cli(capsys, "translate", "seeds", "--to", "english!")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_cache_stats_and_clear_one_article(install_fr_en, capsys) -> None:
    cli(
        capsys,
        "translate",
        "seeds/001_ae8a9364b6c910c6.txt",
        "seeds/004_07fde87c689b752c.txt",
        "--quality",
        "fast",
    )
    code, out, _ = cli(capsys, "cache", "stats", "--json")
    stats = json.loads(out)
    assert code == 0 and stats["entries"] > 20 and stats["per_pair"] == {"fr_en": stats["entries"]}
    assert stats["path"] == str(paths.translation_cache_path())
    code, out, _ = cli(capsys, "cache", "clear", "seeds/004_07fde87c689b752c.txt")
    assert code == 0
    after = json.loads(cli(capsys, "cache", "stats", "--json")[1])
    assert 0 < after["entries"] < stats["entries"]
    cli(capsys, "cache", "clear")
    assert json.loads(cli(capsys, "cache", "stats", "--json")[1])["entries"] == 0


def test_models_install_list_and_refusal(synthetic_packages, tmp_path, capsys) -> None:
    code, out, _ = cli(capsys, "models", "install", str(synthetic_packages["fr_en"]))
    assert code == 0 and "translate-fr_en" in out
    code, out, _ = cli(capsys, "models", "list", "--json")
    [model] = json.loads(out)
    assert (model["from"], model["to"], model["version"]) == ("fr", "en", "1.0")
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("not a zip")
    code, _, err = cli(capsys, "models", "install", str(bogus))
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_models_available_offline_is_a_clear_message(capsys) -> None:
    code, _, err = cli(capsys, "models", "available")
    assert code == 1
    # One line for people, then the address and the system's reason, indented.
    first, details = err.rstrip("\n").split("\n")
    assert first == "bilingual-reader: error: Can't reach the model index (offline?)"
    assert details.startswith("  http://127.0.0.1:9/index.json: ")


def test_models_download_from_loopback_index(package_index_server, capsys) -> None:
    code, out, _ = cli(capsys, "models", "download", "fr_en")
    assert code == 0 and "translate-fr_en" in out
    assert json.loads(cli(capsys, "models", "list", "--json")[1])[0]["code"] == "translate-fr_en"


def test_bundled_models_folder_is_installed_on_first_use(
    synthetic_packages, monkeypatch, tmp_path, capsys
) -> None:
    bundled = tmp_path / "models"
    bundled.mkdir()
    (bundled / "fr_en.argosmodel").write_bytes(synthetic_packages["fr_en"].read_bytes())
    monkeypatch.setattr(paths, "bundled_models_dir", lambda: bundled)
    code, _, _ = cli(capsys, "translate", "seeds/001_ae8a9364b6c910c6.txt", "--quality", "fast")
    assert code == 0


def test_translate_offline_with_sockets_forbidden(install_fr_en, tmp_path) -> None:
    """Run the real command in a child whose socket module refuses to work."""
    guard = tmp_path / "sitecustomize.py"
    guard.write_text(
        "import socket\n"
        "class _NoNetwork(socket.socket):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        raise OSError('network disabled by the offline test')\n"
        "def _refuse(*args, **kwargs):\n"
        "    raise OSError('network disabled by the offline test')\n"
        "socket.socket = _NoNetwork\n"
        "socket.create_connection = _refuse\n"
        "socket.getaddrinfo = _refuse\n"
    )
    env = os.environ.copy()
    env["PYTHONPATH"] = f"{tmp_path}{os.pathsep}{env.get('PYTHONPATH', '')}"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "translate", "seeds", "--json", "--quality", "fast"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    out = tmp_path / "offline.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "seeds", "-o", str(out), "--quality", "fast"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def _rows_written(cache_file: Path) -> int:
    """Rows in the cache now, read beside the writing process (WAL: readers never block it);
    0 while the file or its table does not exist yet."""
    if not cache_file.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, timeout=1.0)
        try:
            return int(conn.execute("SELECT count(*) FROM translations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # being created: no table yet


def _kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool],
               timeout: float = 180.0) -> None:
    """SIGKILL ``process`` as soon as ``ready()`` (polled every 10 ms), or when it ends."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and not ready():
        assert time.monotonic() < deadline, "the translation never got that far"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(10)


@pytest.mark.slow
def test_cache_survives_sigkill_at_random_moments(install_fr_en) -> None:
    """Kill a translating process at 20 random moments: the cache always opens, passes
    integrity_check, and holds no partial or empty entry.

    The moments are measured in progress, not wall time (a loaded machine may not have
    written a row 2.5 s in): a third of the kills land at a random moment of start-up and
    the first transaction; the rest once a random number of rows is written, so they
    land mid-work on every machine."""
    rng = random.Random(1234)
    cache_file = paths.translation_cache_path()
    entries_seen = []
    for run in range(20):
        process = subprocess.Popen(
            [sys.executable, "-m", "reader", "translate", "seeds", "--quality", "accurate"],
            cwd=REPO,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if run % 3 == 0:
            started, wait = time.monotonic(), rng.uniform(0.1, 2.5)
            _kill_when(process, lambda s=started, w=wait: time.monotonic() - s >= w)
        else:
            # After the first row (1) or a few windows more (up to 12 rows), plus a random
            # few milliseconds: often inside the next transaction.
            target, jitter = rng.randint(1, 12), rng.uniform(0.0, 0.05)
            reached: list[float] = []

            def ready(target: int = target, jitter: float = jitter,
                      reached: list[float] = reached) -> bool:
                if not reached and _rows_written(cache_file) >= target:
                    reached.append(time.monotonic())
                return bool(reached) and time.monotonic() - reached[0] >= jitter

            _kill_when(process, ready)
        if not cache_file.exists():
            continue
        conn = sqlite3.connect(cache_file)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        # Opened as the app opens it: a kill before the first migration committed leaves a
        # file without tables, which the next open migrates (never sets aside or loses).
        reopened = TranslationCache(cache_file)
        assert not reopened.in_memory and reopened.warnings == []
        reopened.close()
        conn = sqlite3.connect(cache_file)
        bad = conn.execute(
            "SELECT count(*) FROM translations WHERE length(trim(translation)) = 0 "
            "OR alignment IS NULL OR alignment = '' OR source_text = ''"
        ).fetchone()[0]
        assert bad == 0
        entries_seen.append(conn.execute("SELECT count(*) FROM translations").fetchone()[0])
        conn.close()
        # Clear between runs so later kills land mid-work again, not on a warm cache.
        os.remove(cache_file)
        for suffix in ("-wal", "-shm"):
            Path(str(cache_file) + suffix).unlink(missing_ok=True)
    assert sum(1 for count in entries_seen if count) >= 10, \
        "the kills measured in progress must land after rows were written"


def _can_unshare_network() -> bool:
    try:
        return (
            subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _can_unshare_network(), reason="unshare -n is not permitted here")
def test_translate_in_a_network_namespace_with_no_network(install_fr_en) -> None:
    """The strongest offline check: the process has no network interface at all."""
    result = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "reader",
            "translate",
            "seeds",
            "--json",
            "--quality",
            "fast",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    assert all(not article.get("error") for article in json.loads(result.stdout))


def test_search_json(capsys) -> None:
    code, out, _ = cli(capsys, "search", "gladkov", "--json")
    assert code == 0
    hits = json.loads(out)
    assert {Path(h["path"]).name[:3] for h in hits} == {"000", "003", "004"}
    assert all(h["side"] == "source" and "Gladkov" in h["snippet"] for h in hits)
    code, out, err = cli(capsys, "search", "zzzzqqq")
    assert code == 0 and out == "" and "no matches" in err


def test_search_says_when_it_cut_the_list(capsys) -> None:
    code, out, err = cli(capsys, "search", "gladkov", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2
    assert "showing the first 2 matches; --limit N shows more" in err
    code, out, err = cli(capsys, "search", "gladkov", "--limit", "500")
    assert code == 0 and len(out.splitlines()) > 2 and "showing" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "seeds", "-o", "x.pdf", "--also", "html,docx"), "unknown format 'docx'"),
        (("search", "x", "--limit", "0"), "at least 1"),
    ],
)
def test_bad_option_values_are_usage_errors(capsys, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err



def test_translate_json_is_exact_with_the_echo_model(install_fr_en, echo, capsys) -> None:
    seed = str(REPO / "seeds" / "001_ae8a9364b6c910c6.txt")
    code, out, _ = cli(capsys, "translate", seed, "--json")
    assert code == 0
    paragraphs = json.loads(out)[0]["paragraphs"]
    translated = [p for p in paragraphs if p["status"] != "passthrough"]
    assert translated and {p["status"] for p in translated} == {"translated"}
    for paragraph in translated:
        assert paragraph["translation"] == echo(paragraph["source"])


def test_a_model_that_never_finishes_is_reported_truncated(
    random_packages, isolated_xdg, capsys
) -> None:
    from reader.core.models.store import install_package

    install_package(random_packages["fr_en"])
    seed = str(REPO / "seeds" / "004_07fde87c689b752c.txt")
    code, out, err = cli(capsys, "translate", seed, "--json", "--quality", "fast")
    assert code == 0
    statuses = {p["status"] for p in json.loads(out)[0]["paragraphs"]}
    assert "truncated" in statuses and not statuses & {"translated", "cached"}
    assert "cut short" in err and "not cached" in err and len(err.strip().splitlines()) == 1
    # Nothing was cached as complete: the next run decodes again.
    code, out, _ = cli(capsys, "cache", "stats", "--json")
    assert json.loads(out)["entries"] == 0


def test_a_truncated_paragraph_is_marked_in_the_text_output(
    random_packages, isolated_xdg, capsys
) -> None:
    from reader.core.models.store import install_package
    from reader.core.presentation.row_display import TRUNCATED_NOTE

    install_package(random_packages["fr_en"])
    seed = str(REPO / "seeds" / "004_07fde87c689b752c.txt")
    code, out, err = cli(capsys, "translate", seed, "--quality", "fast")
    assert code == 0
    lines = out.splitlines()
    cut = [line for line in lines if line.startswith("… ")]
    assert cut and all(line.endswith(f" {TRUNCATED_NOTE}") for line in cut)
    assert not [line for line in lines if line.startswith("→ ")]
    assert "cut short" in err
