"""Fixtures for the core tests: the generated corpus of awkward files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.language import langid
from reader.core.library.listing import load_library


@pytest.fixture(scope="session")
def bad_library(bad_corpus_dir: Path) -> dict[str, Article]:
    """The corpus folder loaded once through ``load_library``, keyed by file name."""
    articles = load_library([bad_corpus_dir])
    return {str(article.path.relative_to(bad_corpus_dir)): article for article in articles}


@pytest.fixture
def detection_samples(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every sample langdetect is run on from now on (its memo cleared)."""
    samples: list[int] = []
    real = langid.detect_sample
    real.cache_clear()

    def spy(
        sample: str, trials: int = langid.PARAGRAPH_TRIALS, profiles: str = "all"
    ) -> tuple[str, float] | None:
        samples.append(len(sample))
        return real(sample, trials, profiles)

    monkeypatch.setattr(langid, "detect_sample", spy)
    return samples
