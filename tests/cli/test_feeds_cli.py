"""`feeds add | list | remove | refresh | import | export` over a loopback server: output,
exit codes (0 ok, 1 one line, 2 usage), a failing feed beside a working one, OPML."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from reader.core.library.feed_store import FeedStore
from tests.data.feed_site import Feed, FeedSite, Item, atom, rss2


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(news_server, monkeypatch) -> FeedSite:
    # No pause between requests to the one loopback host (the pacing has its own test).
    monkeypatch.setattr("reader.core.library.feeds.HOST_DELAY", 0.0)
    return FeedSite(news_server)


def test_add_list_refresh_remove(site, capsys) -> None:
    site.page("/a.html", "Le tramway prolongé")
    feed = Feed(rss2(site.url, "Le Courrier", [Item("1", "/a.html", "Le tramway prolongé")]),
                etag='"e1"')
    url = site.feed("/rss.xml", feed)
    code, out, err = cli(capsys, "feeds", "add", url)
    assert (code, err) == (0, "")
    assert out == (f"following: Le Courrier  [{url}] (1 item now; "
                   "`bilingual-reader feeds refresh` adds them)\n")
    code, out, _ = cli(capsys, "feeds", "add", url)
    assert (code, out) == (0, f"already following: Le Courrier  [{url}]\n")

    code, out, err = cli(capsys, "feeds", "refresh")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Le Courrier: 1 new"
    assert lines[1].startswith("  Le tramway prolongé  [") and lines[1].endswith(".md]")
    code, out, _ = cli(capsys, "feeds", "refresh")
    assert (code, out) == (0, "Le Courrier: not modified\n")

    code, out, _ = cli(capsys, "feeds", "list")
    assert out == f"Le Courrier  [{url}]  1 item\n"
    code, out, _ = cli(capsys, "feeds", "list", "--json")
    [listed] = json.loads(out)
    assert (listed["url"], listed["title"], listed["items"], listed["last_error"]) == (
        url, "Le Courrier", 1, None)
    # The added article is in the library's listing, with its link.
    code, out, _ = cli(capsys, "list", "--json")
    assert [a["title"] for a in json.loads(out) if a["url"] == site.url + "/a.html"] == [
        "Le tramway prolongé"]

    code, out, _ = cli(capsys, "feeds", "remove", url)
    assert (code, out) == (0, f"removed: Le Courrier  [{url}] (its article stays in the "
                              "library)\n")
    code, out, err = cli(capsys, "feeds", "remove", url)
    assert (code, out, err) == (1, "", f"bilingual-reader: error: not following {url}\n")


def test_refresh_with_a_500_is_one_line_others_refreshed_exit_1(site, capsys) -> None:
    site.page("/ok.html", "Les vendanges")
    broken = site.feed("/broken.xml", Feed(b"", status=500))
    good = site.feed("/good.xml", Feed(atom(site.url, "Le Fil", [
        Item("urn:1", "/ok.html", "Les vendanges")]), content_type="application/atom+xml"))
    store = FeedStore()
    store.add(broken, "En panne")
    store.add(good)
    code, out, err = cli(capsys, "feeds", "refresh")
    assert code == 1
    assert err.splitlines() == [
        f"bilingual-reader: feed En panne: {broken}: HTTP 500 Internal Server Error",
        "bilingual-reader: 1 of 2 feeds could not be refreshed",
    ]
    assert out.splitlines()[0] == "Le Fil: 1 new"
    code, out, err = cli(capsys, "feeds", "refresh", "--json")
    assert code == 1
    first, second = json.loads(out)
    assert (first["status"], first["error"]) == (
        "failed", f"{broken}: HTTP 500 Internal Server Error")
    assert (second["status"], second["added"]) == ("new", [])
    code, out, _ = cli(capsys, "feeds", "list")
    assert out.splitlines()[0] == (f"En panne  [{broken}]  0 items, last refresh failed: "
                                   f"{broken}: HTTP 500 Internal Server Error")


def test_add_refuses_what_is_not_a_feed(site, capsys) -> None:
    page = site.page("/page.html", "Une page")
    code, out, err = cli(capsys, "feeds", "add", page)
    assert code == 1 and out == ""
    assert err.startswith(f"bilingual-reader: error: {page}: not an RSS or Atom feed")
    assert len(err.splitlines()) == 1
    code, _, err = cli(capsys, "feeds", "add", "ftp://example.org/feed")
    assert code == 1 and "only http and https" in err
    code, _, err = cli(capsys, "feeds", "add", site.url + "/missing.xml")
    assert (code, err) == (
        1, f"bilingual-reader: error: {site.url}/missing.xml: HTTP 404 Not Found\n")
    assert FeedStore().feeds() == []


def test_opml_import_export_round_trip(tmp_path, capsys) -> None:
    source = tmp_path / "in.opml"
    source.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="Presse"><outline text="Le Monde &amp; co" type="rss" '
        'xmlUrl="http://127.0.0.1:9/a.xml"/></outline>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/>'
        '<outline title="Le Fil" xmlUrl="http://127.0.0.1:9/b.xml"/></body></opml>',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "feeds", "import", str(source))
    assert code == 0 and out == f"imported 2 feeds from {source}\n"
    assert err == (f"bilingual-reader: warning: {source}: skipped: only http and https links "
                   "can be added (got 'javascript:alert(1)')\n")
    code, out, _ = cli(capsys, "feeds", "import", str(source))
    assert out == f"imported 0 feeds from {source} (2 already followed)\n"
    exported = tmp_path / "out.opml"
    code, out, _ = cli(capsys, "feeds", "export", str(exported))
    assert (code, out) == (0, f"exported 2 feeds to {exported}\n")
    FeedStore().remove("http://127.0.0.1:9/a.xml")
    FeedStore().remove("http://127.0.0.1:9/b.xml")
    code, out, _ = cli(capsys, "feeds", "import", str(exported))
    assert code == 0
    assert [(f.url, f.title) for f in FeedStore().feeds()] == [
        ("http://127.0.0.1:9/a.xml", "Le Monde & co"), ("http://127.0.0.1:9/b.xml", "Le Fil")]


def test_hostile_opml_is_refused_in_one_line(tmp_path, capsys) -> None:
    hostile = tmp_path / "laughs.opml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<opml><body><outline text="&lol2;" xmlUrl="http://127.0.0.1:9/x.xml"/></body></opml>',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "feeds", "import", str(hostile))
    assert (code, out) == (1, "")
    assert err == (f"bilingual-reader: error: {hostile}: not read: it declares a document "
                   "type (DTD or entities), which is refused\n")
    assert FeedStore().feeds() == []


def test_usage_errors_exit_2(capsys) -> None:
    for args in (["feeds"], ["feeds", "add"], ["feeds", "nonsense"],
                 ["feeds", "refresh", "--timeout", "x"]):
        code = None
        with pytest.raises(SystemExit) as exit_:
            main(args)
        code = exit_.value.code
        _, err = capsys.readouterr()
        assert code == 2 and err.startswith("usage: bilingual-reader feeds")


def test_refresh_with_no_feeds(capsys) -> None:
    assert cli(capsys, "feeds", "refresh") == (
        0, "", "bilingual-reader: no feeds to refresh (follow one with: bilingual-reader "
               "feeds add URL)\n")
    assert cli(capsys, "feeds", "refresh", "--json") == (0, "[]\n", "")
    assert cli(capsys, "feeds", "list", "--json") == (0, "[]\n", "")
