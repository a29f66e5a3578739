"""``main``: parse, run the command, and turn every failure into one line.

Exit codes: 0 ok, 2 usage error, 1 failure with a one-line message on stderr. No traceback
ever reaches the user (set ``BILINGUAL_READER_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

import reader.cli.window as window
from reader.cli.output import PROG, CliError, say, warn
from reader.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    _configure_logging()
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    opened = window.window_paths(arguments, parser)
    if opened is not None:
        args = argparse.Namespace(paths=opened, handler=window.run)
    else:
        args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", window.run)
    try:
        return _run_handler(handler, args)
    finally:
        _report_refusals()


def _configure_logging() -> None:
    """Warnings reach the user as our own one-line messages; without a handler, Python's
    last-resort handler would print them a second time (and tracebacks from log.exception)."""
    if os.environ.get("BILINGUAL_READER_DEBUG"):
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    elif not logging.getLogger().handlers:
        logging.getLogger().addHandler(logging.NullHandler())


def _report_refusals() -> None:
    """Cache and settings files refused as unsafe (another user's, writable by others, not
    a regular file): one line each; the command went on without them."""
    from reader.private_files import take_refusals

    for line in take_refusals():
        warn(line)


def _run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except KeyboardInterrupt:
        say(f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:
        # `bilingual-reader list | head`: the reader went away; not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # the one place errors become a message instead of a traceback
        if os.environ.get("BILINGUAL_READER_DEBUG"):
            raise
        say(f"{PROG}: error: {_describe(error)}")
        details = getattr(error, "details", None)
        if details:  # where and why, for whoever needs more than the one line above
            say(f"  {details}")
        return 1
    finally:
        _warn_extraction_notices()


def _warn_extraction_notices() -> None:
    """A package missing for web pages (a broken install): one line each, once, after the
    command's output. Only when a page was read: the module is not imported otherwise."""
    extract = sys.modules.get("reader.core.articles.html_extract")
    for notice in getattr(extract, "notices", ()):
        warn(notice)


def _describe(error: BaseException) -> str:
    from reader.core.models.store import PackageError

    if isinstance(error, (CliError, PackageError)):
        return str(error)
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{':' if where else ''}{where}"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
