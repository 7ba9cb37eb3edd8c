"""Build: load → check → render HTML → render PDF → write, for every output.

Everything is loaded and checked before anything is written; each PDF and the
report are written atomically, so a failed build leaves earlier outputs intact.
"""

from __future__ import annotations

import calendar
import dataclasses
import os
from collections.abc import Callable

from ..check.run import load_and_check
from ..content.catalogues import template_ids
from ..content.load import Content, load_publication
from ..content.states import status
from ..errors import Problems
from ..paths import ProjectPaths
from ..render import palette
from ..render.fonts import files as font_files
from .fit import (
    FIT_FIELDS,
    fit_notes,
    plan_fits,
    recorded_levels,
    recorded_pages,
    recorded_split_boxes,
    recorded_whole_words,
)
from .inputs import (
    Hasher,
    common_inputs,
    font_stats,
    group_fingerprint,
    output_fingerprint,
)
from .lock import build_lock
from .plan import (
    EDITIONS,
    Fitted,
    Output,
    alone,
    booklet_pages,
    layouts,
    plan,
    render_html,
    renderer_for,
)
from .record import apply_budgets, summarise, translation_notes, verdict
from .report import Report, group_key
from .schedule import render_all
from .writer import Writer


def _fix_dates(content: Content) -> None:
    """Fonts subset with a timestamp: tie it to the publication date, for identical builds."""
    epoch = calendar.timegm(content.publication.date.timetuple())
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))


def _made_from(output: Output, factsheets: set[str]) -> bool:
    return output.factsheet is not None and output.factsheet.id in factsheets


def build(project: ProjectPaths, languages: list[str] | None = None, strict: bool = False,
          progress: Callable[[str], None] | None = None,
          editions: tuple[str, ...] = EDITIONS, impose: bool = False,
          force: bool = False, jobs: int | None = None,
          only: set[str] | None = None) -> dict:
    """Build the outputs of the given languages and editions whose inputs changed.

    ``only`` names factsheets (by id): then only the outputs of those
    factsheets are built, each laid out alone at its recorded copyfitting
    level, and their groups are left unfinished for the next build to
    complete (the preview shows an edited factsheet this way, within a second,
    before the booklet that contains it).

    Returns a summary: ``outputs`` (the report entry of every output asked for),
    ``rendered`` (the paths laid out this time), ``overruns`` (page budgets) and
    ``notices`` (a killed build's lock taken over, inputs edited during the build).
    """
    with build_lock(project) as takeover:
        notices = [takeover.message(project)] if takeover else []
        result = _build(project, languages or [], strict, progress, editions, impose, force,
                        jobs or os.cpu_count() or 1, notices, only)
        return result | {"notices": notices}


