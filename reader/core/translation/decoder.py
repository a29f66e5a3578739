"""Model inputs through CTranslate2: length-sorted batches queued asynchronously, collected
in input order, and a hypothesis still writing at the decoding limit (no ``</s>``) decoded
again with room. Nothing here knows about articles:
``reader.core.translation.article_run`` hands over windows of ``Unit``s and reads their results."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.glossary.terms import TermMatch, written_terms
from reader.core.models.store import InstalledPackage
from reader.core.models.tokenizers import Tokenizer
from reader.core.translation.batching import length_batches
from reader.core.translation.model_pool import ModelPool, Route
from reader.core.translation.options import DecodingOptions
from reader.core.translation.results import TranslationCancelled

if TYPE_CHECKING:
    import ctranslate2
from reader.core.util.wording import one_line

log = logging.getLogger(__name__)

# CTranslate2's end of sentence for Argos (OpenNMT) models; returned with return_end_token.
END_TOKEN = "</s>"


@dataclass(slots=True)
class Unit:
    """One model input: a sentence, or a piece of an over-long sentence."""

    tokens: list[str]
    route: Route
    key: str  # identifies the input in the sentence memory
    # Glossary terms in ``text`` (the unit's source): decoded by ``reader.core.glossary``.
    terms: tuple[TermMatch, ...] = ()
    text: str = ""
    result: str | None = None
    from_memory: bool = False
    truncated: bool = False  # still writing at the decoding limit after the retry
    # With ``Decoder(attention=True)``, for a single-package route: the output pieces
    # (without the package's target prefix) and their attention rows over the source
    # pieces, for word alignment; dropped once the sentence is aligned.
    pieces: list[str] | None = None
    attention: list[list[float]] | None = None


# A queued batch: the indices it holds and CTranslate2's asynchronous results for them.
Submitted = tuple[list[int], list["ctranslate2.AsyncTranslationResult"]]


@dataclass(slots=True)
class Flight:
    """A window handed to CTranslate2: its units by route, and each single-package route's
    queued first pass (pivot routes are decoded when the window is collected)."""

    units: list[Unit]
    by_route: dict[str, tuple[Route, list[Unit]]] = field(default_factory=dict)
    submitted: dict[str, list[Submitted]] = field(default_factory=dict)
    # Units with glossary terms, by route (single-package routes only): never in a batch
    # of the ordinary pass, so sentences without a term are decoded exactly as before.
    with_terms: dict[str, tuple[Route, list[Unit]]] = field(default_factory=dict)
    # With attention: route key → unit index → (output pieces, attention rows).
    attention: dict[str, dict[int, tuple[list[str], list[list[float]]]]] = field(
        default_factory=dict
    )


class Decoder:
    """Decodes windows of units with the pool's translators and one set of options.

    ``attention=True`` also asks CTranslate2 for each sentence's attention (the alignment
    head's; no measurable cost, see bench/words.py) and keeps it on the units of
    single-package routes, for word alignment (``reader.core.words.alignment``)."""

    def __init__(
        self, pool: ModelPool, options: DecodingOptions, *, attention: bool = False
    ) -> None:
        self.pool = pool
        self.options = options
        self.term_decodes = 0  # translate_batch calls for sentences with glossary terms
        self.attention = attention

    def submit_units(self, units: list[Unit]) -> Flight:
        """Queue a window's batches in CTranslate2 without waiting for them. A pivot route's
        second leg needs the first leg's text, so pivot routes are decoded at collection."""
        flight = Flight(units)
        for unit in units:
            route = unit.route
            # With attention on, the ordinary pass is the glossary's first pass too (its
            # attention locates the terms); without, units with terms go their own way.
            own_way = unit.terms and not (self.attention and len(route.packages) == 1)
            group = flight.with_terms if own_way else flight.by_route
            group.setdefault(route.key, (route, []))[1].append(unit)
        for key, (route, route_units) in flight.by_route.items():
            if len(route.packages) == 1:
                package = route.packages[0]
                token_lists = [unit.tokens for unit in route_units]
                flight.submitted[key] = self.submit(
                    package, token_lists, range(len(token_lists)),
                    self.options.max_decoding_length,
                )
        return flight

    def collect_units(self, flight: Flight, cancelled: Callable[[], bool]) -> None:
        """Wait for a submitted window and fill in its units (retrying unfinished ones)."""
        for key, (route, route_units) in flight.by_route.items():
            texts: list[str] | None = None
            cut = [False] * len(route_units)
            for leg, package in enumerate(route.packages):
                tokenizer = self.pool.tokenizer(package)
                if leg == 0:
                    token_lists = [unit.tokens for unit in route_units]
                else:
                    assert texts is not None
                    token_lists = [tokenizer.encode(text) for text in texts]
                texts, leg_cut = self.translate_tokens(
                    package, tokenizer, token_lists, cancelled,
                    flight.submitted.get(key) if leg == 0 else None,
                    attention=flight.attention.setdefault(key, {})
                    if self.attention and len(route.packages) == 1 else None,
                )
                # A pivot leg that was cut hands on cut text: the end result is cut too.
                cut = [a or b for a, b in zip(cut, leg_cut, strict=True)]
            assert texts is not None
            for unit, text, truncated in zip(route_units, texts, cut, strict=True):
                unit.result = text
                unit.truncated = truncated
            if self.attention and len(route.packages) == 1:
                self._keep_attention(route.packages[0], route_units, flight, key)
                decoded = [u for u in route_units if u.terms and u.pieces is not None]
                if decoded:
                    if cancelled():
                        raise TranslationCancelled
                    self.translate_terms(route.packages[0], decoded, first_pass=True)
        for route, route_units in flight.with_terms.values():
            if cancelled():
                raise TranslationCancelled
            if len(route.packages) == 1:
                self.translate_terms(route.packages[0], route_units)
            else:
                self.translate_terms_through(route, route_units, cancelled)

    def translate_terms_through(
        self, route: Route, units: list[Unit], cancelled: Callable[[], bool]
    ) -> None:
        """Units with glossary terms on a pivot route (fr→en→de): every leg obeys them. The
        first writes each term's target (already in the final language, or the kept form)
        into the middle language; each later leg keeps those words as written (found again
        in its source, as kept terms). A term a leg dropped stays dropped."""
        current = units
        for leg, package in enumerate(route.packages):
            if cancelled():
                raise TranslationCancelled
            if leg == 0:
                self.translate_terms(package, current, keep_attention=False)
                continue
            tokenizer = self.pool.tokenizer(package)
            following = [
                Unit(tokenizer.encode(unit.result or ""), unit.route, unit.key,
                     tuple(written_terms(unit.result or "", unit.terms)), unit.result or "")
                for unit in current
            ]
            self.translate_terms(package, following, keep_attention=False)
            for unit, after in zip(units, following, strict=True):
                unit.result = after.result
                unit.truncated = unit.truncated or after.truncated
            current = following

    def translate_terms(
        self, package: InstalledPackage, units: list[Unit], *, first_pass: bool = False,
        keep_attention: bool = True,
    ) -> None:
        """Decode units with glossary terms (``reader.core.glossary.decoding``); a unit whose
        pieces cannot be mapped onto its text is decoded as usual (or, after the ordinary
        pass, ``first_pass``, kept as it came: its pieces and attention are on it).
        ``keep_attention``: False for a pivot's leg (its pieces are not the final text's)."""
        from reader.core.glossary.decoding import TermDecoder, make_job

        tokenizer = self.pool.tokenizer(package)
        options = self.options
        decoder = TermDecoder(
            self.pool.translator(package), tokenizer.encode,
            lead=[package.target_prefix] if package.target_prefix else [],
            limit=options.max_decoding_length, beam_size=options.beam_size,
            length_penalty=options.length_penalty, replace_unknowns=options.replace_unknowns,
            workers=self.pool.inter_threads, to_code=package.to_code,
        )
        jobs = [make_job(unit.tokens, unit.text, unit.terms) for unit in units]
        chosen = [i for i, job in enumerate(jobs) if job is not None]
        lead = len(decoder.lead)
        if first_pass:
            for i in chosen:
                job, unit = jobs[i], units[i]
                assert job is not None and unit.pieces is not None and unit.attention
                job.hypothesis = list(decoder.lead) + unit.pieces
                job.attention = [[] for _ in range(lead)] + unit.attention
                job.done = True
        outputs = decoder.run([job for job in jobs if job is not None], decoded=first_pass)
        self.term_decodes += decoder.decodes
        for i, (pieces, done) in zip(chosen, outputs, strict=True):
            units[i].result = clean_output(tokenizer.decode(pieces), package.target_prefix)
            units[i].truncated = not done
            job = jobs[i]
            if self.attention and keep_attention and done and job is not None:
                # The final output's attention (prefix rows included): word links as usual.
                units[i].pieces = pieces
                units[i].attention = job.attention[lead : lead + len(pieces)]
        plain = [] if first_pass else [
            unit for unit, job in zip(units, jobs, strict=True) if job is None
        ]
        if plain:
            texts, cut = self.translate_tokens(
                package, tokenizer, [unit.tokens for unit in plain], lambda: False
            )
            for unit, text, truncated in zip(plain, texts, cut, strict=True):
                unit.result, unit.truncated = text, truncated

    def _keep_attention(
        self, package: InstalledPackage, units: list[Unit], flight: Flight, key: str
    ) -> None:
        lead = 1 if package.target_prefix else 0
        for i, (pieces, rows) in flight.attention.get(key, {}).items():
            units[i].pieces = pieces[lead:]
            units[i].attention = rows[lead:]

    def translate_tokens(
        self,
        package: InstalledPackage,
        tokenizer: Tokenizer,
        token_lists: list[list[str]],
        cancelled: Callable[[], bool],
        submitted: list[Submitted] | None = None,
        *,
        attention: dict[int, tuple[list[str], list[list[float]]]] | None = None,
    ) -> tuple[list[str], list[bool]]:
        """Translate token lists with one package: length-sorted batches, all submitted at
        once so CTranslate2's workers decode them in parallel, results in input order.

        Returns the texts and, for each, whether it is still cut after the retry: a
        hypothesis without ``</s>`` stopped at the decoding limit, so it is decoded again
        with room (``retry_decoding_length``); only one still unfinished then is cut.
        ``submitted``: the first pass, already queued by ``_submit``. ``attention``: filled
        with each finished input's pieces and attention rows (when the decoder asks for
        attention)."""
        options = self.options
        if submitted is None:
            if cancelled():
                raise TranslationCancelled
            submitted = self.submit(
                package, token_lists, range(len(token_lists)), options.max_decoding_length
            )
        finished = gather(submitted, attention)
        unfinished = [i for i, (_, done) in finished.items() if not done]
        if unfinished:
            log.info(
                "%d of %d sentences reached the decoding limit; decoding them again with room",
                len(unfinished), len(token_lists),
            )
            if cancelled():
                raise TranslationCancelled
            try:
                finished.update(gather(self.submit(
                    package, token_lists, unfinished, options.retry_decoding_length
                ), attention))
            except (RuntimeError, ValueError) as error:
                # A model that cannot decode that far (its position table is shorter): keep
                # the first pass, reported as cut, rather than lose the whole window.
                log.warning("retry with a longer limit failed: %s", one_line(error))
        outputs: list[str] = []
        cut: list[bool] = []
        for i in range(len(token_lists)):
            tokens, done = finished[i]
            outputs.append(clean_output(tokenizer.decode(tokens), package.target_prefix))
            cut.append(not done)
        return outputs, cut

    def submit(
        self,
        package: InstalledPackage,
        token_lists: list[list[str]],
        indices: Iterable[int],
        limit: Callable[[int], int],
    ) -> list[Submitted]:
        """Queue ``token_lists[i]`` for each index in CTranslate2 (asynchronous batches);
        ``_gather`` waits for them."""
        translator = self.pool.translator(package)
        options = self.options
        chosen = list(indices)
        pending: list[Submitted] = []
        # Longest batches first (as _length_batches makes them): the workers take batches
        # in submission order, so the window ends on short batches and neither worker
        # waits long for the other.
        batches = length_batches(
            [token_lists[i] for i in chosen],
            max_tokens=options.max_batch_tokens,
            spread=options.batch_length_spread,
            workers=self.pool.inter_threads,
        )
        for batch in batches:
            batch = [chosen[j] for j in batch]
            sources = [token_lists[i] or ["▁"] for i in batch]
            longest = max(len(source) for source in sources)
            prefix = [[package.target_prefix]] * len(sources) if package.target_prefix else None
            results = translator.translate_batch(
                sources,
                target_prefix=prefix,
                beam_size=options.beam_size,
                num_hypotheses=1,
                length_penalty=options.length_penalty,
                replace_unknowns=options.replace_unknowns,
                # One limit per batch, from its longest sentence: batches are length-sorted
                # and kept within batch_length_spread, so this is per sentence within 2×.
                max_decoding_length=limit(longest),
                max_input_length=0,  # we cut long inputs ourselves; never truncate
                max_batch_size=0,
                # The end token tells a finished hypothesis from one cut by the limit.
                return_end_token=True,
                return_attention=self.attention,
                asynchronous=True,
            )
            pending.append((batch, results))
        return pending


def gather(
    submitted: list[Submitted],
    attention: dict[int, tuple[list[str], list[list[float]]]] | None = None,
) -> dict[int, tuple[list[str], bool]]:
    """Wait for queued batches: for each index, the output pieces (without ``</s>``) and
    whether the model ended them itself. With ``attention``, a finished index's pieces and
    attention rows (one per piece; the ``</s>`` row dropped) go there too."""
    decoded: dict[int, tuple[list[str], bool]] = {}
    for batch, results in submitted:
        for i, result in zip(batch, results, strict=True):
            found = result.result()
            tokens = list(found.hypotheses[0])
            done = bool(tokens) and tokens[-1] == END_TOKEN
            pieces = tokens[:-1] if done else tokens
            decoded[i] = (pieces, done)
            if attention is not None and done and found.attention:
                attention[i] = (pieces, [list(row) for row in found.attention[0][: len(pieces)]])
    return decoded


def clean_output(text: str, target_prefix: str) -> str:
    text = text.strip()
    if target_prefix and text.startswith(target_prefix):
        text = text[len(target_prefix) :].strip()
    return text

