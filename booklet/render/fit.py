"""Copyfitting levels: the typographic settings a factsheet can be set at, and its measure.

A factsheet is set at level 0 unless it runs over its page budget or leaves a
page nearly empty. Tighter levels (1 to 4) set the running text smaller, down
to a floor of 8.5 pt, and close up the space between paragraphs, lists,
headings, boxes and figures, and the notes; the last (5) also closes up the
leading, to each script's ``--leading-tight`` (scripts with tall stacks start
from a leading much larger than Latin's); looser levels (-1 to -4) open them
up, so that a short runover page is used. Each level applies to
``article.factsheet[data-fit="N"]`` only, so a factsheet reads the same in the
booklet and alone; build/fit.py chooses the level. The foreword, set larger,
takes the same levels in proportion (``section.foreword[data-fit="N"]``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Level: (what it does, running text size in pt, space as a share of the usual, notes in pt,
#: and whether the leading closes up).
LEVELS = {
    -4: ("text 10.5 pt, space +40%", 10.5, 1.4, 7.5, False),
    -3: ("text 10.25 pt, space +25%", 10.25, 1.25, 7.5, False),
    -2: ("text 10 pt, space +15%", 10.0, 1.15, 7.5, False),
    -1: ("text 9.75 pt, space +5%", 9.75, 1.05, 7.5, False),
    1: ("text 9.25 pt, space -10%", 9.25, 0.9, 7.5, False),
    2: ("text 9 pt, space -20%, notes 7.25 pt", 9.0, 0.8, 7.25, False),
    3: ("text 8.75 pt, space -30%, notes 7 pt", 8.75, 0.7, 7.0, False),
    4: ("text 8.5 pt (the floor), space -40%, notes 7 pt", 8.5, 0.6, 7.0, False),
    5: ("text 8.5 pt (the floor), space -40%, notes 7 pt, leading closed up",
        8.5, 0.6, 7.0, True),
}
LOOSEST, TIGHTEST = min(LEVELS), max(LEVELS)
#: The usual space (components.css) that the levels scale, in mm: selector, property, values.
SPACES = (
    ("p", "margin-bottom", (2.2,)),
    ("ul", "margin-bottom", (2.5,)),
    ("li", "margin-bottom", (1.2,)),
    (".heading", "margin", (5, 0, 2.2)),
    (".subheading", "margin", (3, 0, 1.5)),
    (".box", "margin", (3, 0, 4)),
    (".box", "padding", (3.5, 4.5, 2)),
    (".figure", "margin", (4, 0)),
)


#: The running text's size as designed: a factsheet's (components.css), and the
#: foreword's, which a level scales in proportion.
DESIGN_SIZE, FOREWORD_SIZE = 9.5, 10.5


def stylesheet() -> str:
    """The CSS of every level, for the renderer's stylesheets."""
    rules = []
    for level, (_, size, space, notes, tight_leading) in sorted(LEVELS.items()):
        foreword = f'.foreword[data-fit="{level}"]'
        rules.append(f"{foreword} p {{ font-size: "
                     f"{round(FOREWORD_SIZE * size / DESIGN_SIZE, 2)}pt; }}")
        if tight_leading:
            rules.append(f"{foreword} p {{ line-height: var(--leading-tight); }}")
        scope = f'.factsheet[data-fit="{level}"]'
        rules.append(f"{scope} {{ font-size: {size}pt; }}")
        for selector, prop, values in SPACES:
            # Horizontal padding of boxes keeps its width: only vertical space scales.
            scaled = [v if prop == "padding" and index == 1 else round(v * space, 3)
                      for index, v in enumerate(values)]
            for part in (scope, foreword):
                rules.append(f"{part} {selector} {{ {prop}: "
                             f"{' '.join(f'{v}mm' for v in scaled)}; }}")
        rules.append(f"{scope} .footnote {{ font-size: {notes}pt; }}")
        if tight_leading:
            rules.append(f"{scope}, {scope} :is(p, li, dd, .footnote) "
                         "{ line-height: var(--leading-tight); }")
    return "\n".join(rules) + "\n"


def describe(level: int) -> str:
    return "as designed" if level == 0 else LEVELS[level][0]


@dataclass(frozen=True)
class Measure:
    """How a factsheet's layout comes out."""

    pages: int
    last_fill: float  # share of the last page's text area used, 0 to 1
    notes_away: int  # footnotes not printed on the page of their call
    #: The largest share of a page's text area (not the last page's) left empty at its
    #: foot, where a box or figure went on whole to the next page.
    gap: float = 0.0
    #: Widows, orphans, headings at the foot of a page, lines broken short (breaks.py).
    bad_breaks: int = 0
    #: The words hyphenated where they should not be (hyphenation.py).
    hyphenation_faults: frozenset[str] = frozenset()

    def as_dict(self) -> dict:
        return {"pages": self.pages, "last_fill": round(self.last_fill, 3),
                "notes_away": self.notes_away, "gap": round(self.gap, 3),
                "bad_breaks": self.bad_breaks,
                "hyphenation_faults": len(self.hyphenation_faults)}
