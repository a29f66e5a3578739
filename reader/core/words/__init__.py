"""Words: offline dictionaries (StarDict, dictd), lemmas of inflected forms, saved words
and their Anki export."""
