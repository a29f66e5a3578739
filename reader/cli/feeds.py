"""``feeds``: follow RSS and Atom feeds; each refresh adds their new items to the library.

``feeds add URL | list [--json] | remove URL | refresh [--json] | import FILE.opml |
export FILE.opml``. A refresh fetches each feed (conditionally: an unchanged feed is a 304),
then each new item's page, into the user's library. Exit codes: 0 ok; 1 when a feed could
not be refreshed (one line on stderr each, the others refreshed all the same), the feed to
add is not one, the OPML file is refused; 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from reader.cli.output import PROG, CliError, Commands, Parser, print_json, say, warn
from reader.core.util.wording import plural

if TYPE_CHECKING:
    from reader.core.library.feed_store import FeedStore

NAME = "feeds"
T = TypeVar("T")


def register(commands: Commands) -> None:
    feeds = commands.add_parser(
        NAME, help="follow RSS and Atom feeds (refresh adds their new items to your library)",
        description="Follow RSS and Atom feeds. A refresh adds each new item's page to your "
        "library (the feed's own text when the page cannot be had); unchanged feeds cost "
        "the server a 304.",
    )
    actions = feeds.add_subparsers(dest="action", parser_class=Parser, metavar="ACTION",
                                   required=True, help="what to do with feeds")
    add = actions.add_parser("add", help="follow a feed (checks that it is one)")
    add.add_argument("url", metavar="URL", help="the feed's link (RSS or Atom)")
    _timeout(add)
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="the feeds followed")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=run_list)
    remove = actions.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("url", metavar="URL", help="the feed's link, as `feeds list` shows it")
    remove.set_defaults(handler=run_remove)
    refresh = actions.add_parser("refresh", help="fetch new items of every feed (network)")
    refresh.add_argument("--json", action="store_true", help="machine-readable output")
    _timeout(refresh)
    refresh.set_defaults(handler=run_refresh)
    opml_in = actions.add_parser("import", help="follow the feeds of an OPML file")
    opml_in.add_argument("file", metavar="FILE.opml", type=Path,
                         help="an OPML list exported by a feed reader")
    opml_in.set_defaults(handler=run_import)
    opml_out = actions.add_parser("export", help="write the feeds followed as OPML")
    opml_out.add_argument("file", metavar="FILE.opml", type=Path,
                          help="the file to write (replaced if it exists)")
    opml_out.set_defaults(handler=run_export)


def _timeout(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--timeout", type=float, default=20.0,
        help="seconds to wait for a server (default 20); a whole fetch ends at 3× this",
    )


def _store() -> FeedStore:
    from reader.core.library.feed_store import FeedStore

    return FeedStore()


def _checked(call: Callable[[], T]) -> T:
    """The store's own failures (an unusable feeds file) as one line."""
    from reader.core.library.feed_store import FeedStoreError

    try:
        return call()
    except FeedStoreError as error:
        raise CliError(str(error)) from None


def run_add(args: argparse.Namespace) -> int:
    from reader.core.library.feeds import FeedError, Refresher
    from reader.core.library.fetch import FetchError, check_url

    store = _store()
    try:
        url = check_url(args.url)
        known = _checked(lambda: store.feed(url))
        if known is not None:
            print(f"already following: {known.name}  [{url}]")
            return 0
        parsed = Refresher(store, timeout=args.timeout).check(url)
    except (FetchError, FeedError) as error:
        raise CliError(str(error)) from None
    _checked(lambda: store.add(url, parsed.title))
    print(f"following: {parsed.title or url}  [{url}] ({plural(len(parsed.entries), 'item')} now; "
          f"`{PROG} feeds refresh` adds them)")
    return 0


def _counts(store: FeedStore) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in _checked(store.items):
        counts[item.feed] = counts.get(item.feed, 0) + 1
    return counts


def run_list(args: argparse.Namespace) -> int:
    store = _store()
    feeds = _checked(store.feeds)
    counts = _counts(store)
    if args.json:
        print_json([{"url": f.url, "title": f.title, "items": counts.get(f.url, 0),
                     "added": f.added, "last_refresh": f.checked, "last_error": f.error}
                    for f in feeds])
        return 0
    for feed in feeds:
        state = f", last refresh failed: {feed.error}" if feed.error else ""
        print(f"{feed.name}  [{feed.url}]  {plural(counts.get(feed.url, 0), 'item')}{state}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    store = _store()
    url = args.url.strip()
    feed = _checked(lambda: store.feed(url))
    if feed is None:
        raise CliError(f"not following {url}")
    count = _counts(store).get(url, 0)
    _checked(lambda: store.remove(url))
    kept = "its article stays" if count == 1 else f"its {count} articles stay"
    print(f"removed: {feed.name}  [{url}] ({kept} in the library)")
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    from reader.core.library.feeds import Refresher

    store = _store()
    if not _checked(store.feeds):
        if args.json:
            print_json([])
        else:
            say(f"{PROG}: no feeds to refresh (follow one with: {PROG} feeds add URL)")
        return 0
    progress = None
    if sys.stderr.isatty() and not args.json:
        def progress(done: int, total: int, title: str) -> None:
            sys.stderr.write(f"\r\x1b[Krefreshing {done + 1}/{total}: {title[:60]}"
                             if done < total else "\r\x1b[K")
            sys.stderr.flush()
    reports = _checked(lambda: Refresher(store, timeout=args.timeout).refresh_all(progress))
    failed = [r for r in reports if r.status == "failed"]
    for report in reports:
        if report.status == "failed":
            say(f"{PROG}: feed {report.title}: {report.error}")
        for line in report.item_errors:
            warn(f"{report.title}: item skipped (tried again next refresh): {line}")
    if args.json:
        print_json([report.to_json() for report in reports])
    else:
        for report in reports:
            if report.status == "failed":
                continue
            what = ("not modified" if report.status == "not-modified"
                    else f"{len(report.added)} new" if report.added else "nothing new")
            more = f" ({report.left} more next refresh)" if report.left else ""
            print(f"{report.title}: {what}{more}")
            for item in report.added:
                print(f"  {item.title or item.link}  [{item.path}]")
    if failed:
        say(f"{PROG}: {len(failed)} of {plural(len(reports), 'feed')} could not be refreshed")
    return 1 if failed else 0


def run_import(args: argparse.Namespace) -> int:
    from reader.core.library.fetch import FetchError, check_url
    from reader.core.library.opml import OpmlError, read_opml

    try:
        subscriptions = read_opml(args.file)
    except OpmlError as error:
        raise CliError(str(error)) from None
    store = _store()
    added = already = 0
    for subscription in subscriptions:
        try:
            url = check_url(subscription.url)
        except FetchError as error:
            warn(f"{args.file}: skipped: {error}")
            continue
        if _checked(lambda url=url, s=subscription: store.add(url, s.title)):
            added += 1
        else:
            already += 1
    print(f"imported {plural(added, 'feed')} from {args.file}"
          + (f" ({already} already followed)" if already else ""))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from reader.core.library.opml import Subscription, opml_document

    feeds = _checked(_store().feeds)
    text = opml_document([Subscription(f.url, f.title) for f in feeds])
    args.file.write_text(text, encoding="utf-8")
    print(f"exported {plural(len(feeds), 'feed')} to {args.file}")
    return 0
