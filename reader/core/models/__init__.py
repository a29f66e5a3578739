"""Argos packages: the store, archive checks, tokenizers, the index and downloads."""
