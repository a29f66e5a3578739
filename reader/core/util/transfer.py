"""One network transfer with a real deadline and a prompt cancel, and its bounded body.

Socket timeouts alone do not bound a transfer: each ``recv`` waits at most the timeout, but
a server that drips one byte a second never lets one expire, and ``http.client`` reads the
status line and headers line by line with no overall limit. A :class:`Transfer` therefore
keeps a duplicate of every socket it opens and a watchdog thread that shuts the socket
down (both directions, on the kernel socket the duplicate shares with the original) at the
deadline or as soon as ``cancelled()`` turns true. Whatever is blocked on that socket —
``connect``, the TLS handshake, a header line, a body chunk — returns at once, and the
caller turns the resulting error into "timed out" or "cancelled" (see :attr:`Transfer.aborted`).

:func:`read_chunks` is the one chunked, size-bounded body reader (pages in
:mod:`reader.core.library.fetch`, the package index and downloads in
:mod:`reader.core.models.index`; local files use :mod:`reader.core.util.bounded`);
:class:`ContentDecoder` undoes gzip/deflate with a bound on the decoded size.

Name resolution (``getaddrinfo``) cannot be interrupted: it runs on a helper thread that the
transfer stops waiting for at the deadline or on cancel. Standard library only; Qt-free.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from reader.core.util.bounded import BodyTooLarge

__all__ = ["BodyTooLarge"]  # raised here, defined with the other bounded reads

_POLL = 0.05  # seconds between the watchdog's looks at cancelled(): Cancel feels instant
CHUNK = 64 * 1024

TIMED_OUT = "timed out"
CANCELLED = "cancelled"


class TransferAborted(Exception):
    """The transfer passed its deadline or was cancelled; ``str()`` is the reason."""


class BadEncoding(Exception):
    """The body's Content-Encoding is unsupported or its compressed data is damaged."""


