"""Choose: how a factsheet is set, decided from how it comes out at each level.

Pure decisions on measures (render/fit.py's Measure) of layouts that
build/fit.py makes: which copyfitting level keeps a factsheet to its budget and
fills its pages well (``choose``, ``choose_foreword``), and which words to
keep from being hyphenated (``keep_words_whole``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..render.fit import LOOSEST, TIGHTEST, Measure

#: The least share of its text area a factsheet's last page must use (unless it is its only page).
MIN_FILL = 1 / 3
#: The most of a page's text area a box or figure going on whole to the next page may
#: leave empty at its foot.
MAX_GAP = 1 / 4
#: Lines of running text on a page at the tightest level, to say how far over a factsheet is.
LINES_AT_THE_FLOOR = 57


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


def split_boxes(measure: Measure, measure_split: Callable[[], Measure],
                budget: int | None) -> tuple[bool, Measure, int]:
    """Whether to let a factsheet's boxes go on over a page, how it then comes out, and
    how many layouts that took: only where a box or figure moved whole still leaves
    more than a quarter of a page empty at the level chosen, and letting boxes split
    closes that gap without breaking the budget, a note or a page break."""
    if measure.gap <= MAX_GAP or not acceptable(measure, budget):
        return False, measure, 0
    split = measure_split()
    better = acceptable(split, budget) and split.gap <= MAX_GAP \
        and split.bad_breaks <= measure.bad_breaks \
        and (split.pages == 1 or split.last_fill >= MIN_FILL or measure.last_fill < MIN_FILL)
    return (True, split, 1) if better else (False, measure, 1)


def longer(one: Measure, other: Measure) -> Measure:
    """The measure of two layouts of one factsheet that both must satisfy."""
    if one.pages != other.pages:
        return max(one, other, key=lambda measure: measure.pages)
    return Measure(one.pages, min(one.last_fill, other.last_fill),
                   max(one.notes_away, other.notes_away), max(one.gap, other.gap),
                   max(one.bad_breaks, other.bad_breaks),
                   one.hyphenation_faults | other.hyphenation_faults)


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


#: Times a factsheet is laid out again to keep more words whole.
MENDING_ROUNDS = 3


def keep_words_whole(measure_with: Callable[[frozenset[str]], Measure], measure: Measure,
                     budget: int | None) -> tuple[frozenset[str], Measure, int]:
    """The words to keep whole (hyphenation.py) at the level chosen, how the factsheet
    then comes out, and how many layouts that took.

    ``measure`` is the layout at that level; ``measure_with(words)`` lays it out again
    with ``words`` kept whole. A round that would break the budget or the page fill is
    not taken.
    """
    whole: frozenset[str] = frozenset()
    layouts = 0
    for _ in range(MENDING_ROUNDS):
        if not measure.hyphenation_faults:
            break
        candidate = whole | measure.hyphenation_faults
        mended = measure_with(candidate)
        layouts += 1
        if not acceptable(mended, budget) or (well_filled(measure) and not well_filled(mended)):
            break
        whole, measure = candidate, mended
    return whole, measure, layouts
