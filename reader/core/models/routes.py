"""Routes between languages: the installed packages to chain for a pair (direct, else
through English) and the languages a source can reach."""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.models.errors import MissingModelError
from reader.core.models.installed import (
    InstalledPackage,
    installed_packages,
    language_name,
    version_key,
)

PIVOT_LANGUAGE = "en"


def _best(packages: Sequence[InstalledPackage], from_code: str, to_code: str
          ) -> InstalledPackage | None:
    candidates = [p for p in packages if p.from_code == from_code and p.to_code == to_code]
    return max(candidates, key=lambda p: version_key(p.version), default=None)


def resolve_route(
    from_code: str, to_code: str, packages: Sequence[InstalledPackage] | None = None
) -> tuple[InstalledPackage, ...]:
    """Packages to chain for ``from_code → to_code``: direct, else through English.

    The highest installed version wins. Same language → ``()`` (nothing to translate).
    Raises :class:`MissingModelError` when no route exists.
    """
    if packages is None:
        packages = installed_packages()
    if from_code == to_code:
        return ()
    direct = _best(packages, from_code, to_code)
    if direct is not None:
        return (direct,)
    if PIVOT_LANGUAGE not in (from_code, to_code):
        first = _best(packages, from_code, PIVOT_LANGUAGE)
        second = _best(packages, PIVOT_LANGUAGE, to_code)
        if first is not None and second is not None:
            return (first, second)
    raise MissingModelError(from_code, to_code)


def reachable_targets(
    from_code: str, packages: Sequence[InstalledPackage] | None = None
) -> list[tuple[str, str]]:
    """(code, name) of every language ``from_code`` can be translated to, sorted by name."""
    if packages is None:
        packages = installed_packages()
    targets = {p.to_code for p in packages if p.from_code == from_code}
    if from_code != PIVOT_LANGUAGE and PIVOT_LANGUAGE in targets:
        targets |= {p.to_code for p in packages if p.from_code == PIVOT_LANGUAGE}
    targets.discard(from_code)
    named = [(code, language_name(code, packages)) for code in targets]
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))

