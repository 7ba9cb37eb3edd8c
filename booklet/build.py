"""Build: load → check → render HTML → render PDF → write, for every output.

Everything is loaded and checked before anything is written; each PDF and the
report are written atomically, so a failed build leaves earlier outputs intact.
"""

from __future__ import annotations

import calendar
import contextlib
import fcntl
import json
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import __version__
from .check import check, check_fonts
from .errors import BookletError, Problems
from .html import Renderer, environment
from .load import Content, FactsheetSpec, load
from .localization import check_catalogue, load_catalogue, template_ids, translations_from
from .pdf import write_atomically
from .project import Project

EDITION = "screen"


def load_and_check(project: Project, languages: list[str], problems: Problems,
                   strict: bool = False) -> Content:
    content = load(project, problems, languages)
    if content is not None:
        check(content, problems)
        content.catalogues = load_catalogues(project, content, problems)
        check_fonts(content, problems)
    check_templates(project, problems)
    problems.raise_if_errors(strict)
    return content


def load_catalogues(project: Project, content: Content, problems: Problems) -> dict:
    """Each loaded language's interface catalogue, checked against the template."""
    wanted = template_ids(project, problems)
    catalogues = {}
    for code in content.languages:
        catalogue = load_catalogue(project, code, problems)
        if catalogue is not None:
            check_catalogue(project, code, catalogue, wanted, problems)
            catalogues[code] = catalogue
    return catalogues


@dataclass(frozen=True)
class Output:
    """One PDF to make: which language, which document, where it goes."""

    language: str
    kind: str  # "booklet" or "factsheet"
    path: Path
    factsheet: FactsheetSpec | None = None

    @property
    def label(self) -> str:
        return f"{self.language} {self.path.name}"


def plan(content: Content, languages: list[str]) -> list[Output]:
    """Every output of a build, in order."""
    outputs = []
    for code in languages:
        folder = content.project.build / EDITION / code
        outputs.append(Output(code, "booklet", folder / "booklet.pdf"))
        for sheet in content.publication.factsheets():
            if sheet.id in content.languages[code].factsheets:
                outputs.append(Output(code, "factsheet", folder / "factsheets" /
                                      sheet.output_name(), sheet))
    return outputs


def render_html(renderer: Renderer, output: Output) -> str:
    try:
        if output.kind == "booklet":
            return renderer.booklet()
        return renderer.factsheet(output.factsheet)
    except jinja2.TemplateError as error:
        raise template_error(renderer.content.project, error) from None


def template_error(project: Project, error: Exception) -> BookletError:
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
    message = getattr(error, "message", None) or str(error)
    return BookletError(f"{where}template error: {message}")


def check_templates(project: Project, problems: Problems) -> None:
    """Compile every template, so `booklet check` reports template errors too."""
    env = environment(project)
    for path in sorted(project.templates.glob("*.j2")):
        try:
            env.get_template(path.name)
        except jinja2.TemplateSyntaxError as error:
            problems.add(f"template error: {error.message}", project.shown(path), error.lineno)


def _fix_dates(content: Content) -> None:
    """Fonts subset with a timestamp: tie it to the publication date, for identical builds."""
    epoch = calendar.timegm(content.publication.date.timetuple())
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))


@contextlib.contextmanager
def build_lock(project: Project):
    """One build at a time per project: a second one stops with a clear message."""
    project.build.mkdir(parents=True, exist_ok=True)
    path = project.build / ".lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BookletError(f"another build is running in this project ({holder}); "
                               f"wait for it to finish, or remove {project.shown(path)} "
                               "if no build is running") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        # A build that was killed outright (no chance to clean up) may have left
        # temporary files; no other build is running, so they can go.
        for stale in project.build.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(project: Project, languages: list[str] | None = None, strict: bool = False,
          progress: Callable[[str], None] | None = None) -> dict:
    """Build every output of the given languages and write build/report.json."""
    with build_lock(project):
        return _build(project, languages, strict, progress)


def _build(project: Project, languages: list[str] | None, strict: bool,
           progress: Callable[[str], None] | None) -> dict:
    problems = Problems()
    content = load_and_check(project, languages or [], problems, strict=strict)
    codes = languages or content.publication.languages
    outputs = plan(content, codes)

    # Render all HTML first: a template error stops the build before any PDF is touched.
    renderers = {}
    for code in codes:
        translations = translations_from(content.catalogues.get(code))
        renderers[code] = Renderer(content, content.languages[code],
                                   environment(project, translations), translations)
    documents = [(output, render_html(renderers[output.language], output))
                 for output in outputs]

    from .pdf import PdfRenderer  # imports WeasyPrint: only when PDFs are really made

    _fix_dates(content)
    pdf = PdfRenderer(project)
    report = {"booklet_version": __version__, "edition": EDITION, "outputs": [],
              "warnings": [str(p) for p in problems.warnings]}
    for number, (output, html) in enumerate(documents, 1):
        if progress:
            progress(f"[{number}/{len(documents)}] {output.label}")
        rendered = pdf.render(html, project.shown(output.path))
        pdf.write(rendered, output.path, project.shown(output.path))
        report["outputs"].append({
            "path": project.shown(output.path),
            "language": output.language,
            "edition": EDITION,
            "kind": output.kind,
            "factsheet": output.factsheet.id if output.factsheet else None,
            "pages": rendered.pages,
            "bytes": output.path.stat().st_size,
            "warnings": rendered.warnings,
        })
    write_report(project, report, rebuilt=set(codes))
    return report


def write_report(project: Project, report: dict, rebuilt: set[str]) -> None:
    """Write build/report.json, keeping what an earlier build said of other languages."""
    path = project.build / "report.json"
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        earlier = []
    kept = [o for o in earlier if isinstance(o, dict) and o.get("language") not in rebuilt
            and (project.root / str(o.get("path", ""))).is_file()]
    report = {**report, "outputs": kept + report["outputs"]}
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, lambda target: Path(target).write_text(text, encoding="utf-8"))
