"""``translate --json --words / --alternatives N`` with the hand-set echo model: exact spans,
the translation first among the alternatives, and the usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main

TEXT = "La maison est grande. Il pleut."


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "maison.txt"
    path.write_text(f"Une maison\n\n{TEXT}\n", encoding="utf-8")
    return path


def _paragraph(out: str) -> dict:  # type: ignore[type-arg]
    [article] = json.loads(out)
    return next(p for p in article["paragraphs"] if p["source"] == TEXT)


def test_words_are_spans_in_the_paragraph(install_fr_en, tmp_path, capsys) -> None:
    code, out, err = cli(capsys, "translate", str(_article(tmp_path)), "--json", "--words")
    assert code == 0, err
    first, second = _paragraph(out)["sentences"]
    assert first["words"] == [
        {"source_span": [0, 2], "target_span": [0, 2]},
        {"source_span": [3, 9], "target_span": [3, 9]},
        {"source_span": [10, 13], "target_span": [10, 13]},
        {"source_span": [14, 20], "target_span": [14, 20]},
    ]
    assert second["words"] == [
        {"source_span": [22, 24], "target_span": [22, 24]},
        {"source_span": [25, 30], "target_span": [25, 30]},
    ]
    assert "alternatives" not in first
    # Again from the cache (the translation and its words): the same.
    code, again, err = cli(capsys, "translate", str(_article(tmp_path)), "--json", "--words")
    assert code == 0 and _paragraph(again)["sentences"] == [first, second]
    assert _paragraph(again)["status"] == "cached"


def test_alternatives_start_with_the_translation(install_fr_en, tmp_path, capsys) -> None:
    code, out, err = cli(
        capsys, "translate", str(_article(tmp_path)), "--json", "--alternatives", "3"
    )
    assert code == 0, err
    for sentence in _paragraph(out)["sentences"]:
        assert sentence["alternatives"][0] == sentence["target"]
        assert len(sentence["alternatives"]) == 3
        assert "words" not in sentence


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--words"], "--words and --alternatives go with --json"),
        (["--json", "--alternatives", "0"], "expected a number from 1 to 16, got '0'"),
        (["--json", "--alternatives", "x"], "expected a number from 1 to 16, got 'x'"),
    ],
)
def test_usage_errors(install_fr_en, tmp_path, capsys, args, message) -> None:
    try:
        code, _, err = cli(capsys, "translate", str(_article(tmp_path)), *args)
    except SystemExit as exited:  # argparse's own usage errors
        code, err = int(exited.code or 0), capsys.readouterr().err
    assert code == 2
    assert message in err
