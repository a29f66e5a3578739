"""A LibreTranslate server's HTTP API (``/languages``, ``/frontend/settings``,
``/translate``), with every failure as one line and nothing lost.

We send our own sentences (``q`` as a list, ``format: "text"``): the engine splits paragraphs
and aligns sentences as with a local model, the server only translates. Batches respect
the server's limits: ``charLimit`` (per sentence, from ``/frontend/settings``; a longer
sentence is sent in pieces cut between words), and the batch limit (not published: learnt
from the 400 that names it, then the batch is sent again in smaller parts). A list ``q``
costs ``len(q)`` requests against the server's ``--req-limit``, so batches are small
(``batch_size``): one 429 stops the run having lost only the batch it refused.

Every request goes through :class:`~reader.core.util.transfer.Transfer` (a deadline, a
prompt cancel, a bounded reply). Standard library only; Qt-free. Nothing here runs unless
the reader chose a server.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from reader.core.library.fetch import USER_AGENT
from reader.core.library.fetch import reason as network_reason
from reader.core.models.store import PackageError
from reader.core.util.transfer import (
    CANCELLED,
    BodyTooLarge,
    Transfer,
    TransferAborted,
    read_chunks,
)

DEFAULT_TIMEOUT = 60.0  # seconds per wait: a server translates a whole list in one request
DEFAULT_BATCH = 16  # sentences per request
MAX_REPLY_BYTES = 16 * 1024 * 1024
_LIMIT_MESSAGE = re.compile(r"request \((\d+)\) exceeds text limit \((\d+)\)")


class ServerError(PackageError):
    """The server could not translate; ``str()`` is one line naming the server.

    ``done``: the translations received before the failure (a prefix of the input)."""

    def __init__(self, message: str, *, kind: str = "error", done: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.kind = kind  # "rate-limit", "bad-key", "refused", "timeout", "unreachable", "reply"
        self.done = list(done)


class ServerCancelled(ServerError):
    """The reader cancelled while a request was under way."""


def normalize_url(url: str) -> str:
    """``http(s)://host[:port][/path]`` without a trailing slash; raises ValueError."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a LibreTranslate server address: {url!r} (use http://host:port)")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError(f"a server address has no user, query or fragment: {url!r}")
    path = parts.path.rstrip("/")
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def server_label(url: str) -> str:
    """``host:port`` for "Translating on …"."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


class LibreTranslateClient:
    """One server (and optional API key). Thread-safe for reading; keeps what the server
    told about itself (languages, limits) for its lifetime."""

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self.url = normalize_url(url)
        self.api_key = api_key or None
        self.timeout = timeout
        self.batch_size = max(1, batch_size)
        self._languages: dict[str, tuple[str, frozenset[str]]] | None = None
        self._char_limit: int | None = None
        self._settings_read = False

    @property
    def label(self) -> str:
        return server_label(self.url)

    # -- what the server offers ---------------------------------------------------------

    @property
    def known_languages(self) -> dict[str, tuple[str, frozenset[str]]] | None:
        """What :meth:`languages` learnt, without asking (None before)."""
        return self._languages

    def forget(self) -> None:
        """Ask the server again next time (its models may have changed)."""
        self._languages = None
        self._settings_read = False

    def languages(
        self, cancelled: Callable[[], bool] | None = None
    ) -> dict[str, tuple[str, frozenset[str]]]:
        """Code → (name, targets). ``targets`` is what the server lists: the union of what
        it loaded, not proof of a direct pair (a missing one is refused at translation)."""
        if self._languages is None:
            reply = self._request("GET", "/languages", None, cancelled)
            found: dict[str, tuple[str, frozenset[str]]] = {}
            if not isinstance(reply, list):
                raise ServerError(f"{self._where()} sent an unexpected list of languages",
                                  kind="reply")
            for entry in reply:
                if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
                    continue
                targets = entry.get("targets")
                codes = frozenset(
                    t for t in (targets if isinstance(targets, list) else [])
                    if isinstance(t, str) and t != entry["code"]
                )
                found[entry["code"]] = (str(entry.get("name") or entry["code"]), codes)
            self._languages = found
        return self._languages

    def pairs(self, cancelled: Callable[[], bool] | None = None) -> list[tuple[str, str]]:
        return sorted(
            (source, target)
            for source, (_, targets) in self.languages(cancelled).items()
            for target in targets
        )

    def char_limit(self, cancelled: Callable[[], bool] | None = None) -> int | None:
        """The server's ``charLimit`` per sentence (None: no limit, or not published)."""
        if not self._settings_read:
            try:
                reply = self._request("GET", "/frontend/settings", None, cancelled)
            except ServerCancelled:
                raise
            except ServerError as error:
                if error.kind != "refused":
                    raise
                reply = {}  # an older server without the page: no known limit
            limit = reply.get("charLimit") if isinstance(reply, dict) else None
            self._char_limit = limit if isinstance(limit, int) and limit > 0 else None
            self._settings_read = True
        return self._char_limit

    # -- translating ----------------------------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[str]:
        """Translations of ``texts`` in order. On failure raises :class:`ServerError` whose
        ``done`` holds the translations received before it."""
        limit = self.char_limit(cancelled)
        pieces: list[list[str]] = [cut_text(text, limit) for text in texts]
        flat = [piece for item in pieces for piece in item]
        out: list[str] = []
        position = 0
        batch = self.batch_size
        while position < len(flat):
            chunk = flat[position:position + batch]
            try:
                out.extend(self._translate_batch(chunk, source, target, cancelled))
            except ServerError as error:
                said = _limit_in(error)
                if said is not None and said[0] == len(chunk) and said[1] < batch:
                    batch = self.batch_size = said[1]  # learnt: the server's batch limit
                    continue
                done = _joined(pieces, out)
                if (said is not None and said[0] != len(chunk)
                        and (limit is None or said[1] < limit)):
                    # A per-key character limit below the published one: cut again.
                    self._char_limit = limit = said[1]
                    return done + self.translate(texts[len(done):], source, target,
                                                 cancelled=cancelled)
                error.done = done  # what was translated stays
                raise
            position += len(chunk)
        return _joined(pieces, out)

    def _translate_batch(
        self, texts: list[str], source: str, target: str, cancelled: Callable[[], bool] | None
    ) -> list[str]:
        body: dict[str, Any] = {"q": texts, "source": source, "target": target,
                                "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        reply = self._request("POST", "/translate", body, cancelled)
        translated = reply.get("translatedText") if isinstance(reply, dict) else None
        if (not isinstance(translated, list) or len(translated) != len(texts)
                or not all(isinstance(t, str) for t in translated)):
            raise ServerError(
                f"{self._where()} sent an unexpected reply (not {len(texts)} translations)",
                kind="reply",
            )
        return [t.strip() for t in translated]

    # -- HTTP ----------------------------------------------------------------------------

    def _where(self) -> str:
        return f"the LibreTranslate server at {self.label}"

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None,
        cancelled: Callable[[], bool] | None,
    ) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=headers)
        transfer = Transfer(3 * self.timeout, cancelled=cancelled, io_timeout=self.timeout)
        try:
            # No redirects: a POST of the reader's text goes only where the reader said.
            with transfer, transfer.opener().open(request, timeout=self.timeout) as response:
                raw = b"".join(read_chunks(response, transfer, MAX_REPLY_BYTES))
        except urllib.error.HTTPError as error:
            raise self._http_error(error) from None
        except TransferAborted as error:
            if transfer.aborted == CANCELLED or str(error) == CANCELLED:
                raise ServerCancelled("cancelled", kind="cancelled") from None
            raise ServerError(f"{self._where()} did not answer in time", kind="timeout") \
                from None
        except BodyTooLarge:
            raise ServerError(f"{self._where()} sent a reply too large", kind="reply") \
                from None
        except (OSError, ValueError, urllib.error.URLError) as error:
            if transfer.aborted == CANCELLED:
                raise ServerCancelled("cancelled", kind="cancelled") from None
            said = network_reason(error)
            if said == "timed out":
                raise ServerError(f"{self._where()} did not answer in time",
                                  kind="timeout") from None
            raise ServerError(f"cannot reach {self._where()} ({said})",
                              kind="unreachable") from None
        except http.client.HTTPException as error:  # a reply cut off: the server went away
            raise ServerError(f"lost {self._where()} ({network_reason(error)})",
                              kind="unreachable") from None
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ServerError(f"{self._where()} sent a reply that is not JSON",
                              kind="reply") from None

    def _http_error(self, error: urllib.error.HTTPError) -> ServerError:
        said = _error_text(error)
        where = self._where()
        if error.code == 429:
            return ServerError(
                f"{where} limits how often it translates ({said or 'too many requests'}): "
                "try again in a minute", kind="rate-limit")
        if error.code == 403:
            return ServerError(f"{where} refused the API key ({said or 'forbidden'})",
                               kind="bad-key")
        if error.code == 404:
            return ServerError(f"{where} has no {urllib.parse.urlsplit(error.url).path} "
                               "(is it a LibreTranslate server?)", kind="refused")
        if 400 <= error.code < 500:
            return ServerError(f"{where} refused the request ({said or error.code})",
                               kind="refused")
        return ServerError(f"{where} failed (HTTP {error.code}{': ' + said if said else ''})",
                           kind="server")


def cut_text(text: str, limit: int | None) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after spaces where possible."""
    if limit is None or len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind(" ", 1, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return [piece for piece in pieces if piece]


def _joined(pieces: list[list[str]], out: list[str]) -> list[str]:
    """The complete translations among ``out`` (pieces of one text are joined by a space)."""
    joined: list[str] = []
    position = 0
    for item in pieces:
        if position + len(item) > len(out):
            break
        joined.append(" ".join(out[position:position + len(item)]))
        position += len(item)
    return joined


def _limit_in(error: ServerError) -> tuple[int, int] | None:
    """(size, limit) from LibreTranslate's 400 "request (5) exceeds text limit (4)": the
    size is the number of items (batch limit) or one item's characters (character limit)."""
    match = _LIMIT_MESSAGE.search(str(error))
    if error.kind != "refused" or match is None or int(match.group(2)) <= 0:
        return None
    return int(match.group(1)), int(match.group(2))


def _error_text(error: urllib.error.HTTPError) -> str:
    """The server's ``{"error": "..."}`` in one line (bounded read)."""
    try:
        raw = error.read(4096)
        said = json.loads(raw.decode("utf-8")).get("error", "")
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        return ""
    return " ".join(str(said).split())[:200]
