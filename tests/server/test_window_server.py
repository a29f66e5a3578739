"""The window translating through a real LibreTranslate (echo packages): the article on
screen and the status bar's "Translating on …", with no local model installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui import settings as keys
from reader.ui.settings import Settings
from tests.server.lt_process import LibreTranslateServer
from tests.server.test_cli_server import ARTICLE, EXPECTED
from tests.ui.conftest import wait_translated


@pytest.fixture
def server_settings(lt_server: LibreTranslateServer) -> LibreTranslateServer:
    settings = Settings()
    settings.set(keys.TRANSLATE_WITH, "server")
    settings.set(keys.SERVER_URL, lt_server.url)
    settings.sync()
    return lt_server


def test_the_window_translates_on_the_server_and_says_so(
    server_settings: LibreTranslateServer, tmp_path: Path, qtbot
) -> None:
    from reader.ui.window.shell import MainWindow

    article = tmp_path / "maison.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    window = MainWindow([article], stream_window=8)
    qtbot.addWidget(window)
    try:
        window.show()
        wait_translated(qtbot, window)
        translations = window.pane.view.translations()
        assert [t.translation for t in translations if t is not None] == EXPECTED
        assert not window.pane.no_model_shown()
        assert window.where_status.text() == (
            f"Translating on LibreTranslate at 127.0.0.1:{server_settings.port}")
        # Back to this computer (no model here): the status says so at once.
        window.services.settings.set(keys.TRANSLATE_WITH, "local")
        assert window.where_status.text().startswith("Translating on this computer")
    finally:
        window.shutdown()


def test_translate_to_offers_the_servers_languages_before_any_translation(
    lt_server: LibreTranslateServer, tmp_path: Path, qtbot
) -> None:
    """Choosing a server in a running window (no local model): its pairs are asked for at
    once, on a worker, and "Translate to" lists them without "(no model)"."""
    from reader.ui.window.shell import MainWindow

    window = MainWindow([], stream_window=8)
    qtbot.addWidget(window)
    try:
        window.show()
        combo = window.quick.target_combo
        assert [combo.itemText(i) for i in range(combo.count())] == ["English (no model)"]
        window.services.settings.set(keys.SERVER_URL, lt_server.url)
        window.services.settings.set(keys.TRANSLATE_WITH, "server")
        qtbot.waitUntil(lambda: combo.findText("English") >= 0, timeout=20_000)
        assert combo.currentData() == "en"
        assert "(no model)" not in " ".join(combo.itemText(i) for i in range(combo.count()))
    finally:
        window.shutdown()
