"""The ``bilingual-reader`` command line (a stable contract: users script against it).

One module per command (``listing``: list, ``adding``: add, ``feeds``, ``translating``:
translate, ``editing``: edit, ``exporting``: export, ``models``, ``search``, ``cache``,
``desktop``), each with its ``register`` (its part of the parser) and its handlers;
``parser`` puts them together, ``window`` tells paths to open from commands, ``entry`` runs
one (``main``), ``output`` and ``common`` hold what several share. Exit codes: 0 ok, 2 usage
error, 1 failure with a one-line message on stderr.
"""

from reader.cli.entry import main
from reader.cli.output import PROG, CliError
from reader.cli.parser import build_parser
from reader.cli.window import window_paths

__all__ = ["PROG", "CliError", "build_parser", "main", "window_paths"]
