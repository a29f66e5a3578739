"""Words in the window: the dictionary panel, the saved words list, read aloud."""
