"""One window per user: a second launch hands its files to the window already open.

The first instance listens on a per-user local socket (:class:`QLocalServer`); a later
launch connects, sends its paths (made absolute in its own working directory) as one JSON
line, waits for the one-line reply and exits. No reply within the timeout (a hung or
crashed instance) and the later launch opens its own window.

The channel is private: the socket lives in ``$XDG_RUNTIME_DIR`` when that is a 0700 folder
of ours, else in a 0700 folder of the user's (``$XDG_CACHE_HOME/bilingual-reader/instance``,
or ``/tmp/bilingual-reader-UID`` when that path would be too long for a socket), made and
checked by :mod:`reader.private_files`. Both ends also ask the kernel who is at the other
end (``SO_PEERCRED``): a launch sends nothing to a listener of another user, and the window
ignores a connection from one; either way the launch opens its own window.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket as _socket
import stat
import struct
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from reader import paths
from reader.private_files import private_dir

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 1 << 20  # a message is a list of paths; anything bigger is not ours
REPLY = b"ok\n"


# sun_path holds 108 bytes, the last a NUL.
_MAX_SOCKET_PATH = 107


def _runtime_dir() -> Path | None:
    """``$XDG_RUNTIME_DIR`` when it is what the spec promises: a folder of ours that only
    we can use (0700). Anything else is not trusted with the socket."""
    value = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if not value or not os.path.isabs(value):
        return None
    try:
        info = os.lstat(value)
    except OSError:
        return None
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid()
            or stat.S_IMODE(info.st_mode) & 0o077):
        log.warning("not using XDG_RUNTIME_DIR %s: not a private folder of this user's", value)
        return None
    return Path(value)


def _socket_folder(leaf: str) -> Path | None:
    """A private folder for the socket named ``leaf``; None when there is none."""
    runtime = _runtime_dir()
    if runtime is not None and len(str(runtime / leaf)) <= _MAX_SOCKET_PATH:
        return runtime
    for folder in (paths.app_cache_dir() / "instance",
                   Path("/tmp") / f"bilingual-reader-{os.geteuid()}"):
        if len(str(folder / leaf)) > _MAX_SOCKET_PATH:
            continue
        try:
            return private_dir(folder)
        except OSError as error:  # another user's folder (recorded), or none can be made
            log.warning("cannot use %s for the single-instance socket: %s", folder, error)
    return None


def server_name() -> str:
    """The socket's full path. Per user (a private folder), and per data folder: two
    isolated XDG set-ups (tests, a second profile) keep their own libraries and settings,
    so they do not share a window. Empty when no private folder can be had (then every
    launch opens its own window)."""
    where = hashlib.sha1(str(paths.data_home()).encode("utf-8", "surrogateescape"))
    leaf = f"bilingual-reader-{where.hexdigest()[:12]}"
    folder = _socket_folder(leaf)
    return str(folder / leaf) if folder is not None else ""


def peer_uid(descriptor: int) -> int | None:
    """The user id of the process at the other end of a connected local socket (the kernel
    says: ``SO_PEERCRED``), or None when it cannot be asked."""
    if descriptor < 0 or not hasattr(_socket, "SO_PEERCRED"):
        return None
    try:
        # fromfd duplicates the descriptor: closing the copy leaves Qt's socket open.
        with _socket.fromfd(descriptor, _socket.AF_UNIX, _socket.SOCK_STREAM) as copy:
            raw = copy.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED,
                                  struct.calcsize("3i"))
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


def _is_ours(socket: QLocalSocket) -> bool:
    return peer_uid(int(socket.socketDescriptor())) == os.geteuid()


def hand_over(paths_to_open: list[Path], name: str | None = None,
              timeout_ms: int = 3000) -> bool:
    """Send ``paths_to_open`` to a running instance; True when it took them.

    Blocking (no event loop needed): called before this process builds any window. Nothing
    is sent to a listener that is not this user's."""
    name = name if name is not None else server_name()
    if not name:
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    if not _is_ours(socket):
        log.warning("the single-instance socket %s is another user's: ignored", name)
        socket.abort()
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
        self.name = name if name is not None else server_name()
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file's mode), whatever the umask.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False (with a log line) when another process already is."""
        if not self.name:
            return False
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
            if not _is_ours(socket):
                log.warning("refused a connection from another user on %s", self.name)
                socket.abort()
                socket.deleteLater()
                continue
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
