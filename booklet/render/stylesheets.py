"""Stylesheets: what an edition's documents are styled with, parsed once per process.

The cascade: the palette, the theme's sheets (each language's fonts before
scripts.css, then the edition's sheet), the right-to-left sheet for documents
written right to left, the project's own additions, and copyfitting's levels last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BookletError
from ..paths import ProjectPaths
from . import fit, palette

STYLESHEETS = ("pages.css", "components.css", "scripts.css")
#: Added after the edition's stylesheet for documents written right to left.
RTL_STYLESHEET = "rtl.css"
#: A project's own additions to the theme's styles, after them (optional).
PROJECT_STYLESHEET = "publication.css"


@dataclass(frozen=True)
class StyleSource:
    """One stylesheet to parse: its text, and where its URLs are relative to."""

    text: str
    base_url: str | None = None


@dataclass
class Parsed:
    """An edition's parsed stylesheets, for documents written left to right and right to left."""

    stylesheets: list
    rtl_stylesheets: list
    color_profiles: dict
    font_faces: bool


#: Stylesheets parsed in this process, by their sources: parsing takes longer than
#: laying out a short factsheet, and a build makes hundreds of documents.
PARSED: dict[tuple, Parsed] = {}
#: How many versions are kept (a preview server sees the styles edited).
KEPT = 8


def sources(project: ProjectPaths, edition: str, colours: palette.Palette,
            typefaces: str) -> tuple:
    """What an edition's stylesheets are made of, in cascade order: the palette, the
    theme's sheets with each language's fonts before scripts.css, the right-to-left
    sheet, the project's own additions, then copyfitting's levels. Their texts are
    part of it, so that an edited stylesheet is parsed again."""
    sources = [("palette", StyleSource(colours.css, str(colours.path)))]
    names = STYLESHEETS + (("print.css",) if edition == "print" else ("screen.css",))
    for name in names + (RTL_STYLESHEET,):
        if name == "scripts.css":
            sources.append(("fonts", StyleSource(typefaces)))
        if edition == "print" and name == "print.css" and \
                not palette.profile_path(project).is_file():
            raise palette.missing_profile(project.shown(palette.profile_path(project)))
        path = project.themed("styles", name)
        if not path.is_file():
            raise BookletError(f"the stylesheet {name} is in neither "
                               f"{project.shown(project.styles)}/ nor the theme")
        sources.append((name, _file(path)))
    own = project.styles / PROJECT_STYLESHEET
    if own.is_file():
        sources.append((PROJECT_STYLESHEET, _file(own)))
    sources.append(("fit", StyleSource(fit.stylesheet())))
    return tuple(sources)


def _file(path: Path) -> StyleSource:
    # As CSS(filename=…) would: the file's own path is the base of its URLs.
    return StyleSource(path.read_text(encoding="utf-8"), str(path))


def parsed(sources: tuple, fetcher, font_config) -> Parsed:
    """The stylesheets made of ``sources`` (from ``sources()``), parsed once per process.

    Stylesheets with @font-face rules are parsed for each renderer: their fonts
    go into the renderer's own font configuration.
    """
    known = PARSED.get(sources)
    if known is None:
        known = _parse(sources, fetcher, font_config)
        if not known.font_faces:
            if len(PARSED) >= KEPT:
                del PARSED[next(iter(PARSED))]
            PARSED[sources] = known
    return known


def _parse(sources: tuple, fetcher, font_config) -> Parsed:
    from weasyprint import CSS

    # The same dict goes to every stylesheet and to WeasyPrint, or the print
    # edition's @color-profile would be ignored.
    color_profiles: dict = {}
    parsed = {name: CSS(string=source.text, base_url=source.base_url, url_fetcher=fetcher,
                        font_config=font_config, color_profiles=color_profiles)
              for name, source in sources}
    for profile in color_profiles.values():
        # LittleCMS writes a profile out with the tags read so far, and the output
        # intent reads its name after the profile is embedded: read it now, or the
        # first PDF written from a layout (a booklet) embeds other bytes than the
        # next (its factsheets), and a factsheet copied differs from it alone.
        profile.name  # noqa: B018
    sheets = [sheet for name, sheet in parsed.items()
              if name not in (RTL_STYLESHEET, PROJECT_STYLESHEET, "fit")]
    additions = [parsed[PROJECT_STYLESHEET]] if PROJECT_STYLESHEET in parsed else []
    # Last: a factsheet's copyfitting level overrides the design's settings.
    return Parsed(sheets + additions + [parsed["fit"]],
                  sheets + [parsed[RTL_STYLESHEET]] + additions + [parsed["fit"]],
                  color_profiles, font_config._folder is not None)
