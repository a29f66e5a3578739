"""The article on screen: opening it, its translation jobs, the reader's edits, word links and
alternatives, how it looks."""
