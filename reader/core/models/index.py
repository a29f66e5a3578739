"""The remote package index and downloads: fetched with bounded, cancellable transfers,
installed through :mod:`reader.core.models.installed`."""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader import __version__
from reader.core.library.fetch import DEADLINE_FACTOR, FetchError, open_url, reason
from reader.core.models.archive import MAX_TOTAL_UNCOMPRESSED
from reader.core.models.errors import OFFLINE_INDEX, DownloadCancelled, PackageError
from reader.core.models.installed import (
    InstalledPackage,
    argos_package,
    index_url_of,
    install_file,
    normalize_code,
    sync_argos_settings,
    version_key,
)
from reader.core.util.transfer import (
    CANCELLED,
    BodyTooLarge,
    Transfer,
    TransferAborted,
    read_chunks,
)
from reader.private_files import write_atomic

MAX_INDEX_BYTES = 32 * 1024**2
USER_AGENT = f"bilingual-reader/{__version__}"


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


# -- index and download -----------------------------------------------------------------------


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
    settings = sync_argos_settings()
    url = index_url_of(settings)
    transfer = Transfer(DEADLINE_FACTOR * timeout, cancelled=cancelled, io_timeout=timeout)
    try:
        with transfer, open_url(url, transfer, {"User-Agent": USER_AGENT}) as response:
            data = b"".join(read_chunks(response, transfer, MAX_INDEX_BYTES))
    except BodyTooLarge:
        raise PackageError(f"the package index at {url} is too large") from None
    except urllib.error.HTTPError as error:
        raise PackageError(f"the model index answered {reason(error)}", details=url) from None
    except _NETWORK_ERRORS as error:
        if transfer.aborted == CANCELLED:
            raise DownloadCancelled("fetching the package index cancelled") from None
        raise PackageError(OFFLINE_INDEX, details=f"{url}: {reason(error)}") from None
    try:
        entries = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PackageError(f"the package index at {url} is not valid JSON ({error})") from error
    if not isinstance(entries, list):
        raise PackageError(f"the package index at {url} is not a list of packages")

    argos = argos_package()
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
    write_atomic(local, data, shared=True, sync=False)  # argostranslate's copy, not ours
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
    wanted = normalize_code(code)
    index = fetch_index(timeout=timeout, cancelled=is_cancelled)
    matches = [p for p in index if p.code == wanted]
    if not matches:
        pairs = sorted({p.pair for p in index})
        shown = ", ".join(pairs[:8]) + (f" (and {len(pairs) - 8} more)" if len(pairs) > 8 else "")
        raise PackageError(
            f"no package {code!r} in the package index; available: {shown or 'none'}"
        )
    chosen = max(matches, key=lambda p: version_key(p.version))
    # Entries may add an ipfs:// address after the HTTP one; we cannot fetch those. Every
    # HTTP link is tried in turn until one works.
    links = [link for link in chosen.links if _is_http(link)]
    if not links:
        raise PackageError(f"the package index gives no HTTP download link for {chosen.code}")

    def cancelled() -> bool:
        return is_cancelled is not None and is_cancelled()

    settings = sync_argos_settings()
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
                failures.append(f"{link}: {reason(error)}")
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
        return install_file(partial, f"{chosen.code} {chosen.version}".strip(), chosen.code)
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
