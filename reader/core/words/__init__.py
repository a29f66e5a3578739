"""Word-level reading: word alignment from attention, sentence and word alternatives, their
JSON; offline dictionaries (StarDict, dictd), lemmas, saved words and their Anki export."""
