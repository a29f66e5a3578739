"""A loopback TCP server that answers with raw bytes: dripping, malformed, truncated replies.

``http.server`` cannot send a broken reply on purpose; this one lets each test write exactly
the bytes (and the pauses) it wants. 127.0.0.1 only; every loop is bounded and ends when the
server is closed.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

Answer = Callable[[socket.socket, threading.Event], None]


class RawServer:
    """Accepts connections on 127.0.0.1; ``answer(conn, stop)`` writes the reply (after
    reading the request, unless ``read_request`` is false: a TLS hello has no blank line)."""

    def __init__(self, answer: Answer, *, read_request: bool = True) -> None:
        self._answer = answer
        self._read_request = read_request
        self.stop = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue  # the accept timeout: look at the stop flag again
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2)
            try:
                if self._read_request:
                    _read_request(conn)
                self._answer(conn, self.stop)
            except OSError:
                pass  # the client gave up (deadline, cancel): expected

    def close(self) -> None:
        self.stop.set()
        self._accepting.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def send(data: bytes) -> Answer:
    """Answer with ``data`` and close."""
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(data)

    return answer


def drip(head: bytes, tail: bytes, every: float = 0.05, most: int = 2000) -> Answer:
    """Send ``head`` at once, then ``tail`` one byte every ``every`` seconds (up to ``most``
    bytes, or until the server is closed)."""
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        for i in range(min(most, len(tail))):
            if stop.wait(every):
                return
            conn.sendall(tail[i:i + 1])

    return answer


def wait(seconds: float = 30) -> Answer:
    """Accept, read the request, answer nothing (until closed or ``seconds``)."""
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(seconds)

    return answer


def page_reply(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8", *headers,
            "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def elapsed(start: float) -> float:
    return time.monotonic() - start
