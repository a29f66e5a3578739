"""What an export prints, independent of the output format. Plain data, no Qt.

An ``ExportArticle`` is one translated article as the reader sees it: a header (title in
both languages, date, byline, file, language pair, model packages) and ordered rows
(original, shown translation, kind, status). A ``BilingualDocument`` is the articles that go
into one output file. The PDF writer (``reader.export.pdf``) lays these out; the Markdown and
HTML renderers live here because they need nothing but strings.

Rows follow the one row-display rule (``reader.core.presentation.row_display``, which the
reading view calls too), so an export never disagrees with the screen:

- a post-edit (``EDITED``) is printed instead of the machine text;
- a passthrough paragraph (already in the target language, a number, a URL) is printed
  once, with a note, never twice;
- a paragraph with no translation (failed, or cancelled before it was reached) keeps its
  original and shows a placeholder instead of an empty space that looks like a bug;
- a translation the model did not finish (``TRUNCATED``) is printed with ``status_mark``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.articles.article import Article, ArticleKind, ParagraphKind
from reader.core.language.names import language_name
from reader.core.presentation.row_display import (
    PassthroughReason,
    RowState,
    row_display,
    status_mark,
)
from reader.core.translation.results import ArticleTranslation, PackageRef, ParagraphStatus

# Shown where a paragraph has no translation; kept short so it reads as a note, not as text.
# Extra files an export can write beside its PDF (``--also``): a translation-only PDF
# (OUT.mono.pdf), bilingual HTML and Markdown. Here, not in export/pdf.py, so the command
# line can check ``--also`` without importing Qt.
ALSO_FORMATS: tuple[str, ...] = ("mono", "html", "md")
FAILED_PLACEHOLDER = "[translation failed]"
PENDING_PLACEHOLDER = "[not translated]"
EDITED_NOTE = "(edited)"

def package_label(package: PackageRef) -> str:
    """``translate-fr_en 1.9``: the name argospm and the model list use, plus the version."""
    return f"{package.code} {package.version}".strip()


# -- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One paragraph as printed. ``source`` and ``translation`` are display text: NFC with
    white space collapsed (a file's hard line wraps are not the author's line breaks)."""

    index: int
    kind: ParagraphKind
    status: ParagraphStatus
    source: str
    translation: str  # what the reader sees; "" when there is none (see ``shown``)
    source_language: str
    target_language: str
    passthrough_reason: PassthroughReason | None = None

    @property
    def passthrough(self) -> bool:
        return self.status is ParagraphStatus.PASSTHROUGH

    @property
    def edited(self) -> bool:
        return self.status is ParagraphStatus.EDITED

    @property
    def missing(self) -> bool:
        """No translation to show (failed, or never reached)."""
        return not self.passthrough and not self.translation

    @property
    def shown(self) -> str:
        """The translation column's text, with a placeholder where there is none."""
        if self.passthrough:
            return self.source
        if self.translation:
            return self.translation
        if self.status is ParagraphStatus.FAILED:
            return FAILED_PLACEHOLDER
        return PENDING_PLACEHOLDER

    @property
    def note(self) -> str | None:
        """The small mark printed beside the row, or None."""
        if self.passthrough:
            reason = self.passthrough_reason
            if reason is PassthroughReason.ALREADY_TARGET or (
                reason is None and self.source_language == self.target_language
            ):
                return f"(unchanged: already {language_name(self.target_language)})"
            return "(unchanged)"
        if self.edited:
            return EDITED_NOTE
        return status_mark(self.status)


@dataclass(frozen=True, slots=True)
class ExportHeader:
    title: str
    title_translation: str | None  # None when there is none or it equals ``title``
    date: str | None
    byline: str | None
    section: str | None
    source_name: str  # the article's file name
    source_language: str
    target_language: str
    packages: tuple[PackageRef, ...]

    @property
    def language_pair(self) -> str:
        return f"{language_name(self.source_language)} → {language_name(self.target_language)}"

    @property
    def packages_label(self) -> str:
        return ", ".join(package_label(p) for p in self.packages) or "none"

    def meta_lines(self) -> list[str]:
        """The header's small print, one line each, in the order every renderer uses."""
        first = " · ".join(x for x in (self.date, self.byline, self.section) if x)
        lines = [first] if first else []
        lines.append(f"Source: {self.source_name}")
        lines.append(f"{self.language_pair} · Models: {self.packages_label}")
        return lines


