"""``--device`` on translate and export on a machine without a GPU: auto translates on the
CPU and says so, cuda exits 1 naming what is missing; ``--server``/``--api-key`` misuse is
a usage error (exit 2). (The server itself: tests/server/test_cli_server.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.translation.device import cuda_device_count

REPO = Path(__file__).resolve().parents[2]
SEED = str(REPO / "seeds" / "001_ae8a9364b6c910c6.txt")

needs_no_gpu = pytest.mark.skipif(cuda_device_count() > 0, reason="this machine has a GPU")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exited:  # argparse's usage errors
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@needs_no_gpu
def test_auto_translates_on_the_cpu_and_says_why(install_fr_en, capsys) -> None:
    code, out, err = cli(capsys, "translate", SEED, "--device", "auto", "--json")
    assert code == 0
    (article,) = json.loads(out)
    assert article["device"] == "cpu" and article["error"] is None
    assert err.splitlines()[-1] == (
        "bilingual-reader: translated on this computer (CPU (no CUDA device))")
    # Without --device: the same, silently (the text output's contract is unchanged).
    code, out, err = cli(capsys, "translate", SEED, "--device", "cpu")
    assert code == 0 and err == "bilingual-reader: translated on this computer (CPU)\n"
    code, _, err = cli(capsys, "translate", SEED)
    assert code == 0 and err == ""


@needs_no_gpu
@pytest.mark.parametrize("command", [["translate", SEED], ["export", SEED, "-o", "x.pdf"]])
def test_cuda_without_a_gpu_is_one_line_exit_1(install_fr_en, capsys, command, tmp_path,
                                              monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, *command, "--device", "cuda")
    assert (code, out) == (1, "")
    assert err == (
        "bilingual-reader: error: --device cuda: no CUDA device (is the NVIDIA driver "
        "installed?)\n")
    assert not (tmp_path / "x.pdf").exists()


def test_server_options_misused_are_usage_errors(capsys) -> None:
    code, _, err = cli(capsys, "translate", SEED, "--api-key", "k")
    assert (code, err) == (2, "bilingual-reader translate: error: --api-key goes with "
                              "--server URL\n")
    code, _, err = cli(capsys, "export", SEED, "-o", "x.epub", "--api-key", "k")
    assert code == 2
    assert err.splitlines()[-1] == (
        "bilingual-reader export: error: --api-key goes with --server URL")
    code, _, err = cli(capsys, "translate", SEED, "--server", "ftp://lt.example")
    assert code == 2
    assert err.splitlines()[-1] == (
        "bilingual-reader translate: error: argument --server: not a LibreTranslate server "
        "address: 'ftp://lt.example' (use http://host:port)")
    code, _, err = cli(capsys, "translate", SEED, "--json", "--words", "--server",
                       "http://127.0.0.1:9")
    assert (code, err) == (2, "bilingual-reader translate: error: --words and --alternatives "
                              "need the installed models (a server sends no attention or "
                              "alternatives)\n")
