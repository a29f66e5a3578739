"""OPML lists in and out: a round trip, folders flattened, hostile documents refused."""

from __future__ import annotations

import pytest

from reader.core.library.opml import (
    OpmlError,
    Subscription,
    opml_document,
    parse_opml,
    read_opml,
)


def test_round_trip_keeps_urls_titles_and_order(tmp_path) -> None:
    subscriptions = [
        Subscription("http://127.0.0.1:1/a.xml", "L’Écho « du soir » & <co>"),
        Subscription("https://example.org/feed?x=1&y=2", ""),
        Subscription("http://127.0.0.1:1/c.xml", "Titre\tavec\x01 contrôle"),
    ]
    path = tmp_path / "out.opml"
    path.write_text(opml_document(subscriptions), encoding="utf-8")
    assert read_opml(path) == [
        Subscription("http://127.0.0.1:1/a.xml", "L’Écho « du soir » & <co>"),
        Subscription("https://example.org/feed?x=1&y=2", "https://example.org/feed?x=1&y=2"),
        Subscription("http://127.0.0.1:1/c.xml", "Titre avec contrôle"),
    ]


def test_folders_are_flattened_and_duplicates_kept_once() -> None:
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
    <outline text="Presse"><outline text="A" xmlUrl="http://a/f"/>
    <outline title="B" type="rss" xmlUrl="http://b/f"/></outline>
    <outline text="A again" xmlUrl="http://a/f"/><outline text="no feed here"/></body></opml>"""
    assert parse_opml(data) == [Subscription("http://a/f", "A"), Subscription("http://b/f", "B")]


@pytest.mark.parametrize("data, why", [
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<opml><body><outline text="&b;" xmlUrl="http://x/f"/></body></opml>',
     "declares a document type"),
    (b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///etc/passwd">'
     b'<opml><body/></opml>', "declares a document type"),
    (b'<opml><body><outline text="&ext;" xmlUrl="http://x/f"/></body></opml>',
     "undefined entity"),
    (b"<rss><channel/></rss>", "not an OPML file"),
    (b"<opml><body><outline", "not a valid OPML file"),
    (b"\xff\xfe garbage", "not a valid OPML file"),
])
def test_hostile_or_broken_opml_is_refused_in_one_line(data: bytes, why: str) -> None:
    with pytest.raises(OpmlError) as caught:
        parse_opml(data, "list.opml")
    message = str(caught.value)
    assert message.startswith("list.opml: ") and why in message and "\n" not in message


def test_missing_file_is_one_line(tmp_path) -> None:
    with pytest.raises(OpmlError, match="No such file"):
        read_opml(tmp_path / "absent.opml")
