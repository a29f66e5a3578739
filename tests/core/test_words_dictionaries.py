"""Offline dictionaries: dictd and StarDict read by our own code, dictzip random access,
lemma fallback, discovery, install and remove; Debian's FreeDict when installed."""

from __future__ import annotations

import html
import os
import stat
from pathlib import Path

import pytest

from reader.core.words import dictionaries
from reader.core.words.dictionaries import Dictionaries, languages_of
from reader.core.words.dictzip import DictzipReader, write_dictzip
from reader.core.words.formats import (
    DictdDictionary,
    DictionaryError,
    Entry,
    StarDictDictionary,
    dictd_number,
)
from testkit.dictionaries import FRENCH_ENGLISH, build_dictd, build_stardict

FREEDICT = Path("/usr/share/dictd/freedict-fra-eng.index")


@pytest.fixture(autouse=True)
def no_system_dictionaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, "")


def test_dictd_numbers() -> None:
    assert dictd_number("5HO") == 233934  # FreeDict's "maison" offset
    assert dictd_number("h") == 33
    assert dictd_number("A") == 0
    with pytest.raises(DictionaryError):
        dictd_number("a=")


def test_dictzip_random_access_crosses_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40 + "fin déjà".encode()
    path = tmp_path / "x.dict.dz"
    write_dictzip(path, data, chunk_length=100)
    reader = DictzipReader(path)
    assert reader.read(0, 10) == data[:10]
    assert reader.read(95, 20) == data[95:115]  # spans chunks 0 and 1
    assert reader.read(len(data) - 12, 100) == data[-12:]  # short at the end
    assert reader._whole is None  # chunked access, not a full inflate
    reader.close()
    import gzip

    assert gzip.decompress(path.read_bytes()) == data  # a valid gzip file too


def test_plain_gzip_without_ra_field(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "y.dict.dz"
    path.write_bytes(gzip.compress(b"hello world"))
    assert DictzipReader(path).read(6, 5) == b"world"


@pytest.mark.parametrize("compress", [True, False])
def test_dictd_exact_entries(tmp_path: Path, compress: bool) -> None:
    index = build_dictd(tmp_path, "freedict-fra-eng", FRENCH_ENGLISH,
                        title="Test French-English", compress=compress)
    d = DictdDictionary(index)
    assert d.title == "Test French-English"
    assert len(d) == len(FRENCH_ENGLISH)
    assert d.lookup("maison") == [
        Entry("maison", "maison /mɛzɔ̃/ <n, fem>\nhouse", "freedict-fra-eng")
    ]
    assert d.lookup("Aller")[0].text == "aller /ale/ <v>\n1. fare\n2. go, ride, travel"
    assert d.lookup("maisons") == []
    assert d.lookup("00databaseshort") == []  # header entries are not words


@pytest.mark.parametrize(("compress", "wide", "types"),
                         [(False, False, "m"), (True, False, "m"), (False, True, ""),
                          (True, True, "h")])
def test_stardict_exact_entries(tmp_path: Path, compress: bool, wide: bool, types: str) -> None:
    entries = dict(FRENCH_ENGLISH)
    if types == "h":
        entries = {k: html.escape(v).replace("\n", "<br>") + " &amp; co"
                   for k, v in entries.items()}
    ifo = build_stardict(tmp_path, "fr-en", entries, title="Petit", compress=compress,
                         wide=wide, types=types)
    d = StarDictDictionary(ifo)
    assert d.title == "Petit"
    expected = "être /ɛtʁ/ <v>\nbe" + (" & co" if types == "h" else "")
    assert d.lookup("ÊTRE") == [Entry("être", expected, "fr-en")]
    assert d.lookup("e\u0302tre") == d.lookup("être")  # decomposed accent


def test_broken_files_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.ifo").write_text("not a dictionary\n")
    with pytest.raises(DictionaryError, match="not a StarDict"):
        StarDictDictionary(tmp_path / "bad.ifo")
    (tmp_path / "lonely.index").write_text("maison\tA\tB\n")
    with pytest.raises(DictionaryError, match=r"no lonely\.dict"):
        DictdDictionary(tmp_path / "lonely.index")
    ifo = build_stardict(tmp_path, "cut", FRENCH_ENGLISH)
    idx = tmp_path / "cut.idx"
    idx.write_bytes(idx.read_bytes()[:-3])
    with pytest.raises(DictionaryError, match="truncated"):
        StarDictDictionary(ifo)


def test_languages_from_names() -> None:
    assert languages_of("freedict-fra-eng") == ("fr", "en")
    assert languages_of("stardict-fr-en-2.4.2") == ("fr", "en")
    assert languages_of("mydict") == ("", "")


def test_define_finds_lemmas_and_filters_languages(tmp_path: Path) -> None:
    build_dictd(tmp_path / "a", "freedict-fra-eng", FRENCH_ENGLISH)
    build_stardict(tmp_path / "a", "deu-eng", {"Haus": "house"})
    book = Dictionaries([tmp_path / "a"])
    found = book.define("maisons", "fr", "en")
    assert found.forms == ["maisons", "maison"]
    assert found.form == "maison" and found.lemma == "maison"
    assert [e.headword for e in found.entries] == ["maison"]
    assert book.define("allaient", "fr").entries[0].headword == "aller"
    assert book.define("l'homme", "fr").entries[0].text.endswith("man")
    assert book.define("Chevaux,", "fr").entries[0].headword == "cheval"
    assert book.define("maison", "fr", "de").entries == []  # no fr→de dictionary
    assert book.define("Haus", "fr").entries == []  # the German one is not asked for French
    nothing = book.define("xyzzy", "fr")
    assert nothing.entries == [] and nothing.form == ""
    assert nothing.as_json()["entries"] == []


def test_install_list_remove(tmp_path: Path, isolated_xdg: dict[str, Path]) -> None:
    ifo = build_stardict(tmp_path / "src", "fr-en-petit", FRENCH_ENGLISH, compress=True)
    info = dictionaries.install(ifo)
    folder = isolated_xdg["XDG_DATA_HOME"] / "bilingual-reader" / "dictionaries"
    assert info.user and info.path == folder / "fr-en-petit.ifo"
    assert sorted(os.listdir(folder)) == ["fr-en-petit.dict.dz", "fr-en-petit.idx",
                                          "fr-en-petit.ifo"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE((folder / n).stat().st_mode) for n in os.listdir(folder)} == {0o600}
    assert [(i.name, i.source, i.target) for i in dictionaries.discover()] == [
        ("fr-en-petit", "fr", "en")]
    assert Dictionaries().define("grandes", "fr").entries[0].headword == "grand"
    with pytest.raises(DictionaryError, match="installed already"):
        dictionaries.install(ifo)
    with pytest.raises(DictionaryError, match="not a StarDict"):
        (tmp_path / "src" / "junk.ifo").write_text("junk")
        dictionaries.install(tmp_path / "src" / "junk.ifo")
    assert dictionaries.remove("fr-en-petit").name == "fr-en-petit"
    assert os.listdir(folder) == []
    with pytest.raises(DictionaryError, match="no dictionary named"):
        dictionaries.remove("fr-en-petit")


def test_system_dictionaries_cannot_be_removed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    build_dictd(tmp_path / "sys", "freedict-fra-eng", FRENCH_ENGLISH)
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, str(tmp_path / "sys"))
    assert [i.user for i in dictionaries.discover()] == [False]
    with pytest.raises(DictionaryError, match="system dictionary"):
        dictionaries.remove("freedict-fra-eng")


