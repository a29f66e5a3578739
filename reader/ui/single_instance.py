"""One window per user: a second launch hands its files to the window already open.

The first instance listens on a per-user local socket (:class:`QLocalServer`); a later
launch connects, sends its paths (made absolute in its own working directory) as one JSON
line, waits for the one-line reply and exits. No reply within the timeout (a hung or
crashed instance) and the later launch opens its own window.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from reader import paths

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 1 << 20  # a message is a list of paths; anything bigger is not ours
REPLY = b"ok\n"


def server_name() -> str:
    """Per user, and per data folder: two isolated XDG set-ups (tests, a second profile)
    keep their own libraries and settings, so they do not share a window."""
    where = hashlib.sha1(str(paths.data_home()).encode("utf-8", "surrogateescape"))
    return f"bilingual-reader-{os.getuid()}-{where.hexdigest()[:12]}"


def hand_over(paths_to_open: list[Path], name: str | None = None,
              timeout_ms: int = 3000) -> bool:
    """Send ``paths_to_open`` to a running instance; True when it took them.

    Blocking (no event loop needed): called before this process builds any window."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    message = json.dumps({"paths": [str(Path(p).absolute()) for p in paths_to_open]})
    socket.write(message.encode("utf-8") + b"\n")
    socket.flush()
    reply = b""
    while REPLY not in reply and socket.waitForReadyRead(timeout_ms):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(500)
    return REPLY in reply


class InstanceServer(QObject):
    """The first instance's end. Signal ``pathsReceived(paths: list[Path])`` (may be empty:
    a second launch without files only asks to bring the window forward)."""

    pathsReceived = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file's mode), whatever the umask.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False (with a log line) when another process already is."""
        if self._server.listen(self.name):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            # hand_over() could not connect, so the socket file is a crashed instance's:
            # remove it and listen again.
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                return True
        log.warning("cannot listen on %s: %s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE_BYTES:
            log.warning("ignored an oversized message on %s", self.name)
            socket.abort()
            return
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            raw = json.loads(line.decode("utf-8"))["paths"]
            received = [Path(p) for p in raw if isinstance(p, str)]
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on %s", self.name)
            socket.abort()
            return
        socket.write(REPLY)
        socket.flush()
        self.pathsReceived.emit(received)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


def bring_to_front(window: QWidget) -> None:
    """Show a window that may be minimized or behind others (the window manager may still
    only flash it: focus stealing prevention is its call)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
