"""Fonts: the stylesheet that sets each language in its typefaces, and the files
fontconfig gives for them.

Which families set which language is configuration (content/typefaces.py: the
theme's fonts.yaml under publication.yaml's ``fonts:``); this module turns it
into CSS and finds the files, for the glyph checks and the build's fingerprints.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from tinycss2.serializer import serialize_identifier, serialize_string_value

from ..content.typefaces import Typefaces
from .geometry import TEXT_WIDTH_MM, side_margin, text_width
from .palette import parsed_back

STYLES = ("Regular", "Bold")


def _families(names: Iterable[str]) -> str:
    return ", ".join('"' + serialize_string_value(name) + '"' for name in names) + ", sans-serif"


def stylesheet(typefaces: Typefaces, languages: Iterable[str]) -> str:
    """CSS: the text font (the fallback families), and each language's font stack,
    line heights and measure, where it has its own.

    Page margins (running heads, page numbers) do not inherit ``:lang()`` rules:
    they take ``--font-page``, the fallback then the language's own families, so
    that digits and Latin letters there come from the fallback in every language.
    A measure narrower than the text area widens the page's side margins
    (``--page-side``, which pages.css reads: pages do see the root's properties).
    """
    fallback = _families(typefaces.fallback)
    rules = [":root { --font-text: " + fallback + "; --font-page: " + fallback + "; }"]
    for language in dict.fromkeys(languages):
        selector = ":lang(" + serialize_identifier(language) + ")"
        own = typefaces.own(language)
        if own:
            rules.append(selector + " { font-family: "
                         + _families(typefaces.stack(language)) + "; }")
            rules.append("html" + selector + " { --font-page: "
                         + _families(typefaces.fallback + own.families) + "; }")
        leading = typefaces.leading(language)
        if leading:
            rules.append("html" + selector + " { --leading: " + leading[0]
                         + "; --leading-tight: " + leading[1] + "; }")
        if text_width(typefaces, language) < TEXT_WIDTH_MM:
            rules.append("html" + selector + " { --page-side: "
                         + f"{side_margin(typefaces, language):g}" + "mm; }")
    return parsed_back("\n".join(rules) + "\n", "the font configuration")


@lru_cache(maxsize=64)
def font_file(family: str, style: str = "Regular") -> Path | None:
    """The file fontconfig gives for a family and style, if it really is that family."""
    try:
        result = subprocess.run(
            ["fc-match", "--format=%{file}\n%{family}", f"{family}:style={style}"],
            capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.splitlines()
    if len(lines) < 2 or family not in lines[1].split(","):
        return None  # fontconfig substituted another family: this one is not installed
    return Path(lines[0])


def files(typefaces: Typefaces, language: str) -> list[str]:
    """The font files a language's text is set in (regular and bold of each family)."""
    found = (font_file(family, style) for family in typefaces.stack(language)
             for style in STYLES)
    return sorted({str(path) for path in found if path})


def advance_mm(text: str, families: Iterable[str], size_pt: float) -> float | None:
    """How wide ``text`` is set in the first of ``families`` that has each character,
    from the fonts' advance widths (no kerning or shaping: a little generous for
    Latin text); None if a character is in none of them."""
    widths = [_advances(path) for path in
              (font_file(family) for family in families) if path]
    total = 0.0
    for character in text:
        advance = next((w[ord(character)] for w in widths if ord(character) in w), None)
        if advance is None:
            if character.isspace() or character in "\u200b\u200c\u200d\u2066\u2067\u2068\u2069":
                continue
            return None
        total += advance
    return total * size_pt * 25.4 / 72


@lru_cache(maxsize=32)
def _advances(path: Path) -> dict[int, float]:
    """Each character's advance width in the font, in ems."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        metrics, units = font["hmtx"].metrics, font["head"].unitsPerEm
        return {code: metrics[name][0] / units
                for code, name in (font.getBestCmap() or {}).items()}


@lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    """The characters a font file has glyphs for (a collection's first font: the
    fonts of one collection cover the same characters)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})
