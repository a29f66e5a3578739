"""The user's own library folder: articles added from links, files and pasted text.

On disk (``$XDG_DATA_HOME/bilingual-reader/library/``)::

    library/
      le-gel-des-loyers-prolonge-3f9a1c2b7d04.md     the article, as the library lists it
      .originals/3f9a1c2b7d04.html                  the page exactly as fetched (or copied)
      .originals/3f9a1c2b7d04.json                  where it came from: url, final url,
                                                    content type, charset, time, sha256

- One article per add. The key (12 hex digits) is a SHA-256 of the link (without its
  ``#fragment``) or of a file's or text's content, so adding the same link again finds the
  article already there instead of making a copy; the name starts with the title so the
  folder reads well in a file manager.
- A web page is extracted once, when added (trafilatura takes 0.1–0.5 s a page), and saved
  as Markdown with front matter (title, date, author, site, source) that our own parser
  reads back: listing a large library never re-runs the extractor. The original is kept so
  that a better extractor can redo it later; hidden folders are not listed.
- Plain-text and Markdown files are copied as they are (they already are articles).
- Every file is written to a temporary name and renamed, original first: a crash leaves at
  worst an unused original, never a half-written article.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.core.articles.article import Article
from reader.core.articles.parser import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    looks_like_html,
    parse_file,
)
from reader.core.library.fetch import FetchedPage, FetchError, check_url, fetch_page, is_url
from reader.core.library.formats import BOOK_SUFFIXES, read_file
from reader.core.text.encoding import UnreadableFileError, decode_bytes, read_bytes
from reader.core.text.hygiene import strip_invisible
from reader.private_files import write_private

ORIGINALS = ".originals"
_KEY_LENGTH = 12
_MAX_SLUG = 60


class AddError(Exception):
    """Nothing was added; ``str()`` is one line for the reader."""


@dataclass(frozen=True, slots=True)
class Added:
    path: Path  # the article file in the library
    article: Article
    already: bool = False  # the same link or content was in the library already


def library_dir() -> Path:
    return paths.user_library_dir()


def _key(identity: str | bytes) -> str:
    data = identity.encode("utf-8") if isinstance(identity, str) else identity
    return hashlib.sha256(data).hexdigest()[:_KEY_LENGTH]


def url_key(url: str) -> str:
    """The library key of a link: the same page linked with another ``#fragment`` (or a
    differently-cased host) is the same article."""
    parts = urllib.parse.urlsplit(url.strip())
    normal = urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )
    return _key(normal)


def slugify(text: str) -> str:
    """"Le gel des loyers prolongé !" → "le-gel-des-loyers-prolonge"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_MAX_SLUG].rstrip("-") or "article"


def find_existing(key: str, folder: Path | None = None) -> Path | None:
    folder = folder or library_dir()
    try:
        for entry in folder.iterdir():
            if entry.is_file() and entry.stem.endswith(f"-{key}"):
                return entry
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- Markdown


def _front_value(value: str) -> str:
    value = " ".join(strip_invisible(value).split())
    return '"' + value.replace('"', '\\"') + '"'


