"""Which source languages the reader is offered ("Original in" in the article header, "Articles
are in" in Preferences): one list, built in one place."""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.packages import InstalledPackage, language_name

COMMON_SOURCE_LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl")


def source_languages(installed: Sequence[InstalledPackage]) -> list[tuple[str, str]]:
    """(code, name) of the languages an article may be said to be in: those the installed
    models translate from, and the common ones, sorted by name."""
    codes = {p.from_code for p in installed} | set(COMMON_SOURCE_LANGUAGES)
    named = [(code, language_name(code, installed)) for code in codes]
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))
