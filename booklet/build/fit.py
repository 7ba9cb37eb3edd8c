"""Fit: the copyfitting level of every factsheet, chosen by laying it out alone.

Every factsheet must keep to its page budget (its own or its series' ``pages``
in publication.yaml), print every footnote on the page of its call, leave no
last page less than a third full, and no page more than a quarter empty at its
foot (a box or figure that does not fit the rest of a page goes on whole). A
factsheet that does as designed (level 0) is left there; one that does not is
laid out alone at tighter levels (when it runs over, or a note is pushed away)
or looser ones (when its last page is nearly empty, or a page short at its
foot), in a fixed order, and takes the first level that works
(render/fit.py says what each level does). The search always starts from level
0, so the same inputs give the same choice, whatever was built before.

A language's fitting is one job of the build's workers, and the layouts it
makes are the screen edition's: its factsheets laid out alone are written
from them, and the booklet it lays out at the levels chosen shows how each
factsheet with a cross-reference ("see page N" in the booklet) comes out
there too. Where that version does worse than the factsheet alone, the
factsheet is fitted again on both versions, and the booklet laid out again.
The print edition paginates alike and takes the same levels.

The choice is recorded in build/report.json with the fingerprint of what it
was made from (the factsheet's HTML at level 0 and everything the layout
draws on): a build whose factsheets did not change lays nothing out to fit
them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..content.load import Content, FactsheetSpec
from ..render.fit import Measure, describe
from ..render.html import Renderer, factsheet_markup
from .choose import (
    MAX_GAP,
    MIN_FILL,
    acceptable,
    choose,
    choose_foreword,
    keep_words_whole,
    lines_over,
    longer,
    split_boxes,
    well_filled,
)
from .plan import Fitted, Output, layouts, render_html
from .report import Report

#: The foreword's name among a language's fitted parts (report.json: "fr/foreword").
FOREWORD = "foreword"


@dataclass
class Sheet:
    """One part to fit: a factsheet (its spec), or the foreword (no spec); its budget,
    the level to try first, its cache key."""

    spec: FactsheetSpec | None
    budget: int | None
    start: int
    key: str

    @property
    def id(self) -> str:
        return self.spec.id if self.spec else FOREWORD


@dataclass
class Fitting:
    """One language's parts to fit (laid out alone, screen edition), and the screen
    edition's outputs to write from those layouts: ``outputs`` (none when the build
    leaves the screen edition out); ``fingerprint`` gives a screen document's layout
    inputs, and ``needed(output, inputs)`` says whether an output made from them is
    to be written; ``size``, the length of the language's booklet, says which
    fittings take longest."""

    language: str
    renderer: Renderer
    sheets: list[Sheet] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    fingerprint: Callable[[str], str] | None = None
    needed: Callable[[Output, str], bool] | None = None
    size: int = 0
    #: The copyfitting the last build chose, where it chose any: the print booklet
    #: starts at it, and is kept if this build's comes out the same (schedule.py).
    guess: Fitted | None = None

    @property
    def label(self) -> str:
        return f"fitting {self.language} and writing its screen edition"


#: What an output's report entry shows of its factsheet's fitting.
FIT_FIELDS = ("level", "setting", "budget", "pages", "last_fill", "notes_away", "lines_over",
              "gap", "bad_breaks", "hyphenation_faults", "split_boxes")


def record(level: int, measure: Measure, budget: int | None, key: str) -> dict:
    """What build/report.json keeps of a factsheet's fitting."""
    return {"key": key, "level": level, "setting": describe(level), "budget": budget,
            **measure.as_dict(), "lines_over": lines_over(measure, budget)}


def plan_fits(content: Content, report: Report, renderers: dict[str, Renderer],
              layout_inputs: Callable[[str, str], str]) -> tuple[dict[str, dict[str, int]],
                                                                 dict[str, Fitting]]:
    """Each language's recorded levels, and what is left to fit, by language.

    Levels recorded in ``report.fits`` whose inputs are unchanged are taken as
    they are; the others are to be chosen (``fit_language``) and recorded.
    ``layout_inputs(html, language)`` fingerprints a factsheet's HTML with what
    its layout draws on besides (styles, fonts, code).
    """
    levels: dict[str, dict[str, int]] = {code: {} for code in renderers}
    fittings = {}
    for code, renderer in renderers.items():
        fitting = Fitting(code, renderer)
        for series in content.publication.series:
            for spec in series.factsheets:
                if spec.id not in content.languages[code].factsheets:
                    continue
                key = f"{layout_inputs(renderer.factsheet(spec), code)}:{spec.pages}"
                recorded = report.fits.get(f"{code}/{spec.id}", {})
                if recorded.get("key") == key:
                    levels[code][spec.id] = recorded["level"]
                    continue
                # Always from the design's own level, never from the level it had: the
                # same inputs give the same choice, whatever was built before.
                fitting.sheets.append(Sheet(spec, spec.pages, 0, key))
        if FOREWORD in content.languages[code].parts:
            key = layout_inputs(renderer.foreword(), code)
            recorded = report.fits.get(f"{code}/{FOREWORD}", {})
            if recorded.get("key") == key:
                levels[code][FOREWORD] = recorded["level"]
            else:
                fitting.sheets.append(Sheet(None, None, 0, key))
        if fitting.sheets:
            fittings[code] = fitting
    return levels, fittings


