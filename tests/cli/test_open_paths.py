"""``bilingual-reader [PATH…]``: which words are commands and which are files to open."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import build_parser, main, window_paths

REPO = Path(__file__).resolve().parents[2]
SEED = "seeds/001_ae8a9364b6c910c6.txt"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_commands_and_options_are_not_paths() -> None:
    parser = build_parser()
    assert window_paths([], parser) == []
    assert window_paths(["list", "--json"], parser) is None
    assert window_paths(["desktop", "install"], parser) is None
    assert window_paths(["--version"], parser) is None


def test_existing_files_and_folders_are_paths() -> None:
    parser = build_parser()
    assert window_paths([SEED, "seeds"], parser) == [SEED, "seeds"]


def test_a_command_name_wins_over_a_file_of_that_name(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").write_text("Un article.\n")
    parser = build_parser()
    assert window_paths(["list"], parser) is None
    assert window_paths(["./list"], parser) == ["./list"]
    assert window_paths(["--", "list"], parser) == ["list"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["artcle.txt"], "'artcle.txt' is neither a command nor an existing file or folder"),
        ([SEED, "missing.txt"], "'missing.txt' is neither a command"),
        ([SEED, "--json"], "options go before the paths, or after `--`: --json"),
        (["--", "nowhere"], "'nowhere' is neither a command"),
    ],
)
def test_unknown_words_are_usage_errors(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "commands: list, add, feeds, translate, export" in err or "options go" in expected
    assert "Traceback" not in err


def test_paths_open_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window gets the paths (the window itself is tested in tests/ui/)."""
    import reader.ui.app

    opened: list[list[Path]] = []
    monkeypatch.setattr(reader.ui.app, "run", lambda paths: opened.append(paths) or 0)
    assert main([SEED, "seeds"]) == 0
    assert opened == [[Path(SEED), Path("seeds")]]
