"""``models``: installed translation models (Argos packages), the index, installs, removals."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import Progress
from reader.cli.output import PROG, Commands, Parser, print_json, say, warn

if TYPE_CHECKING:
    from reader.core.models.store import InstalledPackage


NAME = "models"


def register(commands: Commands) -> None:
    models = commands.add_parser(NAME, help="manage translation models (Argos packages)")
    actions = models.add_subparsers(
        dest="models_action",
        required=True,
        parser_class=Parser,
        prog=f"{PROG} models",
        metavar="ACTION",
        help="what to do with the models",
    )
    listing = actions.add_parser("list", help="installed models")
    listing.add_argument("--json", action="store_true", help="one JSON object per model")
    listing.set_defaults(handler=run_list)
    install = actions.add_parser("install", help="install .argosmodel files")
    install.add_argument(
        "files", nargs="+", metavar="FILE.argosmodel", help="model files to install"
    )
    install.set_defaults(handler=run_install)
    remove = actions.add_parser("remove", help="uninstall a model")
    remove.add_argument("code", metavar="CODE", help="e.g. fr_en")
    remove.set_defaults(handler=run_remove)
    available = actions.add_parser(
        "available", help="models in the Argos index (uses the network)"
    )
    available.add_argument(
        "--json", action="store_true", help="one JSON object per model"
    )
    available.set_defaults(handler=run_available)
    download = actions.add_parser(
        "download", help="download and install a model from the index (uses the network)"
    )
    download.add_argument("code", metavar="CODE", help="e.g. fr_en")
    download.set_defaults(handler=run_download)


def package_json(package: InstalledPackage) -> dict[str, object]:
    """One model of ``models list --json``."""
    return {
        "code": package.code,
        "from": package.from_code,
        "to": package.to_code,
        "from_name": package.from_name,
        "to_name": package.to_name,
        "version": package.version,
        "size_bytes": package.size_bytes,
        "path": str(package.path),
    }


def run_list(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    installed, broken = packages.scan_packages()
    for path, reason in broken:  # quarantined or damaged: named, one line each
        warn(f"model folder {path.name} is not used: {reason}")
    if args.json:
        print_json([package_json(p) for p in installed])
    elif not installed:
        say(
            "no translation models installed; install one with "
            f"'{PROG} models install FILE.argosmodel' or '{PROG} models download fr_en'"
        )
    else:
        for p in installed:
            size = p.size_bytes / 1e6
            print(
                f"{p.from_code}_{p.to_code:<6} {p.version:<8} {size:8.1f} MB  "
                f"{p.from_name} → {p.to_name}"
            )
    return 0


def run_install(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    for file in args.files:
        installed = packages.install_package(Path(file))
        print(
            f"installed {installed.code} {installed.version} "
            f"({installed.from_name} → {installed.to_name})"
        )
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    packages.uninstall_package(args.code)
    print(f"removed {args.code}")
    return 0


def run_available(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    available = packages.fetch_index()
    if args.json:
        print_json([a.to_json() for a in available])
    else:
        for a in available:
            print(f"{a.from_code}_{a.to_code:<6} {a.version:<8} {a.from_name} → {a.to_name}")
    return 0


def run_download(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    progress = Progress(f"download {args.code}")

    def report(done: int, total: int) -> None:
        if progress.enabled:
            sys.stderr.write(f"\rdownload {args.code}: {done / 1e6:.1f}/{total / 1e6:.1f} MB")
            progress.shown = True

    installed = packages.download_package(args.code, progress=report)
    progress.close()
    print(f"installed {installed.code} {installed.version}")
    return 0
