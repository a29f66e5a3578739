"""Text as it enters: bytes to text, hygiene, sentences, writing systems, bounded slices."""
