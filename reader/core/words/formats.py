"""Readers for the two dictionary formats found on Linux desktops, written here (the Python
readers that exist, pystardict and pyglossary, are GPL).

- **dictd** (Debian's ``dict-freedict-*`` under ``/usr/share/dictd``): ``NAME.index`` lines
  ``headword TAB offset TAB length`` (offset and length in dictd's base64: ``A–Z a–z 0–9 + /``,
  big-endian digits, no padding) into ``NAME.dict`` or ``NAME.dict.dz``. Headwords starting
  ``00database`` are the dictionary's own header (its name in ``00databaseshort``).
- **StarDict**: ``NAME.ifo`` (``key=value`` text: ``bookname``, ``wordcount``,
  ``sametypesequence``, ``idxoffsetbits``), ``NAME.idx[.gz]`` (``word NUL`` + big-endian
  offset (32 or 64 bits) + 32-bit size) into ``NAME.dict[.dz]``.

The whole index is read into memory once (a key per headword, folded to lower case): a
look-up is then one hash probe and one read of a few hundred bytes. The indexes are not
bisected: dictd sorts them ``sort -df`` (case and punctuation ignored), not byte order.
"""

from __future__ import annotations

import gzip
import html
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reader.core.words.dictzip import DictzipError, DictzipReader

MAX_INDEX_BYTES = 128 * 1024 * 1024  # an index larger than this is refused (not a dictionary)
MAX_ENTRY_BYTES = 256 * 1024  # one article, at most (a damaged index cannot ask for more)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUE = {c: i for i, c in enumerate(_B64)}


class DictionaryError(ValueError):
    """A dictionary's files are missing or not in the format they claim (one line)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One article of one dictionary."""

    headword: str
    text: str
    dictionary: str  # the dictionary's name (as ``dictionaries list`` shows it)


def fold(word: str) -> str:
    """The key words are looked up by: stripped, composed (NFC: "é" typed as e + accent
    finds "é") and case-folded."""
    return unicodedata.normalize("NFC", word.strip()).casefold()


def dictd_number(digits: str) -> int:
    value = 0
    for char in digits:
        try:
            value = value * 64 + _B64_VALUE[char]
        except KeyError:
            raise DictionaryError(f"not a dictd base64 number: {digits!r}") from None
    return value


def _read_capped(path: Path) -> bytes:
    if path.stat().st_size > MAX_INDEX_BYTES:
        raise DictionaryError(f"{path.name}: over {MAX_INDEX_BYTES >> 20} MiB")
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            data = handle.read(MAX_INDEX_BYTES + 1)
        if len(data) > MAX_INDEX_BYTES:
            raise DictionaryError(f"{path.name}: over {MAX_INDEX_BYTES >> 20} MiB")
        return data
    return path.read_bytes()


class _Body:
    """The ``.dict`` or ``.dict.dz`` an index points into."""

    def __init__(self, base: Path) -> None:
        plain = base.with_name(base.name + ".dict")
        packed = base.with_name(base.name + ".dict.dz")
        if packed.is_file():
            self.path = packed
            try:
                self._dz: DictzipReader | None = DictzipReader(packed)
            except (DictzipError, OSError) as error:
                raise DictionaryError(str(error)) from None
        elif plain.is_file():
            self.path = plain
            self._dz = None
        else:
            raise DictionaryError(f"{base.name}: no {plain.name} or {packed.name} beside it")

    def read(self, offset: int, size: int) -> bytes:
        size = min(size, MAX_ENTRY_BYTES)
        if self._dz is not None:
            return self._dz.read(offset, size)
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return handle.read(size)

    def close(self) -> None:
        if self._dz is not None:
            self._dz.close()


class DictdDictionary:
    """A dictd dictionary: ``NAME.index`` + ``NAME.dict[.dz]``."""

    format = "dictd"

    def __init__(self, index_path: Path) -> None:
        self.index_path = Path(index_path)
        self.base = self.index_path.with_suffix("")
        self.name = self.base.name
        self._body = _Body(self.base)
        self._index: dict[str, list[tuple[str, int, int]]] = {}
        self.title = self.name
        try:
            text = _read_capped(self.index_path).decode("utf-8", errors="replace")
        except OSError as error:
            raise DictionaryError(f"{self.index_path.name}: {error.strerror or error}") from None
        header: dict[str, tuple[int, int]] = {}
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            headword = parts[0].strip()  # FreeDict's first line is " à"
            try:
                offset, length = dictd_number(parts[1]), dictd_number(parts[2])
            except DictionaryError:
                continue  # one bad line does not lose the rest
            if headword.startswith("00database") or headword.startswith("00-database"):
                header[headword] = (offset, length)
                continue
            self._index.setdefault(fold(headword), []).append((headword, offset, length))
        if not self._index:
            raise DictionaryError(f"{self.index_path.name}: no entries (not a dictd index?)")
        short = header.get("00databaseshort") or header.get("00-database-short")
        if short:
            try:
                title = self._body.read(*short).decode("utf-8", errors="replace")
            except DictzipError:
                title = ""  # a damaged chunk: the entries there fail alone, when asked
            lines = [x.strip() for x in title.splitlines() if x.strip()]
            # The entry repeats its headword on the first line.
            lines = [x for x in lines if not x.startswith("00database")]
            if lines:
                self.title = lines[0]

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, word: str) -> list[Entry]:
        found = []
        for headword, offset, length in self._index.get(fold(word), ()):
            text = self._body.read(offset, length).decode("utf-8", errors="replace")
            found.append(Entry(headword, text.strip("\n"), self.name))
        return found

    def close(self) -> None:
        self._body.close()