@dataclass(frozen=True, slots=True)
class ExportArticle:
    header: ExportHeader
    rows: tuple[ExportRow, ...]
    # The paragraph shown as the header's title (not repeated among the rows), if any.
    title_index: int | None = None

    @property
    def bookmark(self) -> str:
        """The outline entry: the original title, the article's name in the library."""
        return self.header.title

    @property
    def source_language(self) -> str:
        return self.header.source_language

    @property
    def target_language(self) -> str:
        return self.header.target_language


@dataclass(frozen=True, slots=True)
class BilingualDocument:
    """The articles written into one output file, in order."""

    articles: tuple[ExportArticle, ...]
    target_language: str

    @property
    def title(self) -> str:
        if len(self.articles) == 1:
            return self.articles[0].header.title
        return f"{len(self.articles)} articles ({language_name(self.target_language)})"

    def to_markdown(self) -> str:
        return to_markdown(self)

    def to_html(self) -> str:
        return to_html(self)


_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def display_text(text: str) -> str:
    """NFC, with runs of ASCII white space made one space (a file's hard wraps are not the
    author's line breaks). No-break spaces stay: French puts them inside « » and in
    "2 000", and a line must not break there."""
    return _ASCII_SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _title_paragraph(article: Article) -> int | None:
    if article.kind is ArticleKind.BOOK:
        return None  # its headings are its chapters' titles: the header is the book's title
    for paragraph in article.paragraphs:
        if paragraph.kind is ParagraphKind.TITLE:
            return paragraph.index
    return None


def build_article(translation: ArticleTranslation) -> ExportArticle:
    """The printable form of a translation (complete or not: missing rows get a placeholder)."""
    article = translation.article
    target = translation.target_language
    by_index = {p.index: p for p in translation.paragraphs}
    rows: list[ExportRow] = []
    for paragraph in article.paragraphs:
        done = by_index.get(paragraph.index)
        display = row_display(paragraph.text, done)
        status = done.status if done is not None else ParagraphStatus.PENDING
        language = done.source_language if done is not None else paragraph.language
        shown = paragraph.text if display.state is RowState.PASSTHROUGH else display.target
        rows.append(
            ExportRow(
                index=paragraph.index,
                kind=paragraph.kind,
                status=status,
                source=display_text(paragraph.text),
                translation=display_text(shown),
                source_language=language or article.language,
                target_language=target,
                passthrough_reason=display.passthrough_reason,
            )
        )

    title_index = _title_paragraph(article)
    title = display_text(article.display_title)
    title_translation: str | None = None
    if title_index is not None:
        title_row = rows[title_index]
        title = title_row.source
        if not title_row.passthrough and not title_row.missing:
            title_translation = title_row.translation
        # The title is the header; printing it again as the first row would duplicate it.
        rows = [row for row in rows if row.index != title_index]
    if title_translation == title:
        title_translation = None

    header = ExportHeader(
        title=title,
        title_translation=title_translation,
        date=article.date,
        byline=article.byline,
        section=article.section,
        source_name=article.path.name,
        source_language=article.language,
        target_language=target,
        packages=tuple(translation.packages),
    )
    return ExportArticle(header=header, rows=tuple(rows), title_index=title_index)


def build_document(
    translations: Iterable[ArticleTranslation], target_language: str | None = None
) -> BilingualDocument:
    articles = tuple(build_article(t) for t in translations)
    if target_language is None:
        target_language = articles[0].target_language if articles else "en"
    return BilingualDocument(articles=articles, target_language=target_language)


def as_articles(
    documents: BilingualDocument | ExportArticle | Iterable[object],
) -> list[ExportArticle]:
    """Accept a document, an article, or any mix of them (what ``write_pdf`` is given)."""
    if isinstance(documents, BilingualDocument):
        return list(documents.articles)
    if isinstance(documents, ExportArticle):
        return [documents]
    result: list[ExportArticle] = []
    for item in documents:
        if isinstance(item, (BilingualDocument, ExportArticle)):
            result.extend(as_articles(item))
        else:
            raise TypeError(f"not an export article or document: {type(item).__name__}")
    return result


# -- Markdown ----------------------------------------------------------------------------------

# Backslash-escaping any ASCII punctuation is valid CommonMark; these are the characters that
# can open or close markup inside a line (emphasis, code, links and images, HTML, tables,
# strike-through, entities). "!" needs no escape: an image needs "[", which is escaped.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Markup only at the start of a line: bullets, quotes, headings, rules, setext underlines...
_MD_LINE_START = re.compile(r"^(\s*)([-+=>#])")
# ...and ordered lists, where the escape goes on the "." or ")" (a digit cannot be escaped).
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_escape(text: str) -> str:
    escaped = _MD_INLINE.sub(r"\\\1", text)
    escaped = _MD_LINE_START.sub(r"\1\\\2", escaped)
    return _MD_ORDERED.sub(r"\1\\\2", escaped)


