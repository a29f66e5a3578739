"""Bytes on disk → text: encoding detection, newline normalisation, refusal of non-articles.

News files come from anywhere: saved web pages, copy-pastes from Windows editors, old
Latin-1 exports, the odd image renamed ``.txt``. Everything here either returns clean
``\\n``-separated text or raises :class:`UnreadableFileError` with one line a reader can
understand; nothing else escapes.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reader.core.text.slices import decode_sliced, map_lines
from reader.core.util.bounded import CHUNK, BodyTooLarge, capped_chunks

# Articles are a few kB; 64 MB is far beyond any article and still safe to hold in memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Checked longest-first where prefixes overlap (UTF-32 LE starts with the UTF-16 LE BOM).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"),
)

# Control characters that never occur in prose (tab, newline, CR, FF and VT excepted);
# C1 controls show up when binary bytes are forced through latin-1.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")
# Above this share of control characters the "text" is really binary data.
_MAX_CONTROL_RATIO = 0.01
# How much of the file the binary sniffing looks at: enough to judge, cheap on 10 MB.
_SNIFF_CHARS = 256 * 1024


class UnreadableFileError(Exception):
    """The file cannot be read as an article. ``message`` is one line for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text with newlines normalised to ``\\n``, and the encoding that produced it."""

    text: str
    encoding: str


def _open_binary(path: Path) -> BinaryIO:
    """Open for reading. A separate function so tests can simulate races around it."""
    # O_NONBLOCK: a FIFO swapped in after _check_path cannot block the open (no writer);
    # what was opened is checked below, and reading a regular file ignores the flag.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        kind = _not_a_file(os.fstat(fd).st_mode)
        if kind is not None:
            raise UnreadableFileError(kind)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _not_a_file(mode: int) -> str | None:
    """Why a file of this mode is not read as an article, or None for a regular file."""
    if stat.S_ISDIR(mode):
        return "not a file (directory)"
    if stat.S_ISFIFO(mode):
        return "not a file (named pipe)"
    if stat.S_ISSOCK(mode):
        return "not a file (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a file (device)"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def _size_label(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size / (1024 * 1024):.1f} MB"


def _check_path(path: Path) -> os.stat_result:
    """Stat the path (following symlinks) and refuse anything that is not a regular file.

    Done before opening because opening a FIFO would block forever and opening a
    directory gives a less helpful error.
    """
    try:
        os.lstat(path)
    except FileNotFoundError:
        raise UnreadableFileError("no such file or directory") from None
    except PermissionError:
        raise UnreadableFileError("permission denied") from None
    except OSError as exc:
        raise UnreadableFileError(_os_error_message(exc)) from None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        # lstat saw something, stat does not: a dangling symlink (or the file just went).
        if os.path.islink(path):
            raise UnreadableFileError("broken symbolic link") from None
        raise UnreadableFileError("file vanished before it could be read") from None
    except OSError as exc:
        raise UnreadableFileError(_os_error_message(exc)) from None
    kind = _not_a_file(info.st_mode)
    if kind is not None:
        raise UnreadableFileError(kind)
    return info


def _os_error_message(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "file vanished before it could be read"
    if exc.errno == errno.EISDIR:
        return "not a file (directory)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    reason = exc.strerror or type(exc).__name__
    return f"cannot read file ({reason[:1].lower()}{reason[1:]})"


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The raw content of ``path``, refusing non-files and files over ``max_bytes``."""
    path = Path(path)
    info = _check_path(path)
    if info.st_size > max_bytes:
        raise UnreadableFileError(
            f"file too large ({_size_label(info.st_size)}, limit {_size_label(max_bytes)})"
        )
    try:
        with _open_binary(path) as handle:
            # Asking for the cap at once would allocate it (64 MB) for every file: ask for
            # the size stat saw and one byte more (one read, as a rule), and only a file that
            # grew since reads on, up to one byte over the cap, which tells us it grew past it.
            size = max(min(info.st_size, max_bytes) + 1, CHUNK)
            data = b"".join(capped_chunks(handle.read, max_bytes, size))
    except BodyTooLarge:  # it grew past the cap since stat
        raise UnreadableFileError(f"file too large (over {_size_label(max_bytes)})") from None
    except FileNotFoundError:
        raise UnreadableFileError("file vanished before it could be read") from None
    except PermissionError:
        raise UnreadableFileError("permission denied") from None
    except OSError as exc:
        raise UnreadableFileError(_os_error_message(exc)) from None
    return data


def _sniff_magic(data: bytes) -> str | None:
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP image"
    return None


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: prose in Latin scripts has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _decode_unicode(data: bytes, encoding: str) -> str:
    try:
        return decode_sliced(data, encoding)
    except UnicodeDecodeError:
        # A BOM is strong evidence of the encoding; a stray bad unit should not lose the file.
        return decode_sliced(data, encoding, errors="replace")


def decode_bytes(data: bytes) -> DecodedText:
    """Decode file content, trying BOMs, then strict UTF-8, then cp1252, then latin-1.

    cp1252 before latin-1 because Windows editors write curly quotes and the ellipsis
    as 0x91–0x94 and 0x85, which latin-1 would turn into invisible C1 controls.
    """
    if not data:
        raise UnreadableFileError("empty file")
    label = _sniff_magic(data)
    if label:
        raise UnreadableFileError(f"binary file ({label}), not an article")

    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            # utf-8-sig strips its own BOM; the explicit-endian codecs need it cut off.
            body = data if name == "utf-8-sig" else data[len(bom) :]
            text = _decode_unicode(body, name)
            encoding = name
            break
    if text is None and b"\x00" in data:
        guessed = _guess_bomless_utf16(data)
        if guessed is None:
            raise UnreadableFileError("binary file (contains NUL bytes), not an article")
        try:
            text = decode_sliced(data, guessed)
        except UnicodeDecodeError:
            raise UnreadableFileError(
                "binary file (contains NUL bytes), not an article"
            ) from None
        encoding = guessed
    if text is None:
        for name in ("utf-8", "cp1252", "latin-1"):
            try:
                text = decode_sliced(data, name)
            except UnicodeDecodeError:
                continue
            encoding = name
            break
    assert text is not None  # latin-1 decodes any byte string

    # Normalise newlines first so a CRLF file and its LF copy give identical text. (In
    # slices, as the decoding above: a book's whole-text calls held the GIL for ms each.)
    text = map_lines(_normalize_newlines, text)
    sample = text[:_SNIFF_CHARS]
    controls = len(_CONTROL.findall(sample))
    if controls > 2 and controls / max(len(sample), 1) > _MAX_CONTROL_RATIO:
        raise UnreadableFileError("binary file (control characters), not an article")
    if "\x00" in text:
        # UTF-16/32 text that decodes to NULs is binary data behind a plausible BOM.
        raise UnreadableFileError("binary file (contains NUL characters), not an article")
    if not text or text.isspace():  # (not strip(): a copy of the whole text)
        raise UnreadableFileError("empty file")
    return DecodedText(text=text, encoding=encoding)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> DecodedText:
    """Read ``path`` as article text. Raises :class:`UnreadableFileError` with one line."""
    return decode_bytes(read_bytes(Path(path), max_bytes=max_bytes))
