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

from ..errors import BookletError
from ..paths import ProjectPaths

PROFILE = Path("icc") / "FOGRA39L.icc"
CMYK = re.compile(r"device-cmyk\(\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\)")
DEFINITION = re.compile(r"--([a-z0-9-]+):\s*(device-cmyk\([^)]*\))\s*;")
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


def cmyk_to_rgb(values: tuple[float, ...], profile: Path) -> tuple[int, int, int]:
    """sRGB of a CMYK colour (values 0-1) through the CMYK profile."""
    from PIL import Image, ImageCms

    if not profile.is_file():
        raise BookletError(f"the CMYK profile {profile} is missing: run ./setup.sh to build it")
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


def load(project: ProjectPaths, edition: str) -> Palette:
    path = project.themed("styles", "palette.css")
    if not path.is_file():
        raise BookletError(f"no palette: {project.shown(project.styles / 'palette.css')} "
                           "does not exist, and the theme has none")
    text = path.read_text(encoding="utf-8")
    profile = profile_path(project)

    def convert(match: re.Match) -> str:
        if edition == "print":
            return match.group(0)
        values = tuple(float(v) for v in match.groups())
        red, green, blue = cmyk_to_rgb(values, profile)
        return f"rgb({red} {green} {blue})"

    css = CMYK.sub(convert, text)
    colours = {name: CMYK.sub(convert, value) for name, value in DEFINITION.findall(text)}
    return Palette(colours, css, path)
