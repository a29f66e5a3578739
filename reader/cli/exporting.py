"""``export``: a bilingual PDF (and, with ``--also``, Markdown, HTML, a translation-only PDF)."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.common import (
    Progress,
    add_translation_options,
    engine,
    load_full,
    open_cache,
    target,
)
from reader.cli.output import PROG, CliError, Commands, say

NAME = "export"


def register(commands: Commands) -> None:
    export = commands.add_parser(NAME, help="write a bilingual PDF")
    export.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    export.add_argument(
        "-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write"
    )
    add_translation_options(export)
    export.add_argument(
        "--layout",
        choices=("side-by-side", "interleaved"),
        default="side-by-side",
        help="two columns, or each translation under its original (default side-by-side)",
    )
    export.add_argument(
        "--page-size", choices=("A4", "Letter"), default="A4", help="paper size (default A4)"
    )
    export.add_argument(
        "--also",
        metavar="FORMATS",
        type=also_formats,
        help="also write beside the PDF, comma-separated: mono (translation-only PDF), html, md",
    )
    export.set_defaults(handler=run)


def also_formats(value: str) -> tuple[str, ...]:
    """``--also mono,html``: a usage error (exit 2) for a format we do not write."""
    from reader.core.presentation.export_document import ALSO_FORMATS as formats

    chosen = tuple(x.strip() for x in value.split(",") if x.strip())
    unknown = [x for x in chosen if x not in formats]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format {unknown[0]!r} (choose from {', '.join(formats)})"
        )
    return chosen


def run(args: argparse.Namespace) -> int:
    try:
        from reader.export.pdf import ExportRequest, export_articles
    except ImportError as error:  # pragma: no cover - the export module ships with the app
        raise CliError(f"PDF export is not available: {error}") from error

    language = target(args.to)
    cache = open_cache()
    translator = engine(args.quality, cache)
    articles = load_full(args.paths)
    progress = Progress("export")
    request = ExportRequest(
        output=Path(args.output),
        target_language=language,
        layout=args.layout,
        page_size=args.page_size,
        also=args.also or (),
    )
    report = export_articles(translator, articles, request, progress=progress.update)
    progress.close()
    for message in report.messages:
        say(f"{PROG}: {message}")
    for written in report.written:
        print(written)
    cache.close()
    return 0 if report.ok else 1
