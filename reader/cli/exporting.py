"""``export``: a bilingual PDF (and, with ``--also``, Markdown, HTML, a translation-only PDF),
or a bilingual EPUB when the output ends in ``.epub`` (the format goes by the suffix)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import (
    Progress,
    add_translation_options,
    engine,
    load_full,
    open_cache,
    say_where,
    server_usage,
    target,
)
from reader.cli.output import PROG, CliError, Commands, say

if TYPE_CHECKING:
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import TranslationEngine
    from reader.export.export_run import ExportReport

NAME = "export"


def register(commands: Commands) -> None:
    export = commands.add_parser(NAME, help="write a bilingual PDF or EPUB")
    export.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    export.add_argument(
        "-o", "--output", required=True, metavar="OUT.pdf|OUT.epub",
        help="the file to write: an EPUB when it ends in .epub, else a PDF",
    )
    add_translation_options(export)
    export.add_argument(
        "--layout",
        choices=("side-by-side", "interleaved", "translation-only"),
        help="PDF: two columns (default), or each translation under its original; EPUB: "
        "interleaved (default) or translation-only",
    )
    export.add_argument(
        "--page-size", choices=("A4", "Letter"), help="PDF paper size (default A4)"
    )
    export.add_argument(
        "--also",
        metavar="FORMATS",
        type=also_formats,
        help="also write beside the PDF, comma-separated: mono (translation-only PDF), html, md",
    )
    export.set_defaults(handler=run, parser=export)


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


def _usage_problem(args: argparse.Namespace, epub: bool) -> str | None:
    if epub:
        if args.layout == "side-by-side":
            return "an EPUB is interleaved or translation-only (side by side needs a page: " \
                "export a PDF)"
        if args.page_size or args.also:
            option = "--page-size" if args.page_size else "--also"
            return f"{option} is for a PDF, not an EPUB"
    elif args.layout == "translation-only":
        return "translation-only is an EPUB layout (for a PDF: --also mono)"
    return None


def run(args: argparse.Namespace) -> int:
    epub = Path(args.output).suffix.lower() == ".epub"
    problem = _usage_problem(args, epub) or server_usage(args)
    if problem:
        args.parser.error(problem)  # exit 2
    if epub:
        return run_epub(args)
    try:
        from reader.export.pdf import ExportRequest, export_articles
    except ImportError as error:  # pragma: no cover - the export module ships with the app
        raise CliError(f"PDF export is not available: {error}") from error

    language = target(args.to)
    cache = open_cache()
    translator = engine(args.quality, cache, args)
    articles = load_full(args.paths)
    progress = Progress("export")
    request = ExportRequest(
        output=Path(args.output),
        target_language=language,
        layout=args.layout or "side-by-side",
        page_size=args.page_size or "A4",
        also=args.also or (),
    )
    report = export_articles(translator, articles, request, progress=progress.update)
    progress.close()
    return _reported(report, args, translator, cache)


def run_epub(args: argparse.Namespace) -> int:
    from reader.export.epub_export import EpubRequest, export_epub

    language = target(args.to)
    cache = open_cache()
    translator = engine(args.quality, cache, args)
    articles = load_full(args.paths)
    progress = Progress("export")
    request = EpubRequest(Path(args.output), language, args.layout or "interleaved")
    report = export_epub(translator, articles, request, progress=progress.update)
    progress.close()
    return _reported(report, args, translator, cache)


def _reported(report: ExportReport, args: argparse.Namespace, translator: TranslationEngine,
              cache: TranslationCache) -> int:
    """What an export says when it ends: problems on stderr, the files written on stdout,
    where the text was translated; the exit status."""
    for message in report.messages:
        say(f"{PROG}: {message}")
    for written in report.written:
        print(written)
    cache.close()
    say_where(args, translator)
    return 0 if report.ok else 1
