"""Which device CTranslate2 translates on (``auto``, ``cpu`` or ``cuda``), and why.

The CTranslate2 wheel carries its CUDA runtime but loads the NVIDIA driver (``libcuda.so.1``)
and cuBLAS 12 (``libcublas.so.12``) at run time. Without a driver it sees no device; without
cuBLAS it builds a CUDA translator and only fails at the first translation ("Library
libcublas.so.12 is not found or cannot be loaded"). So the choice is made in three steps,
each with its own one-line reason:

1. ``ctranslate2.get_cuda_device_count() == 0`` → the CPU, "no CUDA device";
2. cuBLAS 12 cannot be loaded (the system's, or the pip package ``nvidia-cublas-cu12``, which
   is not on the loader's path: it is preloaded here with ``RTLD_GLOBAL`` so CTranslate2's
   own ``dlopen`` finds it) → the CPU, naming the package to install;
3. a first translation on the GPU fails (a guarded call: the model pool makes it when it
   loads a package) → the CPU, with the error in one line.

``auto`` falls back to the CPU at each step; ``cuda`` refuses with :class:`DeviceUnavailable`
(the CLI exits 1 with its one line). Every probe is a parameter, so the choice is testable on
a machine without a GPU.

On the GPU: compute type ``int8_float16`` (int8 weights, float16 activations: the smallest
memory and, measured on an H100 with a Transformer-base, 16.7× the CPU's speed; ``float16``
was faster still there, 23.4×, at twice the weight memory — the choice should be measured on
the card in use, ``bench`` does it), one CTranslate2 worker (a GPU runs one batch stream; more
workers would load the model twice), and larger token batches (a GPU is fed by width).

The device is not part of the cache key: the same model with the same decoding options gives
the same translation on either device except, rarely, where int8 CPU and int8_float16 GPU
arithmetic round a near tie differently; such a text is as good as the other, and keying
on the device would translate a library twice for nothing.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from reader.core.translation.options import DecodingOptions

Requested = Literal["auto", "cpu", "cuda"]
CHOICES: tuple[str, ...] = ("auto", "cpu", "cuda")

GPU_COMPUTE_TYPE = "int8_float16"
GPU_BATCH_TOKENS = 8192  # a GPU is fed by width; the CPU default is 1024
GPU_WINDOW_SENTENCES = 256

CUBLAS_SONAME = "libcublas.so.12"
CUBLAS_MISSING = (
    "cuBLAS 12 is missing (pip install nvidia-cublas-cu12, or the distribution's cuBLAS 12)"
)
NO_DEVICE = "no CUDA device"
NO_DEVICE_DETAIL = "no CUDA device (is the NVIDIA driver installed?)"


class DeviceUnavailable(RuntimeError):
    """``--device cuda`` cannot be honoured; ``str()`` is the one line to show."""


@dataclass(frozen=True, slots=True)
class ComputeDevice:
    """Where and how CTranslate2 runs, and why that device (empty when as asked)."""

    device: Literal["cpu", "cuda"]
    requested: str = "auto"
    reason: str = ""
    compute_type: str = "auto"
    inter_threads: int | None = None  # None: one worker per core (the CPU default)

    @property
    def label(self) -> str:
        """For the status bar and ``--json``: "GPU", "CPU" or "CPU (no CUDA device)"."""
        name = "GPU" if self.device == "cuda" else "CPU"
        return f"{name} ({self.reason})" if self.reason else name

    def tune(self, options: DecodingOptions) -> DecodingOptions:
        """Batching for this device: larger token batches and windows on the GPU (these
        change speed, never output, so the cache key is the same)."""
        if self.device != "cuda":
            return options
        return replace(
            options,
            max_batch_tokens=max(options.max_batch_tokens, GPU_BATCH_TOKENS),
            window_sentences=max(options.window_sentences, GPU_WINDOW_SENTENCES),
        )

    def fallback(self, reason: str) -> ComputeDevice:
        """The CPU, after the GPU failed for ``reason``."""
        return cpu(self.requested, reason)


def cpu(requested: str = "cpu", reason: str = "") -> ComputeDevice:
    return ComputeDevice("cpu", requested, reason)


def gpu(requested: str) -> ComputeDevice:
    return ComputeDevice("cuda", requested, "", GPU_COMPUTE_TYPE, 1)


# -- probes ------------------------------------------------------------------------------


def cuda_device_count() -> int:
    """CTranslate2's count of CUDA devices (0 without a driver; never raises)."""
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except (ImportError, RuntimeError, OSError):
        return 0


