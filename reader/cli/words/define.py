"""``define``: a word's entries in the installed dictionaries (its lemma when the form as
written has none)."""

from __future__ import annotations

import argparse

from reader.cli.common import DEFAULT_TARGET
from reader.cli.output import PROG, CliError, Commands, print_json

NAME = "define"
DEFAULT_SOURCE = "fr"


def register(commands: Commands) -> None:
    define = commands.add_parser(
        NAME, help="look a word up in the offline dictionaries (inflected forms by their lemma)"
    )
    define.add_argument("word", metavar="WORD", help="the word, as read (e.g. maisons)")
    define.add_argument("--from", dest="source", metavar="LANG", default=DEFAULT_SOURCE,
                        help=f"the word's language (default {DEFAULT_SOURCE})")
    define.add_argument("--to", metavar="LANG", default=DEFAULT_TARGET,
                        help=f"the dictionaries' target language (default {DEFAULT_TARGET})")
    define.add_argument("--json", action="store_true",
                        help="one JSON object: word, lemma, found_as, entries")
    define.set_defaults(handler=run)


def language(value: str, option: str) -> str:
    code = value.strip().lower()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise CliError(f"{option} expects a language code such as fr or en (got {value!r})")
    return code


def run(args: argparse.Namespace) -> int:
    from reader.cli.output import warn
    from reader.core.words.dictionaries import Dictionaries, missing_note

    source, target = language(args.source, "--from"), language(args.to, "--to")
    book = Dictionaries()
    if not any(info.serves(source, target) for info in book.listed()):
        raise CliError(missing_note(source, target, PROG))
    found = book.define(args.word, source, target)
    for line in found.skipped:
        warn(line)
    if args.json:
        print_json(found.as_json())
    elif found.entries:
        lemma = f" → {found.form}" if found.form != found.word else ""
        for number, entry in enumerate(found.entries):
            if number:
                print()
            print(f"{found.word}{lemma} ({entry.dictionary})")
            print(entry.text)
    if not found.entries:
        tried = ", ".join(found.forms) or repr(args.word)
        raise CliError(f"no entry for {args.word!r} ({source} → {target}; tried {tried})")
    return 0
