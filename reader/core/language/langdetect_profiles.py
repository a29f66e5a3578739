"""langdetect's language profiles as a lazily filled probability table, read from a compact
copy kept in the cache folder.

langdetect ships one JSON file per language (the 31 Latin-script ones are 1.1 MB): parsing
them is ~50 ms of every fresh ``list`` process, and langdetect's own loader then builds all
~24,000 rows of its n-gram → probability table in pure Python (0.17 s), though a listing
looks up only the few thousand n-grams its samples contain.

- :class:`ProfileTable` holds every n-gram from the start (``word in table`` stays dict's own
  C lookup) with its counts as a short string, and makes its row — the list of floats
  langdetect computes, ``count / n_words[len - 1]`` per language, 0.0 where a profile lacks
  the n-gram — when ``table[word]`` first asks. Filling from several threads is harmless:
  two threads compute the same row.
- The first load reads langdetect's JSON and writes the compact form (one JSON file, named
  after the profile set, private to the user: :mod:`reader.private_files`) to the cache
  folder; later processes read that. It is keyed on each profile file's path, size and
  modification time, so a langdetect upgrade rebuilds it. It is data, never code: every
  value's type and every count string's syntax are checked on load (one regular-expression
  pass), and an unreadable, stale, damaged or refused copy is rebuilt, never trusted; one
  that cannot be written costs nothing but the time.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from reader.private_files import open_private, write_private

log = logging.getLogger(__name__)

# Bump when the stored layout changes.
_FORMAT = 2
# langdetect's 55 profiles are 2.6 MB of JSON; the compact copy of them all is smaller.
MAX_COPY_BYTES = 16 * 1024 * 1024

# (langlist, n-gram → counts, n_words per profile)
_Profiles = tuple[list[str], dict[str, str], list[list[int]]]


class ProfileTable(dict[str, "list[float] | str"]):
    """n-gram → per-language probabilities, each row made from its counts on first use.

    Values are the counts as ``"index:count index:count…"`` until asked for (see the module
    docstring); ``n_words`` is each profile's n-gram totals by length."""

    def __init__(self, counts: dict[str, str], n_words: list[list[int]]) -> None:
        super().__init__(counts)
        self._n_words = n_words

    def __getitem__(self, word: str) -> list[float]:
        row = super().__getitem__(word)  # KeyError for an unknown n-gram, as langdetect's
        if isinstance(row, str):
            size = len(self._n_words)
            made = [0.0] * size
            length = len(word)
            if 1 <= length <= 3:
                for pair in row.split():
                    index, count = pair.split(":")
                    made[int(index)] = int(count) / self._n_words[int(index)][length - 1]
            self[word] = made
            return made
        return row


def _key(directory: Path, names: tuple[str, ...]) -> list[object]:
    """What the compact copy depends on: its layout and each profile file's path, size and
    modification time."""
    sources: list[list[object]] = []
    for name in names:
        info = (directory / name).stat()
        sources.append([str(directory / name), info.st_size, info.st_mtime_ns])
    return [_FORMAT, sources]


def _from_json(directory: Path, names: tuple[str, ...]) -> _Profiles:
    """The profiles as langdetect's loader reads them: languages in ``names`` order."""
    loaded = [json.loads((directory / name).read_text(encoding="utf-8")) for name in names]
    pairs: dict[str, list[str]] = {}
    for index, profile in enumerate(loaded):
        for word, count in profile["freq"].items():
            pairs.setdefault(word, []).append(f"{index}:{int(count)}")
    counts = {word: " ".join(found) for word, found in pairs.items()}
    n_words = [[int(n) for n in profile["n_words"]] for profile in loaded]
    return [str(profile["name"]) for profile in loaded], counts, n_words


def _index_pattern(count: int) -> str:
    """A pattern for the numbers 0 to ``count - 1`` (1 ≤ ``count`` ≤ 100), as digit classes
    (an alternation of every number is twice as slow to match)."""
    parts = [f"[0-{min(count, 10) - 1}]"]
    for tens in range(1, (count - 1) // 10 + 1):
        parts.append(f"{tens}[0-{min(9, count - 1 - tens * 10)}]")
    return "(?:" + "|".join(parts) + ")"


def _read_copy(path: Path, key: list[object]) -> _Profiles | None:
    data = open_private(path, MAX_COPY_BYTES)
    if data is None:
        return None
    try:
        stored = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not (type(stored) is list and len(stored) == 4 and stored[0] == key):
        return None  # another langdetect or layout: rebuilt
    _, langlist, counts, n_words = stored
    if not (
        type(langlist) is list and type(counts) is dict and type(n_words) is list
        and 0 < len(langlist) == len(n_words)
        and set(map(type, langlist)) == {str}
        and all(type(row) is list and len(row) == 3 and set(map(type, row)) == {int}
                and min(row) > 0 for row in n_words)
        and set(map(type, counts.values())) <= {str}
        and len(langlist) <= 100
    ):
        return None
    # Every row a ProfileTable will parse: "index:count" pairs, each index a language's, in
    # one regular-expression pass over them all (the rows end with a new line each).
    if counts and not re.fullmatch(rf"(?:{_index_pattern(len(langlist))}:[0-9]{{1,18}}[ \n])*",
                                   "\n".join(counts.values()) + "\n"):
        return None
    return langlist, counts, n_words


def _write_copy(path: Path, data: list[object]) -> None:
    try:
        write_private(path, json.dumps(data).encode())
    except (OSError, ValueError):
        log.debug("could not save the profile table %s", path, exc_info=True)


def load(
    directory: Path, names: tuple[str, ...], cache_dir: Path | None
) -> tuple[list[str], ProfileTable]:
    """``(langlist, table)`` for the profiles ``names`` of langdetect's ``directory``, as
    langdetect's ``load_json_profile`` would make them (same order, same probabilities)."""
    key = _key(directory, names)
    path = None
    if cache_dir is not None:
        path = cache_dir / f"langdetect-profiles-{'-'.join(names[:2])}-{len(names)}.json"
        found = _read_copy(path, key)
        if found is not None:
            langlist, counts, n_words = found
            return langlist, ProfileTable(counts, n_words)
    langlist, counts, n_words = _from_json(directory, names)
    if path is not None:
        _write_copy(path, [key, langlist, counts, n_words])
    return langlist, ProfileTable(counts, n_words)
