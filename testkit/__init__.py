"""Real Argos packages for tests and the benchmark: hand-set models with exactly predictable
output (``handset_package``), random-weight ones (``synthetic_package``), other vendors'
layouts (``package_layouts``); EPUB 2 and 3 books from a few lines of description
(``epub_books``). Beside ``tests/``, not in the wheel: users never need it."""
