"""What a file or web page becomes: the Article model and the parsing pipeline."""
