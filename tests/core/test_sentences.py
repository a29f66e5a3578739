from __future__ import annotations

import itertools

import pytest

from reader.core.sentences import sentences, split_long_text, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il pleut. Nous restons.", ["Il pleut.", "Nous restons."]),
        # Titles and abbreviations never end a sentence.
        (
            "Le chef de M. Zelensky a publié une photo. Le nom signifie « raisin sec ».",
            ["Le chef de M. Zelensky a publié une photo.", "Le nom signifie « raisin sec »."],
        ),
        ("Selon le Dr. Martin, tout va bien.", ["Selon le Dr. Martin, tout va bien."]),
        ("Voir cf. Annexe deux. Fin.", ["Voir cf. Annexe deux.", "Fin."]),
        # Initials.
        ("J. Smith est arrivé. Il parle.", ["J. Smith est arrivé.", "Il parle."]),
        # etc. ends a sentence only before a capital.
        (
            "Des chars, des fusils, etc. Puis la fuite.",
            ["Des chars, des fusils, etc.", "Puis la fuite."],
        ),
        ("Des chars, des fusils, etc. et la fuite.", ["Des chars, des fusils, etc. et la fuite."]),
        # Decimals and domains.
        (
            "La hausse est de 3.5 pour cent. Voir Express.co.uk ICI.",
            ["La hausse est de 3.5 pour cent.", "Voir Express.co.uk ICI."],
        ),
        # Closing quotes stay with their sentence.
        (
            "“Ils ont pris nos vélos. Deux d’entre eux ont pointé des armes.” Il est parti.",
            [
                "“Ils ont pris nos vélos.",
                "Deux d’entre eux ont pointé des armes.”",
                "Il est parti.",
            ],
        ),
        ("« Nous avons peur. » Elle pleure.", ["« Nous avons peur. »", "Elle pleure."]),
        # Question/exclamation runs and French spacing.
        (
            "Qui va réveiller le président ?. Personne !",
            ["Qui va réveiller le président ?.", "Personne !"],
        ),
        # Ellipsis: lower-case continuation is not a new sentence.
        (
            "Leur équipement … même ont saisi des vélos. Fin.",
            ["Leur équipement … même ont saisi des vélos.", "Fin."],
        ),
        ("Des gens libres… Mais pas ici.", ["Des gens libres…", "Mais pas ici."]),
        ("", []),
        ("   ", []),
        ("Pas de point final", ["Pas de point final"]),
    ],
)
def test_split_sentences_french_rules(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_cover_every_character_once(seed_paths) -> None:
    def no_space(text: str) -> str:
        return "".join(text.split())

    for path in seed_paths:
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            spans = split_sentences(block)
            assert no_space("".join(block[a:b] for a, b in spans)) == no_space(block)
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start  # ordered and disjoint
            for a, b in spans:
                assert block[a:b] == block[a:b].strip()


def test_split_long_text_cuts_at_clauses_and_drops_nothing() -> None:
    text = "Un, deux, trois, quatre; cinq: six – sept, huit"
    pieces = split_long_text(text, lambda piece: len(piece) <= 12)
    assert len(pieces) > 1
    assert " ".join(pieces).split() == text.split()
    short = "court"
    assert split_long_text(short, lambda piece: True) == [short]
