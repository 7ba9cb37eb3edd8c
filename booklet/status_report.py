"""Status shown three ways: a terminal table, JSON for scripts, a standalone HTML page."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click
import jinja2

from .status import Cell, LanguageStatus, budget_overruns

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
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "pages"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("status.html.j2").render(
        title=title, languages=statuses, rows=rows, legend=LEGEND,
        source=statuses[0].source_name if statuses else "",
        overruns=budget_overruns(statuses),
        generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
