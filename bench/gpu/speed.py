"""GPU rows (issue 26): ``python -m bench --only gpu --device cuda`` on a machine with an
NVIDIA GPU, the driver and cuBLAS 12.

1. Our engine on the GPU against the raw CTranslate2 ceiling on the GPU (one plain
   ``translate_batch`` over the same distinct sentences, ``batch_type="tokens"``, at each of
   ``GPU_BATCH_TOKENS``), for ``int8_float16`` and ``float16``: goal ≥ 0.90.
2. The GPU against the CPU (the app's default pool: one single-threaded worker per core) on
   the same workload: the speed-up, and which compute type wins on this card (the app's
   default, ``int8_float16``, is to be confirmed by this row).

Same workload as the "engine" row (the seeds' paragraphs that need the model, the bench's
echo model at fr_en 1.9's shape or ``--model``), beam 4, no cache; sides alternate, each
repeat rotating who goes first; ratios are taken pair by pair. Without a usable GPU the
section measures nothing and says why in one line (``status: "not measured"``).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from bench.env import Samples, median, progress
from bench.translation import Ceiling
from bench.workload import (
    CountingPool,
    Models,
    Threads,
    engine_for,
    make_workload,
    rates,
    run_engine,
)
from reader.core.articles.article import Article
from reader.core.translation.device import (
    DeviceUnavailable,
    choose_device,
    first_translation,
)
from reader.core.translation.engine import ACCURATE, ModelPool, TranslationEngine

COMPUTE_TYPES = ("int8_float16", "float16")
GPU_BATCH_TOKENS = (2048, 4096, 8192)
GOAL = 0.90


class GpuCeiling(Ceiling):
    """``Ceiling`` on the GPU: the same sentences and options, one CTranslate2 worker."""

    def __init__(self, models: Models, workload: Any, engine: TranslationEngine,
                 compute_type: str) -> None:
        import ctranslate2

        super().__init__(models.int8, workload, Threads(1, 1), ACCURATE, engine)
        self.translator = ctranslate2.Translator(
            str(models.int8.path / "model"), device="cuda", compute_type=compute_type,
            inter_threads=1, intra_threads=1,
        )


def not_measured(reason: str) -> dict[str, Any]:
    progress(f"  gpu: not measured: {reason}")
    return {"status": "not measured", "reason": reason}


def gpu_rows(models: Models, articles: list[Article], quick: bool,
             requested: str = "auto") -> dict[str, Any]:
    try:
        device = choose_device(requested)
    except DeviceUnavailable as error:
        return not_measured(str(error))
    if device.device != "cuda":
        return not_measured(device.label)
    failure = first_translation(str(models.int8.path / "model"), device)
    if failure is not None:
        return not_measured(failure)
    import ctranslate2

    cpu_pool = CountingPool(Threads.default())
    sides: dict[str, TranslationEngine] = {"cpu": engine_for(ACCURATE, cpu_pool)}
    for compute_type in COMPUTE_TYPES:
        chosen = replace(device, compute_type=compute_type)
        sides[compute_type] = engine_for(chosen.tune(ACCURATE), ModelPool(device=chosen))
    workload = make_workload(sides["cpu"], articles[:1] if quick else articles[:2],
                             "seed 000" if quick else "seeds 000+001")
    ceilings = {ct: GpuCeiling(models, workload, sides["cpu"], ct) for ct in COMPUTE_TYPES}
    progress(f"gpu workload: {workload.sentences} sentences on "
             f"{ctranslate2.get_cuda_device_count()} CUDA device(s)")
    for engine in sides.values():
        run_engine(engine, workload)  # warm-up: model load, CUDA context, buffers
    for ceiling in ceilings.values():
        ceiling.run(GPU_BATCH_TOKENS[0])
    names = [*sides, *(f"ceiling-{ct}-{b}" for ct in COMPUTE_TYPES for b in GPU_BATCH_TOKENS)]
    times = {name: Samples() for name in names}
    repeats = 1 if quick else 5
    for repeat in range(repeats):
        order = names[repeat % len(names):] + names[:repeat % len(names)]
        for side in order:
            if side.startswith("ceiling-"):
                _, compute_type, budget = side.split("-")
                seconds = ceilings[compute_type].run(int(budget))
            else:
                start = time.perf_counter()
                run_engine(sides[side], workload)
                seconds = time.perf_counter() - start
            times[side].add(seconds)
            progress(f"  run {repeat + 1}/{repeats} {side}: {seconds:.2f} s")
    result: dict[str, Any] = {
        "status": "ok", "device": _card(), "workload": workload.to_json(), "repeats": repeats,
        "cpu": {**rates(workload, times["cpu"].median), "threads": cpu_pool.threads.label},
        "goal": GOAL,
    }
    for compute_type in COMPUTE_TYPES:
        per_budget = {b: times[f"ceiling-{compute_type}-{b}"].median for b in GPU_BATCH_TOKENS}
        best = min(per_budget, key=per_budget.__getitem__)
        ceiling_runs = times[f"ceiling-{compute_type}-{best}"].values
        ours = times[compute_type].values
        result[compute_type] = {
            **rates(workload, times[compute_type].median),
            "vs_ceiling": median([c / o for c, o in zip(ceiling_runs, ours, strict=True)]),
            "ceiling_s_by_batch_tokens": per_budget,
            "ceiling_best_batch_tokens": best,
            "speedup_vs_cpu": median([c / o for c, o in
                                      zip(times["cpu"].values, ours, strict=True)]),
        }
    return result


def _card() -> str:
    """The GPU's name, from nvidia-smi when it is there (CTranslate2 does not say)."""
    import subprocess

    try:
        found = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total,driver_version",
                                "--format=csv,noheader"], capture_output=True, text=True,
                               timeout=20)
    except (OSError, subprocess.SubprocessError):
        return "unknown (no nvidia-smi)"
    return found.stdout.strip().splitlines()[0] if found.stdout.strip() else "unknown"
