"""The languages the reader knows by name: every language of the Argos package index, and the
choice offered for "Original in".

The table follows the public argospm index (tests/data/argospm-index.json is a snapshot of
it; a test checks that every language there has a name here), so an article can be marked as
being in any language a package could be downloaded for, even before it is installed.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo":
    "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi":
    "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay", "nb": "Norwegian", "nl":
    "Dutch", "pb": "Portuguese (Brazil)", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish", "th":
    "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi":
    "Vietnamese", "zh": "Chinese", "zt": "Chinese (traditional)",
}


def language_name(code: str, package_names: Iterable[tuple[str, str]] = ()) -> str:
    """The name of a language wherever it is shown (window, PDF, command line): the index's
    name, else the first name an installed package gives it (``(code, name)`` pairs), else
    the code. The index first: a package whose metadata mislabels its target ("English" on
    an Arabic model) must not rename Arabic in one place only."""
    name = LANGUAGE_NAMES.get(code)
    if name:
        return name
    for named_code, package_name in package_names:
        if named_code == code and package_name:
            return package_name
    return code


def source_language_choices(*code_sets: Iterable[str]) -> list[tuple[str, str]]:
    """``(code, name)`` of every language of the index and of ``code_sets`` (the installed
    packages' languages, a downloaded index…), sorted by name; what "Original in" offers."""
    codes = set(LANGUAGE_NAMES)
    for codes_in in code_sets:
        codes.update(code for code in codes_in if code)
    named = [(code, LANGUAGE_NAMES.get(code, code)) for code in codes]
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))


# langdetect's (and ISO 639-1's) codes where the Argos index spells a language otherwise.
_ARGOS_CODES = {
    "no": "nb",  # the index has Norwegian Bokmål only, as "nb"
    "nn": "nb",
    "zh-cn": "zh",
    "zh-tw": "zt",
    "zh-hant": "zt",
    "zh-hans": "zh",
    "zh-hk": "zt",
    "iw": "he",
    "in": "id",
    "fil": "tl",
}


def to_argos_code(code: str) -> str:
    """A detected or user-typed language code as the Argos index spells it
    (``no`` → ``nb``, ``zh-tw`` → ``zt``, ``zh-cn`` → ``zh``, ``pt-BR`` → ``pt``)."""
    code = code.strip().lower().replace("_", "-")
    if code in _ARGOS_CODES:
        return _ARGOS_CODES[code]
    base = code.split("-", 1)[0]
    return _ARGOS_CODES.get(base, base)
