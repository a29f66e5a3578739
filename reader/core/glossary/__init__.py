"""The reader's glossary: terms every translation obeys (entries, matching, storage, decoding)."""
