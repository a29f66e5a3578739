"""The ``bilingual-reader`` command line (a stable contract: users script against it).

Exit codes: 0 ok, 2 usage error, 1 failure with a one-line message on stderr. No traceback
ever reaches the user (set ``BILINGUAL_READER_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from reader import __version__, paths
from reader.core.util.wording import plural

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.cache import TranslationCache
    from reader.core.translation.engine import TranslationEngine

PROG = "bilingual-reader"
DEFAULT_TARGET = "en"


class CliError(Exception):
    """A failure to report as one line on stderr, exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _say(message: str, stream: TextIO | None = None) -> None:
    print(message, file=stream or sys.stderr)


def _warn(message: str) -> None:
    _say(f"{PROG}: warning: {message}")


def _print_json(data: object) -> None:
    # One write: json.dump() to a stream writes every token (30,000 writes for 500 articles).
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- shared helpers -------------------------------------------------------------------------------


def _open_cache() -> TranslationCache:
    from reader.core.translation.cache import TranslationCache

    cache = TranslationCache()
    for warning in cache.warnings:
        _warn(warning)
    return cache


def _engine(quality: str, cache: TranslationCache | None) -> TranslationEngine:
    from reader.core.models import store as packages
    from reader.core.translation.engine import PRESETS, TranslationEngine

    packages.install_bundled_models(
        paths.bundled_models_dir(), on_error=lambda file, error: _warn(f"{file.name}: {error}")
    )
    return TranslationEngine(cache, options=PRESETS[quality])


def _article_files(raw_paths: Sequence[str]) -> list[Path]:
    from reader.core.library.listing import find_article_files

    targets = [Path(p) for p in raw_paths] if raw_paths else paths.default_library_paths()
    return find_article_files(targets)


def _load_full(raw_paths: Sequence[str]) -> list[Article]:
    """Articles with per-paragraph languages (what translation needs)."""
    from reader.core.library.listing import load_library

    targets = [Path(p) for p in raw_paths] if raw_paths else paths.default_library_paths()
    return load_library(targets, paragraph_languages=True)


def _target(value: str | None) -> str:
    from reader.core.language.names import to_argos_code

    # As the Argos index spells it: "no" is "nb", "zh-TW" is "zt".
    code = to_argos_code(value or DEFAULT_TARGET)
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise CliError(f"--to expects a language code such as en, es or de (got {value!r})")
    return code


