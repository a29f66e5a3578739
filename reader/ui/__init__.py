"""The desktop window (PySide6). ``reader.ui.app.run(paths)`` starts it."""
