"""Running heads: a factsheet's series and title over its pages, on one line.

A head that does not fit its line drops a part rather than being cut: the title
gives way to the factsheet's short title, then the series goes, then the title.
Whether it fits is measured from the fonts the page margins use (pages.css:
capitals at 7.5 pt), against the width of the language's text column.
"""

from __future__ import annotations

from collections.abc import Callable

from ..content.typefaces import Typefaces
from . import fonts

#: Running heads longer than this many characters do not fit on one line
#: (set in capitals at 7.5 pt, 90 fit the page's text area, 170 mm wide), where
#: the fonts cannot be measured.
RUNNING_HEAD_CHARS = 90
#: The running head's type size (pages.css).
HEAD_SIZE_PT = 7.5


def running_head(series: str, number: str, title: str, short_title: str | None = None,
                 fits: Callable[[str], bool] = lambda head: len(head) <= RUNNING_HEAD_CHARS
                 ) -> str:
    """A factsheet's running head, on one line and never cut off.

    The series, number and title; else with the short title; else without the
    series; else the series and number alone. ``fits`` says whether a head
    fits on its line.
    """
    titles = [title] + ([short_title] if short_title else [])
    candidates = [f"{series}  ·  {number}. {t}" for t in titles] + \
        [f"{number}. {t}" for t in titles]
    return next((c for c in candidates if fits(c)), f"{series}  ·  {number}")


def head_fits(typefaces: Typefaces, language: str, width_mm: float) -> Callable[[str], bool]:
    """Whether a head fits a column ``width_mm`` wide, set in the language's page fonts
    (the fallback, then its own), with room to spare: advance widths know no kerning."""
    own = typefaces.own(language)
    families = typefaces.fallback + (own.families if own else ())

    def fits(head: str) -> bool:
        width = fonts.advance_mm(head.upper(), families, HEAD_SIZE_PT)
        return width is not None and width <= 0.94 * width_mm

    return fits
