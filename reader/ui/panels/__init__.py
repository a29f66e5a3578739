"""Panels beside or above the reading view: first-run offer, chapters, feeds, library search."""
