"""What several commands share: the library's paths, the cache, the engine, the target
language, progress on a terminal. Heavy modules are imported when a command needs them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import paths
from reader.cli.output import CliError, warn

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


def engine(quality: str, cache: TranslationCache | None) -> TranslationEngine:
    from reader.core.models import store as packages
    from reader.core.translation.engine import PRESETS, TranslationEngine

    packages.install_bundled_models(
        paths.bundled_models_dir(), on_error=lambda file, error: warn(f"{file.name}: {error}")
    )
    from reader.core.glossary.store import open_user_glossary

    return TranslationEngine(cache, options=PRESETS[quality], glossary=open_user_glossary())


def target(value: str | None) -> str:
    from reader.core.language.names import to_argos_code

    # As the Argos index spells it: "no" is "nb", "zh-TW" is "zt".
    code = to_argos_code(value or DEFAULT_TARGET)
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise CliError(f"--to expects a language code such as en, es or de (got {value!r})")
    return code


def add_translation_options(sub: argparse.ArgumentParser) -> None:
    """``--to`` and ``--quality``, as translate and export take them."""
    sub.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
    sub.add_argument(
        "--quality",
        choices=("fast", "accurate"),
        default="accurate",
        help="fast: beam 1; accurate: beam 4 (default)",
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
