"""Build: load → check → render HTML → render PDF → write, for every output.

Everything is loaded and checked before anything is written; each PDF and the
report are written atomically, so a failed build leaves earlier outputs intact.
"""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .check import check, check_fonts
from .errors import Problems
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
    if output.kind == "booklet":
        return renderer.booklet()
    return renderer.factsheet(output.factsheet)


def _fix_dates(content: Content) -> None:
    """Fonts subset with a timestamp: tie it to the publication date, for identical builds."""
    epoch = calendar.timegm(content.publication.date.timetuple())
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))


def build(project: Project, languages: list[str] | None = None, strict: bool = False,
          progress: Callable[[str], None] | None = None) -> dict:
    """Build every output of the given languages and write build/report.json."""
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
