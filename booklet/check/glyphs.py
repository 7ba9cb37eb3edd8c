"""Glyphs: every character has one in its language's fonts; clusters are whole.

Before rendering, every character of a language's content and interface
strings must be in its font stack (a missing one would print as .notdef), and
text in scripts with stacked marks is shaped once with HarfBuzz to find broken
clusters (HarfBuzz shows them with a dotted circle, U+25CC).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from babel import Locale

from ..content.load import Content
from ..content.locales import parse_locale
from ..content.texts import iter_texts
from ..content.typefaces import Typefaces
from ..content.yamlfile import line_of
from ..errors import Problems
from ..render.fonts import STYLES, cmap, font_file

DOTTED_CIRCLE = 0x25CC


def coverage(typefaces: Typefaces, language: str) -> tuple[frozenset[int], list[str]]:
    """The characters a language's stack covers (regular and bold), and missing families."""
    covered: set[int] = set()
    missing = []
    for family in typefaces.stack(language):
        for style in STYLES:
            path = font_file(family, style)
            if path is None:
                missing.append(f"{family} {style}")
            else:
                covered |= cmap(path)
    return frozenset(covered), missing


def _ignorable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def check_glyphs(typefaces: Typefaces, language: str, texts, problems: Problems,
                 config: str | None = None) -> None:
    """Report every character no font of the language's stack has.

    ``texts`` yields (text, file, line, key path); ``config`` is the file that
    names the fonts (publication.yaml).
    """
    covered, missing_families = coverage(typefaces, language)
    for family in missing_families:
        problems.add(f"font {family!r} for language {language!r} is not installed: "
                     "./setup.sh installs the theme's fonts; for another family, install "
                     "it or name an installed one under fonts: (fc-list : family lists them)",
                     config)
    if missing_families:
        return
    names = ", ".join(typefaces.stack(language))
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


def check_clusters(typefaces: Typefaces, language: str, texts, problems: Problems) -> None:
    """Shape each text with the script's font; a dotted circle means a broken cluster.

    Only for languages with fonts of their own: the fallback's scripts have no
    clusters to break.
    """
    own = typefaces.own(language)
    if own is None:
        return
    import uharfbuzz as hb

    path = font_file(own.families[0])
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


def check_fonts(content: Content, problems: Problems) -> None:
    """Every character of every language's texts must have a glyph; clusters must be whole."""
    for code, language in content.languages.items():
        texts = [(text, source.shown, line_of(parent, key), path)
                 for source in language.sources()
                 for text, path, parent, key in iter_texts(source.data)]
        catalogue = content.catalogues.get(code)
        if catalogue is not None:
            shown = content.project.shown(
                content.project.locales / code / "LC_MESSAGES" / "messages.po")
            for message in catalogue:
                strings = message.string if isinstance(message.string, tuple) \
                    else (message.string,)
                texts += [(s, shown, message.lineno, "msgstr") for s in strings if s]
        locale = parse_locale(content.publication.locale_code(code)) or Locale("en")
        names = " ".join(locale.languages.get(other, "") for other in
                         content.publication.languages)
        texts.append((names, content.publication.source.shown, None,
                      "language names (from Babel)"))
        typefaces = content.publication.typefaces
        check_glyphs(typefaces, code, texts, problems, content.publication.source.shown)
        check_clusters(typefaces, code, texts, problems)
