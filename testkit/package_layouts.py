"""Real package layouts, made from a package built by :mod:`synthetic_package`.

The Argos index holds packages of several shapes (see tests/data/argospm-index.json and
argos-train's packaging): Argos-trained ones in ``translate-xx_yy-1_9/`` with one shared
``sentencepiece.model``; older zips whose folder is the bare pair (``en_es/``); packages
converted from OPUS-MT with a ``bpe.model`` (Moses + BPE, source side only) or a source-side
``sentencepiece.model``, a ``stanza/`` folder and a README. :func:`relayout` rewrites a
built ``.argosmodel`` into any of these (and into broken variants for the refusal tests).
"""

from __future__ import annotations

import collections
import itertools
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path


def relayout(
    source: Path,
    output: Path,
    *,
    folder: str | None = None,
    drop: Iterable[str] = (),
    add: dict[str, bytes] | None = None,
) -> Path:
    """Copy the package ``source`` to ``output`` with its top folder renamed to ``folder``,
    the files named in ``drop`` (paths inside the package folder) left out and ``add`` (the
    same kind of paths → content) written in."""
    dropped = set(drop)
    added = dict(add or {})
    with zipfile.ZipFile(source) as archive_in, zipfile.ZipFile(output, "w") as archive_out:
        for info in archive_in.infolist():
            top, _, inner = info.filename.partition("/")
            if inner.rstrip("/") in dropped or inner in added:
                continue
            name = f"{folder or top}/{inner}"
            if info.is_dir():
                archive_out.writestr(name, b"")
            else:
                archive_out.writestr(name, archive_in.read(info), zipfile.ZIP_DEFLATED)
        top = folder or archive_in.infolist()[0].filename.partition("/")[0]
        for inner, content in added.items():
            archive_out.writestr(f"{top}/{inner}", content, zipfile.ZIP_DEFLATED)
    return output


def learn_bpe_codes(lines: Iterable[str], merges: int = 300) -> str:
    """A subword-nmt BPE codes file (``#version: 0.2``) learned from ``lines``: the
    ``merges`` most frequent symbol pairs, merged greedily (Sennrich et al.'s algorithm, small
    enough to write here rather than add subword-nmt as a test dependency)."""
    words: collections.Counter[tuple[str, ...]] = collections.Counter()
    for line in lines:
        for word in re.findall(r"\w+|[^\w\s]", line):
            words[(*word[:-1], word[-1] + "</w>")] += 1
    codes: list[tuple[str, str]] = []
    for _ in range(merges):
        pairs: collections.Counter[tuple[str, str]] = collections.Counter()
        for word, count in words.items():
            for pair in itertools.pairwise(word):
                pairs[pair] += count
        if not pairs:
            break
        best = max(pairs, key=lambda pair: (pairs[pair], pair))
        codes.append(best)
        merged: collections.Counter[tuple[str, ...]] = collections.Counter()
        for word, count in words.items():
            out: list[str] = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += count
        words = merged
    return "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in codes)
