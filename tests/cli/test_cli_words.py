"""Words for people: each command's help, counted nouns, one line per failure, network
failures, one name per language."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from reader.cli import build_parser, main
from reader.core.util.wording import plural


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(((*path, name), sub))
                found.extend(_commands(sub, (*path, name)))
    return found


COMMANDS = _commands(build_parser())


def test_every_command_is_listed() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"list", "add", "translate", "export", "search", "models list", "models install",
            "models remove", "models available", "models download", "cache stats",
            "cache clear", "desktop install"} <= names


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else "")
def test_each_command_has_its_own_usage_and_help_on_every_option(
    path: tuple[str, ...], parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    # Its own usage, not the top-level one ("bilingual-reader [-h] [--version] [PATH ...] |").
    assert text.startswith(f"usage: bilingual-reader {' '.join(path)} [-h]"), text
    assert "[--version]" not in text
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, (path, action.dest)
        assert action.help in " ".join(text.split()), (path, action.dest)


def test_plural() -> None:
    assert plural(1, "match", "matches") == "1 match"
    assert plural(2, "match", "matches") == "2 matches"
    assert plural(0, "file") == "0 files"
    assert plural(1, "file") == "1 file"


def test_search_cut_to_one_says_match_in_the_singular(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["search", "gladkov", "--limit", "1"]) == 0
    _, err = capsys.readouterr()
    assert err == "bilingual-reader: showing the first match; --limit N shows more\n"


def test_a_missing_path_is_one_error_line(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "missing.txt"
    assert main(["list", str(missing)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"bilingual-reader: {missing}: no such file or directory\n"
    # Beside a real article: the article listed, the missing path said once.
    article = tmp_path / "a.txt"
    article.write_text("Un titre\n\nLe gouvernement a annoncé des mesures pour les entreprises.\n")
    assert main(["list", str(article), str(missing)]) == 1
    out, err = capsys.readouterr()
    assert str(missing) not in out and str(article) in out
    assert err.count(str(missing)) == 1


def test_offline_index_is_a_line_for_people_and_a_details_line(capsys) -> None:  # type: ignore[no-untyped-def]
    # tests/conftest.py points ARGOS_PACKAGE_INDEX at a closed loopback port.
    for args in (["models", "available"], ["models", "download", "fr_en"]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        first, details = err.rstrip("\n").split("\n")
        assert first == "bilingual-reader: error: Can't reach the model index (offline?)"
        assert details.startswith("  http://127.0.0.1:9/index.json: ")
        assert "Errno" not in first and out == ""


def test_one_name_per_language_even_when_a_package_mislabels_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.core.language.names import language_name
    from reader.core.models.store import install_package, installed_packages
    from reader.core.models.store import language_name as package_language_name
    from reader.core.presentation.export_document import ExportHeader
    from testkit.synthetic_package import build_synthetic_package

    built = build_synthetic_package(tmp_path / "models", "fr", "ar")
    install_package(built)
    metadata = next(installed_packages()[0].path.glob("metadata.json"))
    data = json.loads(metadata.read_text())
    data["to_name"] = "English"  # the package's own label is wrong
    metadata.write_text(json.dumps(data))
    package = installed_packages()[0]
    assert (package.to_code, package.to_name) == ("ar", "Arabic")
    assert language_name("ar") == package_language_name("ar") == "Arabic"
    # The PDF's header says the same.
    header = ExportHeader("T", None, None, None, None, "a.txt", "fr", "ar", ())
    assert header.language_pair == "French → Arabic"
    # The window's name (packages.language_name) and the CLI's model list agree.
    assert main(["models", "list"]) == 0
    out, _ = capsys.readouterr()
    assert "French → Arabic" in out and "English" not in out
    # A code the index does not know: the package's name, then the code itself.
    assert language_name("xx", [("xx", "Klingon")]) == "Klingon"
    assert language_name("xx") == "xx"
