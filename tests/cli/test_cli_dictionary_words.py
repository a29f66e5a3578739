"""``define``, ``dictionaries`` and ``words`` on the command line: text and --json, exit
codes, one line per failure; ``words add`` with the hand-set echo model (the translation and
the aligned word are known exactly)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.words import dictionaries
from testkit.dictionaries import FRENCH_ENGLISH, build_dictd, build_stardict


@pytest.fixture(autouse=True)
def system_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dictd FreeDict-alike as the only system dictionary."""
    folder = tmp_path / "system-dictd"
    build_dictd(folder, "freedict-fra-eng", FRENCH_ENGLISH, title="Test FreeDict")
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, str(folder))
    return folder


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_define_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "define", "allaient")
    assert (code, err) == (0, "")
    assert out == ("allaient → aller (freedict-fra-eng)\n"
                   "aller /ale/ <v>\n1. fare\n2. go, ride, travel\n")
    code, out, _ = cli(capsys, "define", "Maisons", "--from", "fr", "--to", "en", "--json")
    assert code == 0
    assert json.loads(out) == {
        "word": "Maisons", "from": "fr", "to": "en", "lemma": "maison", "found_as": "maison",
        "entries": [{"dictionary": "freedict-fra-eng", "headword": "maison",
                     "text": "maison /mɛzɔ̃/ <n, fem>\nhouse"}],
    }


def test_define_failures_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "define", "xyzzy")
    assert (code, out) == (1, "")
    assert err == "bilingual-reader: error: no entry for 'xyzzy' (fr → en; tried xyzzy)\n"
    code, _, err = cli(capsys, "define", "maison", "--to", "de")
    assert code == 1 and err.count("\n") == 1
    assert "no fr → de dictionary installed" in err and "dict-freedict-fra-deu" in err
    code, _, err = cli(capsys, "define", "maison", "--from", "f1")
    assert code == 1 and "--from expects a language code" in err


def test_dictionaries_install_list_remove(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    ifo = build_stardict(tmp_path / "src", "fr-en-mini", {"chat": "cat"}, title="Mini")
    assert cli(capsys, "dictionaries", "install", str(ifo)) == (
        0, "installed fr-en-mini (fr → en)\n", "")
    code, out, _ = cli(capsys, "dictionaries", "list", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["format"], r["from"], r["to"], r["words"], r["installed_by_user"])
            for r in rows] == [("fr-en-mini", "stardict", "fr", "en", 1, True),
                               ("freedict-fra-eng", "dictd", "fr", "en", 6, False)]
    code, out, _ = cli(capsys, "dictionaries", "list")
    assert out.splitlines()[1].split()[:7] == [
        "freedict-fra-eng", "fr", "→", "en", "dictd", "system", "6"]
    assert cli(capsys, "define", "chats")[1] == "chats → chat (fr-en-mini)\ncat\n"
    code, _, err = cli(capsys, "dictionaries", "install", str(ifo))
    assert code == 1 and "installed already" in err
    code, _, err = cli(capsys, "dictionaries", "remove", "freedict-fra-eng")
    assert code == 1 and "system dictionary" in err
    assert cli(capsys, "dictionaries", "remove", "fr-en-mini") == (0, "removed fr-en-mini\n", "")
    code, _, err = cli(capsys, "dictionaries", "install", str(tmp_path / "nope.index"))
    assert code == 1 and err.startswith("bilingual-reader: error:") and err.count("\n") == 1


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "maisons.txt"
    path.write_text("Des maisons\n\nIl pleut. Les maisons sont grandes.\n", encoding="utf-8")
    return path


