"""Text PDFs → articles: the text layer read in a bounded child process, then rebuilt (reading order, paragraphs, title)."""
