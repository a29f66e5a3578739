"""The glossary's bench row (issue #25): ``python -m bench.glossary [--quick]``."""
