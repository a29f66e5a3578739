"""The package store, as its callers see it: one place to import from.

Qt-free and torch-free. The work is done in the parts this module gathers:
:mod:`~reader.core.models.errors` (the errors), :mod:`~reader.core.models.installed` (the
installed packages and safe installation), :mod:`~reader.core.models.routes` (which packages
translate a pair) and :mod:`~reader.core.models.index` (the remote index and downloads). None of
them imports this module, so the store has no import cycle.
"""

from __future__ import annotations

from reader.core.models.errors import (
    OFFLINE_INDEX,
    DownloadCancelled,
    MissingModelError,
    PackageError,
)
from reader.core.models.index import (
    MAX_INDEX_BYTES,
    MIN_DOWNLOAD_RATE,
    USER_AGENT,
    AvailablePackageInfo,
    download_package,
    fetch_index,
)
from reader.core.models.installed import (
    DEFAULT_INDEX_URL,
    InstalledPackage,
    broken_packages,
    check_model_files,
    index_url,
    install_bundled_models,
    install_package,
    installed_packages,
    language_name,
    scan_packages,
    sync_argos_settings,
    uninstall_package,
)
from reader.core.models.routes import PIVOT_LANGUAGE, reachable_targets, resolve_route

__all__ = [
    "DEFAULT_INDEX_URL",
    "MAX_INDEX_BYTES",
    "MIN_DOWNLOAD_RATE",
    "OFFLINE_INDEX",
    "PIVOT_LANGUAGE",
    "USER_AGENT",
    "AvailablePackageInfo",
    "DownloadCancelled",
    "InstalledPackage",
    "MissingModelError",
    "PackageError",
    "broken_packages",
    "check_model_files",
    "download_package",
    "fetch_index",
    "index_url",
    "install_bundled_models",
    "install_package",
    "installed_packages",
    "language_name",
    "reachable_targets",
    "resolve_route",
    "scan_packages",
    "sync_argos_settings",
    "uninstall_package",
]
