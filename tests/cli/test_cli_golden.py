"""The command line's output, byte for byte, against files recorded from an earlier version.

The golden files (tests/cli/golden/) were written by the single-module ``reader/cli.py``
before it became a package; this test keeps every command's stdout, stderr and exit code the
same. Paths are written as ``<repo>`` and ``<tmp>``. To record them again after a deliberate
change of the contract: ``BILINGUAL_READER_GOLDEN=write pytest tests/cli/test_cli_golden.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.cli import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = "seeds/001_ae8a9364b6c910c6.txt"
SEED2 = "seeds/002_5cd07c1ed0724f90.txt"

# Name, then the arguments; run in this order in one XDG folder (the cache carries over).
COMMANDS: list[tuple[str, list[str]]] = [
    ("help", ["--help"]),
    *[(f"help-{name}", [name, "--help"]) for name in
      ("list", "add", "feeds", "translate", "export", "models", "search", "edit", "glossary",
       "cache",
       "desktop")],
    *[(f"help-models-{name}", ["models", name, "--help"]) for name in
      ("list", "install", "remove", "available", "download")],
    ("help-cache-stats", ["cache", "stats", "--help"]),
    ("help-cache-clear", ["cache", "clear", "--help"]),
    ("help-desktop-install", ["desktop", "install", "--help"]),
    *[(f"help-{name}", [name, "--help"]) for name in ("define", "dictionaries", "words")],
    *[(f"help-words-{name}", ["words", name, "--help"]) for name in
      ("add", "list", "remove", "export")],
    ("list-json", ["list", "--json", "seeds"]),
    ("list-text", ["list", "seeds", "<tmp>/bad.txt", "<tmp>/missing.txt"]),
    ("list-paragraphs", ["list", "--paragraphs", SEED]),
    ("list-paragraphs-json", ["list", "--json", "--paragraphs", SEED]),
    ("models-list-json", ["models", "list", "--json"]),
    ("models-list", ["models", "list"]),
    ("translate-json", ["translate", "--json", SEED, "<tmp>/bad.txt", SEED2]),
    ("translate-text", ["translate", SEED]),
    ("edit", ["edit", SEED, "-p", "2", "--text", "My own words."]),
    ("edit-out-of-range", ["edit", SEED, "-p", "999", "--text", "x"]),
    ("translate-text-edited", ["translate", SEED, "--quality", "fast"]),
    ("translate-json-edited", ["translate", "--json", SEED]),
    ("translate-to-es", ["translate", SEED, "--to", "es"]),
    ("search-json", ["search", "le", "seeds", "--json", "--limit", "3"]),
    ("search-text", ["search", "la", "seeds", "--limit", "2"]),
    ("search-none", ["search", "zzzqqq", "seeds"]),
    ("cache-stats-json", ["cache", "stats", "--json"]),
    ("cache-clear-one", ["cache", "clear", SEED]),
    ("cache-clear", ["cache", "clear"]),
    ("cache-clear-all", ["cache", "clear", "--include-edits"]),
    ("bad-command", ["nonsense-word"]),
    ("option-after-path", [SEED, "--json"]),
    ("bad-limit", ["search", "x", "--limit", "0"]),
    ("bad-also", ["export", SEED, "-o", "<tmp>/x.pdf", "--also", "docx"]),
    ("bad-to", ["translate", SEED, "--to", "e1"]),
    ("models-remove-missing", ["models", "remove", "xx_yy"]),
]


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    try:
        code = main(args)
    except SystemExit as exited:
        code = exited.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return f"exit {code}\n--- stdout\n{out}--- stderr\n{err}"


def test_every_command_prints_what_it_printed_before(
    install_fr_en, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps help to the terminal's width
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 10)
    write = os.environ.get("BILINGUAL_READER_GOLDEN") == "write"
    GOLDEN.mkdir(exist_ok=True)
    differ = []
    for name, args in COMMANDS:
        text = _run(capsys, [a.replace("<tmp>", str(tmp_path)) for a in args])
        text = text.replace(str(tmp_path), "<tmp>").replace(str(REPO), "<repo>")
        golden = GOLDEN / f"{name}.txt"
        if write:
            golden.write_text(text, encoding="utf-8")
        elif golden.read_text(encoding="utf-8") != text:
            differ.append(name)
    assert not differ, f"output changed: {differ}"