@pytest.mark.skipif(not FREEDICT.exists(),
                    reason="Debian's dict-freedict-fra-eng is not installed")
def test_debian_freedict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, str(FREEDICT.parent))
    d = DictdDictionary(FREEDICT)
    assert d.title.startswith("French-English FreeDict Dictionary")
    assert d.lookup("maison")[0].text.splitlines() == ["maison /mɛzɔ̃/ <n, fem>", "house"]
    assert d.lookup("à")  # the index's first line is " à" (a leading space)
    book = Dictionaries()
    assert book.define("maisons", "fr", "en").entries[0].headword == "maison"
    aller = book.define("allaient", "fr", "en").entries[0]
    assert aller.text.splitlines()[0] == "aller /ale/ <v>"


def test_damaged_bodies_and_lying_indexes(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    index = build_dictd(folder, "freedict-fra-eng", FRENCH_ENGLISH, chunk=16)
    body = folder / "freedict-fra-eng.dict.dz"
    start = DictzipReader(body)._offsets[0]
    data = bytearray(body.read_bytes())
    data[start:-8] = b"\xff" * (len(data) - 8 - start)  # every chunk's deflate data
    body.write_bytes(bytes(data))
    build_stardict(folder, "fr-en-ok", {"maison": "home (the other one)"})
    answer = Dictionaries([folder]).define("maison", "fr")
    # The damaged one is named and skipped; the other still answers.
    assert [e.text for e in answer.entries] == ["home (the other one)"]
    assert answer.skipped and answer.skipped[0].startswith("freedict-fra-eng: ")
    # An index pointing past the end, or asking for gigabytes: empty or capped, no error.
    lying = tmp_path / "lying"
    build_dictd(lying, "x-fra-eng", {"a": "b"}, compress=False)
    (lying / "x-fra-eng.index").write_text("a\tAAAAA/\tB\nb\tA\t/////\n", encoding="utf-8")
    d = DictdDictionary(lying / "x-fra-eng.index")
    assert d.lookup("a")[0].text == ""
    assert len(d.lookup("b")[0].text) <= 256 * 1024
    assert index.exists()
