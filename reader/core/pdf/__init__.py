"""Text PDFs → articles: the text layer read in a bounded child process, then rebuilt
(reading order, running lines removed, paragraphs, title)."""
