"""Sentences through CTranslate2: engine, runs, decoder, options, cache, post-edits, word links."""
