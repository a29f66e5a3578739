"""Feeds (RSS 2.0, RSS 1.0, Atom) and their article pages on the loopback news server, for
the feed tests. Our own text; each feed answers conditional GETs as a real server does."""

from __future__ import annotations

import gzip
import http.server
import time
from dataclasses import dataclass, field
from html import escape

from tests.data.news_server import NewsServer


@dataclass(frozen=True)
class Item:
    guid: str | None
    path: str | None  # the article page's path on the server (None: no link)
    title: str
    content: str = ""  # the feed's own HTML content for the entry


def paragraphs_for(title: str) -> list[str]:
    return [
        f"{title} : le conseil municipal a examiné mardi soir ce dossier attendu depuis "
        "plusieurs mois par les habitants du quartier et les associations locales.",
        "Les élus de la majorité ont défendu un projet « équilibré », tandis que "
        "l’opposition a demandé un nouveau calendrier et une étude complémentaire.",
        "La décision définitive doit être prise au printemps, après une réunion publique "
        "organisée dans la salle des fêtes de la mairie annexe.",
    ]


def article_page(title: str) -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs_for(title))
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}'
            f'</title></head><body><nav><a href="/">Accueil</a></nav><main><article>'
            f"<h1>{escape(title)}</h1>\n{body}\n</article></main>"
            "<footer>Mentions légales</footer></body></html>").encode()


def rss2(site: str, title: str, items: list[Item]) -> bytes:
    entries = []
    for item in items:
        parts = [f"<title>{escape(item.title)}</title>"]
        if item.path is not None:
            parts.append(f"<link>{site}{item.path}</link>")
        if item.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.content:
            parts.append(f"<content:encoded><![CDATA[{item.content}]]></content:encoded>")
        entries.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>{site}/</link><description>Actualités</description>"
        + "".join(entries) + "</channel></rss>"
    ).encode()


def rss1(site: str, title: str, items: list[Item]) -> bytes:
    """RSS 1.0 (RDF): items are keyed by their rdf:about, which is their link."""
    seq = "".join(f'<rdf:li rdf:resource="{site}{i.path}"/>' for i in items)
    entries = "".join(
        f'<item rdf:about="{site}{i.path}"><title>{escape(i.title)}</title>'
        f"<link>{site}{i.path}</link>"
        + (f"<description>{escape(i.content)}</description>" if i.content else "")
        + "</item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/">'
        f'<channel rdf:about="{site}/rss1"><title>{escape(title)}</title><link>{site}/</link>'
        f"<description>Actualités</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        f"</channel>{entries}</rdf:RDF>"
    ).encode()


def atom(site: str, title: str, items: list[Item]) -> bytes:
    entries = []
    for item in items:
        parts = [f"<title>{escape(item.title)}</title>",
                 f"<id>{escape(item.guid or '')}</id>", "<updated>2026-12-01T08:00:00Z</updated>"]
        if item.path is not None:
            parts.append(f'<link rel="alternate" href="{site}{item.path}"/>')
        if item.content:
            parts.append(f'<content type="html">{escape(item.content)}</content>')
        entries.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
        "<updated>2026-12-01T08:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()


@dataclass
class Feed:
    """A feed's current document and how it answers (validators, a forced status)."""

    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200  # 500: the server fails
    gzip: bool = False  # sent with Content-Encoding: gzip
    seen: list[dict[str, str]] = field(default_factory=list)  # each request's headers
    times: list[float] = field(default_factory=list)


class FeedSite:
    """Feeds and pages on one loopback server (``server.requests`` logs every GET)."""

    def __init__(self, server: NewsServer) -> None:
        self.server = server
        self.url = server.url
        self.feeds: dict[str, Feed] = {}
        self.page_times: list[float] = []

    def page(self, path: str, title: str) -> str:
        body = article_page(title)

        def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
            self.page_times.append(time.monotonic())
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.server.routes[path] = answer
        return self.url + path

    def feed(self, path: str, feed: Feed) -> str:
        self.feeds[path] = feed

        def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
            feed.seen.append(dict(handler.headers.items()))
            feed.times.append(time.monotonic())
            if feed.status != 200:
                handler.send_error(feed.status, "Internal Server Error")
                return
            fresh = (
                (feed.etag is not None and handler.headers.get("If-None-Match") == feed.etag)
                or (feed.etag is None and feed.last_modified is not None
                    and handler.headers.get("If-Modified-Since") == feed.last_modified)
            )
            handler.send_response(304 if fresh else 200)
            if feed.etag:
                handler.send_header("ETag", feed.etag)
            if feed.last_modified:
                handler.send_header("Last-Modified", feed.last_modified)
            if fresh:
                handler.end_headers()
                return
            body = gzip.compress(feed.body) if feed.gzip else feed.body
            handler.send_header("Content-Type", feed.content_type)
            if feed.gzip:
                handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.server.routes[path] = answer
        return self.url + path
