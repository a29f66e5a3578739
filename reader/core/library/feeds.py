"""Following RSS and Atom feeds: each new item's page becomes an article of the library.

A refresh, feed after feed: a conditional GET of the feed (:mod:`feed_fetch`; a 304 is
"nothing new"), feedparser on the bytes (RSS 0.9x, 1.0, 2.0 and Atom; never given a URL or
a path, see :func:`parse_feed`), then for each entry not taken before (keyed by its id/guid,
else its link; :mod:`feed_store`), at most :data:`MAX_NEW_ITEMS` a refresh, its page fetched
and extracted into the user's library like ``add URL``; when the page cannot be had, the
feed's own content (``content:encoded``, Atom ``content``, else the summary) becomes the
article. A broken feed is one line in its report and the others still refresh.

Politeness: one request at a time (feeds and pages go one after the other), at least
:data:`HOST_DELAY` seconds between two requests to the same host, one user agent (the
fetcher's), validators sent back so an unchanged feed costs the server a 304.
"""

from __future__ import annotations

import hashlib
import io
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.library.feed_fetch import FeedDocument, fetch_feed, shown
from reader.core.library.feed_store import FeedItem, FeedStore, now
from reader.core.library.fetch import DEFAULT_TIMEOUT, FetchError, check_url
from reader.core.library.user_folder import AddError, add_html, add_url

MAX_NEW_ITEMS = 20  # items taken from one feed in one refresh; the rest come next time
MAX_ENTRIES = 500  # entries of one document looked at (a feed of years is cut here)
HOST_DELAY = 1.0  # seconds between two requests to the same host
_KEY_CHARS = 500


class FeedError(Exception):
    """The feed cannot be read; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # id/guid, else link, else a digest of title and content
    link: str | None
    title: str
    content: str  # HTML: content:encoded / Atom content, else the summary ("" if none)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    entries: list[Entry]


@dataclass(slots=True)
class FeedReport:
    """What one feed's refresh did."""

    url: str
    title: str
    status: str = "new"  # "new" (0 or more items added), "not-modified", "failed"
    error: str | None = None
    added: list[FeedItem] = field(default_factory=list)
    item_errors: list[str] = field(default_factory=list)  # items skipped, one line each
    left: int = 0  # new entries left for the next refresh (over MAX_NEW_ITEMS)

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url, "title": self.title, "status": self.status, "error": self.error,
            "added": [{"title": i.title, "link": i.link, "path": str(i.path),
                       "from": i.source} for i in self.added],
            "item_errors": self.item_errors, "left_for_next_refresh": self.left,
        }


# --------------------------------------------------------------------------- parsing


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _entry_key(entry: Any, link: str | None, title: str, content: str) -> str:
    ident = _text(entry.get("id"))
    if ident:
        return ident[:_KEY_CHARS]
    if link:
        return link[:_KEY_CHARS]
    digest = hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()[:16]
    return f"sha256:{digest}"


def _link(entry: Any, base: str) -> str | None:
    raw = _text(entry.get("link"))
    if not raw:
        return None
    try:
        return check_url(urllib.parse.urljoin(base, raw))
    except FetchError:
        return None  # a javascript: or mailto: link: the feed's content is used


def _content(entry: Any) -> str:
    for part in entry.get("content") or ():
        value = part.get("value") if hasattr(part, "get") else None
        if value and value.strip():
            return str(value)
    return str(entry.get("summary") or "")


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """The feed's title and entries (in the document's order). feedparser gets a stream:
    given bytes it would first try them as a file name, and given a string that looks like
    a URL it would fetch it."""
    import feedparser  # lazy: only a refresh needs it

    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": url,
                          "content-type": content_type or "application/xml"},
    )
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({_text(problem)[:120]})" if problem else ""
        raise FeedError(f"{shown(url)}: not an RSS or Atom feed{detail}")
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in parsed.entries[:MAX_ENTRIES]:
        link = _link(raw, url)
        title = _text(raw.get("title"))
        content = _content(raw)
        key = _entry_key(raw, link, title, content)
        if key in seen:  # the same id twice in one document: the first one counts
            continue
        seen.add(key)
        entries.append(Entry(key, link, title, content))
    return ParsedFeed(_text(parsed.feed.get("title")), entries)


# --------------------------------------------------------------------------- politeness


