"""Build: load → check → render HTML → render PDF → write, for every output.

Everything is loaded and checked before anything is written; each PDF and the
report are written atomically, so a failed build leaves earlier outputs intact.
"""

from __future__ import annotations

import calendar
import contextlib
import fcntl
import functools
import hashlib
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
from .files import write_atomically
from .finish import finish
from .html import Renderer, environment
from .impose import impose_booklet
from .load import Content, FactsheetSpec, load
from .localization import check_catalogue, load_catalogue, template_ids, translations_from
from .preflight import preflight, summary
from .project import Project

EDITIONS = ("print", "screen")


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
    """One PDF to make: which edition and language, which document, where it goes."""

    edition: str
    language: str
    kind: str  # "booklet" or "factsheet"
    path: Path
    factsheet: FactsheetSpec | None = None

    @property
    def label(self) -> str:
        return f"{self.edition} {self.language} {self.path.name}"


def plan(content: Content, languages: list[str], edition: str) -> list[Output]:
    """Every output of one edition, in order."""
    outputs = []
    for code in languages:
        folder = content.project.build / edition / code
        outputs.append(Output(edition, code, "booklet", folder / "booklet.pdf"))
        for sheet in content.publication.factsheets():
            if sheet.id in content.languages[code].factsheets:
                outputs.append(Output(edition, code, "factsheet", folder / "factsheets" /
                                      sheet.output_name(), sheet))
    return outputs


def render_html(renderer: Renderer, output: Output, notes_pages: int = 0) -> str:
    try:
        if output.kind == "booklet":
            return renderer.booklet(notes_pages=notes_pages)
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
          progress: Callable[[str], None] | None = None,
          editions: tuple[str, ...] = EDITIONS, impose: bool = False) -> dict:
    """Build every output of the given languages and editions; write build/report.json."""
    with build_lock(project):
        return _build(project, languages, strict, progress, editions, impose)


def _build(project: Project, languages: list[str] | None, strict: bool,
           progress: Callable[[str], None] | None, editions: tuple[str, ...],
           impose: bool) -> dict:
    problems = Problems()
    content = load_and_check(project, languages or [], problems, strict=strict)
    codes = languages or content.publication.languages
    outputs = [output for edition in editions for output in plan(content, codes, edition)]

    # Render all HTML first: a template error stops the build before any PDF is touched.
    from . import palette

    palettes = {edition: palette.load(project, edition) for edition in editions}
    renderers = {}
    for edition in editions:
        colours = palettes[edition].colours
        for code in codes:
            translations = translations_from(content.catalogues.get(code))
            renderers[edition, code] = Renderer(
                content, content.languages[code], environment(project, translations),
                translations, colours)
    documents = [(output, render_html(renderers[output.edition, output.language], output))
                 for output in outputs]

    from .pdf import PdfRenderer  # imports WeasyPrint: only when PDFs are really made

    _fix_dates(content)
    pdfs = {edition: PdfRenderer(project, edition, palettes[edition]) for edition in editions}
    isbn = content.publication.data["isbn"]
    report = {"booklet_version": __version__, "editions": list(editions), "outputs": [],
              "warnings": [str(p) for p in problems.warnings]}
    for number, (output, html) in enumerate(documents, 1):
        if progress:
            progress(f"[{number}/{len(documents)}] {output.label}")
        pdf = pdfs[output.edition]
        shown = project.shown(output.path)
        rendered = pdf.render(html, shown)
        if output.edition == "print" and output.kind == "booklet" and rendered.pages % 4:
            # Saddle stitching needs a multiple of four pages: notes pages before the back.
            renderer = renderers[output.edition, output.language]
            html = render_html(renderer, output, notes_pages=4 - rendered.pages % 4)
            rendered = pdf.render(html, shown)
        fingerprint = hashlib.sha256(html.encode("utf-8")).hexdigest()
        edition_isbn = isbn["print"] if output.edition == "print" else isbn["ebook"]
        pdf.write(rendered, output.path, shown,
                  finish=functools.partial(finish, edition=output.edition,
                                           fingerprint=fingerprint, isbn=edition_isbn))
        entry = {
            "path": shown,
            "language": output.language,
            "edition": output.edition,
            "kind": output.kind,
            "factsheet": output.factsheet.id if output.factsheet else None,
            "pages": rendered.pages,
            "bytes": output.path.stat().st_size,
            "warnings": rendered.warnings,
        }
        _, findings = preflight(output.path, output.edition)
        entry["preflight"] = summary(findings)
        if impose and output.edition == "print" and output.kind == "booklet":
            imposed = output.path.with_name("booklet-imposed.pdf")
            write_atomically(imposed, functools.partial(impose_booklet, output.path))
            entry["imposed"] = project.shown(imposed)
        report["outputs"].append(entry)
    write_report(project, report, rebuilt={(e, c) for e in editions for c in codes})
    failed = [o["path"] for o in report["outputs"] if not o["preflight"]["ok"]]
    if failed:
        raise BookletError(f"preflight failed for {len(failed)} output(s): {', '.join(failed)} "
                           "(see build/report.json, or run booklet preflight on them)")
    return report


def write_report(project: Project, report: dict, rebuilt: set[tuple[str, str]]) -> None:
    """Write build/report.json, keeping what an earlier build said of other languages."""
    path = project.build / "report.json"
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        earlier = []
    kept = [o for o in earlier if isinstance(o, dict)
            and (o.get("edition"), o.get("language")) not in rebuilt
            and (project.root / str(o.get("path", ""))).is_file()]
    report = {**report, "outputs": kept + report["outputs"]}
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, lambda target: Path(target).write_text(text, encoding="utf-8"))
