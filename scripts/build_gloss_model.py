"""Build a word-by-word "gloss" fr→en package for screenshots (never shipped, never in tests).

No real translation model can be downloaded where the screenshots are made, and the random
test models print gibberish. This builds a hand-set package (``testkit.handset_package``)
whose output projection answers each French word piece with an English word from a bilingual
word list, so the window and the PDF show readable word-by-word "English". It is a gloss,
not a translation: word order, agreement and idiom stay French. Caption screenshots made
with it as such.

The word list is FreeDict's French-English dictionary as Debian packages it
(``apt-get install dict-freedict-fra-eng``: /usr/share/dictd/freedict-fra-eng.dict.dz), read
at build time only; nothing from it is committed. A few function words FreeDict lists
poorly (articles, pronouns, prepositions) come from the small table below.

    python scripts/build_gloss_model.py OUT_DIR   # writes OUT_DIR/translate-fr_en-1_0.argosmodel
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import re
import sys
from pathlib import Path

FREEDICT = Path("/usr/share/dictd/freedict-fra-eng.dict.dz")
# Words a dictionary entry does not gloss usefully on its own.
FUNCTION_WORDS = {
    "le": "the", "la": "the", "les": "the", "l": "the", "un": "a", "une": "a", "des": "some",
    "de": "of", "d": "of", "du": "of-the", "au": "to-the", "aux": "to-the", "à": "to",
    "et": "and", "ou": "or", "en": "in", "dans": "in", "sur": "on", "sous": "under",
    "par": "by", "pour": "for", "avec": "with", "sans": "without", "entre": "between",
    "que": "that", "qu": "that", "qui": "who", "ne": "not", "n": "not", "pas": "not",
    "se": "self", "s": "self", "il": "he", "elle": "she", "ils": "they", "elles": "they",
    "nous": "we", "vous": "you", "on": "one", "ce": "this", "cette": "this", "ces": "these",
    "son": "his", "sa": "her", "ses": "his", "leur": "their", "leurs": "their",
    "est": "is", "sont": "are", "a": "has", "ont": "have", "été": "been", "plus": "more",
    "selon": "according-to", "mais": "but", "comme": "as", "après": "after",
    "avant": "before", "depuis": "since", "contre": "against", "vers": "towards",
    "ukrainienne": "Ukrainian", "ukrainiens": "Ukrainians", "russes": "Russians",
    "russe": "Russian", "lors": "when", "eux": "them", "y": "there",
}
_HEAD = re.compile(r"^(?P<word>[^/<]+?)\s*(?:/[^/]*/)?\s*<(?P<pos>[^>]*)>\s*$")


def read_freedict(path: Path = FREEDICT) -> dict[str, str]:
    """French headword (lower case) → its first English gloss, one word where possible."""
    if not path.is_file():
        raise SystemExit(f"{path} is missing: apt-get install dict-freedict-fra-eng")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    glosses: dict[str, str] = {}
    for head, body in itertools.pairwise(lines):
        match = _HEAD.match(head)
        if not match or not body.strip() or _HEAD.match(body):
            continue
        word = match.group("word").strip().lower()
        first = body.split(",")[0].split(";")[0].strip()
        first = re.sub(r"^\d+\.\s*", "", first)  # numbered senses: "1. part"
        first = re.sub(r"^(to|a|an|the) ", "", first)
        if " " in word or not first or len(first) > 24:
            continue
        glosses.setdefault(word, first.replace(" ", "-"))
    return glosses


def _lookup(word: str, words: dict[str, str]) -> str | None:
    """The word, else its singular / masculine form (soldats → soldat, armées → armée)."""
    for form in (word, word[:-1], word[:-2], word[:-1] + "l" if word.endswith("aux") else ""):
        if form and form in words:
            english = words[form]
            plural = form != word and word.endswith(("s", "x")) and not english.endswith("s")
            return english + "s" if plural else english
    return None


def glossary_for(pieces: list[str], words: dict[str, str]) -> dict[str, str]:
    """SentencePiece pieces that are whole words (``▁mot``) → ``▁word``, keeping a capital."""
    glossary: dict[str, str] = {}
    for piece in pieces:
        if not piece.startswith("▁") or len(piece) < 2:
            continue
        word = piece[1:]
        english = FUNCTION_WORDS.get(word.lower()) or _lookup(word.lower(), words)
        if not english:
            continue
        if word[0].isupper():
            english = english[0].upper() + english[1:]
        glossary[piece] = "▁" + english
    return glossary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the .argosmodel")
    parser.add_argument("--vocab-size", type=int, default=12000,
                        help="tokenizer size: larger keeps more French words whole")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import sentencepiece as spm

    from testkit.handset_package import build_handset_package
    from testkit.synthetic_package import _seed_lines

    words = read_freedict()
    # The seeds' own words, several times over, then every dictionary headword once: the
    # tokenizer then keeps most words of the seeds whole, and a whole word can be glossed.
    seed_words = [w for line in _seed_lines() for w in re.findall(r"\w+", line)]
    lines = _seed_lines() * 3 + sorted(set(seed_words)) * 3 + sorted(words)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buffer, vocab_size=args.vocab_size,
        model_type="unigram", character_coverage=1.0, num_threads=1,
        hard_vocab_limit=False, minloglevel=2,
    )
    sp_bytes = buffer.getvalue()
    model = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [model.id_to_piece(i) for i in range(model.get_piece_size())]
    glossary = glossary_for(pieces, words)
    package = build_handset_package(
        args.out, "fr", "en", glossary=glossary, sp_model=sp_bytes,
        d_model=128, num_heads=2,
    )
    print(f"{package}: {len(glossary)} of {len(pieces)} pieces glossed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
