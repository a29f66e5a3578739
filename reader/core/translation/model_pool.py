"""Installed packages as CTranslate2 translators and tokenizers, each loaded once, and the
route (one package, or two through English) an article's language takes."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.models import guard as model_guard
from reader.core.models.store import InstalledPackage, PackageError, check_model_files
from reader.core.models.tokenizers import Tokenizer, load_tokenizer
from reader.core.translation.results import PackageRef

if TYPE_CHECKING:
    import ctranslate2


@dataclass(frozen=True, slots=True)
class Route:
    packages: tuple[InstalledPackage, ...]

    @property
    def key(self) -> str:
        """Identifies the exact chain in the cache: every package and its version."""
        return ">".join(f"{p.code}@{p.version}" for p in self.packages)

    @property
    def refs(self) -> tuple[PackageRef, ...]:
        return tuple(p.ref for p in self.packages)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class ModelPool:
    """Loads each package's Translator and tokenizer once and keeps them (thread-safe).

    ``ctranslate2`` is imported here, on first use, so that importing the engine stays
    cheap (the window imports it at start-up; the model loads in the worker).

    Threads: one CTranslate2 worker per core, each single-threaded, fed independent batches
    asynchronously. For sentence-sized batches this is about twice as fast on 2 cores as one
    worker splitting each batch across the cores (bench/ measures both)."""

    def __init__(
        self,
        *,
        compute_type: str = "auto",
        inter_threads: int | None = None,
        intra_threads: int = 1,
    ) -> None:
        self.compute_type = compute_type
        self.inter_threads = inter_threads or _default_workers()
        self.intra_threads = intra_threads
        self._translators: dict[Path, ctranslate2.Translator] = {}
        self._tokenizers: dict[Path, Tokenizer] = {}
        self._lock = threading.Lock()

    def translator(self, package: InstalledPackage) -> ctranslate2.Translator:
        with self._lock:
            translator = self._translators.get(package.path)
            if translator is None:
                translator = self._load(package)
                self._translators[package.path] = translator
            return translator

    def _load(self, package: InstalledPackage) -> ctranslate2.Translator:
        # Packages may have been put there by hand or by argospm, never checked by us:
        # check the files first, and mark the native load so that a crash in it (or in the
        # first translation, which reads the alignment fields) quarantines the package at
        # the next start instead of crashing every start.
        if package.path.name in model_guard.quarantined():
            raise PackageError(f"the model {package.path.name} is quarantined")
        check_model_files(package)
        import ctranslate2

        with model_guard.loading(package.path):
            try:
                translator = ctranslate2.Translator(
                    str(package.path / "model"),
                    device="cpu",
                    compute_type=self.compute_type,
                    inter_threads=self.inter_threads,
                    intra_threads=self.intra_threads,
                )
                translator.translate_batch(
                    [["▁"]], beam_size=1, replace_unknowns=True, max_decoding_length=2
                )
            # A damaged model.bin surfaces as RuntimeError, ValueError or IndexError.
            except (RuntimeError, ValueError, OSError, IndexError) as error:
                raise PackageError(
                    f"cannot load the model of {package.code} {package.version}: {error}"
                ) from error
        return translator

    def tokenizer(self, package: InstalledPackage) -> Tokenizer:
        with self._lock:
            tokenizer = self._tokenizers.get(package.path)
            if tokenizer is None:
                tokenizer = load_tokenizer(package.path, package.from_code, package.to_code)
                self._tokenizers[package.path] = tokenizer
            return tokenizer

    def unload(self) -> None:
        with self._lock:
            self._translators.clear()
            self._tokenizers.clear()
