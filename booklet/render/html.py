"""Render HTML: turn loaded content into the HTML of a booklet or a factsheet.

Texts are rendered to safe HTML here (inline.py), with footnotes and
cross-references resolved for the document being made; the Jinja templates in
templates/ only arrange what they are given, with autoescaping on.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape

from ..content import inline
from ..content.load import Content, FactsheetSpec, Language
from ..content.locales import language_name, parse_locale
from ..content.texts import LABEL
from ..content.typefaces import script_of
from . import fragments
from .bidi import isolate_latin, ltr_spans, text_direction, without_isolates
from .figures import fill_in, label_span, read_svg, take_labels, view_box, with_title
from .geometry import text_width
from .heads import head_fits, running_head
from .hyphenation import keep_whole
from .localization import calendar_year, join, numbering, sort_names
from .palette import PLACEHOLDER
from .segment import insert_breaks, needs_segmentation
from .spacing import has_space_before_element, spaces_inside
from .terms import has_latin, mark_latin_runs
from .typography import localised_text, typeset

#: Keys whose values are not inline text: they are used as they are.
RAW_KEYS = {"src", "kind", "labels", "alt"}


def factsheet_markup(document: str, sheet_id: str) -> str | None:
    """A factsheet's <article> in a document's HTML (articles do not nest)."""
    start = rf'<article class="factsheet[^"]*" id="fs-{re.escape(sheet_id)}"'
    found = re.search(start + ".*?</article>", document, re.S)
    return found.group(0) if found else None


@dataclass
class Target:
    """Where a cross-reference to a factsheet leads in the document being made."""

    title: str
    href: str | None
    in_document: bool


class Renderer:
    """Renders the HTML documents of one language."""

    def __init__(self, content: Content, language: Language, env: jinja2.Environment,
                 translations: gettext.NullTranslations | None = None,
                 colours: dict | None = None):
        self.content = content
        self.colours = colours or {}
        self.language = language
        self.env = env
        self.publication = content.publication
        self.translations = translations or gettext.NullTranslations()
        self.locale_code = content.publication.locale_code(language.code)
        self.locale = parse_locale(self.locale_code)
        self.counter_style, self.digits = numbering(self.locale)
        self.direction = text_direction(self.locale)
        #: The width of the language's running text: figures and running heads keep to it.
        self.text_width = text_width(content.publication.typefaces, language.code)
        #: The copyfitting level of each factsheet (and of the foreword, "foreword") set at
        #: another than 0 (render/fit.py).
        self.fit_levels: dict[str, int] = {}
        #: How many pages each factsheet comes out at, where fitting measured it: a
        #: factsheet of an odd number of pages needs no blank page to open as a spread.
        self.fit_pages: dict[str, int] = {}
        #: Words copyfitting keeps from being hyphenated, by factsheet (hyphenation.py).
        self.whole_words: dict[str, frozenset[str]] = {}
        #: Factsheets whose boxes may go on over a page (a mark says so), where moving
        #: a box whole would leave a quarter of a page empty.
        self.split_boxes: frozenset[str] = frozenset()
        self._whole: frozenset[str] = frozenset()
        #: Texts made HTML so far, by their inline HTML and the words kept whole in them.
        self._finished: dict[tuple[str, frozenset[str]], Markup] = {}
        #: Factsheet documents made so far, by factsheet and copyfitting (``factsheet``).
        self._factsheets: dict[tuple, str] = {}
        #: Words in Latin letters inside text in another script are the source
        #: language's terms (CSAM, PhotoDNA): marked so, for screen readers.
        source = content.publication.source_language
        self.latin_terms = source if script_of(language.code) != "Latn" == script_of(source) \
            else None

    # Texts ---------------------------------------------------------------

    def title_of(self, sheet: FactsheetSpec) -> str:
        source = self.language.factsheets.get(sheet.id)
        if source is None:
            source = self.content.languages[self.publication.source_language].factsheets.get(
                sheet.id)
        if source is None:
            return sheet.id
        text_lang = self.text_lang(sheet.id)
        title = typeset(inline.plain(source.data["title"]), self.publication.locale_code(text_lang))
        return self.isolated(insert_breaks(title, text_lang), text_lang)

    def direction_of(self, text_lang: str) -> str:
        return text_direction(parse_locale(self.publication.locale_code(text_lang)))

    def isolated(self, text: str, text_lang: str) -> str:
        """Right-to-left text with its left-to-right runs isolated (bidi.py)."""
        return isolate_latin(text) if self.direction_of(text_lang) == "rtl" else text

    def text_lang(self, key: str) -> str:
        if key in self.language.fallbacks:
            return self.publication.source_language
        return self.language.code

    def _links(self, footnotes: dict, targets: dict[str, Target]) -> inline.Links:
        see_page = (self.translations.gettext("see page %(page)s") % {"page": "\0"}).split("\0")

        def cross_reference(target_id: str, label: str | None) -> Markup:
            target = targets[target_id]
            shown = escape(label if label else target.title)
            if target.href is None:
                return Markup(f'<span class="xref">{shown}</span>')
            if not target.in_document:
                return Markup(f'<a class="xref" href="{escape(target.href)}">{shown}</a>')
            before, after = (see_page + [""])[:2]
            return Markup(
                f'<a class="xref" href="{escape(target.href)}">{shown}</a>'
                f'<span class="xref-page"> ({escape(before)}'
                f'<a class="pageref" href="{escape(target.href)}"></a>{escape(after)})</span>')

        note_links = inline.Links(
            footnote=lambda name: Markup(""), cross_reference=cross_reference)

        def footnote(name: str) -> Markup:
            text = self.render_text(footnotes[name], note_links)
            return Markup(f'<span class="footnote">{text}</span>')

        return inline.Links(footnote=footnote, cross_reference=cross_reference)

    def prepare(self, value, links: inline.Links):
        """A deep copy of loaded data with every text rendered to safe HTML."""
        if isinstance(value, dict):
            return {k: (v if k in RAW_KEYS else self.prepare(v, links))
                    for k, v in value.items() if k != "footnotes"}
        if isinstance(value, list):
            return [self.prepare(item, links) for item in value]
        if isinstance(value, str):
            return self.render_text(value, links)
        return value

    def prepared(self, key: str, data, links: inline.Links):
        """``prepare`` for one factsheet or part, with the words it keeps whole."""
        self._whole = self.whole_words.get(key, frozenset())
        try:
            return self.prepare(data, links)
        finally:
            self._whole = frozenset()

    def render_text(self, text: str, links: inline.Links) -> Markup:
        """One text as safe HTML: its isolated runs as left-to-right spans (bidi.py);
        in left-to-right text in another script, its Latin terms marked (terms.py);
        the words copyfitting keeps whole (hyphenation.py); spaces before inline
        elements inside them (spacing.py)."""
        html = ltr_spans(inline.render(text, links))
        whole = frozenset(word for word in self._whole if word in html)
        # The same text comes back in every document it is in: each edition, the
        # booklet and the factsheet alone, each level copyfitting tries.
        key = (html, whole)
        if key not in self._finished:
            self._finished[key] = self._finish(html, whole)
        return self._finished[key]

    def _finish(self, html: Markup, whole: frozenset[str]) -> Markup:
        marking = self.latin_terms if self.direction == "ltr" else None
        if not has_space_before_element(html) and not (marking and has_latin(html)) \
                and not whole:
            return html
        holder = fragments.read(html)  # read once for every pass
        if marking:
            mark_latin_runs(holder, marking)
        keep_whole(holder, whole)
        spaces_inside(holder)
        return fragments.write(holder)

    def localised(self, value, text_lang: str):
        """A copy of loaded data as its reader gets it: the language's quotation marks
        and spacing, and line-break opportunities where the script needs them."""
        locale = self.publication.locale_code(text_lang)
        segmented = needs_segmentation(text_lang)
        right_to_left = self.direction_of(text_lang) == "rtl"

        def walk(item):
            if isinstance(item, dict):
                return {k: (v if k in ("src", "kind") else walk(v)) for k, v in item.items()}
            if isinstance(item, list):
                return [walk(v) for v in item]
            if isinstance(item, str):
                return localised_text(item, locale, text_lang, right_to_left, segmented)
            return item

        return walk(value)

    def targets(self, in_document: set[str], folder: str = "") -> dict[str, Target]:
        """Where each factsheet is: in this document, in a sibling PDF, or not in this language.

        ``folder`` is the path from the document being made to the factsheet PDFs.
        """
        targets = {}
        for sheet in self.publication.factsheets():
            inside = sheet.id in in_document
            if inside:
                href = f"#fs-{sheet.id}"
            elif sheet.id in self.language.factsheets:
                href = folder + sheet.output_name()
            else:
                href = None  # not published in this language: the title, without a link
            targets[sheet.id] = Target(self.title_of(sheet), href, inside)
        return targets

    def figure_svg(self, figure: dict) -> Markup:
        """The figure: its SVG drawing, with its labels set as HTML text on top.

        WeasyPrint draws SVG text letter by letter, which breaks Thai, Lao, Khmer
        and Burmese clusters; so each <text> becomes an absolutely positioned
        label laid out like any other text, in the reader's fonts.
        """
        path = self.content.project.figures / figure["src"]
        shown = self.content.project.shown(path)
        root = read_svg(path, shown)
        fill_in(root, lambda text: PLACEHOLDER.sub(
            lambda m: self.colours.get(m.group(1), "black"), text))
        _, _, width, height = view_box(root, shown)
        scale = self.text_width / width
        names = figure.get("labels") or {}
        spans = [label_span(self.isolated(LABEL.sub(lambda m: names.get(m.group(1), ""),
                                                     label.text), self.language.code),
                             label.attributes, scale) for label in take_labels(root)]
        # The alternative text is read out, not laid out: no line-break hints in it.
        # The line break after </svg> that ends every figure file is part of the layout.
        svg = with_title(root, without_isolates(figure["alt"].replace("\u200b", ""))) + "\n"
        return Markup(
            f'<div class="figure-canvas" style="width: {self.text_width:g}mm; '
            f'height: {height * scale:.2f}mm">{svg}{"".join(spans)}</div>')

    # Documents -----------------------------------------------------------

    def factsheet_view(self, sheet: FactsheetSpec, targets: dict[str, Target]) -> dict:
        source = self.language.factsheets[sheet.id]
        data = self.localised(source.data, self.text_lang(sheet.id))
        links = self._links(data.get("footnotes", {}), targets)
        view = self.prepared(sheet.id, data, links)
        view.update(spec=sheet, id=f"fs-{sheet.id}", fit=self.fit_levels.get(sheet.id, 0),
                    pages=self.fit_pages.get(sheet.id, sheet.pages),
                    split=sheet.id in self.split_boxes,
                    plain_title=without_isolates(inline.plain(data["title"])),
                    toc_title=inline.plain(data.get("toc_title") or data["title"]),
                    short_title=inline.plain(data.get("short_title") or "") or None,
                    **self.state(sheet.id, source.data))
        return view

    def state(self, key: str, data: dict) -> dict:
        """How a text stands in this language: its own language, draft, or a fallback."""
        source_code = self.publication.source_language
        if key in self.language.fallbacks:
            return {"text_lang": source_code, "text_dir": self.direction_of(source_code),
                    "draft": False,
                    "fallback": language_name(source_code, self.locale)}
        draft = data.get("translation", {}).get("state") == "draft"
        return {"text_lang": self.language.code, "text_dir": self.direction, "draft": draft,
                "fallback": None}

    def series_view(self, series, targets) -> dict:
        source = self.language.series[series.id]
        data = self.localised(source.data, self.text_lang(series.id))
        links = self._links(data.get("footnotes", {}), targets)
        view = self.prepare(data, links)
        view.update(spec=series, id=f"series-{series.id}",
                    plain_title=without_isolates(inline.plain(data["title"])),
                    plain_label=without_isolates(inline.plain(data["label"])),
                    **self.state(series.id, source.data))
        return view

    def availability(self) -> list[Markup]:
        """One sentence per series: the languages it exists in, from the content present."""
        spec = self.language.parts["back"].data.get("availability")
        if spec is None:
            return []
        overrides = spec.get("language_names", {})
        sentences = []
        for series in self.publication.series:
            codes = [code for code in self.publication.languages
                     if self.content.has_series(code, series)]
            names = sort_names([language_name(code, self.locale, overrides) for code in codes],
                               self.locale_code)
            # Plain replacement, never str.format: the sentence is untrusted content.
            sentence = spec["sentence"].replace("{series}", spec["series"][series.id])
            sentence = sentence.replace("{languages}",
                                        join(names, self.locale, spec.get("list_end")))
            sentence = self.isolated(typeset(sentence, self.locale_code), self.language.code)
            sentence = insert_breaks(sentence, self.language.code)
            sentences.append(self.render_text(sentence, self._links({}, {})))
        return sentences

    def parts(self, targets) -> dict:
        """The front and back matter, rendered: only the booklet has them."""
        parts = {}
        for role, source in self.language.parts.items():
            data = self.localised(source.data, self.language.code)
            parts[role] = self.prepared(role, data, self._links({}, targets))
            parts[role].update(self.state(role, source.data), fit=self.fit_levels.get(role, 0))
        return parts

    def foreword(self) -> str:
        """The foreword alone, for copyfitting to lay out (never written as a PDF)."""
        template = self.env.get_template("foreword.html.j2")
        return template.render(parts=self.parts(self.targets(set())), **self.common())

    def common(self) -> dict:
        """What every document's templates use."""
        front = self.language.parts["front"].data
        return dict(
            lang=self.language.code,
            source_lang=self.publication.source_language,
            # The document's direction, the source language's, and Latin runs kept
            # whole in right-to-left text (an ISBN): bidi.py.
            direction=self.direction,
            own_leading=self.publication.typefaces.leading(self.language.code) is not None,
            source_dir=self.direction_of(self.publication.source_language),
            isolate=lambda text: self.isolated(str(text), self.language.code),
            publication=self.publication.data,
            date=self.publication.date,
            title=typeset(inline.plain(front["cover"]["title"]), self.locale_code),
            subtitle=typeset(inline.plain(front["cover"]["subtitle"]), self.locale_code),
            figure_svg=self.figure_svg,
            counter_style=self.counter_style,
            # The year in the reader's calendar (the Buddhist era in Thai) and digits.
            year=str(calendar_year(self.publication.date, self.locale_code)).translate(
                self.digits),
            num=lambda number: str(number).translate(self.digits),
            running_head=lambda *parts: running_head(*parts, fits=head_fits(
                self.publication.typefaces, self.language.code, self.text_width)),
        )

    def booklet(self, notes_pages: int = 0) -> str:
        in_document = set(self.language.factsheets)
        targets = self.targets(in_document, folder="factsheets/")
        series = []
        for spec in self.publication.series:
            if spec.id not in self.language.series:
                continue  # not in this language, or omitted
            view = self.series_view(spec, targets)
            view["factsheets"] = [self.factsheet_view(sheet, targets)
                                  for sheet in spec.factsheets
                                  if sheet.id in self.language.factsheets]
            series.append(view)
        template = self.env.get_template("booklet.html.j2")
        return template.render(series=series, notes_pages=notes_pages,
                               parts=self.parts(targets), availability=self.availability(),
                               **self.common())

    def factsheet(self, sheet: FactsheetSpec, as_in_booklet: bool = False) -> str:
        """A factsheet's document; ``as_in_booklet``: with its cross-references as the
        booklet has them ("see page N"), for copyfitting to measure that too."""
        # Asked for again and again (to fingerprint it, at each copyfitting step, to
        # write it): made once for each way copyfitting sets it.
        key = (sheet.id, as_in_booklet, self.fit_levels.get(sheet.id, 0),
               self.fit_pages.get(sheet.id, sheet.pages),
               self.whole_words.get(sheet.id, frozenset()), sheet.id in self.split_boxes)
        if key not in self._factsheets:
            self._factsheets[key] = self._factsheet(sheet, as_in_booklet)
        return self._factsheets[key]

    def _factsheet(self, sheet: FactsheetSpec, as_in_booklet: bool) -> str:
        targets = self.targets(set(self.language.factsheets), folder="factsheets/") \
            if as_in_booklet else self.targets({sheet.id})
        series_spec = next(s for s in self.publication.series if s.id == sheet.series)
        series = self.series_view(series_spec, targets)
        template = self.env.get_template("factsheet.html.j2")
        return template.render(sheet=self.factsheet_view(sheet, targets), series=series,
                               **self.common())
