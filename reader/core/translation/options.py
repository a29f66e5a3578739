"""How sentences are decoded: beam, length penalty, the decoding-length limits and the
batching knobs, with the presets the CLI and the window offer ("fast", "accurate")."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DecodingOptions:
    """Decoding settings. The defaults follow argostranslate's own call to
    ``translate_batch`` (beam 4, length penalty 0.2, replace unknowns, the package's target
    prefix), plus a decoding-length limit proportional to the source."""

    beam_size: int = 4
    length_penalty: float = 0.2
    replace_unknowns: bool = True
    # Longest translation allowed for a sentence of n source tokens: ratio * n + margin.
    # The limit only stops models that loop; it must never cut a long answer, so a sentence
    # still writing at it is decoded again (in a batch of its own kind) with
    # retry_ratio * n + retry_margin, at most retry_cap. One still unfinished then is
    # reported as truncated and never cached.
    length_ratio: float = 1.6
    length_margin: int = 8
    length_cap: int = 256
    retry_ratio: float = 4.0
    retry_margin: int = 32
    retry_cap: int = 1024
    # Sentences longer than this are cut at clause, then token, boundaries (never truncated).
    max_input_tokens: int = 200
    # Batching and streaming granularity: these change speed, not output. A batch shares
    # one decoding-length limit (its longest sentence's), so its sentences are kept within
    # ``batch_length_spread`` of each other: a short sentence in a long sentence's batch
    # would otherwise be allowed (and, from a model that loops, cost) the long one's length.
    # Defaults from bench/ on 2 cores with the echo model at fr_en 1.9's shape (it stops
    # like trained weights): finished sentences leave a CTranslate2 batch, so bigger, looser
    # batches win (1024/2.0 took about 0.65 of 512/1.25's time, alternating runs, a shared
    # machine); a looping model is still bounded by the per-batch limit and the retry.
    max_batch_tokens: int = 1024
    batch_length_spread: float = 2.0
    window_sentences: int = 48
    # Streaming (the window): the first paragraph that needs the model goes alone in the
    # first window, so it is on screen after its own sentences, not after a full window.
    first_paragraph_alone: bool = False

    def max_decoding_length(self, source_tokens: int) -> int:
        return min(
            self.length_cap, math.ceil(self.length_ratio * source_tokens) + self.length_margin
        )

    def retry_decoding_length(self, source_tokens: int) -> int:
        return max(
            self.max_decoding_length(source_tokens),
            min(self.retry_cap, math.ceil(self.retry_ratio * source_tokens) + self.retry_margin),
        )

    def cache_key(self) -> str:
        """Only the settings that change the output: a new value never serves old text."""
        return (
            f"beam={self.beam_size};lp={self.length_penalty:g};unk={int(self.replace_unknowns)};"
            f"len={self.length_ratio:g}x+{self.length_margin}<={self.length_cap};"
            f"retry={self.retry_ratio:g}x+{self.retry_margin}<={self.retry_cap};"
            f"in<={self.max_input_tokens}"
        )


FAST = DecodingOptions(beam_size=1)
ACCURATE = DecodingOptions(beam_size=4)
PRESETS: dict[str, DecodingOptions] = {"fast": FAST, "accurate": ACCURATE}
