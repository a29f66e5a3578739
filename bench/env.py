"""The bench's surroundings: throwaway XDG folders, the cached synthetic models, the machine.

The bench never touches the user's packages, translation cache or settings: before anything
imports argostranslate (whose settings module creates folders under the XDG directories of
the moment it is imported), :func:`make_sandbox` points ``XDG_DATA_HOME``, ``XDG_CACHE_HOME``
and ``XDG_CONFIG_HOME`` at a fresh temporary folder, and every child process inherits them.

The bench models (the hand-set echo model at fr_en 1.9's shape, and the random-weight worst
case) are expensive to build (seconds) but deterministic, so they are kept
outside the repository in ``~/.cache/bilingual-reader-bench/`` (or
``$BILINGUAL_READER_BENCH_CACHE``), one folder per parameter set: the key hashes the build
parameters, the generator's source, the seed texts its tokenizer is trained on and the
CTranslate2/SentencePiece versions, so any change rebuilds.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
RESULTS_DIR = REPO_ROOT / "bench" / "results"

# Argos fr_en 1.9: Transformer-base. vocab_size is what the seed-trained SentencePiece model
# can fill; extra_vocab_to pads the model's vocabulary to a real model's 32k.
MODEL_PARAMS: dict[str, Any] = {
    "from_code": "fr",
    "to_code": "en",
    "d_model": 512,
    "num_heads": 8,
    "num_layers": [6, 6],
    "ffn_dim": 2048,
    "extra_vocab_to": 32000,
}

_START = time.perf_counter()


def progress(message: str) -> None:
    """One progress line on stderr (stdout carries the table)."""
    print(f"[{time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def elapsed() -> float:
    return time.perf_counter() - _START


# -- statistics -------------------------------------------------------------------------------


@dataclass(slots=True)
class Samples:
    """Repeated measurements of one quantity (seconds unless said otherwise)."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def to_json(self) -> dict[str, Any]:
        return {
            "median": self.median,
            "min": min(self.values, default=float("nan")),
            "max": max(self.values, default=float("nan")),
            "runs": list(self.values),
        }


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- the sandbox ------------------------------------------------------------------------------


def bench_cache_dir() -> Path:
    """Where built models are kept. Read *before* :func:`make_sandbox` replaces the XDG
    variables, so the cache outlives the run."""
    override = os.environ.get("BILINGUAL_READER_BENCH_CACHE", "").strip()
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "bilingual-reader-bench"


@dataclass(slots=True)
class Sandbox:
    root: Path
    data_home: Path  # the int8 package (the default XDG_DATA_HOME of the run)
    data_home_f32: Path  # the float32 package: same package code, so its own store
    keep: bool = False

    def cleanup(self) -> None:
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def make_sandbox(keep: bool = False) -> Sandbox:
    root = Path(tempfile.mkdtemp(prefix="bilingual-reader-bench-"))
    for name in ("data", "data-f32", "cache", "config", "work"):
        (root / name).mkdir()
    os.environ["XDG_DATA_HOME"] = str(root / "data")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(root / "config")
    # No display needed (CI, SSH); children inherit it. The window bench uses it too.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # argostranslate reads ARGOS_* settings from the environment; the anchor must run with
    # its users' defaults, not whatever this shell has.
    for name in list(os.environ):
        if name.startswith("ARGOS_"):
            del os.environ[name]
    # A crash in a child (Qt, CTranslate2) leaves its Python stack in the error we report.
    os.environ["PYTHONFAULTHANDLER"] = "1"
    # Children import `bench` and `reader` from this checkout whatever the caller's cwd.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    return Sandbox(root=root, data_home=root / "data", data_home_f32=root / "data-f32", keep=keep)


@contextlib.contextmanager
def data_home(path: Path) -> Iterator[None]:
    """Temporarily point XDG_DATA_HOME elsewhere (the float32 package store)."""
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_DATA_HOME", None)
        else:
            os.environ["XDG_DATA_HOME"] = old


# -- the models -------------------------------------------------------------------------------


# The default bench model is hand-set (testkit.handset_package): it echoes its input and
# stops with </s> like trained weights, at fr_en 1.9's compute shape. "random" is the
# never-stopping random-weight model, kept as the worst case.
MODEL_KINDS = ("echo", "random")


