"""An ``.argosmodel`` file checked whole before anything is written, then extracted with its
sizes enforced: zip structure, one top-level folder, no ``..``/absolute/symlink entries,
size and compression-ratio limits against zip bombs, a parseable ``metadata.json`` of type
``translate`` whose pair agrees with the folder's name, a ``model/`` and a tokenizer.
``argostranslate.package.install_from_path`` does none of this (it calls ``extractall``)."""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.core.models.validation import ModelRefused, loads_bounded
from reader.core.util.bounded import BodyTooLarge, capped_chunks

# The biggest real Argos packages are a few hundred MB; anything near this is hostile.
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3
# Real packages (weights, vocabularies) compress 1-5x; a ratio this high is a zip bomb.
MAX_COMPRESSION_RATIO = 200
# Below this size a high ratio is harmless (a small text file of spaces) and not checked.
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_METADATA_BYTES = 1024**2
MAX_ENTRIES = 100_000
CHUNK_BYTES = 64 * 1024

_LANGUAGE_CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,15}")
# Argos names package folders "translate-fr_en-1_9"; a name that claims a pair must agree with
# the metadata (a package that lies about its pair could replace another pair's model).
_FOLDER_PAIR = re.compile(
    r"translate-(?P<from_code>[A-Za-z]+(?:-[A-Za-z]+)*)_(?P<to_code>[A-Za-z]+(?:-[A-Za-z]+)*)"
    r"(?:-|$)"
)
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveRefused(Exception):
    """Why a package file is refused, as one line for the user (the store re-raises it as
    its ``PackageError``)."""


@dataclass(frozen=True)
class ArchivePlan:
    folder: str
    code: str
    version: str
    members: tuple[zipfile.ZipInfo, ...]

    @property
    def install_name(self) -> str:
        version = re.sub(r"[^A-Za-z0-9]+", "_", self.version).strip("_")
        return f"{self.code}-{version}" if version else self.code


def _unsafe_name(name: str) -> str | None:
    """Why an archive member name may not be extracted, or None if it is fine."""
    if "\\" in name or "\x00" in name:
        return "a backslash or NUL in a file name"
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path"
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "a path that climbs out of the package ('..')"
    return None


def inspect_archive(file: Path, label: str | None = None) -> ArchivePlan:
    """Validate a package file completely, writing nothing; raise ArchiveRefused if refused."""
    label = label or file.name

    def refuse(reason: str) -> ArchiveRefused:
        return ArchiveRefused(f"cannot install {label}: {reason}")

    if not file.is_file():
        raise refuse("no such file")
    try:
        if not zipfile.is_zipfile(file):
            raise refuse("not an Argos package (not a zip archive)")
        with zipfile.ZipFile(file) as archive:
            return _check_members(archive, refuse)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise refuse(f"damaged archive ({error})") from error


def _check_members(
    archive: zipfile.ZipFile, refuse: Callable[[str], ArchiveRefused]
) -> ArchivePlan:
    members = archive.infolist()
    if not members:
        raise refuse("the archive is empty")
    if len(members) > MAX_ENTRIES:
        raise refuse(f"too many files ({len(members)})")
    seen: set[str] = set()
    tops: set[str] = set()
    total = compressed = 0
    for info in members:
        name = info.filename
        why = _unsafe_name(name)
        if why:
            raise refuse(f"unsafe entry {name!r}: {why}")
        if name in seen:
            raise refuse(f"duplicate entry {name!r}")
        seen.add(name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise refuse(f"unsafe entry {name!r}: a symbolic link")
        if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise refuse(f"unsafe entry {name!r}: not a regular file")
        if info.flag_bits & 0x1:
            raise refuse(f"encrypted entry {name!r}")
        parts = name.rstrip("/").split("/")
        if len(parts) == 1 and not info.is_dir():
            raise refuse(f"file {name!r} is outside the package folder")
        tops.add(parts[0])
        total += info.file_size
        compressed += info.compress_size
        if info.file_size >= RATIO_CHECK_MIN_BYTES and (
            info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise refuse(f"suspicious compression ratio for {name!r} (zip bomb?)")
    if len(tops) != 1:
        raise refuse(f"expected one package folder, found {len(tops)}: {', '.join(sorted(tops))}")
    folder = tops.pop()
    if folder.startswith("."):
        raise refuse(f"hidden package folder {folder!r}")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise refuse(f"too large once unpacked ({total / 1024**3:.1f} GiB)")
    if total >= RATIO_CHECK_MIN_BYTES and total > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise refuse("suspicious compression ratio (zip bomb?)")

    metadata_name = f"{folder}/metadata.json"
    if metadata_name not in seen:
        raise refuse("no metadata.json in the package folder")
    metadata_info = archive.getinfo(metadata_name)
    if metadata_info.file_size > MAX_METADATA_BYTES:
        raise refuse("metadata.json is too large")
    try:
        # Bounded nesting: json.loads recurses per level (100,000 '[' exhaust the stack).
        metadata = loads_bounded(archive.read(metadata_info), "metadata.json")
    except ModelRefused as error:
        raise refuse(str(error)) from error
    if not isinstance(metadata, dict):
        raise refuse("metadata.json is not a JSON object")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise refuse(f"not a translation package (type {kind!r})")
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    for key, value in (("from_code", from_code), ("to_code", to_code)):
        if not isinstance(value, str) or not _LANGUAGE_CODE.fullmatch(value):
            raise refuse(f"metadata.json has no valid {key}")
    if from_code.lower() == to_code.lower():
        raise refuse(f"metadata.json translates {from_code} into itself")
    named = _FOLDER_PAIR.match(folder)
    if named and (named["from_code"].lower(), named["to_code"].lower()) != (
        from_code.lower(), to_code.lower()
    ):
        raise refuse(
            f"its folder says {named['from_code']}→{named['to_code']} but metadata.json says "
            f"{from_code}→{to_code}"
        )
    if f"{folder}/model/model.bin" not in seen:
        raise refuse("no CTranslate2 model (model/model.bin)")
    if f"{folder}/sentencepiece.model" not in seen and f"{folder}/bpe.model" not in seen:
        raise refuse("no tokenizer (sentencepiece.model or bpe.model)")
    return ArchivePlan(
        folder=folder,
        code=f"translate-{from_code}_{to_code}",
        version=str(metadata.get("package_version", "")),
        members=tuple(members),
    )


def extract_archive(file: Path, plan: ArchivePlan, staging: Path, label: str) -> None:
    """Extract the validated members under ``staging``; sizes are enforced while writing."""
    root = staging.resolve()
    with zipfile.ZipFile(file) as archive:
        for info in plan.members:
            target = root.joinpath(*info.filename.rstrip("/").split("/"))
            # Belt and braces: names were checked already, but never trust a join.
            if not target.resolve().is_relative_to(root):
                raise ArchiveRefused(f"cannot install {label}: unsafe entry {info.filename!r}")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "xb") as sink:
                try:
                    for chunk in capped_chunks(source.read, info.file_size, CHUNK_BYTES):
                        sink.write(chunk)
                except BodyTooLarge:  # the header lied about the size
                    raise ArchiveRefused(
                        f"cannot install {label}: {info.filename!r} is larger than "
                        "declared (zip bomb?)"
                    ) from None
