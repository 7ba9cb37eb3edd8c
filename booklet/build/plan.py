"""Plan: the outputs of a language and edition, their HTML, and the layouts that make them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from ..content.load import Content, FactsheetSpec
from ..paths import ProjectPaths
from ..render import palette
from ..render.html import Renderer, factsheet_markup
from ..render.localization import translations_from
from ..render.templates import environment, template_error
from .report import Report

EDITIONS = ("print", "screen")


@dataclass(frozen=True)
class Output:
    """One PDF to make: which edition and language, which document, where it goes."""

    edition: str
    language: str
    kind: str  # "booklet" or "factsheet"
    path: Path
    factsheet: FactsheetSpec | None = None

    @property
    def label(self) -> str:
        return f"{self.edition} {self.language} {self.path.name}"

    @property
    def is_print_booklet(self) -> bool:
        """Saddle-stitched: padded with notes pages, and the one output --impose imposes."""
        return self.edition == "print" and self.kind == "booklet"


def plan(content: Content, languages: list[str], edition: str) -> list[Output]:
    """Every output of one edition, in order."""
    outputs = []
    for code in languages:
        folder = content.project.build / edition / code
        outputs.append(Output(edition, code, "booklet", folder / "booklet.pdf"))
        for sheet in content.publication.factsheets():
            if sheet.id in content.languages[code].factsheets:
                outputs.append(Output(edition, code, "factsheet", folder / "factsheets" /
                                      sheet.output_name(), sheet))
    return outputs


def renderer_for(project: ProjectPaths, content: Content, code: str,
                 colours: palette.Palette) -> Renderer:
    """The HTML renderer of one language, in one edition's colours."""
    translations = translations_from(content.catalogues.get(code))
    return Renderer(content, content.languages[code], environment(project, translations),
                    translations, colours.colours)


def render_html(renderer: Renderer, output: Output, notes_pages: int = 0) -> str:
    try:
        if output.kind == "booklet":
            return renderer.booklet(notes_pages=notes_pages)
        return renderer.factsheet(output.factsheet)
    except jinja2.TemplateError as error:
        raise template_error(renderer.content.project, error) from None


def booklet_pages(report: Report, codes: list[str]) -> dict[str, int]:
    """Each language's screen booklet page count, as the last build recorded it."""
    pages = {}
    for code in codes:
        entry = report.outputs.get(f"build/screen/{code}/booklet.pdf")
        if entry and isinstance(entry.get("pages"), int):
            pages[code] = entry["pages"]
    return pages


@dataclass(frozen=True)
class Fitted:
    """A language's copyfitting as its documents are rendered: each part's level, the
    pages it came out at, the words it keeps whole, and the factsheets whose boxes
    may go on over a page (build/fit.py)."""

    levels: dict[str, int]
    pages: dict[str, int]
    whole_words: dict[str, frozenset[str]]
    split_boxes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, renderer: Renderer) -> Fitted:
        return cls(dict(renderer.fit_levels), dict(renderer.fit_pages),
                   dict(renderer.whole_words), renderer.split_boxes)

    def apply(self, renderer: Renderer) -> None:
        renderer.fit_levels = dict(self.levels)
        renderer.fit_pages = dict(self.pages)
        renderer.whole_words = dict(self.whole_words)
        renderer.split_boxes = self.split_boxes


@dataclass
class Copy:
    """A factsheet written from the booklet's layout: its markup alone is the same."""

    output: Output
    html: str  # its own document: its title and identifiers come from it
    inputs: str


@dataclass
class Task:
    """One layout, and the outputs written from it.

    A booklet's layout also makes the factsheets whose markup is the same alone
    (``copies``). A task of a language whose factsheets are still to be fitted is
    rendered again at the levels chosen (``at``), fingerprinted then with
    ``fingerprint``, and its outputs written if ``needed(output, inputs)``.
    """

    output: Output
    html: str
    renderer: Renderer
    inputs: str
    copies: list[Copy] = field(default_factory=list)
    fingerprint: Callable[[str], str] | None = None
    needed: Callable[[Output, str], bool] | None = None

    def at(self, fitted: Fitted) -> Task | None:
        """This task with its documents rendered again with a language's copyfitting,
        without the copies whose PDF is still current; None if nothing is to be written."""
        fitted.apply(self.renderer)
        html = render_html(self.renderer, self.output)
        inputs = self.fingerprint(html)
        copies = []
        for copy in self.copies:
            made = render_html(self.renderer, copy.output)
            made_from = self.fingerprint(made)
            if self.needed(copy.output, made_from):
                copies.append(Copy(copy.output, made, made_from))
        if not copies and not self.needed(self.output, inputs):
            return None
        return replace(self, html=html, inputs=inputs, copies=copies)


def alone(renderer: Renderer, planned: list[tuple[Output, str, str]],
            needed: set[Path]) -> list[Task]:
    """Each of the ``needed`` outputs of ``planned`` laid out on its own."""
    return [Task(output, html, renderer, inputs) for output, html, inputs in planned
            if output.path in needed]


def layouts(renderer: Renderer, planned: list[tuple[Output, str, str]],
            needed: set[Path]) -> list[Task]:
    """The layouts that make the ``needed`` outputs of one language and edition.

    ``planned`` is the booklet then its factsheets, each with its HTML and
    inputs fingerprint. A factsheet comes from the booklet's layout unless it
    reads differently alone (a cross-reference to a factsheet says "see page N"
    in the booklet, and links to that factsheet's PDF alone): then it gets its own.
    """
    (booklet, booklet_html, booklet_inputs), *factsheets = planned
    copies, alone = [], []
    for output, html, inputs in factsheets:
        if output.path not in needed:
            continue
        markup = factsheet_markup(html, output.factsheet.id)
        # A booklet that is not written is not laid out for its factsheets' sake:
        # a factsheet alone takes a tenth of the time.
        if booklet.path in needed and markup is not None \
                and markup == factsheet_markup(booklet_html, output.factsheet.id):
            copies.append(Copy(output, html, inputs))
        else:
            alone.append(Task(output, html, renderer, inputs))
    if booklet.path not in needed:
        return alone
    return [Task(booklet, booklet_html, renderer, booklet_inputs, copies=copies)] + alone
