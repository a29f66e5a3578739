"""``translate --json`` writes each paragraph as it is translated: the output is what
``json.dumps(results, ensure_ascii=False, indent=2)`` would print, and memory grows with
the paragraph count only modestly (it was 4.4 KB a paragraph, the document built in full)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.cli import main

REPO = Path(__file__).resolve().parents[2]
TITLE = (
    "Le conseil municipal vote le budget\n\nLe conseil municipal a voté mardi soir un nouveau "
    "budget pour la ville. Les habitants pourront donner leur avis lors d'une réunion "
    "publique et le maire répondra.\n\n"
)


def _many(path: Path, count: int) -> Path:
    letters = "abcdefghijklmnopqrstuvwxyz"
    path.write_text(TITLE + "\n\n".join(letters[i % 26] for i in range(count)) + "\n",
                    encoding="utf-8")
    return path


def test_streamed_json_is_jsons_own_formatting(install_fr_en, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    files = [_many(tmp_path / "few.txt", 5), empty, REPO / "seeds" / "002_5cd07c1ed0724f90.txt"]
    code = main(["translate", "--json", "--quality", "fast", *map(str, files)])
    out, _ = capsys.readouterr()
    assert code == 1  # the empty file
    data = json.loads(out)
    assert out == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert [len(a.get("paragraphs", [])) for a in data][:2] == [7, 0]
    assert data[1] == {"path": str(empty), "error": "empty file"}
    assert data[0]["error"] is None and data[0]["paragraphs"][6]["source"] == "e"


def test_translate_json_memory_grows_modestly(install_fr_en, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    count = 100_000
    article = _many(tmp_path / "many.txt", count)
    out = tmp_path / "out.json"
    # Measured from a fresh parent, whose only child is the command (this test process's
    # own maximum over its children would include every earlier test's).
    measure = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[1], 'wb') as sink:\n"
        "    done = subprocess.run([sys.executable, '-m', 'reader', 'translate', '--json',\n"
        "                           '--no-cache', sys.argv[2]], stdout=sink)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", measure, str(out), str(article)],
                          capture_output=True, text=True, timeout=300, cwd=REPO,
                          env=os.environ.copy())
    code, peak_kb = map(int, done.stdout.split())
    assert code == 0, done.stderr
    peak_mb = peak_kb / 1024
    # Measured: 112 MB (66 MB at 20,000 paragraphs, 172 MB at 200,000; before streaming,
    # 144 MB and 909 MB).
    assert peak_mb < 300, f"{peak_mb:.0f} MB for {count:,} paragraphs"
    [result] = json.loads(out.read_bytes())
    assert len(result["paragraphs"]) == count + 2
    assert result["paragraphs"][-1]["source"] == "abcdefghijklmnopqrstuvwxyz"[(count - 1) % 26]
