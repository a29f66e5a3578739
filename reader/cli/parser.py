"""The argument parser, built from each command group's ``register``.

``COMMANDS`` is the one table of commands: their order is the help's order, and their names
are what ``window.window_paths`` tells apart from paths to open.
"""

from __future__ import annotations

import argparse

import reader.cli.adding as adding
import reader.cli.cache as cache
import reader.cli.desktop as desktop
import reader.cli.editing as editing
import reader.cli.exporting as exporting
import reader.cli.feeds as feeds
import reader.cli.glossary as glossary
import reader.cli.listing as listing
import reader.cli.models as models
import reader.cli.search as search
import reader.cli.translating as translating
import reader.cli.words.define as define
import reader.cli.words.dictionaries as dictionaries
import reader.cli.words.saved as saved
from reader import __version__
from reader.cli.output import PROG, Parser

# One module per command, in the help's order.
COMMANDS = (
    listing, adding, feeds, translating, exporting, models, search, editing, glossary, define,
    dictionaries, saved, cache, desktop,
)
COMMAND_NAMES: tuple[str, ...] = tuple(command.NAME for command in COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        usage=f"{PROG} [-h] [--version] [PATH ...] | {PROG} COMMAND ...",
        description="Read foreign-language news beside an offline translation. "
        "With no command, opens the window on the default library; with PATHs (files or "
        "folders), opens it on them, added to the library (to the window already open, if "
        "there is one).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog: each command's usage reads "bilingual-reader list [-h] ...", not the whole
    # top-level usage line followed by "list".
    commands = parser.add_subparsers(
        dest="command", parser_class=Parser, prog=PROG, metavar="COMMAND", help="what to do"
    )
    for command in COMMANDS:
        command.register(commands)
    return parser
