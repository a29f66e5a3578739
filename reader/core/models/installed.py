"""Installed Argos packages: listing, safe installation and removal, argostranslate glue.

Qt-free and torch-free. We share argostranslate's package folder
(``$XDG_DATA_HOME/argos-translate/packages``) and file format, and use its metadata parsing,
but we do the risky parts ourselves:

- ``argostranslate.package.install_from_path`` extracts with ``extractall`` and no checks
  (zip-slip, bombs, symlinks) and then imports ``argostranslate.translate`` (stanza → torch,
  seconds). We validate the whole archive first, extract into a staging folder inside the
  packages folder and rename it into place, so a refused or failed install leaves nothing.
- ``argostranslate.package.get_available_packages`` recurses forever when the index cannot be
  downloaded; we fetch the index ourselves and only use argostranslate to parse entries.
- ``argostranslate.settings`` fixes its folders at import time; :func:`sync_argos_settings`
  re-points them at :mod:`reader.paths` (read at call time) before every use, so per-test
  XDG folders work within one process.

argostranslate is imported lazily: importing its settings creates folders under the XDG
directories current at that moment, which must be the caller's, not pytest collection's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from packaging.version import InvalidVersion, Version

from reader import paths
from reader.core.language.names import LANGUAGE_NAMES as _LANGUAGE_NAMES
from reader.core.language.names import language_name as _language_name
from reader.core.models import guard as model_guard
from reader.core.models.archive import (
    ArchivePlan,
    ArchiveRefused,
    extract_archive,
    inspect_archive,
)
from reader.core.models.errors import PackageError
from reader.core.models.validation import ModelRefused, check_model_dir, read_json_object
from reader.core.translation.results import PackageRef

log = logging.getLogger(__name__)

# -- limits -----------------------------------------------------------------------------------

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"

# Serialises installs/removals within this process; argostranslate's own package_lock is
# taken too around the renames, so its listing never sees a half-moved folder.
_STORE_LOCK = threading.RLock()


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


# -- argostranslate glue ----------------------------------------------------------------------


def sync_argos_settings() -> ModuleType:
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
    settings.remote_package_index = index_url_of(settings)
    return settings


def argos_package() -> ModuleType:
    sync_argos_settings()
    import argostranslate.package

    return argostranslate.package


def index_url_of(settings: ModuleType) -> str:
    base = str(settings.get_setting("ARGOS_PACKAGE_INDEX", default=DEFAULT_INDEX_URL))
    # argostranslate concatenates blindly; a URL without the slash would fetch ".../mainindex.json".
    if not base.endswith("/"):
        base += "/"
    return base + "index.json"


def index_url() -> str:
    """Where :func:`fetch_index` looks (``ARGOS_PACKAGE_INDEX`` + ``index.json``)."""
    return index_url_of(sync_argos_settings())


def _forget_argos_languages() -> None:
    # If the engine (or anything) imported argostranslate.translate, its language list is
    # lru-cached; drop it without importing that module ourselves (torch).
    translate = sys.modules.get("argostranslate.translate")
    cached = getattr(translate, "get_installed_languages", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _argos_lock() -> Any:
    return argos_package().package_lock


# -- helpers ----------------------------------------------------------------------------------


def version_key(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def normalize_code(code: str) -> str:
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


def load_installed(path: Path) -> InstalledPackage:
    argos = argos_package()
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
    for line in model_guard.recover_crashed_loads(root, load_installed):
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
            good.append(load_installed(child))
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
    return install_file(Path(file), Path(file).name)


def _inspect(file: Path, label: str | None = None) -> ArchivePlan:
    try:
        return inspect_archive(file, label)
    except ArchiveRefused as error:
        raise PackageError(str(error)) from error


def install_file(file: Path, label: str, expect_code: str | None = None) -> InstalledPackage:
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
                staged = load_installed(staging / plan.folder)
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
        return load_installed(final)


def uninstall_package(code: str) -> None:
    """Remove every installed package with this code ("fr_en" or "translate-fr_en")."""
    wanted = normalize_code(code)
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
                p.code == plan.code and version_key(p.version) >= version_key(plan.version)
                for p in installed_packages()
            ):
                continue
            installed_now.append(install_package(file))
        except PackageError as error:
            log.warning("%s", error)
            if on_error is not None:
                on_error(file, error)
    return installed_now
