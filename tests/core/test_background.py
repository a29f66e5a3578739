"""The background translation order: open article, then the list, then new arrivals."""

from __future__ import annotations

from reader.core.translation.background_order import background_order


def test_open_article_first_then_list_order_then_arrivals():
    listed = ["c", "a", "b"]  # sorted by the reader, filtered ("d" and "e" hidden)
    arrived = ["a", "b", "c", "d", "e"]
    pending = {"a", "b", "c", "d", "e"}
    assert background_order("b", listed, arrived, pending) == ["b", "c", "a", "d", "e"]


def test_done_skipped_and_unknown_keys_are_left_out():
    order = background_order(
        "x", ["a", "b", "c"], ["a", "b", "c", "d"], pending={"b", "c", "d"}, skip={"c"}
    )
    assert order == ["b", "d"]  # "x" is not pending, "a" is done, "c" is skipped


def test_nothing_open_and_nothing_pending():
    assert background_order(None, ["a"], ["a"], pending=set()) == []
    assert background_order(None, [], ["z", "y"], pending={"y", "z"}) == ["z", "y"]
