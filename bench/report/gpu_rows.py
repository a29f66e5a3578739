"""The table's GPU rows (``bench.gpu.speed``): our engine against the CTranslate2 ceiling on the
GPU, and the GPU against the CPU, per compute type; or why they were not measured."""

from __future__ import annotations

from typing import Any

from bench.report.cells import INFO, NOT_YET, Row, error, s, status


def gpu_rows(results: dict[str, Any]) -> list[Row]:
    gpu = results.get("gpu")
    if gpu is None:
        return []
    problem = error(gpu)
    if problem:
        return [("G", "GPU: engine vs the CTranslate2 ceiling on the GPU", problem, "≥ 0.90",
                 NOT_YET)]
    if gpu.get("status") == "not measured":
        return [("G", "GPU: engine vs the CTranslate2 ceiling on the GPU; GPU vs CPU",
                 f"not measured: {gpu['reason']}", "≥ 0.90", NOT_YET)]
    w, cpu = gpu["workload"], gpu["cpu"]
    rows: list[Row] = []
    for compute_type in ("int8_float16", "float16"):
        side = gpu[compute_type]
        per_budget = ", ".join(f"{b}: {s(t)}"
                               for b, t in side["ceiling_s_by_batch_tokens"].items())
        rows.append((
            "G",
            f"GPU ({gpu['device']}), {compute_type}: engine vs one plain `translate_batch` "
            f"over the same {w['sentences']} sentences ({per_budget}); median of "
            f"{gpu['repeats']} alternating runs",
            f"engine {s(side['seconds'])} ({side['sentences_per_s']:.0f} sentences/s): "
            f"**{side['vs_ceiling']:.2f}** of the ceiling",
            "≥ 0.90", status(side["vs_ceiling"] >= gpu["goal"]),
        ))
        rows.append((
            "G", f"GPU ({compute_type}) vs the CPU ({cpu['threads']} workers × threads), "
            "same workload, beam 4",
            f"CPU {s(cpu['seconds'])}, GPU {s(side['seconds'])}: "
            f"**{side['speedup_vs_cpu']:.1f}×**",
            INFO, INFO,
        ))
    return rows