def fit_language(fitting: Fitting, writer,
                 announce: Callable[[Fitted, int | None], None] = lambda fitted, pages: None
                 ) -> dict:
    """In a worker: choose the level (and the words kept whole) of each part to fit,
    then lay out the booklet and write the screen outputs from these layouts.

    ``writer`` is the build's Writer; ``announce(fitted, booklet pages)`` hears of
    the levels as soon as they are settled, before the screen outputs are written,
    so that the language's other outputs can start. Returns ``fits`` (what to record, by part),
    ``fitted`` (the language's copyfitting as its other outputs take it),
    ``entries`` (the outputs written) and ``written`` (from how many layouts),
    ``pages`` (the booklet's, for the print edition's notes pages), ``layouts``
    (how many copyfitting took) and ``seconds`` (its time, the booklet's layout
    included).
    """
    started = time.perf_counter()
    renderer = fitting.renderer
    pdf = writer.pdf("screen")
    before = Fitted.of(renderer)
    kept = {}  # the layout of each factsheet alone at its level, by HTML: written from
    chosen: dict[str, tuple[int, Measure, dict]] = {}
    differs = {sheet.id for sheet in fitting.sheets if sheet.spec and _reads_differently(
        renderer, sheet.spec)}
    for sheet in fitting.sheets:
        chosen[sheet.id] = _choose(renderer, pdf, sheet, kept)
    fitted = _applied(renderer, before, chosen)
    booklet = None
    if differs or any(output.kind == "booklet" for output in fitting.outputs):
        booklet = _lay_out_booklet(renderer, pdf)
        # A cross-reference reads differently in the booklet ("see page N"): the
        # factsheet must keep to its budget and fill its pages there too.
        again = []
        for sheet in fitting.sheets:
            if sheet.id in differs:
                level, alone, fits = chosen[sheet.id]
                both = longer(alone, booklet[1].measure(f"fs-{sheet.id}"))
                if _as_good(both, alone, sheet.budget):
                    chosen[sheet.id] = level, both, fits | record(level, both, sheet.budget,
                                                                    sheet.key)
                else:
                    again.append(sheet)
        if again:
            before.apply(renderer)
            for sheet in again:
                chosen[sheet.id] = _choose(renderer, pdf, sheet, kept, both=True)
            fitted = _applied(renderer, before, chosen)
            booklet = _lay_out_booklet(renderer, pdf)
    seconds = time.perf_counter() - started
    pages = None
    if booklet:
        html, layout = booklet
        kept[html], pages = layout, layout.pages
    announce(fitted, pages)
    entries, written = _write(fitting, writer, kept)
    return {"fits": {part: fits for part, (_, _, fits) in chosen.items()},
            "fitted": fitted, "entries": entries, "written": written,
            "pages": pages, "seconds": seconds,
            "layouts": sum(fits["layouts"] for _, _, fits in chosen.values())}


def _reads_differently(renderer: Renderer, spec: FactsheetSpec) -> bool:
    """Whether a factsheet's cross-references make it read otherwise in the booklet
    (whatever its level: levels set both versions alike)."""
    alone = renderer.factsheet(spec)
    inside = renderer.factsheet(spec, as_in_booklet=True)
    return factsheet_markup(inside, spec.id) != factsheet_markup(alone, spec.id)


def _as_good(both: Measure, alone: Measure, budget: int | None) -> bool:
    """Whether a factsheet does as well in the booklet as alone, where it was fitted."""
    return acceptable(both, budget) and (well_filled(both) or not well_filled(alone)) \
        and both.hyphenation_faults == alone.hyphenation_faults


def _choose(renderer: Renderer, pdf, sheet: Sheet, kept: dict,
            both: bool = False) -> tuple[int, Measure, dict]:
    """A part's level, how it comes out there, and its record; its layout alone at that
    level goes into ``kept``. ``both``: each level measured alone and as in the booklet."""
    layouts = {}

    def lay_out(html: str):
        if html not in layouts:
            layouts[html] = pdf.render(html, sheet.id)
        return layouts[html]

    def html_at(level: int, words: frozenset[str] = frozenset(), split: bool = False) -> str:
        renderer.fit_levels = {sheet.id: level}
        renderer.whole_words = {sheet.id: words}
        renderer.split_boxes = frozenset({sheet.id} if split else ())
        return renderer.foreword() if sheet.spec is None else renderer.factsheet(sheet.spec)

    def measure_at(level: int, words: frozenset[str] = frozenset(),
                   split: bool = False) -> Measure:
        if sheet.spec is None:
            return lay_out(html_at(level, words)).measure(FOREWORD)
        alone = lay_out(html_at(level, words, split)).measure(f"fs-{sheet.id}")
        if not both:
            return alone
        inside = renderer.factsheet(sheet.spec, as_in_booklet=True)
        return longer(alone, pdf.render(inside, sheet.id).measure(f"fs-{sheet.id}"))

    if sheet.spec is None:
        level, measure, tried = choose_foreword(measure_at)
    else:
        level, measure, tried = choose(measure_at, sheet.budget, sheet.start)
    whole, measure, mending = keep_words_whole(
        lambda words: measure_at(level, words), measure, sheet.budget)
    split, measure, splitting = split_boxes(
        measure, lambda: measure_at(level, whole, split=True), sheet.budget) \
        if sheet.spec is not None else (False, measure, 0)
    final = html_at(level, whole, split)
    if final in layouts and sheet.spec is not None:
        kept[final] = layouts[final]
    renderer.fit_levels, renderer.whole_words, renderer.split_boxes = {}, {}, frozenset()
    fits = record(level, measure, sheet.budget, sheet.key) | {
        "layouts": tried + mending + splitting, "whole_words": sorted(whole),
        "split_boxes": split}
    return level, measure, fits


