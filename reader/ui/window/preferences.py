"""Edit → Preferences (Ctrl+,): every preference of the reader in one dialog.

Changes apply at once (no OK/Apply): each control writes its setting, and the window
follows ``Settings.changed`` exactly as it does for the toolbar's quick switches. The
dialog follows ``changed`` too, so a switch made elsewhere while it is open shows here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.core.models.store import InstalledPackage
from reader.core.translation.cache import CacheStats
from reader.ui import settings as keys
from reader.ui.settings import Settings
from reader.ui.window.languages import source_languages
from reader.ui.window.quick_switches import QUALITY_CHOICES
from reader.ui.window.services import Services
from reader.ui.window.where import TranslateWhereBox
from reader.ui.workers import JobContext

LAYOUT_CHOICES = (("Side by side", "side-by-side"), ("Interleaved", "interleaved"),
                  ("Translation only", "translation-only"))
THEME_CHOICES = (("Follow system", "system"), ("Light", "light"), ("Dark", "dark"))
DETECT = ""  # the default source language's "as detected"


def describe_cache(stats: CacheStats) -> str:
    """One line: how much the cache holds and where."""
    if stats.in_memory:
        where = "in memory only (the cache folder cannot be written)"
    else:
        where = f"{stats.size_bytes / 1_000_000:.1f} MB in {stats.path}"
    edits = f", {stats.user_edits} of your edits" if stats.user_edits else ""
    count = f"{stats.entries:,}".replace(",", "\u202f")
    plural = "" if stats.entries == 1 else "s"
    return f"{count} paragraph translation{plural}{edits}; {where}"


def target_choices(installed: Sequence[InstalledPackage], current: str) -> list[tuple[str, str]]:
    """(code, name) of every language some installed model reaches, directly or through
    English, and the current choice (marked when none does)."""
    from reader.core.models.store import language_name, reachable_targets

    found: dict[str, str] = {}
    for source in sorted({p.from_code for p in installed}):
        found.update(reachable_targets(source, installed))
    if current not in found:
        found[current] = f"{language_name(current, installed)} (no model)"
    return sorted(found.items(), key=lambda item: item[1].casefold())


class PreferencesDialog(QDialog):
    """Signals: ``modelsRequested()`` (the models button); ``cacheCleared(removed: int)``."""

    modelsRequested = Signal()
    cacheCleared = Signal(int)

    def __init__(
        self, services: Services, installed: Callable[[], list[InstalledPackage]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.services = services
        self.settings: Settings = services.settings
        self._installed = installed
        self._clear_job: int | None = None

        self.target = QComboBox()
        self.target.setObjectName("prefTarget")
        self.source = QComboBox()
        self.source.setObjectName("prefSource")
        self.quality = self._choices(QUALITY_CHOICES, keys.QUALITY, "prefQuality")
        self.layout_combo = self._choices(LAYOUT_CHOICES, keys.LAYOUT, "prefLayout")
        self.theme = self._choices(THEME_CHOICES, keys.THEME, "prefTheme")
        self.font_size = QSpinBox()
        self.font_size.setObjectName("prefFontSize")
        self.font_size.setRange(keys.MIN_FONT_SIZE, keys.MAX_FONT_SIZE)
        self.font_size.setSuffix(" pt")
        self.speech_rate = QSpinBox()
        self.speech_rate.setObjectName("prefSpeechRate")
        self.speech_rate.setRange(keys.SPEECH_RATE.minimum or -10, keys.SPEECH_RATE.maximum or 10)
        self.speech_rate.setToolTip("Read aloud: -10 slowest, 0 the voice's own, 10 fastest")
        self.background = QCheckBox("Translate the rest of the library while the window is idle")
        self.background.setObjectName("prefBackground")
        self.folders = QListWidget()
        self.folders.setObjectName("prefFolders")
        self.folders.setMaximumHeight(90)
        self.folders_hint = QLabel("No folder chosen: the library shows the files given at "
                                   "start, or the bundled articles.")
        self.folders_hint.setWordWrap(True)
        add_folder = QPushButton("Add folder…")
        self.remove_folder = QPushButton("Remove")
        self.cache_label = QLabel("")
        self.cache_label.setObjectName("prefCacheSize")
        self.cache_label.setWordWrap(True)
        self.clear_cache_button = QPushButton("Clear translations…")
        self.clear_cache_button.setObjectName("prefClearCache")
        self.clear_cache_button.setToolTip("Forget every machine translation; your edits stay")
        self.models_button = QPushButton("Translation models…")
        self.models_button.setObjectName("prefModels")
        self.feed_minutes = QSpinBox()
        self.feed_minutes.setObjectName("prefFeedMinutes")
        self.feed_minutes.setRange(0, keys.FEED_REFRESH_MINUTES.maximum or 1440)
        self.feed_minutes.setSuffix(" min")
        self.feed_minutes.setSpecialValueText("Off (F5 refreshes)")

        self.where = TranslateWhereBox(self.settings, services.engines.rebuild)
        translation = QGroupBox("Translation")
        form = QFormLayout(translation)
        form.addRow("Translate into", self.target)
        form.addRow("Articles are in", self.source)
        form.addRow("Quality", self.quality)
        form.addRow("", self.background)
        form.addRow("", self.models_button)
        reading = QGroupBox("Reading")
        form = QFormLayout(reading)
        form.addRow("Layout", self.layout_combo)
        form.addRow("Theme", self.theme)
        form.addRow("Text size", self.font_size)
        form.addRow("Refresh feeds every", self.feed_minutes)
        form.addRow("Read aloud speed", self.speech_rate)
        library = QGroupBox("Library folders")
        box = QVBoxLayout(library)
        box.addWidget(self.folders)
        box.addWidget(self.folders_hint)
        row = QHBoxLayout()
        row.addWidget(add_folder)
        row.addWidget(self.remove_folder)
        row.addStretch(1)
        box.addLayout(row)
        cache = QGroupBox("Translation cache")
        box = QVBoxLayout(cache)
        box.addWidget(self.cache_label)
        row = QHBoxLayout()
        row.addWidget(self.clear_cache_button)
        row.addStretch(1)
        box.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # The groups scroll, the Close button stays: the dialog fits a 768 px laptop screen.
        content = QWidget()
        groups = QVBoxLayout(content)
        groups.setContentsMargins(0, 0, 0, 0)
        for group in (translation, self.where, reading, library, cache):
            groups.addWidget(group)
        scroll = QScrollArea()
        scroll.setObjectName("prefScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        wanted = content.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        height = wanted.height() + 60
        if screen is not None:
            height = min(height, int(screen.height() * 0.85))
        self.resize(wanted.width() + scroll.verticalScrollBar().sizeHint().width() + 24, height)

        self.refresh()
        self.target.activated.connect(
            lambda i: self.settings.set(keys.TARGET_LANGUAGE, str(self.target.itemData(i))))
        self.source.activated.connect(
            lambda i: self.settings.set(keys.DEFAULT_SOURCE_LANGUAGE,
                                        str(self.source.itemData(i))))
        self.font_size.valueChanged.connect(lambda v: self.settings.set(keys.FONT_SIZE, v))
        self.feed_minutes.valueChanged.connect(
            lambda v: self.settings.set(keys.FEED_REFRESH_MINUTES, v))
        self.speech_rate.valueChanged.connect(lambda v: self.settings.set(keys.SPEECH_RATE, v))
        self.background.toggled.connect(
            lambda on: self.settings.set(keys.BACKGROUND_TRANSLATION, on))
        add_folder.clicked.connect(self._choose_folder)
        self.remove_folder.clicked.connect(self.remove_selected_folder)
        self.clear_cache_button.clicked.connect(self.clear_cache)
        self.models_button.clicked.connect(self.modelsRequested)
        buttons.rejected.connect(self.close)
        self.settings.changed.connect(self._on_setting)

    def _choices(self, choices: Sequence[tuple[str, str]], setting: keys.Setting[str],
                 name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for label, value in choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda i: self.settings.set(setting, str(combo.itemData(i))))
        return combo

    # -- showing the settings ---------------------------------------------------------------

    def _on_setting(self, key: str) -> None:
        if key.startswith("preferences/"):  # not the reading memory (every article switch)
            self.refresh()

    def refresh(self) -> None:
        """Show the settings as they are now (and the cache's size)."""
        settings, installed = self.settings, self._installed()
        current = settings.get(keys.TARGET_LANGUAGE)
        _fill(self.target, target_choices(installed, current), current)
        _fill(self.source, [(DETECT, "Detect automatically"), *source_languages(installed)],
              settings.get(keys.DEFAULT_SOURCE_LANGUAGE))
        for combo, setting in ((self.quality, keys.QUALITY), (self.layout_combo, keys.LAYOUT),
                               (self.theme, keys.THEME)):
            combo.setCurrentIndex(combo.findData(settings.get(setting)))
        for widget, value in ((self.font_size, settings.get(keys.FONT_SIZE)),
                              (self.feed_minutes, settings.get(keys.FEED_REFRESH_MINUTES)),
                              (self.speech_rate, settings.get(keys.SPEECH_RATE)),
                              (self.background, settings.get(keys.BACKGROUND_TRANSLATION))):
            widget.blockSignals(True)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            else:
                widget.setChecked(bool(value))
            widget.blockSignals(False)
        self.folders.clear()
        for folder in settings.library_folders():
            self.folders.addItem(str(folder))
        self.remove_folder.setEnabled(self.folders.count() > 0)
        self.folders_hint.setVisible(self.folders.count() == 0)
        self.cache_label.setText(describe_cache(self.services.cache.stats()))
        self.where.refresh()

    # -- library folders --------------------------------------------------------------------

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles",
                                                  str(Path.home()))
        if folder:
            self.add_folder(Path(folder))

    def add_folder(self, folder: Path) -> None:
        self.settings.set_library_folders([*self.settings.library_folders(), folder])

    def remove_selected_folder(self) -> None:
        row = self.folders.currentRow()
        folders = self.settings.library_folders()
        if 0 <= row < len(folders):
            del folders[row]
            self.settings.set_library_folders(folders)

    # -- cache ------------------------------------------------------------------------------

    def clear_cache(self) -> int | None:
        """Forget every machine translation (asks first); the reader's edits stay."""
        answer = QMessageBox.question(
            self, "Clear the translation cache?",
            "Forget every machine translation? Articles will be translated again when "
            "read.\n\nYour own edits are kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes or self._clear_job is not None:
            return None
        cache = self.services.cache
        self.clear_cache_button.setEnabled(False)
        self.cache_label.setText("Clearing…")

        def job(context: JobContext) -> object:
            return cache.clear()  # VACUUM can take a while: off the GUI thread

        def done(removed: object) -> None:
            self.cacheCleared.emit(int(removed))  # type: ignore[call-overload]

        def finished(_cancelled: bool) -> None:
            self._clear_job = None
            self.clear_cache_button.setEnabled(True)
            self.refresh()

        self._clear_job = self.services.tasks.submit(job, "clear-cache", on_result=done,
                                                     on_finished=finished)
        return self._clear_job


def _fill(combo: QComboBox, items: Sequence[tuple[str, str]], current: str) -> None:
    combo.blockSignals(True)
    combo.clear()
    for code, name in items:
        combo.addItem(name, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
