"""Paths given by the reader (files and folders) → the list of articles to show.

Every file becomes exactly one :class:`Article`: parsed, or carrying ``error`` so the
library can list it with its reason. One bad file never stops the others.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader import paths as app_paths
from reader.core.articles.article import Article
from reader.core.language import langid
from reader.core.library.formats import SUPPORTED_SUFFIXES, read_file
from reader.core.library.listing_memo import ListingMemo, signature

log = logging.getLogger(__name__)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


# A file to load, the error found while listing it (or None), and its real path when the
# scan already knows it (None: resolved later).
_Found = tuple[Path, str | None, str | None]


# A listing is bounded: a library folder set to a system folder (/usr, /proc — whose
# /proc/PID/root links lead back to /) stops after this many folder entries or this depth,
# with one row saying so, instead of walking the whole machine.
MAX_SCAN_ENTRIES = 100_000
MAX_SCAN_DEPTH = 32
# How often (in folder entries) the scan asks whether it was cancelled.
_CHECK_EVERY = 256


# Kernel and device file systems: no articles there, and /proc/PID/cwd and root lead back
# to the whole machine. Never entered (named as a library folder: one row says so).
_PSEUDO_FILE_SYSTEMS = frozenset({
    "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs",
    "securityfs", "pstore", "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs",
    "binfmt_misc", "efivarfs", "autofs", "rpc_pipefs", "nsfs",
})


@functools.lru_cache(maxsize=1)
def _pseudo_devices() -> dict[int, str]:
    """Device number → file system type of the kernel's pseudo file systems mounted here
    (read once per process from /proc/self/mounts; empty where there is none)."""
    found: dict[int, str] = {}
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
            lines = mounts.read(1 << 20).splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and fields[2] in _PSEUDO_FILE_SYSTEMS:
            # Mount points escape spaces as \040.
            point = fields[1].replace("\\040", " ")
            with contextlib.suppress(OSError):
                found[os.stat(point).st_dev] = fields[2]
    return found


class ListingCancelled(Exception):
    """Raised by :func:`load_library` when its ``is_cancelled`` says so."""


@dataclass
class _Scan:
    """What one listing has walked so far, against its bounds."""

    is_cancelled: Callable[[], bool] | None = None
    visited: set[tuple[int, int]] = field(default_factory=set)
    entries: int = 0
    stopped: bool = False

    def count(self, folder: Path, found: list[_Found]) -> bool:
        """Count one entry; False (and, once, a row naming ``folder``) past the bound."""
        self.entries += 1
        if self.entries % _CHECK_EVERY == 0 and self.is_cancelled and self.is_cancelled():
            raise ListingCancelled
        if self.entries <= MAX_SCAN_ENTRIES:
            return True
        if not self.stopped:
            self.stopped = True
            found.append((folder, f"listing stopped after {MAX_SCAN_ENTRIES:,} entries "
                                  "(is this a system folder?)", None))
        return False


def _scan_folder(
    folder: Path, found: list[_Found], scan: _Scan, real: str | None = None, depth: int = 0
) -> None:
    """Append the supported files under ``folder`` (recursively, sorted by name).

    Symlinked folders are followed, but each real folder is entered once, so a link
    pointing back up the tree cannot loop. Hidden entries are skipped. ``real`` is the
    folder's real path when known: an entry in it that is not a symbolic link has that path
    followed by its name, which spares resolving every file (a system call per component
    of its path) to tell duplicates apart. Bounded by ``MAX_SCAN_ENTRIES`` and
    ``MAX_SCAN_DEPTH``.
    """
    if scan.stopped:
        return
    if depth > MAX_SCAN_DEPTH:
        found.append((folder, f"folder nested more than {MAX_SCAN_DEPTH} deep: not listed", None))
        return
    try:
        info = folder.stat()
    except OSError as exc:
        found.append((folder, _folder_error(exc), None))
        return
    identity = (info.st_dev, info.st_ino)
    if identity in scan.visited:
        return
    scan.visited.add(identity)
    system = _pseudo_devices().get(info.st_dev)
    if system is not None:
        if depth == 0:
            found.append((folder, f"a system folder ({system}): not listed", None))
        return
    try:
        with os.scandir(folder) as listing:
            entries = []
            for entry in listing:
                if not scan.count(folder, found):
                    break
                entries.append(entry)
            entries.sort(key=lambda entry: entry.name)
    except OSError as exc:
        found.append((folder, _folder_error(exc), None))
        return
    for entry in entries:
        if scan.stopped:
            return
        if _is_hidden(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:  # e.g. a symlink loop: not a folder we can enter
            is_dir = False
        try:
            known = None if real is None or entry.is_symlink() else os.path.join(real, entry.name)
        except OSError:
            known = None
        if is_dir:
            _scan_folder(path, found, scan, known, depth + 1)
        elif os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
            # Dangling or looping symlinks with an article suffix are kept: the
            # library shows them with their error rather than hiding them.
            found.append((path, None, known))


def _real_path(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # symlink loop
        return str(path.absolute())


def _folder_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (folder)"
    return f"cannot read folder ({exc.strerror or type(exc).__name__})"


def _collect(
    paths: Iterable[Path | str], is_cancelled: Callable[[], bool] | None = None
) -> list[tuple[Path, str | None]]:
    """Files to load in order, each with an error found while listing (or None)."""
    found: list[_Found] = []
    scan = _Scan(is_cancelled)
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            _scan_folder(path, found, scan, _real_path(path))
        else:
            # Given explicitly: always included, whatever its suffix or state; reading
            # it will say what is wrong ("no such file or directory", …).
            found.append((path, None, None))
    # The same file reached twice (named and inside a named folder) is listed once.
    unique: list[tuple[Path, str | None]] = []
    seen: set[str] = set()
    for path, error, known in found:
        key = known if known is not None else _real_path(path)
        if key in seen:
            continue
        seen.add(key)
        unique.append((path, error))
    return unique


def find_article_files(paths: Iterable[Path | str]) -> list[Path]:
    """The article files designated by ``paths``.

    A folder contributes its supported files (recursively, sorted, hidden entries
    skipped); a file named explicitly is always included whatever its suffix.
    Unreadable folders are left out (``load_library`` reports them).
    """
    return [path for path, error in _collect(paths) if error is None]


def load_library(
    paths: Iterable[Path | str],
    *,
    paragraph_languages: bool = False,
    remember_languages: bool = True,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Article]:
    """One :class:`Article` per file designated by ``paths``, bad ones carrying ``error``.

    ``paragraph_languages`` defaults to False: listing needs only each article's
    language, and per-paragraph detection is the expensive part. With
    ``remember_languages``, what a listing finds is remembered in the cache folder: each
    parsed article by its file's signature (:mod:`listing_memo`: an unchanged file is not
    read again), and languages by the sample they were judged on (a changed file whose
    first paragraphs did not change skips detection). ``is_cancelled`` is asked while the
    folders are walked and before each file: True stops with :class:`ListingCancelled`.
    """
    memo = listing = None
    if remember_languages:
        cache = app_paths.app_cache_dir()
        memo = langid.LanguageMemo(cache / "languages.json")
        # One file per mode: a listing with paragraph languages keeps other articles.
        name = "listing-paragraphs.json" if paragraph_languages else "listing.json"
        listing = ListingMemo(cache / name, [paragraph_languages])
    articles: list[Article] = []
    for path, error in _collect(paths, is_cancelled):
        if is_cancelled is not None and is_cancelled():
            raise ListingCancelled
        if error is not None:
            articles.append(Article(path=path, error=error))
            continue
        found = signature(path) if listing is not None else None
        article = listing.get(path, found) if listing is not None and found else None
        if article is None:
            try:
                article = read_file(
                    path, paragraph_languages=paragraph_languages, language_memo=memo
                )
            except Exception as exc:  # read_file should not raise; never lose the others
                log.exception("could not load %s", path)
                article = Article(path=path, error=f"could not load ({type(exc).__name__})")
            if listing is not None and found:
                listing.put(path, found, article)
        articles.append(article)
    if memo is not None:
        memo.save()
    if listing is not None:
        listing.save()
    return articles
