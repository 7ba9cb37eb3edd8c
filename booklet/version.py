"""The version of booklet."""

__version__ = "0.1.0"
