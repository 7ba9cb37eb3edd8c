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

The choice is recorded in build/report.json with the fingerprint of what it
was made from (the factsheet's HTML at level 0 and everything the layout
draws on): a build whose factsheets did not change lays nothing out to fit
them. The screen edition's layouts decide; the print edition paginates alike
and takes the same levels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..content.load import Content, FactsheetSpec
from ..render import fonts
from ..render.fit import Measure, describe
from ..render.html import Renderer, factsheet_markup
from ..render.palette import Palette
from . import workers
from .choose import (
    MAX_GAP,
    MIN_FILL,
    choose,
    choose_foreword,
    keep_words_whole,
    lines_over,
    longer,
)
from .plan import renderer_for
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
    """One language's factsheets to fit, laid out alone (screen edition) in a worker."""

    language: str
    renderer: Renderer
    palette: Palette
    sheets: list[Sheet] = field(default_factory=list)


#: What an output's report entry shows of its factsheet's fitting.
FIT_FIELDS = ("level", "setting", "budget", "pages", "last_fill", "notes_away", "lines_over",
              "gap", "bad_breaks", "hyphenation_faults")


def record(level: int, measure: Measure, budget: int | None, key: str) -> dict:
    """What build/report.json keeps of a factsheet's fitting."""
    return {"key": key, "level": level, "setting": describe(level), "budget": budget,
            **measure.as_dict(), "lines_over": lines_over(measure, budget)}


#: The fittings of the build in progress, for worker processes forked from this one.
_FITTINGS: list[Fitting] = []


def _fit(index: int) -> dict[str, dict]:
    """In a worker: choose the level of every factsheet of one language, then the words
    it keeps whole."""
    from ..render.pdf import PdfRenderer  # WeasyPrint: in the workers only

    fitting = _FITTINGS[index]
    renderer = fitting.renderer
    pdf = None
    chosen = {}
    for sheet in fitting.sheets:
        def measure_at(level: int, sheet=sheet) -> Measure:
            nonlocal pdf
            pdf = pdf or PdfRenderer(renderer.content.project, "screen", fitting.palette,
                                     fonts.stylesheet(renderer.content.publication.typefaces,
                                                      renderer.content.publication.languages))
            renderer.fit_levels = {sheet.id: level}
            if sheet.spec is None:
                return pdf.render(renderer.foreword(), FOREWORD).measure(FOREWORD)
            html = renderer.factsheet(sheet.spec)
            alone = pdf.render(html, sheet.id).measure(f"fs-{sheet.id}")
            # A cross-reference reads differently in the booklet ("see page N"): the
            # factsheet must fit there too, and take as many pages as it does alone.
            inside = renderer.factsheet(sheet.spec, as_in_booklet=True)
            if factsheet_markup(inside, sheet.id) == factsheet_markup(html, sheet.id):
                return alone
            return longer(alone, pdf.render(inside, sheet.id).measure(f"fs-{sheet.id}"))

        if sheet.spec is None:
            level, measure, layouts = choose_foreword(measure_at)
        else:
            level, measure, layouts = choose(measure_at, sheet.budget, sheet.start)
        whole, measure, mending = keep_words_whole(
            lambda words, level=level, sheet=sheet, measure_at=measure_at: _with_whole(
                renderer, sheet.id, words, level, measure_at),
            measure, sheet.budget)
        chosen[sheet.id] = record(level, measure, sheet.budget, sheet.key) | {
            "layouts": layouts + mending, "whole_words": sorted(whole)}
    renderer.fit_levels = {}
    return chosen


def _with_whole(renderer: Renderer, sheet_id: str, words: frozenset[str], level: int,
                measure_at: Callable[[int], Measure]) -> Measure:
    renderer.whole_words = {sheet_id: words}
    try:
        return measure_at(level)
    finally:
        renderer.whole_words = {}


def fit_all(fittings: list[Fitting], jobs: int) -> dict[str, dict[str, dict]]:
    """Each language's chosen levels, by factsheet: ``jobs`` languages at a time."""
    global _FITTINGS
    if not fittings:
        return {}
    _FITTINGS = fittings
    try:
        if jobs <= 1 or len(fittings) == 1:
            results = [_fit(index) for index in range(len(fittings))]
        else:
            with workers.pool(min(jobs, len(fittings))) as pool:
                results = list(pool.map(_fit, range(len(fittings))))
    finally:
        _FITTINGS = []
    return {fitting.language: result for fitting, result in zip(fittings, results, strict=True)}


def fit_levels(content: Content, report: Report, codes: list[str], screen: Palette,
               layout_inputs: Callable[[str, str], str],
               jobs: int) -> tuple[dict[str, dict[str, int]], int]:
    """Each language's factsheet levels, and how many layouts choosing them took.

    Levels recorded in ``report.fits`` whose inputs are unchanged are taken as
    they are; the others are chosen now, and recorded.

    ``layout_inputs(html, language)`` fingerprints a factsheet's HTML with what its
    layout draws on besides (styles, fonts, code).
    """
    levels: dict[str, dict[str, int]] = {code: {} for code in codes}
    fittings = []
    for code in codes:
        renderer = renderer_for(content.project, content, code, screen)
        fitting = Fitting(code, renderer, screen)
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
            fittings.append(fitting)
    layouts = 0
    for code, chosen in fit_all(fittings, jobs).items():
        for sheet, fitted in chosen.items():
            report.fits[f"{code}/{sheet}"] = fitted
            levels[code][sheet] = fitted["level"]
            layouts += fitted["layouts"]
    return levels, layouts


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
