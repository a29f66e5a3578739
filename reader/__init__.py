"""bilingual-reader: read foreign-language news beside an offline translation."""

__version__ = "0.1.0"
