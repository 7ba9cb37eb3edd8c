"""The Jinja environment of a project's templates, its filters, and template errors.

Templates are looked up in the project's templates/ first, then in the theme's,
so a project overrides a theme template by giving its own of the same name. A
name starting with ``theme/`` always means the theme's template: a project's
``booklet.html.j2`` can ``{% extends "theme/booklet.html.j2" %}`` and replace
only the blocks it changes (cover, divider, back_cover…).
"""

from __future__ import annotations

import gettext
import re
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import BookletError
from ..paths import THEME, ProjectPaths

#: The prefix that names a theme template even where the project overrides it.
THEME_PREFIX = "theme"


def loader(project: ProjectPaths) -> jinja2.BaseLoader:
    return jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(project.template_folders),
        jinja2.PrefixLoader({THEME_PREFIX: jinja2.FileSystemLoader(THEME / "templates")}),
    ])


def template_names(project: ProjectPaths) -> list[str]:
    """Every template a build can use: the project's and the theme's, by name."""
    return sorted({path.name for folder in project.template_folders
                   for path in folder.glob("*.j2")})


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, by name and source.

    A build compiles every template to check it, and again for each language;
    the preview server builds again at every edit. Jinja keys each entry by the
    template's name and checks it against the source's checksum, so an edited
    template is compiled anew. Every environment below is configured alike,
    which is what makes their compiled code interchangeable.
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def environment(project: ProjectPaths, translations=None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader(project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)
    env.filters["css_string"] = css_string
    env.globals["css_counters"] = css_counters
    return env


def css_string(text: str) -> Markup:
    """A text as a quoted CSS string, for generated content in a <style> element."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    escaped = escaped.replace("<", "\\3c ").replace(">", "\\3e ")
    return Markup(f'"{escaped}"')


def css_counters(text: str, style: str = "decimal") -> Markup:
    """A translated text with %(page)s / %(pages)s as a CSS content value.

    ``pages`` is a factsheet's own page count (string ``fsend``, set in
    base.html.j2), not the document's: the same text serves the factsheet
    alone and inside the booklet.
    """
    parts = re.split(r"%\((page|pages)\)s", str(text))
    values = []
    for index, part in enumerate(parts):
        if index % 2:
            values.append(f"counter(page, {style})" if part == "page" else "string(fsend)")
        elif part:
            values.append(css_string(part))
    return Markup(" ".join(values) or '""')


def template_error(project: ProjectPaths, error: Exception) -> BookletError:
    """A template problem as an input error naming the template file and line."""
    place = None
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = (error.filename, error.lineno)
    else:  # Jinja rewrites tracebacks so that template frames show template lines
        for frame, line in traceback.walk_tb(error.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith(".j2"):
                place = (name, line)
    where = f"{project.shown(Path(place[0]))}:{place[1]}: " if place else ""
    if isinstance(error, jinja2.TemplateNotFound):
        names = ", ".join(template_names(project))
        return BookletError(f"{where}template error: no template {error.name!r} in "
                            f"templates/ or the theme (the theme's: theme/NAME; "
                            f"there are: {names})")
    message = getattr(error, "message", None) or str(error)
    return BookletError(f"{where}template error: {message}")
