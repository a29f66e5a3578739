"""Fixtures for the core tests: the generated corpus of awkward files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.library import load_library
from tests.data.make_bad_corpus import make_bad_corpus


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Case name → path of every awkward file (built once per session, in a tmp dir)."""
    return make_bad_corpus(tmp_path_factory.mktemp("bad_corpus"))


@pytest.fixture(scope="session")
def bad_corpus_dir(bad_corpus: dict[str, Path]) -> Path:
    return bad_corpus["empty"].parent


@pytest.fixture(scope="session")
def bad_library(bad_corpus_dir: Path) -> dict[str, Article]:
    """The corpus folder loaded once through ``load_library``, keyed by file name."""
    articles = load_library([bad_corpus_dir])
    return {str(article.path.relative_to(bad_corpus_dir)): article for article in articles}
