"""The desktop window (PySide6). ``reader.ui.app.run(paths)`` starts it."""

from reader.ui import pyside_fix

# Before any widget exists: PySide6 6.12 on Python 3.11 loses a reference to None per call.
pyside_fix.apply()
