"""``glossary``: the reader's terms (source → target, or kept as written) that every
translation obeys; stored beside the library, never cleared with the cache."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.output import PROG, CliError, Commands, print_json, say

NAME = "glossary"


def register(commands: Commands) -> None:
    glossary = commands.add_parser(
        NAME, help="your terms: always translate a word as you say, or keep it as written",
        description="Glossary entries every translation obeys (matching ignores case, on "
        "word boundaries, with simple plurals). Changing an entry re-translates only the "
        "paragraphs that contain the term.",
    )
    actions = glossary.add_subparsers(dest="action", metavar="ACTION", required=True,
                                      help="what to do with the glossary")
    add = actions.add_parser("add", help="add or change an entry: SOURCE TARGET, or TERM --keep")
    add.add_argument("source", metavar="SOURCE", help="the term in the source language")
    add.add_argument("target", metavar="TARGET", nargs="?", help="its translation")
    add.add_argument("--keep", action="store_true", help="never translate the term")
    add.add_argument("--from", dest="from_code", metavar="LANG",
                     help="source language (default: every language)")
    add.add_argument("--to", dest="to_code", metavar="LANG",
                     help="target language (default: every language)")
    add.add_argument("--article", metavar="PATH", help="only for this article or book")
    listing = actions.add_parser("list", help="list the entries")
    listing.add_argument("--json", action="store_true", help="as JSON")
    remove = actions.add_parser("remove", help="remove the entries for a term")
    remove.add_argument("source", metavar="SOURCE", help="the term whose entries go")
    load = actions.add_parser("import", help="add entries from a .csv or .tsv file")
    load.add_argument("file", metavar="FILE",
                      help="columns source,target[,from,to[,article]]; an empty target keeps")
    save = actions.add_parser("export", help="write the entries to a .csv file")
    save.add_argument("file", metavar="FILE", help="the CSV file to write")
    glossary.set_defaults(handler=run)


def _language(value: str | None) -> str:
    from reader.core.glossary.terms import ANY
    from reader.core.language.names import to_argos_code

    if not value:
        return ANY
    code = to_argos_code(value)
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise CliError(f"expected a language code such as fr or en (got {value!r})")
    return code


def run(args: argparse.Namespace) -> int:
    from reader.core.glossary.store import (
        GlossaryError,
        GlossaryStore,
        article_scope,
        make_entry,
        read_table,
        write_table,
    )

    def usage(message: str) -> int:
        say(f"{PROG} glossary {args.action}: error: {message}")
        return 2

    try:
        store = GlossaryStore()
    except OSError as error:
        raise CliError(f"the glossary cannot be opened: {error}") from error
    try:
        if args.action == "add":
            if args.keep == (args.target is not None):
                return usage("give a TARGET, or --keep to keep the term as written")
            scope = ""
            if args.article:
                if not Path(args.article).exists():
                    return usage(f"--article {args.article}: no such file")
                scope = article_scope(args.article)
            try:
                entry = make_entry(args.source, None if args.keep else args.target,
                                   _language(args.from_code), _language(args.to_code), scope)
            except GlossaryError as error:
                return usage(str(error))
            changed = store.add(entry)
            what = "kept as written" if entry.keep else f"→ {entry.target}"
            print(f"{'added' if changed else 'unchanged'}: {entry.source} {what}")
        elif args.action == "list":
            entries = store.entries()
            if args.json:
                print_json([entry.to_json() for entry in entries])
            for entry in [] if args.json else entries:
                pair = f"{entry.from_code}→{entry.to_code}"
                target = "(keep)" if entry.keep else entry.target
                scope = f"  [{entry.scope}]" if entry.scope else ""
                print(f"{entry.source}\t{target}\t{pair}{scope}")
        elif args.action == "remove":
            gone = store.remove(args.source)
            if not gone:
                raise CliError(f"no glossary entry for {args.source!r}")
            print(f"removed: {len(gone)} entr{'y' if len(gone) == 1 else 'ies'} for {args.source}")
        elif args.action == "import":
            path = Path(args.file)
            if path.suffix.lower() not in (".csv", ".tsv"):
                return usage(f"{path}: expected a .csv or .tsv file")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CliError(f"{path}: cannot read: {error}") from error
            try:
                entries = read_table(text, path.name)
            except GlossaryError as error:
                raise CliError(str(error)) from error
            print(f"imported: {store.add_many(entries)} new or changed of {len(entries)}")
        elif args.action == "export":
            path = Path(args.file)
            try:
                path.write_text(write_table(store.entries()), encoding="utf-8")
            except OSError as error:
                raise CliError(f"{path}: cannot write: {error}") from error
            print(f"exported: {len(store.entries())} entries to {path}")
    finally:
        store.close()
    return 0
