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


def catalogue_path(project: ProjectPaths, code: str) -> Path:
    return project.locales / code / "LC_MESSAGES" / "messages.po"


def load_catalogue(project: ProjectPaths, code: str, problems: Problems):
    """Read a language's catalogue; record problems with file and line."""
    path = catalogue_path(project, code)
    shown = project.shown(path)
    if not path.is_file():
        problems.add(f"no interface catalogue for language {code!r}", shown)
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


def template_ids(project: ProjectPaths, problems: Problems) -> set:
    """The message ids of the template catalogue, locales/messages.pot."""
    path = project.locales / "messages.pot"
    if not path.is_file():
        problems.add("no template catalogue (run: pybabel extract -F babel.cfg "
                     "-o locales/messages.pot .)", project.shown(path))
        return set()
    with path.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


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
