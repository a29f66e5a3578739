"""Small capitals typed as Unicode letters become ordinary letters; IPA stays."""

from __future__ import annotations

import pytest

from reader.core.text.small_caps import normalize_small_caps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cʜᴀᴘɪᴛʀᴇ ᴘʀᴇᴍɪᴇʀ", "Chapitre premier"),
        ("ᴍᴀɪꜱᴏɴ ᴇxᴀᴄᴛᴇ", "maison exacte"),
        ("Cᴇ\u0301ʟᴇ\u0300ʙʀᴇ", "Célèbre"),  # accents typed after small capitals: composed
        ("/ʁɛʒɪm/ et ɪ seul", "/ʁɛʒɪm/ et ɪ seul"),  # IPA: a lower-case letter among them
        ("ʀᴇ", "re"),
        ("aucune petite capitale", "aucune petite capitale"),
    ],
)
def test_small_caps(text: str, expected: str) -> None:
    assert normalize_small_caps(text) == expected
