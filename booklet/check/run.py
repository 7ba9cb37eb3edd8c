"""Load and check a project: every problem collected, then one stop."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..content.catalogues import load_catalogue, template_ids
from ..content.load import Content, load
from ..errors import Problems
from ..paths import ProjectPaths
from ..render.templates import environment, template_names
from .catalogue import check_catalogue
from .characters import check_characters
from .content import check
from .glyphs import check_fonts


def load_and_check(project: ProjectPaths, languages: list[str], problems: Problems,
                   strict: bool = False) -> Content:
    content = load(project, problems, languages)
    if content is not None:
        check(content, problems)
        check_characters(content, problems)
        content.catalogues = load_catalogues(project, content, problems)
        check_fonts(content, problems)
    check_templates(project, problems)
    problems.raise_if_errors(strict)
    return content


def load_catalogues(project: ProjectPaths, content: Content, problems: Problems) -> dict:
    """Each loaded language's interface catalogue, checked against the template."""
    wanted = template_ids(project)
    catalogues = {}
    for code in content.languages:
        catalogue = load_catalogue(project, code, problems)
        if catalogue is not None:
            check_catalogue(project, code, catalogue, wanted, problems)
            catalogues[code] = catalogue
    return catalogues


def check_templates(project: ProjectPaths, problems: Problems) -> None:
    """Compile every template, so `booklet check` reports template errors too."""
    env = environment(project)
    for name in template_names(project):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else project.themed("templates", name)
            problems.add(f"template error: {error.message}", project.shown(path), error.lineno)
