"""Fetch one web page for the library: the only place the reader downloads an article.

Standard library only (urllib): one GET, http and https only, an honest user agent naming
the app and its version, a connect/read timeout and one overall deadline that a watchdog
holds however slowly a server drips (:mod:`reader.core.util.transfer`; Cancel acts at once too),
a redirect limit (every hop checked to stay http/https), a size cap enforced while reading
(on the decoded size too: gzip and deflate bodies are undone with a bound), web-page content
types only, and the text decoded with the charset the server or the page declares, else
with our own decoder (:mod:`reader.core.text.encoding`). Every failure is a
:class:`FetchError` with one line a reader can understand.
"""

from __future__ import annotations

import codecs
import http.client
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from reader import __version__
from reader.core.text.encoding import UnreadableFileError, decode_bytes
from reader.core.util.transfer import (
    CANCELLED,
    BadEncoding,
    BodyTooLarge,
    ContentDecoder,
    Transfer,
    TransferAborted,
    read_chunks,
)

USER_AGENT = (
    f"bilingual-reader/{__version__} (offline news reader; fetches one page when asked)"
)
DEFAULT_TIMEOUT = 20.0  # seconds, per connect and per read
DEADLINE_FACTOR = 3  # the whole fetch (connect, headers, body) ends at 3× the timeout
MAX_PAGE_BYTES = 8 * 1024 * 1024  # news pages are 0.1–2 MB; this leaves room, not abuse
MAX_REDIRECTS = 5
_SHOWN_URL = 200  # characters of a link quoted in a message
# Codecs Python accepts as a charset that do not decode web text (idna raises on a page).
_NOT_CHARSETS = frozenset(
    {"idna", "punycode", "raw_unicode_escape", "unicode_escape", "undefined"}
)

PAGE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
# <meta charset="iso-8859-1"> or <meta http-equiv="Content-Type" content="…; charset=…">
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


