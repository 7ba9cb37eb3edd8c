"""Status: where each language stands, shown three ways.

A terminal table, JSON for scripts, a standalone HTML page; with each
factsheet's pages against its page budget, from the last build's report.
The states themselves are worked out in content.states.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import click
import jinja2

from ..check.run import load_catalogues
from ..content.catalogues import template_ids
from ..content.load import Content, load
from ..content.states import Cell, LanguageStatus, budget_overruns, parts, status
from ..errors import Problems
from ..paths import ProjectPaths


def page_counts(content: Content) -> dict[tuple[str, str], int]:
    """Pages of each factsheet by (language, factsheet), from the last build's report."""
    path = content.project.build / "report.json"
    try:
        outputs = json.loads(path.read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    counts = {}
    for output in outputs:
        if isinstance(output, dict) and output.get("kind") == "factsheet" \
                and output.get("edition") == "screen":
            counts[output["language"], output["factsheet"]] = output.get("pages")
    return counts


def load_for_status(project: ProjectPaths, languages: list[str]) -> tuple[Content, set]:
    """The content and interface catalogues, without the checks a build needs.

    A translation with structural problems still has a status; a file that cannot
    be read at all stops here, with its place, since its state would be a guess.
    """
    problems = Problems()
    content = load(project, problems, languages)
    problems.raise_if_errors()
    content.catalogues = load_catalogues(project, content, Problems())
    return content, template_ids(project)


#: The states ``--fail-on`` accepts: a part's state, or ``budget`` (over its page budget).
FAIL_ON = ("missing", "fallback", "stale", "draft", "budget")


@dataclass
class StatusReport:
    """The status of the languages asked for, with the parts any of them carries."""

    statuses: list[LanguageStatus]
    rows: list[tuple[str, str]]  # (part, kind), in reading order
    title: str  # the publication's title, for the HTML page

    def table(self) -> str:
        return table(self.statuses, self.rows)

    def as_json(self) -> str:
        return as_json(self.statuses)

    def as_html(self) -> str:
        return as_html(self.statuses, self.rows, self.title)

    def failing(self, states: set[str]) -> list[str]:
        """Each part in one of ``states`` (see FAIL_ON), e.g. "fr csam (draft)"."""
        return [f"{s.code} {c.part} ({c.state})" for s in self.statuses for c in s.cells
                if c.state in states] + \
            [f"{s.code} {c.part} (over budget)" for s in self.statuses for c in s.cells
             if "budget" in states and c.over_budget]


def status_report(project: ProjectPaths, languages: list[str]) -> StatusReport:
    """Where each language asked for (default: all) stands, with the last build's page budgets."""
    content, wanted = load_for_status(project, languages)
    statuses = status(content, wanted, page_counts(content))
    if languages:
        statuses = [s for s in statuses if s.code in languages]
    rows = [(part, kind) for part, kind in parts(content)
            if any(s.cell(part) for s in statuses)]
    title = content.languages[content.publication.source_language].parts["front"] \
        .data["cover"]["title"]
    return StatusReport(statuses, rows, str(title))


#: How each state looks in a terminal.
COLOURS = {"reviewed": "green", "draft": "yellow", "stale": "red", "missing": "red",
           "fallback": "magenta", "source": "bright_black"}
LEGEND = [
    ("missing", "not translated"),
    ("fallback", "not translated, shown in the source language"),
    ("stale", "the source changed since it was translated (how many texts)"),
    ("draft", "translated from the current source, not yet reviewed"),
    ("reviewed", "translated from the current source and reviewed"),
    ("source", "the source language"),
]
PART_WIDTH = 24
CELL_WIDTH = 9


def _cell_text(cell: Cell | None) -> tuple[str, str | None]:
    if cell is None:
        return "–", None
    text = f"stale {len(cell.stale)}" if cell.state == "stale" else cell.state
    if cell.over_budget:
        text += "+"
    return text, COLOURS.get(cell.state)


def table(statuses: list[LanguageStatus], rows: list[tuple[str, str]]) -> str:
    """Parts down, languages across; click.echo drops the colours when not on a terminal."""
    lines = ["".ljust(PART_WIDTH) + "".join(s.code.rjust(CELL_WIDTH) for s in statuses)]
    for part, kind in rows:
        label = ("  " if kind == "factsheet" else "") + part
        line = label[:PART_WIDTH - 1].ljust(PART_WIDTH)
        for language in statuses:
            text, colour = _cell_text(language.cell(part))
            line += click.style(text.rjust(CELL_WIDTH), fg=colour) if colour else \
                text.rjust(CELL_WIDTH)
        lines.append(line)
    lines.append("translated, current".ljust(PART_WIDTH) +
                 "".join(f"{s.completion}%".rjust(CELL_WIDTH) for s in statuses))
    lines.append("reviewed".ljust(PART_WIDTH) +
                 "".join(f"{s.reviewed}%".rjust(CELL_WIDTH) for s in statuses))
    stale = [f"  {s.code} {c.part}: {t.path} "
             f"({'new in the source' if t.was is None else 'source changed'})"
             for s in statuses for c in s.cells for t in c.stale]
    if stale:
        lines += ["", "Stale texts (booklet diff LANG PART shows the changes):", *stale]
    overruns = budget_overruns(statuses)
    if overruns:
        lines += ["", "Over the page budget (+ above; the source's page count):",
                  *[f"  {line}" for line in overruns]]
    return "\n".join(lines)


def as_json(statuses: list[LanguageStatus]) -> str:
    document = {"languages": [s.as_dict() for s in statuses],
                "budget_overruns": budget_overruns(statuses)}
    return json.dumps(document, indent=2, ensure_ascii=False)


def as_html(statuses: list[LanguageStatus], rows: list[tuple[str, str]], title: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("status.html.j2").render(
        title=title, languages=statuses, rows=rows, legend=LEGEND,
        source=statuses[0].source_name if statuses else "",
        overruns=budget_overruns(statuses),
        generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
