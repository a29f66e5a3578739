"""How the engine cuts its work for CTranslate2: sentences into document-order windows
(the streaming unit), windows into length-sorted batches (the decoding unit), and an
over-long sentence into runs of tokens the model accepts. Pure functions on lengths."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def length_batches(
    token_lists: list[list[str]], *, max_tokens: int, spread: float, workers: int = 1
) -> list[list[int]]:
    """Indices of ``token_lists`` grouped into batches, longest sentences first.

    Padding makes a batch cost (its longest sentence) x (its size), and the batch shares one
    decoding limit: a batch holds at most ``max_tokens`` padded tokens and sentences
    within ``spread`` of its longest. Like CTranslate2's own token batching,
    sentences are taken from the longest down, so the longest are never left alone; and the
    work is cut into a multiple of ``workers`` batches of about the same number of tokens,
    so every worker gets about the same share and none idles while another finishes."""
    order = sorted(range(len(token_lists)), key=lambda i: -len(token_lists[i]))
    sizes = [len(token_lists[i]) or 1 for i in order]
    padded = sum(sizes)
    count = math.ceil(padded / max(1, max_tokens))
    if len(order) >= workers > 1:
        count = workers * math.ceil(count / workers)
    share = padded / max(1, count)
    batches: list[list[int]] = []
    batch: list[int] = []
    held = 0
    for i, size in zip(order, sizes, strict=True):
        longest = (len(token_lists[batch[0]]) or 1) if batch else size
        if batch and (
            longest * (len(batch) + 1) > max_tokens
            or size * spread < longest
            or held >= share
        ):
            batches.append(batch)
            batch, held = [], 0
        batch.append(i)
        held += size
    if batch:
        batches.append(batch)
    return batches


def token_chunks(tokens: list[str], limit: int) -> Iterator[tuple[int, list[str]]]:
    """``tokens`` in runs of at most ``limit``, each cut before a word-initial piece (``▁``)
    where there is one, so the runs' translations join with a space like the words did;
    a single word longer than ``limit`` pieces is cut inside. Yields (offset, run)."""
    start = 0
    while True:
        end = min(start + limit, len(tokens))
        if end < len(tokens):
            cut = next((j for j in range(end, start, -1) if tokens[j].startswith("▁")), end)
            end = cut
        yield start, tokens[start:end]
        if end >= len(tokens):
            return
        start = end


def windows_of(units: Sequence[T], size: int) -> Iterator[list[T]]:
    """Document-order windows of at most ``size`` units, all of about the same size: 53
    sentences in windows of 48 become 27 + 26, not 48 + a 5-sentence window that leaves
    a worker idle."""
    count = max(1, math.ceil(len(units) / max(1, size)))
    base, extra = divmod(len(units), count)
    start = 0
    for index in range(count):
        end = start + base + (index < extra)
        if end > start:
            yield list(units[start:end])
        start = end
