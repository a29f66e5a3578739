"""The compute device: every choice and fallback message, on a machine without a GPU.

The probes (CUDA device count, cuBLAS) are parameters of ``choose_device``: a machine "with
a device but no cuBLAS" is a count of 1 and a cuBLAS probe that says so. The guarded first
translation is real: on this machine CTranslate2 fails to run on CUDA (no driver), which is
exactly the case the fallback exists for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.models.store import InstalledPackage
from reader.core.server.choice import EngineChoice, build_engine, where_label
from reader.core.translation.cache import TranslationCache
from reader.core.translation.device import (
    CUBLAS_MISSING,
    ComputeDevice,
    DeviceUnavailable,
    choose_device,
    cpu,
    cuda_device_count,
    first_translation,
    gpu,
    load_cublas,
    translation_failure,
)
from reader.core.translation.engine import ModelPool, TranslationEngine
from reader.core.translation.options import ACCURATE
from reader.core.translation.results import ParagraphReady, ParagraphStatus, TranslationFinished

needs_no_gpu = pytest.mark.skipif(
    cuda_device_count() > 0, reason="this machine has a CUDA device: these test its absence"
)
NO_DRIVER = "CUDA failed with error CUDA driver version is insufficient for CUDA runtime version"
DRIVER_REASON = f"the NVIDIA driver is missing or too old ({NO_DRIVER})"


def one() -> int:
    return 1


def cublas_ok() -> None:
    return None


def cublas_missing() -> str:
    return CUBLAS_MISSING


@needs_no_gpu
def test_auto_on_this_machine_is_the_cpu_saying_why() -> None:
    device = choose_device("auto")
    assert device == ComputeDevice("cpu", "auto", "no CUDA device")
    assert device.label == "CPU (no CUDA device)"


@needs_no_gpu
def test_cuda_on_this_machine_names_what_is_missing() -> None:
    with pytest.raises(DeviceUnavailable) as raised:
        choose_device("cuda")
    assert str(raised.value) == "--device cuda: no CUDA device (is the NVIDIA driver installed?)"


def test_cpu_is_the_cpu_without_a_reason() -> None:
    assert choose_device("cpu") == cpu()
    assert cpu().label == "CPU"


def test_unknown_device_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        choose_device("tpu")


def test_device_but_no_cublas() -> None:
    auto = choose_device("auto", device_count=one, cublas=cublas_missing)
    assert auto.device == "cpu"
    assert auto.label == (
        "CPU (cuBLAS 12 is missing (pip install nvidia-cublas-cu12, or the distribution's "
        "cuBLAS 12))"
    )
    with pytest.raises(DeviceUnavailable) as raised:
        choose_device("cuda", device_count=one, cublas=cublas_missing)
    assert str(raised.value) == (
        "--device cuda: cuBLAS 12 is missing (pip install nvidia-cublas-cu12, or the "
        "distribution's cuBLAS 12)"
    )


def test_device_and_cublas_give_the_gpu_settings() -> None:
    device = choose_device("auto", device_count=one, cublas=cublas_ok)
    assert device == gpu("auto")
    assert (device.device, device.compute_type, device.inter_threads) == (
        "cuda", "int8_float16", 1)
    assert device.label == "GPU"
    tuned = device.tune(ACCURATE)
    assert (tuned.max_batch_tokens, tuned.window_sentences) == (8192, 256)
    assert tuned.cache_key() == ACCURATE.cache_key()  # batching never changes the key
    assert cpu().tune(ACCURATE) is ACCURATE


@needs_no_gpu
def test_real_cublas_probe_names_the_package() -> None:
    assert load_cublas() == CUBLAS_MISSING


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (RuntimeError(NO_DRIVER), DRIVER_REASON),
        (RuntimeError("Library libcublas.so.12 is not found or cannot be loaded"),
         f"{CUBLAS_MISSING} (Library libcublas.so.12 is not found or cannot be loaded)"),
        (RuntimeError("CUDA failed with error no kernel image is available for execution"),
         "this GPU is too old for the installed CTranslate2 (CUDA failed with error no "
         "kernel image is available for execution)"),
        (RuntimeError("CUDA failed with error out of memory\nmore"),
         "out of GPU memory (CUDA failed with error out of memory)"),
        (RuntimeError("something else"), "the first translation on the GPU failed "
         "(something else)"),
    ],
)
def test_failure_lines(error: BaseException, line: str) -> None:
    assert translation_failure(error) == line


@needs_no_gpu
def test_first_translation_on_cuda_fails_here_in_one_line(install_fr_en: InstalledPackage) -> None:
    assert first_translation(str(install_fr_en.path / "model"), gpu("auto")) == DRIVER_REASON
    assert first_translation(str(install_fr_en.path / "model"), cpu()) is None


def one_paragraph() -> Article:
    return Article(path=Path("a.txt"), title="t", language="fr", paragraphs=(
        Paragraph(0, "La maison est grande.", ParagraphKind.BODY, "fr", 0.9),))


@needs_no_gpu
def test_auto_falls_back_to_the_cpu_at_the_first_translation(
    install_fr_en: InstalledPackage, echo
) -> None:
    # A device is seen and cuBLAS loads (injected); the real first translation on CUDA
    # fails (no driver here): the pool says why and translates on the CPU.
    device = choose_device("auto", device_count=one, cublas=cublas_ok)
    cache = TranslationCache()
    engine = build_engine(EngineChoice("auto"), cache, device=device)
    events = list(engine.translate(one_paragraph(), "en"))
    paragraph = next(e.paragraph for e in events if isinstance(e, ParagraphReady))
    assert paragraph.status is ParagraphStatus.TRANSLATED
    assert paragraph.translation == echo("La maison est grande.")
    assert engine.pool.device == ComputeDevice("cpu", "auto", DRIVER_REASON)
    assert (engine.pool.compute_type, engine.pool.inter_threads) == (
        "auto", ModelPool().inter_threads)
    assert where_label(engine) == f"this computer (CPU ({DRIVER_REASON}))"
    # The device is not in the cache key: a CPU engine reads what the other one cached.
    again = TranslationEngine(cache, pool=ModelPool(device=cpu()))
    events = list(again.translate(one_paragraph(), "en"))
    cached = next(e.paragraph for e in events if isinstance(e, ParagraphReady))
    assert cached.status is ParagraphStatus.CACHED


@needs_no_gpu
def test_cuda_asked_and_the_first_translation_fails(install_fr_en: InstalledPackage) -> None:
    device = choose_device("cuda", device_count=one, cublas=cublas_ok)
    engine = TranslationEngine(None, pool=ModelPool(device=device))
    events = list(engine.translate(one_paragraph(), "en"))
    finished = next(e for e in events if isinstance(e, TranslationFinished))
    assert finished.error == f"--device cuda: {DRIVER_REASON}"
    paragraph = next(e.paragraph for e in events if isinstance(e, ParagraphReady))
    assert paragraph.status is ParagraphStatus.FAILED


@needs_no_gpu
def test_a_requested_device_is_chosen_at_the_first_load(install_fr_en: InstalledPackage) -> None:
    # The window asks for "auto" at start-up; the probes run with the first model load.
    pool = ModelPool(device="auto")
    assert pool.known_device is None
    engine = TranslationEngine(None, pool=pool)
    events = list(engine.translate(one_paragraph(), "en"))
    assert next(e for e in events if isinstance(e, TranslationFinished)).error is None
    assert pool.known_device == ComputeDevice("cpu", "auto", "no CUDA device")


@needs_no_gpu
def test_cuda_requested_fails_the_translation_in_one_line(
    install_fr_en: InstalledPackage,
) -> None:
    engine = TranslationEngine(None, pool=ModelPool(device="cuda"))
    events = list(engine.translate(one_paragraph(), "en"))
    finished = next(e for e in events if isinstance(e, TranslationFinished))
    assert finished.error == "--device cuda: no CUDA device (is the NVIDIA driver installed?)"


@needs_no_gpu
def test_the_bench_gpu_rows_say_why_they_were_not_measured() -> None:
    from bench.gpu.speed import gpu_rows

    # No device: nothing is loaded or timed (the models are not even looked at).
    assert gpu_rows(None, [], True, "auto") == {  # type: ignore[arg-type]
        "status": "not measured", "reason": "CPU (no CUDA device)"}
    assert gpu_rows(None, [], True, "cuda") == {  # type: ignore[arg-type]
        "status": "not measured",
        "reason": "--device cuda: no CUDA device (is the NVIDIA driver installed?)"}
