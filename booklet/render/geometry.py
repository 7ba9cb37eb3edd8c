"""The theme's page (pages.css): A4, and the width its running text is set to.

A script's text may be set narrower than the page's text area (its
``measure`` in the fonts configuration: 60 to 75 characters a line for Latin
and Cyrillic text); the side margins then widen, and figures and running
heads are drawn to the narrower width.
"""

from __future__ import annotations

from ..content.typefaces import Typefaces

#: pages.css: an A4 page with 20 mm side margins.
PAGE_WIDTH_MM = 210
TEXT_WIDTH_MM = 170


def text_width(typefaces: Typefaces, language: str) -> float:
    """The width in mm of a language's running text, figures and running heads."""
    return min(typefaces.measure(language) or TEXT_WIDTH_MM, TEXT_WIDTH_MM)


def side_margin(typefaces: Typefaces, language: str) -> float:
    """Each side margin in mm of a language's pages of text."""
    return (PAGE_WIDTH_MM - text_width(typefaces, language)) / 2
