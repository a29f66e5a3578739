"""Feeds over a real loopback HTTP server: RSS 2.0, RSS 1.0 and Atom into the library,
conditional GETs (ETag, Last-Modified), a failing feed beside a working one, a feed that
changes, an entry whose page fails, politeness, and the store on disk."""

from __future__ import annotations

import itertools
import os
import stat

import pytest

from reader import paths
from reader.core.articles.parser import parse_file
from reader.core.library.feed_fetch import fetch_feed
from reader.core.library.feed_store import FeedStore
from reader.core.library.feeds import FeedError, HostPacer, Refresher, parse_feed
from reader.core.library.fetch import USER_AGENT, FetchError
from tests.data.feed_site import Feed, FeedSite, Item, atom, paragraphs_for, rss1, rss2


@pytest.fixture
def site(news_server) -> FeedSite:
    return FeedSite(news_server)


def refresher(store: FeedStore, **options: object) -> Refresher:
    return Refresher(store, pacer=HostPacer(0.0), timeout=5, **options)  # type: ignore[arg-type]


def library_files() -> list[str]:
    folder = paths.user_library_dir()
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def texts(path) -> list[str]:
    return [p.text for p in parse_file(path, paragraph_languages=False).paragraphs]


def test_rss2_items_pages_become_articles_then_an_etag_304_adds_nothing(site) -> None:
    site.page("/a/un.html", "Le tramway prolongé")
    site.page("/a/deux.html", "La piscine rouvre")
    items = [Item("g-2", "/a/deux.html", "La piscine rouvre"),
             Item("g-1", "/a/un.html", "Le tramway prolongé")]
    feed = Feed(rss2(site.url, "Le Courrier", items), etag='"v1"')
    url = site.feed("/rss.xml", feed)
    store = FeedStore()
    assert store.add(url)
    [report] = refresher(store).refresh_all()
    assert (report.status, report.title, report.error) == ("new", "Le Courrier", None)
    assert [i.title for i in store.items(url)] == ["La piscine rouvre", "Le tramway prolongé"]
    for item in store.items(url):
        assert item.source == "page"
        assert texts(item.path) == [item.title, *paragraphs_for(item.title)]
    assert "If-None-Match" not in feed.seen[0]
    before = library_files()

    [again] = refresher(store).refresh_all()
    assert (again.status, again.added) == ("not-modified", [])
    assert feed.seen[1]["If-None-Match"] == '"v1"'
    assert library_files() == before
    assert store.feed(url).etag == '"v1"'
    # One user agent, the app's, for the feed and the pages alike.
    assert {agent for _, agent in site.server.requests} == {USER_AGENT}


def test_rss1_and_last_modified_304(site) -> None:
    site.page("/r1/a.html", "Le marché de Noël")
    stamp = "Tue, 01 Dec 2026 08:00:00 GMT"
    feed = Feed(rss1(site.url, "Le Journal RDF", [Item(None, "/r1/a.html", "Le marché de Noël")]),
                content_type="application/rdf+xml", last_modified=stamp)
    url = site.feed("/rss1.rdf", feed)
    store = FeedStore()
    store.add(url)
    [report] = refresher(store).refresh_all()
    assert report.status == "new" and [i.title for i in report.added] == ["Le marché de Noël"]
    assert report.added[0].key == site.url + "/r1/a.html"  # no guid in RSS 1.0: the link
    [again] = refresher(store).refresh_all()
    assert again.status == "not-modified"
    assert feed.seen[1]["If-Modified-Since"] == stamp
    assert "If-None-Match" not in feed.seen[1]


def test_atom_entry_whose_page_fails_uses_the_feeds_content(site) -> None:
    site.page("/at/ok.html", "Le budget voté")
    content = ("<p>Le texte complet publié dans le flux, avec ses deux paragraphes et assez de "
               "mots pour être un article.</p><p>Second paragraphe du flux.</p>"
               "<script>alert(1)</script>")
    items = [Item("urn:e:2", "/at/missing.html", "La gare rénovée", content),
             Item("urn:e:1", "/at/ok.html", "Le budget voté")]
    url = site.feed("/atom.xml", Feed(atom(site.url, "Le Fil", items),
                                      content_type="application/atom+xml"))
    store = FeedStore()
    store.add(url)
    [report] = refresher(store).refresh_all()
    assert report.status == "new" and report.item_errors == []
    by_title = {i.title: i for i in store.items(url)}
    assert by_title["Le budget voté"].source == "page"
    fallback = by_title["La gare rénovée"]
    assert fallback.source == "feed"
    assert texts(fallback.path) == [
        "La gare rénovée",
        "Le texte complet publié dans le flux, avec ses deux paragraphes et assez de mots pour "
        "être un article.",
        "Second paragraphe du flux.",
    ]
    # The article still names its link, so `add` of that link later finds it.
    assert parse_file(fallback.path).url == site.url + "/at/missing.html"


