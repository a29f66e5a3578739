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
from reader.core.translation.device import ComputeDevice, DeviceUnavailable, translation_failure
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
    worker splitting each batch across the cores (bench/ measures both).

    ``device`` (``reader.core.translation.device``): a chosen :class:`ComputeDevice`, or
    what was asked (``"auto"``, ``"cpu"``, ``"cuda"``), chosen at the first model load (on
    the worker: the probes import CTranslate2, which the window keeps out of start-up). On
    the GPU: one worker and the GPU's compute type. The first translation there is the
    guarded probe: when it fails, an automatic choice falls back to the CPU (``device``
    then says why) and ``--device cuda`` raises :class:`DeviceUnavailable`."""

    def __init__(
        self,
        *,
        compute_type: str = "auto",
        inter_threads: int | None = None,
        intra_threads: int = 1,
        device: ComputeDevice | str | None = None,
    ) -> None:
        self.compute_type = compute_type
        self.inter_threads = inter_threads or _default_workers()
        self.intra_threads = intra_threads
        self._cpu_settings = (self.compute_type, self.inter_threads)
        self._requested = device if isinstance(device, str) else "cpu"
        self._device: ComputeDevice | None = None
        if device is None:
            self._use(ComputeDevice("cpu", "cpu"))
        elif isinstance(device, ComputeDevice):
            self._use(device)
        self._translators: dict[Path, ctranslate2.Translator] = {}
        self._tokenizers: dict[Path, Tokenizer] = {}
        self._lock = threading.Lock()

    def _use(self, device: ComputeDevice) -> None:
        self._device = device
        if device.device == "cuda":
            self.compute_type = device.compute_type
            self.inter_threads = device.inter_threads or 1
        else:
            self.compute_type, self.inter_threads = self._cpu_settings

    @property
    def device(self) -> ComputeDevice:
        """The device, chosen now if it was not yet (raises :class:`DeviceUnavailable`)."""
        if self._device is None:
            from reader.core.translation.device import choose_device

            self._use(choose_device(self._requested))
        assert self._device is not None
        return self._device

    @property
    def requested(self) -> str:
        """What was asked: "auto", "cpu" or "cuda"."""
        return self._device.requested if self._device is not None else self._requested

    @property
    def known_device(self) -> ComputeDevice | None:
        """The device if chosen already (for the window: never probes)."""
        return self._device

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
        if self.device.device == "cuda":
            translator = self._load_on_gpu(package)
            if translator is not None:
                return translator
        return self._load_on(package, "cpu")

    def _load_on_gpu(self, package: InstalledPackage) -> ctranslate2.Translator | None:
        """The package on the GPU, or None after falling back to the CPU (``auto``)."""
        try:
            return self._load_on(package, "cuda")
        except PackageError as error:
            cause = error.__cause__ if error.__cause__ is not None else error
            reason = translation_failure(cause)
        if self.device.requested == "cuda":
            raise DeviceUnavailable(f"--device cuda: {reason}")
        self._use(self.device.fallback(reason))
        self._translators.clear()  # all on one device: none loaded on the GPU stays
        return None

    def _load_on(self, package: InstalledPackage, device: str) -> ctranslate2.Translator:
        import ctranslate2

        with model_guard.loading(package.path):
            try:
                translator = ctranslate2.Translator(
                    str(package.path / "model"),
                    device=device,
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
