"""What every command writes: one-line messages on stderr, JSON on stdout.

Exit codes: 0 ok, 2 usage error, 1 failure with a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn, Protocol, TextIO

PROG = "bilingual-reader"


class CliError(Exception):
    """A failure to report as one line on stderr, exit 1."""


class Parser(argparse.ArgumentParser):
    """A usage error is the usage line and one line naming it, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class Commands(Protocol):
    """What ``add_subparsers`` returns, as each command's ``register`` uses it."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def say(message: str, stream: TextIO | None = None) -> None:
    print(message, file=stream or sys.stderr)


def warn(message: str) -> None:
    say(f"{PROG}: warning: {message}")


def print_json(data: object) -> None:
    # One write: json.dump() to a stream writes every token (30,000 writes for 500 articles).
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


class JsonArticles:
    """``translate --json``'s output, written as it is made: ``json.dumps(results,
    ensure_ascii=False, indent=2)`` byte for byte, but each paragraph is written when it is
    translated and then forgotten, so memory does not grow with the output (a book's
    200,000 paragraphs made a 90 MB document built three times over in memory)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._articles = 0
        self._paragraphs = -1  # -1: no article open

    @staticmethod
    def _dumps(value: object, level: int) -> str:
        # Nested ``level`` deep in the document: json's indentation, shifted.
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)

    def _begin_item(self) -> None:
        self._out.write("[\n  " if self._articles == 0 else ",\n  ")
        self._articles += 1

    def whole(self, data: dict[str, object]) -> None:
        """An article written at once (one that failed before its first paragraph)."""
        self._begin_item()
        self._out.write(self._dumps(data, 1))

    def begin(self, head: dict[str, object]) -> None:
        """An article's fields before ``paragraphs``, then its paragraphs one by one."""
        self._begin_item()
        fields = self._dumps(head, 1)
        self._out.write(fields[:-1].rstrip() + ',\n    "paragraphs": [')
        self._paragraphs = 0

    def paragraph(self, data: dict[str, object]) -> None:
        self._out.write("\n      " if self._paragraphs == 0 else ",\n      ")
        self._out.write(self._dumps(data, 3))
        self._paragraphs += 1

    def end(self, tail: dict[str, object]) -> None:
        """Close the article with the fields after ``paragraphs``."""
        self._out.write("\n    ]" if self._paragraphs else "]")
        for key, value in tail.items():
            self._out.write(f",\n    {json.dumps(key)}: {self._dumps(value, 2)}")
        self._out.write("\n  }")
        self._paragraphs = -1

    def close(self) -> None:
        self._out.write("[]\n" if self._articles == 0 else "\n]\n")
