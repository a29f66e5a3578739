"""The substring tests that spare most paragraphs the boilerplate and caption searches
never change an answer: each is a necessary condition for its pattern to match."""

from __future__ import annotations

import random
import re
import sys

from reader.core.articles import layout as parser
from reader.core.articles.article import count_words
from reader.core.articles.text_blocks import split_blocks
from reader.paths import samples_dir


def test_every_character_the_cookie_pattern_takes_for_c_o_k_lower_cases_to_it() -> None:
    assert not parser._COOKIE.flags & re.LOCALE
    for letter in parser._COOKIE_STEM:
        pattern = re.compile(letter, re.IGNORECASE)
        matching = [chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))]
        assert "\u212a" in matching or letter != "k"  # the Kelvin sign is among them
        assert {ch.lower() for ch in matching} == {letter}


def test_the_credit_pattern_is_case_sensitive_and_needs_a_key_and_a_colon() -> None:
    assert not parser._CREDIT.flags & re.IGNORECASE
    source = parser._CREDIT.pattern
    assert ":" in source
    keywords = re.search(r"\(\?:(Cr\[.*?Illustration)\)", source)
    assert keywords is not None
    for alternative in keywords.group(1).split("|"):
        assert any(alternative.startswith(key) for key in parser._CREDIT_KEYS), alternative


def _is_boilerplate_unfiltered(text: str) -> bool:
    if parser._BOILERPLATE_WHOLE.match(text) or parser._READ_MORE_HERE.match(text):
        return True
    if (
        parser._BOILERPLATE_PREFIX.match(text)
        and count_words(text) <= parser._MAX_PREFIX_BOILERPLATE_WORDS
    ):
        return True
    return bool(
        parser._COOKIE.search(text)
        and parser._COOKIE_CONTEXT.search(text)
        and count_words(text) <= parser._MAX_COOKIE_BANNER_WORDS
    )


def _is_caption_unfiltered(text: str) -> bool:
    match = parser._CREDIT.search(text.rsplit("\n", 1)[-1])
    return bool(match and count_words(match.group("credit")) <= parser._MAX_CREDIT_WORDS)


PIECES = [
    "We use COOKIES to improve your experience.",
    "Ce site utilise des Cookies pour la navigation.",
    "coo\u212aie settings",
    "COOKİE consent",
    "cookıe consent",
    "Crédit : AP",
    "CRÉDITS: Reuters",
    "Photo : Jean Dupont",
    "PHOTOS: AFP",
    "Image: Getty",
    "Illustration : Le Monde",
    "Photo crédit : X",
    "(Crédit: AP)",
    "[Photo: AFP]",
    "photo : minuscules",
    "une photo : un drapeau",
    ":",
    "\n",
]


def test_prefiltered_classifiers_answer_as_the_unfiltered_patterns() -> None:
    rng = random.Random(3)
    paragraphs = [
        block
        for path in sorted(samples_dir().glob("*.txt"))
        for block in split_blocks(path.read_text(encoding="utf-8"))
    ]
    texts = paragraphs + PIECES
    for _ in range(3000):
        base = rng.choice(paragraphs)
        cut = rng.randrange(len(base) + 1)
        texts.append(base[:cut] + " " + rng.choice(PIECES) + rng.choice(["", " ", " fin."]))
        texts.append(rng.choice(PIECES) + " " + base[: rng.randrange(60)])
    boilerplate = captions = 0
    for text in texts:
        assert parser.is_boilerplate(text) == _is_boilerplate_unfiltered(text), text
        assert parser.is_caption(text) == _is_caption_unfiltered(text), text
        boilerplate += parser.is_boilerplate(text)
        captions += parser.is_caption(text)
    assert boilerplate > 100 and captions > 100  # both answers were exercised
