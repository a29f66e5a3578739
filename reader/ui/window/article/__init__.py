"""The article on screen: opening it, its translation jobs, the reader's edits, how it looks."""
