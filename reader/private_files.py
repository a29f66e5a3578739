"""The app's own folders and files: made private, and read back only when they are ours.

One rule in one place: every folder the app makes for its data, cache and settings is
created 0700 (an existing one of ours is tightened to it) and every file it writes there is
0600, whatever the umask. A folder or file found there that another user owns, or that
others may write, is refused: :func:`refuse` logs one line and keeps it in ``refusals``
(each CLI command prints them on stderr, the window in its status line) and the caller
carries on without it (a memo is a miss, the cache lives in memory, settings use defaults).

Files are checked on the opened descriptor, never only on the path: ``open_private`` opens
with ``O_NONBLOCK | O_NOFOLLOW`` (a FIFO swapped in cannot block the open, a symbolic link is
not followed) and then asks ``fstat`` what it really opened.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import tempfile
import threading
from pathlib import Path

from reader.core.util.bounded import BodyTooLarge, capped_chunks

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# Bits that let someone other than the owner write (and so replace what we read back).
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH

_lock = threading.Lock()
refusals: list[str] = []  # one line per refused folder or file, in order, each once
_reported: set[str] = set()


class RefusedFile(OSError):
    """A folder or file of the app's that is not safe to use (see the module docstring)."""


def refuse(path: Path | str, reason: str) -> RefusedFile:
    """Record (once per path and reason) and return the refusal for ``path``."""
    line = f"ignored {path}: {reason}"
    with _lock:
        if line not in _reported:
            _reported.add(line)
            refusals.append(line)
            log.warning("%s", line)
    return RefusedFile(line)


def withdraw(refused: RefusedFile) -> None:
    """Take back a refusal whose caller reports it in its own words."""
    with _lock, contextlib.suppress(ValueError):
        refusals.remove(str(refused))


def take_refusals() -> list[str]:
    """The refusals not taken yet (for whoever shows them)."""
    with _lock:
        taken = list(refusals)
        refusals.clear()
    return taken


def _unsafe(info: os.stat_result) -> str | None:
    """Why a folder or file with this status is not ours to trust, or None."""
    if info.st_uid != os.geteuid():
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & _WRITABLE_BY_OTHERS:
        return f"writable by other users (mode {stat.S_IMODE(info.st_mode):03o})"
    return None


def private_dir(folder: Path) -> Path:
    """``folder`` created (with missing parents) 0700, or checked when it exists: ours (a
    folder of ours that others may read or write is tightened to 0700).

    Raises :class:`RefusedFile` (already recorded) for another user's or a shared folder,
    ``OSError`` when it cannot be made."""
    folder = Path(folder)
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, FOLDER_MODE)
            os.chmod(part, FOLDER_MODE)  # mkdir's mode is masked by the umask
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        info = os.stat(folder)  # a link of the user's own to a folder is theirs to make
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(f"not a folder: {folder}")
    if info.st_uid != os.geteuid():
        raise refuse(folder, f"owned by another user (uid {info.st_uid})")
    if stat.S_IMODE(info.st_mode) & 0o077:
        # Ours but open to others (an earlier version made it with the umask's mode):
        # closed now. Whatever another user may have put in it meanwhile is theirs, and
        # each file is checked for its owner when it is opened.
        os.chmod(folder, FOLDER_MODE)
    return folder


def check_private_fd(fd: int, path: Path | str) -> os.stat_result:
    """The status of an opened file of the app's; :class:`RefusedFile` when it is not a
    regular file, not ours or writable by others."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise refuse(path, "not a regular file")
    reason = _unsafe(info)
    if reason is not None:
        raise refuse(path, reason)
    return info


def open_private(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a file the app wrote in its private folder, or None when it is missing,
    refused (recorded), unreadable or over ``max_bytes``."""
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
                     | os.O_NOCTTY)
    except FileNotFoundError:
        return None
    except OSError as error:
        if not isinstance(error, RefusedFile):
            log.debug("cannot open %s: %s", path, error)
        return None
    try:
        info = check_private_fd(fd, path)
        if info.st_size > max_bytes:
            return None
        return b"".join(capped_chunks(lambda count: os.read(fd, count), max_bytes))
    except (OSError, BodyTooLarge):
        return None
    finally:
        os.close(fd)


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 when missing (so that a program writing it later, such
    as SQLite or Qt, keeps that mode); raise :class:`RefusedFile` when the existing one is
    not safe to use."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW
                     | os.O_CLOEXEC | os.O_NOCTTY, FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link where our file is
            raise refuse(path, "a symbolic link") from None
        raise
    try:
        info = check_private_fd(fd, path)
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write ``data`` atomically (a 0600 temporary file in the same folder, then a rename)
    into the app's private folder ``path.parent``; flushed to disk with ``sync`` (the
    reader's own files; a memo can do without). Raises ``OSError``."""
    private_dir(path.parent)
    write_atomic(path, data, sync=sync)


def temp_beside(path: Path, *, shared: bool = False) -> Path:
    """A fresh, empty temporary file beside ``path`` (same file system, so a rename is
    atomic): 0600, or with ``shared`` the permissions ``path`` will have, those of the file
    it replaces, else what the user's umask gives a new file (mkstemp's private 0600 would
    stop others reading an export)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        if shared:
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except OSError:
                mode = 0o666 & ~_umask()
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        Path(name).unlink(missing_ok=True)
        raise
    os.close(fd)
    return Path(name)


def _umask() -> int:
    # Read, not set-and-restore: os.umask() changes it for every thread while it is swapped.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def write_atomic(path: Path, data: bytes, *, shared: bool = False, sync: bool = True) -> None:
    """Replace ``path`` by ``data`` in one step, the one way the app writes a whole file: a
    temporary file beside it (see :func:`temp_beside` for ``shared``), written, flushed to
    disk unless ``sync`` is false (a full disk can surface only there), then renamed over
    ``path``. On any failure the temporary file is gone and ``path`` is as it was. Raises
    ``OSError``."""
    temp = temp_beside(path, shared=shared)
    try:
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