def _md_article(article: ExportArticle) -> list[str]:
    header = article.header
    out = [f"# {md_escape(header.title)}", ""]
    if header.title_translation:
        out += [f"*{md_escape(header.title_translation)}*", ""]
    out += [f"- {md_escape(line)}" for line in header.meta_lines()]
    out += ["", "---", ""]
    for row in article.rows:
        source = md_escape(row.source)
        if row.kind is ParagraphKind.TITLE:
            source = f"## {source}"
        elif row.kind in (ParagraphKind.CAPTION, ParagraphKind.BOILERPLATE, ParagraphKind.NOTE):
            source = f"<small>{source}</small>"
        if row.passthrough:
            out += [f"{source} *{md_escape(row.note or '')}*", ""]
            continue
        translation = md_escape(row.shown)
        if row.note:
            translation += f" *{md_escape(row.note)}*"
        out += [source, "", f"> {translation}", ""]
    return out


def to_markdown(document: BilingualDocument) -> str:
    """Interleaved Markdown: each original paragraph, then its translation as a quote."""
    lines: list[str] = []
    for number, article in enumerate(document.articles):
        if number:
            lines += ["", "* * *", ""]
        lines += _md_article(article)
    return "\n".join(lines).rstrip() + "\n"


# -- HTML --------------------------------------------------------------------------------------

_CSS = """
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.45;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
article + article { margin-top: 4rem; border-top: 1px solid #ccc; page-break-before: always; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.title-translation { font-size: 1.2rem; font-style: italic; color: #1f3b63; margin-top: 0; }
.meta { font-family: "DejaVu Sans", sans-serif; font-size: .8rem; color: #666; margin: 0; }
.rows { margin-top: 1.5rem; }
.row { display: grid; grid-template-columns: 1fr 1fr; column-gap: 2rem; margin: 0 0 .8rem; }
.row p { margin: 0; }
.translation { color: #1f3b63; }
.note { font-family: "DejaVu Sans", sans-serif; font-size: .75rem; color: #888; }
.row.title p { font-weight: bold; font-size: 1.15rem; }
.row.lede p { font-weight: bold; }
.row.quote p { font-style: italic; }
.row.caption p, .row.boilerplate p { font-family: "DejaVu Sans", sans-serif;
                                      font-size: .8rem; color: #666; }
.row.missing .translation { color: #a33; }
@media (max-width: 40rem) { .row { grid-template-columns: 1fr; }
                            .translation { margin-left: 1.5rem; } }
""".strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_article(article: ExportArticle, number: int) -> list[str]:
    header = article.header
    src, tgt = _e(header.source_language), _e(header.target_language)
    out = [f'<article id="article-{number}" lang="{src}">', "<header>"]
    # dir="auto": a browser sets each Arabic, Persian, Urdu or Hebrew text right to left by its
    # first strong letter, the rule the window and the PDF follow
    # (reader/core/text/writing_systems.py).
    out.append(f'<h1 dir="auto">{_e(header.title)}</h1>')
    if header.title_translation:
        out.append(
            f'<p class="title-translation" lang="{tgt}" dir="auto">'
            f"{_e(header.title_translation)}</p>"
        )
    out += [f'<p class="meta" lang="en">{_e(line)}</p>' for line in header.meta_lines()]
    out += ["</header>", '<div class="rows">']
    for row in article.rows:
        classes = ["row", str(row.kind), str(row.status)]
        if row.missing:
            classes.append("missing")
        out.append(f'<div class="{" ".join(classes)}">')
        lang = _e(row.source_language)
        out.append(f'<p class="source" lang="{lang}" dir="auto">{_e(row.source)}</p>')
        note = f' <span class="note" lang="en">{_e(row.note)}</span>' if row.note else ""
        if row.passthrough:
            # Printed once: the translation column only carries the note.
            out.append(f'<p class="translation">{note.strip()}</p>')
        else:
            out.append(
                f'<p class="translation" lang="{tgt}" dir="auto">{_e(row.shown)}{note}</p>'
            )
        out.append("</div>")
    out += ["</div>", "</article>"]
    return out


def to_html(document: BilingualDocument) -> str:
    """A standalone HTML page: original and translation side by side (stacked when narrow)."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(document.target_language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="bilingual-reader">',
        f"<title>{_e(document.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    for number, article in enumerate(document.articles, start=1):
        lines += _html_article(article, number)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
