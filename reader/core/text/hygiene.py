"""Text hygiene applied wherever text enters: invisible characters and hard-wrapped lines.

- Soft hyphens (U+00AD) and zero-width characters are invisible in a browser but sit
  inside words in the text we get ("gouver\\u00adnement"): they break search, sentence
  splitting and translation (SentencePiece sees two words). They are removed.
- Plain text hard-wrapped at a fixed width (mail, Wikipedia dumps, Project Gutenberg
  books: ~72–80 columns) is reflowed into one line per paragraph, so the original reads as
  flowing text beside the translation. Verse, lists and indented blocks are lines because
  that is what they are, and stay lines.
"""

from __future__ import annotations

import itertools
import re

# Always invisible and never meaningful in prose: soft hyphen, zero-width space, word
# joiner, BOM used as a zero-width no-break space, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u180e]")
# Zero-width (non-)joiners change shaping in Persian, Indic scripts and emoji sequences;
# between Latin letters (or at a word's edge) they are only copy-paste debris.
_JOINER_IN_LATIN = re.compile(
    "(?:(?<=[\u0000-\u024f])|^)[\u200c\u200d]+(?=[\u0000-\u024f]|$)", re.MULTILINE
)


# The same characters and the control characters (never content; NULs upset Qt and SQLite)
# other than tab, newline, vertical tab, form feed and carriage return, for one pass.
_INVISIBLE_OR_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b\u2060\ufeff\u180e]")


def strip_invisible(text: str, *, controls: bool = False) -> str:
    """``text`` without soft hyphens and zero-width characters (see the module docstring),
    and with ``controls`` without control characters too, in the same pass."""
    if controls:
        text = _INVISIBLE_OR_CONTROL.sub("", text)
    if not text.isascii():
        if not controls:
            text = _INVISIBLE.sub("", text)
        # The look-behind is slow on megabytes of text: only run it when there is a joiner.
        if "\u200c" in text or "\u200d" in text:
            text = _JOINER_IN_LATIN.sub("", text)
    return text


# A line that starts a list item: "- ", "* ", "• ", "1. ", "2) ", "a) ".
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•–—▪►]\s+|\(?\d{1,3}[.)]\s+|\(?[a-zA-Z][.)]\s+)")
# Below this width a block of lines is verse, an address or a table of short entries.
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 120
# Share of the lines (last one excepted) that must have been broken "because the next
# word did not fit" for the block to count as hard-wrapped prose.
_MIN_WRAPPED_SHARE = 0.75


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _is_wrapped(lines: list[str]) -> bool:
    """Whether ``lines`` are one paragraph broken at a fixed width by a wrapping program.

    The test is the one a greedy wrapper obeys: each line (but the last) ends where the
    next line's first word would no longer have fitted within the widest line. Verse and
    addresses break long before the margin, so they fail it.
    """
    if len(lines) < 2:
        return False
    width = max(len(line.rstrip()) for line in lines)
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return False
    # Slack: wrappers count the break differently, some leave a margin of a few columns.
    margin = max(4, width // 10)
    fitted = 0
    for line, following in itertools.pairwise(lines):
        words = following.split()
        if not words:
            return False
        if len(line.rstrip()) + 1 + len(words[0]) > width - margin:
            fitted += 1
    return fitted >= _MIN_WRAPPED_SHARE * (len(lines) - 1)


def _dedent(lines: list[str]) -> list[str]:
    """``lines`` without their common leading tabs and spaces (tabs as one column each:
    the wrap test measures the text, not where a terminal would put it)."""
    prefix = min(_indent(line) for line in lines if line.strip())
    return [line[prefix:] if line.strip() else "" for line in lines]


_CODE_CHARACTERS = frozenset("{}[]<>=;|\\/_#$@`~^*")


def _is_prose(lines: list[str]) -> bool:
    """Whether indented lines read as sentences rather than code or a table: words and
    ordinary punctuation, at least one line ending inside a sentence (on a letter, a
    comma or a hyphen), and no line indented further than the others (code's nesting)."""
    text = "".join(lines)
    if any(char in _CODE_CHARACTERS for char in text):
        return False
    if any(_indent(line) for line in lines if line.strip()):
        return False
    letters = sum(char.isalpha() for char in text)
    if letters < 0.75 * len(text.replace(" ", "")):
        return False
    return any(line.rstrip()[-1:].isalpha() or line.rstrip()[-1:] in ",-" for line in lines[:-1])


def _join(lines: list[str]) -> str:
    """Join wrapped lines with one space; a line ending in a hyphen after a letter keeps
    the hyphen and joins without a space ("peut-\\nêtre" → "peut-être": French hyphens are
    mostly compounds, and a kept hyphen never changes a word the way a dropped one can)."""
    out = lines[0].strip()
    for line in lines[1:]:
        piece = line.strip()
        if not piece:
            continue
        if len(out) >= 2 and out.endswith("-") and out[-2].isalpha():
            out += piece
        else:
            out += " " + piece
    return out


def reflow_block(block: str) -> str:
    """One block of plain text (no blank lines inside) with hard wraps undone.

    - Hard-wrapped prose becomes one line.
    - A list keeps one line per item; an item wrapped over several lines is joined.
    - Indented blocks (code, quoted mail, poetry set in) and verse stay as they are.
    """
    lines = block.split("\n")
    if len(lines) < 2:
        return block
    if all(_indent(line) >= 1 for line in lines if line.strip()):
        # Indented throughout: prose set in (a tab or spaces before every line) is
        # joined when it is wrapped prose; code, quoted mail and poetry stay.
        body = _dedent(lines)
        if _is_prose(body) and _is_wrapped(body):
            return _join(body)
        return block
    if _indent(lines[0]) and not any(_LIST_ITEM.match(line) for line in lines):
        # Paragraphs marked by a first-line indent (a tab or spaces), not by blank lines:
        # each is reflowed on its own and stays a line of its own.
        starts = [k for k, line in enumerate(lines) if _indent(line)]
        if len(starts) < len(lines):
            paragraphs = []
            for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
                group = [lines[start].lstrip(" \t"), *lines[start + 1 : end]]
                paragraphs.append(_join(group) if _is_wrapped(group) else "\n".join(group))
            return "\n".join(paragraphs)
    if any(_LIST_ITEM.match(line) for line in lines):
        return _reflow_list(lines)
    if _is_wrapped(lines):
        return _join(lines)
    return block


def _reflow_list(lines: list[str]) -> str:
    """Items start at a marker; continuation lines (wrapped, or indented under the item's
    text) join their item. Lines before the first marker are an intro, kept as wrapped."""
    groups: list[list[str]] = []
    for line in lines:
        if _LIST_ITEM.match(line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    out: list[str] = []
    for group in groups:
        head = group[0]
        if len(group) > 1 and (_is_wrapped(group) or all(_indent(g) >= 2 for g in group[1:])):
            out.append(" " * _indent(head) + _join(group))
        else:
            out.extend(group)
    return "\n".join(out)


def reflow(text: str) -> str:
    """Every blank-line-separated block of ``text`` through :func:`reflow_block`."""
    return "\n\n".join(reflow_block(block) for block in re.split(r"\n[ \t]*\n", text))
