"""Native model loads that cannot take the process down, and quarantine for those that did.

- :func:`probe_in_child` loads a package's tokenizer and CTranslate2 model in a child process
  and translates one sentence with the options the engine uses; a crash (SIGFPE, SIGSEGV),
  an error or a hang there is a one-line :class:`~reader.core.models.validation.ModelRefused`.
- :func:`loading` marks a package as being loaded in this process (a file named after the
  package folder and our pid) for the span of the in-process first load; a marker whose
  process is gone means that load crashed. :func:`recover_crashed_loads` re-probes such a
  package in a child: if it fails there too it is quarantined (skipped, listed as such),
  else the marker was a kill -9 or a power cut and is dropped.
- :func:`clean_stale_staging` removes ``packages/.installing-*``/``.removing-*`` folders left
  by a killed installer: only ours (a directory owned by us), only when not in use (its
  ``.lock`` is not flock-ed by a live installer).

Run as ``python -m reader.core.models.guard PACKAGE_DIR FROM TO`` it is the child.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from reader import paths
from reader.core.models.errors import PackageError
from reader.core.models.validation import ModelRefused

PROBE_TIMEOUT_S = 120
PROBE_SENTENCE = "Bonjour le monde."
STAGING_PREFIXES = (".installing-", ".removing-")
LOCK_NAME = ".lock"
# A staging folder without a lock file (a kill between its creation and the lock) is left
# this long before it counts as abandoned.
UNLOCKED_GRACE_S = 600


def state_dir() -> Path:
    return paths.data_home() / paths.APP_NAME / "models"


def _loading_dir() -> Path:
    return state_dir() / "loading"


def _quarantine_dir() -> Path:
    return state_dir() / "quarantine"


# -- the child probe --------------------------------------------------------------------------


def probe_in_child(package_dir: Path, from_code: str, to_code: str,
                   timeout: float = PROBE_TIMEOUT_S) -> None:
    """Load and use the package in a child process; ModelRefused (one line) if that fails."""
    command = [sys.executable, "-m", "reader.core.models.guard", str(package_dir),
               from_code, to_code]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, errors="replace",
            # The child may need the repository on its path when run from a checkout.
            cwd=Path(__file__).resolve().parents[2],
        )
    except subprocess.TimeoutExpired:
        raise ModelRefused(f"loading the model took over {timeout:.0f} s") from None
    except OSError as error:
        raise ModelRefused(f"cannot start the model check ({error.strerror})") from None
    if result.returncode < 0:
        try:
            name = signal.Signals(-result.returncode).name
        except ValueError:
            name = f"signal {-result.returncode}"
        raise ModelRefused(f"the model crashed CTranslate2 ({name})")
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise ModelRefused(lines[-1] if lines else f"the model check failed ({result.returncode})")


def _child_main(package_dir: str, from_code: str, to_code: str) -> int:
    """Load and translate once, as the engine would; exit 0, or 1 with one line on stderr."""
    from reader.core.models.tokenizers import load_tokenizer

    folder = Path(package_dir)
    try:
        tokenizer = load_tokenizer(folder, from_code, to_code)
    except (PackageError, OSError, RuntimeError, ValueError) as error:
        print(str(error).splitlines()[0] if str(error) else type(error).__name__,
              file=sys.stderr)
        return 1
    try:
        import ctranslate2

        translator = ctranslate2.Translator(
            str(folder / "model"), device="cpu", inter_threads=1, intra_threads=1
        )
        tokens = tokenizer.encode(PROBE_SENTENCE) or ["▁"]
        translator.translate_batch(
            [tokens], beam_size=4, num_hypotheses=1, replace_unknowns=True,
            max_decoding_length=16, return_end_token=True,
        )
    except Exception as error:  # any failure is a refusal, reported as one line
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"the CTranslate2 model cannot be loaded ({reason})", file=sys.stderr)
        return 1
    return 0


# -- in-process loads and quarantine -----------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def loading(package_dir: Path) -> Iterator[None]:
    """Mark ``package_dir`` as loading in this process for the ``with`` body.

    The marker is left behind only when the process dies inside the body."""
    marker = _loading_dir() / f"{package_dir.name}.{os.getpid()}"
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(package_dir) + "\n", encoding="utf-8")
    except OSError:
        marker = None  # type: ignore[assignment]  # no state folder: load unguarded
    try:
        yield
    finally:
        if marker is not None:
            with contextlib.suppress(OSError):
                marker.unlink()


def quarantined() -> dict[str, str]:
    """Quarantined package folder names → the one-line reason."""
    folder = _quarantine_dir()
    found: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            with contextlib.suppress(OSError, ModelRefused, UnicodeDecodeError):
                from reader.core.models.validation import read_regular

                found[entry.name] = read_regular(entry, 4096).decode("utf-8").strip()
    return found


def quarantine(name: str, reason: str) -> None:
    folder = _quarantine_dir()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(reason + "\n", encoding="utf-8")


def release(name: str) -> None:
    """Lift the quarantine of a package folder (it was reinstalled or removed)."""
    with contextlib.suppress(OSError):
        (_quarantine_dir() / name).unlink()


class _Pair(Protocol):
    from_code: str
    to_code: str


def recover_crashed_loads(packages_root: Path, load: Callable[[Path], _Pair]) -> list[str]:
    """Handle markers of loads whose process is gone; return one line per quarantined package.

    ``load`` reads a package folder (the store's reader, passed in so that the guard does
    not import the store that uses it); it raises :class:`PackageError` for a broken one."""
    lines: list[str] = []
    try:
        markers = sorted(_loading_dir().iterdir())
    except OSError:
        return lines
    for marker in markers:
        name, _dot, pid = marker.name.rpartition(".")
        if not pid.isdigit() or _pid_alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            marker.unlink()
        folder = packages_root / name
        if not (folder / "model").is_dir() or name in quarantined():
            continue
        try:
            package = load(folder)
            probe_in_child(folder, package.from_code, package.to_code)
        except (ModelRefused, PackageError) as error:
            reason = f"it crashed the translator, and again in a check: {error}"
            quarantine(name, reason)
            lines.append(f"model {name} is quarantined: {reason}")
    return lines


# -- staging folders ---------------------------------------------------------------------------


def hold_staging(staging: Path) -> int:
    """Create and lock ``staging/.lock``; the descriptor is held until the install ends."""
    descriptor = os.open(staging / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def clean_stale_staging(root: Path) -> list[Path]:
    """Remove abandoned staging folders of ours in ``root``; return what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIXES):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_dir(follow_symlinks=False) or info.st_uid != os.getuid():
            continue
        path = Path(entry.path)
        if not _abandoned(path, info.st_mtime):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def _abandoned(path: Path, mtime: float) -> bool:
    try:
        descriptor = os.open(path / LOCK_NAME,
                             os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return time.time() - mtime > UNLOCKED_GRACE_S
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live installer holds it
    finally:
        os.close(descriptor)  # also drops our lock if we got it
    return True


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: python -m reader.core.models.guard PACKAGE_DIR FROM TO", file=sys.stderr)
        sys.exit(2)
    sys.exit(_child_main(*sys.argv[1:]))
