"""Text → :class:`~reader.core.articles.article.Article`.

The input is dirty web text: a date glued to the headline, breadcrumbs, the headline
printed twice, bylines, photo captions with credits, cookie banners in English at the
end of a French article. The rules below come from the seed articles; each one keeps
the file's blocks in order and only ever *removes* whole blocks that are metadata
(breadcrumb, byline, repeated title) or the ``date …`` prefix of the title, so a
paragraph's text is always a trimmed block of the file.

HTML and Markdown are first turned into the same list of blocks, with hints from the
markup (``<h1>``, ``<blockquote>``, ``#``), then go through the same rules.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.articles.article import (
    Article,
    Paragraph,
    ParagraphKind,
    count_words,
    normalize_source,
)
from reader.core.language import langid
from reader.core.text.encoding import UnreadableFileError, read_text
from reader.core.text.hygiene import reflow_block, strip_invisible
from reader.core.text.slices import map_lines, separated_slices

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# A 10 MB file has ~25,000 paragraphs; langdetect at ~1.5 ms each would take most of a
# minute. Past this many distinct paragraphs, the rest inherit the article's language.
MAX_PARAGRAPH_DETECTIONS = 2000

# Blank lines (possibly holding spaces) separate blocks; several count as one.
_BLOCK_SPLIT = re.compile(r"\n\s*\n")

# " date 2022-09 Les RUSSES vivant…": the scraper's date glued to the headline.
_DATE_PREFIX = re.compile(
    r"^date\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?:\s+(?P<rest>\S.*))?$",
    re.IGNORECASE | re.DOTALL,
)

_HOME_CRUMBS = frozenset({"home", "accueil", "start", "startseite", "inicio", "homepage"})
_CRUMB_SEPARATOR = re.compile(r"\s+[»›>]\s+|\s*[»›]\s*")

# "par Jessie Neal", "Par AFP", "By Jane Doe".
_BYLINE = re.compile(r"^(?:par|by)\s*:?\s+(?P<name>\S.*)$", re.IGNORECASE)
_MAX_BYLINE_WORDS = 6

# "… vers Belgorod Crédit : AP". Capitalised keyword so that a sentence ending in
# "une photo : un drapeau" stays a body paragraph.
_CREDIT = re.compile(
    r"(?:^|[\s(\[])(?:Cr[ée]dits?|CR[ÉE]DITS?|Photos?|PHOTOS?|Image|Illustration)"
    r"(?:\s+(?:photos?|cr[ée]dits?))?\s*:\s*(?P<credit>[^:\n]{1,80}?)[)\]]?\s*$"
)
_MAX_CREDIT_WORDS = 6
# _CREDIT needs a colon and one of its (case-sensitive) keywords' first letters; checking
# for them with substring tests (C scans) spares most paragraphs the search, which tries
# its alternatives at every position.
_CREDIT_KEYS = ("Cr", "CR", "Photo", "PHOTO", "Image", "Illustration")

_QUOTE_OPENERS = ("“", "«", '"', "„", "‹")

# Short blocks that are navigation or site chrome when they are the whole paragraph.
_BOILERPLATE_WHOLE = re.compile(
    r"""^(?:
        related(?:\s+(?:articles?|posts?|stories|content|news))?
        | read\s+(?:more|next|also)
        | more\s+(?:stories|news|from\s+.{1,40})
        | accept(?:\s+all)?(?:\s+cookies)? | reject\s+all | i\s+agree
        | subscribe(?:\s+now)? | sign\s+(?:up|in) | log\s+in
        | advertisement | sponsored(?:\s+content)? | share(?:\s+this(?:\s+article)?)?
        | follow\s+us | click\s+here | all\s+rights\s+reserved
        | publicit[ée] | partager | newsletter
        | (?:[àa]\s+)?lire\s+(?:aussi|[ée]galement|la\s+suite) | voir\s+aussi
        | en\s+savoir\s+plus | articles?\s+(?:li[ée]s|similaires|connexes)
        | sur\s+le\s+m[êe]me\s+sujet | abonnez-vous | s['’]abonner | inscrivez-vous
        | (?:tout\s+)?accepter(?:\s+et\s+fermer)? | tout\s+refuser | continuer\s+sans\s+accepter
        | cliquez\s+ici | suivez-nous | tous\s+droits\s+r[ée]serv[ée]s
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Blocks that open like a teaser or a call to action ("Lire aussi : …", "Subscribe to…").
_BOILERPLATE_PREFIX = re.compile(
    r"""^(?:
        (?:[àa]\s+)?lire\s+(?:aussi|[ée]galement)\b | voir\s+aussi\b
        | read\s+(?:more|also)\s*: | related\s*: | sur\s+le\s+m[êe]me\s+sujet\b
        | subscribe\s+(?:to|now|for)\b | sign\s+up\s+(?:for|to|now)\b
        | abonnez-vous\b | inscrivez-vous\b | (?:©|\(c\)|copyright)\s*\d{4}
        | en\s+vid[ée]o\s*[,:] | vid[ée]o\s*[-–:] | (?:à|a)\s+voir\s+aussi\b
        | (?:watch|video)\s*: | (?:also\s+)?read\s+next\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_PREFIX_BOILERPLATE_WORDS = 40
# "En savoir plus sur le blog en direct d’Express.co.uk ICI."
_READ_MORE_HERE = re.compile(
    r"^(?:en\s+savoir\s+plus|plus\s+d['’]infos?|pour\s+en\s+savoir\s+plus|cliquez|find\s+out\s+more"
    r"|read\s+more)\b.*\b(?:ici|here)\b\W*$",
    re.IGNORECASE | re.DOTALL,
)
# A blog post's meta line: "January 13, 2020 | categories: Python | View Comments"; kept by
# trafilatura when it sits outside any paragraph.
_POST_META = re.compile(
    r"\|\s*(?:view\s+comments|\d+\s+comments?|leave\s+a\s+comment|no\s+comments"
    r"|\d+\s+commentaires?|laisser\s+un\s+commentaire|voir\s+les\s+commentaires)\W*$",
    re.IGNORECASE,
)
_MAX_POST_META_WORDS = 25
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
# Every character that _COOKIE's "c", "o" and "k" match case-insensitively lower-cases to
# that letter (the Kelvin sign to "k"; a test checks every code point), so a text whose
# lower case has no "cook" cannot match. lower() and a substring test are C scans, where
# the case-insensitive search (no literal prefix to look for) costs ~3 µs per paragraph.
_COOKIE_STEM = "cook"
_COOKIE_CONTEXT = re.compile(
    r"accept|consent|experience|exp[ée]rience|website|\bsite\b|navigat|opt-out|privacy"
    r"|confidentialit|param[èé]tr|refuser|settings|traceurs",
    re.IGNORECASE,
)
_MAX_COOKIE_BANNER_WORDS = 150


@dataclass(slots=True)
class _Block:
    """A trimmed block of the source, with a hint from markup when there was some."""

    text: str
    # "title" (first <h1>, first Markdown heading, <title>), "heading", "quote", "caption"
    hint: str | None = None


# --------------------------------------------------------------------------- classifiers


def is_boilerplate(text: str) -> bool:
    """Site chrome rather than article: cookie banners, "Related Articles", "Lire aussi"…"""
    if _BOILERPLATE_WHOLE.match(text) or _READ_MORE_HERE.match(text):
        return True
    if _BOILERPLATE_PREFIX.match(text) and count_words(text) <= _MAX_PREFIX_BOILERPLATE_WORDS:
        return True
    if "|" in text and _POST_META.search(text) and count_words(text) <= _MAX_POST_META_WORDS:
        return True
    return bool(
        _COOKIE_STEM in text.lower()
        and _COOKIE.search(text)
        and _COOKIE_CONTEXT.search(text)
        and count_words(text) <= _MAX_COOKIE_BANNER_WORDS
    )


def is_caption(text: str) -> bool:
    """A photo caption: its last line ends with a credit ("Crédit : AP", "Photo: Reuters")."""
    last_line = text.rsplit("\n", 1)[-1]
    if ":" not in last_line or not any(key in last_line for key in _CREDIT_KEYS):
        return False
    match = _CREDIT.search(last_line)
    return bool(match and count_words(match.group("credit")) <= _MAX_CREDIT_WORDS)


def parse_byline(text: str) -> str | None:
    """The author of a "par Jessie Neal" / "By Jane Doe" block, else None."""
    if "\n" in text or count_words(text) > _MAX_BYLINE_WORDS:
        return None
    match = _BYLINE.match(text)
    if not match:
        return None
    name = match.group("name").strip()
    # "Par ailleurs, il pleut." is a sentence, not a byline: names are capitalised and
    # do not end a sentence.
    if not name[:1].isupper() or name[-1:] in ".!?:;":
        return None
    return name


def parse_breadcrumb(text: str, next_text: str | None) -> str | None:
    """``None`` if ``text`` is not a breadcrumb trail, else its section ("" if none).

    A trail is "Home » MONDE » <title>": it starts with a home link, or it has three or
    more steps and ends with the next block (the title printed again).
    """
    if "\n" in text:
        return None
    steps = [step.strip() for step in _CRUMB_SEPARATOR.split(text)]
    steps = [step for step in steps if step]
    if len(steps) < 2:
        return None
    starts_home = steps[0].casefold() in _HOME_CRUMBS
    ends_with_title = next_text is not None and _same_text(steps[-1], next_text)
    if not starts_home and not (len(steps) >= 3 and ends_with_title):
        return None
    inner = steps[1:] if starts_home else steps
    if ends_with_title or (inner and count_words(inner[-1]) > _MAX_BYLINE_WORDS):
        # The last step is the article's own title, not a section.
        inner = inner[:-1]
    return inner[0] if inner else ""


def _same_text(a: str, b: str) -> bool:
    return normalize_source(a).casefold() == normalize_source(b).casefold()


def _classify(block: _Block) -> ParagraphKind:
    text = block.text
    if is_boilerplate(text):
        return ParagraphKind.BOILERPLATE
    if block.hint == "quote":
        return ParagraphKind.QUOTE
    if block.hint == "caption" or is_caption(text):
        return ParagraphKind.CAPTION
    if text.startswith(_QUOTE_OPENERS):
        return ParagraphKind.QUOTE
    return ParagraphKind.BODY


# --------------------------------------------------------------------------- blocks


def _clean(text: str) -> str:
    # A slice at a time: over a whole book each of these calls held the GIL for up to
    # 30 ms, a stall of the window (reader.core.text.slices).
    return map_lines(_clean_lines, text)


def _clean_lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Vertical tab and form feed are page/line breaks from old exports.
    text = text.replace("\x0b", "\n").replace("\x0c", "\n\n")
    return strip_invisible(text, controls=True)  # one pass for both


def split_blocks(text: str) -> list[str]:
    """The non-empty blocks of ``text`` (separated by blank lines), trimmed."""
    blocks: list[str] = []
    for piece in separated_slices(text, _BLOCK_SPLIT):  # no one long split of a book
        blocks.extend(block.strip() for block in _BLOCK_SPLIT.split(piece))
    return [block for block in blocks if block]


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-{2,})[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


# YAML-style front matter (Jekyll, Hugo, Obsidian, and the articles ``add`` saves):
# "---" on the first line, "key: value" lines, "---".
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>(?:[^\n]*\n)*?)---[ \t]*(?:\n|\Z)")
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
_QUOTE_LINE = re.compile(r"^ {0,3}> ?")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``(fields, rest)`` of a Markdown text; ``({}, text)`` without front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group("body").splitlines():
        found = _FRONT_MATTER_LINE.match(line)
        if found:
            value = found.group("value")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1].replace('\\"', '"')
            fields[found.group("key").lower()] = value
    return fields, text[match.end() :]


def _markdown_blocks(text: str) -> list[_Block]:
    """Blocks of a Markdown file: heading lines become blocks of their own, markers gone;
    ``>`` quotes lose their markers and are marked as quotes; wrapped lines are reflowed."""
    blocks: list[_Block] = []
    for raw in split_blocks(text):
        raw_lines = raw.split("\n")
        if all(_QUOTE_LINE.match(line) for line in raw_lines):
            quoted = "\n".join(_QUOTE_LINE.sub("", line) for line in raw_lines).strip()
            if quoted:
                blocks.append(_Block(reflow_block(quoted), "quote"))
            continue
        if _THEMATIC_BREAK.match(raw):
            continue
        lines = raw.split("\n")
        if len(lines) >= 2 and _SETEXT_UNDERLINE.match(lines[-1]):
            heading = "\n".join(lines[:-1]).strip()
            if heading:
                blocks.append(_Block(heading, "heading"))
            continue
        pending: list[str] = []
        for line in lines:
            match = _ATX_HEADING.match(line)
            if not match:
                pending.append(line)
                continue
            if pending:
                blocks.append(_Block("\n".join(pending).strip()))
                pending = []
            heading = (match.group(2) or "").strip()
            if heading:
                blocks.append(_Block(heading, "heading"))
        if pending:
            blocks.append(_Block("\n".join(pending).strip()))
    for block in blocks:
        if block.hint is None:
            block.text = reflow_block(block.text)
    blocks = [block for block in blocks if block.text]
    for block in blocks:
        if block.hint == "heading":
            block.hint = "title"
            break
    return blocks


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


# --------------------------------------------------------------------------- assembly


@dataclass(slots=True)
class _Layout:
    title: str = ""
    date: str | None = None
    byline: str | None = None
    section: str | None = None
    paragraphs: list[tuple[str, ParagraphKind]] = field(default_factory=list)


@dataclass(slots=True)
class _Metadata:
    """What the markup says about the article (HTML metadata, Markdown front matter);
    used where the text itself did not say it."""

    title: str = ""
    date: str | None = None
    byline: str | None = None
    site: str | None = None
    url: str | None = None


def _layout(blocks: list[_Block]) -> _Layout:
    """Apply the metadata and kind rules to the blocks, in order."""
    layout = _Layout()
    out = layout.paragraphs
    count = len(blocks)
    marked = next((k for k, block in enumerate(blocks) if block.hint == "title"), None)

    # Leading metadata: a bare "date 2022-09" block, a breadcrumb trail.
    i = 0
    while i < count and i < 3 and (marked is None or i < marked):
        text = blocks[i].text
        date = _DATE_PREFIX.match(text)
        if date and not date.group("rest") and layout.date is None:
            layout.date = date.group("date")
            i += 1
            continue
        next_text = blocks[i + 1].text if i + 1 < count else None
        crumb = parse_breadcrumb(text, next_text) if layout.section is None else None
        if crumb is not None:
            layout.section = crumb or None
            i += 1
            continue
        break
    if i >= count:
        return layout

    title_index = i if marked is None else marked
    # Blocks before a marked-up title (site name, kicker) stay, in order.
    for k in range(i, title_index):
        out.append((blocks[k].text, _classify(blocks[k])))

    title = blocks[title_index].text
    date = _DATE_PREFIX.match(title)
    if date and date.group("rest"):
        layout.date = layout.date or date.group("date")
        title = date.group("rest").strip()
    layout.title = title
    out.append((title, ParagraphKind.TITLE))

    j = title_index + 1
    # Pages that print the headline twice (once as a link, once as <h1>): show it once.
    while j < count and _same_text(blocks[j].text, title):
        j += 1
    if j < count:
        byline = parse_byline(blocks[j].text)
        if byline:
            layout.byline = byline
            j += 1

    lede_pending = True
    for block in blocks[j:]:
        kind = _classify(block)
        if kind is ParagraphKind.BODY and lede_pending and block.hint != "heading":
            kind = ParagraphKind.LEDE
            lede_pending = False
        out.append((block.text, kind))
    return layout


def _languages(
    paragraphs: list[tuple[str, ParagraphKind]],
    *,
    paragraph_languages: bool,
    memo: langid.LanguageMemo | None = None,
) -> tuple[str, float, list[tuple[str, float]]]:
    """Article language (boilerplate excluded) and each paragraph's language."""
    language, confidence = langid.detect_article_language(
        (text for text, kind in paragraphs if kind is not ParagraphKind.BOILERPLATE), memo=memo
    )
    results: list[tuple[str, float]] = []
    seen: dict[str, tuple[str, float]] = {}
    for text, kind in paragraphs:
        forced = kind is ParagraphKind.BOILERPLATE
        if not (paragraph_languages or forced):
            results.append((language, 0.0))
            continue
        key = text[: langid.PARAGRAPH_SAMPLE_CHARS]
        found = seen.get(key)
        if found is None:
            if not forced and len(seen) >= MAX_PARAGRAPH_DETECTIONS:
                results.append((language, 0.0))
                continue
            # Boilerplate is always judged: "Related Articles" is English, not French.
            found = langid.detect(text, inherit=language, force=forced, memo=memo)
            seen[key] = found
        results.append(found)
    return language, confidence, results


def _article(
    path: Path,
    blocks: list[_Block],
    *,
    paragraph_languages: bool,
    memo: langid.LanguageMemo | None = None,
    metadata: _Metadata | None = None,
) -> Article:
    metadata = metadata or _Metadata()
    layout = _layout(blocks)
    paragraphs = layout.paragraphs
    if not paragraphs:
        return Article(path=path, error="no article text found")
    language, confidence, languages = _languages(
        paragraphs, paragraph_languages=paragraph_languages, memo=memo
    )
    return Article(
        path=path,
        title=layout.title or metadata.title,
        date=layout.date or metadata.date,
        byline=layout.byline or metadata.byline,
        section=layout.section,
        site=metadata.site,
        url=metadata.url,
        language=language,
        language_confidence=confidence,
        paragraphs=tuple(
            Paragraph(index, text, kind, lang, conf)
            for index, ((text, kind), (lang, conf)) in enumerate(
                zip(paragraphs, languages, strict=True)
            )
        ),
    )


def parse_text(
    text: str,
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
    url: str | None = None,
) -> Article:
    """Parse article text already decoded. The format follows ``path``'s suffix (or an
    HTML doctype at the top); ``path`` is otherwise only recorded.

    With ``paragraph_languages=False`` only the article's language is detected and the
    paragraphs inherit it (fast enough to list a large library); boilerplate paragraphs
    are always detected.
    """
    path = Path(path)
    text = _clean(text)
    if not text or text.isspace():  # (not strip(): a copy of the whole text)
        return Article(path=path, error="empty file")
    suffix = path.suffix.lower()
    metadata: _Metadata | None = None
    if suffix in MARKDOWN_SUFFIXES:
        fields, body = split_front_matter(text)
        blocks = _markdown_blocks(body)
        metadata = _Metadata(
            title=fields.get("title", ""),
            date=fields.get("date") or None,
            byline=fields.get("author") or None,
            site=fields.get("site") or None,
            url=fields.get("source") or fields.get("url") or None,
        )
    elif suffix in HTML_SUFFIXES or looks_like_html(text):
        blocks, metadata = html_blocks(text, url=url)
    else:
        blocks = [_Block(reflow_block(block)) for block in split_blocks(text)]
    return _article(
        path, blocks, paragraph_languages=paragraph_languages, memo=language_memo, metadata=metadata
    )


def html_blocks(text: str, *, url: str | None = None) -> tuple[list[_Block], _Metadata]:
    """The article blocks of a web page and its metadata: trafilatura's extraction, or our
    own tag-skipping collector when trafilatura finds no main text (a bare fragment)."""
    from reader.core.articles.html_extract import extract_article

    found = extract_article(text, url=url)
    if found is None:
        from reader.core.articles.html_blocks import tag_blocks

        return tag_blocks(text), _Metadata(url=url)
    blocks: list[_Block] = []
    if found.title:
        blocks.append(_Block(found.title, "title"))
    for block in found.blocks:
        if found.title and _same_text(block.text, found.title):
            continue  # the <h1> repeats the headline we already have
        hint = block.hint if block.hint in ("heading", "quote", "caption") else None
        blocks.append(_Block(block.text, hint))
    if not found.title and blocks and blocks[0].hint == "heading":
        blocks[0].hint = "title"
    metadata = _Metadata(
        title=found.title, date=found.date, byline=found.author, site=found.site, url=found.url
    )
    return blocks, metadata


def parse_file(
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    """Read and parse ``path``. Never raises for bad input: the Article carries ``error``."""
    path = Path(path)
    try:
        decoded = read_text(path)
    except UnreadableFileError as exc:
        return Article(path=path, error=exc.message)
    try:
        return parse_text(
            decoded.text, path, paragraph_languages=paragraph_languages, language_memo=language_memo
        )
    except Exception as exc:  # a parser bug must not take the library down with it
        log.exception("could not parse %s", path)
        return Article(path=path, error=f"could not parse ({type(exc).__name__})")