def _model_key(quantization: str, kind: str) -> str:
    import ctranslate2
    import sentencepiece

    from testkit import handset_package, synthetic_package

    digest = hashlib.sha256()
    params = dict(MODEL_PARAMS, quantization=quantization, kind=kind)
    digest.update(json.dumps(params, sort_keys=True).encode())
    digest.update(Path(synthetic_package.__file__).read_bytes())
    if kind == "echo":
        digest.update(Path(handset_package.__file__).read_bytes())
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        digest.update(seed.read_bytes())
    digest.update(f"{ctranslate2.__version__}|{sentencepiece.__version__}".encode())
    return f"fr_en-base-{kind}-{quantization}-{digest.hexdigest()[:12]}"


def cached_model(cache_dir: Path, quantization: str, kind: str = "echo") -> Path:
    """The ``.argosmodel`` for this quantization and kind, built once per parameter set."""
    from testkit.handset_package import build_handset_package
    from testkit.synthetic_package import build_synthetic_package

    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown bench model kind {kind!r}")
    folder = cache_dir / _model_key(quantization, kind)
    found = sorted(folder.glob("*.argosmodel")) if folder.is_dir() else []
    if found:
        return found[0]
    progress(f"building the {kind} {quantization} bench model (once; cached in {folder})")
    cache_dir.mkdir(parents=True, exist_ok=True)
    build = build_handset_package if kind == "echo" else build_synthetic_package
    # Build beside the final folder and rename: an interrupted build is never reused.
    with tempfile.TemporaryDirectory(prefix=".build-", dir=cache_dir) as work:
        built = build(
            Path(work),
            MODEL_PARAMS["from_code"],
            MODEL_PARAMS["to_code"],
            d_model=MODEL_PARAMS["d_model"],
            num_heads=MODEL_PARAMS["num_heads"],
            num_layers=tuple(MODEL_PARAMS["num_layers"]),
            ffn_dim=MODEL_PARAMS["ffn_dim"],
            extra_vocab_to=MODEL_PARAMS["extra_vocab_to"],
            quantization=quantization,
        )
        staged = Path(work) / "done"
        staged.mkdir()
        shutil.move(str(built), str(staged / built.name))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staged, folder)
    return folder / built.name


# -- the machine ------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def memory_total_gb() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    return None


def load_average() -> tuple[float, float, float] | None:
    with contextlib.suppress(OSError):
        return os.getloadavg()
    return None


def commit() -> str:
    """Short hash, with ``+dirty`` when the working tree differs (numbers belong to it)."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head}+dirty" if git("status", "--porcelain", "--untracked-files=no") else head


def machine() -> dict[str, Any]:
    import ctranslate2

    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": memory_total_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ctranslate2": ctranslate2.__version__,
        "ct2_compute_types": sorted(ctranslate2.get_supported_compute_types("cpu")),
        "load_average_start": load_average(),
    }


# -- children ---------------------------------------------------------------------------------


def run_child(
    mode: str,
    args: dict[str, Any],
    timeout: float = 300.0,
    env_overrides: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``python -m bench.child MODE ARGS`` and return the JSON it prints last.

    ``launch`` (this process's CLOCK_MONOTONIC just before ``Popen``) is added to the args, so
    a child can time itself from before its own interpreter started: Linux's monotonic clock
    is system-wide, so both processes read the same clock."""
    payload = dict(args, launch=time.monotonic())
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", mode, json.dumps(payload)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env_overrides or {})},
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        stderr = proc.stderr.strip().splitlines() or ["no output"]
        what = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        return {"status": "error", "error": f"child {mode} died ({what}): {stderr[-1]}",
                "stderr_tail": stderr[-25:]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run_alone(
    prog: str, doc: str, measure: Callable[[bool, Path], dict[str, Any]], quick_help: str,
    argv: list[str] | None = None,
) -> int:
    """``python -m bench.X [--quick]`` for one section: ``measure(quick, model_cache)`` in a
    throwaway sandbox, its result printed as JSON."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    args = parser.parse_args(argv)
    sandbox = make_sandbox()
    try:
        result = measure(args.quick, bench_cache_dir())
    finally:
        sandbox.cleanup()
    print(json.dumps(result, indent=2))
    return 0