def test_words_add_list_export(install_fr_en, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    article = _article(tmp_path)
    code, out, err = cli(capsys, "words", "add", "grandes", "--from", str(article), "--json")
    assert (code, err) == (0, "")
    saved = json.loads(out)
    assert {k: saved[k] for k in ("word", "lemma", "language", "sentence", "translation",
                                  "target_word", "target_language", "meaning", "paragraph",
                                  "position", "article_path")} == {
        "word": "grandes", "lemma": "grand", "language": "fr",
        "sentence": "Les maisons sont grandes.",
        "translation": "Les maisons sont grandes.",  # the echo model
        "target_word": "grandes", "target_language": "en",
        "meaning": "grand /ɡʁɑ̃/ <adj>\nbig, tall, great", "paragraph": 1, "position": 17,
        "article_path": str(article),
    }
    code, out, err = cli(capsys, "words", "add", "maisons", "--from", str(article))
    assert code == 0 and out.startswith("saved 2: maisons (maison) — ")
    code, out, _ = cli(capsys, "words", "list", "--json")
    assert [w["word"] for w in json.loads(out)] == ["maisons", "grandes"]
    assert [w["word"] for w in json.loads(cli(capsys, "words", "list", "--json",
                                              "--filter", "grand")[1])] == ["grandes"]
    code, out, _ = cli(capsys, "words", "export", "-o", str(tmp_path / "w.apkg"))
    assert out == f"exported 2 words to {tmp_path / 'w.apkg'}\n"
    with zipfile.ZipFile(tmp_path / "w.apkg") as package:
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    fields = sorted(f.split("\x1f") for (f,) in db.execute("SELECT flds FROM notes"))
    db.close()
    assert fields[0] == ["grandes", "grand", "grand /ɡʁɑ̃/ &lt;adj&gt;<br>big, tall, great",
                         "Les maisons sont <b>grandes</b>.", "Les maisons sont grandes."]
    assert fields[1][:2] == ["maisons", "maison"]
    assert cli(capsys, "words", "export", "-o", str(tmp_path / "w.csv"))[0] == 0
    assert (tmp_path / "w.csv").read_text().startswith("word,lemma,meaning,")
    code, _, err = cli(capsys, "words", "export", "-o", str(tmp_path / "w.txt"))
    assert code == 2 and "FILE.apkg or FILE.csv" in err
    assert cli(capsys, "words", "remove", "1") == (0, "removed 1 word\n", "")
    code, _, err = cli(capsys, "words", "remove", "1")
    assert code == 1 and "no saved word with id 1" in err


def test_words_add_without_model_or_word(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    article = _article(tmp_path)
    code, out, err = cli(capsys, "words", "add", "pleut", "--from", str(article), "--json")
    assert code == 0
    assert "saved without its translation" in err and "no dictionary entry" in err
    saved = json.loads(out)
    assert (saved["sentence"], saved["translation"], saved["target_word"], saved["lemma"]) == (
        "Il pleut.", "", "", "pleuvoir")
    code, _, err = cli(capsys, "words", "add", "chien", "--from", str(article))
    assert (code, err) == (1, f"bilingual-reader: error: 'chien' is not in {article.name}\n")
    code, _, err = cli(capsys, "words", "list")
    assert code == 0


def test_word_list_file_damaged_or_unsafe_and_bad_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.core.words.saved import words_path

    short = tmp_path / "court.txt"
    short.write_text("Titre\n\nLes maisons sont grandes.\n", encoding="utf-8")
    code, out, err = cli(capsys, "words", "add", "maisons", "--from", str(short), "--lang", "fr",
                         "--json")
    assert code == 0 and json.loads(out)["lemma"] == "maison"  # French, as told
    (tmp_path / "x.apkg").mkdir()
    code, _, err = cli(capsys, "words", "export", "-o", str(tmp_path / "x.apkg"))
    assert (code, err) == (1, f"bilingual-reader: error: {tmp_path / 'x.apkg'} is a folder; "
                              "name a file to write\n")
    code, _, err = cli(capsys, "words", "export", "-o", str(tmp_path / "no" / "w.csv"))
    assert (code, err) == (1, f"bilingual-reader: error: no such folder: {tmp_path / 'no'}\n")
    path = words_path()
    path.chmod(0o666)
    code, _, err = cli(capsys, "words", "list")
    assert (code, err) == (1, f"bilingual-reader: error: {path}: writable by other users "
                              "(mode 666)\n")  # said once, not again as a warning
    path.chmod(0o600)
    path.write_bytes(b"not a database at all, just text" * 100)
    code, _, err = cli(capsys, "words", "list", "--json")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"bilingual-reader: error: {path}: file is not a database")
    assert path.read_bytes().startswith(b"not a database")  # left as it was
