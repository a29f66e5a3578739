"""Translating sentences that contain glossary terms, with no placeholder in the input.

The technique (chosen by measurement, see docs/benchmarks.md):

1. the sentence is translated as it is, asking CTranslate2 for the attention of the
   alignment head (one row per target piece over the source pieces) — in the engine, the
   ordinary pass, which asks for it anyway (``run(decoded=True)``);
2. the term's source pieces are located; the longest run of target pieces whose strongest
   attention falls on them, widened to whole words where the target writes spaces, is the
   term's translation (its *span*);
3. each term's span is replaced by the glossary target's pieces (SentencePiece-encoded
   with the package's model, so no piece is unknown); in English, an "a"/"an" just before
   it follows the target (``english_article``). Then, by the target language
   (``terms.SPLICED_TARGETS``, one rule):

   - where words do not agree with a noun and are written with spaces (English,
     Indonesian, Malay, Vietnamese), that is the translation: no second decode, and the
     attention rows of the replaced pieces carry over to the target's pieces, so word
     links still point at the term;
   - elsewhere, the sentence is decoded again, once, with ``target_prefix`` = that output
     up to the end of the last term, so what follows the last term agrees with it (the
     words *between* two terms are the first pass's). That continuation is a greedy
     search (beam 1): CTranslate2 steps through a prefix one position at a time, so a
     beam there costs as much as the whole first pass (measured, docs/benchmarks.md);
4. if an unwanted translation comes back after the prefix, that sentence is decoded once
   more with it in ``suppress_sequences`` (per call in CTranslate2, hence alone:
   suppressing it for the whole batch would change other sentences).

A term the first output already reads as wanted changes nothing. A sentence with terms
costs nothing more where the target is written in (English), one more greedy decode
elsewhere (rarely two); one without a term costs what it did.

Sentences without a term are never decoded here (the decoder's ordinary batches, unchanged). A
term whose span cannot be found (the model dropped it) is left as the model wrote it.
For SentencePiece models (not BPE: no piece spans); a pivot route runs it on each leg
(``Decoder.translate_terms_through``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.core.glossary.terms import (
    SPLICED_TARGETS,
    UNSPACED_TARGETS,
    TermMatch,
    english_article,
)

END_TOKEN = "</s>"


def piece_spans(pieces: Sequence[str], text: str) -> list[tuple[int, int]] | None:
    """The character span in ``text`` of each SentencePiece piece (a run of spaces in the
    text counts as SentencePiece's one ``▁``); None when the pieces do not spell the text
    (normalization changed it, byte pieces)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        surface = piece.replace("▁", " ")
        if surface.startswith(" "):
            while cursor < len(text) and text[cursor].isspace():
                cursor += 1
            surface = surface.lstrip(" ")
        start = cursor
        if not text.startswith(surface, cursor):
            return None
        cursor += len(surface)
        spans.append((start, cursor))
    return spans


def _wordy(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


@dataclass(slots=True)
class Job:
    """One sentence with terms: its source pieces, and each term's source piece range."""

    tokens: list[str]
    terms: list[tuple[TermMatch, int, int]]
    hypothesis: list[str] = field(default_factory=list)  # with the lead pieces
    attention: list[list[float]] = field(default_factory=list)
    fixed: int = 0  # pieces decided: the lead, then each prefix
    prefix: list[str] | None = None
    unwanted: list[list[str]] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)  # the first output after the prefix
    rows: list[list[float]] = field(default_factory=list)  # attention of prefix + rest
    done: bool = False
    redecoded: int = 0  # decodes after the first (the bench counts them)


def make_job(tokens: list[str], text: str, matches: Sequence[TermMatch]) -> Job | None:
    """A job for a sentence, or None when its pieces cannot be mapped onto its text."""
    spans = piece_spans(tokens, text)
    if spans is None:
        return None
    terms: list[tuple[TermMatch, int, int]] = []
    for match in matches:
        inside = [i for i, (a, b) in enumerate(spans) if a < match.end and b > match.start]
        if inside:
            terms.append((match, inside[0], inside[-1] + 1))
    return Job(tokens, terms) if terms else None


def _span(job: Job, first: int, end: int, *, widen: bool = True) -> tuple[int, int] | None:
    """The target pieces (after ``job.fixed``) aligned with source pieces [first, end): the
    longest run of consecutive such pieces (one stray piece inside it tolerated; a pronoun
    far off that looks at the term is not part of it), widened to whole words where the
    target language writes spaces (``widen``)."""
    rows = [
        r for r in range(job.fixed, min(len(job.hypothesis), len(job.attention)))
        if job.attention[r] and first <= max(
            range(len(job.attention[r])), key=job.attention[r].__getitem__) < end
    ]
    if not rows:
        return None
    runs: list[list[int]] = [[rows[0]]]
    for row in rows[1:]:
        if row - runs[-1][-1] <= 2:
            runs[-1].append(row)
        else:
            runs.append([row])
    run = max(runs, key=lambda r: (r[-1] - r[0], -r[0]))
    start, stop = run[0], run[-1] + 1
    hyp = job.hypothesis
    if widen:
        while start > job.fixed and not hyp[start].startswith("▁") and _wordy(hyp[start - 1]):
            start -= 1
        while stop < len(hyp) and not hyp[stop].startswith("▁") and _wordy(hyp[stop]):
            stop += 1
    return start, stop


def _rows(attention: list[list[float]], start: int, stop: int, size: int) -> list[list[float]]:
    """Attention rows [start, stop), padded with empty rows to ``size`` (a replaced article
    can change the piece count)."""
    rows = attention[start:stop][:size]
    return rows + [[] for _ in range(size - len(rows))]


def _contains(sequence: Sequence[str], part: Sequence[str], start: int) -> bool:
    size = len(part)
    return size > 0 and any(
        list(sequence[i : i + size]) == list(part) for i in range(start, len(sequence) - size + 1)
    )


class TermDecoder:
    """Runs jobs through one CTranslate2 translator (see the module docstring)."""

    def __init__(
        self,
        translator: Any,
        encode: Callable[[str], list[str]],
        *,
        lead: Sequence[str] = (),
        limit: Callable[[int], int],
        beam_size: int = 4,
        length_penalty: float = 0.2,
        replace_unknowns: bool = True,
        workers: int = 1,
        continuation_beam: int = 1,
        to_code: str = "",
    ) -> None:
        self.translator = translator
        self.to_code = to_code
        # The glossary target written into the first output, or the rest decoded again.
        self.splice = to_code in SPLICED_TARGETS
        self.spaced = to_code not in UNSPACED_TARGETS
        self.encode = encode
        self.lead = list(lead)
        self.limit = limit
        self.options = {
            "beam_size": beam_size, "length_penalty": length_penalty,
            "replace_unknowns": replace_unknowns,
        }
        self.workers = max(1, workers)  # CTranslate2's translators: split batches for them
        self.continuation_beam = continuation_beam  # the re-decodes after a prefix
        self.decodes = 0  # translate_batch calls (tests and the bench read it)

    def _decode(self, jobs: list[Job], suppress: list[list[str]] | None = None) -> None:
        prefixes = [job.prefix if job.prefix is not None else self.lead for job in jobs]
        extra = max(len(p) for p in prefixes)
        options = dict(self.options)
        if any(job.prefix is not None for job in jobs):
            options["beam_size"] = self.continuation_beam
        self.decodes += 1
        results = self.translator.translate_batch(
            [job.tokens or ["▁"] for job in jobs],
            target_prefix=prefixes if extra else None,
            max_decoding_length=self.limit(max(len(job.tokens) for job in jobs)) + extra,
            max_input_length=0,
            # One sub-batch per worker, so they decode in parallel as the ordinary pass does.
            max_batch_size=-(-len(jobs) // self.workers),
            return_end_token=True,
            return_attention=True,
            num_hypotheses=1,
            suppress_sequences=suppress or None,
            **options,
        )
        for job, result in zip(jobs, results, strict=True):
            tokens = list(result.hypotheses[0])
            job.done = bool(tokens) and tokens[-1] == END_TOKEN
            job.hypothesis = tokens[:-1] if job.done else tokens
            job.attention = [list(row) for row in result.attention[0]]

    def _plan_prefix(self, job: Job) -> bool:
        """Write the terms into the job's output: every term's span replaced (spans aligned
        before ``job.fixed`` are decided already). Sets ``job.prefix`` to that output up to
        the end of the last replaced span and keeps the rest in ``job.rest``; False when
        nothing is to change (every term already reads as wanted, or none has a span: as
        the model wrote it)."""
        spans: list[tuple[int, int, list[str]]] = []
        for match, first, end in job.terms:
            span = _span(job, first, end, widen=self.spaced)
            if span is not None:
                wanted = self.encode(match.target)
                if not self.spaced and len(wanted) > 1 and wanted[0] == "▁":
                    wanted = wanted[1:]  # no space before a word where none are written
                spans.append((span[0], span[1], wanted))
        spans.sort()
        hyp, attention = job.hypothesis, job.attention
        prefix: list[str] = []
        rows: list[list[float]] = []
        cursor = 0
        changed = False
        for start, stop, wanted in spans:
            if start < cursor:
                continue  # overlaps a span already replaced (two terms, one target word)
            old = hyp[start:stop]
            before = hyp[cursor:start]
            if old != wanted:
                changed = True
                if _wordy("".join(old)):
                    job.unwanted.append(old)
                before = self._article(before, wanted)
            prefix += before + wanted
            rows += _rows(attention, cursor, start, len(before))
            # The target's pieces take the attention of the pieces they replace.
            replaced = _rows(attention, start, stop, stop - start) or [[]]
            rows += [replaced[min(k, len(replaced) - 1)] for k in range(len(wanted))]
            cursor = stop
        job.terms.clear()
        if not changed:
            return False
        job.prefix = prefix
        job.fixed = len(prefix)
        job.rest = hyp[cursor:]
        job.rows = rows + attention[cursor:]
        return True

    def _article(self, before: list[str], wanted: list[str]) -> list[str]:
        """``before`` with an English "a"/"an" just before the term made to suit it."""
        if self.to_code != "en" or not wanted:
            return before
        starts = [i for i, piece in enumerate(before) if piece.startswith("▁")]
        if not starts:
            return before
        word = "".join(before[starts[-1]:])[1:]
        if word.lower() not in ("a", "an"):
            return before
        article = english_article("".join(wanted).replace("▁", " ").strip())
        if word[:1].isupper():
            article = article.capitalize()
        return before if article == word else [*before[: starts[-1]], *self.encode(article)]

    def run(self, jobs: list[Job], *, decoded: bool = False) -> list[tuple[list[str], bool]]:
        """Each job's output pieces (lead dropped) and whether the model finished it.
        ``decoded``: the jobs hold their first pass already (hypothesis, attention), as
        the engine's ordinary pass gives it when it asks for attention."""
        if not jobs:
            return []
        if not decoded:
            self._decode(jobs)
        for job in jobs:
            job.fixed = len(self.lead)
        again = [job for job in jobs if self._plan_prefix(job)]
        if self.splice:
            for job in again:
                assert job.prefix is not None
                job.hypothesis, job.attention = job.prefix + job.rest, job.rows
            again = []
        if again:
            self._decode(again)
            for job in again:
                job.redecoded += 1
                back = [old for old in job.unwanted
                        if _contains(job.hypothesis, old, job.fixed)]
                if back:  # the unwanted translation came back after the terms
                    self._decode([job], back)
                    job.redecoded += 1
        return [(job.hypothesis[len(self.lead):], job.done) for job in jobs]


__all__ = ["Job", "TermDecoder", "make_job", "piece_spans"]
