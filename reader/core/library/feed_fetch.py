"""Fetch one feed document: a conditional GET through the app's fetcher.

The same road as a page (:func:`reader.core.library.fetch.open_url`: one user agent, http
and https only, bounded redirects, a :class:`~reader.core.util.transfer.Transfer` with a
deadline and a prompt cancel, a size cap while reading, gzip/deflate undone with a bound),
with what a feed adds: ``If-None-Match`` / ``If-Modified-Since`` from the last answer, a
304 that means "nothing new", and feed content types. The bytes go to feedparser, which is
never given a URL (it would fetch it itself, with its own agent and no limits).
"""

from __future__ import annotations

import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reader.core.library.fetch import (
    DEADLINE_FACTOR,
    DEFAULT_TIMEOUT,
    FetchError,
    check_url,
    open_url,
    reason,
)
from reader.core.util.transfer import (
    CANCELLED,
    BadEncoding,
    BodyTooLarge,
    ContentDecoder,
    Transfer,
    TransferAborted,
    read_chunks,
)

MAX_FEED_BYTES = 4 * 1024 * 1024  # a busy news feed is 50–500 kB
_MAX_VALIDATOR = 200  # characters of an ETag or a date kept (a server may send anything)
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
# Kinds of content that are certainly not a feed (anything else is left to the parser:
# servers label feeds text/html, text/plain or application/octet-stream too).
_NOT_FEEDS = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip")


@dataclass(frozen=True, slots=True)
class FeedDocument:
    url: str  # as asked
    final_url: str  # after redirects (what relative links resolve against)
    not_modified: bool  # a 304: nothing new since the validators sent
    data: bytes  # empty on a 304
    content_type: str
    etag: str | None  # validators to send next time
    modified: str | None


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n // 1024} kB" if n >= 1024 else f"{n} bytes"


def shown(url: str, limit: int = 200) -> str:
    """``url`` on one line, cut to ``limit`` characters (a message quotes it)."""
    text = " ".join(url.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validator(value: str | None) -> str | None:
    """A header value fit to be sent back: printable ASCII on one line, else nothing."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > _MAX_VALIDATOR:
        return None
    if any(not 32 <= ord(c) < 127 for c in value):
        return None
    return value


def conditional_headers(etag: str | None, modified: str | None) -> dict[str, str]:
    headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if _validator(etag):
        headers["If-None-Match"] = etag.strip()  # type: ignore[union-attr]
    if _validator(modified):
        headers["If-Modified-Since"] = modified.strip()  # type: ignore[union-attr]
    return headers


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_FEED_BYTES,
    cancelled: Callable[[], bool] | None = None,
) -> FeedDocument:
    """GET the feed at ``url``, conditionally when ``etag``/``modified`` are given. Raises
    :class:`~reader.core.library.fetch.FetchError` (one line naming the link)."""
    url = check_url(url)
    where = shown(url)
    try:
        with Transfer(DEADLINE_FACTOR * timeout, cancelled=cancelled,
                      io_timeout=timeout) as transfer:
            return _fetch(url, where, transfer, conditional_headers(etag, modified),
                          max_bytes, etag, modified)
    except FetchError:
        raise
    except TransferAborted as exc:
        raise FetchError(CANCELLED if str(exc) == CANCELLED
                         else f"cannot reach {where}: timed out") from None
    except Exception as exc:  # whatever a hostile server provokes: one line, as for pages
        raise FetchError(f"cannot reach {where}: {reason(exc)}") from None


def _fetch(
    url: str, where: str, transfer: Transfer, headers: dict[str, str], max_bytes: int,
    etag: str | None, modified: str | None,
) -> FeedDocument:
    try:
        response: Any = open_url(url, transfer, headers)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:  # nothing new; a server may renew its validators on a 304
            return FeedDocument(
                url=url, final_url=url, not_modified=True, data=b"", content_type="",
                etag=_validator(exc.headers.get("ETag")) or etag,
                modified=_validator(exc.headers.get("Last-Modified")) or modified,
            )
        if exc.code in (301, 302, 303, 307, 308):
            raise FetchError(f"{where}: too many redirects or a redirect outside the web"
                             ) from None
        text = " ".join(str(exc.reason).split())[:100]
        raise FetchError(f"{where}: HTTP {exc.code} {text}".rstrip()) from None
    except OSError:
        transfer.check()  # the watchdog's shutdown: "timed out" or "cancelled"
        raise
    with response:
        content_type = response.headers.get_content_type()
        if content_type.startswith(_NOT_FEEDS):
            raise FetchError(f"{where}: not a feed ({shown(content_type, 80)})")
        try:
            decoder = ContentDecoder(response.headers.get("Content-Encoding"), max_bytes)
            chunks = [decoder.feed(raw) for raw in read_chunks(response, transfer, max_bytes)]
            chunks.append(decoder.finish())
        except BodyTooLarge:
            raise FetchError(f"{where}: feed too large (over {_size(max_bytes)})") from None
        except BadEncoding as exc:
            raise FetchError(f"{where}: {exc}") from None
        data = b"".join(chunks)
        if not data.strip():
            raise FetchError(f"{where}: empty feed")
        return FeedDocument(
            url=url, final_url=response.geturl(), not_modified=False, data=data,
            content_type=response.headers.get("Content-Type", content_type),
            etag=_validator(response.headers.get("ETag")),
            modified=_validator(response.headers.get("Last-Modified")),
        )
