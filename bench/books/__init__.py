"""Book rows: a generated ~200,000-word EPUB novel listed, opened in the window and exported."""
