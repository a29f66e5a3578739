"""``add``: web links or files copied into the user's library folder."""

from __future__ import annotations

import argparse

from reader.cli.output import PROG, Commands, say

NAME = "add"


def register(commands: Commands) -> None:
    adding = commands.add_parser(
        NAME, help="add web links or files to your library (links use the network)"
    )
    adding.add_argument(
        "sources", nargs="+", metavar="URL|FILE", help="http(s) links to fetch, or article files"
    )
    adding.add_argument(
        "--timeout", type=float, default=20.0,
        help="seconds to wait for a server (default 20); a whole fetch ends at 3× this",
    )
    adding.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from reader.core.library.fetch import FetchError
    from reader.core.library.user_folder import AddError, add

    failed = 0
    for source in args.sources:
        try:
            added = add(source, timeout=args.timeout) if "://" in source else add(source)
        except (AddError, FetchError) as error:
            say(f"{PROG}: {error}")
            failed += 1
            continue
        except OSError as error:  # the library folder (disk full, permissions): one line
            say(f"{PROG}: {source}: cannot save the article: {error.strerror or error}")
            failed += 1
            continue
        state = "already in the library" if added.already else "added"
        title = added.article.display_title if added.article.ok else added.path.name
        print(f"{state}: {title}  [{added.path}]")
    return 1 if failed else 0
