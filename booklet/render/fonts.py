"""Fonts: the font stack of each script, and the files fontconfig gives for it.

The stacks here and the `:lang()` rules in styles/scripts.css name the same
families.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

BASE = ("Noto Sans", "Noto Sans Symbols2")
SCRIPT_FAMILIES = {
    "th": ("Noto Sans Thai",),
    "lo": ("Noto Sans Lao",),
    "km": ("Noto Sans Khmer",),
    "my": ("Noto Sans Myanmar",),
}


def stack(language: str) -> tuple[str, ...]:
    """The font families for a language, first choice first."""
    return SCRIPT_FAMILIES.get(language.split("_")[0], ()) + BASE


@lru_cache(maxsize=32)
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


def files(language: str) -> list[str]:
    """The font files a language's text is set in (regular and bold of each family)."""
    found = (font_file(family, style) for family in stack(language)
             for style in ("Regular", "Bold"))
    return sorted({str(path) for path in found if path})


@lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})
