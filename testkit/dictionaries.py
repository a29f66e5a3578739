"""Small real dictionaries for tests, in both formats, with known entries.

``build_dictd`` writes ``NAME.index`` (dictd base64 offsets, FreeDict's header entries)
and ``NAME.dict.dz`` (dictzip, chunked small so a look-up crosses chunk boundaries);
``build_stardict`` writes ``NAME.ifo``, ``NAME.idx`` and ``NAME.dict[.dz]``.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path

from reader.core.words.dictzip import write_dictzip

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# headword → article text (FreeDict style: headword, IPA, part of speech, then senses)
FRENCH_ENGLISH: dict[str, str] = {
    "maison": "maison /mɛzɔ̃/ <n, fem>\nhouse",
    "aller": "aller /ale/ <v>\n1. fare\n2. go, ride, travel",
    "grand": "grand /ɡʁɑ̃/ <adj>\nbig, tall, great",
    "être": "être /ɛtʁ/ <v>\nbe",
    "homme": "homme /ɔm/ <n, masc>\nman",
    "cheval": "cheval /ʃəval/ <n, masc>\nhorse",
}


def dictd_number(value: int) -> str:
    digits = ""
    while True:
        digits = B64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def build_dictd(folder: Path, name: str, entries: Mapping[str, str], *,
                title: str = "", compress: bool = True, chunk: int = 64) -> Path:
    """Write a dictd dictionary; returns its ``.index``."""
    folder.mkdir(parents=True, exist_ok=True)
    body = bytearray()
    lines = []
    header = {"00databaseshort": f"00databaseshort\n     {title or name}\n",
              "00databaseutf8": "00databaseutf8\n"}
    for headword, text in [*header.items(), *entries.items()]:
        data = (text + "\n").encode("utf-8")
        lines.append(f"{headword}\t{dictd_number(len(body))}\t{dictd_number(len(data))}")
        body += data
    (folder / f"{name}.index").write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    if compress:
        write_dictzip(folder / f"{name}.dict.dz", bytes(body), chunk_length=chunk)
    else:
        (folder / f"{name}.dict").write_bytes(bytes(body))
    return folder / f"{name}.index"


def build_stardict(folder: Path, name: str, entries: Mapping[str, str], *,
                   title: str = "", compress: bool = False, wide: bool = False,
                   types: str = "m") -> Path:
    """Write a StarDict dictionary; returns its ``.ifo``. With ``types=""`` each article is
    one typed field (``m`` + text + NUL), as dictionaries without sametypesequence store."""
    folder.mkdir(parents=True, exist_ok=True)
    body = bytearray()
    index = bytearray()
    # StarDict sorts the index ASCII-case-insensitively.
    for headword in sorted(entries, key=lambda w: (w.encode().lower(), w.encode())):
        data = entries[headword].encode("utf-8")
        if not types:
            data = b"m" + data + b"\0"
        index += headword.encode("utf-8") + b"\0"
        index += struct.pack(">QI" if wide else ">II", len(body), len(data))
        body += data
    (folder / f"{name}.idx").write_bytes(bytes(index))
    lines = ["StarDict's dict ifo file", f"version={'3.0.0' if wide else '2.4.2'}",
             f"bookname={title or name}", f"wordcount={len(entries)}",
             f"idxfilesize={len(index)}"]
    if types:
        lines.append(f"sametypesequence={types}")
    if wide:
        lines.append("idxoffsetbits=64")
    (folder / f"{name}.ifo").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if compress:
        write_dictzip(folder / f"{name}.dict.dz", bytes(body), chunk_length=50)
    else:
        (folder / f"{name}.dict").write_bytes(bytes(body))
    return folder / f"{name}.ifo"