def article_markdown(article: Article, *, source: str | None, added: str) -> str:
    """The article as Markdown with front matter, in the form our parser reads back."""
    fields = {
        "title": article.title,
        "date": article.date,
        "author": article.byline,
        "site": article.site,
        "source": source,
        "added": added,
    }
    lines = ["---"]
    lines += [f"{key}: {_front_value(value)}" for key, value in fields.items() if value]
    lines += ["---", ""]
    from reader.core.articles.article import ParagraphKind

    for paragraph in article.paragraphs:
        text = paragraph.text
        if paragraph.kind is ParagraphKind.TITLE:
            lines.append(f"# {' '.join(text.split())}")
        elif paragraph.kind is ParagraphKind.QUOTE:
            lines.append("\n".join(f"> {line}" for line in text.split("\n")))
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- adding


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _save(
    key: str,
    article: Article,
    original: bytes,
    original_suffix: str,
    origin: dict[str, object],
    *,
    folder: Path,
) -> Path:
    """Write the original, its sidecar, then the article; the article file's path."""
    originals = folder / ORIGINALS
    write_private(originals / f"{key}{original_suffix}", original, sync=True)
    write_private(
        originals / f"{key}.json",
        (json.dumps(origin, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        sync=True,
    )
    target = folder / f"{slugify(article.title or 'article')}-{key}.md"
    text = article_markdown(article, source=str(origin.get("url") or "") or None, added=_now())
    write_private(target, text.encode("utf-8"), sync=True)
    return target


def _extract_html(text: str, *, url: str | None, key: str) -> Article:
    from reader.core.articles.parser import parse_text

    article = parse_text(text, Path(f"{key}.html"), paragraph_languages=False, url=url)
    if not article.ok:
        raise AddError(f"no article text found on {url or 'the page'}")
    return article


def add_url(
    url: str,
    *,
    folder: Path | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Added:
    """Fetch ``url``, extract its article and keep both. Raises :class:`AddError` or
    :class:`~reader.core.library.fetch.FetchError` with one line; the library is then unchanged."""
    url = check_url(url)  # a malformed link (bad IPv6 literal, port…) is one line, first
    folder = folder or library_dir()
    key = url_key(url)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, parse_file(existing, paragraph_languages=False), already=True)
    options: dict[str, object] = {}
    if timeout is not None:
        options["timeout"] = timeout
    if max_bytes is not None:
        options["max_bytes"] = max_bytes
    page: FetchedPage = fetch_page(
        url, cancelled=cancelled, progress=progress, **options  # type: ignore[arg-type]
    )
    if page.is_html or looks_like_html(page.text):
        article = _extract_html(page.text, url=page.final_url, key=key)
        suffix = ".html"
    else:
        from reader.core.articles.parser import parse_text

        name = ".md" if page.content_type in ("text/markdown", "text/x-markdown") else ".txt"
        article = parse_text(page.text, Path(f"{key}{name}"), paragraph_languages=False)
        if not article.ok:
            raise AddError(f"no article text found on {url}")
        suffix = name
    if cancelled is not None and cancelled():
        raise FetchError("cancelled")
    origin = {
        "url": page.url,
        "final_url": page.final_url,
        "content_type": page.content_type,
        "charset": page.charset,
        "fetched": _now(),
        "sha256": hashlib.sha256(page.data).hexdigest(),
    }
    path = _save(key, article, page.data, suffix, origin, folder=folder)
    return Added(path, parse_file(path, paragraph_languages=False))


def _add_pdf(path: Path, folder: Path) -> Added:
    """A PDF is read once, when added, like a web page: its article is kept as Markdown (a
    listing never parses the PDF again) and the PDF itself as the original."""
    from dataclasses import replace

    from reader.core.articles.article import Paragraph, ParagraphKind
    from reader.core.pdf.importer import MAX_PDF_BYTES, parse_pdf

    try:
        data = read_bytes(path, max_bytes=MAX_PDF_BYTES)
    except UnreadableFileError as exc:
        raise AddError(f"{path}: {exc.message}") from None
    key = _key(data)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, parse_file(existing, paragraph_languages=False), already=True)
    article = parse_pdf(path, paragraph_languages=False, data=data)
    if not article.ok:
        raise AddError(f"{path}: {article.error}")
    if not any(p.kind is ParagraphKind.TITLE for p in article.paragraphs):
        # Markdown's first block is its title: without one, the file's name is.
        heading = Paragraph(0, path.stem, ParagraphKind.TITLE, article.language)
        article = replace(article, title=path.stem, paragraphs=(heading, *article.paragraphs))
    origin: dict[str, object] = {
        "file": str(path.resolve()),
        "added": _now(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    saved = _save(key, article, data, ".pdf", origin, folder=folder)
    return Added(saved, parse_file(saved, paragraph_languages=False))


def add_file(path: Path, *, folder: Path | None = None) -> Added:
    """Copy a local article into the library (a web page or a PDF is extracted, like a link;
    a book is copied as it is, once it reads)."""
    folder = folder or library_dir()
    path = Path(path)
    if path.suffix.lower() in BOOK_SUFFIXES:
        return _add_book(path, folder)
    if path.suffix.lower() == ".pdf":
        return _add_pdf(path, folder)
    try:
        data = read_bytes(path)
        decoded = decode_bytes(data)
    except UnreadableFileError as exc:
        raise AddError(f"{path}: {exc.message}") from None
    key = _key(data)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, parse_file(existing, paragraph_languages=False), already=True)
    suffix = path.suffix.lower()
    origin: dict[str, object] = {
        "file": str(path.resolve()),
        "charset": decoded.encoding,
        "added": _now(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if suffix in HTML_SUFFIXES or looks_like_html(decoded.text):
        article = _extract_html(decoded.text, url=None, key=key)
        return Added(
            saved := _save(key, article, data, ".html", origin, folder=folder),
            parse_file(saved, paragraph_languages=False),
        )
    article = parse_file(path, paragraph_languages=False)
    if not article.ok:
        raise AddError(f"{path}: {article.error}")
    # Text and Markdown are articles already: keep them as they are, under a stable name.
    keep = suffix if suffix in MARKDOWN_SUFFIXES else ".txt"
    target = folder / f"{slugify(article.title or path.stem)}-{key}{keep}"
    write_private(folder / ORIGINALS / f"{key}.json", json.dumps(origin).encode("utf-8"), sync=True)
    write_private(target, data, sync=True)
    return Added(target, parse_file(target, paragraph_languages=False))


def _add_book(path: Path, folder: Path) -> Added:
    try:
        data = read_bytes(path)
    except UnreadableFileError as exc:
        raise AddError(f"{path}: {exc.message}") from None
    key = _key(data)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, read_file(existing, paragraph_languages=False), already=True)
    book = read_file(path, paragraph_languages=False)
    if not book.ok:
        raise AddError(f"{path}: {book.error}")
    origin = {"file": str(path.resolve()), "added": _now(),
              "sha256": hashlib.sha256(data).hexdigest()}
    target = folder / f"{slugify(book.title or path.stem)}-{key}.epub"
    write_private(folder / ORIGINALS / f"{key}.json", json.dumps(origin).encode("utf-8"), sync=True)
    write_private(target, data, sync=True)
    return Added(target, read_file(target, paragraph_languages=False))


def add_text(text: str, *, folder: Path | None = None) -> Added:
    """Keep pasted text as a plain-text article (a pasted link is fetched instead)."""
    if is_url(text):
        return add_url(text.strip(), folder=folder)
    folder = folder or library_dir()
    text = strip_invisible(text).replace("\r\n", "\n").strip()
    if not text:
        raise AddError("nothing to add: the text is empty")
    data = (text + "\n").encode("utf-8")
    key = _key(data)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, parse_file(existing, paragraph_languages=False), already=True)
    from reader.core.articles.parser import parse_text

    article = parse_text(text, Path("pasted.txt"), paragraph_languages=False)
    if not article.ok:
        raise AddError(f"nothing to add: {article.error}")
    target = folder / f"{slugify(article.title)}-{key}.txt"
    write_private(target, data, sync=True)
    return Added(target, parse_file(target, paragraph_languages=False))


def local_path(source: str) -> Path | None:
    """The file a ``file://`` address or a path names (``~`` expanded), or None for
    anything else (a web link, empty text). The file need not exist: adding it says so."""
    source = source.strip()
    if not source:
        return None
    if source.lower().startswith("file://"):
        parsed = urllib.parse.urlsplit(source)
        if parsed.netloc not in ("", "localhost"):  # file://server/share: not this machine
            return None
        return Path(urllib.parse.unquote(parsed.path))
    if "://" in source or "\n" in source:
        return None
    return Path(source).expanduser()


def add(source: str, **options: object) -> Added:
    """A command-line argument: a link is fetched, anything else (a path or a ``file://``
    address) is a file."""
    path = local_path(source)
    if path is None and "://" in source:
        return add_url(source, **options)  # type: ignore[arg-type]
    return add_file(path or Path(source), folder=options.get("folder"))  # type: ignore[arg-type]


def add_html(
    html: str,
    *,
    title: str = "",
    url: str | None = None,
    origin: dict[str, object] | None = None,
    folder: Path | None = None,
) -> Added:
    """Keep an HTML fragment (a feed entry's own content, when its page cannot be had) as an
    article. It takes the key of ``url`` when there is one: adding that link later finds
    this article instead of making a second one."""
    from html import escape

    folder = folder or library_dir()
    key = url_key(url) if url else _key(html)
    existing = find_existing(key, folder)
    if existing is not None:
        return Added(existing, parse_file(existing, paragraph_languages=False), already=True)
    heading = f"<h1>{escape(title)}</h1>" if title else ""
    document = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{escape(title)}'
                f"</title></head><body><article>{heading}\n{html}\n</article></body></html>\n")
    data = document.encode("utf-8")
    article = _extract_html(document, url=url, key=key)
    details: dict[str, object] = {
        "url": url, "content_type": "text/html", "charset": "utf-8", "fetched": _now(),
        "sha256": hashlib.sha256(data).hexdigest(), **(origin or {}),
    }
    path = _save(key, article, data, ".html", details, folder=folder)
    return Added(path, parse_file(path, paragraph_languages=False))