def load_cublas() -> str | None:
    """None when cuBLAS 12 is loaded (system-wide, or from ``nvidia-cublas-cu12``), else
    the one-line reason. Loading it globally lets CTranslate2's later ``dlopen`` find it."""
    try:
        ctypes.CDLL(CUBLAS_SONAME, mode=ctypes.RTLD_GLOBAL)
        return None
    except OSError:
        pass
    try:
        spec = importlib.util.find_spec("nvidia.cublas")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        folder = next(iter(spec.submodule_search_locations))
        library = os.path.join(folder, "lib", CUBLAS_SONAME)
        try:
            ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
            return None
        except OSError as error:
            return f"cuBLAS 12 from nvidia-cublas-cu12 cannot be loaded: {first_line(error)}"
    return CUBLAS_MISSING


def translation_failure(error: BaseException) -> str:
    """A failed first GPU translation in one line, saying what to do where it is known."""
    text = first_line(error)
    lowered = text.lower()
    if "driver version is insufficient" in lowered:
        return f"the NVIDIA driver is missing or too old ({text})"
    if "cublas" in lowered:
        return f"{CUBLAS_MISSING} ({text})"
    if "no kernel image" in lowered:
        return f"this GPU is too old for the installed CTranslate2 ({text})"
    if "out of memory" in lowered:
        return f"out of GPU memory ({text})"
    return f"the first translation on the GPU failed ({text})"


def first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# -- the choice --------------------------------------------------------------------------


def choose_device(
    requested: str = "auto",
    *,
    device_count: Callable[[], int] = cuda_device_count,
    cublas: Callable[[], str | None] = load_cublas,
) -> ComputeDevice:
    """Steps 1 and 2 of the module docstring (step 3 happens when a model loads: see
    :func:`first_translation`). ``cuda`` when unavailable raises :class:`DeviceUnavailable`."""
    if requested not in CHOICES:
        raise ValueError(f"unknown device {requested!r} (choose from {', '.join(CHOICES)})")
    if requested == "cpu":
        return cpu()
    if device_count() <= 0:
        if requested == "cuda":
            raise DeviceUnavailable(f"--device cuda: {NO_DEVICE_DETAIL}")
        return cpu(requested, NO_DEVICE)
    missing = cublas()
    if missing is not None:
        if requested == "cuda":
            raise DeviceUnavailable(f"--device cuda: {missing}")
        return cpu(requested, missing)
    return gpu(requested)


def first_translation(model_path: str, device: ComputeDevice) -> str | None:
    """Build a translator for ``model_path`` on ``device`` and translate one piece: None
    when it works, else the one-line reason (step 3). The pool does this as it loads."""
    try:
        import ctranslate2

        translator = ctranslate2.Translator(
            model_path, device=device.device, compute_type=device.compute_type,
            inter_threads=1, intra_threads=1,
        )
        translator.translate_batch([["▁"]], beam_size=1, max_decoding_length=2)
    except (RuntimeError, ValueError, OSError) as error:
        return translation_failure(error)
    return None


__all__ = [
    "CHOICES",
    "CUBLAS_MISSING",
    "ComputeDevice",
    "DeviceUnavailable",
    "choose_device",
    "cpu",
    "cuda_device_count",
    "first_translation",
    "gpu",
    "load_cublas",
    "translation_failure",
]
