"""``bilingual-reader desktop install``: the launcher entry and icons under ``$XDG_DATA_HOME``.

A pip install puts the command in a venv's ``bin/``, which desktop launchers do not search,
so the installed entry names the command by its absolute path (``Exec`` and ``TryExec``).
Qt-free: plain files, plus the freedesktop cache tools when they exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reader import paths

APP_ID = "bilingual-reader"  # the desktop file id and the icon name
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)

# Characters that make an Exec argument need quoting (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass
class DesktopInstall:
    entry: Path
    icons: list[Path] = field(default_factory=list)
    command: str = ""
    notes: list[str] = field(default_factory=list)  # cache updates done or skipped


def launch_command() -> list[str]:
    """How a launcher starts this installation: the ``bilingual-reader`` script beside this
    interpreter (a venv's bin/), else the one on PATH, else ``python -m reader``."""
    beside = Path(sys.executable).parent / APP_ID
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which(APP_ID)
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "reader"]


def quote_exec_argument(argument: str) -> str:
    """One argument of an Exec value, quoted as the spec asks, then escaped as a string
    value (where a backslash is written twice)."""
    if argument and not (_RESERVED & set(argument)):
        quoted = argument
    else:
        inner = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{inner}"'
    return quoted.replace("\\", "\\\\")


def render_entry(template: str, command: list[str]) -> str:
    """The shipped entry with ``Exec``/``TryExec`` pointing at ``command``."""
    exec_value = " ".join(quote_exec_argument(a) for a in command) + " %F"
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_value}"
        elif line.startswith("TryExec="):
            line = f"TryExec={quote_exec_argument(command[0])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(data_home: Path | None = None, command: list[str] | None = None) -> DesktopInstall:
    """Write the entry and icons under ``data_home`` (default ``$XDG_DATA_HOME``)."""
    data_home = data_home or paths.data_home()
    command = command or launch_command()
    source = paths.desktop_data_dir()
    applications = data_home / "applications"
    hicolor = data_home / "icons" / "hicolor"
    applications.mkdir(parents=True, exist_ok=True)
    entry = applications / f"{APP_ID}.desktop"
    template = (source / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    _write(entry, render_entry(template, command).encode("utf-8"))
    result = DesktopInstall(entry=entry, command=" ".join(command))
    for size in ICON_SIZES:
        png = source / f"{APP_ID}-{size}.png"
        target = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        _write(target, png.read_bytes())
        result.icons.append(target)
    svg_target = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    _write(svg_target, (source / f"{APP_ID}.svg").read_bytes())
    result.icons.append(svg_target)
    result.notes += _update_caches(applications, hicolor)
    return result


def _write(target: Path, data: bytes) -> None:
    # Write beside and rename: a launcher reading the folder never sees half a file.
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, target)


def _update_caches(applications: Path, hicolor: Path) -> list[str]:
    """Refresh the MIME and icon caches when the tools exist (desktops also notice new
    files by themselves, so a missing tool is only a note)."""
    notes = []
    for tool, arguments in (
        ("update-desktop-database", [str(applications)]),
        ("gtk-update-icon-cache", ["--force", "--ignore-theme-index", str(hicolor)]),
    ):
        found = shutil.which(tool)
        if found is None:
            notes.append(f"{tool} not found; skipped (the desktop picks the files up anyway)")
            continue
        try:
            done = subprocess.run(
                [found, *arguments], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError) as error:
            notes.append(f"{tool} failed: {error}")
            continue
        if done.returncode == 0:
            notes.append(f"updated with {tool}")
        else:
            first = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
            notes.append(f"{tool} failed: {first}")
    return notes
