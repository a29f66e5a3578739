"""No command: the window, on the default library or on the files and folders named."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from reader.cli.parser import COMMAND_NAMES


def window_paths(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str] | None:
    """The files and folders to open the window on, or None when ``argv`` is a command.

    The rule: a known command name wins (``./list`` opens a file named "list"); anything
    else is a path, which must exist; ``--`` ends the options, so ``-- -odd.txt`` opens that
    file. An unknown word that is not an existing path is a usage error naming the commands.
    """
    if not argv:
        return []
    first = argv[0]
    if first == "--":
        candidates = list(argv[1:])
    elif first.startswith("-") or first in COMMAND_NAMES:
        return None
    else:
        candidates = list(argv)
    for candidate in candidates:
        if candidate.startswith("-") and first != "--":
            parser.error(f"options go before the paths, or after `--`: {candidate}")
        if not os.path.lexists(candidate):
            commands = ", ".join(COMMAND_NAMES)
            parser.error(
                f"{candidate!r} is neither a command nor an existing file or folder "
                f"(commands: {commands})"
            )
    return candidates


def run(args: argparse.Namespace) -> int:
    from reader.ui.app import run as run_window

    return run_window([Path(p) for p in getattr(args, "paths", [])])