def _build(project: ProjectPaths, languages: list[str], strict: bool,
           progress: Callable[[str], None] | None, editions: tuple[str, ...],
           impose: bool, force: bool, jobs: int, notices: list[str],
           only: set[str] | None) -> dict:
    say = progress or (lambda message: None)
    report = Report(project)
    # Every input is read (hashed) now, before anything is built from it: what is
    # recorded below is what the build started from, so an edit made while it
    # runs leaves its outputs out of date, never wrongly up to date.
    hasher = Hasher()
    problems = Problems()
    publication = load_publication(project, problems)
    common = common_inputs(project, hasher)
    options = {"impose": impose}

    def tree(edition, code, source_language, fonts):
        return group_fingerprint(project, hasher, edition, code, source_language,
                                 font_stats(fonts), options, common)

    todo: list[tuple[str, str]] = []
    if publication is not None and not problems.errors:
        codes = languages or publication.languages
        groups = [(edition, code) for edition in editions for code in codes]
        trees = {(e, c): tree(e, c, publication.source_language, report.group_fonts(e, c))
                 for e, c in groups}
        todo = [(e, c) for e, c in groups
                if force
                or (strict and report.groups.get(group_key(e, c), {}).get("warnings"))
                or not report.group_is_current(e, c, trees[e, c])]
        if not todo and all(c in publication.languages for c in codes):
            return verdict(summarise(report, groups, []), strict)
    # Something changed (or the publication itself has problems: load reports them).
    content = load_and_check(project, list(dict.fromkeys(c for _, c in todo)) or languages,
                             problems, strict=strict)
    codes = languages or content.publication.languages
    groups = [(edition, code) for edition in editions for code in codes]
    report.warnings = [str(p) for p in problems.warnings]
    statuses = {s.code: s for s in status(content, template_ids(project))}

    _fix_dates(content)
    defined = content.publication.data.get("colours")
    palettes = {edition: palette.load(project, edition, defined)
                for edition in (*editions, "screen")}  # fitting lays out on screen
    fonts = {code: font_files(content.publication.typefaces, code)
             for code in dict.fromkeys(c for _, c in todo)}
    renderers = {(edition, code): renderer_for(project, content, code, palettes[edition])
                 for edition, code in todo}
    # Each factsheet's copyfitting level: recorded, or to be chosen by laying it out
    # alone, in the screen edition (whose outputs are made from those layouts).
    fitting_renderers = {code: renderers.get(("screen", code)) or renderer_for(
        project, content, code, palettes["screen"]) for code in fonts}
    if only is None:
        levels, fittings = plan_fits(content, report, fitting_renderers,
                                     lambda html, code: output_fingerprint(
                                         html, "screen", common, font_stats(fonts[code])))
    else:  # a first look: the complete build that follows chooses again
        levels, fittings = recorded_levels(report, list(fonts)), {}

    # Render all HTML first: a template error stops the build before any PDF is touched.
    # A language still to be fitted is rendered at the levels it has so far, and again
    # once they are chosen.
    recorded = {code: Fitted(levels[code], recorded_pages(report, code),
                             recorded_whole_words(report, code),
                             recorded_split_boxes(report, code)) for code in fonts}
    documents = {}
    for edition, code in todo:
        renderer = renderers[edition, code]
        recorded[code].apply(renderer)
        documents[edition, code] = [(output, render_html(renderer, output))
                                    for output in plan(content, [code], edition)
                                    if only is None or _made_from(output, only)]

    # Which outputs need writing: those whose HTML or layout inputs changed (in a
    # language being fitted, decided again once its levels are chosen).
    def is_needed(output: Output, inputs: str) -> bool:
        return force or not report.is_current(project.shown(output.path), inputs)

    work, plans = [], {}
    for edition, code in todo:
        stats = font_stats(fonts[code])
        planned = [(output, html, output_fingerprint(html, edition, common, stats))
                   for output, html in documents[edition, code]]
        plans[edition, code] = [(o, project.shown(o.path), i) for o, _, i in planned]
        needed = {o.path for o, _, inputs in planned if is_needed(o, inputs)}
        renderer = renderers[edition, code]
        if only is not None:
            work.extend(alone(renderer, planned, needed))
            continue
        fitting = fittings.get(code)
        if fitting is None:
            work.extend(layouts(renderer, planned, needed))
            continue
        fitting.size = max(fitting.size, len(planned[0][1]))  # the booklet's HTML
        # The last build's levels, those of the parts fitted again included.
        last = recorded_levels(report, [code])[code]
        if last:
            fitting.guess = dataclasses.replace(recorded[code], levels=last)

        def fingerprint(html, edition=edition, stats=stats):
            return output_fingerprint(html, edition, common, stats)

        if edition == "screen":  # written by the fitting, from its layouts
            fitting.outputs, fitting.fingerprint = [o for o, _, _ in planned], fingerprint
            fitting.needed = is_needed
            continue
        # Laid out once the levels are chosen, if their HTML then differs from the last
        # build's: the booklet and the factsheets being fitted may.
        fitted = {sheet.id for sheet in fitting.sheets}
        needed |= {o.path for o, _, _ in planned
                   if o.kind == "booklet" or (o.factsheet and o.factsheet.id in fitted)}
        for task in layouts(renderer, planned, needed):
            task.fingerprint, task.needed = fingerprint, is_needed
            work.append(task)

    for edition, code in todo:
        # Until all its outputs are recorded, a group is not up to date, whatever its inputs.
        report.start_group(edition, code)
    report.write()
    timings = {"fit": 0.0, "layout": 0.0, "write": 0.0, "preflight": 0.0}
    rendered = []  # the paths written this time
    counts = {"fit_layouts": 0, "layouts": len(work)}

    def fitted(code: str, result: dict) -> None:
        for part, fits in result["fits"].items():
            report.fits[f"{code}/{part}"] = fits
        counts["fit_layouts"] += result["layouts"]
        counts["layouts"] += result["written"]
        timings["fit"] += result["seconds"]

    total = sum(1 + len(task.copies) for task in work) + sum(
        len(fitting.outputs) for fitting in fittings.values())
    try:
        for number, entry in enumerate(
                render_all(project, content, palettes, impose, work, jobs,
                           booklet_pages(report, codes), list(fittings.values()), fitted),
                1):
            say(f"[{number}/{total}] {entry.pop('label')}")
            for step, seconds in entry.pop("seconds").items():
                timings[step] += seconds
            rendered.append(entry["path"])
            report.record(entry)
    except BaseException:
        report.write()
        raise
    writer = Writer(project, content, palettes, impose)
    written = set(rendered)
    for edition, code in todo:
        paths = []
        for output, shown, inputs in plans[edition, code]:
            paths.append(shown)
            entry = dict(report.outputs[shown])
            if shown not in written:  # made earlier: from these inputs, as they are now
                entry["inputs"] = inputs
            if impose and "imposed" not in entry and output.is_print_booklet:
                entry["imposed"] = writer.impose(output)
            entry.update(translation_notes(statuses.get(code), output))
            if output.kind == "factsheet":
                fitted = report.fits.get(f"{code}/{output.factsheet.id}")
                entry["fit"] = fitted and {k: fitted[k] for k in FIT_FIELDS if k in fitted}
                entry["attention"] += [f"fit: {note}" for note in fit_notes(fitted)]
            report.outputs[shown] = entry
        if only is not None:  # the group's other outputs are still to do
            continue
        group_warnings = [w for w in report.warnings if f"content/{code}/" in w
                          or f"locales/{code}/" in w]
        report.finish_group(edition, code, tree(edition, code,
                                                content.publication.source_language,
                                                fonts[code]), fonts[code], paths)
        report.groups[group_key(edition, code)]["warnings"] = len(group_warnings)
    changed = hasher.changed()
    if changed:
        notices.append("changed while the build ran: " + ", ".join(
            project.shown(path) for path in changed[:5]) + (" …" if len(changed) > 5 else "")
            + "; the outputs made from them are out of date and will be built again")
    report.last_build = {"rendered": len(rendered), **counts, "jobs": jobs,
                         "seconds": {k: round(v, 2) for k, v in timings.items()}}
    apply_budgets(report, content.publication.source_language,
                  content.publication.page_budgets())
    report.write()
    return verdict(summarise(report, groups, rendered), strict)
