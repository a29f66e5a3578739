"""The status bar's "where text goes": "Translating on this computer (CPU (no CUDA
device))" or "Translating on LibreTranslate at host:5000", updated when the engine changes
and after each translation (the device is chosen at the first model load, on the worker)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from reader.core.translation.engine_choice import where_label
from reader.core.translation.server_engine import ServerEngine
from reader.ui.window.services import Services


def where_text(services: Services) -> str:
    return f"Translating on {where_label(services.engine)}"


class WhereStatus(QLabel):
    """A permanent status-bar label; :meth:`update_text` is its one slot."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whereStatus")
        self.services = services
        services.engines.changed.connect(self.update_text)
        self.update_text()

    def update_text(self) -> None:
        self.setText(where_text(self.services))
        server = isinstance(self.services.engine, ServerEngine)
        self.setToolTip("Every sentence translated is sent to this server" if server
                        else "Nothing leaves this computer")
