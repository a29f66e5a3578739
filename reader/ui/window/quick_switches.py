"""The toolbar's quick switches: target language and quality.

They show the settings and write to them; the Preferences dialog does the same, and both
follow ``Settings.changed``, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox

from reader.core.models.store import InstalledPackage
from reader.ui import settings as keys
from reader.ui.settings import Settings

QUALITY_CHOICES = (("Fast", "fast"), ("Accurate", "accurate"))


def fill_targets(
    combo: QComboBox, source: str, current: str, installed: Sequence[InstalledPackage]
) -> None:
    """The languages ``source`` can be translated to; the current choice stays visible
    (marked) even when no model reaches it any more."""
    from reader.core.models.store import language_name, reachable_targets

    combo.blockSignals(True)
    combo.clear()
    for code, name in reachable_targets(source, installed):
        combo.addItem(name, code)
    if combo.findData(current) < 0:
        combo.addItem(f"{language_name(current, installed)} (no model)", current)
    combo.setCurrentIndex(combo.findData(current))
    combo.blockSignals(False)


class QuickSwitches(QObject):
    """``target_combo`` and ``quality_combo``, bound to the settings."""

    def __init__(
        self, settings: Settings, installed: Callable[[], list[InstalledPackage]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._installed = installed
        self._source = "fr"
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetLanguage")
        self.target_combo.setMinimumWidth(140)
        self.target_combo.setToolTip("Translate into (languages your installed models reach)")
        self.target_combo.activated.connect(
            lambda index: settings.set(keys.TARGET_LANGUAGE,
                                       str(self.target_combo.itemData(index)))
        )
        self.quality_combo = QComboBox()
        self.quality_combo.setObjectName("quality")
        for label, value in QUALITY_CHOICES:
            self.quality_combo.addItem(label, value)
        self.quality_combo.setToolTip("Fast: greedy decoding (beam 1); accurate: beam 4")
        self.quality_combo.activated.connect(
            lambda index: settings.set(keys.QUALITY, str(self.quality_combo.itemData(index)))
        )
        settings.changed.connect(self._on_setting)
        self._show_quality()
        self.refresh_targets()

    def refresh_targets(self, source: str | None = None) -> None:
        """Offer the targets reachable from ``source`` (the open article's language)."""
        if source:
            self._source = source
        fill_targets(self.target_combo, self._source, self.settings.get(keys.TARGET_LANGUAGE),
                     self._installed())

    def _show_quality(self) -> None:
        combo = self.quality_combo
        combo.setCurrentIndex(combo.findData(self.settings.get(keys.QUALITY)))

    def _on_setting(self, key: str) -> None:
        if key == keys.TARGET_LANGUAGE.key:
            self.refresh_targets()
        elif key == keys.QUALITY.key:
            self._show_quality()
