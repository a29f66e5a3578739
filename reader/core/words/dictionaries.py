"""The installed dictionaries: found, installed, removed and looked up.

Found automatically in the system folders (``/usr/share/dictd`` where Debian's
``dict-freedict-*`` packages put theirs, ``/usr/share/stardict/dic`` and
``/usr/share/stardict``) and in the user's folder
(``$XDG_DATA_HOME/bilingual-reader/dictionaries``, 0700, files 0600), where ``install`` copies
a dictionary's files. A dictionary's languages come from its name as FreeDict and most
StarDict files spell it (``freedict-fra-eng``, ``fr-en``); one whose name has no pair is
asked whatever the languages.

A look-up tries the word as written, then its lemma (see :mod:`reader.core.words.lemma`),
and stops at the first form with entries.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader import paths
from reader.core.words.formats import Dictionary, DictionaryError, Entry, open_dictionary
from reader.core.words.lemma import candidates, clean_word
from reader.private_files import FILE_MODE, private_dir

SYSTEM_FOLDERS = ("/usr/share/dictd", "/usr/share/stardict/dic", "/usr/share/stardict")
# Tests (and users with dictionaries elsewhere) name the system folders: colon-separated.
SYSTEM_FOLDERS_VARIABLE = "BILINGUAL_READER_SYSTEM_DICTIONARIES"
# Debian's FreeDict packages, named with ISO 639-3 codes (dict-freedict-fra-eng).
FREEDICT_PACKAGE = "dict-freedict-{source}-{target}"
# Companion files copied with a dictionary's main file.
_COMPANIONS = {
    ".ifo": (".idx", ".idx.gz", ".dict", ".dict.dz", ".syn"),
    ".index": (".dict", ".dict.dz"),
}
_THREE_TO_TWO = {
    "fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de", "spa": "es", "ita": "it",
    "por": "pt", "nld": "nl", "dut": "nl", "swe": "sv", "dan": "da", "nor": "no", "nob": "nb",
    "fin": "fi", "pol": "pl", "ces": "cs", "cze": "cs", "rus": "ru", "ukr": "uk", "tur": "tr",
    "ell": "el", "gre": "el", "hun": "hu", "ron": "ro", "rum": "ro", "jpn": "ja", "zho": "zh",
    "chi": "zh", "kor": "ko", "ara": "ar", "heb": "he", "lat": "la", "cat": "ca", "bul": "bg",
    "hrv": "hr", "srp": "sr", "slk": "sk", "slo": "sk", "slv": "sl", "lit": "lt", "lav": "lv",
    "est": "et", "gle": "ga", "cym": "cy", "wel": "cy", "isl": "is", "ice": "is",
}
_PAIR = re.compile(r"(?:^|[-_. ])([a-z]{2,3})[-_]([a-z]{2,3})(?=$|[-_. ])", re.IGNORECASE)


def user_folder() -> Path:
    return paths.data_home() / paths.APP_NAME / "dictionaries"


def system_folders() -> list[Path]:
    value = os.environ.get(SYSTEM_FOLDERS_VARIABLE)
    names = SYSTEM_FOLDERS if value is None else [x for x in value.split(":") if x]
    return [Path(x) for x in names]


def three_letter(code: str) -> str:
    """The ISO 639-3 code FreeDict names a language by (fr → fra), or ``code`` itself."""
    for three, two in _THREE_TO_TWO.items():
        if two == code and three not in ("fre", "ger", "dut", "cze", "slo", "gre", "rum",
                                         "chi", "wel", "ice"):
            return three
    return code


def missing_note(source: str, target: str, command: str = "bilingual-reader") -> str:
    """What to say when no dictionary serves the pair (naming Debian's package for it)."""
    package = FREEDICT_PACKAGE.format(source=three_letter(source), target=three_letter(target))
    return (
        f"no {source} → {target} dictionary installed; install the system package "
        f"{package} where it exists, or '{command} dictionaries install FILE' "
        "(a StarDict .ifo or a dictd .index)"
    )


def _code(value: str) -> str:
    value = value.lower()
    return _THREE_TO_TWO.get(value, value if len(value) == 2 else "")


def languages_of(name: str) -> tuple[str, str]:
    """(from, to) as ISO 639-1 codes from a dictionary's name, or ("", "") when it has none."""
    for match in _PAIR.finditer(name):
        source, target = _code(match.group(1)), _code(match.group(2))
        if source and target:
            return source, target
    return "", ""


@dataclass(frozen=True, slots=True)
class DictionaryInfo:
    """A dictionary as listed: where it is and what it translates."""

    name: str
    path: Path  # its .index or .ifo
    format: str  # "dictd" or "stardict"
    source: str
    target: str
    user: bool  # installed by the user (removable), else a system one

    def serves(self, source: str, target: str | None) -> bool:
        return (not self.source or not source or self.source == source) and (
            not target or not self.target or self.target == target
        )


def _main_files(folder: Path) -> Iterable[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names if n.endswith((".ifo", ".index"))]


def discover(folders: Sequence[Path] | None = None) -> list[DictionaryInfo]:
    """Every dictionary in the user's folder, then in the system folders (a name found twice
    is listed once: the user's copy wins)."""
    found: list[DictionaryInfo] = []
    seen: set[str] = set()
    user = user_folder()
    for folder in [user, *system_folders()] if folders is None else folders:
        for main in _main_files(folder):
            name = main.name.rsplit(".", 1)[0]
            if name in seen:
                continue
            seen.add(name)
            source, target = languages_of(name)
            kind = "stardict" if main.name.endswith(".ifo") else "dictd"
            found.append(DictionaryInfo(name, main, kind, source, target, folder == user))
    return found


@dataclass(slots=True)
class Definition:
    """The answer to one look-up."""

    word: str
    language: str
    target: str | None
    forms: list[str]  # what was tried, in order
    form: str = ""  # the form that found entries ("" when none did)
    entries: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # dictionaries that could not be read

    @property
    def lemma(self) -> str:
        return self.forms[1] if len(self.forms) > 1 else (self.forms[0] if self.forms else "")

    def as_json(self) -> dict[str, object]:
        return {
            "word": self.word,
            "from": self.language,
            "to": self.target,
            "lemma": self.lemma,
            "found_as": self.form or None,
            "entries": [
                {"dictionary": e.dictionary, "headword": e.headword, "text": e.text}
                for e in self.entries
            ],
        }


class Dictionaries:
    """The dictionaries, opened on first use and kept (their indexes in memory). Thread-safe:
    the window looks words up off the GUI thread."""

    def __init__(self, folders: Sequence[Path] | None = None) -> None:
        self._folders = folders
        self._lock = threading.Lock()
        self._open: dict[Path, tuple[float, Dictionary]] = {}
        self._failed: dict[Path, str] = {}

    def listed(self) -> list[DictionaryInfo]:
        return discover(self._folders)

    def _get(self, info: DictionaryInfo) -> Dictionary:
        mtime = info.path.stat().st_mtime
        with self._lock:
            held = self._open.get(info.path)
            if held is not None and held[0] == mtime:
                return held[1]
            dictionary = open_dictionary(info.path)
            self._open[info.path] = (mtime, dictionary)
            return dictionary

    def warm(self, language: str, target: str | None = None) -> list[str]:
        """Open (index) every dictionary for the pair now; the lines for those that failed."""
        problems = []
        for info in self.listed():
            if info.serves(language, target):
                try:
                    self._get(info)
                except (ValueError, OSError) as error:  # DictionaryError, a damaged body
                    problems.append(f"{info.name}: {error}")
        return problems

    def define(self, word: str, language: str, target: str | None = None) -> Definition:
        forms = candidates(word, language)
        answer = Definition(clean_word(word, language) or word.strip(), language, target, forms)
        usable = []
        for info in self.listed():
            if not info.serves(language, target):
                continue
            try:
                usable.append(self._get(info))
            except (ValueError, OSError) as error:  # DictionaryError, a damaged body
                answer.skipped.append(f"{info.name}: {error}")
        for form in forms:
            entries = []
            for dictionary in list(usable):
                try:
                    entries.extend(dictionary.lookup(form))
                except (ValueError, OSError) as error:  # a damaged body (dictzip chunk)
                    answer.skipped.append(f"{dictionary.name}: {error}")
                    usable.remove(dictionary)
            if entries:
                answer.form, answer.entries = form, entries
                break
        return answer

    def close(self) -> None:
        with self._lock:
            for _, dictionary in self._open.values():
                dictionary.close()
            self._open.clear()


def install(source: Path) -> DictionaryInfo:
    """Copy the dictionary whose main file (``NAME.ifo`` or ``NAME.index``) is ``source``,
    with its companion files, into the user's folder (0700, files 0600). The dictionary is
    opened first: a file that is not one is refused and nothing is copied."""
    source = Path(source)
    suffix = ".ifo" if source.name.endswith(".ifo") else ".index"
    if not source.name.endswith((".ifo", ".index")):
        raise DictionaryError(
            f"{source.name}: expected a dictionary's NAME.ifo (StarDict) or NAME.index (dictd)"
        )
    if not source.is_file():
        raise DictionaryError(f"{source}: no such file")
    dictionary = open_dictionary(source)  # raises DictionaryError when it is not one
    dictionary.close()
    name = source.name[: -len(suffix)]
    folder = private_dir(user_folder())
    if any((folder / (name + s)).exists() for s in (".ifo", ".index")):
        raise DictionaryError(f"a dictionary named {name} is installed already; remove it first")
    copied: list[Path] = []
    try:
        for extension in (suffix, *_COMPANIONS[suffix]):
            part = source.with_name(name + extension)
            if part.is_file():
                target = folder / part.name
                shutil.copyfile(part, target)
                os.chmod(target, FILE_MODE)
                copied.append(target)
    except OSError:
        for target in copied:
            target.unlink(missing_ok=True)
        raise
    return next(i for i in discover([folder]) if i.name == name)


def remove(name: str) -> DictionaryInfo:
    """Delete an installed dictionary's files from the user's folder."""
    for info in discover():
        if info.name != name:
            continue
        if not info.user:
            raise DictionaryError(
                f"{name} is a system dictionary ({info.path.parent}); remove it with the "
                "system's package manager"
            )
        suffix = ".ifo" if info.format == "stardict" else ".index"
        for extension in (suffix, *_COMPANIONS[suffix]):
            info.path.with_name(name + extension).unlink(missing_ok=True)
        return info
    raise DictionaryError(f"no dictionary named {name} (see: dictionaries list)")
