"""Where translation happens, in the window: Preferences' group (the compute device:
Automatic / CPU / GPU; "Translate with: this computer | a LibreTranslate server", its address
and optional API key), the status bar's "Translating on …", and the server's language pairs
asked for as soon as a server is chosen (so "Translate to" offers them before anything is
translated).

Each control writes its setting at once, as the rest of Preferences does; the key goes to a
0600 file of the app's (``reader.core.server.choice.save_api_key``), never to settings.ini.
A line under the controls says what leaves the computer. The status label follows the
engine, and each translation (the device is chosen at the first model load, on the worker).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from reader import paths
from reader.core.server.choice import load_api_key, save_api_key, where_label
from reader.core.server.engine import ServerEngine
from reader.core.server.libretranslate import normalize_url, server_label
from reader.ui import settings as keys
from reader.ui.settings import Settings
from reader.ui.window.services import Services

COMPUTE_CHOICES = (("Automatic", "auto"), ("CPU", "cpu"), ("GPU", "cuda"))
TRANSLATOR_CHOICES = (("This computer", "local"), ("A LibreTranslate server", "server"))
LOCAL_NOTE = "Nothing leaves this computer: the installed models translate."
NO_SERVER_NOTE = ("Give the server's address (http://host:port); until then this computer "
                  "translates.")


def server_note(url: str) -> str:
    return (f"Every sentence translated is sent to {server_label(url)} "
            "(the server sees the text; LibreTranslate logs it).")


class TranslateWhereBox(QGroupBox):
    """The group in Preferences; follows ``Settings.changed`` like the rest of the dialog."""

    def __init__(self, settings: Settings, on_key_saved: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Where translation happens", parent)
        self.setObjectName("prefWhere")
        self.settings = settings
        self._on_key_saved = on_key_saved  # the engine reads the key when it is built
        self.compute = QComboBox()
        self.compute.setObjectName("prefCompute")
        self.translator = QComboBox()
        self.translator.setObjectName("prefTranslateWith")
        for combo, choices, setting in ((self.compute, COMPUTE_CHOICES, keys.COMPUTE),
                                        (self.translator, TRANSLATOR_CHOICES,
                                         keys.TRANSLATE_WITH)):
            for label, value in choices:
                combo.addItem(label, value)
            combo.activated.connect(
                lambda i, c=combo, s=setting: self.settings.set(s, str(c.itemData(i))))
        self.url = QLineEdit()
        self.url.setObjectName("prefServerUrl")
        self.url.setPlaceholderText("http://libretranslate.example:5000")
        self.key = QLineEdit()
        self.key.setObjectName("prefServerKey")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("optional")
        self.note = QLabel("")
        self.note.setObjectName("prefWhereNote")
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Compute", self.compute)
        form.addRow("Translate with", self.translator)
        form.addRow("Server", self.url)
        form.addRow("API key", self.key)
        form.addRow(self.note)  # across both columns: a wrapped note gets its full height
        self.url.editingFinished.connect(self.commit_url)
        self.key.editingFinished.connect(self.commit_key)
        self.refresh()

    def commit_url(self) -> None:
        text = self.url.text().strip()
        if not text:
            self.settings.set(keys.SERVER_URL, "")
            return
        try:
            url = normalize_url(text)
        except ValueError as error:
            self.note.setText(str(error))
            return
        self.settings.set(keys.SERVER_URL, url)
        self.refresh()

    def commit_key(self) -> None:
        url = self.settings.get(keys.SERVER_URL)
        if not url:
            return
        try:
            save_api_key(paths.app_config_dir(), url, self.key.text().strip() or None)
        except (OSError, ValueError) as error:
            self.note.setText(f"The API key could not be saved: {error}")
            return
        if self._on_key_saved is not None:
            self._on_key_saved()

    def refresh(self) -> None:
        settings = self.settings
        for combo, setting in ((self.compute, keys.COMPUTE),
                               (self.translator, keys.TRANSLATE_WITH)):
            combo.setCurrentIndex(combo.findData(settings.get(setting)))
        server = settings.get(keys.TRANSLATE_WITH) == "server"
        url = settings.get(keys.SERVER_URL)
        if not self.url.hasFocus():
            self.url.setText(url)
        if not self.key.hasFocus():
            self.key.setText((load_api_key(paths.app_config_dir(), url) or "") if url else "")
        for widget in (self.url, self.key):
            widget.setEnabled(server)
        self.compute.setEnabled(not server)
        if not server:
            self.note.setText(LOCAL_NOTE)
        else:
            self.note.setText(server_note(url) if url else NO_SERVER_NOTE)


def where_text(services: Services) -> str:
    return f"Translating on {where_label(services.engine)}"


class WhereStatus(QLabel):
    """A permanent status-bar label; :meth:`update_text` is its one slot, called when the
    engine changes and when ``translated`` (the article on screen done) is emitted."""

    def __init__(self, services: Services, translated: SignalInstance,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whereStatus")
        self.services = services
        services.engines.changed.connect(self.update_text)
        translated.connect(lambda *_: self.update_text())
        self.update_text()

    def update_text(self) -> None:
        self.setText(where_text(self.services))
        server = isinstance(self.services.engine, ServerEngine)
        self.setToolTip("Every sentence translated is sent to this server" if server
                        else "Nothing leaves this computer")


class ServerPairs(QObject):
    """When the engine becomes a LibreTranslate server whose pairs are not known yet, asks
    for them (one request, on the ``tasks`` worker: network never on the GUI thread), then
    calls ``learned()`` (the window refreshes "Translate to"); a server that cannot be
    reached is one line through ``say``."""

    def __init__(self, services: Services, learned: Callable[[], None],
                 say: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._learned = learned
        self._say = say
        services.engines.changed.connect(self.ask)
        self.ask()

    def ask(self) -> None:
        engine = self.services.engine
        if not isinstance(engine, ServerEngine) or engine.client.known_languages is not None:
            return
        self.services.tasks.submit(
            lambda context: engine.learn(context.is_cancelled), "server-languages",
            on_result=lambda _pairs: self._learned(), on_error=self._say,
        )
