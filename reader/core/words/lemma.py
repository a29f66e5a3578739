"""Dictionary forms of inflected words: "maisons" → maison, "allaient" → aller.

simplemma (MIT code; its word lists are ODbL / CC BY-SA / CC BY, credited in the README)
gives a lemma per language from a table: 0.2 s to load French the first time, then well
under a microsecond a word. It is imported lazily (never at start-up); without it, or for a
language it does not know, a word is looked up only as written.

Elided articles and pronouns (l', d', qu', j'…) are cut first: a click on "l'homme" asks
for "homme".
"""

from __future__ import annotations

import functools
import re

_ELISION = re.compile(r"^(?:[ldjmntsc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# Languages whose elisions are cut (French, Italian: "dell'acqua", Catalan "l'aigua").
_ELIDING = {"fr", "it", "ca"}
_EDGES = "\"'’‘“”«»()[]{}.,;:!?¿¡…—–-"


def clean_word(word: str, language: str = "") -> str:
    """The word without surrounding punctuation and, in eliding languages, its elision."""
    word = word.strip().strip(_EDGES).strip()
    if language in _ELIDING or not language:
        cut = _ELISION.sub("", word)
        if cut:
            word = cut
    return word


@functools.lru_cache(maxsize=1)
def _simplemma():  # type: ignore[no-untyped-def]
    try:
        import simplemma
    except ImportError:
        return None
    return simplemma


def lemmatizer_available() -> bool:
    return _simplemma() is not None


@functools.lru_cache(maxsize=4096)
def lemma(word: str, language: str) -> str:
    """The dictionary form of ``word`` in ``language`` (ISO 639-1), or ``word`` itself when
    unknown (or simplemma is missing, or the language is not one it has)."""
    word = clean_word(word, language)
    module = _simplemma()
    if module is None or not word or not language:
        return word
    try:
        return str(module.lemmatize(word, lang=language))
    except (ValueError, KeyError, OSError):
        return word  # a language simplemma has no table for


def candidates(word: str, language: str) -> list[str]:
    """The forms to look ``word`` up by, most specific first: as written (without
    punctuation and elision), then its lemma, then the lemma in lower case."""
    written = clean_word(word, language)
    found: list[str] = []
    for form in (written, lemma(written, language), lemma(written.lower(), language)):
        if form and form not in found:
            found.append(form)
    return found