class _Progress:
    """Sentences done / total on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if self.enabled and total:
            sys.stderr.write(f"\r{self.label}: {done}/{total} sentences")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


# -- list -----------------------------------------------------------------------------------------


def _article_summary(article: Article, *, paragraphs: bool = False) -> dict[str, object]:
    from reader.core.articles.article import ParagraphKind

    summary: dict[str, object] = {
        "path": str(article.path),
        "title": article.title or None,
        "date": article.date,
        "byline": article.byline,
        "section": article.section,
        "site": article.site,
        "url": article.url,
        "language": article.language if article.ok else None,
        "paragraphs": len(article.paragraphs),
        "words": article.words,
        "boilerplate": [
            {"index": p.index, "language": p.language, "text": p.text}
            for p in article.paragraphs
            if p.kind is ParagraphKind.BOILERPLATE
        ],
        "error": article.error,
    }
    if paragraphs:
        # Asked for: the count becomes the list itself (as in translate --json).
        summary["paragraphs"] = [
            {"index": p.index, "kind": p.kind.value, "language": p.language, "text": p.text}
            for p in article.paragraphs
        ]
    return summary


def cmd_list(args: argparse.Namespace) -> int:
    import gc

    from reader.core.library.listing import load_library

    targets = [Path(p) for p in args.paths] if args.paths else paths.default_library_paths()
    # A listing makes ~100,000 objects that live until the process ends, and almost no
    # garbage cycles: the collector's ~80 passes over them found nothing and cost ~25 ms of
    # a 500-article listing. Off while listing, then what was made is frozen out of later
    # passes (re-enabled as it was, the next pass would walk all of it at once).
    gc.disable()
    try:
        articles = load_library(targets, paragraph_languages=args.paragraphs)
    finally:
        gc.freeze()
        gc.enable()
    # A typo in a path is an error (exit 1); a file that exists but is not an article is
    # listed with its message and does not fail the listing.
    missing = [p for p in targets if not p.exists() and not p.is_symlink()]
    if args.json:
        _print_json([_article_summary(a, paragraphs=args.paragraphs) for a in articles])
    else:
        for article in articles:
            if article.path in missing:
                continue  # said once, on stderr, below
            if article.ok:
                date = article.date or "-------"
                print(
                    f"{date:<10} {article.language:<3} {article.words:>6} words  "
                    f"{article.display_title}  [{article.path}]"
                )
                if args.paragraphs:
                    for p in article.paragraphs:
                        text = " ".join(p.text.split())
                        print(f"    {p.index:>4} {p.kind.value:<11} {text}")
            else:
                print(f"{'error':<10} {'':<3} {'':>6}        {article.path}: {article.error}")
    if not articles:
        raise CliError("no articles found (.txt, .md, .html)")
    for path in missing:
        _say(f"{PROG}: {path}: no such file or directory")
    return 1 if missing else 0


# -- add ------------------------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    from reader.core.library.fetch import FetchError
    from reader.core.library.user_folder import AddError, add

    failed = 0
    for source in args.sources:
        try:
            added = add(source, timeout=args.timeout) if "://" in source else add(source)
        except (AddError, FetchError) as error:
            _say(f"{PROG}: {error}")
            failed += 1
            continue
        except OSError as error:  # the library folder (disk full, permissions): one line
            _say(f"{PROG}: {source}: cannot save the article: {error.strerror or error}")
            failed += 1
            continue
        state = "already in the library" if added.already else "added"
        title = added.article.display_title if added.article.ok else added.path.name
        print(f"{state}: {title}  [{added.path}]")
    return 1 if failed else 0


# -- translate ------------------------------------------------------------------------------------


class _JsonArticles:
    """``translate --json``'s output, written as it is made: ``json.dumps(results,
    ensure_ascii=False, indent=2)`` byte for byte, but each paragraph is written when it is
    translated and then forgotten, so memory does not grow with the output (a book's
    200,000 paragraphs made a 90 MB document built three times over in memory)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._articles = 0
        self._paragraphs = -1  # -1: no article open

    @staticmethod
    def _dumps(value: object, level: int) -> str:
        # Nested ``level`` deep in the document: json's indentation, shifted.
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)

    def _begin_item(self) -> None:
        self._out.write("[\n  " if self._articles == 0 else ",\n  ")
        self._articles += 1

    def whole(self, data: dict[str, object]) -> None:
        """An article written at once (one that failed before its first paragraph)."""
        self._begin_item()
        self._out.write(self._dumps(data, 1))

    def begin(self, head: dict[str, object]) -> None:
        """An article's fields before ``paragraphs``, then its paragraphs one by one."""
        self._begin_item()
        fields = self._dumps(head, 1)
        self._out.write(fields[:-1].rstrip() + ',\n    "paragraphs": [')
        self._paragraphs = 0

    def paragraph(self, data: dict[str, object]) -> None:
        self._out.write("\n      " if self._paragraphs == 0 else ",\n      ")
        self._out.write(self._dumps(data, 3))
        self._paragraphs += 1

    def end(self, tail: dict[str, object]) -> None:
        """Close the article with the fields after ``paragraphs``."""
        self._out.write("\n    ]" if self._paragraphs else "]")
        for key, value in tail.items():
            self._out.write(f",\n    {json.dumps(key)}: {self._dumps(value, 2)}")
        self._out.write("\n  }")
        self._paragraphs = -1

    def close(self) -> None:
        self._out.write("[]\n" if self._articles == 0 else "\n]\n")


