"""The compact copy of langdetect's profiles: the same table, reused across processes,
rebuilt (never trusted) when stale or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY

from reader.core.language import langdetect_profiles, langid

NAMES = langid.PROFILE_SETS["cyrillic"]
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
    (copy,) = cache.glob("langdetect-profiles-*.json")
    assert copy.stat().st_mode & 0o777 == 0o600

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("langdetect's profiles parsed again")

    monkeypatch.setattr(langdetect_profiles, "_from_json", refuse)
    langlist, table = langdetect_profiles.load(profiles, NAMES, cache)
    monkeypatch.undo()
    _assert_same(profiles, langlist, table)


def _crafted(copy: Path, damage: str) -> None:
    """Damage the copy as a crash, a bad disk or another user would."""
    key, langlist, counts, n_words = json.loads(copy.read_bytes())
    word = next(iter(counts))
    crafted: dict[str, object] = {
        "garbage": b"\x00\xe3garbage",
        "not utf-8": b"\xff\xfe[1, 2]",
        "truncated": copy.read_bytes()[: copy.stat().st_size // 2],
        "nested": b"[" * 100_000,
        "counts not a dict": [key, langlist, ["not", "a", "dict"], n_words],
        "a count as a number": [key, langlist, {**counts, word: 12}, n_words],
        "an index out of range": [key, langlist, {**counts, word: "99:1"}, n_words],
        "a count not a number": [key, langlist, {**counts, word: "0:x"}, n_words],
        "a zero total": [key, langlist, counts, [[0, 0, 0], *n_words[1:]]],
        "a total as a string": [key, langlist, counts, [["1", 2, 3], *n_words[1:]]],
        "languages not strings": [key, [1] * len(langlist), counts, n_words],
        "fewer totals than languages": [key, langlist, counts, n_words[1:]],
    }
    value = crafted[damage]
    copy.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())


@pytest.mark.parametrize(
    "damage",
    ["garbage", "not utf-8", "truncated", "nested", "counts not a dict",
     "a count as a number", "an index out of range", "a count not a number", "a zero total",
     "a total as a string", "languages not strings", "fewer totals than languages"],
)
def test_a_damaged_or_crafted_copy_is_ignored_and_rebuilt(
    profiles: Path, tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    langdetect_profiles.load(profiles, NAMES, cache)
    (copy,) = cache.glob("langdetect-profiles-*.json")
    _crafted(copy, damage)
    assert langdetect_profiles._read_copy(copy, langdetect_profiles._key(profiles, NAMES)) is None
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


@pytest.mark.parametrize("count", [1, 4, 9, 10, 11, 20, 31, 55, 100])
def test_the_index_pattern_takes_exactly_the_languages_indexes(count: int) -> None:
    import re

    pattern = re.compile(langdetect_profiles._index_pattern(count))
    assert [i for i in range(150) if pattern.fullmatch(str(i))] == list(range(count))
