"""The compact copy of langdetect's profiles: the same table, reused across processes,
rebuilt (never trusted) when stale or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY

from reader.core import langdetect_profiles, langid

NAMES = langid._PROFILE_SETS["cyrillic"]
assert NAMES is not None
WORDS = ["а", "на", " на", "ть ", "ого", "і", "ї", "zzzz-not-an-ngram"]


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A copy of the Cyrillic profiles that a test may change."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(Path(PROFILES_DIRECTORY) / name, folder / name)
    return folder


def _eager(folder: Path) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_json_profile([(folder / name).read_text(encoding="utf-8") for name in NAMES])
    return factory


def _assert_same(
    folder: Path, langlist: list[str], table: langdetect_profiles.ProfileTable
) -> None:
    eager = _eager(folder)
    assert langlist == eager.langlist
    assert set(table) == set(eager.word_lang_prob_map)
    for word in WORDS:
        if word in eager.word_lang_prob_map:
            assert table[word] == eager.word_lang_prob_map[word]
        else:
            with pytest.raises(KeyError):
                table[word]


def test_the_second_load_reads_the_copy_not_the_json(
    profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    langdetect_profiles.load(profiles, NAMES, cache)
    assert len(list(cache.glob("langdetect-profiles-*.marshal"))) == 1

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("JSON parsed again")

    monkeypatch.setattr(json, "loads", refuse)
    langlist, table = langdetect_profiles.load(profiles, NAMES, cache)
    monkeypatch.undo()
    _assert_same(profiles, langlist, table)


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"\xe3\x00\x00\x00", "truncated", "wrong shape"],
)
def test_a_damaged_copy_is_ignored_and_rebuilt(
    profiles: Path, tmp_path: Path, damage: bytes | str
) -> None:
    cache = tmp_path / "cache"
    langdetect_profiles.load(profiles, NAMES, cache)
    (copy,) = cache.glob("langdetect-profiles-*.marshal")
    if damage == "truncated":
        copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    elif damage == "wrong shape":
        import marshal

        key, langlist, _counts, n_words = marshal.loads(copy.read_bytes())
        copy.write_bytes(marshal.dumps((key, langlist, ["not", "a", "dict"], n_words)))
    else:
        assert isinstance(damage, bytes)
        copy.write_bytes(damage)
    langlist, table = langdetect_profiles.load(profiles, NAMES, cache)
    _assert_same(profiles, langlist, table)
    # Rewritten whole: the next process reads a good copy again.
    assert langdetect_profiles._read_copy(copy, langdetect_profiles._key(profiles, NAMES))


def test_a_changed_profile_rebuilds_the_copy(profiles: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    langdetect_profiles.load(profiles, NAMES, cache)
    changed = profiles / NAMES[0]
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["freq"]["а"] = data["freq"]["а"] * 2 + 1
    changed.write_text(json.dumps(data), encoding="utf-8")
    langlist, table = langdetect_profiles.load(profiles, NAMES, cache)
    _assert_same(profiles, langlist, table)


def test_an_unwritable_cache_folder_costs_only_time(profiles: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    langlist, table = langdetect_profiles.load(profiles, NAMES, blocked / "cache")
    _assert_same(profiles, langlist, table)
    langlist, table = langdetect_profiles.load(profiles, NAMES, None)
    _assert_same(profiles, langlist, table)
