"""What several commands share: the library's paths, the cache, the engine, the target
language, progress on a terminal. Heavy modules are imported when a command needs them."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import paths
from reader.cli.output import PROG, CliError, say, warn
from reader.core.util.wording import plural

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import TranslationEngine

DEFAULT_TARGET = "en"


def library_targets(raw_paths: Sequence[str]) -> list[Path]:
    """The files and folders named, or the default library when none is."""
    return [Path(p) for p in raw_paths] if raw_paths else paths.default_library_paths()


def load_full(raw_paths: Sequence[str]) -> list[Article]:
    """Articles with per-paragraph languages (what translation needs)."""
    from reader.core.library.listing import load_library

    return load_library(library_targets(raw_paths), paragraph_languages=True)


def open_cache() -> TranslationCache:
    from reader.core.translation.cache import TranslationCache

    cache = TranslationCache()
    for warning in cache.warnings:
        warn(warning)
    return cache


def engine(
    quality: str, cache: TranslationCache | None, args: argparse.Namespace | None = None
) -> TranslationEngine:
    """The installed models on ``--device`` (default auto), or the ``--server`` named (with
    ``--api-key``, else the key saved in Preferences for that server). ``--device cuda``
    without a usable GPU: exit 1, naming what is missing."""
    from reader.core.server.choice import EngineChoice, build_engine, load_api_key
    from reader.core.translation.device import DeviceUnavailable
    from reader.core.translation.engine import PRESETS

    server: str | None = getattr(args, "server", None)
    key: str | None = getattr(args, "api_key", None)
    if server is None:
        from reader.core.models import store as packages

        packages.install_bundled_models(
            paths.bundled_models_dir(),
            on_error=lambda file, error: warn(f"{file.name}: {error}"),
        )
    elif not key:
        key = load_api_key(paths.app_config_dir(), server)
    choice = EngineChoice(getattr(args, "device", None) or "auto", server, key)
    from reader.core.glossary.store import open_user_glossary

    glossary = open_user_glossary()
    if server is not None and glossary is not None:
        # A server returns text only: the attention that places terms never comes back.
        try:
            count = len(glossary.entries())
        except (OSError, sqlite3.Error):  # an unusable file: nothing that could apply
            count = 0
        if count:
            warn(f"your glossary ({plural(count, 'entry', 'entries')}) is not applied "
                 "when a server translates")
        glossary = None
    try:
        return build_engine(choice, cache, options=PRESETS[quality], glossary=glossary)
    except DeviceUnavailable as error:
        raise CliError(str(error)) from None


def server_usage(args: argparse.Namespace) -> str | None:
    """The usage error in ``--server``/``--api-key``, if any."""
    if getattr(args, "api_key", None) and not getattr(args, "server", None):
        return "--api-key goes with --server URL"
    return None


def say_where(args: argparse.Namespace, translator: TranslationEngine) -> None:
    """With ``--device`` or ``--server`` given: where the text was translated, on stderr."""
    from reader.core.server.choice import where_label

    if getattr(args, "device", None) or getattr(args, "server", None):
        say(f"{PROG}: translated on {where_label(translator)}")


def server_url(value: str) -> str:
    """``--server``'s type: a normalized http(s) address, or a usage error."""
    from reader.core.server.libretranslate import normalize_url

    try:
        return normalize_url(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def target(value: str | None) -> str:
    from reader.core.language.names import to_argos_code

    # As the Argos index spells it: "no" is "nb", "zh-TW" is "zt".
    code = to_argos_code(value or DEFAULT_TARGET)
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise CliError(f"--to expects a language code such as en, es or de (got {value!r})")
    return code


def add_translation_options(sub: argparse.ArgumentParser) -> None:
    """``--to``, ``--quality``, ``--device``, ``--server`` and ``--api-key``, as translate
    and export take them."""
    sub.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
    sub.add_argument(
        "--quality",
        choices=("fast", "accurate"),
        default="accurate",
        help="fast: beam 1; accurate: beam 4 (default)",
    )
    sub.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        help="where the installed models run: auto (the GPU when usable, else the CPU; "
        "the default), cpu, or cuda (exit 1 when no usable GPU)",
    )
    sub.add_argument(
        "--server",
        metavar="URL",
        type=server_url,
        help="translate with this LibreTranslate server instead (it receives every sentence)",
    )
    sub.add_argument(
        "--api-key",
        metavar="KEY",
        help="the server's API key (default: the one saved in Preferences for that server)",
    )


class Progress:
    """Sentences done / total on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if self.enabled and total:
            sys.stderr.write(f"\r{self.label}: {done}/{total} sentences")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