class HostPacer:
    """At least ``delay`` seconds between two requests to the same host (the caller makes
    one request at a time); the wait ends early on cancel."""

    def __init__(self, delay: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = HOST_DELAY if delay is None else delay
        self._clock = clock
        self._last: dict[str, float] = {}

    def wait(self, url: str, cancelled: Callable[[], bool] | None = None) -> None:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        last = self._last.get(host)
        if last is not None:
            while (left := last + self.delay - self._clock()) > 0:
                if cancelled is not None and cancelled():
                    raise FetchError("cancelled")
                time.sleep(min(left, 0.05))
        self._last[host] = self._clock()


# --------------------------------------------------------------------------- refreshing


@dataclass
class Refresher:
    """Refreshes feeds of ``store`` into the library ``folder`` (the user's by default)."""

    store: FeedStore
    folder: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_items: int = MAX_NEW_ITEMS
    pacer: HostPacer = field(default_factory=HostPacer)
    cancelled: Callable[[], bool] | None = None

    def _is_cancelled(self) -> bool:
        return self.cancelled is not None and self.cancelled()

    def fetch(self, url: str, etag: str | None = None,
              modified: str | None = None) -> FeedDocument:
        self.pacer.wait(url, self.cancelled)
        return fetch_feed(url, etag=etag, modified=modified, timeout=self.timeout,
                          cancelled=self.cancelled)

    def check(self, url: str) -> ParsedFeed:
        """Fetch and parse ``url`` once (``feeds add``: is it a feed, what is its title)."""
        document = self.fetch(url)
        return parse_feed(document.data, document.final_url, document.content_type)

    def refresh_all(self, progress: Callable[[int, int, str], None] | None = None
                    ) -> list[FeedReport]:
        """Every feed, in the order they were added; ``progress(done, total, title)``."""
        feeds = self.store.feeds()
        reports: list[FeedReport] = []
        for done, feed in enumerate(feeds):
            if self._is_cancelled():
                break
            if progress is not None:
                progress(done, len(feeds), feed.name)
            reports.append(self.refresh(feed.url))
        if progress is not None and not self._is_cancelled():
            progress(len(feeds), len(feeds), "")
        return reports

    def refresh(self, url: str) -> FeedReport:
        """One feed; never raises for the feed's own failures (they are in the report)."""
        feed = self.store.feed(url)
        if feed is None:
            return FeedReport(url, url, "failed", f"not followed: {shown(url)}")
        report = FeedReport(url, feed.name)
        try:
            document = self.fetch(url, feed.etag, feed.modified)
            if document.not_modified:
                report.status = "not-modified"
                self.store.checked(url, title=feed.title, etag=document.etag,
                                   modified=document.modified)
                return report
            parsed = parse_feed(document.data, document.final_url, document.content_type)
        except (FetchError, FeedError) as error:
            report.status, report.error = "failed", str(error)
            self.store.checked(url, error=report.error)
            return report
        report.title = parsed.title or feed.name
        self._take_new(url, parsed, report)
        # Validators only once the items are in: a refresh cut short is redone in full.
        if self._is_cancelled():
            return report
        self.store.checked(url, title=parsed.title, etag=document.etag,
                           modified=document.modified)
        return report

    def _take_new(self, url: str, parsed: ParsedFeed, report: FeedReport) -> None:
        known = self.store.known_keys(url)
        new = [entry for entry in parsed.entries if entry.key not in known]
        report.left = max(0, len(new) - self.max_items)
        # The first entries are the newest; the oldest of them is taken first, so that the
        # store's "newest first" shows them in the feed's order.
        for entry in reversed(new[: self.max_items]):
            if self._is_cancelled():
                report.left += 1
                continue
            try:
                item = self._take(url, entry)
            except (FetchError, AddError) as error:
                if self._is_cancelled():  # not the item's fault: it is tried next time
                    report.left += 1
                else:
                    report.item_errors.append(
                        f"{entry.title or entry.link or entry.key}: {error}")
                continue
            except OSError as error:  # the library folder itself (disk full, permissions)
                report.item_errors.append(f"cannot save {entry.title or entry.key}: "
                                          f"{error.strerror or error}")
                continue
            self.store.add_item(item)
            report.added.append(item)

    def _take(self, url: str, entry: Entry) -> FeedItem:
        """The entry as a library article: its page, else the feed's own content."""
        source = "page"
        page_error: Exception | None = None
        added = None
        if entry.link is not None:
            try:
                self.pacer.wait(entry.link, self.cancelled)
                added = add_url(entry.link, folder=self.folder, timeout=self.timeout,
                                cancelled=self.cancelled)
            except (FetchError, AddError) as error:
                if self._is_cancelled():
                    raise
                page_error = error
        if added is None:
            if not entry.content.strip():
                raise page_error or AddError("the entry has neither a link nor any content")
            source = "feed"
            added = add_html(entry.content, title=entry.title, url=entry.link,
                             origin={"feed": url, "entry": entry.key}, folder=self.folder)
        title = entry.title or (added.article.display_title if added.article.ok else "")
        return FeedItem(url, entry.key, entry.link, title, added.path, source, now())
