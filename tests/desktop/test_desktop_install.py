"""``bilingual-reader desktop install``: the launcher entry and icons under $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from reader import desktop, paths
from reader.cli import main

ENTRY_NAME = "bilingual-reader.desktop"


def _validate(entry: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate not installed (Debian: desktop-file-utils)")
    result = subprocess.run([tool, str(entry)], capture_output=True, text=True, check=False)
    # It prints errors and warnings (and exits 1 on errors); hints are advice, not problems.
    problems = [line for line in result.stdout.splitlines() if "hint:" not in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_shipped_entry_validates_and_opens_articles() -> None:
    shipped = paths.desktop_data_dir() / ENTRY_NAME
    _validate(shipped)
    entry = _entry(shipped)
    assert entry["Exec"] == "bilingual-reader %F"
    assert set(entry["MimeType"].strip(";").split(";")) >= {
        "text/plain", "text/html", "text/markdown", "application/pdf"
    }
    assert entry["Icon"] == "bilingual-reader"
    assert entry["Categories"]


def test_icons_are_square_pngs_of_every_size() -> None:
    folder = paths.desktop_data_dir()
    for size in desktop.ICON_SIZES:
        image = QImage(str(folder / f"bilingual-reader-{size}.png"))
        assert not image.isNull() and (image.width(), image.height()) == (size, size)
        # Not blank: the rounded square's corner is transparent, its centre is not.
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_install_writes_entry_with_absolute_command_and_icons(
    isolated_xdg: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["desktop", "install"]) == 0
    out = capsys.readouterr().out
    data = isolated_xdg["XDG_DATA_HOME"]
    entry_path = data / "applications" / ENTRY_NAME
    assert str(entry_path) in out  # says where
    _validate(entry_path)
    entry = _entry(entry_path)
    command = desktop.launch_command()
    assert Path(command[0]).is_absolute()
    assert entry["Exec"].endswith(" %F")
    assert entry["Exec"].startswith(desktop.quote_exec_argument(command[0]))
    for size in desktop.ICON_SIZES:
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "bilingual-reader.png"
                ).is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "bilingual-reader.svg").is_file()
    # No temporary file left behind by the atomic writes.
    assert not [p for p in data.rglob(".*.tmp")]


def test_installed_command_runs(isolated_xdg: dict[str, Path]) -> None:
    """The Exec command of this installation really starts this app (here: --version)."""
    command = desktop.launch_command()
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("bilingual-reader ")


def test_exec_quoting_follows_the_spec() -> None:
    assert desktop.quote_exec_argument("/usr/bin/bilingual-reader") == "/usr/bin/bilingual-reader"
    # Spaces: double quotes; inside them ", `, $ and \ are backslash-escaped, and the string
    # value escapes each backslash once more.
    assert desktop.quote_exec_argument("/home/a b/venv/bin/x") == '"/home/a b/venv/bin/x"'
    assert desktop.quote_exec_argument('/x/$HOME"q') == '"/x/\\\\$HOME\\\\"q"'


def test_entry_with_a_path_that_needs_quoting_validates(tmp_path: Path) -> None:
    template = (paths.desktop_data_dir() / ENTRY_NAME).read_text(encoding="utf-8")
    odd = str(tmp_path / "my venv $1" / "bin" / "bilingual-reader")
    entry = tmp_path / ENTRY_NAME
    entry.write_text(desktop.render_entry(template, [odd]), encoding="utf-8")
    _validate(entry)
    assert _entry(entry)["Exec"].startswith('"')


def test_install_without_cache_tools_still_installs(
    isolated_xdg: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    done = desktop.install(command=[sys.executable, "-m", "reader"])
    assert done.entry.is_file()
    assert any("not found" in note for note in done.notes)
    assert os.path.isabs(done.command.split()[0])
