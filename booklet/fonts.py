"""Fonts: the font stack of each script, and the checks that every character has a glyph.

The stacks here and the `:lang()` rules in styles/scripts.css name the same
families. Before rendering, every character of a language's content and
interface strings must be in its stack (a missing one would print as .notdef),
and text in scripts with stacked marks is shaped once with HarfBuzz to find
broken clusters (HarfBuzz shows them with a dotted circle, U+25CC).
"""

from __future__ import annotations

import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

from .errors import Problems

BASE = ("Noto Sans", "Noto Sans Symbols2")
SCRIPT_FAMILIES = {
    "th": ("Noto Sans Thai",),
    "lo": ("Noto Sans Lao",),
    "km": ("Noto Sans Khmer",),
    "my": ("Noto Sans Myanmar",),
}
#: Scripts whose clusters are checked for the dotted circle.
CLUSTER_SCRIPTS = {"th", "lo", "km", "my"}
DOTTED_CIRCLE = 0x25CC


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
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


def coverage(language: str) -> tuple[frozenset[int], list[str]]:
    """The characters a language's stack covers (regular and bold), and missing families."""
    covered: set[int] = set()
    missing = []
    for family in stack(language):
        for style in ("Regular", "Bold"):
            path = font_file(family, style)
            if path is None:
                missing.append(f"{family} {style}")
            else:
                covered |= _cmap(path)
    return frozenset(covered), missing


def _ignorable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def check_glyphs(language: str, texts, problems: Problems) -> None:
    """Report every character no font of the language's stack has.

    ``texts`` yields (text, file, line, key path).
    """
    covered, missing_families = coverage(language)
    for family in missing_families:
        problems.add(f"font {family!r} for language {language!r} is not installed "
                     "(run ./setup.sh)")
    if missing_families:
        return
    names = ", ".join(stack(language))
    for text, file, line, key in texts:
        reported = set()
        for char in text:
            if ord(char) in covered or _ignorable(char) or char in reported:
                continue
            reported.add(char)
            name = unicodedata.name(char, "unnamed character")
            problems.add(f"character {char!r} (U+{ord(char):04X} {name}) has no glyph in the "
                         f"fonts for {language} ({names})", file, line, key)


@lru_cache(maxsize=8)
def _shaper(path: Path):
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(path))
    face = hb.Face(blob)
    font = hb.Font(face)
    return font, font.get_nominal_glyph(DOTTED_CIRCLE)


def check_clusters(language: str, texts, problems: Problems) -> None:
    """Shape each text with the script's font; a dotted circle means a broken cluster."""
    code = language.split("_")[0]
    if code not in CLUSTER_SCRIPTS:
        return
    import uharfbuzz as hb

    path = font_file(SCRIPT_FAMILIES[code][0])
    if path is None:
        return  # reported by check_glyphs
    font, dotted = _shaper(path)
    if dotted is None:
        return
    for text, file, line, key in texts:
        if chr(DOTTED_CIRCLE) in text:
            continue
        buffer = hb.Buffer()
        buffer.add_str(str(text))
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        for info in buffer.glyph_infos:
            if info.codepoint == dotted:
                cluster = text[max(0, info.cluster - 3):info.cluster + 3]
                problems.add(f"broken character cluster near {cluster!r} (a mark without "
                             f"its base, or marks in the wrong order): it would print with a "
                             f"dotted circle", file, line, key)
                break
