"""Settings: one table of typed keys, bad values read as defaults, corrupt files set aside."""

from __future__ import annotations

from reader.ui import settings as keys
from reader.ui.settings import ArticleState, Settings


def test_defaults_types_and_round_trip(isolated_xdg):
    settings = Settings()
    assert settings.path.parent == isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader"
    assert settings.get(keys.LAYOUT) == "side-by-side"
    assert settings.get(keys.FONT_SIZE) == keys.DEFAULT_FONT_SIZE
    settings.set(keys.FONT_SIZE, 15)
    settings.set(keys.THEME, "dark")
    settings.set(keys.LAYOUT, "sideways")  # not a choice: stored as the default
    settings.sync()
    again = Settings()
    assert again.get(keys.FONT_SIZE) == 15
    assert again.get(keys.THEME) == "dark"
    assert again.get(keys.LAYOUT) == "side-by-side"
    assert again.warnings == []


def test_bad_values_read_as_defaults(isolated_xdg):
    path = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader" / "settings.ini"
    path.parent.mkdir(parents=True)
    path.write_text(
        "[preferences]\nfont_size=huge\ntheme=purple\nquality=fast\n"
        "[reading]\narticles=not json\n",
        encoding="utf-8",
    )
    settings = Settings()
    assert settings.get(keys.FONT_SIZE) == keys.DEFAULT_FONT_SIZE
    assert settings.get(keys.THEME) == "system"
    assert settings.get(keys.QUALITY) == "fast"
    assert settings.article_state("/x").paragraph == 0
    assert any("reading positions" in w for w in settings.warnings)


def test_corrupt_file_is_set_aside(isolated_xdg):
    path = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader" / "settings.ini"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00\x01\xff[[[\n===\n[preferences\n")
    settings = Settings()
    assert len(settings.warnings) == 1 and "defaults" in settings.warnings[0]
    assert path.with_name("settings.ini.corrupt").exists()
    settings.set(keys.FONT_SIZE, 13)
    settings.sync()
    assert Settings().get(keys.FONT_SIZE) == 13


def test_article_states_are_bounded_json(isolated_xdg, monkeypatch):
    monkeypatch.setattr(keys, "MAX_REMEMBERED_ARTICLES", 3)
    settings = Settings()
    for i in range(5):
        settings.set_article_state(f"/a/{i}", ArticleState(paragraph=i, offset=0.5, read=True))
    settings.set_article_state("/a/4", ArticleState(paragraph=9, source_language="it"))
    settings.sync()
    again = Settings()
    assert again.article_state("/a/0").paragraph == 0  # forgotten: the oldest went first
    state = again.article_state("/a/4")
    assert (state.paragraph, state.source_language) == (9, "it")
    assert again.is_read("/a/3") and not again.is_read("/a/0")
