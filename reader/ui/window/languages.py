"""Which source languages the reader is offered ("Original in" in the article header, "Articles
are in" in Preferences): one list, built in one place."""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.language.names import source_language_choices
from reader.core.models.store import InstalledPackage, language_name


def source_languages(installed: Sequence[InstalledPackage]) -> list[tuple[str, str]]:
    """(code, name) of the languages an article may be said to be in: every language of the
    Argos index and of the installed packages (reader/core/language/names.py), sorted by name."""
    codes = source_language_choices(code for p in installed for code in (p.from_code, p.to_code))
    named = [(code, language_name(code, installed)) for code, _name in codes]
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))
