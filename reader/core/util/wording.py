"""Counted words for people ("1 match", "3 matches"): the one helper the CLI and the window
share, so no message says "1 matches" or "file(s)"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word``, in the plural unless the count is one: ``many`` where adding
    "s" is wrong ("match" → "matches")."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or word + 's'}"
