"""Issue 20 item 2: crafted model packages end in one line, never a signal, and leave nothing.

The packages are the hand-set echo package with one field of its ``model.bin`` header (or
its metadata) changed; every install goes through the real command in a child process.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from reader import paths
from reader.core.models import guard as model_guard
from reader.core.models.store import install_package, installed_packages, scan_packages
from reader.core.models.validation import ModelRefused, check_model_dir, read_regular
from tests.reliability.test_hostile_input import assert_clean_stderr, reader_cli


def header_fields(model_bin: bytes) -> dict[str, dict[str, int]]:
    """Offsets in a v6 ``model.bin``: per variable its dtype byte, size field and data."""
    fields: dict[str, dict[str, int]] = {}
    position = 4

    def string() -> str:
        nonlocal position
        (length,) = struct.unpack_from("<H", model_bin, position)
        text = model_bin[position + 2 : position + 1 + length].decode()
        position += 2 + length
        return text

    string()  # spec name
    position += 4  # revision
    (count,) = struct.unpack_from("<I", model_bin, position)
    position += 4
    for _ in range(count):
        name = string()
        rank = model_bin[position]
        position += 1 + 4 * rank
        dtype_at = position
        (size,) = struct.unpack_from("<I", model_bin, position + 1)
        fields[name] = {"dtype": dtype_at, "size": position + 1, "data": position + 5}
        position += 5 + size
    return fields


def _set_scalar(field: str, value: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        at = header_fields(data)[field]["data"]
        return data[:at] + struct.pack("<h", value) + data[at + 2 :]

    return edit


def _set_u8(field: str, key: str, value: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        at = header_fields(data)[field][key]
        return data[:at] + bytes([value]) + data[at + 1 :]

    return edit


def _lying_size(data: bytes) -> bytes:
    at = header_fields(data)["decoder/projection/bias"]["size"]
    (size,) = struct.unpack_from("<I", data, at)
    return data[:at] + struct.pack("<I", size * 64) + data[at + 4 :]


# name → (edit of model.bin, words the refusal must contain)
CRAFTED: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "num_heads=0": (_set_scalar("encoder/num_heads", 0), "num_heads is 0"),
    "decoder num_heads=0": (_set_scalar("decoder/num_heads", 0), "num_heads is 0"),
    "huge alignment_layer": (_set_scalar("decoder/alignment_layer", 30000), "alignment_layer"),
    "huge alignment_heads": (_set_scalar("decoder/alignment_heads", 30000), "alignment_heads"),
    "truncated": (lambda data: data[: len(data) // 2], "truncated"),
    "lying size": (_lying_size, "stores"),
    "unknown dtype": (_set_u8("decoder/projection/weight", "dtype", 9), "unknown data type"),
    "bad version": (lambda data: struct.pack("<I", 99) + data[4:], "binary version 99"),
}


def rebuild(source: Path, out: Path, edit_model: Callable[[bytes], bytes] | None = None,
            edit_metadata: bytes | None = None, edit_vocabulary: bytes | None = None) -> Path:
    """A copy of the ``.argosmodel`` ``source`` with its model.bin / metadata.json /
    vocabulary changed."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / source.name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith("/model/model.bin") and edit_model is not None:
                data = edit_model(data)
            if info.filename.endswith("/metadata.json") and edit_metadata is not None:
                data = edit_metadata
            if info.filename.endswith("_vocabulary.json") and edit_vocabulary is not None:
                data = edit_vocabulary
            copy.writestr(info, data)
    return target