def cmd_translate(args: argparse.Namespace) -> int:
    from reader.core.models.store import PackageError
    from reader.core.translation.engine import (
        ParagraphReady,
        TranslationFinished,
        TranslationStarted,
    )
    from reader.core.translation.results import ArticleTranslation, TranslationProgress

    target = _target(args.to)
    cache = None if args.no_cache else _open_cache()
    warned = len(cache.warnings) if cache is not None else 0
    engine = _engine(args.quality, cache)
    articles = _load_full(args.paths)
    # One pipeline for all the files: the next article's first sentences are decoded while
    # the last ones of the article before finish (see TranslationEngine.translate_many).
    streams = iter(engine.translate_many(
        [article for article in articles if article.ok], target, use_cache=not args.no_cache
    ))
    failures = 0
    output = _JsonArticles(sys.stdout) if args.json else None
    for article in articles:
        if not article.ok:
            failures += 1
            _say(f"{PROG}: {article.path}: {article.error}")
            if output is not None:
                output.whole({"path": str(article.path), "error": article.error})
            continue
        progress = _Progress(article.display_title[:40])
        # Paragraphs are printed or written as they come, not kept (see _JsonArticles).
        result = ArticleTranslation(article=article, target_language=target)
        finished = TranslationFinished()
        written = cut = 0
        try:
            for event in next(streams):
                if isinstance(event, TranslationStarted):
                    result.packages = event.packages
                elif isinstance(event, TranslationProgress):
                    progress.update(event.done, event.total)
                elif isinstance(event, ParagraphReady):
                    paragraph = event.paragraph
                    written += 1
                    cut += str(paragraph.status) == "truncated"
                    if output is None:
                        _print_paragraph(paragraph, first=written == 1, article=article,
                                         target=target)
                        continue
                    if written == 1:
                        head = result.to_json()
                        del head["paragraphs"]
                        output.begin(head)
                    output.paragraph(paragraph.to_json())
                elif isinstance(event, TranslationFinished):
                    finished = event
        except PackageError as error:
            progress.close()
            failures += 1
            _say(f"{PROG}: {article.path}: {error}")
            if output is not None:
                if written:  # already under way: its paragraphs so far, and the error
                    output.end({"error": str(error)})
                else:
                    output.whole({"path": str(article.path), "error": str(error)})
            continue
        progress.close()
        if cut:
            _warn(
                f"{article.path}: {plural(cut, 'paragraph')} cut short: the model "
                "did not finish (status truncated; not cached)"
            )
        if finished.error:
            failures += 1
            _say(f"{PROG}: {article.path}: translation failed: {finished.error}")
        if output is not None:
            if not written:
                output.begin({k: v for k, v in result.to_json().items() if k != "paragraphs"})
            output.end({"error": finished.error})
    if cache is not None:
        for warning in cache.warnings[warned:]:
            _warn(warning)
        cache.close()
    if output is not None:
        output.close()
    if not articles:
        raise CliError("no articles found (.txt, .md, .html)")
    return 1 if failures else 0


def _print_paragraph(paragraph, *, first: bool, article: Article, target: str) -> None:  # type: ignore[no-untyped-def]
    if first:
        print(f"# {article.display_title}  ({article.language} → {target})  [{article.path}]")
        print()
    print(paragraph.source)
    from reader.core.presentation.row_display import status_mark

    marker = {"passthrough": "=", "edited": "✎", "failed": "!", "truncated": "…"}.get(
        str(paragraph.status), "→"
    )
    mark = status_mark(paragraph.status)
    print(f"{marker} {paragraph.translation}" + (f" {mark}" if mark else ""))
    print()


# -- export ---------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    try:
        from reader.export.pdf import ExportRequest, export_articles
    except ImportError as error:  # pragma: no cover - the export module ships with the app
        raise CliError(f"PDF export is not available: {error}") from error

    target = _target(args.to)
    cache = _open_cache()
    engine = _engine(args.quality, cache)
    articles = _load_full(args.paths)
    progress = _Progress("export")
    request = ExportRequest(
        output=Path(args.output),
        target_language=target,
        layout=args.layout,
        page_size=args.page_size,
        also=args.also or (),
    )
    report = export_articles(engine, articles, request, progress=progress.update)
    progress.close()
    for message in report.messages:
        _say(f"{PROG}: {message}")
    for written in report.written:
        print(written)
    cache.close()
    return 0 if report.ok else 1


