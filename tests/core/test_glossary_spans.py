"""Where a term's translation is taken to be, from a first pass's attention (no model: the
output pieces and their attention rows are given, as CTranslate2 returns them)."""

from __future__ import annotations

from reader.core.glossary.decoding import Job, TermDecoder
from reader.core.glossary.terms import Entry, TermMatch


def _job(source: list[str], output: list[str], looks_at: list[int],
         term: tuple[str, str, int, int]) -> Job:
    """``looks_at[i]``: the source piece output piece i attends to most."""
    rows = [[1.0 if j == k else 0.0 for j in range(len(source))] for k in looks_at]
    found, target, first, end = term
    match = TermMatch(0, len(found), found, target, Entry(found, target))
    return Job(list(source), [(match, first, end)], hypothesis=list(output), attention=rows,
               done=True)


def _decoder(to_code: str, encode=None) -> TermDecoder:  # type: ignore[no-untyped-def]
    return TermDecoder(None, encode or (lambda text: ["▁" + w for w in text.split()]),
                       limit=lambda n: 2 * n, to_code=to_code)


def test_a_far_off_word_looking_at_the_term_is_not_replaced() -> None:
    # "it" (output 5) also attends to "guerre": only the run around the term is replaced.
    job = _job(["▁La", "▁guerre", "▁fut", "▁longue", "▁et", "▁elle", "▁finit", "."],
               ["▁The", "▁war", "▁was", "▁long", "▁and", "▁it", "▁ended", "."],
               [0, 1, 2, 3, 4, 1, 6, 7], ("guerre", "conflict", 1, 2))
    [(pieces, done)] = _decoder("en").run([job], decoded=True)
    assert (pieces, done) == (
        ["▁The", "▁conflict", "▁was", "▁long", "▁and", "▁it", "▁ended", "."], True)


def test_without_spaces_the_span_is_the_aligned_pieces_not_the_clause() -> None:
    # Chinese: no piece after the first starts with "▁"; widening to a "word" would take
    # the whole clause. The term's own pieces are replaced, and no space is added.
    job = _job(["▁We", "▁discussed", "▁the", "▁cold", "▁war", "'", "s", "▁history", "."],
               ["▁我们", "讨论", "了", "冷", "战", "的", "历史", "。"],
               [0, 1, 1, 3, 4, 7, 7, 8], ("cold war", "冷战争", 3, 5))
    decoder = _decoder("zh", encode=lambda text: ["▁", text])
    assert not decoder.splice  # its rest is decoded again (words there may change)
    assert decoder._plan_prefix(job)
    assert (job.prefix, job.rest) == (["▁我们", "讨论", "了", "冷战争"], ["的", "历史", "。"])


def test_one_stray_piece_inside_a_term_stays_in_its_span() -> None:
    # "cold war" → "guerre froide": the middle piece looks elsewhere, the run holds.
    job = _job(["▁the", "▁cold", "▁war", "▁ended"],
               ["▁la", "▁guerre", "▁fr", "oide", "▁finit"],
               [0, 2, 3, 1, 3], ("cold war", "paix armée", 1, 3))
    [(pieces, _)] = _decoder("id").run([job], decoded=True)
    assert pieces == ["▁la", "▁paix", "▁armée", "▁finit"]
