"""The package store: install/refuse/uninstall, routes, bundled models, index and download."""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reader import paths
from reader.core.models import store as packages
from reader.core.models.store import (
    DownloadCancelled,
    InstalledPackage,
    MissingModelError,
    PackageError,
)
from reader.core.translation.results import PackageRef

if TYPE_CHECKING:
    from tests.conftest import PackageIndexServer

FOLDER = "translate-fr_en-1_0"


def _tree(root: Path) -> dict[str, int]:
    """Every path under root with its size (dirs as -1): a before/after snapshot."""
    listing: dict[str, int] = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs:
            listing[os.path.relpath(os.path.join(directory, name), root)] = -1
        for name in files:
            path = os.path.join(directory, name)
            listing[os.path.relpath(path, root)] = os.lstat(path).st_size
    return listing


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_zip(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink is not None:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


# -- installed packages ---------------------------------------------------------------------------


def test_nothing_installed_in_a_fresh_home() -> None:
    assert packages.installed_packages() == []
    assert packages.broken_packages() == []


def test_install_fr_en(install_fr_en: InstalledPackage) -> None:
    package = install_fr_en
    assert package.code == "translate-fr_en"
    assert (package.from_code, package.from_name) == ("fr", "French")
    assert (package.to_code, package.to_name) == ("en", "English")
    assert package.version == "1.0"
    assert package.path == paths.packages_dir() / FOLDER
    assert (package.path / "model" / "model.bin").is_file()
    assert package.size_bytes > 100_000
    assert package.target_prefix == ""
    assert package.has_stanza is False
    assert package.ref == PackageRef("translate-fr_en", "fr", "en", "1.0")
    assert packages.installed_packages() == [package]
    # No staging folders left behind.
    assert [p.name for p in paths.packages_dir().iterdir()] == [FOLDER]


def test_argostranslate_sees_what_we_install(install_fr_en: InstalledPackage) -> None:
    import argostranslate.package

    packages.index_url()  # syncs argostranslate's folders with this test's XDG dirs
    found = argostranslate.package.get_installed_packages()
    assert [(p.from_code, p.to_code) for p in found] == [("fr", "en")]


def test_upgrade_replaces_the_old_version(
    install_fr_en: InstalledPackage, synthetic_packages: dict[str, Path]
) -> None:
    newer = packages.install_package(synthetic_packages["fr_en-1.1"])
    assert newer.version == "1.1"
    assert packages.installed_packages() == [newer]
    assert not install_fr_en.path.exists()
    assert [p.name for p in paths.packages_dir().iterdir()] == ["translate-fr_en-1_1"]


def test_reinstalling_the_same_file_works(
    install_fr_en: InstalledPackage, synthetic_packages: dict[str, Path]
) -> None:
    again = packages.install_package(synthetic_packages["fr_en"])
    assert again == install_fr_en
    assert packages.installed_packages() == [again]


def test_with_stanza_is_detected(tmp_path: Path) -> None:
    from testkit.synthetic_package import build_synthetic_package

    file = build_synthetic_package(tmp_path / "build", "fr", "en", with_stanza=True)
    assert packages.install_package(file).has_stanza is True


def test_broken_folders_are_skipped_and_reported(install_fr_en: InstalledPackage) -> None:
    root = paths.packages_dir()
    (root / "no-metadata").mkdir()
    (root / "bad-json").mkdir()
    (root / "bad-json" / "metadata.json").write_text("{nope", encoding="utf-8")
    (root / "no-model").mkdir()
    (root / "no-model" / "metadata.json").write_text(
        json.dumps({"from_code": "fr", "to_code": "it"}), encoding="utf-8"
    )
    (root / "sbd").mkdir()  # another package type: ignored, not broken
    (root / "sbd" / "metadata.json").write_text(json.dumps({"type": "sbd"}), encoding="utf-8")
    (root / "stray-file.txt").write_text("x", encoding="utf-8")

    assert packages.installed_packages() == [install_fr_en]
    broken = dict(packages.broken_packages())
    assert set(broken) == {root / "no-metadata", root / "bad-json", root / "no-model"}
    assert "metadata.json" in broken[root / "no-metadata"]
    assert "model" in broken[root / "no-model"]


def test_uninstall(install_pivot: tuple[InstalledPackage, InstalledPackage]) -> None:
    _fr_en, en_es = install_pivot
    packages.uninstall_package("fr_en")
    assert packages.installed_packages() == [en_es]
    packages.uninstall_package("translate-en_es")
    assert packages.installed_packages() == []
    assert list(paths.packages_dir().iterdir()) == []
    with pytest.raises(PackageError, match="no installed package"):
        packages.uninstall_package("fr_en")


# -- refusals -------------------------------------------------------------------------------------


def _without(members: dict[str, bytes], suffix: str) -> dict[str, bytes]:
    return {name: data for name, data in members.items() if not name.endswith(suffix)}


def _with_metadata(members: dict[str, bytes], metadata: bytes) -> dict[str, bytes]:
    return {**members, f"{FOLDER}/metadata.json": metadata}


def _good_metadata(members: dict[str, bytes], **changes: object) -> bytes:
    metadata = json.loads(members[f"{FOLDER}/metadata.json"])
    metadata.update(changes)
    return json.dumps({k: v for k, v in metadata.items() if v is not None}).encode()


REFUSALS: dict[str, tuple[Callable[[Path, dict[str, bytes]], Path], str]] = {
    "zip-slip": (
        lambda p, m: _write_zip(p, {**m, f"{FOLDER}/../../../evil.txt": b"owned"}),
        "climbs out",
    ),
    "zip-slip-deep": (
        lambda p, m: _write_zip(p, {**m, "../evil.txt": b"owned"}),
        "climbs out",
    ),
    "absolute-path": (
        lambda p, m: _write_zip(p, {**m, "/tmp/evil-bilingual-reader.txt": b"owned"}),
        "absolute path",
    ),
    "drive-letter": (
        lambda p, m: _write_zip(p, {**m, "C:/evil.txt": b"owned"}),
        "absolute path",
    ),
    "backslash": (
        lambda p, m: _write_zip(p, {**m, f"{FOLDER}\\..\\evil.txt": b"owned"}),
        "backslash",
    ),
    "symlink": (
        lambda p, m: _write_zip(p, m, symlink=f"{FOLDER}/model/link"),
        "symbolic link",
    ),
    "not-a-zip": (
        lambda p, m: (p.write_text("this is not a zip archive\n", encoding="utf-8"), p)[1],
        "not a zip",
    ),
    "metadata-not-json": (
        lambda p, m: _write_zip(p, _with_metadata(m, b"{this is not json")),
        "not valid JSON",
    ),
    "metadata-not-object": (
        lambda p, m: _write_zip(p, _with_metadata(m, b"[1, 2]")),
        "not a JSON object",
    ),
    "metadata-missing": (
        lambda p, m: _write_zip(p, _without(m, "metadata.json")),
        "no metadata.json",
    ),
    "missing-codes": (
        lambda p, m: _write_zip(p, _with_metadata(m, _good_metadata(m, to_code=None))),
        "to_code",
    ),
    "wrong-type": (
        lambda p, m: _write_zip(p, _with_metadata(m, _good_metadata(m, type="sbd"))),
        "not a translation package",
    ),
    "pair-contradicts-folder": (
        lambda p, m: _write_zip(
            p, _with_metadata(m, _good_metadata(m, from_code="en", to_code="fr"))
        ),
        "its folder says fr→en but metadata.json says en→fr",
    ),
    "same-language": (
        lambda p, m: _write_zip(p, _with_metadata(m, _good_metadata(m, to_code="fr"))),
        "translates fr into itself",
    ),
    "missing-model": (
        lambda p, m: _write_zip(p, _without(m, "model.bin")),
        "model/model.bin",
    ),
    "missing-tokenizer": (
        lambda p, m: _write_zip(p, _without(m, "sentencepiece.model")),
        "no tokenizer",
    ),
    "two-folders": (
        lambda p, m: _write_zip(p, {**m, "other/README.md": b"hi"}),
        "one package folder",
    ),
    "top-level-file": (
        lambda p, m: _write_zip(p, {**m, "README.md": b"hi"}),
        "outside the package folder",
    ),
    "zip-bomb": (
        lambda p, m: _write_zip(p, {**m, f"{FOLDER}/model/padding.bin": bytes(20 * 1024**2)}),
        "zip bomb",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_packages_write_nothing(
    case: str, synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    make, expected = REFUSALS[case]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    bad = make(incoming / f"{case}.argosmodel", _members(synthetic_packages["fr_en"]))
    packages.installed_packages()  # let argostranslate's import-time mkdirs happen first
    before = _tree(tmp_path)

    with pytest.raises(PackageError) as raised:
        packages.install_package(bad)

    message = str(raised.value)
    prefix = f"cannot install {bad.name}: "
    assert message.startswith(prefix)
    assert expected in message.removeprefix(prefix)
    assert "\n" not in message
    assert _tree(tmp_path) == before
    assert not Path("/tmp/evil-bilingual-reader.txt").exists()
    assert packages.installed_packages() == []


def _renamed(members: dict[str, bytes], folder: str) -> dict[str, bytes]:
    return {folder + name.removeprefix(FOLDER): data for name, data in members.items()}


def test_a_package_is_installed_under_its_metadata_name_never_over_another_pair(
    install_fr_en: InstalledPackage, synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    # An en→fr package shipped in a folder whose name claims nothing: it must land beside
    # fr_en (under the name Argos would give it), not replace whatever shares its folder name.
    members = _renamed(_members(synthetic_packages["fr_en"]), "model-pack")
    members["model-pack/metadata.json"] = _good_metadata(
        _members(synthetic_packages["fr_en"]), from_code="en", to_code="fr"
    )
    odd = _write_zip(tmp_path / "odd.argosmodel", members)
    installed = packages.install_package(odd)
    assert installed.code == "translate-en_fr"
    assert installed.path.name == "translate-en_fr-1_0"
    assert sorted(p.code for p in packages.installed_packages()) == [
        "translate-en_fr", "translate-fr_en",
    ]
    assert install_fr_en.path.is_dir()


def test_total_size_limit(
    synthetic_packages: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.models import archive as package_archive

    monkeypatch.setattr(package_archive, "MAX_TOTAL_UNCOMPRESSED", 100_000)
    with pytest.raises(PackageError, match="too large once unpacked"):
        packages.install_package(synthetic_packages["fr_en"])
    assert not paths.packages_dir().exists() or not any(paths.packages_dir().iterdir())


def test_lying_size_header_fails_during_extraction_and_cleans_up(
    synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    members = _members(synthetic_packages["fr_en"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(f"{FOLDER}/model/extra.bin", bytes(range(256)) * 400)
    raw = bytearray(buffer.getvalue())
    # Declare 1000 bytes for extra.bin in both headers; it really holds 102400.
    name = f"{FOLDER}/model/extra.bin".encode()
    central = raw.find(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name:  # name follows the header
        central = raw.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", raw, central + 24, 1000)
    local = struct.unpack_from("<I", raw, central + 42)[0]
    struct.pack_into("<I", raw, local + 22, 1000)
    liar = tmp_path / "liar.argosmodel"
    liar.write_bytes(bytes(raw))

    with pytest.raises(PackageError, match=r"cannot install liar\.argosmodel: damaged archive"):
        packages.install_package(liar)
    assert list(paths.packages_dir().iterdir()) == []  # staging folder removed


# -- routes ---------------------------------------------------------------------------------------


def test_direct_route(install_fr_en: InstalledPackage) -> None:
    assert packages.resolve_route("fr", "en") == (install_fr_en,)
    assert packages.resolve_route("fr", "fr") == ()


def test_pivot_through_english(install_pivot: tuple[InstalledPackage, InstalledPackage]) -> None:
    assert packages.resolve_route("fr", "es") == install_pivot


def test_direct_beats_pivot(
    install_pivot: tuple[InstalledPackage, InstalledPackage], synthetic_packages: dict[str, Path]
) -> None:
    from testkit.synthetic_package import build_synthetic_package

    fr_es = packages.install_package(
        build_synthetic_package(synthetic_packages["fr_en"].parent, "fr", "es")
    )
    assert packages.resolve_route("fr", "es") == (fr_es,)


def test_missing_model_names_the_pair_and_the_fix(install_fr_en: InstalledPackage) -> None:
    with pytest.raises(MissingModelError) as raised:
        packages.resolve_route("fr", "it")
    error = raised.value
    assert (error.from_code, error.to_code) == ("fr", "it")
    message = str(error)
    assert "French → Italian" in message
    assert "bilingual-reader models install FILE.argosmodel" in message
    assert "models download fr_it" in message
    assert isinstance(error, PackageError)
    # No pivot when English is an end of the pair.
    with pytest.raises(MissingModelError):
        packages.resolve_route("en", "fr")


def test_highest_version_wins(
    install_fr_en: InstalledPackage, synthetic_packages: dict[str, Path]
) -> None:
    # Two versions side by side, as argospm or a manual copy can leave them.
    with zipfile.ZipFile(synthetic_packages["fr_en-1.1"]) as archive:
        archive.extractall(paths.packages_dir())
    installed = packages.installed_packages()
    assert sorted(p.version for p in installed) == ["1.0", "1.1"]
    (route,) = packages.resolve_route("fr", "en")
    assert route.version == "1.1"
    # Same with an explicit list, in either order; versions compare numerically.
    older = install_fr_en
    newer = next(p for p in installed if p.version == "1.1")
    ten = InstalledPackage(**{**older.__dict__, "version": "1.10"})
    assert packages.resolve_route("fr", "en", [newer, older]) == (newer,)
    assert packages.resolve_route("fr", "en", [ten, newer, older]) == (ten,)


def test_reachable_targets_and_names(
    install_pivot: tuple[InstalledPackage, InstalledPackage], synthetic_packages: dict[str, Path]
) -> None:
    assert packages.reachable_targets("fr") == [("en", "English"), ("es", "Spanish")]
    assert packages.reachable_targets("en") == [("es", "Spanish")]
    assert packages.reachable_targets("de") == []
    packages.install_package(synthetic_packages["fr_de"])
    assert [code for code, _ in packages.reachable_targets("fr")] == ["en", "de", "es"]
    assert packages.language_name("fr") == "French"
    assert packages.language_name("it") == "Italian"  # built-in table
    assert packages.language_name("xx") == "xx"


# -- bundled models -------------------------------------------------------------------------------


def test_bundled_models_install_once(
    synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    bundle = tmp_path / "models"
    bundle.mkdir()
    for key in ("fr_en", "en_es"):
        (bundle / synthetic_packages[key].name).write_bytes(synthetic_packages[key].read_bytes())
    (bundle / "garbage.argosmodel").write_text("not a zip", encoding="utf-8")
    errors: list[tuple[Path, PackageError]] = []

    first = packages.install_bundled_models(bundle, on_error=lambda f, e: errors.append((f, e)))
    assert sorted(p.code for p in first) == ["translate-en_es", "translate-fr_en"]
    assert [f.name for f, _ in errors] == ["garbage.argosmodel"]
    assert "not a zip" in str(errors[0][1])

    stamp = (paths.packages_dir() / FOLDER / "metadata.json").stat().st_mtime_ns
    assert packages.install_bundled_models(bundle) == []
    assert (paths.packages_dir() / FOLDER / "metadata.json").stat().st_mtime_ns == stamp
    assert packages.install_bundled_models(tmp_path / "no-such-folder") == []


def test_bundled_model_never_downgrades(
    synthetic_packages: dict[str, Path], tmp_path: Path
) -> None:
    newer = packages.install_package(synthetic_packages["fr_en-1.1"])
    bundle = tmp_path / "models"
    bundle.mkdir()
    (bundle / "fr_en.argosmodel").write_bytes(synthetic_packages["fr_en"].read_bytes())
    assert packages.install_bundled_models(bundle) == []
    assert packages.installed_packages() == [newer]


# -- index and download ---------------------------------------------------------------------------


def test_unreachable_index_gives_a_clear_message() -> None:
    # conftest points ARGOS_PACKAGE_INDEX at a dead loopback port.
    with pytest.raises(PackageError) as raised:
        packages.fetch_index(timeout=5)
    assert str(raised.value) == "Can't reach the model index (offline?)"
    details = raised.value.details or ""
    assert details.startswith("http://127.0.0.1:9/index.json: ") and "\n" not in details
    with pytest.raises(PackageError, match=r"Can't reach the model index \(offline\?\)"):
        packages.download_package("fr_en", timeout=5)


def test_fetch_index(
    package_index_server: PackageIndexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    available = packages.fetch_index()
    assert [(a.code, a.pair, a.version) for a in available] == [
        ("translate-fr_en", "fr_en", "1.0"),
        ("translate-en_es", "en_es", "1.0"),
    ]
    assert available[0].to_json()["from_name"] == "French"
    # A local copy where argostranslate expects it, so its own API works offline.
    local = paths.argos_data_dir() / "index.json"
    assert json.loads(local.read_text("utf-8"))[1]["to_code"] == "es"
    import argostranslate.package

    assert len(argostranslate.package.get_available_packages()) == 2
    # The base URL may omit its trailing slash.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", package_index_server.url.rstrip("/"))
    assert len(packages.fetch_index()) == 2


def test_invalid_index(package_index_server: PackageIndexServer) -> None:
    package_index_server.files["index.json"] = b"<html>not json</html>"
    with pytest.raises(PackageError, match="not valid JSON"):
        packages.fetch_index()


def test_download_with_progress(
    package_index_server: PackageIndexServer, synthetic_packages: dict[str, Path]
) -> None:
    reports: list[tuple[int, int]] = []
    installed = packages.download_package("fr_en", progress=lambda d, t: reports.append((d, t)))
    size = synthetic_packages["fr_en"].stat().st_size
    assert installed.code == "translate-fr_en"
    assert packages.installed_packages() == [installed]
    assert reports[0] == (0, size)
    assert reports[-1] == (size, size)
    assert len(reports) > 3
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)
    # The dead first link was tried, then the good one.
    assert package_index_server.requests[-2:] == [
        f"gone/{synthetic_packages['fr_en'].name}", synthetic_packages["fr_en"].name,
    ]
    assert list((paths.cache_home() / "argos-translate" / "downloads").iterdir()) == []


def test_download_refuses_a_file_of_another_pair(
    package_index_server: PackageIndexServer, synthetic_packages: dict[str, Path]
) -> None:
    # The index promises fr→en, the server hands out en→es: nothing is installed.
    package_index_server.files[synthetic_packages["fr_en"].name] = (
        synthetic_packages["en_es"].read_bytes()
    )
    with pytest.raises(PackageError, match=r"the file is en→es, not fr→en"):
        packages.download_package("fr_en")
    assert packages.installed_packages() == []
    assert list((paths.cache_home() / "argos-translate" / "downloads").iterdir()) == []


def test_download_by_argospm_name(package_index_server: PackageIndexServer) -> None:
    assert packages.download_package("translate-en_es").code == "translate-en_es"


def test_download_unknown_code_lists_what_exists(package_index_server: PackageIndexServer) -> None:
    with pytest.raises(PackageError, match=r"no package 'fr_it' .*available: en_es, fr_en"):
        packages.download_package("fr_it")


def test_cancel_mid_download_leaves_nothing(
    package_index_server: PackageIndexServer, tmp_path: Path
) -> None:
    packages.installed_packages()
    downloads = paths.cache_home() / "argos-translate" / "downloads"
    reports: list[tuple[int, int]] = []
    with pytest.raises(DownloadCancelled, match="cancelled"):
        packages.download_package(
            "en_es",
            progress=lambda d, t: reports.append((d, t)),
            is_cancelled=lambda: len(reports) >= 3,  # after two chunks
        )
    done, total = reports[-1]
    assert 0 < done < total  # really mid-way
    assert list(downloads.iterdir()) == []
    assert packages.installed_packages() == []
    assert not paths.packages_dir().exists() or list(paths.packages_dir().iterdir()) == []


def test_all_links_dead(
    package_index_server: PackageIndexServer, synthetic_packages: dict[str, Path]
) -> None:
    del package_index_server.files[synthetic_packages["fr_en"].name]
    with pytest.raises(PackageError, match=r"cannot download translate-fr_en: .*HTTP 404"):
        packages.download_package("fr_en")
    assert list((paths.cache_home() / "argos-translate" / "downloads").iterdir()) == []


def test_store_and_builder_stay_torch_free(tmp_path: Path) -> None:
    """Importing torch costs seconds; the store and the builder must never pull it in."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.core.models import store as packages\n"
        "from testkit.synthetic_package import build_synthetic_package\n"
        f"file = build_synthetic_package(Path({str(tmp_path / 'build')!r}), 'fr', 'en')\n"
        "packages.install_package(file)\n"
        "assert packages.resolve_route('fr', 'en')\n"
        "try:\n"
        "    packages.fetch_index(timeout=5)\n"
        "except packages.PackageError:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'stanza')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2], check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
