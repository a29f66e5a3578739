"""``dictionaries``: the offline dictionaries ``define`` and the window's word panel use:
list them, install one (copied into the app's data folder), remove an installed one."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.output import PROG, CliError, Commands, Parser, print_json, say

NAME = "dictionaries"


def register(commands: Commands) -> None:
    parser = commands.add_parser(NAME, help="manage offline dictionaries (StarDict, dictd)")
    actions = parser.add_subparsers(
        dest="dictionaries_action", required=True, parser_class=Parser,
        prog=f"{PROG} dictionaries", metavar="ACTION", help="what to do with the dictionaries",
    )
    listing = actions.add_parser("list", help="the dictionaries found (system and installed)")
    listing.add_argument("--json", action="store_true", help="one JSON object per dictionary")
    listing.set_defaults(handler=run_list)
    install = actions.add_parser(
        "install", help="copy a dictionary (its NAME.ifo or NAME.index and the files beside it)"
    )
    install.add_argument("file", metavar="FILE", help="a StarDict .ifo or a dictd .index")
    install.set_defaults(handler=run_install)
    remove = actions.add_parser("remove", help="delete an installed dictionary")
    remove.add_argument("name", metavar="NAME", help="as dictionaries list shows it")
    remove.set_defaults(handler=run_remove)


def run_list(args: argparse.Namespace) -> int:
    from reader.core.words.dictionaries import discover
    from reader.core.words.formats import DictionaryError, open_dictionary

    rows = []
    for info in discover():
        title, words, error = "", 0, ""
        try:
            dictionary = open_dictionary(info.path)
            title, words = dictionary.title, len(dictionary)
            dictionary.close()
        except (DictionaryError, OSError) as problem:
            error = str(problem)
        rows.append({
            "name": info.name, "title": title, "format": info.format,
            "from": info.source or None, "to": info.target or None, "words": words,
            "installed_by_user": info.user, "path": str(info.path), "error": error or None,
        })
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("no dictionaries found; install Debian's dict-freedict-fra-eng (French → English) "
            f"or '{PROG} dictionaries install FILE'")
        return 0
    for row in rows:
        pair = f"{row['from'] or '?'} → {row['to'] or '?'}"
        where = "installed" if row["installed_by_user"] else "system"
        what = (f"error: {row['error']}" if row["error"]
                else f"{row['words']:,} words  {row['title']}")
        print(f"{row['name']:<28} {pair:<8} {row['format']:<8} {where:<9} {what}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    from reader.core.words.dictionaries import install
    from reader.core.words.formats import DictionaryError

    try:
        info = install(Path(args.file))
    except DictionaryError as error:
        raise CliError(str(error)) from error
    pair = f" ({info.source} → {info.target})" if info.source else ""
    print(f"installed {info.name}{pair}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from reader.core.words.dictionaries import remove
    from reader.core.words.formats import DictionaryError

    try:
        info = remove(args.name)
    except DictionaryError as error:
        raise CliError(str(error)) from error
    print(f"removed {info.name}")
    return 0