def _applied(renderer: Renderer, before: Fitted, chosen: dict) -> Fitted:
    """Set the renderer as the language's outputs take it: the levels recorded, and
    those chosen now."""
    others = {part: words for part, words in before.whole_words.items() if part not in chosen}
    fitted = Fitted(
        before.levels | {part: level for part, (level, _, _) in chosen.items()},
        before.pages | {part: measure.pages for part, (_, measure, _) in chosen.items()},
        others | {part: frozenset(fits["whole_words"])
                  for part, (_, _, fits) in chosen.items() if fits["whole_words"]},
        frozenset(part for part in before.split_boxes if part not in chosen)
        | {part for part, (_, _, fits) in chosen.items() if fits.get("split_boxes")})
    fitted.apply(renderer)
    return fitted


def _lay_out_booklet(renderer: Renderer, pdf) -> tuple[str, object]:
    """The booklet's HTML at the levels the renderer has, and its layout."""
    html = renderer.booklet()
    return html, pdf.render(html, "booklet")


def _write(fitting: Fitting, writer, kept: dict) -> tuple[list[dict], int]:
    """Write the screen outputs that need it, from the layouts already made where they
    are the same document; return their entries, and how many layouts they come from."""
    renderer = fitting.renderer
    if not fitting.outputs:  # the screen edition is not built this time
        return [], 0
    planned = []
    for output in fitting.outputs:
        html = render_html(renderer, output)
        planned.append((output, html, fitting.fingerprint(html)))
    needed = {output.path for output, _, inputs in planned if fitting.needed(output, inputs)}
    entries = []
    tasks = layouts(renderer, planned, needed)
    for task in tasks:
        entries += writer.write(task, rendered=kept.get(task.html))["entries"]
    return entries, len(tasks)


def _recorded(report: Report, code: str) -> dict[str, dict]:
    """A language's fittings as the report has them, by factsheet (or "foreword")."""
    fits = {}
    for key, fitted in report.fits.items():
        language, _, sheet = key.partition("/")
        if language == code and isinstance(fitted, dict):
            fits[sheet] = fitted
    return fits


def recorded_levels(report: Report, codes: list[str]) -> dict[str, dict[str, int]]:
    """Each language's factsheet levels as the report has them, without choosing any."""
    return {code: {sheet: fitted["level"] for sheet, fitted in _recorded(report, code).items()
                   if isinstance(fitted.get("level"), int)} for code in codes}


def recorded_whole_words(report: Report, code: str) -> dict[str, frozenset[str]]:
    """The words each of a language's factsheets (and its foreword) keeps whole."""
    return {sheet: frozenset(map(str, fitted["whole_words"]))
            for sheet, fitted in _recorded(report, code).items() if fitted.get("whole_words")}


def recorded_split_boxes(report: Report, code: str) -> frozenset[str]:
    """The factsheets of a language whose boxes may go on over a page."""
    return frozenset(sheet for sheet, fitted in _recorded(report, code).items()
                     if fitted.get("split_boxes"))


def recorded_pages(report: Report, code: str) -> dict[str, int]:
    """How many pages each of a language's factsheets came out at when it was fitted."""
    return {sheet: fitted["pages"] for sheet, fitted in _recorded(report, code).items()
            if isinstance(fitted.get("pages"), int)}


def fit_notes(fitted: dict | None) -> list[str]:
    """What an output's report entry warns about its factsheet's fitting."""
    if not fitted:
        return []
    notes = []
    if fitted.get("lines_over"):
        notes.append(f"over its budget of {fitted['budget']} page(s) even at the tightest "
                     f"setting: about {fitted['lines_over']} line(s) too many")
    if fitted.get("notes_away"):
        notes.append("a footnote is printed away from its call at every setting tried")
    if fitted.get("pages", 1) > 1 and fitted.get("last_fill", 1) < MIN_FILL:
        notes.append(f"its last page is only {fitted['last_fill']:.0%} full at every setting")
    if fitted.get("gap", 0) > MAX_GAP:
        notes.append(f"a box or figure that goes on to the next page leaves "
                     f"{fitted['gap']:.0%} of a page empty at every setting")
    return notes
