"""Interface catalogues: locales/<lang>/LC_MESSAGES/messages.po and the template.

Interface strings (labels such as "Facts" or "What can you do?") live in
gettext catalogues. They are compiled in memory at every build (see
render.localization), so no stale .mo file can be used by mistake.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po

from ..errors import Problems
from ..paths import THEME, ProjectPaths

#: Where the package's interface strings are: its code and the theme's templates
#: (the same as the repository's babel.cfg).
PACKAGE = THEME.parent
EXTRACTION = [("**.py", "python"), ("theme/templates/**.j2", "jinja2")]
EXTRACTION_OPTIONS = {"theme/templates/**.j2": {"extensions": "jinja2.ext.i18n",
                                                "silent": "false"}}


#: The package's translations of its interface strings, by language: what a new
#: project's catalogue starts from; the project's own catalogue then rules.
THEME_LOCALES = THEME / "locales"


def _base_language(code: str) -> str:
    """pt for pt_BR or pt-BR."""
    return code.replace("-", "_").split("_")[0]


def theme_translations(code: str) -> dict:
    """The theme's translation of each interface string into ``code`` (empty if none):
    the language's own catalogue, else its base language's (pt for pt_BR)."""
    for name in dict.fromkeys((code.replace("-", "_"), _base_language(code))):
        path = THEME_LOCALES / name / "LC_MESSAGES" / "messages.po"
        catalogue = read_catalogue(path, name) if path.is_file() else None
        if catalogue is not None:
            return {(message.id, message.context): message.string for message in catalogue
                    if message.id and message.string}
    return {}


def starting_catalogue(template: Catalog, code: str, **header) -> Catalog:
    """A language's first catalogue: every message of the template, translated where
    the theme has a translation, and into itself in English (the strings' language)."""
    catalogue = Catalog(locale=code.replace("-", "_"), fuzzy=False, **header)
    translated = theme_translations(code)
    english = _base_language(code) == "en"
    for message in template:
        if message.id:
            string = message.id if english else translated.get((message.id, message.context))
            catalogue.add(message.id, string, locations=message.locations,
                          flags=message.flags, auto_comments=message.auto_comments,
                          context=message.context)
    return catalogue


def catalogue_path(project: ProjectPaths, code: str) -> Path:
    return project.locales / code / "LC_MESSAGES" / "messages.po"


def load_catalogue(project: ProjectPaths, code: str, problems: Problems):
    """Read a language's catalogue; record problems with file and line."""
    path = catalogue_path(project, code)
    shown = project.shown(path)
    if not path.is_file():
        if theme_translations(code) or _base_language(code) == "en":
            # The package's translations serve until the project words its own.
            problems.warn(f"no interface catalogue for language {code!r}: the package's "
                          "translations are used (a catalogue here words them the "
                          "project's own way)", shown)
            return starting_catalogue(template_catalogue(project), code)
        problems.add(f"no interface catalogue for language {code!r}, and the package has "
                     "no translation of its strings into it (booklet new-language "
                     f"{code} writes one to translate)", shown)
        return None
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=code.replace("-", "_"), abort_invalid=True)
    except PoFileError as error:
        # Babel counts lines from 0 and repeats the number in its message.
        line = error.lineno + 1 if isinstance(getattr(error, "lineno", None), int) else None
        message = re.sub(r" on \d+$", "", str(error))
        problems.add(f"catalogue syntax: {message}", shown, line)
    except (UnknownLocaleError, ValueError, UnicodeDecodeError) as error:
        problems.add(f"cannot read catalogue: {error}", shown)
    return None


def read_catalogue(path: Path, code: str):
    """A catalogue, or None if it is absent or unreadable (load_catalogue says why)."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=code.replace("-", "_"))
    except (OSError, PoFileError, UnknownLocaleError, ValueError, UnicodeDecodeError):
        return None


def template_ids(project: ProjectPaths) -> set:
    """The message ids of the template catalogue: locales/messages.pot, or without one,
    the package's own interface strings (those of the theme's templates)."""
    return {message.id for message in template_catalogue(project) if message.id}


def template_catalogue(project: ProjectPaths) -> Catalog:
    """locales/messages.pot (a project whose templates add strings extracts its own),
    else the package's interface strings."""
    path = project.locales / "messages.pot"
    if not path.is_file():
        return package_template(project.root.name)
    with path.open("rb") as handle:
        return read_po(handle)


def package_template(project_name: str) -> Catalog:
    """The template catalogue of every interface string the package and its theme use,
    extracted from their sources by Babel (what ``pybabel extract`` writes)."""
    template = Catalog(project=project_name, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, EXTRACTION, EXTRACTION_OPTIONS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def catalogue_review(path) -> tuple[str | None, str | None]:
    """Who reviewed a catalogue and when: its X-Reviewed-By/-Date header fields.

    Read with translate-toolkit's PO store, which keeps every header field
    (Babel's Catalog keeps only those it knows, and drops these).
    """
    from translate.storage import pypo  # imported when first used, for start-up time

    try:
        header = pypo.pofile.parsestring(path.read_bytes()).parseheader()
    except (OSError, ValueError):
        return None, None
    return header.get("X-Reviewed-By") or None, header.get("X-Reviewed-Date") or None