def test_entry_without_page_or_content_is_one_line_and_tried_again(site) -> None:
    url = site.feed("/bare.xml", Feed(rss2(site.url, "Nu", [Item("x", "/gone.html", "Parti")])))
    store = FeedStore()
    store.add(url)
    [report] = refresher(store).refresh_all()
    assert report.added == [] and len(report.item_errors) == 1
    assert "HTTP 404" in report.item_errors[0] and "\n" not in report.item_errors[0]
    site.page("/gone.html", "Parti puis revenu")
    [again] = refresher(store).refresh_all()
    assert [i.title for i in again.added] == ["Parti"]


def test_a_failing_feed_is_one_line_and_the_other_still_refreshes(site) -> None:
    site.page("/ok/a.html", "Les vendanges")
    broken = site.feed("/broken.xml", Feed(b"", status=500))
    good = site.feed("/good.xml",
                     Feed(rss2(site.url, "Bon", [Item("a", "/ok/a.html", "Les vendanges")])))
    store = FeedStore()
    store.add(broken)
    store.add(good)
    first, second = refresher(store).refresh_all()
    assert (first.status, second.status) == ("failed", "new")
    assert first.error == f"{broken}: HTTP 500 Internal Server Error"
    assert [i.title for i in second.added] == ["Les vendanges"]
    assert store.feed(broken).error == first.error and store.feed(good).error is None


def test_a_feed_that_changes_adds_new_items_once_and_never_twice(site) -> None:
    for n in range(1, 4):
        site.page(f"/c/{n}.html", f"Nouvelle {n}")
    feed = Feed(rss2(site.url, "Changeant", [Item("1", "/c/1.html", "Nouvelle 1")]), etag='"a"')
    url = site.feed("/c.xml", feed)
    store = FeedStore()
    store.add(url)
    refresher(store).refresh_all()
    assert len(library_files()) == 1
    # New version: two new items on top, the old one still listed (and a duplicate guid).
    feed.body = rss2(site.url, "Changeant", [
        Item("3", "/c/3.html", "Nouvelle 3"), Item("2", "/c/2.html", "Nouvelle 2"),
        Item("1", "/c/1.html", "Nouvelle 1"), Item("3", "/c/3.html", "Nouvelle 3"),
    ])
    feed.etag = '"b"'
    [report] = refresher(store).refresh_all()
    assert [i.title for i in report.added] == ["Nouvelle 2", "Nouvelle 3"]  # oldest first
    assert [i.title for i in store.items(url)] == ["Nouvelle 3", "Nouvelle 2", "Nouvelle 1"]
    assert len(library_files()) == 3
    pages = [path for path, _ in site.server.requests if path.startswith("/c/")]
    assert sorted(pages) == ["/c/1.html", "/c/2.html", "/c/3.html"]  # each fetched once
    feed.etag = None  # a server without validators: the same document, nothing new
    [same] = refresher(store).refresh_all()
    assert (same.status, same.added) == ("new", [])
    assert len(library_files()) == 3


def test_new_items_are_bounded_per_refresh(site) -> None:
    items = [Item(str(n), f"/b/{n}.html", f"Brève {n}") for n in range(5)]
    for item in items:
        site.page(item.path, item.title)
    url = site.feed("/b.xml", Feed(rss2(site.url, "Brèves", items)))
    store = FeedStore()
    store.add(url)
    [report] = refresher(store, max_items=2).refresh_all()
    assert [i.title for i in report.added] == ["Brève 1", "Brève 0"] and report.left == 3
    [report] = refresher(store, max_items=2).refresh_all()
    assert [i.title for i in report.added] == ["Brève 3", "Brève 2"] and report.left == 1


def test_requests_to_one_host_are_spaced(site) -> None:
    for n in range(3):
        site.page(f"/p/{n}.html", f"Article {n}")
    feed = Feed(rss2(site.url, "Poli", [Item(str(n), f"/p/{n}.html", f"Article {n}")
                                        for n in range(3)]))
    url = site.feed("/p.xml", feed)
    store = FeedStore()
    store.add(url)
    Refresher(store, pacer=HostPacer(0.3), timeout=5).refresh_all()
    times = sorted(feed.times + site.page_times)
    assert len(times) == 4
    # Seen by the server, one arrival can be late under load and shorten the next gap; the
    # pacer's promise shows in the whole span and in no gap near zero.
    assert times[-1] - times[0] >= 3 * 0.3 - 0.02
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.2


