"""``words``: the reader's saved words — add one from an article, list them, delete some,
export them to Anki (``.apkg``) or CSV."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path

from reader.cli.common import DEFAULT_TARGET, engine, load_full, open_cache, target
from reader.cli.output import PROG, CliError, Commands, Parser, print_json, say, warn
from reader.core.util.wording import plural

NAME = "words"


def register(commands: Commands) -> None:
    parser = commands.add_parser(NAME, help="saved words: add, list, remove, export to Anki")
    actions = parser.add_subparsers(
        dest="words_action", required=True, parser_class=Parser, prog=f"{PROG} words",
        metavar="ACTION", help="what to do with the saved words",
    )
    add = actions.add_parser(
        "add", help="save a word with its sentence, translation and meaning from an article"
    )
    add.add_argument("word", metavar="WORD", help="the word as it appears in the article")
    add.add_argument("--from", dest="file", metavar="FILE", required=True,
                     help="the article file (its first sentence with WORD is kept)")
    add.add_argument("--to", metavar="LANG", help=f"target language (default {DEFAULT_TARGET})")
    add.add_argument("--lang", metavar="LANG",
                     help="the article's language, when detection cannot tell (a short text)")
    add.add_argument("--json", action="store_true", help="the saved word as JSON")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="the saved words, newest first")
    listing.add_argument("--filter", metavar="TEXT", default="",
                         help="only words whose word, lemma, sentence or translation has TEXT")
    listing.add_argument("--json", action="store_true", help="one JSON object per word")
    listing.set_defaults(handler=run_list)
    remove = actions.add_parser("remove", help="delete saved words by id (words list shows it)")
    remove.add_argument("ids", nargs="+", type=int, metavar="ID", help="the words' ids")
    remove.set_defaults(handler=run_remove)
    export = actions.add_parser("export", help="write the saved words as an Anki deck or CSV")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="FILE.apkg (an Anki package) or FILE.csv")
    export.add_argument("--filter", metavar="TEXT", default="", help="as words list --filter")
    export.set_defaults(handler=run_export)


def _one_line(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """The word list's own failures (a damaged or unsafe file) as the command's one line."""
    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from reader.core.words.saved import WordsError

        try:
            return handler(args)
        except WordsError as error:
            raise CliError(str(error)) from error

    return run


@_one_line
def run_add(args: argparse.Namespace) -> int:
    from reader.core.words.capture import capture
    from reader.core.words.context import locate

    language = target(args.to)
    articles = load_full([args.file])
    if len(articles) != 1:
        raise CliError(f"{args.file}: expected one article file, found {len(articles)}")
    article = articles[0]
    if not article.ok:
        raise CliError(f"{article.path}: {article.error}")
    if args.lang:
        article = article.with_source_language(target(args.lang))
    found = locate(article, args.word)
    if found is None:
        raise CliError(f"{args.word!r} is not in {article.path.name}")
    index, offset = found
    cache = open_cache()
    notes: list[str] = []
    try:
        saved = capture(article, index, offset, args.word.strip(), language,
                        engine=engine("accurate", cache), notes=notes)
    finally:
        cache.close()
    for note in notes:
        warn(note)
    if args.json:
        print_json(saved.as_json())
    else:
        lemma = f" ({saved.lemma})" if saved.lemma and saved.lemma != saved.word else ""
        print(f"saved {saved.id}: {saved.word}{lemma} — {saved.sentence}")
    return 0


@_one_line
def run_list(args: argparse.Namespace) -> int:
    from reader.core.words.saved import SavedWords

    words = SavedWords().list(args.filter)
    if args.json:
        print_json([w.as_json() for w in words])
    elif not words:
        say(f"no saved words; save one with the window's Save word (S) or '{PROG} words add'")
    else:
        for w in words:
            lemma = f" ({w.lemma})" if w.lemma and w.lemma != w.word else ""
            target_word = f" → {w.target_word}" if w.target_word else ""
            print(f"{w.id:>4}  {w.word}{lemma}{target_word}  — {w.sentence}")
    return 0


@_one_line
def run_remove(args: argparse.Namespace) -> int:
    from reader.core.words.saved import SavedWords

    store = SavedWords()
    known = {w.id for w in store.list()}
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        raise CliError(f"no saved word with id {', '.join(map(str, unknown))} (see: words list)")
    count = store.delete(args.ids)
    print(f"removed {plural(count, 'word')}")
    return 0


@_one_line
def run_export(args: argparse.Namespace) -> int:
    from reader.core.words.anki import write_apkg, write_csv
    from reader.core.words.saved import SavedWords

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in (".apkg", ".csv"):
        say(f"{PROG} words export: error: -o expects FILE.apkg or FILE.csv (got {output.name})")
        return 2
    if output.is_dir():
        raise CliError(f"{output} is a folder; name a file to write")
    if not output.parent.is_dir():
        raise CliError(f"no such folder: {output.parent}")
    words = SavedWords().list(args.filter)
    if not words:
        raise CliError("no saved words to export")
    count = (write_apkg if suffix == ".apkg" else write_csv)(words, output)
    print(f"exported {plural(count, 'word')} to {output}")
    return 0
