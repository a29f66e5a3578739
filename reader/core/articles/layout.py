"""Stage 2 of the article pipeline: the metadata and kind rules applied to the blocks, in
order (date, breadcrumb, title, byline, lede; boilerplate, captions, quotes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.articles.article import ParagraphKind, count_words
from reader.core.articles.blocks import Block, same_text

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
    ends_with_title = next_text is not None and same_text(steps[-1], next_text)
    if not starts_home and not (len(steps) >= 3 and ends_with_title):
        return None
    inner = steps[1:] if starts_home else steps
    if ends_with_title or (inner and count_words(inner[-1]) > _MAX_BYLINE_WORDS):
        # The last step is the article's own title, not a section.
        inner = inner[:-1]
    return inner[0] if inner else ""


def _classify(block: Block) -> ParagraphKind:
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


@dataclass(slots=True)
class Layout:
    """The article as the rules laid it out: metadata found in the blocks, and each kept
    block with its kind."""

    title: str = ""
    date: str | None = None
    byline: str | None = None
    section: str | None = None
    paragraphs: list[tuple[str, ParagraphKind]] = field(default_factory=list)



def layout(blocks: list[Block]) -> Layout:
    """Apply the metadata and kind rules to the blocks, in order."""
    found = Layout()
    out = found.paragraphs
    count = len(blocks)
    marked = next((k for k, block in enumerate(blocks) if block.hint == "title"), None)

    # Leading metadata: a bare "date 2022-09" block, a breadcrumb trail.
    i = 0
    while i < count and i < 3 and (marked is None or i < marked):
        text = blocks[i].text
        date = _DATE_PREFIX.match(text)
        if date and not date.group("rest") and found.date is None:
            found.date = date.group("date")
            i += 1
            continue
        next_text = blocks[i + 1].text if i + 1 < count else None
        crumb = parse_breadcrumb(text, next_text) if found.section is None else None
        if crumb is not None:
            found.section = crumb or None
            i += 1
            continue
        break
    if i >= count:
        return found

    title_index = i if marked is None else marked
    # Blocks before a marked-up title (site name, kicker) stay, in order.
    for k in range(i, title_index):
        out.append((blocks[k].text, _classify(blocks[k])))

    title = blocks[title_index].text
    date = _DATE_PREFIX.match(title)
    if date and date.group("rest"):
        found.date = found.date or date.group("date")
        title = date.group("rest").strip()
    found.title = title
    out.append((title, ParagraphKind.TITLE))

    j = title_index + 1
    # Pages that print the headline twice (once as a link, once as <h1>): show it once.
    while j < count and same_text(blocks[j].text, title):
        j += 1
    if j < count:
        byline = parse_byline(blocks[j].text)
        if byline:
            found.byline = byline
            j += 1

    lede_pending = True
    for block in blocks[j:]:
        kind = _classify(block)
        if kind is ParagraphKind.BODY and lede_pending and block.hint != "heading":
            kind = ParagraphKind.LEDE
            lede_pending = False
        out.append((block.text, kind))
    return found
