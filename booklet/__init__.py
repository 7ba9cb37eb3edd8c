"""booklet: per-language content files to print-ready PDF factsheets and booklets."""

__version__ = "0.1.0"
