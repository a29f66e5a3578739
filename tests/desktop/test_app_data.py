"""What the app ships is found through importlib.resources (reader.data.*), not the checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from reader import fonts, paths
from reader.core.library.listing import load_library

REPO = Path(__file__).resolve().parents[2]


def test_samples_are_the_seeds_package() -> None:
    samples = paths.samples_dir()
    assert samples == Path(str(importlib.resources.files("reader.data.samples")))
    names = sorted(p.name for p in samples.glob("*.txt"))
    assert names == sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
    articles = load_library([samples])
    assert len(articles) == 5 and all(a.ok for a in articles)


def test_fonts_and_desktop_files_are_there() -> None:
    for name in fonts.FONT_FILES:
        assert (paths.fonts_dir() / name).stat().st_size > 100_000
    assert (paths.fonts_dir() / "LICENSE-DejaVu.txt").is_file()
    desktop = paths.desktop_data_dir()
    assert (desktop / "bilingual-reader.desktop").is_file()
    assert (desktop / "bilingual-reader.svg").is_file()


def test_bundled_fonts_register(qapp: object) -> None:
    assert fonts.register_bundled_fonts() == ("DejaVu Serif", "DejaVu Sans")