def leftovers() -> list[str]:
    root = paths.packages_dir()
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_model_bin_is_refused_in_one_line(
    case: str, synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    edit, words = CRAFTED[case]
    crafted = rebuild(synthetic_packages["fr_en"], tmp_path / "crafted", edit)
    result = reader_cli("models", "install", str(crafted), timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert_clean_stderr(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    assert words in result.stderr and "translate-fr_en-1_0.argosmodel" in result.stderr
    assert leftovers() == []  # nothing installed, no .installing-* folder
    listing = reader_cli("models", "list", "--json", timeout=120)
    assert listing.returncode == 0 and listing.stdout.strip() == "[]"


def test_the_unchanged_package_passes_the_checks(
    synthetic_packages: dict[str, Path], random_packages: dict[str, Path], tmp_path: Path
) -> None:
    for source in (synthetic_packages["fr_en"], random_packages["en_es"]):
        copy = rebuild(source, tmp_path / source.stem)  # the same bytes, rezipped
        with zipfile.ZipFile(copy) as archive:
            archive.extractall(tmp_path / "x" / source.stem)
        folder = next((tmp_path / "x" / source.stem).iterdir())
        check_model_dir(folder / "model")
        installed = install_package(copy)
        assert installed.code in {p.code for p in installed_packages()}


def test_the_child_turns_a_native_crash_into_one_line(
    synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    """Without the header check, num_heads=0 kills CTranslate2; in the child it is a line."""
    crafted = rebuild(synthetic_packages["fr_en"], tmp_path / "c",
                      _set_scalar("encoder/num_heads", 0))
    with zipfile.ZipFile(crafted) as archive:
        archive.extractall(tmp_path / "x")
    folder = tmp_path / "x" / "translate-fr_en-1_0"
    with pytest.raises(ModelRefused, match=r"crashed CTranslate2 \(SIG"):
        model_guard.probe_in_child(folder, "fr", "en")


def _die_while_loading(folder: Path) -> None:
    """A real process that dies (SIGKILL) inside ``loading``, as a native crash would."""
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from reader.core.models import guard as model_guard\n"
        "with model_guard.loading(Path(sys.argv[1])):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=Path.cwd())
    assert result.returncode == -signal.SIGKILL


def test_a_package_that_crashed_a_load_is_quarantined(
    synthetic_packages: dict[str, Path], install_fr_en: object
) -> None:
    package = installed_packages()[0]
    # The model now crashes CTranslate2 (put in place by hand, so never checked by us)...
    model_bin = package.path / "model" / "model.bin"
    model_bin.write_bytes(_set_scalar("encoder/num_heads", 0)(model_bin.read_bytes()))
    # ...and a process died while loading it.
    _die_while_loading(package.path)
    listing = reader_cli("models", "list", timeout=120)
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    lines = [line for line in listing.stderr.splitlines() if "warning" in line]
    assert len(lines) == 1 and package.path.name in lines[0] and "quarantined" in lines[0]
    assert "no translation models installed" in listing.stderr
    good, broken = scan_packages()
    assert good == [] and broken[0][0] == package.path
    # Every later start skips it without loading it; a translate says what is missing.
    sample = Path(__file__).resolve().parents[2] / "seeds"
    article = next(sample.rglob("*.txt"))
    result = reader_cli("translate", str(article), "--to", "en", timeout=120)
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    # Reinstalling a good package lifts the quarantine.
    install_package(synthetic_packages["fr_en"])
    assert [p.code for p in installed_packages()] == ["translate-fr_en"]


def test_a_load_marker_of_a_killed_process_on_a_good_package_is_dropped(
    install_fr_en: object,
) -> None:
    package = installed_packages()[0]
    _die_while_loading(package.path)
    assert list((model_guard.state_dir() / "loading").iterdir())
    assert [p.code for p in installed_packages()] == ["translate-fr_en"]  # re-checked: fine
    assert list((model_guard.state_dir() / "loading").iterdir()) == []
    assert model_guard.quarantined() == {}


def test_deeply_nested_metadata_is_one_line(install_fr_en: object) -> None:
    package = installed_packages()[0]
    (package.path / "metadata.json").write_text("[" * 100_000)
    listing = reader_cli("models", "list", timeout=120)
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    lines = [line for line in listing.stderr.splitlines() if "warning" in line]
    assert len(lines) == 1 and "nests deeper" in lines[0]


def test_deeply_nested_metadata_in_an_archive_is_refused(
    synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    crafted = rebuild(synthetic_packages["fr_en"], tmp_path / "c",
                      edit_metadata=b"[" * 100_000)
    result = reader_cli("models", "install", str(crafted), timeout=120)
    assert result.returncode == 1 and "nests deeper" in result.stderr
    assert_clean_stderr(result.stderr)
    assert leftovers() == []


@pytest.mark.parametrize("vocabulary, words", [
    (b"[" * 100_000, "is not valid JSON"),
    (b'[["nested"], "x"]', "is not a list of tokens"),
])
def test_a_crafted_vocabulary_is_refused_in_one_line(
    vocabulary: bytes, words: str, synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    crafted = rebuild(synthetic_packages["fr_en"], tmp_path / "v", edit_vocabulary=vocabulary)
    result = reader_cli("models", "install", str(crafted), timeout=120)
    assert result.returncode == 1 and words in result.stderr
    assert_clean_stderr(result.stderr)
    assert leftovers() == []


def test_a_fifo_as_metadata_never_hangs(install_fr_en: object, tmp_path: Path) -> None:
    package = installed_packages()[0]
    (package.path / "metadata.json").unlink()
    os.mkfifo(package.path / "metadata.json")
    started = time.monotonic()
    listing = reader_cli("models", "list", timeout=60)
    assert time.monotonic() - started < 60
    assert listing.returncode == 0 and "not a regular file" in listing.stderr
    assert "Traceback" not in listing.stderr
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ModelRefused, match="not a regular file"):
        read_regular(fifo, 100)


def test_kill_9_during_install_leaves_nothing_after_the_next_start(
    synthetic_packages: dict[str, Path],
) -> None:
    root = paths.packages_dir()
    installer = subprocess.Popen(
        [sys.executable, "-m", "reader", "models", "install", str(synthetic_packages["fr_en"])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        root.is_dir() and any(p.name.startswith(".installing-") for p in root.iterdir())
    ):
        time.sleep(0.005)
    installer.kill()
    installer.wait()
    assert any(name.startswith(".installing-") for name in leftovers())
    listing = reader_cli("models", "list", timeout=120)  # the next start
    assert listing.returncode == 0
    assert not any(name.startswith(".") for name in leftovers())


def test_a_staging_folder_in_use_is_kept(isolated_xdg: object) -> None:
    root = paths.packages_dir()
    root.mkdir(parents=True)
    busy = root / ".installing-busy"
    busy.mkdir()
    lock = model_guard.hold_staging(busy)
    try:
        assert model_guard.clean_stale_staging(root) == []
        assert busy.is_dir()
    finally:
        os.close(lock)
    assert model_guard.clean_stale_staging(root) == [busy]
    # A folder without a lock file is only removed once it is clearly old.
    fresh = root / ".installing-fresh"
    fresh.mkdir()
    assert model_guard.clean_stale_staging(root) == []
    os.utime(fresh, (0, 0))
    assert model_guard.clean_stale_staging(root) == [fresh]


def test_the_window_starts_and_translates_past_bad_package_folders(
    synthetic_packages: dict[str, Path], install_fr_en: object, tmp_path: Path
) -> None:
    """A nested-JSON metadata folder and a package that crashed a load: the window starts,
    skips both and translates with the good package."""
    from tests.ui.test_startup import REPO, SCRIPT

    root = paths.packages_dir()
    nested = root / "translate-de_en-1_0"
    nested.mkdir()
    (nested / "metadata.json").write_text("[" * 100_000)
    crashing = install_package(synthetic_packages["en_es"])
    model_bin = crashing.path / "model" / "model.bin"
    model_bin.write_bytes(_set_scalar("decoder/alignment_heads", 30000)(model_bin.read_bytes()))
    _die_while_loading(crashing.path)
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=REPO,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["finished"] == [False]
    assert report["translated"] == report["rows"] > 0
    assert crashing.path.name in model_guard.quarantined()


def test_a_crafted_model_put_in_place_by_hand_is_refused_at_load(
    install_fr_en: object, tmp_path: Path
) -> None:
    """No marker, no install check (copied in by hand): the check before the native load
    still turns it into one line per paragraph, and the process ends normally."""
    package = installed_packages()[0]
    model_bin = package.path / "model" / "model.bin"
    model_bin.write_bytes(_set_scalar("decoder/alignment_heads", 30000)(model_bin.read_bytes()))
    article = tmp_path / "article.txt"
    article.write_text("Le chat dort sur la chaise de la cuisine depuis ce matin.\n")
    result = reader_cli("translate", str(article), "--to", "en", "--no-cache", timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert_clean_stderr(result.stderr)
    assert "alignment_heads 30000" in result.stderr
    assert model_guard.quarantined() == {}  # refused cleanly: nothing crashed