def test_not_a_feed_is_one_line(site) -> None:
    url = site.page("/page.html", "Une page, pas un flux")
    document = fetch_feed(url, timeout=5)
    with pytest.raises(FeedError) as caught:
        parse_feed(document.data, url, document.content_type)
    assert str(caught.value).startswith(f"{url}: not an RSS or Atom feed")
    assert "\n" not in str(caught.value)


def test_feedparser_never_reads_a_local_path_given_as_the_body(site, tmp_path) -> None:
    local = tmp_path / "secret.xml"
    local.write_bytes(rss2("http://x", "Secret local", [Item("s", None, "Secret", "<p>x</p>")]))
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(str(local).encode(), site.url + "/f.xml")


def test_store_is_private_and_remove_forgets_items_but_keeps_articles(site) -> None:
    site.page("/s/a.html", "Le pont")
    url = site.feed("/s.xml", Feed(rss2(site.url, "Privé", [Item("a", "/s/a.html", "Le pont")])))
    store = FeedStore()
    assert store.feeds() == [] and not store.path.exists()  # reading makes no file
    store.add(url)
    assert not store.add(url)  # followed once
    refresher(store).refresh_all()
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700
    assert store.remove(url) and store.feeds() == [] and store.items() == []
    assert not store.remove(url)
    assert len(library_files()) == 1


def test_entities_in_a_feed_are_neither_expanded_nor_read_from_disk(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{laughs}'
        f'<!ENTITY x SYSTEM "file://{secret}">]><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>a&x;</title><link>http://127.0.0.1:9/a</link>"
        "<description>&lol9; &x;</description></item></channel></rss>"
    )
    parsed = parse_feed(document.encode(), "http://127.0.0.1:9/f.xml")
    everything = parsed.title + "".join(e.title + e.content for e in parsed.entries)
    assert "SECRET" not in everything and len(everything) < 100


def test_a_cancelled_refresh_keeps_what_it_took_and_is_redone_in_full(site) -> None:
    for n in range(3):
        site.page(f"/k/{n}.html", f"Brève {n}")
    feed = Feed(rss2(site.url, "Coupé", [Item(str(n), f"/k/{n}.html", f"Brève {n}")
                                         for n in range(3)]), etag='"k"')
    url = site.feed("/k.xml", feed)
    store = FeedStore()
    store.add(url)
    # Cancelled while the second page is being served.
    [report] = refresher(store, cancelled=lambda: len(site.page_times) >= 2).refresh_all()
    assert [i.title for i in report.added] == ["Brève 2"] and report.left == 2
    assert report.item_errors == []
    assert store.feed(url).etag is None  # validators kept only for a whole refresh
    [again] = refresher(store).refresh_all()
    assert "If-None-Match" not in feed.seen[1]
    assert [i.title for i in again.added] == ["Brève 1", "Brève 0"]
    assert store.feed(url).etag == '"k"'


def test_gzip_feed_and_a_feed_over_the_size_cap(site) -> None:
    body = rss2(site.url, "Compressé", [Item("z", None, "Sans lien", "<p>Texte du flux, "
                                             "assez long pour être gardé comme article.</p>")])
    url = site.feed("/z.xml", Feed(body, gzip=True))
    document = fetch_feed(url, timeout=5)
    assert document.data == body
    assert parse_feed(document.data, url).entries[0].title == "Sans lien"
    with pytest.raises(FetchError) as caught:
        fetch_feed(url, timeout=5, max_bytes=100)
    assert str(caught.value) == f"{url}: feed too large (over 100 bytes)"


def test_rss_091_items_are_keyed_by_their_link_and_relative_links_resolve() -> None:
    document = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="0.91"><channel>'
        b"<title>Le Vieux Journal</title><link>http://127.0.0.1:9/</link>"
        b"<description>x</description><language>fr</language>"
        b"<item><title>L'\xe9t\xe9 arrive</title><link>/ete.html</link>"
        b"<description>Il fait chaud.</description></item>"
        b"<item><title>Sans lien</title><description>Rien que du texte.</description></item>"
        b"<item><title>Lien douteux</title><link>javascript:alert(1)</link>"
        b"<description>Texte.</description></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(document, "http://127.0.0.1:9/feeds/old.rss")
    assert parsed.title == "Le Vieux Journal"
    first, second, third = parsed.entries
    assert (first.key, first.link, first.title, first.content) == (
        "http://127.0.0.1:9/ete.html", "http://127.0.0.1:9/ete.html", "L'été arrive",
        "Il fait chaud.")
    assert second.link is None and second.key.startswith("sha256:")
    assert third.link is None  # not a web link: the feed's own text is used
