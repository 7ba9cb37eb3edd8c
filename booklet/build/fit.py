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
from ..render.fit import LOOSEST, TIGHTEST, Measure, describe
from ..render.html import Renderer, factsheet_markup
from ..render.palette import Palette
from . import workers
from .plan import renderer_for
from .report import Report

#: The least share of its text area a factsheet's last page must use (unless it is its only page).
MIN_FILL = 1 / 3
#: The most of a page's text area a box or figure going on whole to the next page may
#: leave empty at its foot.
MAX_GAP = 1 / 4
#: Lines of running text on a page at the tightest level, to say how far over a factsheet is.
LINES_AT_THE_FLOOR = 57


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


def acceptable(measure: Measure, budget: int | None) -> bool:
    return (budget is None or measure.pages <= budget) and measure.notes_away == 0


def well_filled(measure: Measure) -> bool:
    """Its last page a third full, no page short at its foot, no bad break."""
    return (measure.pages == 1 or measure.last_fill >= MIN_FILL) and \
        measure.gap <= MAX_GAP and measure.bad_breaks == 0


#: About how much shorter (tighter levels) or longer (looser) a factsheet comes out at each
#: level, as a share of its length at level 0: on the generous side, so that the search
#: starts at or below the level it needs, then steps up one level at a time.
CHANGE = {1: -0.10, 2: -0.20, 3: -0.24, 4: -0.27, 5: -0.36, -1: 0.08, -2: 0.18, -3: 0.25, -4: 0.33}


def _first_guess(levels: range, length: float, wanted: float, start: int) -> int:
    """The first of ``levels`` expected to bring ``length`` (in pages) to ``wanted``."""
    shorter = wanted < length
    for level in levels:
        expected = length * (1 + CHANGE.get(level, 0) - CHANGE.get(start, 0))
        if (expected <= wanted) if shorter else (expected >= wanted):
            return level
    return levels[-1] if len(levels) else start


def choose(measure_at: Callable[[int], Measure], budget: int | None,
           start: int = 0) -> tuple[int, Measure, int]:
    """The level to set a factsheet at, how it then comes out, and how many layouts it took.

    From ``start``: tighter while it runs over its budget, from the level
    expected to be enough, one level at a time; a level either side, then two,
    while it pushes a note away from its call; looser while its last page is
    less than a third full, a page is left more than a quarter empty at its
    foot or a break is bad (a widow, an orphan, a heading at the foot of a page),
    as long as it stays within its budget, and failing that tighter, to pull the
    short last page back or mend the page (a page less, and a blank
    facing page in the booklet, rather than a page that is nearly empty);
    failing that too, the level that fills the last page most. Where nothing
    keeps to the budget: the tightest level, or the one before it when closing
    up the leading there gains no page.
    """
    tried: dict[int, Measure] = {}

    def at(level: int) -> Measure:
        if level not in tried:
            tried[level] = measure_at(level)
        return tried[level]

    first = at(start)
    length = first.pages - 1 + first.last_fill
    if acceptable(first, budget) and well_filled(first):
        return start, first, len(tried)
    if not acceptable(first, budget):
        tighter = range(start + 1, TIGHTEST + 1)
        if budget is not None and first.pages > budget:
            order = list(range(_first_guess(tighter, length, budget - 0.03, start),
                               TIGHTEST + 1))
        else:  # a note pushed away: a line more or less on the page may be all it needs
            order = [level for step in range(1, TIGHTEST - LOOSEST + 1)
                     for level in (start + step, start - step) if LOOSEST <= level <= TIGHTEST]
        fallback = None
        for level in order:
            measure = at(level)
            if acceptable(measure, budget):
                if well_filled(measure):
                    return level, measure, len(tried)
                fallback = fallback if fallback is not None else level
        if fallback is None:
            # Nothing keeps to the budget: the tightest level, unless closing up the
            # leading there gains no page on the level before it.
            fallback = TIGHTEST
            if at(TIGHTEST - 1).pages <= at(TIGHTEST).pages:
                fallback = TIGHTEST - 1
        return fallback, at(fallback), len(tried)
    # It fits, but its last page is too empty (or a page too short at its foot): longer,
    # while it stays within its budget.
    short_last_page = first.pages > 1 and first.last_fill < MIN_FILL
    looser = range(start - 1, LOOSEST - 1, -1)
    guess = _first_guess(looser, length, first.pages - 1 + MIN_FILL + 0.03, start) \
        if short_last_page else start - 1
    for level in range(guess, LOOSEST - 1, -1):
        measure = at(level)
        if not acceptable(measure, budget):
            break
        if well_filled(measure):
            return level, measure, len(tried)
    # Opening it up is not enough: pull the short last page back instead (or, where a
    # page is left short at its foot, set it a little tighter), down to the smallest
    # type but not by closing up the leading (kept for keeping to a budget).
    tighter = range(start + 1, TIGHTEST)
    guess = _first_guess(tighter, length, first.pages - 1 - 0.03, start) \
        if short_last_page else start + 1
    for level in range(guess, TIGHTEST):
        measure = at(level)
        if acceptable(measure, budget) and well_filled(measure):
            return level, measure, len(tried)
    # Neither works: the level within the budget that uses the last page, then every
    # page, best.
    within = [level for level, measure in tried.items() if acceptable(measure, budget)]
    best = min(within, key=lambda level: (
        tried[level].pages > 1 and tried[level].last_fill < MIN_FILL,
        max(tried[level].gap, MAX_GAP), tried[level].bad_breaks, -tried[level].last_fill,
        abs(level - start)))
    return best, tried[best], len(tried)


