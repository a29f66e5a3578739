"""Light and dark palettes, following the system when asked, and the reading font."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader.fonts import register_bundled_fonts

_reading_family: str | None = None


def reading_family() -> str:
    """The serif family the articles are set in: the bundled DejaVu Serif (the same on every
    machine, and it covers French typography), else the system serif."""
    global _reading_family
    if _reading_family is None:
        _reading_family = register_bundled_fonts()[0]
    return _reading_family


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1f2125",
        QPalette.ColorRole.WindowText: "#e4e4e4",
        QPalette.ColorRole.Base: "#17181b",
        QPalette.ColorRole.AlternateBase: "#23252a",
        QPalette.ColorRole.ToolTipBase: "#2b2d33",
        QPalette.ColorRole.ToolTipText: "#e4e4e4",
        QPalette.ColorRole.PlaceholderText: "#8a8d93",
        QPalette.ColorRole.Text: "#dcdcdc",
        QPalette.ColorRole.Button: "#2a2c31",
        QPalette.ColorRole.ButtonText: "#e4e4e4",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#7fb2ff",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Light: "#3a3d44",
        QPalette.ColorRole.Midlight: "#30333a",
        QPalette.ColorRole.Mid: "#26282d",
        QPalette.ColorRole.Dark: "#101113",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6c6f75"))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f3f3f1",
        QPalette.ColorRole.WindowText: "#1d1d1f",
        QPalette.ColorRole.Base: "#fdfdfb",
        QPalette.ColorRole.AlternateBase: "#f1f1ee",
        QPalette.ColorRole.ToolTipBase: "#ffffe8",
        QPalette.ColorRole.ToolTipText: "#1d1d1f",
        QPalette.ColorRole.PlaceholderText: "#8b8b8b",
        QPalette.ColorRole.Text: "#1d1d1f",
        QPalette.ColorRole.Button: "#ececea",
        QPalette.ColorRole.ButtonText: "#1d1d1f",
        QPalette.ColorRole.BrightText: "#c0392b",
        QPalette.ColorRole.Link: "#1f5fbf",
        QPalette.ColorRole.Highlight: "#2f6fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e3e3e0",
        QPalette.ColorRole.Mid: "#c9c9c5",
        QPalette.ColorRole.Dark: "#9d9d99",
        QPalette.ColorRole.Shadow: "#5a5a58",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return palette


def effective_dark(theme: str) -> bool:
    if theme == "dark":
        return True
    if theme == "light":
        return False
    return system_prefers_dark()


def apply_theme(theme: str) -> bool:
    """Set the application palette for ``theme`` ("system", "light", "dark"); True if dark.

    Fusion draws every widget from the palette, so one palette switch re-colours the whole
    window (the platform styles ignore parts of a custom palette)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    dark = effective_dark(theme)
    app.setPalette(dark_palette() if dark else light_palette())
    return dark