# -- models ---------------------------------------------------------------------------------------


def cmd_models(args: argparse.Namespace) -> int:
    from reader.core.models import store as packages

    action = args.models_action
    if action == "list":
        installed, broken = packages.scan_packages()
        for path, reason in broken:  # quarantined or damaged: named, one line each
            _warn(f"model folder {path.name} is not used: {reason}")
        if args.json:
            _print_json(
                [
                    {
                        "code": p.code,
                        "from": p.from_code,
                        "to": p.to_code,
                        "from_name": p.from_name,
                        "to_name": p.to_name,
                        "version": p.version,
                        "size_bytes": p.size_bytes,
                        "path": str(p.path),
                    }
                    for p in installed
                ]
            )
        elif not installed:
            _say(
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
    if action == "install":
        for file in args.files:
            installed_package = packages.install_package(Path(file))
            print(
                f"installed {installed_package.code} {installed_package.version} "
                f"({installed_package.from_name} → {installed_package.to_name})"
            )
        return 0
    if action == "remove":
        packages.uninstall_package(args.code)
        print(f"removed {args.code}")
        return 0
    if action == "available":
        available = packages.fetch_index()
        if args.json:
            _print_json([a.to_json() for a in available])
        else:
            for a in available:
                print(f"{a.from_code}_{a.to_code:<6} {a.version:<8} {a.from_name} → {a.to_name}")
        return 0
    if action == "download":
        progress = _Progress(f"download {args.code}")

        def report(done: int, total: int) -> None:
            if progress.enabled:
                sys.stderr.write(f"\rdownload {args.code}: {done / 1e6:.1f}/{total / 1e6:.1f} MB")
                progress.shown = True

        installed_package = packages.download_package(args.code, progress=report)
        progress.close()
        print(f"installed {installed_package.code} {installed_package.version}")
        return 0
    raise AssertionError(action)


# -- edit -----------------------------------------------------------------------------------------


def cmd_edit(args: argparse.Namespace) -> int:
    """Store the reader's translation of one paragraph, as the window's post-edit does."""
    from reader.core.models.store import PackageError

    def usage(message: str) -> int:
        _say(f"{PROG} edit: error: {message}")
        return 2

    text = args.text.strip()
    if not text:
        return usage("--text is empty; an edit needs text (the window reverts an edit)")
    target = _target(args.to)
    articles = _load_full([args.file])
    if len(articles) != 1:
        return usage(f"{args.file}: expected one article file, found {len(articles)}")
    article = articles[0]
    if not article.ok:
        raise CliError(f"{article.path}: {article.error}")
    count = len(article.paragraphs)
    if not 0 <= args.paragraph < count:
        return usage(
            f"--paragraph {args.paragraph} is out of range: {article.path.name} has paragraphs "
            f"0 to {count - 1} (the index that list --paragraphs shows)"
        )
    cache = _open_cache()
    try:
        if cache.in_memory:
            raise CliError("the edit was not stored: the translation cache cannot be written")
        engine = _engine("accurate", cache)
        try:
            paragraph = engine.paragraph_to_edit(article, target, args.paragraph)
        except PackageError as error:
            raise CliError(f"{article.path}: {error}") from error
        if not engine.set_edit(paragraph, target, text):
            raise CliError(f"the edit was not stored: {cache.last_error}")
    finally:
        cache.close()
    print(f"stored: paragraph {args.paragraph} of {article.path} ({paragraph.source_language} "
          f"→ {target})")
    return 0


# -- cache ----------------------------------------------------------------------------------------


def cmd_cache(args: argparse.Namespace) -> int:
    from reader.core.translation.cache import CacheWriteError

    cache = _open_cache()
    try:
        if args.cache_action == "stats":
            stats = cache.stats()
            if args.json:
                _print_json(stats.to_json())
            else:
                print(f"cache:       {stats.path}")
                print(f"entries:     {stats.entries}")
                print(f"sentences:   {stats.sentences}  (sentence memory)")
                print(f"user edits:  {stats.user_edits}")
                print(f"size:        {stats.size_bytes / 1e6:.2f} MB")
                for pair, count in stats.per_pair.items():
                    print(f"  {pair:<8} {count}")
            return 0
        if args.paths:
            from reader.core.translation.engine import article_cache_hashes

            articles = _load_full(args.paths)
            hashes = [h for a in articles if a.ok for h in article_cache_hashes(a)]
            for article in articles:
                if not article.ok:
                    _say(f"{PROG}: {article.path}: {article.error}")
            try:
                removed = cache.clear_hashes(hashes, include_edits=args.include_edits)
            except CacheWriteError as error:
                raise CliError(f"nothing more was removed: {error}") from error
            print(
                f"removed {plural(removed, 'cached translation')} of "
                f"{plural(len(articles), 'article')}"
            )
        else:
            try:
                removed = cache.clear(include_edits=args.include_edits)
            except CacheWriteError as error:
                raise CliError(f"nothing was removed: {error}") from error
            kept = "" if args.include_edits else " (post-edits kept: add --include-edits)"
            print(f"removed {plural(removed, 'cached translation')}{kept}")
        return 0
    finally:
        cache.close()


# -- search ---------------------------------------------------------------------------------------


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def _index(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a paragraph index from 0, got {value!r}")
    return number


def _also_formats(value: str) -> tuple[str, ...]:
    """``--also mono,html``: a usage error (exit 2) for a format we do not write."""
    from reader.core.presentation.export_document import ALSO_FORMATS as formats

    chosen = tuple(x.strip() for x in value.split(",") if x.strip())
    unknown = [x for x in chosen if x not in formats]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format {unknown[0]!r} (choose from {', '.join(formats)})"
        )
    return chosen


def cmd_search(args: argparse.Namespace) -> int:
    from reader.core.library.listing import load_library
    from reader.core.library.search import search_library

    targets = [Path(p) for p in args.paths] if args.paths else paths.default_library_paths()
    articles = load_library(targets, paragraph_languages=False)
    cache = _open_cache()
    try:
        # One more than asked: tells whether the list was cut.
        hits = search_library(
            articles, args.query, cache=cache, target_language=_target(args.to),
            limit=args.limit + 1,
        )
    finally:
        cache.close()
    cut = len(hits) > args.limit
    hits = hits[: args.limit]
    if args.json:
        _print_json([hit.to_json() for hit in hits])
    else:
        for hit in hits:
            side = "original" if hit.side == "source" else "translation"
            print(f"{hit.article_path.name}:{hit.paragraph_index + 1} [{side}] {hit.snippet}")
        if not hits:
            _say(f"no matches for {args.query!r}")
    if cut:
        shown = "the first match" if args.limit == 1 else f"the first {args.limit} matches"
        _say(f"{PROG}: showing {shown}; --limit N shows more")
    return 0


# -- the window -----------------------------------------------------------------------------------


def cmd_window(args: argparse.Namespace) -> int:
    from reader.ui.app import run

    return run([Path(p) for p in getattr(args, "paths", [])])


def cmd_desktop(args: argparse.Namespace) -> int:
    from reader import desktop

    done = desktop.install()
    print(f"launcher: {done.entry}")
    icons = done.entry.parent.parent / "icons" / "hicolor"
    print(f"icons:    {icons} ({plural(len(done.icons), 'file')})")
    print(f"command:  {done.command}")
    for note in done.notes:
        _say(f"{PROG}: {note}")
    return 0


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    # Read from the parser itself, so a command added later is a command here too.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def window_paths(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str] | None:
    """The files and folders to open the window on, or None when ``argv`` is a command.

    The rule: a known command name wins (``./list`` opens a file named "list"); anything
    else is a path, which must exist; ``--`` ends the options, so ``-- -odd.txt`` opens that
    file. An unknown word that is not an existing path is a usage error naming the commands.
    """
    if not argv:
        return []
    first = argv[0]
    if first == "--":
        candidates = list(argv[1:])
    elif first.startswith("-") or first in _command_names(parser):
        return None
    else:
        candidates = list(argv)
    for candidate in candidates:
        if candidate.startswith("-") and first != "--":
            parser.error(f"options go before the paths, or after `--`: {candidate}")
        if not os.path.lexists(candidate):
            commands = ", ".join(_command_names(parser))
            parser.error(
                f"{candidate!r} is neither a command nor an existing file or folder "
                f"(commands: {commands})"
            )
    return candidates


# -- parser ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [-h] [--version] [PATH ...] | {PROG} COMMAND ...",
        description="Read foreign-language news beside an offline translation. "
        "With no command, opens the window on the default library; with PATHs (files or "
        "folders), opens it on them, added to the library (to the window already open, if "
        "there is one).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog: each command's usage reads "bilingual-reader list [-h] ...", not the whole
    # top-level usage line followed by "list".
    commands = parser.add_subparsers(
        dest="command", parser_class=_Parser, prog=PROG, metavar="COMMAND", help="what to do"
    )

    listing = commands.add_parser("list", help="list the articles of files or folders")
    listing.add_argument(
        "paths", nargs="*", metavar="PATH", help="article files or folders (default: the library)"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object per article")
    listing.add_argument(
        "--paragraphs",
        action="store_true",
        help="also each paragraph's text and kind (JSON: paragraphs becomes a list)",
    )
    listing.set_defaults(handler=cmd_list)

    adding = commands.add_parser(
        "add", help="add web links or files to your library (links use the network)"
    )
    adding.add_argument(
        "sources", nargs="+", metavar="URL|FILE", help="http(s) links to fetch, or article files"
    )
    adding.add_argument(
        "--timeout", type=float, default=20.0,
        help="seconds to wait for a server (default 20); a whole fetch ends at 3× this",
    )
    adding.set_defaults(handler=cmd_add)

    def add_translation_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
        sub.add_argument(
            "--quality",
            choices=("fast", "accurate"),
            default="accurate",
            help="fast: beam 1; accurate: beam 4 (default)",
        )

    translate = commands.add_parser("translate", help="translate articles paragraph by paragraph")
    translate.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    add_translation_options(translate)
    translate.add_argument(
        "--json", action="store_true", help="one JSON list of articles with their paragraphs"
    )
    translate.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache"
    )
    translate.set_defaults(handler=cmd_translate)

    export = commands.add_parser("export", help="write a bilingual PDF")
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
        type=_also_formats,
        help="also write beside the PDF, comma-separated: mono (translation-only PDF), html, md",
    )
    export.set_defaults(handler=cmd_export)

    models = commands.add_parser("models", help="manage translation models (Argos packages)")
    models_actions = models.add_subparsers(
        dest="models_action",
        required=True,
        parser_class=_Parser,
        prog=f"{PROG} models",
        metavar="ACTION",
        help="what to do with the models",
    )
    models_list = models_actions.add_parser("list", help="installed models")
    models_list.add_argument("--json", action="store_true", help="one JSON object per model")
    models_install = models_actions.add_parser("install", help="install .argosmodel files")
    models_install.add_argument(
        "files", nargs="+", metavar="FILE.argosmodel", help="model files to install"
    )
    models_remove = models_actions.add_parser("remove", help="uninstall a model")
    models_remove.add_argument("code", metavar="CODE", help="e.g. fr_en")
    models_available = models_actions.add_parser(
        "available", help="models in the Argos index (uses the network)"
    )
    models_available.add_argument(
        "--json", action="store_true", help="one JSON object per model"
    )
    models_download = models_actions.add_parser(
        "download", help="download and install a model from the index (uses the network)"
    )
    models_download.add_argument("code", metavar="CODE", help="e.g. fr_en")
    models.set_defaults(handler=cmd_models)

    search = commands.add_parser(
        "search", help="search originals and cached translations (ignores case and accents)"
    )
    search.add_argument("query", metavar="QUERY", help="words to find (case and accents ignored)")
    search.add_argument("paths", nargs="*", metavar="PATH", help="default: the default library")
    search.add_argument("--to", metavar="LANG", help="which translations to search (default en)")
    search.add_argument(
        "--limit", type=_positive, default=500, help="at most this many matches (default 500)"
    )
    search.add_argument("--json", action="store_true", help="one JSON object per match")
    search.set_defaults(handler=cmd_search)

    edit = commands.add_parser(
        "edit", help="store your own translation of one paragraph (a post-edit, as the window's)"
    )
    edit.add_argument("file", metavar="FILE", help="the article file whose paragraph you translate")
    edit.add_argument(
        "--paragraph", "-p", type=_index, required=True, metavar="N",
        help="the paragraph's index, from 0, as list --paragraphs and translate --json show it",
    )
    edit.add_argument("--text", required=True, help="your translation of that paragraph")
    edit.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
    edit.set_defaults(handler=cmd_edit)

    cache = commands.add_parser("cache", help="inspect or clear the translation cache")
    cache_actions = cache.add_subparsers(
        dest="cache_action",
        required=True,
        parser_class=_Parser,
        prog=f"{PROG} cache",
        metavar="ACTION",
        help="what to do with the cache",
    )
    cache_stats = cache_actions.add_parser(
        "stats", help="where the cache is, its size and what it holds"
    )
    cache_stats.add_argument("--json", action="store_true", help="one JSON object")
    cache_clear = cache_actions.add_parser(
        "clear", help="clear everything, or only the given articles' translations"
    )
    cache_clear.add_argument(
        "paths", nargs="*", metavar="PATH", help="only these articles' translations"
    )
    cache_clear.add_argument(
        "--include-edits", action="store_true", help="also delete your post-edits"
    )
    cache.set_defaults(handler=cmd_cache)

    desktop = commands.add_parser("desktop", help="add the app to the desktop's launcher")
    desktop_actions = desktop.add_subparsers(
        dest="desktop_action",
        required=True,
        parser_class=_Parser,
        prog=f"{PROG} desktop",
        metavar="ACTION",
        help="what to do",
    )
    desktop_actions.add_parser(
        "install", help="install the launcher entry and icons under $XDG_DATA_HOME"
    )
    desktop.set_defaults(handler=cmd_desktop)
    return parser


