"""What a row and an export show, shared by the window and the exports."""
