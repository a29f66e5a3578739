"""``desktop install``: the app in the desktop's launcher (entry and icons)."""

from __future__ import annotations

import argparse

from reader.cli.output import PROG, Commands, Parser, say
from reader.core.util.wording import plural

NAME = "desktop"


def register(commands: Commands) -> None:
    desktop = commands.add_parser(NAME, help="add the app to the desktop's launcher")
    actions = desktop.add_subparsers(
        dest="desktop_action",
        required=True,
        parser_class=Parser,
        prog=f"{PROG} desktop",
        metavar="ACTION",
        help="what to do",
    )
    install = actions.add_parser(
        "install", help="install the launcher entry and icons under $XDG_DATA_HOME"
    )
    install.set_defaults(handler=run_install)


def run_install(args: argparse.Namespace) -> int:
    from reader import desktop

    done = desktop.install()
    print(f"launcher: {done.entry}")
    icons = done.entry.parent.parent / "icons" / "hicolor"
    print(f"icons:    {icons} ({plural(len(done.icons), 'file')})")
    print(f"command:  {done.command}")
    for note in done.notes:
        say(f"{PROG}: {note}")
    return 0
