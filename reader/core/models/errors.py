"""The models package's errors: one line for the user, details for a second line.

Its own module so that every part of ``reader.core.models`` (store, tokenizers, the guard)
can raise them without importing the store."""

from __future__ import annotations

from reader.core.language.names import language_name


class PackageError(Exception):
    """A package problem; the message is one line meant for the user. ``details`` (the
    address and the system's reason, for a network failure) is for a second, smaller line."""

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.details = details


# A network failure, as the user sees it (the address and the system's words go in details).
OFFLINE_INDEX = "Can't reach the model index (offline?)"


class MissingModelError(PackageError):
    """No installed package (direct or through English) translates this pair."""

    def __init__(self, from_code: str, to_code: str, message: str | None = None) -> None:
        self.from_code = from_code
        self.to_code = to_code
        if message is None:
            message = (
                f"no translation model installed for {language_name(from_code)} → "
                f"{language_name(to_code)} ({from_code}→{to_code}); install one with "
                "`bilingual-reader models install FILE.argosmodel` or "
                f"`bilingual-reader models download {from_code}_{to_code}`"
            )
        super().__init__(message)


class DownloadCancelled(PackageError):
    """The caller's ``is_cancelled`` said stop; the partial file is gone."""
