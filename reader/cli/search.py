"""``search``: originals and cached translations, case and accents ignored."""

from __future__ import annotations

import argparse

from reader.cli.common import library_targets, open_cache, target
from reader.cli.output import PROG, Commands, print_json, say

NAME = "search"


def register(commands: Commands) -> None:
    search = commands.add_parser(
        NAME, help="search originals and cached translations (ignores case and accents)"
    )
    search.add_argument("query", metavar="QUERY", help="words to find (case and accents ignored)")
    search.add_argument("paths", nargs="*", metavar="PATH", help="default: the default library")
    search.add_argument("--to", metavar="LANG", help="which translations to search (default en)")
    search.add_argument(
        "--limit", type=positive, default=500, help="at most this many matches (default 500)"
    )
    search.add_argument("--json", action="store_true", help="one JSON object per match")
    search.set_defaults(handler=run)


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    from reader.core.library.listing import load_library
    from reader.core.library.search import search_library

    articles = load_library(library_targets(args.paths), paragraph_languages=False)
    cache = open_cache()
    try:
        # One more than asked: tells whether the list was cut.
        hits = search_library(
            articles, args.query, cache=cache, target_language=target(args.to),
            limit=args.limit + 1,
        )
    finally:
        cache.close()
    cut = len(hits) > args.limit
    hits = hits[: args.limit]
    if args.json:
        print_json([hit.to_json() for hit in hits])
    else:
        for hit in hits:
            side = "original" if hit.side == "source" else "translation"
            print(f"{hit.article_path.name}:{hit.paragraph_index + 1} [{side}] {hit.snippet}")
        if not hits:
            say(f"no matches for {args.query!r}")
    if cut:
        shown = "the first match" if args.limit == 1 else f"the first {args.limit} matches"
        say(f"{PROG}: showing {shown}; --limit N shows more")
    return 0
