"""The export model and its Markdown/HTML renderers (no Qt, no model: translations are built
by hand from parsed seed articles, so the expected text is known)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.presentation.export_document import (
    EDITED_NOTE,
    FAILED_PLACEHOLDER,
    PENDING_PLACEHOLDER,
    BilingualDocument,
    ExportArticle,
    as_articles,
    build_article,
    build_document,
    display_text,
    md_escape,
    to_html,
    to_markdown,
)
from reader.core.translation.results import (
    ArticleTranslation,
    PackageRef,
    ParagraphStatus,
    ParagraphTranslation,
)

SEED_002 = Path(__file__).resolve().parents[2] / "seeds" / "002_5cd07c1ed0724f90.txt"
FR_EN = PackageRef("translate-fr_en", "fr", "en", "1.9")


def fake_text(paragraph: Paragraph, long: bool = False) -> str:
    """A recognisable stand-in translation: a tag naming the paragraph, then its words
    reversed (so it never equals the original), twice over for ``long`` ones."""
    words = " ".join(reversed(paragraph.text.split()))
    return f"EN{paragraph.index} {words}" + (f" {words}" if long else "")


def fake_translation(
    article: Article,
    *,
    target: str = "en",
    edited: tuple[int, ...] = (),
    failed: tuple[int, ...] = (),
    missing: tuple[int, ...] = (),
    long_every: int = 0,
) -> ArticleTranslation:
    """What the engine would return, with chosen paragraphs edited, failed or not reached.
    Paragraphs already in ``target`` pass through, as the engine does."""
    paragraphs: list[ParagraphTranslation] = []
    for p in article.paragraphs:
        if p.index in missing:
            continue
        machine = fake_text(p, long=bool(long_every) and p.index % long_every == 0)
        status, text, kept = ParagraphStatus.TRANSLATED, machine, None
        if p.language == target:
            status, text = ParagraphStatus.PASSTHROUGH, p.text
        elif p.index in failed:
            status, text = ParagraphStatus.FAILED, ""
        elif p.index in edited:
            status, text, kept = ParagraphStatus.EDITED, f"EN{p.index} my own words", machine
        paragraphs.append(
            ParagraphTranslation(
                p.index, p.text, text, p.kind, status, p.language, machine_translation=kept
            )
        )
    return ArticleTranslation(article, target, (FR_EN,), paragraphs)


@pytest.fixture(scope="module")
def seed_article() -> Article:
    article = parse_file(SEED_002)
    assert article.ok and article.paragraphs[0].kind is ParagraphKind.TITLE
    return article


def test_header_has_both_titles_and_the_provenance(seed_article: Article) -> None:
    exported = build_article(fake_translation(seed_article))
    header = exported.header
    title = seed_article.paragraphs[0]
    assert header.title == title.text
    assert header.title_translation == fake_text(title)
    assert header.byline == seed_article.byline == "Jessie Neal"
    assert header.source_name == SEED_002.name
    assert header.language_pair == "French → English"
    assert header.packages_label == "translate-fr_en 1.9"
    meta = "\n".join(header.meta_lines())
    for part in ("Jessie Neal", SEED_002.name, "French → English", "translate-fr_en 1.9"):
        assert part in meta


def test_rows_follow_the_article_and_the_title_is_not_repeated(seed_article: Article) -> None:
    exported = build_article(fake_translation(seed_article))
    assert exported.title_index == 0
    assert [row.index for row in exported.rows] == [p.index for p in seed_article.paragraphs[1:]]
    assert [row.kind for row in exported.rows] == [p.kind for p in seed_article.paragraphs[1:]]


def test_rows_show_what_the_reader_sees(seed_article: Article) -> None:
    english = [p.index for p in seed_article.paragraphs if p.language == "en"]
    assert english, "seed 002 ends with English boilerplate"
    translation = fake_translation(seed_article, edited=(2,), failed=(3,), missing=(4,))
    rows = {row.index: row for row in build_article(translation).rows}

    assert rows[2].edited and rows[2].shown == "EN2 my own words" and rows[2].note == EDITED_NOTE
    assert rows[3].missing and rows[3].shown == FAILED_PLACEHOLDER
    assert rows[4].missing and rows[4].status is ParagraphStatus.PENDING
    assert rows[4].shown == PENDING_PLACEHOLDER
    passthrough = rows[english[0]]
    assert passthrough.passthrough and passthrough.shown == passthrough.source
    assert passthrough.note == "(unchanged: already English)"
    assert rows[5].shown == fake_text(seed_article.paragraphs[5]) and rows[5].note is None


def test_display_text_joins_hard_wraps_but_keeps_no_break_spaces() -> None:
    assert display_text("  Le  chat\r\n  dort.\n") == "Le chat dort."
    assert display_text("« 2\u00a0000 »") == "« 2\u00a0000 »"
    assert display_text("e\u0301te\u0301") == "été"  # NFC


def test_untranslated_title_falls_back_to_the_article_title(tmp_path: Path) -> None:
    article = Article(
        path=tmp_path / "x.txt",
        title="Sans titre",
        language="fr",
        paragraphs=(Paragraph(0, "Un seul paragraphe.", ParagraphKind.BODY, "fr"),),
    )
    exported = build_article(fake_translation(article))
    assert exported.header.title == "Sans titre" and exported.header.title_translation is None
    assert exported.title_index is None and len(exported.rows) == 1


def test_as_articles_accepts_documents_articles_and_mixes(seed_article: Article) -> None:
    one = build_article(fake_translation(seed_article))
    document = BilingualDocument((one, one), "en")
    assert as_articles(document) == [one, one]
    assert as_articles(one) == [one]
    assert as_articles([document, one]) == [one, one, one]
    with pytest.raises(TypeError):
        as_articles(["not an article"])


# -- Markdown ------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(text.split())


def _in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"missing or out of order: {needle[:70]!r}"
        position = found + len(needle)


def test_markdown_is_bilingual_in_order(seed_article: Article) -> None:
    translation = fake_translation(seed_article, edited=(2,))
    exported = build_article(translation)
    markdown = to_markdown(BilingualDocument((exported,), "en"))
    assert markdown.startswith(f"# {md_escape(exported.header.title)}\n")
    expected: list[str] = []
    for row in exported.rows:
        expected.append(md_escape(row.source))
        if not row.passthrough:
            expected.append(md_escape(row.shown))
    _in_order(markdown, expected)
    for row in exported.rows:
        if row.passthrough:  # printed once, marked
            assert markdown.count(md_escape(row.source)) == 1
    assert "*\\(unchanged: already English)*" not in markdown  # parentheses need no escape
    assert "*(unchanged: already English)*" in markdown
    assert f"> {md_escape('EN2 my own words')} *{EDITED_NOTE}*" in markdown


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*gras* et _italique_", r"\*gras\* et \_italique\_"),
        ("voir [ceci](http://x) <b>", r"voir \[ceci\](http://x) \<b\>"),
        ("AT&T `code` a|b ~x~", r"AT\&T \`code\` a\|b \~x\~"),
        ("# pas un titre", r"\# pas un titre"),
        ("- pas une liste", r"\- pas une liste"),
        ("> pas une citation", r"\> pas une citation"),
        ("1. pas une liste", r"1\. pas une liste"),
        ("back\\slash", r"back\\slash"),
        ("« Bonjour ! » – l’été", "« Bonjour ! » – l’été"),
    ],
)
def test_markdown_escaping(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_markdown_of_several_articles_separates_them(seed_article: Article) -> None:
    one = fake_translation(seed_article)
    markdown = to_markdown(build_document([one, one]))
    assert markdown.count("\n* * *\n") == 1
    assert len(re.findall(r"^# ", markdown, flags=re.M)) == 2


# -- HTML ----------------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.texts: list[str] = []

    _VOID = frozenset({"meta", "br", "hr", "img", "link"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_html_is_escaped_well_formed_and_bilingual(seed_article: Article) -> None:
    nasty = "<script>alert('x')</script> & « guillemets » \"quoted\""
    paragraphs = list(seed_article.paragraphs)
    paragraphs[1] = replace(paragraphs[1], text=nasty)
    article = replace(seed_article, paragraphs=tuple(paragraphs))
    document = build_document([fake_translation(article)])
    page = to_html(document)

    assert "<script>" not in page
    assert html.escape(nasty, quote=True) in page
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert 'class="source" lang="fr" dir="auto"' in page
    assert 'class="translation" lang="en" dir="auto"' in page

    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    text = "".join(parser.texts)
    exported = document.articles[0]
    expected = [exported.header.title]
    for row in exported.rows:
        expected.append(row.source)
        if not row.passthrough:
            expected.append(row.shown)
    _in_order(_squash(text), [_squash(x) for x in expected])
    for row in exported.rows:
        if row.passthrough:
            assert _squash(text).count(_squash(row.source)) == 1


def test_export_article_is_plain_data(seed_article: Article) -> None:
    exported = build_article(fake_translation(seed_article))
    assert isinstance(exported, ExportArticle)
    with pytest.raises(AttributeError):
        exported.rows = ()  # type: ignore[misc]