_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)


def _plain(data: bytes, kind: str) -> str:
    text = data.decode("utf-8", errors="replace")
    if kind in "hgx":  # HTML, Pango markup, XDXF: shown as plain text
        text = html.unescape(_TAGS.sub("", _BREAKS.sub("\n", text)))
    return text.strip("\n\0")


class StarDictDictionary:
    """A StarDict dictionary: ``NAME.ifo`` + ``NAME.idx[.gz]`` + ``NAME.dict[.dz]``."""

    format = "stardict"

    def __init__(self, ifo_path: Path) -> None:
        self.ifo_path = Path(ifo_path)
        self.base = self.ifo_path.with_suffix("")
        self.name = self.base.name
        try:
            lines = self.ifo_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            raise DictionaryError(f"{self.ifo_path.name}: {error.strerror or error}") from None
        if not lines or not lines[0].strip().startswith("StarDict's dict ifo file"):
            raise DictionaryError(f"{self.ifo_path.name}: not a StarDict .ifo file")
        info = dict(x.split("=", 1) for x in lines[1:] if "=" in x)
        info = {k.strip(): v.strip() for k, v in info.items()}
        self.title = info.get("bookname") or self.name
        self.types = info.get("sametypesequence", "")
        wide = info.get("idxoffsetbits") == "64"
        idx = self.base.with_name(self.name + ".idx")
        if not idx.is_file():
            idx = self.base.with_name(self.name + ".idx.gz")
        if not idx.is_file():
            raise DictionaryError(f"{self.ifo_path.name}: no {self.name}.idx beside it")
        self._body = _Body(self.base)
        try:
            data = _read_capped(idx)
        except OSError as error:
            raise DictionaryError(f"{idx.name}: {error}") from None
        self._index = _parse_idx(data, wide, idx.name)

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, word: str) -> list[Entry]:
        found = []
        for headword, offset, size in self._index.get(fold(word), ()):
            found.append(Entry(headword, self._article(self._body.read(offset, size)), self.name))
        return found

    def _article(self, data: bytes) -> str:
        if self.types:
            # Fields in the declared types; each but the last NUL-terminated (lower-case
            # types) or size-prefixed (upper-case, binary: skipped).
            parts = []
            for position, kind in enumerate(self.types):
                last = position == len(self.types) - 1
                if kind.isupper():
                    if last:
                        break
                    (size,) = struct.unpack(">I", data[:4])
                    data = data[4 + size :]
                    continue
                end = len(data) if last else data.find(b"\0")
                end = len(data) if end < 0 else end
                parts.append(_plain(data[:end], kind))
                data = data[end + 1 :]
            return "\n".join(p for p in parts if p)
        parts = []
        while data:  # each field: a type byte, then its data
            kind = chr(data[0])
            data = data[1:]
            if kind.isupper():
                (size,) = struct.unpack(">I", data[:4])
                data = data[4 + size :]
                continue
            end = data.find(b"\0")
            end = len(data) if end < 0 else end
            parts.append(_plain(data[:end], kind))
            data = data[end + 1 :]
        return "\n".join(p for p in parts if p)

    def close(self) -> None:
        self._body.close()


def _parse_idx(data: bytes, wide: bool, name: str) -> dict[str, list[tuple[str, int, int]]]:
    index: dict[str, list[tuple[str, int, int]]] = {}
    record = struct.Struct(">QI" if wide else ">II")
    position = 0
    while position < len(data):
        end = data.find(b"\0", position)
        if end < 0 or end + 1 + record.size > len(data):
            raise DictionaryError(f"{name}: truncated at byte {position}")
        headword = data[position:end].decode("utf-8", errors="replace")
        offset, size = record.unpack_from(data, end + 1)
        index.setdefault(fold(headword), []).append((headword, offset, size))
        position = end + 1 + record.size
    if not index:
        raise DictionaryError(f"{name}: no entries")
    return index


Dictionary = DictdDictionary | StarDictDictionary


def open_dictionary(path: Path) -> Dictionary:
    """The dictionary whose ``.index`` (dictd) or ``.ifo`` (StarDict) is ``path``."""
    if path.name.endswith(".ifo"):
        return StarDictDictionary(path)
    if path.name.endswith(".index"):
        return DictdDictionary(path)
    raise DictionaryError(f"{path.name}: not a dictionary (expected NAME.ifo or NAME.index)")
