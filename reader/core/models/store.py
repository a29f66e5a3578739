"""The package store: installed Argos packages, safe installation, routes, index and download.

Qt-free and torch-free. We share argostranslate's package folder
(``$XDG_DATA_HOME/argos-translate/packages``) and file format, and use its metadata parsing,
but we do the risky parts ourselves:

- ``argostranslate.package.install_from_path`` extracts with ``extractall`` and no checks
  (zip-slip, bombs, symlinks) and then imports ``argostranslate.translate`` (stanza → torch,
  seconds). We validate the whole archive first, extract into a staging folder inside the
  packages folder and rename it into place, so a refused or failed install leaves nothing.
- ``argostranslate.package.get_available_packages`` recurses forever when the index cannot be
  downloaded; we fetch the index ourselves and only use argostranslate to parse entries.
- ``argostranslate.settings`` fixes its folders at import time; :func:`_sync_argos_settings`
  re-points them at :mod:`reader.paths` (read at call time) before every use, so per-test
  XDG folders work within one process.

argostranslate is imported lazily: importing its settings creates folders under the XDG
directories current at that moment, which must be the caller's, not pytest collection's.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from packaging.version import InvalidVersion, Version

from reader import __version__, paths
from reader.core.language.names import LANGUAGE_NAMES as _LANGUAGE_NAMES
from reader.core.language.names import language_name as _language_name
from reader.core.library.fetch import DEADLINE_FACTOR, FetchError, open_url
from reader.core.library.fetch import reason as fetch_reason
from reader.core.models import guard as model_guard
from reader.core.models.archive import (
    MAX_TOTAL_UNCOMPRESSED,
    ArchivePlan,
    ArchiveRefused,
    extract_archive,
    inspect_archive,
)
from reader.core.models.validation import ModelRefused, check_model_dir, read_json_object
from reader.core.translation.results import PackageRef
from reader.core.util.transfer import (
    CANCELLED,
    BodyTooLarge,
    Transfer,
    TransferAborted,
    read_chunks,
)

log = logging.getLogger(__name__)

# -- limits -----------------------------------------------------------------------------------

MAX_INDEX_BYTES = 32 * 1024**2

PIVOT_LANGUAGE = "en"
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
USER_AGENT = f"bilingual-reader/{__version__}"



# Serialises installs/removals within this process; argostranslate's own package_lock is
# taken too around the renames, so its listing never sees a half-moved folder.
_STORE_LOCK = threading.RLock()


# -- errors -----------------------------------------------------------------------------------


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
                f"no translation model installed for {language_name(from_code, [])} → "
                f"{language_name(to_code, [])} ({from_code}→{to_code}); install one with "
                "`bilingual-reader models install FILE.argosmodel` or "
                f"`bilingual-reader models download {from_code}_{to_code}`"
            )
        super().__init__(message)


class DownloadCancelled(PackageError):
    """The caller's ``is_cancelled`` said stop; the partial file is gone."""


# -- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstalledPackage:
    code: str  # argospm name, e.g. "translate-fr_en"
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    version: str
    path: Path
    size_bytes: int
    target_prefix: str
    has_stanza: bool

    @property
    def ref(self) -> PackageRef:
        return PackageRef(self.code, self.from_code, self.to_code, self.version)


@dataclass(frozen=True)
class AvailablePackageInfo:
    """One translation package listed in the remote index."""

    code: str
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    version: str
    links: tuple[str, ...]

    @property
    def pair(self) -> str:
        return f"{self.from_code}_{self.to_code}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "from": self.from_code,
            "to": self.to_code,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "version": self.version,
            "links": list(self.links),
        }


# -- argostranslate glue ----------------------------------------------------------------------


def _sync_argos_settings() -> ModuleType:
    """Point argostranslate's import-time globals at our (call-time) folders."""
    from reader.core.models.argos_import import can_create, fallback_dir, import_argos_settings

    settings = import_argos_settings()
    data_dir = paths.argos_data_dir()
    cache_dir = paths.cache_home() / "argos-translate"
    if can_create(cache_dir / "downloads") is not None:
        # Only downloads go there: a read-only or broken cache folder must not stop them.
        cache_dir = fallback_dir("downloads-cache")
    config_dir = paths.config_home() / "argos-translate"
    settings.data_dir = data_dir
    settings.package_data_dir = paths.packages_dir()
    settings.package_dirs = [paths.packages_dir()]
    settings.local_package_index = data_dir / "index.json"
    settings.cache_dir = cache_dir
    settings.downloads_dir = cache_dir / "downloads"
    settings.config_dir = config_dir
    # get_setting() reads this file on every call; keep it in the same config home.
    settings.settings_file = config_dir / "settings.json"
    settings.remote_package_index = _index_url(settings)
    return settings


