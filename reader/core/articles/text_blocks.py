"""Stage 1 of the article pipeline: clean the text and cut it into blocks (plain text and
Markdown; front matter read as metadata)."""

from __future__ import annotations

import re

from reader.core.articles.blocks import Block
from reader.core.text.hygiene import reflow_block, strip_invisible
from reader.core.text.slices import map_lines, separated_slices

# Blank lines (possibly holding spaces) separate blocks; several count as one.
_BLOCK_SPLIT = re.compile(r"\n\s*\n")


def clean(text: str) -> str:
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


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown file: heading lines become blocks of their own, markers gone;
    ``>`` quotes lose their markers and are marked as quotes; wrapped lines are reflowed."""
    blocks: list[Block] = []
    for raw in split_blocks(text):
        raw_lines = raw.split("\n")
        if all(_QUOTE_LINE.match(line) for line in raw_lines):
            quoted = "\n".join(_QUOTE_LINE.sub("", line) for line in raw_lines).strip()
            if quoted:
                blocks.append(Block(reflow_block(quoted), "quote"))
            continue
        if _THEMATIC_BREAK.match(raw):
            continue
        lines = raw.split("\n")
        if len(lines) >= 2 and _SETEXT_UNDERLINE.match(lines[-1]):
            heading = "\n".join(lines[:-1]).strip()
            if heading:
                blocks.append(Block(heading, "heading"))
            continue
        pending: list[str] = []
        for line in lines:
            match = _ATX_HEADING.match(line)
            if not match:
                pending.append(line)
                continue
            if pending:
                blocks.append(Block("\n".join(pending).strip()))
                pending = []
            heading = (match.group(2) or "").strip()
            if heading:
                blocks.append(Block(heading, "heading"))
        if pending:
            blocks.append(Block("\n".join(pending).strip()))
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

