"""Dialogs opened from the window: adding an article, the translation models, the glossary."""
