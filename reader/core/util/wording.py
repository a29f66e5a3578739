"""Wording for people, shared by the CLI, the window and the core: counted words ("1 match",
"3 matches", never "1 matches" or "file(s)") and an error as one line."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word``, in the plural unless the count is one: ``many`` where adding
    "s" is wrong ("match" → "matches")."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or word + 's'}"


def one_line(error: BaseException) -> str:
    """A user-facing single line for an exception: a system error as its words and file
    ("No such file or directory: /x"), else the message's first line, else the type's name."""
    text = str(error).strip().splitlines()
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    return text[0] if text else type(error).__name__