def _argos_package() -> ModuleType:
    _sync_argos_settings()
    import argostranslate.package

    return argostranslate.package


def _index_url(settings: ModuleType) -> str:
    base = str(settings.get_setting("ARGOS_PACKAGE_INDEX", default=DEFAULT_INDEX_URL))
    # argostranslate concatenates blindly; a URL without the slash would fetch ".../mainindex.json".
    if not base.endswith("/"):
        base += "/"
    return base + "index.json"


def index_url() -> str:
    """Where :func:`fetch_index` looks (``ARGOS_PACKAGE_INDEX`` + ``index.json``)."""
    return _index_url(_sync_argos_settings())


def _forget_argos_languages() -> None:
    # If the engine (or anything) imported argostranslate.translate, its language list is
    # lru-cached; drop it without importing that module ourselves (torch).
    translate = sys.modules.get("argostranslate.translate")
    cached = getattr(translate, "get_installed_languages", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _argos_lock() -> Any:
    return _argos_package().package_lock


# -- helpers ----------------------------------------------------------------------------------


def _version_key(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def _normalize_code(code: str) -> str:
    """"fr_en" → "translate-fr_en"; argospm names pass through."""
    code = code.strip()
    if code.startswith("translate-"):
        return code
    if re.fullmatch(r"[A-Za-z0-9-]+_[A-Za-z0-9-]+", code):
        return f"translate-{code}"
    return code


def _describe_code(code: str) -> str:
    """"translate-fr_en" → "fr→en"."""
    return code.removeprefix("translate-").replace("_", "→", 1)


def _tree_size(root: Path) -> int:
    total = 0
    for directory, _dirs, files in os.walk(root):  # does not follow symlinked folders
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(directory, name)).st_size
    return total


def language_name(code: str, packages: Iterable[InstalledPackage] | None = None) -> str:
    """Human name of a language: ``languages.language_name`` (the index's name, then the
    packages'), with the installed packages unless ``packages`` is given."""
    if code in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[code]  # no need to list the installed packages
    if packages is None:
        packages = installed_packages()
    return _language_name(
        code,
        (pair for p in packages for pair in ((p.from_code, p.from_name), (p.to_code, p.to_name))),
    )


# -- installed packages -----------------------------------------------------------------------


class _NotTranslation(Exception):
    """A valid package of another type (old "sbd" packages): not ours, not broken."""


def _load_installed(path: Path) -> InstalledPackage:
    argos = _argos_package()
    # Read by us, not by argos.Package (a plain open() and a recursive json.load): never a
    # FIFO or device, bounded in size and nesting.
    try:
        metadata = read_json_object(path / "metadata.json")
        package = argos.AvailablePackage(metadata)
    except FileNotFoundError as error:
        raise PackageError("no metadata.json") from error
    except ModelRefused as error:
        raise PackageError(f"unreadable metadata.json ({error})") from error
    except (ValueError, TypeError, AttributeError, OSError) as error:
        raise PackageError(f"unreadable metadata.json ({error})") from error
    if package.type != "translate":
        raise _NotTranslation(package.type)
    from_code, to_code = package.from_code, package.to_code
    if not isinstance(from_code, str) or not isinstance(to_code, str) or not from_code \
            or not to_code:
        raise PackageError("metadata.json does not name the languages (from_code/to_code)")
    if not (path / "model" / "model.bin").is_file():
        raise PackageError("no CTranslate2 model (model/model.bin)")
    if not ((path / "sentencepiece.model").is_file() or (path / "bpe.model").is_file()):
        raise PackageError("no tokenizer (sentencepiece.model or bpe.model)")
    return InstalledPackage(
        code=argos.argospm_package_name(package),
        from_code=from_code,
        # One name per language everywhere (languages.language_name): the index's first.
        from_name=_language_name(from_code, [(from_code, str(package.from_name or ""))]),
        to_code=to_code,
        to_name=_language_name(to_code, [(to_code, str(package.to_name or ""))]),
        version=str(package.package_version or ""),
        path=path,
        size_bytes=_tree_size(path),
        target_prefix=str(package.target_prefix or ""),
        has_stanza=(path / "stanza").is_dir(),
    )


def _scan() -> tuple[list[InstalledPackage], list[tuple[Path, str]]]:
    root = paths.packages_dir()
    good: list[InstalledPackage] = []
    broken: list[tuple[Path, str]] = []
    if not root.is_dir():
        return good, broken
    # Leftovers of a killed installer, and loads that crashed a previous run: cheap listings
    # unless there is something to clean up.
    model_guard.clean_stale_staging(root)
    for line in model_guard.recover_crashed_loads(root):
        log.warning("%s", line)
    held = model_guard.quarantined()
    for child in sorted(root.iterdir()):
        # Dot-folders are our staging areas (or someone's hidden files): never packages.
        if child.name.startswith(".") or not child.is_dir():
            continue
        if child.name in held:
            broken.append((child, f"quarantined: {held[child.name]}"))
            continue
        try:
            good.append(_load_installed(child))
        except _NotTranslation:
            continue
        except PackageError as error:
            broken.append((child, str(error)))
    return good, broken


def scan_packages() -> tuple[list[InstalledPackage], list[tuple[Path, str]]]:
    """(valid installed packages, (folder, reason) of unusable or quarantined ones)."""
    return _scan()


def installed_packages() -> list[InstalledPackage]:
    """Valid installed translation packages, sorted by folder name; broken ones are skipped."""
    return _scan()[0]


def broken_packages() -> list[tuple[Path, str]]:
    """Folders in the packages directory that look like packages but cannot be used."""
    return _scan()[1]


# -- install / uninstall ----------------------------------------------------------------------


def check_model_files(package: InstalledPackage) -> None:
    """Refuse (PackageError, one line) a model CTranslate2 would misread: checked in Python
    before any native code reads it."""
    try:
        check_model_dir(package.path / "model")
    except (ModelRefused, FileNotFoundError) as error:
        raise PackageError(f"the CTranslate2 model is refused: {error}") from error


def _check_loadable(package: InstalledPackage) -> None:
    """Check the model's files, then load the tokenizer and the model and translate once in
    a child process, so that a package that cannot translate (or crashes CTranslate2) is
    refused now with one line, not found out mid-article or by a crash of the window.
    (About a second, mostly the child's imports; installs are rare.)
    """
    check_model_files(package)
    try:
        model_guard.probe_in_child(package.path, package.from_code, package.to_code)
    except ModelRefused as error:
        raise PackageError(str(error)) from error


def install_package(file: Path) -> InstalledPackage:
    """Validate and install an ``.argosmodel`` file; replaces installed packages of its code.

    Nothing is written if the file is refused, and nothing is ever written outside the
    packages folder: extraction goes to a staging folder inside it, then one rename.
    """
    return _install(Path(file), Path(file).name)


def _inspect(file: Path, label: str | None = None) -> ArchivePlan:
    try:
        return inspect_archive(file, label)
    except ArchiveRefused as error:
        raise PackageError(str(error)) from error


def _install(file: Path, label: str, expect_code: str | None = None) -> InstalledPackage:
    plan = _inspect(file, label)
    if expect_code is not None and plan.code != expect_code:
        raise PackageError(
            f"cannot install {label}: the file is {_describe_code(plan.code)}, "
            f"not {_describe_code(expect_code)}"
        )
    root = paths.packages_dir()
    with _STORE_LOCK:
        root.mkdir(parents=True, exist_ok=True)
        model_guard.clean_stale_staging(root)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
        # Held until the end: tells a later clean-up that this folder is in use.
        lock = model_guard.hold_staging(staging)
        try:
            try:
                extract_archive(file, plan, staging, label)
            except ArchiveRefused as error:
                raise PackageError(str(error)) from error
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise PackageError(f"cannot install {label}: damaged archive ({error})") from error
            try:
                staged = _load_installed(staging / plan.folder)
                _check_loadable(staged)
            except (PackageError, _NotTranslation) as error:
                raise PackageError(f"cannot install {label}: {error}") from error
            # Installed under the name its metadata gives (what Argos would call it), never
            # the archive's own folder name: another pair's folder can't be overwritten.
            final = root / plan.install_name
            # Everything this install supersedes: same code (any version) and the same folder.
            old = {p.path for p in installed_packages() if p.code == plan.code}
            if final.exists():
                old.add(final)
            with _argos_lock():
                moved: list[tuple[Path, Path]] = []
                try:
                    for index, path in enumerate(sorted(old)):
                        aside = staging / f".old-{index}"
                        os.rename(path, aside)
                        moved.append((path, aside))
                    os.rename(staging / plan.folder, final)
                except OSError as error:
                    for path, aside in reversed(moved):  # put the old version back
                        with contextlib.suppress(OSError):
                            os.rename(aside, path)
                    raise PackageError(f"cannot install {label}: {error}") from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            os.close(lock)
        model_guard.release(final.name)
        _forget_argos_languages()
        return _load_installed(final)


def uninstall_package(code: str) -> None:
    """Remove every installed package with this code ("fr_en" or "translate-fr_en")."""
    wanted = _normalize_code(code)
    root = paths.packages_dir()
    with _STORE_LOCK:
        targets = [p.path for p in installed_packages() if p.code == wanted]
        targets += [path for path, _reason in broken_packages() if path.name == code]
        if not targets:
            raise PackageError(f"no installed package {code!r}")
        staging = Path(tempfile.mkdtemp(prefix=".removing-", dir=root))
        lock = model_guard.hold_staging(staging)
        try:
            with _argos_lock():
                for index, path in enumerate(targets):
                    os.rename(path, staging / str(index))  # atomic: gone for readers at once
                    model_guard.release(path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            os.close(lock)
        _forget_argos_languages()


def install_bundled_models(
    models_dir: Path,
    *,
    on_error: Callable[[Path, PackageError], None] | None = None,
) -> list[InstalledPackage]:
    """Install each ``*.argosmodel`` in ``models_dir`` not installed yet; return the new ones.

    A package counts as installed when the same code is installed at the same or a newer
    version (so a bundled 1.0 never downgrades a downloaded 1.1). Bad files are logged and
    passed to ``on_error``, never raised.
    """
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return []
    installed_now: list[InstalledPackage] = []
    for file in sorted(models_dir.glob("*.argosmodel")):
        try:
            plan = _inspect(file)
            if any(
                p.code == plan.code and _version_key(p.version) >= _version_key(plan.version)
                for p in installed_packages()
            ):
                continue
            installed_now.append(install_package(file))
        except PackageError as error:
            log.warning("%s", error)
            if on_error is not None:
                on_error(file, error)
    return installed_now


# -- routes -----------------------------------------------------------------------------------


def _best(packages: Sequence[InstalledPackage], from_code: str, to_code: str
          ) -> InstalledPackage | None:
    candidates = [p for p in packages if p.from_code == from_code and p.to_code == to_code]
    return max(candidates, key=lambda p: _version_key(p.version), default=None)


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


# -- index and download -----------------------------------------------------------------------


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {' '.join(str(error.reason).split())}"
    if isinstance(error, TransferAborted):
        return str(error)
    return fetch_reason(error)


# What opening or reading a link can raise (a hostile server provokes any of these); each
# becomes one line naming the link.
_NETWORK_ERRORS = (
    urllib.error.URLError, OSError, http.client.HTTPException, ValueError, FetchError,
    TransferAborted,
)
# A download's deadline moves on by one second per this many bytes received: a 100 MB model
# may take 50 minutes on a slow line, a server dripping bytes is cut off all the same.
MIN_DOWNLOAD_RATE = 32 * 1024  # bytes per second


def fetch_index(
    timeout: float = 10, *, cancelled: Callable[[], bool] | None = None
) -> list[AvailablePackageInfo]:
    """Download the package index, keep a copy where argostranslate expects it, parse it.

    ``timeout`` bounds each wait for the server; the whole download ends at
    :data:`~reader.core.library.fetch.DEADLINE_FACTOR` × ``timeout``. ``cancelled`` is watched all
    along (:class:`DownloadCancelled` within a twentieth of a second)."""
    settings = _sync_argos_settings()
    url = _index_url(settings)
    transfer = Transfer(DEADLINE_FACTOR * timeout, cancelled=cancelled, io_timeout=timeout)
    try:
        with transfer, open_url(url, transfer, {"User-Agent": USER_AGENT}) as response:
            data = b"".join(read_chunks(response, transfer, MAX_INDEX_BYTES))
    except BodyTooLarge:
        raise PackageError(f"the package index at {url} is too large") from None
    except urllib.error.HTTPError as error:
        raise PackageError(f"the model index answered {_reason(error)}", details=url) from None
    except _NETWORK_ERRORS as error:
        if transfer.aborted == CANCELLED:
            raise DownloadCancelled("fetching the package index cancelled") from None
        raise PackageError(OFFLINE_INDEX, details=f"{url}: {_reason(error)}") from None
    try:
        entries = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PackageError(f"the package index at {url} is not valid JSON ({error})") from error
    if not isinstance(entries, list):
        raise PackageError(f"the package index at {url} is not a list of packages")

    argos = _argos_package()
    available: list[AvailablePackageInfo] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        try:
            package = argos.AvailablePackage(entry)
        except (TypeError, AttributeError, ValueError):
            continue  # one odd entry must not hide the others
        if package.type != "translate" or not package.from_code or not package.to_code:
            continue
        links = package.links if isinstance(package.links, list) else []
        available.append(
            AvailablePackageInfo(
                code=argos.argospm_package_name(package),
                from_code=str(package.from_code),
                from_name=str(package.from_name or ""),
                to_code=str(package.to_code),
                to_name=str(package.to_name or ""),
                version=str(package.package_version or ""),
                links=tuple(str(link) for link in links),
            )
        )

    # Keep argostranslate's own view current (and its get_available_packages() safe).
    local = Path(settings.local_package_index)
    local.parent.mkdir(parents=True, exist_ok=True)
    partial = local.with_name(f".{local.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, local)
    return available


def _is_http(link: str) -> bool:
    return urllib.parse.urlsplit(link.strip()).scheme.lower() in ("http", "https")


def download_package(
    code: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    timeout: float = 30,
) -> InstalledPackage:
    """Download ``code`` ("fr_en" or "translate-fr_en") from the index and install it.

    ``progress(bytes_done, bytes_total)`` is called per chunk (total 0 if the server does not
    say). ``is_cancelled()`` is polled between chunks; when it returns True the partial file
    is deleted and :class:`DownloadCancelled` is raised.
    """
    wanted = _normalize_code(code)
    index = fetch_index(timeout=timeout, cancelled=is_cancelled)
    matches = [p for p in index if p.code == wanted]
    if not matches:
        pairs = sorted({p.pair for p in index})
        shown = ", ".join(pairs[:8]) + (f" (and {len(pairs) - 8} more)" if len(pairs) > 8 else "")
        raise PackageError(
            f"no package {code!r} in the package index; available: {shown or 'none'}"
        )
    chosen = max(matches, key=lambda p: _version_key(p.version))
    # Entries may add an ipfs:// address after the HTTP one; we cannot fetch those. Every
    # HTTP link is tried in turn until one works.
    links = [link for link in chosen.links if _is_http(link)]
    if not links:
        raise PackageError(f"the package index gives no HTTP download link for {chosen.code}")

    def cancelled() -> bool:
        return is_cancelled is not None and is_cancelled()

    settings = _sync_argos_settings()
    downloads = Path(settings.downloads_dir)
    downloads.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{chosen.code}-", suffix=".argosmodel.part", dir=downloads
    )
    os.close(descriptor)
    partial = Path(name)
    try:
        failures: list[str] = []
        reachable = False  # a server answered (an HTTP error), so the network is up
        for link in links:
            if cancelled():
                raise DownloadCancelled(f"download of {chosen.code} cancelled")
            try:
                _stream(link, partial, progress, cancelled, timeout, chosen.code)
                break
            except DownloadCancelled:
                raise
            except _NETWORK_ERRORS as error:
                failures.append(f"{link}: {_reason(error)}")
                reachable = reachable or isinstance(error, urllib.error.HTTPError)
        else:
            if reachable:
                raise PackageError(f"cannot download {chosen.code}: {failures[-1]}")
            raise PackageError(
                f"Can't reach the download server for {chosen.code} (offline?)",
                details=failures[-1],
            )
        if cancelled():
            raise DownloadCancelled(f"download of {chosen.code} cancelled")
        return _install(partial, f"{chosen.code} {chosen.version}".strip(), chosen.code)
    finally:
        partial.unlink(missing_ok=True)


def _stream(
    url: str,
    target: Path,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool],
    timeout: float,
    code: str,
) -> None:
    with Transfer(DEADLINE_FACTOR * timeout, cancelled=cancelled, io_timeout=timeout) as transfer:
        try:
            agent = {"User-Agent": USER_AGENT}
            with open_url(url, transfer, agent) as response, open(target, "wb") as sink:
                try:
                    total = int(response.headers.get("Content-Length") or 0)
                except ValueError:
                    total = 0
                done = 0
                if progress is not None:
                    progress(done, total)
                for chunk in read_chunks(response, transfer, MAX_TOTAL_UNCOMPRESSED):
                    done += len(chunk)
                    transfer.allow(len(chunk) / MIN_DOWNLOAD_RATE)  # what arrives buys time
                    sink.write(chunk)
                    if progress is not None:
                        progress(done, total)
        except BodyTooLarge:
            raise PackageError(f"cannot download {code}: the file is too large") from None
        except _NETWORK_ERRORS:
            if transfer.aborted == CANCELLED or transfer.is_cancelled():
                raise DownloadCancelled(f"download of {code} cancelled") from None
            raise
    if total and done != total:
        raise OSError(f"connection closed after {done} of {total} bytes")