def _configure_logging() -> None:
    """Warnings reach the user as our own one-line messages; without a handler, Python's
    last-resort handler would print them a second time (and tracebacks from log.exception)."""
    if os.environ.get("BILINGUAL_READER_DEBUG"):
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    elif not logging.getLogger().handlers:
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    _configure_logging()
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    opened = window_paths(arguments, parser)
    if opened is not None:
        args = argparse.Namespace(paths=opened, handler=cmd_window)
    else:
        args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_window)
    try:
        return _run_handler(handler, args)
    finally:
        _report_refusals()


def _report_refusals() -> None:
    """Cache and settings files refused as unsafe (another user's, writable by others, not
    a regular file): one line each; the command went on without them."""
    from reader.private_files import take_refusals

    for line in take_refusals():
        _warn(line)


def _run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:
        # `bilingual-reader list | head`: the reader went away; not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # the one place errors become a message instead of a traceback
        if os.environ.get("BILINGUAL_READER_DEBUG"):
            raise
        _say(f"{PROG}: error: {_describe(error)}")
        details = getattr(error, "details", None)
        if details:  # where and why, for whoever needs more than the one line above
            _say(f"  {details}")
        return 1
    finally:
        _warn_extraction_notices()


def _warn_extraction_notices() -> None:
    """A package missing for web pages (a broken install): one line each, once, after the
    command's output. Only when a page was read: the module is not imported otherwise."""
    extract = sys.modules.get("reader.core.articles.html_extract")
    for notice in getattr(extract, "notices", ()):
        _warn(notice)


def _describe(error: BaseException) -> str:
    from reader.core.models.store import PackageError

    if isinstance(error, (CliError, PackageError)):
        return str(error)
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{':' if where else ''}{where}"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
