"""``edit``: the reader's own translation of one paragraph, stored as the window's post-edit."""

from __future__ import annotations

import argparse

from reader.cli.common import DEFAULT_TARGET, engine, load_full, open_cache, target
from reader.cli.output import PROG, CliError, Commands, say

NAME = "edit"


def register(commands: Commands) -> None:
    edit = commands.add_parser(
        NAME, help="store your own translation of one paragraph (a post-edit, as the window's)"
    )
    edit.add_argument("file", metavar="FILE", help="the article file whose paragraph you translate")
    edit.add_argument(
        "--paragraph", "-p", type=paragraph_index, required=True, metavar="N",
        help="the paragraph's index, from 0, as list --paragraphs and translate --json show it",
    )
    edit.add_argument("--text", required=True, help="your translation of that paragraph")
    edit.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
    edit.set_defaults(handler=run)


def paragraph_index(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a paragraph index from 0, got {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    """Store the reader's translation of one paragraph, as the window's post-edit does."""
    from reader.core.models.store import PackageError

    def usage(message: str) -> int:
        say(f"{PROG} edit: error: {message}")
        return 2

    text = args.text.strip()
    if not text:
        return usage("--text is empty; an edit needs text (the window reverts an edit)")
    language = target(args.to)
    articles = load_full([args.file])
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
    cache = open_cache()
    try:
        if cache.in_memory:
            raise CliError("the edit was not stored: the translation cache cannot be written")
        translator = engine("accurate", cache)
        try:
            paragraph = translator.paragraph_to_edit(article, language, args.paragraph)
        except PackageError as error:
            raise CliError(f"{article.path}: {error}") from error
        if not translator.set_edit(paragraph, language, text):
            raise CliError(f"the edit was not stored: {cache.last_error}")
    finally:
        cache.close()
    print(f"stored: paragraph {args.paragraph} of {article.path} ({paragraph.source_language} "
          f"→ {language})")
    return 0
