"""Which language a text is in, and the names of languages."""
