"""Record: what each output holds in which translation state, page budgets, the verdict."""

from __future__ import annotations

from babel import Locale

from ..content.states import budget_sentence
from ..errors import BookletError
from .plan import (
    Output,
)
from .report import Report


def verdict(result: dict, strict: bool) -> dict:
    """Fail on outputs that did not pass preflight, and with --strict on page budgets."""
    failed = [o["path"] for o in result["outputs"] if not o["preflight"]["ok"]]
    if failed:
        raise BookletError(f"preflight failed for {len(failed)} output(s): {', '.join(failed)} "
                           "(see build/report.json, or run booklet preflight on them)")
    if strict and result["overruns"]:
        raise BookletError(f"{len(result['overruns'])} translation(s) over their page budget "
                           "(--strict): " + "; ".join(result["overruns"]))
    return result


def summarise(report: Report, groups, rendered: list[str]) -> dict:
    outputs = [entry for edition, code in groups for entry in report.group_outputs(edition, code)]
    overruns = sorted({a.removeprefix(OVER_BUDGET) for o in outputs
                       for a in o.get("attention", []) if a.startswith(OVER_BUDGET)})
    return {"outputs": outputs, "rendered": rendered, "overruns": overruns}


def translation_notes(language_status, output: Output) -> dict:
    """What an output holds in which translation state, and what needs attention."""
    if language_status is None:
        return {"translation": {}, "attention": []}
    if output.kind == "factsheet":
        wanted = {output.factsheet.id, output.factsheet.series}
        cells = [c for c in language_status.cells if c.part in wanted]
    else:
        cells = language_status.cells
    translation = {c.part: {"state": c.state, "reviewer": c.reviewer, "reviewed": c.reviewed}
                   for c in cells if c.state != "source"}
    attention = [state for state in ("missing", "fallback", "stale", "draft")
                 if any(c.state == state for c in cells)]
    return {"translation": translation, "attention": attention}


#: How an output over its page budget says so among its attention items.
OVER_BUDGET = "over budget: "


def apply_budgets(report: Report, source_language: str, declared: dict[str, int]) -> None:
    """Mark each factsheet longer than its budget among its attention items.

    A factsheet's budget is its series' ``pages`` (``declared``, by factsheet), or
    else the source language's page count of it (translations only).
    """
    source_name = Locale.parse(source_language).get_display_name("en")
    source_pages = {(o["edition"], o["factsheet"]): o["pages"] for o in report.outputs.values()
                    if o.get("kind") == "factsheet" and o.get("language") == source_language}
    for entry in report.outputs.values():
        attention = [a for a in entry.get("attention", []) if not a.startswith(OVER_BUDGET)]
        sheet = entry.get("factsheet")
        if sheet in declared:
            budget, against = declared[sheet], "budget"
        elif entry.get("language") != source_language:
            budget, against = source_pages.get((entry.get("edition"), sheet)), source_name
        else:
            budget = None
        if entry.get("kind") == "factsheet" and budget and entry.get("pages", 0) > budget:
            attention.append(OVER_BUDGET + budget_sentence(
                entry["language"], sheet, entry["pages"], against, budget))
        entry["attention"] = attention