class FetchError(Exception):
    """The page could not be fetched; ``str()`` is one line for the reader."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # "text/html"
    charset: str  # what decoded the text
    data: bytes
    text: str

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


def check_url(url: str) -> str:
    """``url`` trimmed if it is an http(s) link to a host, else :class:`FetchError`."""
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        host, _ = parts.hostname, parts.port  # a bad IPv6 literal or port raises here
    except ValueError as exc:
        raise FetchError(f"not a valid link: {_shown(url)} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https links can be added (got {url[:80]!r})")
    if not host:
        raise FetchError(f"not a link to a web page: {url[:80]!r}")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise FetchError(f"not a valid link (it contains spaces or control characters): "
                         f"{_shown(url)}")
    return url


def _clean(text: str) -> str:
    """``text`` on one line (a server's reason phrase or header may hold anything)."""
    return " ".join(text.split())[:_SHOWN_URL]


def _shown(url: str) -> str:
    text = _clean(url)
    return text if len(text) < _SHOWN_URL else text[: _SHOWN_URL - 1] + "…"


def is_url(text: str) -> bool:
    """Whether ``text`` (a pasted string, a command-line argument) is a web link."""
    text = text.strip()
    return bool(re.match(r"^https?://[^\s/]+\S*$", text, re.IGNORECASE))


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2  # a loop is caught early: the same address twice is enough

    def redirect_request(  # type: ignore[override]
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: Message, newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"the page redirects outside the web ({newurl[:80]})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def reason(error: BaseException) -> str:
    """What went wrong, in words (never an exception's type name alone): the one wording of
    a network failure, for pages and for the model index and downloads alike."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {' '.join(str(error.reason).split())}"
    if isinstance(error, TransferAborted):
        return str(error)
    if isinstance(error, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(error, socket.gaierror):
        return "unknown host (offline?)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        cause = error.reason
        return reason(cause) if isinstance(cause, BaseException) else _clean(str(cause))
    if isinstance(error, ssl.SSLError):
        return f"secure connection failed ({_clean(error.reason or str(error))})"
    if isinstance(error, http.client.IncompleteRead):
        return "the server closed the connection before sending everything it announced"
    if isinstance(error, http.client.RemoteDisconnected | ConnectionResetError):
        return "the server closed the connection"
    if isinstance(error, http.client.InvalidURL):
        return f"not a valid link ({_clean(str(error))})"
    if isinstance(error, http.client.HTTPException):
        return f"the server's reply is not valid HTTP ({_clean(str(error)) or 'malformed'})"
    if isinstance(error, UnicodeError):
        return "the address or the reply cannot be decoded"
    if isinstance(error, OSError):
        return _clean(error.strerror or str(error)) or "network error"
    return _clean(str(error)) or "unexpected reply"


def decode_page(data: bytes, declared: str | None) -> tuple[str, str]:
    """``(text, charset)``: the declared charset (header, then ``<meta>``), else our decoder."""
    candidates = [declared] if declared else []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            if codecs.lookup(name).name in _NOT_CHARSETS:
                continue
            # A page mislabelled by a byte or two keeps its text; one wrong label must
            # not lose the article.
            return data.decode(name, errors="replace"), name.lower()
        except (LookupError, UnicodeError, ValueError):
            continue
    try:
        decoded = decode_bytes(data)
    except UnreadableFileError as exc:
        raise FetchError(exc.message) from None
    return decoded.text, decoded.encoding


def open_url(
    url: str, transfer: Transfer, headers: dict[str, str] | None = None
) -> Any:
    """Open ``url`` (GET) through an opener whose connections ``transfer`` guards: its
    deadline and cancel cut connect, TLS, headers and body alike. Redirects are followed
    (http and https only, at most :data:`MAX_REDIRECTS`). Raises what urllib raises."""
    request = urllib.request.Request(
        _ascii_url(url), headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    # Only what one GET needs, redirects limited.
    return transfer.opener(_LimitedRedirects()).open(request, timeout=transfer.io_timeout)


def _ascii_url(url: str) -> str:
    """``url`` with a typed non-ASCII path or query percent-encoded (as a browser sends it;
    http.client refuses it otherwise). The host stays as it is: it is looked up as IDNA."""
    parts = urllib.parse.urlsplit(url)
    keep = "/?#[]@!$&'()*+,;=%:~"
    return urllib.parse.urlunsplit(parts._replace(
        path=urllib.parse.quote(parts.path, safe=keep),
        query=urllib.parse.quote(parts.query, safe=keep),
        fragment="",  # never sent
    ))


def fetch_page(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> FetchedPage:
    """GET ``url`` and decode it. Raises :class:`FetchError` (one line naming the link) on
    any failure.

    ``timeout`` bounds each wait for the server; the whole fetch (connect, headers, body)
    ends :data:`DEADLINE_FACTOR` × ``timeout`` after it began, however slowly bytes arrive.
    ``cancelled`` is watched all along (a fetch stops within a twentieth of a second of
    it turning true); ``progress(received, total or None)`` is called as bytes arrive.
    """
    url = check_url(url)
    shown = _shown(url)
    try:
        with Transfer(DEADLINE_FACTOR * timeout, cancelled=cancelled,
                      io_timeout=timeout) as transfer:
            return _fetch(url, shown, transfer, max_bytes, progress)
    except FetchError:
        raise
    except TransferAborted as exc:
        raise FetchError(CANCELLED if str(exc) == CANCELLED else f"cannot reach {shown}: timed out"
                         ) from None
    except Exception as exc:
        # Whatever a hostile server provokes in urllib/http.client/ssl (HTTPException,
        # InvalidURL, UnicodeError, ValueError…) is one line naming the link, so `add` can
        # go on with its other links.
        raise FetchError(f"cannot reach {shown}: {reason(exc)}") from None


def _fetch(
    url: str, shown: str, transfer: Transfer, max_bytes: int,
    progress: Callable[[int, int | None], None] | None,
) -> FetchedPage:
    try:
        response: Any = open_url(url, transfer, {
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate",
        })
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket
        if exc.code in (301, 302, 303, 307, 308):
            # urllib refuses a redirect to file:, data:… before our handler sees it.
            if "not allowed" in str(exc.msg):
                raise FetchError(f"{shown}: the page redirects outside the web") from None
            raise FetchError(f"{shown}: too many redirects") from None
        raise FetchError(f"{shown}: HTTP {exc.code} {_clean(str(exc.reason))}".rstrip()) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        transfer.check()  # the watchdog's shutdown: "timed out" or "cancelled", not a reset
        raise
    with response:
        final_url = response.geturl()
        content_type = response.headers.get_content_type()
        if content_type not in PAGE_TYPES:
            raise FetchError(f"{shown}: not a web page ({_clean(content_type)})")
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise FetchError(f"{shown}: page too large ({_size(total)}, limit {_size(max_bytes)})")
        try:
            decoder = ContentDecoder(response.headers.get("Content-Encoding"), max_bytes)
            chunks: list[bytes] = []
            received = 0
            for raw in read_chunks(response, transfer, max_bytes):
                received += len(raw)
                chunks.append(decoder.feed(raw))
                if progress is not None:
                    progress(received, total)
            chunks.append(decoder.finish())
        except BodyTooLarge:
            raise FetchError(f"{shown}: page too large (over {_size(max_bytes)})") from None
        except BadEncoding as exc:
            raise FetchError(f"{shown}: {exc}") from None
        charset = response.headers.get_content_charset()
    data = b"".join(chunks)
    if not data.strip():
        raise FetchError(f"{shown}: empty page")
    text, used = decode_page(data, charset)
    return FetchedPage(
        url=url, final_url=final_url, content_type=content_type, charset=used, data=data, text=text
    )