def longer(one: Measure, other: Measure) -> Measure:
    """The measure of two layouts of one factsheet that both must satisfy."""
    if one.pages != other.pages:
        return max(one, other, key=lambda measure: measure.pages)
    return Measure(one.pages, min(one.last_fill, other.last_fill),
                   max(one.notes_away, other.notes_away))


def choose_foreword(measure_at: Callable[[int], Measure]) -> tuple[int, Measure, int]:
    """The foreword's level: as designed, unless its last page is short (a translation a
    little longer than the source's page). Then tighter, to pull that page back; failing
    that, looser, so that the page is used. It has no budget of its own."""
    tried: dict[int, Measure] = {}

    def at(level: int) -> Measure:
        if level not in tried:
            tried[level] = measure_at(level)
        return tried[level]

    first = at(0)
    if well_filled(first):
        return 0, first, len(tried)
    level, measure, _ = choose(at, first.pages - 1)
    if measure.pages >= first.pages:  # not pulled back: spread over the pages it has
        level, measure, _ = choose(at, first.pages)
    return level, measure, len(tried)


def lines_over(measure: Measure, budget: int | None) -> int:
    """About how many lines a factsheet runs over its budget."""
    if budget is None or measure.pages <= budget:
        return 0
    pages_over = measure.pages - budget - 1 + measure.last_fill
    return max(1, round(pages_over * LINES_AT_THE_FLOOR))


#: What an output's report entry shows of its factsheet's fitting.
FIT_FIELDS = ("level", "setting", "budget", "pages", "last_fill", "notes_away", "lines_over",
              "gap", "bad_breaks")


def record(level: int, measure: Measure, budget: int | None, key: str) -> dict:
    """What build/report.json keeps of a factsheet's fitting."""
    return {"key": key, "level": level, "setting": describe(level), "budget": budget,
            **measure.as_dict(), "lines_over": lines_over(measure, budget)}


#: The fittings of the build in progress, for worker processes forked from this one.
_FITTINGS: list[Fitting] = []


def _fit(index: int) -> dict[str, dict]:
    """In a worker: choose the level of every factsheet of one language."""
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
        chosen[sheet.id] = record(level, measure, sheet.budget, sheet.key) | {
            "layouts": layouts}
    renderer.fit_levels = {}
    return chosen


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


def recorded_levels(report: Report, codes: list[str]) -> dict[str, dict[str, int]]:
    """Each language's factsheet levels as the report has them, without choosing any."""
    levels: dict[str, dict[str, int]] = {code: {} for code in codes}
    for key, fitted in report.fits.items():
        code, _, sheet = key.partition("/")
        if code in levels and isinstance(fitted, dict) and isinstance(fitted.get("level"), int):
            levels[code][sheet] = fitted["level"]
    return levels


def recorded_pages(report: Report, code: str) -> dict[str, int]:
    """How many pages each of a language's factsheets came out at when it was fitted."""
    pages = {}
    for key, fitted in report.fits.items():
        language, _, sheet = key.partition("/")
        if language == code and isinstance(fitted, dict) and isinstance(fitted.get("pages"), int):
            pages[sheet] = fitted["pages"]
    return pages


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
