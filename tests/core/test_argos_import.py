"""A broken or read-only cache folder leaves translation working (issue #16, item 5).

argostranslate's settings module creates its folders at import; each test translates end to
end in a fresh interpreter (the import happens once per process) with a real package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.models.store import InstalledPackage

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "004_07fde87c689b752c.txt"


def _translate(env: dict[str, str], prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    command = [
        *(prefix or []),
        sys.executable, "-m", "reader", "translate", str(SEED), "--quality", "fast", "--json",
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=env, cwd=REPO, check=False
    )


def _check_translated(result: subprocess.CompletedProcess) -> None:
    import json

    assert result.returncode == 0, result.stderr
    (article,) = json.loads(result.stdout)
    assert article["error"] is None
    translated = [p for p in article["paragraphs"] if p["translation"]]
    assert translated, "no paragraph was translated"
    # One warning line: our cache's (translations kept in memory).
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, result.stderr
    assert "kept in memory" in warnings[0]


def test_cache_home_pointing_at_a_file(
    install_fr_en: InstalledPackage, isolated_xdg: dict[str, Path], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("not a folder\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(not_a_folder)}
    _check_translated(_translate(env))
    # Nothing was created beside the file, and the file is untouched.
    assert not_a_folder.read_text() == "not a folder\n"


def test_read_only_cache_home(
    install_fr_en: InstalledPackage, isolated_xdg: dict[str, Path], tmp_path: Path
) -> None:
    # Root ignores permission bits, so "read-only" must be a read-only mount: a tmpfs
    # mounted ro in a private mount namespace of the child only.
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare(1) to mount a read-only folder")
    read_only = tmp_path / "ro-cache"
    read_only.mkdir()
    probe = subprocess.run(
        [unshare, "--map-root-user", "--mount", "sh", "-c",
         f"mount -t tmpfs -o ro,size=64k tmpfs '{read_only}' && ! touch '{read_only}/x'"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {probe.stderr.strip()[:120]}")
    env = {**os.environ, "XDG_CACHE_HOME": str(read_only)}
    prefix = [
        unshare, "--map-root-user", "--mount", "sh", "-c",
        f"mount -t tmpfs -o ro,size=64k tmpfs '{read_only}' && exec \"$@\"", "sh",
    ]
    result = _translate(env, prefix)
    _check_translated(result)


def test_import_helper_replaces_only_the_unusable_folder(tmp_path: Path) -> None:
    """In a fresh interpreter: which variable is replaced, and only for the import."""
    broken = tmp_path / "file"
    broken.write_text("x")
    code = (
        "import os, sys\n"
        "from reader.core.models import argos_import\n"
        "settings = argos_import.import_argos_settings()\n"
        "print(os.environ['XDG_CACHE_HOME'])\n"
        "print(settings.cache_dir)\n"
        "print(settings.config_dir)\n"
        "print(len(argos_import.warnings))\n"
    )
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(broken),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    environ_after, cache_dir, config_dir, count = result.stdout.splitlines()
    assert environ_after == str(broken)  # restored after the import
    assert "bilingual-reader-argos-" in cache_dir
    assert config_dir == str(tmp_path / "config" / "argos-translate")
    assert count == "1"
