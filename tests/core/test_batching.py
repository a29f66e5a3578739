"""The engine's work cutting (reader.core.translation.batching): pure functions on lengths."""

from __future__ import annotations

from reader.core.translation.batching import length_batches, windows_of


def _tokens(lengths: list[int]) -> list[list[str]]:
    return [["▁a"] * n for n in lengths]


def test_batches_go_from_the_longest_down_within_budget_and_spread() -> None:
    lengths = [87, 10, 76, 48, 55, 83, 17, 59, 29, 64, 42, 12, 33, 71, 20]
    token_lists = _tokens(lengths)
    batches = length_batches(token_lists, max_tokens=300, spread=2.0, workers=2)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    longest = [max(lengths[i] for i in batch) for batch in batches]
    assert longest == sorted(longest, reverse=True), "longest batches are submitted first"
    assert lengths[batches[0][0]] == 87, "the longest sentence is never left for last"
    for batch in batches:
        sizes = [lengths[i] for i in batch]
        assert max(sizes) * len(sizes) <= max(300, max(sizes))
        assert max(sizes) <= min(sizes) * 2.0


def test_work_is_cut_into_equal_shares_for_every_worker() -> None:
    # 20 sentences of 30 tokens fit one 1024-token batch, which would leave a worker idle.
    token_lists = _tokens([30] * 20)
    one = length_batches(token_lists, max_tokens=1024, spread=2.0, workers=1)
    two = length_batches(token_lists, max_tokens=1024, spread=2.0, workers=2)
    assert [len(b) for b in one] == [20]
    assert [len(b) for b in two] == [10, 10]
    # Fewer sentences than workers: one batch each at most, nothing empty.
    assert length_batches(_tokens([5]), max_tokens=1024, spread=2.0, workers=2) == [[0]]


def test_windows_are_even_and_in_document_order() -> None:
    windows = list(windows_of(list(range(53)), 48))
    assert [len(w) for w in windows] == [27, 26]
    assert [i for w in windows for i in w] == list(range(53))
