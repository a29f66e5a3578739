"""Reads with a size limit, chunk by chunk: the one way a local file or an archive member is
read when its size is not to be trusted (a network body goes through
:func:`reader.core.util.transfer.read_chunks`, which adds a deadline). Standard library only,
so the app's private files can use it at start-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator

CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    """The body (raw or decoded) went past its limit; ``args[0]`` is what had arrived."""


def capped_chunks(
    read: Callable[[int], bytes | None], limit: int, size: int = CHUNK
) -> Iterator[bytes]:
    """What ``read(n)`` gives, chunk by chunk (at most ``size`` bytes each) until it gives
    nothing, never asking for more than ``limit + 1`` bytes in all: one byte past the limit
    raises :class:`BodyTooLarge`, so a file that grew or a header that lied is found out
    without reading the rest."""
    received = 0
    while chunk := read(min(size, limit + 1 - received)):
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(received)
        yield chunk
