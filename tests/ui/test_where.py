"""Preferences → "Where translation happens": the compute device and the LibreTranslate
server are remembered, rebuild the engine, and the API key goes to a 0600 file, never to
settings.ini. Nothing here reaches a server: choosing one sends nothing until a translation."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from reader import paths
from reader.core.server.choice import key_file, load_api_key
from reader.core.server.engine import ServerEngine
from reader.ui import settings as keys
from reader.ui.settings import Settings
from reader.ui.window.preferences import PreferencesDialog
from reader.ui.window.where import LOCAL_NOTE, NO_SERVER_NOTE


def _choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _dialog(services, qtbot) -> PreferencesDialog:  # type: ignore[no-untyped-def]
    dialog = PreferencesDialog(services, lambda: services.engine.installed())
    qtbot.addWidget(dialog)
    return dialog


def test_compute_choice_is_remembered_and_moves_the_models(services, qtbot) -> None:
    dialog = _dialog(services, qtbot)
    where = dialog.where
    assert [where.compute.itemText(i) for i in range(where.compute.count())] == [
        "Automatic", "CPU", "GPU"]
    assert services.engines.pool.requested == "auto"
    assert where.note.text() == LOCAL_NOTE
    _choose(where.compute, "cuda")
    assert services.settings.get(keys.COMPUTE) == "cuda"
    assert services.engines.pool.requested == "cuda"  # a new pool: models load on the GPU
    assert services.engine.pool is services.engines.pool
    services.settings.sync()
    assert Settings().get(keys.COMPUTE) == "cuda"


def test_server_choice_with_key_builds_the_server_engine(services, qtbot) -> None:
    dialog = _dialog(services, qtbot)
    where = dialog.where
    assert not where.url.isEnabled()
    _choose(where.translator, "server")
    assert where.url.isEnabled() and not where.compute.isEnabled()
    assert where.note.text() == NO_SERVER_NOTE
    assert not isinstance(services.engine, ServerEngine)  # no address yet: nothing is sent
    where.url.setText("lt.example:5000/")
    where.url.editingFinished.emit()
    assert services.settings.get(keys.SERVER_URL) == "http://lt.example:5000"
    assert isinstance(services.engine, ServerEngine)
    assert services.engine.where == "LibreTranslate at lt.example:5000"
    assert where.note.text() == (
        "Every sentence translated is sent to lt.example:5000 (the server sees the text; "
        "LibreTranslate logs it).")
    where.key.setText("s3cret")
    where.key.editingFinished.emit()
    folder = paths.app_config_dir()
    assert load_api_key(folder, "http://lt.example:5000") == "s3cret"
    assert key_file(folder).stat().st_mode & 0o777 == 0o600
    assert services.engine.client.api_key == "s3cret"  # rebuilt with the key
    services.settings.sync()
    ini = (folder / "settings.ini").read_text()
    assert "s3cret" not in ini and "lt.example" in ini
    # Back to this computer.
    _choose(where.translator, "local")
    assert not isinstance(services.engine, ServerEngine)


def test_a_bad_address_is_one_line_and_changes_nothing(services, qtbot) -> None:
    dialog = _dialog(services, qtbot)
    where = dialog.where
    _choose(where.translator, "server")
    where.url.setText("ftp://lt.example")
    where.url.editingFinished.emit()
    assert where.note.text() == (
        "not a LibreTranslate server address: 'ftp://lt.example' (use http://host:port)")
    assert services.settings.get(keys.SERVER_URL) == ""
    assert not isinstance(services.engine, ServerEngine)
