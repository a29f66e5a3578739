"""Books: EPUB 2 and 3 packages read into one Article with chapters (reader.core.books.epub)."""
