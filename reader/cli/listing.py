"""``list``: the articles of files or folders, one line or one JSON object each."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reader.cli.common import library_targets
from reader.cli.output import PROG, CliError, Commands, print_json, say
from reader.core.util.wording import plural

if TYPE_CHECKING:
    from reader.core.articles.article import Article


NAME = "list"


def register(commands: Commands) -> None:
    listing = commands.add_parser(NAME, help="list the articles of files or folders")
    listing.add_argument(
        "paths", nargs="*", metavar="PATH", help="article files or folders (default: the library)"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object per article")
    listing.add_argument(
        "--paragraphs",
        action="store_true",
        help="also each paragraph's text and kind (JSON: paragraphs becomes a list)",
    )
    listing.set_defaults(handler=run)


def article_json(article: Article, *, paragraphs: bool = False) -> dict[str, object]:
    """One article of ``list --json``; a book (EPUB) adds ``kind: "book"`` and its
    ``chapters`` (title, role front/body/back, first paragraph, paragraph count). An
    article's object is unchanged (no ``kind``: read a missing one as "article")."""
    from reader.core.articles.article import ArticleKind, ParagraphKind

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
    if article.kind is ArticleKind.BOOK:
        summary["kind"] = article.kind.value
        summary["chapters"] = [
            {"title": c.title, "role": c.role.value, "start": c.start, "paragraphs": c.count}
            for c in article.chapters
        ]
    if paragraphs:
        # Asked for: the count becomes the list itself (as in translate --json).
        summary["paragraphs"] = [
            {"index": p.index, "kind": p.kind.value, "language": p.language, "text": p.text}
            for p in article.paragraphs
        ]
    return summary


def run(args: argparse.Namespace) -> int:
    import gc

    from reader.core.library.listing import load_library

    targets = library_targets(args.paths)
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
        print_json([article_json(a, paragraphs=args.paragraphs) for a in articles])
    else:
        for article in articles:
            if article.path in missing:
                continue  # said once, on stderr, below
            _print_article(article, paragraphs=args.paragraphs)
    if not articles:
        raise CliError("no articles found (.txt, .md, .html, .epub)")
    for path in missing:
        say(f"{PROG}: {path}: no such file or directory")
    return 1 if missing else 0


def _print_article(article: Article, *, paragraphs: bool) -> None:
    if not article.ok:
        print(f"{'error':<10} {'':<3} {'':>6}        {article.path}: {article.error}")
        return
    date = article.date or "-------"
    chapters = f"  ({plural(len(article.chapters), 'chapter')})" if article.chapters else ""
    print(
        f"{date:<10} {article.language:<3} {article.words:>6} words  "
        f"{article.display_title}{chapters}  [{article.path}]"
    )
    if paragraphs:
        for p in article.paragraphs:
            text = " ".join(p.text.split())
            print(f"    {p.index:>4} {p.kind.value:<11} {text}")
