"""Commands about words: define, dictionaries (list, install, remove), words (saved words)."""
