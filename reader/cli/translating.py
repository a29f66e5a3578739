"""``translate``: articles paragraph by paragraph, as text or as one JSON list written as it
is made (see ``output.JsonArticles``)."""

from __future__ import annotations

import argparse
import sys
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
from reader.cli.output import PROG, CliError, Commands, JsonArticles, say, warn
from reader.core.util.wording import plural

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.results import ArticleTranslation, ParagraphTranslation


NAME = "translate"


def register(commands: Commands) -> None:
    translate = commands.add_parser(NAME, help="translate articles paragraph by paragraph")
    translate.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    add_translation_options(translate)
    translate.add_argument(
        "--json", action="store_true", help="one JSON list of articles with their paragraphs"
    )
    translate.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache"
    )
    translate.add_argument(
        "--words", action="store_true",
        help="with --json: each sentence's word pairs (source_span / target_span), from the "
        "model's attention",
    )
    translate.add_argument(
        "--alternatives", type=alternatives_count, default=0, metavar="N",
        help="with --json: each sentence's N best translations (1-16), the one shown first",
    )
    translate.set_defaults(handler=run)


def alternatives_count(value: str) -> int:
    from reader.core.words.alternatives import MAX_COUNT

    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to {MAX_COUNT}, got {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    from reader.core.models.store import PackageError
    from reader.core.server.choice import device_label
    from reader.core.translation.engine import (
        ParagraphReady,
        TranslationFinished,
        TranslationStarted,
    )
    from reader.core.translation.results import (
        ArticleTranslation,
        ParagraphStatus,
        TranslationProgress,
    )
    from reader.core.words.extras import paragraph_json

    if (args.words or args.alternatives) and not args.json:
        say(f"{PROG} translate: error: --words and --alternatives go with --json")
        return 2
    if (args.words or args.alternatives) and args.server:
        say(f"{PROG} translate: error: --words and --alternatives need the installed "
            "models (a server sends no attention or alternatives)")
        return 2
    misuse = server_usage(args)
    if misuse:
        say(f"{PROG} translate: error: {misuse}")
        return 2
    language = target(args.to)
    cache = None if args.no_cache else open_cache()
    warned = len(cache.warnings) if cache is not None else 0
    translator = engine(args.quality, cache, args)
    articles = load_full(args.paths)
    # One pipeline for all the files: the next article's first sentences are decoded while
    # the last ones of the article before finish (see TranslationEngine.translate_many).
    try:
        streams = iter(translator.translate_many(
            [article for article in articles if article.ok], language,
            use_cache=not args.no_cache,
        ))
    except PackageError as error:  # a server that cannot be reached: nothing was sent
        raise CliError(str(error)) from None
    failures = 0
    output = JsonArticles(sys.stdout) if args.json else None
    for article in articles:
        if not article.ok:
            failures += 1
            say(f"{PROG}: {article.path}: {article.error}")
            if output is not None:
                output.whole({"path": str(article.path), "error": article.error})
            continue
        progress = Progress(article.display_title[:40])
        # Paragraphs are printed or written as they come, not kept (see JsonArticles).
        result = ArticleTranslation(article=article, target_language=language)
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
                    cut += paragraph.status is ParagraphStatus.TRUNCATED
                    if output is None:
                        print_paragraph(paragraph, first=written == 1, article=article,
                                        target=language)
                        continue
                    if written == 1:
                        output.begin(_head(result))
                    output.paragraph(paragraph_json(
                        translator, paragraph, language, words=args.words,
                        alternatives=args.alternatives,
                    ))
                elif isinstance(event, TranslationFinished):
                    finished = event
        except PackageError as error:
            progress.close()
            failures += 1
            say(f"{PROG}: {article.path}: {error}")
            if output is not None:
                if written:  # already under way: its paragraphs so far, and the error
                    output.end({"error": str(error)})
                else:
                    output.whole({"path": str(article.path), "error": str(error)})
            continue
        progress.close()
        if cut:
            warn(
                f"{article.path}: {plural(cut, 'paragraph')} cut short: the model "
                "did not finish (status truncated; not cached)"
            )
        if finished.error:
            failures += 1
            say(f"{PROG}: {article.path}: translation failed: {finished.error}")
        if output is not None:
            if not written:
                output.begin(_head(result))
            # Which device translated ("cpu", "cuda" or "libretranslate"): known once the
            # model is loaded, so it closes the article.
            output.end({"error": finished.error, "device": device_label(translator)})
    if cache is not None:
        for warning in cache.warnings[warned:]:
            warn(warning)
        cache.close()
    if output is not None:
        output.close()
    if not articles:
        raise CliError("no articles found (.txt, .md, .html)")
    say_where(args, translator)
    return 1 if failures else 0


def _head(result: ArticleTranslation) -> dict[str, object]:
    """An article's JSON fields before its paragraphs: the result's own ``to_json``."""
    head = result.to_json()
    del head["paragraphs"]
    return head


def print_paragraph(
    paragraph: ParagraphTranslation, *, first: bool, article: Article, target: str
) -> None:
    """One paragraph of the text output: the original, then a marked translation."""
    from reader.core.presentation.row_display import status_mark
    from reader.core.translation.results import ParagraphStatus

    if first:
        print(f"# {article.display_title}  ({article.language} → {target})  [{article.path}]")
        print()
    print(paragraph.source)
    marker = {
        ParagraphStatus.PASSTHROUGH: "=",
        ParagraphStatus.EDITED: "✎",
        ParagraphStatus.FAILED: "!",
        ParagraphStatus.TRUNCATED: "…",
    }.get(paragraph.status, "→")
    mark = status_mark(paragraph.status)
    print(f"{marker} {paragraph.translation}" + (f" {mark}" if mark else ""))
    print()
