"""``cache``: where the translation cache is and what it holds; clearing it."""

from __future__ import annotations

import argparse

from reader.cli.common import load_full, open_cache
from reader.cli.output import PROG, CliError, Commands, Parser, print_json, say
from reader.core.util.wording import plural

NAME = "cache"


def register(commands: Commands) -> None:
    cache = commands.add_parser(NAME, help="inspect or clear the translation cache")
    actions = cache.add_subparsers(
        dest="cache_action",
        required=True,
        parser_class=Parser,
        prog=f"{PROG} cache",
        metavar="ACTION",
        help="what to do with the cache",
    )
    stats = actions.add_parser("stats", help="where the cache is, its size and what it holds")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    stats.set_defaults(handler=run_stats)
    clear = actions.add_parser(
        "clear", help="clear everything, or only the given articles' translations"
    )
    clear.add_argument(
        "paths", nargs="*", metavar="PATH", help="only these articles' translations"
    )
    clear.add_argument(
        "--include-edits", action="store_true", help="also delete your post-edits"
    )
    clear.set_defaults(handler=run_clear)


def run_stats(args: argparse.Namespace) -> int:
    cache = open_cache()
    try:
        stats = cache.stats()
        if args.json:
            print_json(stats.to_json())
            return 0
        print(f"cache:       {stats.path}")
        print(f"entries:     {stats.entries}")
        print(f"sentences:   {stats.sentences}  (sentence memory)")
        print(f"user edits:  {stats.user_edits}")
        print(f"size:        {stats.size_bytes / 1e6:.2f} MB")
        for pair, count in stats.per_pair.items():
            print(f"  {pair:<8} {count}")
        return 0
    finally:
        cache.close()


def run_clear(args: argparse.Namespace) -> int:
    from reader.core.translation.cache import CacheWriteError

    cache = open_cache()
    try:
        if args.paths:
            from reader.core.translation.engine import article_cache_hashes

            articles = load_full(args.paths)
            hashes = [h for a in articles if a.ok for h in article_cache_hashes(a)]
            for article in articles:
                if not article.ok:
                    say(f"{PROG}: {article.path}: {article.error}")
            try:
                removed = cache.clear_hashes(hashes, include_edits=args.include_edits)
            except CacheWriteError as error:
                raise CliError(f"nothing more was removed: {error}") from error
            print(
                f"removed {plural(removed, 'cached translation')} of "
                f"{plural(len(articles), 'article')}"
            )
        else:
            try:
                removed = cache.clear(include_edits=args.include_edits)
            except CacheWriteError as error:
                raise CliError(f"nothing was removed: {error}") from error
            kept = "" if args.include_edits else " (post-edits kept: add --include-edits)"
            print(f"removed {plural(removed, 'cached translation')}{kept}")
        return 0
    finally:
        cache.close()
