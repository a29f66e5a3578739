"""Reading dictzip (``.dz``) files: gzip files cut into independently inflatable chunks.

dictd and StarDict compress their ``.dict`` with dictzip: a gzip member whose header carries
an ``RA`` extra field (version, chunk length, chunk count, then each chunk's compressed
size); each chunk ends on a full flush, so inflating can start at any chunk boundary. A
look-up then reads and inflates one or two chunks (tens of kilobytes) instead of the whole
file. A plain ``.gz`` (no ``RA`` field) is inflated once, in full, and kept in memory.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

# gzip header flags (RFC 1952)
_FHCRC, _FEXTRA, _FNAME, _FCOMMENT = 0x02, 0x04, 0x08, 0x10
MAX_PLAIN_GZIP = 256 * 1024 * 1024  # a plain .gz dictionary inflated in full, at most


class DictzipError(ValueError):
    """The file is not a gzip/dictzip file we can read."""


class DictzipReader:
    """Random access to the uncompressed bytes of a dictzip (or plain gzip) file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._whole: bytes | None = None
        self._chunk_length = 0
        self._offsets: list[int] = []  # file offset of each chunk, plus the end
        with open(self.path, "rb") as handle:
            header = handle.read(10)
            if len(header) < 10 or header[:2] != b"\x1f\x8b" or header[2] != 8:
                raise DictzipError(f"{self.path.name}: not a gzip file")
            flags = header[3]
            extra = b""
            if flags & _FEXTRA:
                (size,) = struct.unpack("<H", handle.read(2))
                extra = handle.read(size)
            if flags & _FNAME:
                _skip_zero_terminated(handle)
            if flags & _FCOMMENT:
                _skip_zero_terminated(handle)
            if flags & _FHCRC:
                handle.read(2)
            data_start = handle.tell()
        sizes = _ra_chunks(extra)
        if sizes is None:
            self._inflate_whole()
            return
        self._chunk_length, counts = sizes
        offsets = [data_start]
        for count in counts:
            offsets.append(offsets[-1] + count)
        self._offsets = offsets

    def _inflate_whole(self) -> None:
        try:
            with gzip.open(self.path, "rb") as handle:
                data = handle.read(MAX_PLAIN_GZIP + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise DictzipError(f"{self.path.name}: {error}") from None
        if len(data) > MAX_PLAIN_GZIP:
            raise DictzipError(f"{self.path.name}: over {MAX_PLAIN_GZIP >> 20} MiB uncompressed")
        self._whole = data

    def read(self, offset: int, size: int) -> bytes:
        """``size`` uncompressed bytes from ``offset`` (fewer at the end of the file)."""
        if offset < 0 or size <= 0:
            return b""
        if self._whole is not None:
            return self._whole[offset : offset + size]
        first = offset // self._chunk_length
        last = (offset + size - 1) // self._chunk_length
        last = min(last, len(self._offsets) - 2)
        if first > last:
            return b""
        # Opened per read (about 10 µs): no descriptor held, safe from several threads.
        with open(self.path, "rb") as handle:
            handle.seek(self._offsets[first])
            compressed = handle.read(self._offsets[last + 1] - self._offsets[first])
        try:
            data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(compressed)
        except zlib.error as error:
            raise DictzipError(f"{self.path.name}: damaged chunk ({error})") from None
        start = offset - first * self._chunk_length
        return data[start : start + size]

    def close(self) -> None:
        self._whole = None if not self._offsets else self._whole


def _skip_zero_terminated(handle) -> None:  # type: ignore[no-untyped-def]
    while True:
        byte = handle.read(1)
        if not byte or byte == b"\0":
            return


def _ra_chunks(extra: bytes) -> tuple[int, list[int]] | None:
    """(chunk length, compressed chunk sizes) from the gzip extra field's ``RA`` subfield."""
    position = 0
    while position + 4 <= len(extra):
        tag = extra[position : position + 2]
        (length,) = struct.unpack("<H", extra[position + 2 : position + 4])
        body = extra[position + 4 : position + 4 + length]
        position += 4 + length
        if tag != b"RA" or len(body) < 6:
            continue
        version, chunk_length, count = struct.unpack("<HHH", body[:6])
        if version != 1 or chunk_length == 0 or len(body) < 6 + 2 * count:
            return None
        return chunk_length, list(struct.unpack(f"<{count}H", body[6 : 6 + 2 * count]))
    return None


def write_dictzip(path: Path, data: bytes, chunk_length: int = 58315) -> None:
    """Write ``data`` as a dictzip file (what ``dictzip`` makes): used to build test and
    user dictionaries without the ``dictzip`` tool."""
    chunks: list[bytes] = []
    for start in range(0, len(data), chunk_length) or [0]:
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        piece = data[start : start + chunk_length]
        chunks.append(packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH))
    # The last chunk also carries the end-of-stream marker (an empty final block).
    chunks[-1] += b"\x03\x00"
    ra = struct.pack("<HHH", 1, chunk_length, len(chunks)) + b"".join(
        struct.pack("<H", len(c)) for c in chunks
    )
    extra = b"RA" + struct.pack("<H", len(ra)) + ra
    header = b"\x1f\x8b\x08" + bytes([_FEXTRA]) + b"\0\0\0\0" + b"\x02\x03"
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    Path(path).write_bytes(
        header + struct.pack("<H", len(extra)) + extra + b"".join(chunks) + trailer
    )