class Transfer:
    """A deadline and a cancel check for one transfer (all its hops and sockets).

    Use as a context manager: the watchdog runs inside the ``with`` block. Connections made
    through :meth:`handlers` are registered and shut down when the transfer is aborted.
    """

    def __init__(
        self, seconds: float, *, cancelled: Callable[[], bool] | None = None,
        io_timeout: float | None = None, clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._deadline = clock() + seconds
        self._cancelled = cancelled
        self.io_timeout = io_timeout if io_timeout is not None else seconds
        self.aborted: str | None = None  # TIMED_OUT or CANCELLED once the watchdog acted
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []  # duplicates, closed at the end
        self._done = threading.Event()
        self._watchdog: threading.Thread | None = None

    # -- deadline ---------------------------------------------------------------------------

    def remaining(self) -> float:
        return self._deadline - self._clock()

    def allow(self, seconds: float) -> None:
        """Move the deadline ``seconds`` later (a large download announced by its size)."""
        with self._lock:
            self._deadline += max(0.0, seconds)

    def is_cancelled(self) -> bool:
        return self._cancelled is not None and self._cancelled()

    def check(self) -> None:
        """Raise :class:`TransferAborted` if the transfer is over (deadline or cancel)."""
        if self.aborted is None:
            if self.is_cancelled():
                self.aborted = CANCELLED
            elif self.remaining() <= 0:
                self.aborted = TIMED_OUT
        if self.aborted is not None:
            raise TransferAborted(self.aborted)

    # -- watchdog ---------------------------------------------------------------------------

    def __enter__(self) -> Transfer:
        self._watchdog = threading.Thread(target=self._watch, name="transfer-watchdog",
                                          daemon=True)
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._watchdog is not None:
            self._watchdog.join()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for duplicate in sockets:
            duplicate.close()

    def _watch(self) -> None:
        while not self._done.wait(max(0.0, min(_POLL, self.remaining()))):
            if self.is_cancelled():
                self._abort(CANCELLED)
                return
            if self.remaining() <= 0:
                self._abort(TIMED_OUT)
                return

    def _abort(self, reason: str) -> None:
        with self._lock:
            if self.aborted is None:
                self.aborted = reason
            sockets = list(self._sockets)
        for duplicate in sockets:
            _shut(duplicate)

    # -- connections ------------------------------------------------------------------------

    def connect(
        self, address: tuple[str, int], timeout: object = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """``socket.create_connection`` whose socket the watchdog can shut down, even
        while it is still connecting."""
        self.check()
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _, target in self._resolve(host, port):
            self.check()
            sock = socket.socket(family, kind, proto)
            try:
                self._register(sock)
                sock.settimeout(max(0.001, min(self.io_timeout, self.remaining())))
                if source_address:
                    sock.bind(source_address)
                sock.connect(target)
                return sock
            except OSError as exc:
                sock.close()
                if self.aborted is not None:
                    raise TransferAborted(self.aborted) from None
                error = exc
        raise error if error is not None else OSError("no address for the host")

    def _resolve(self, host: str, port: int) -> list[Any]:
        """``getaddrinfo``, which nothing can interrupt, on a helper thread: the transfer
        stops waiting for it at the deadline or on cancel (the lookup ends on its own)."""
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            pass  # a name: looked up below
        else:  # an address needs no lookup
            return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        found: list[Any] = []
        failed: list[BaseException] = []
        done = threading.Event()

        def look_up() -> None:
            try:
                found.extend(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
            except BaseException as exc:  # handed to the waiting thread as it is
                failed.append(exc)
            finally:
                done.set()

        threading.Thread(target=look_up, name="transfer-lookup", daemon=True).start()
        while not done.wait(max(0.0, min(_POLL, self.remaining()))):
            self.check()
        if failed:
            raise failed[0]
        return found

    def _register(self, sock: socket.socket) -> None:
        duplicate = sock.dup()  # survives ssl's detach() of the original
        with self._lock:
            self._sockets.append(duplicate)
            late = self.aborted is not None
        if late:
            _shut(duplicate)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """HTTP and HTTPS handlers for an opener whose connections this transfer guards."""
        transfer = self

        class Connection(http.client.HTTPConnection):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = transfer.connect

        class SecureConnection(http.client.HTTPSConnection):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = transfer.connect

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(Connection, req)

        class SecureHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(SecureConnection, req, context=self._context)

        return [Handler(), SecureHandler()]

    def opener(self, *extra: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
        """An opener with only what one request needs, its connections guarded by this
        transfer: no file://, ftp:// or data: handlers to be sent (or redirected) into, and
        redirects only where ``extra`` adds a handler for them."""
        opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(),
            *self.handlers(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
            *extra,
        ):
            opener.add_handler(handler)
        return opener


def _shut(sock: socket.socket) -> None:
    # OSError: not connected (yet, or any more), so nothing is blocked on it.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


# -- the body ------------------------------------------------------------------------------


def read_chunks(response: Any, transfer: Transfer, limit: int) -> Iterator[bytes]:
    """The raw body of ``response``, chunk by chunk, at most ``limit`` bytes in all.

    Raises :class:`TransferAborted` (deadline, cancel — also when the watchdog's shutdown
    made the body look complete), :class:`BodyTooLarge`, or what the response raises
    (``OSError``, ``http.client.IncompleteRead``…) for the caller to put in one line.
    """
    received = 0
    while True:
        transfer.check()
        try:
            # read1: what has arrived (up to CHUNK), not a wait for a full chunk, so
            # progress moves while a slow server sends.
            chunk = response.read1(CHUNK)
        except (OSError, ValueError, http.client.HTTPException):
            transfer.check()  # an aborted transfer says so, not "connection reset"
            raise
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(received)
        yield chunk
    # The watchdog's shutdown looks like a clean end of a body without a length.
    transfer.check()
    missing = getattr(response, "length", None)
    if missing:  # read1, unlike read, does not say that a body with a length was cut short
        raise http.client.IncompleteRead(b"", missing)


class ContentDecoder:
    """Undoes a Content-Encoding (identity, gzip, deflate) with at most ``limit`` bytes out."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        names = [part.strip().lower() for part in (encoding or "").split(",") if part.strip()]
        names = [name for name in names if name != "identity"]
        if len(names) > 1:
            raise BadEncoding(f"unsupported content encoding ({encoding})")
        self.name = names[0] if names else "identity"
        if self.name in ("gzip", "x-gzip"):
            self._wbits: int | None = 16 + zlib.MAX_WBITS
        elif self.name == "deflate":
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped, per the RFC; raw deflate is tried next
        elif self.name == "identity":
            self._wbits = None
        else:
            raise BadEncoding(f"unsupported content encoding ({self.name})")
        self._limit = limit
        self._out = 0
        self._zlib: Any = None if self._wbits is None else zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, chunk: bytes) -> bytes:
        if self._zlib is None:
            return self._count(chunk)
        try:
            data = self._zlib.decompress(chunk, self._limit - self._out + 1)
        except zlib.error:
            if self.name == "deflate" and not self._started:
                # Some servers send raw deflate (no zlib header) under "deflate".
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.feed(chunk)
            raise BadEncoding(f"damaged {self.name} data") from None
        self._started = True
        if self._zlib.unconsumed_tail:
            raise BodyTooLarge(self._limit + 1)  # more output than the limit allows
        return self._count(data)

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            data = self._zlib.flush(self._limit - self._out + 1)
        except zlib.error:
            raise BadEncoding(f"damaged {self.name} data") from None
        if not self._zlib.eof:
            raise BadEncoding(f"truncated {self.name} data")
        return self._count(data)

    def _count(self, data: bytes) -> bytes:
        self._out += len(data)
        if self._out > self._limit:
            raise BodyTooLarge(self._out)
        return data
