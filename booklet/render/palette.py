"""The palette: colours defined once in CMYK (palette.css), shown per edition.

palette.css and the CMYK profile (icc/FOGRA39L.icc) are the project's, in its
styles/ folder, or else the theme's.

The print edition keeps every colour as device-cmyk; the screen edition turns
each into sRGB through the same CMYK profile the print edition names as its
output intent, so both editions show the same colours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tinycss2

from ..errors import BookletError
from ..paths import ProjectPaths

PROFILE = Path("icc") / "FOGRA39L.icc"
#: How a figure names a palette colour.
PLACEHOLDER = re.compile(r"\{\{\s*colours\.([a-z0-9-]+)\s*\}\}")
EDITIONS = ("print", "screen")


def profile_path(project: ProjectPaths) -> Path:
    return project.themed("styles", PROFILE)


@lru_cache(maxsize=4)
def _transform(path: Path):
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.getOpenProfile(str(path)),
                                   ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def missing_profile(shown: str) -> BookletError:
    """The error for a missing CMYK profile, saying where one comes from."""
    return BookletError(f"the CMYK profile {shown} is missing: booklet's ./setup.sh "
                        "builds it into the package's theme; or put a FOGRA39 profile at "
                        "styles/icc/FOGRA39L.icc")


def cmyk_to_rgb(values: tuple[float, ...], profile: Path) -> tuple[int, int, int]:
    """sRGB of a CMYK colour (values 0-1) through the CMYK profile."""
    from PIL import Image, ImageCms

    if not profile.is_file():
        raise missing_profile(str(profile))
    pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in values))
    return ImageCms.applyTransform(pixel, _transform(profile)).getpixel((0, 0))


@dataclass
class Palette:
    """The named colours of a project, for one edition."""

    colours: dict[str, str]  # name → CSS colour for this edition
    css: str  # palette.css for this edition
    path: Path  # the palette.css it was read from

    def colour(self, name: str) -> str | None:
        return self.colours.get(name)


#: A series colour's shades, as tints of its accent when publication.yaml gives only it
#: (ink, for small text, is the accent itself unless given darker).
SHADES = {"accent": 1.0, "ink": 1.0, "mid": 0.75, "pale": 0.15}


def load(project: ProjectPaths, edition: str, defined: dict | None = None) -> Palette:
    """The palette for ``edition``: palette.css (the project's, else the theme's) and
    the series colours publication.yaml defines (``defined``: name → {accent, mid?,
    pale?}, each "C M Y K" from 0 to 1), read as CSS (tinycss2), every
    ``device-cmyk()`` kept for print and turned into ``rgb()`` for the screen."""
    path = project.themed("styles", "palette.css")
    text = palette_text(project) + series_css(defined or {})
    shown = project.shown(path)
    profile = profile_path(project)
    rules = tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)

    def convert(function) -> str:
        if edition == "print":
            return tinycss2.serialize([function])
        values = tuple(float(token.value) for token in function.arguments
                       if token.type == "number")
        if len(values) != 4 or not all(0 <= v <= 1 for v in values):
            raise BookletError(f"{shown}:{function.source_line}: device-cmyk() takes four "
                               "numbers from 0 to 1")
        red, green, blue = cmyk_to_rgb(values, profile)
        return f"rgb({red} {green} {blue})"

    colours = {}
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                          skip_whitespace=True):
            value = [t for t in declaration.value if t.type not in ("whitespace", "comment")] \
                if declaration.type == "declaration" else []
            if declaration.name.startswith("--") and len(value) == 1 and _is_cmyk(value[0]):
                colours[declaration.name[2:]] = convert(value[0])
    css = text if edition == "print" else tinycss2.serialize(_replaced(rules, convert))
    return Palette(colours, css, path)


def palette_text(project: ProjectPaths) -> str:
    path = project.themed("styles", "palette.css")
    if not path.is_file():
        raise BookletError(f"no palette: {project.shown(project.styles / 'palette.css')} "
                           "does not exist, and the theme has none")
    return path.read_text(encoding="utf-8")


def series_css(defined: dict) -> str:
    """CSS for series colours defined in publication.yaml: each shade as a palette
    colour, and a ``.series-NAME`` rule as palette.css has for its own colours."""
    if not defined:
        return ""
    variables, rules = [], []
    for name, shades in defined.items():
        accent = _cmyk(shades["accent"])
        for shade, tint in SHADES.items():
            values = _cmyk(shades[shade]) if shade in shades else \
                tuple(value * tint for value in accent)
            suffix = "" if shade == "accent" else f"-{shade}"
            variables.append(f"  --{name}{suffix}: device-cmyk("
                             + " ".join(f"{round(value, 4):g}" for value in values) + ");")
        rules.append(f".series-{name} {{ " + " ".join(
            f"--accent{'' if shade == 'accent' else '-' + shade}: "
            f"var(--{name}{'' if shade == 'accent' else '-' + shade});" for shade in SHADES)
            + " }")
    css = "\n/* Series colours defined in publication.yaml */\n:root {\n" + \
        "\n".join(variables) + "\n}\n" + "\n".join(rules) + "\n"
    return parsed_back(css, "series colours")


def parsed_back(css: str, made_from: str) -> str:
    """CSS written from configuration, once tinycss2 has read it back without an error:
    a name or value that breaks CSS is a bug in what wrote it."""
    errors = [node for node in tinycss2.parse_stylesheet(css, skip_comments=True,
                                                         skip_whitespace=True)
              if node.type == "error"]
    if errors:
        raise ValueError(f"{made_from} made invalid CSS: {errors[0].message}")
    return css


def _cmyk(text: str) -> tuple[float, ...]:
    return tuple(float(value) for value in str(text).split())


def series_colours(project: ProjectPaths) -> set[str]:
    """The series colours palette.css defines: the NAMEs of its ``.series-NAME`` rules."""
    names = set()
    for rule in tinycss2.parse_stylesheet(palette_text(project), skip_comments=True,
                                          skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        tokens = [token for token in rule.prelude if token.type != "whitespace"]
        if len(tokens) == 2 and tokens[0] == "." and tokens[1].type == "ident" and \
                tokens[1].value.startswith("series-"):
            names.add(tokens[1].value.removeprefix("series-"))
    return names


def _is_cmyk(token) -> bool:
    return token.type == "function" and token.lower_name == "device-cmyk"


def _replaced(tokens: list, convert) -> list:
    """The tokens with each device-cmyk() function replaced by what ``convert`` makes of it."""
    result = []
    for token in tokens:
        if _is_cmyk(token):
            result.append(tinycss2.parse_one_component_value(convert(token)))
        elif hasattr(token, "content") and token.content is not None:
            token.content = _replaced(token.content, convert)
            result.append(token)
        elif hasattr(token, "arguments"):
            token.arguments = _replaced(token.arguments, convert)
            result.append(token)
        else:
            result.append(token)
    return result
