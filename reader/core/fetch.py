"""Fetch one web page for the library: the only place the reader downloads an article.

Standard library only (urllib): one GET, http and https only, an honest user agent naming
the app and its version, a connect/read timeout and an overall deadline, a redirect limit
(every hop checked to stay http/https), a size cap enforced while reading, web-page content
types only, and the text decoded with the charset the server or the page declares, else
with our own decoder (:mod:`reader.core.decoding`). Every failure is a
:class:`FetchError` with one line a reader can understand.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from reader import __version__
from reader.core.decoding import UnreadableFileError, decode_bytes

USER_AGENT = (
    f"bilingual-reader/{__version__} (offline news reader; fetches one page when asked)"
)
DEFAULT_TIMEOUT = 20.0  # seconds, per connect and per read; the deadline is 3× this
MAX_PAGE_BYTES = 8 * 1024 * 1024  # news pages are 0.1–2 MB; this leaves room, not abuse
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024

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
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https links can be added (got {url[:80]!r})")
    if not parts.hostname:
        raise FetchError(f"not a link to a web page: {url[:80]!r}")
    return url


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


def _opener() -> urllib.request.OpenerDirector:
    # Only what one GET needs: no file://, ftp:// or data: handlers to be redirected into.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _LimitedRedirects(),
    ):
        opener.add_handler(handler)
    return opener


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(error, socket.gaierror):
        return "unknown host (offline?)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        reason = error.reason
        return _reason(reason) if isinstance(reason, BaseException) else str(reason)
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return str(error) or type(error).__name__


def decode_page(data: bytes, declared: str | None) -> tuple[str, str]:
    """``(text, charset)``: the declared charset (header, then ``<meta>``), else our decoder."""
    candidates = [declared] if declared else []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            # A page mislabelled by a byte or two keeps its text; one wrong label must
            # not lose the article.
            return data.decode(name, errors="replace"), name.lower()
        except LookupError:
            continue
    try:
        decoded = decode_bytes(data)
    except UnreadableFileError as exc:
        raise FetchError(exc.message) from None
    return decoded.text, decoded.encoding


def fetch_page(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> FetchedPage:
    """GET ``url`` and decode it. Raises :class:`FetchError` (one line) on any failure.

    ``cancelled`` is polled between chunks; ``progress(received, total or None)`` is
    called as bytes arrive (for the window's progress bar).
    """
    url = check_url(url)
    host = urllib.parse.urlsplit(url).hostname or url
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + 3 * timeout
    try:
        response: Any = _opener().open(request, timeout=timeout)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket
        if exc.code in (301, 302, 303, 307, 308):
            # urllib refuses a redirect to file:, data:… before our handler sees it.
            if "not allowed" in str(exc.msg):
                raise FetchError(f"{host}: the page redirects outside the web") from None
            raise FetchError(f"{host}: too many redirects") from None
        raise FetchError(f"{host}: HTTP {exc.code} {exc.reason}".rstrip()) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"cannot reach {host}: {_reason(exc)}") from None
    with response:
        final_url = response.geturl()
        content_type = response.headers.get_content_type()
        if content_type not in PAGE_TYPES:
            raise FetchError(f"{host}: not a web page ({content_type})")
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise FetchError(f"{host}: page too large ({_size(total)}, limit {_size(max_bytes)})")
        chunks: list[bytes] = []
        received = 0
        while True:
            if cancelled is not None and cancelled():
                raise FetchError("cancelled")
            if time.monotonic() > deadline:
                raise FetchError(f"cannot reach {host}: timed out")
            try:
                chunk = response.read(_CHUNK)
            except (OSError, ValueError) as exc:
                raise FetchError(f"cannot reach {host}: {_reason(exc)}") from None
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise FetchError(f"{host}: page too large (over {_size(max_bytes)})")
            chunks.append(chunk)
            if progress is not None:
                progress(received, total)
        charset = response.headers.get_content_charset()
    data = b"".join(chunks)
    if not data.strip():
        raise FetchError(f"{host}: empty page")
    text, used = decode_page(data, charset)
    return FetchedPage(
        url=url, final_url=final_url, content_type=content_type, charset=used, data=data, text=text
    )
