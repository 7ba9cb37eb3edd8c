"""Typesetting on the real PDFs of every language: quotation marks, calendars, spreads, notes."""

from __future__ import annotations

import html as html_module
import json
import re
import statistics
import subprocess

import pikepdf
import pytest
import yaml
from conftest import ROOT
from pdftext import BOXES, full_lines, page_texts, squash, word_boxes

from booklet.build.choose import MAX_GAP, MIN_FILL, choose, choose_foreword
from booklet.content.load import load
from booklet.content.typefaces import script_of, theme_defaults
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.render.breaks import bad_breaks
from booklet.render.fit import Measure
from booklet.render.geometry import text_width
from booklet.render.heads import running_head
from booklet.render.html import Renderer
from booklet.render.templates import environment
from booklet.render.typography import NARROW_NBSP, typeset

PUBLICATION = yaml.safe_load((ROOT / "content/publication.yaml").read_text())
LANGUAGES = PUBLICATION["languages"]
STRAIGHT = ("'", '"')


@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("'Sexting', has been defined as the 'self-production of sexual images'", "en_GB",
     "‘Sexting’, has been defined as the ‘self-production of sexual images’"),
    ("children's rights, childrens' rights and \"quotes\"", "en",
     "children’s rights, childrens’ rights and “quotes”"),
    ("l'enfant dit 'oui' : \"non\" ?", "fr",
     f"l’enfant dit «{NARROW_NBSP}oui{NARROW_NBSP}»{NARROW_NBSP}: "
     f"«{NARROW_NBSP}non{NARROW_NBSP}»{NARROW_NBSP}?"),
    ("el \"grooming\" y 'sexting'", "es", "el «grooming» y “sexting”"),
    ("«Дети» и \"секстинг\"", "ru", "«Дети» и «секстинг»"),
    ("CSAM'ye", "tr", "CSAM’ye"),
    # Typographic characters already there are kept; a URL's colon is not French punctuation.
    ("Qu’est-ce que « le filtrage » ? http://www.ecpat.org", "fr",
     f"Qu’est-ce que «{NARROW_NBSP}le filtrage{NARROW_NBSP}»{NARROW_NBSP}? "
     "http://www.ecpat.org"),
])
def test_straight_quotes_become_the_languages_own(text, locale, expected):
    assert typeset(text, locale) == expected


def outputs(root, edition: str, code: str):
    folder = root / "build" / edition / code
    return [folder / "booklet.pdf", *sorted((folder / "factsheets").glob("*.pdf"))]


#: Scripts whose text layer does not yet extract as written (glyphs HarfBuzz made from
#: clusters map to stray characters, " among them): their quotes are read in the HTML.
GARBLED_TEXT_LAYER = {"km", "my"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_straight_quotes_in_the_text_layer(built_all, code):
    if code in GARBLED_TEXT_LAYER:
        content = load(ProjectPaths(built_all), Problems(), [code])
        renderer = Renderer(content, content.languages[code],
                            environment(ProjectPaths(built_all)))
        for sheet in content.publication.factsheets():
            if sheet.id in content.languages[code].factsheets:
                body = renderer.factsheet(sheet).split("<body", 1)[1]
                text = html_module.unescape(re.sub(r"<[^>]+>", " ", body))
                assert not any(q in text for q in STRAIGHT), sheet.id
        return
    for edition in ("screen", "print"):
        for pdf in outputs(built_all, edition, code):
            for number, text in enumerate(page_texts(pdf), 1):
                assert not any(q in text for q in STRAIGHT), (pdf.name, number)


def test_thai_dates_count_years_in_the_buddhist_era(built_all):
    sheet = next((built_all / "build/screen/th/factsheets").glob("*grooming.pdf"))
    footer = page_texts(sheet)[0]
    assert "2560" in footer and "2017" not in footer.replace("2017-", "")


def outline_pages(pdf_path) -> tuple[list[int], list[int]]:
    """The pages the bookmarks lead to: of each series (a bookmark with factsheets
    under it: its divider), and of each factsheet."""
    with pikepdf.open(pdf_path) as pdf:
        numbers = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        series, factsheets = [], []
        with pdf.open_outline() as outline:
            for item in outline.root:
                if item.children:
                    series.append(numbers[item.destination[0].objgen])
                factsheets += [numbers[child.destination[0].objgen] for child in item.children]
        return series, factsheets


def factsheet_spans(booklet) -> dict[int, int]:
    """How many pages each factsheet takes in a booklet, by its first page: from its
    start to its end marker (named destinations "fs-<id>" and "fs-<id>-end")."""
    with pikepdf.open(booklet) as pdf:
        numbers = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        pages = {name: numbers[destination[0].objgen]
                 for name, destination in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    return {page: pages[f"{name}-end"] - page + 1 for name, page in pages.items()
            if name.startswith("fs-") and not name.endswith("-end")}


@pytest.mark.parametrize("code", LANGUAGES)
def test_dividers_open_on_the_right_and_factsheets_as_spreads(built_all, code):
    """A divider is a right-hand page; a factsheet of an even number of pages starts on a
    left-hand one, so that its pages face each other; one of an odd number starts on
    the next page; no page is left blank that need not be."""
    for edition in ("screen", "print"):
        booklet = built_all / "build" / edition / code / "booklet.pdf"
        series, factsheets = outline_pages(booklet)
        spans = factsheet_spans(booklet)
        pages = [spans[start] for start in factsheets]
        assert series and 3 in pages  # the three-page budgets are used
        assert all(page % 2 == 1 for page in series), (edition, series)
        for index, (start, count) in enumerate(zip(factsheets, pages, strict=True)):
            if count % 2 == 0:
                assert start % 2 == 0, (edition, start, count)
            following = factsheets[index + 1] if index + 1 < len(factsheets) else None
            if following and not any(start < divider < following for divider in series):
                # A blank page between two factsheets only where the next one must
                # open on the left and the page after this one is a right-hand page.
                free = start + count
                assert following == free + (pages[index + 1] % 2 == 0 and free % 2 == 1), \
                    (edition, start, count, following)
        # The back cover is a left-hand page: print needs a multiple of four pages.
        assert len(page_texts(booklet)) % (4 if edition == "print" else 2) == 0


@pytest.mark.parametrize("code", [c for c in LANGUAGES if script_of(c) in {"Latn", "Cyrl"}])
def test_latin_and_cyrillic_text_is_set_at_60_to_75_characters_a_line(built_all, code):
    """Measured on the factsheets' full lines (not a paragraph's last), at every
    copyfitting level they are set at; the other scripts span the text area."""
    width = text_width(theme_defaults(), code)
    lengths = [len(line) for pdf in (built_all / "build/screen" / code / "factsheets").glob(
        "*.pdf") for line in full_lines(pdf, width)]
    assert width < 170 and len(lengths) > 100
    assert 60 <= statistics.median(lengths) <= 75, statistics.median(lengths)


@pytest.mark.parametrize("code", LANGUAGES)
def test_blank_pages_carry_no_page_furniture(built_all, code):
    """A page left blank before a divider or a spread shows nothing, in every numbering."""
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    furniture_only = [number for number, text in enumerate(page_texts(booklet), 1)
                      if text.strip() and len(text.strip()) <= 4]
    assert not furniture_only, furniture_only


def test_footnotes_away_from_their_call_are_reported(built_all):
    """A note that does not fit on the page of its call is printed on the next page,
    never lost, and the report says so (the proof shows it)."""
    report = json.loads((built_all / "build/report.json").read_text("utf-8"))
    away = [(o["path"], w) for o in report["outputs"] for w in o["warnings"]
            if w.startswith("footnote away from its call")]
    assert all("printed nowhere" not in warning for _, warning in away), away


# Copyfitting ------------------------------------------------------------------



def fake_layout(length_at_level_0: float, notes_until: int | None = None):
    """A factsheet whose length (in pages) changes by a known share at each level."""
    change = {-3: 0.16, -2: 0.1, -1: 0.05, 0: 0, 1: -0.09, 2: -0.17, 3: -0.21, 4: -0.24,
              5: -0.3}
    laid_out = []

    def measure_at(level: int) -> Measure:
        laid_out.append(level)
        length = length_at_level_0 * (1 + change[level])
        away = 1 if notes_until is not None and level < notes_until else 0
        return Measure(int(length) + 1, length - int(length), away)

    return measure_at, laid_out


@pytest.mark.parametrize(("length", "notes_until", "level"), [
    (1.6, None, 0),    # fits, last page well used: as designed
    (2.33, None, 2),   # a third of a page over: the loosest level that fits
    (1.15, None, -3),  # a short last page: opened up until a third of it is used
    (1.62, 2, 2),      # a note pushed away: the nearest level that keeps it with its call
    (2.75, None, 5),   # over at the smallest type: the leading closes up too
    (3.2, None, 4),    # over even at the floor, and closing up the leading gains no page
    (4.1, None, 5),    # over at every level: the tightest, which gains a page
])
def test_the_level_chosen_is_the_first_that_works(length, notes_until, level):
    measure_at, laid_out = fake_layout(length, notes_until)
    chosen, measure, layouts = choose(measure_at, 2)
    assert chosen == level and layouts == len(laid_out) <= 4
    if length < 3:
        assert measure.pages <= 2 and measure.notes_away == 0
        assert measure.pages == 1 or measure.last_fill >= MIN_FILL


#: Each factsheet's page budget: its own, else its series'.
BUDGETS = {sheet["id"]: sheet.get("pages", series["pages"])
           for series in PUBLICATION["series"] for sheet in series["factsheets"]}


@pytest.mark.parametrize(("length", "level", "pages"), [
    (0.9, 0, 1),    # its page, as designed
    (1.15, 2, 1),   # a short runover: pulled back onto one page, as little tighter as can be
    (1.28, 4, 1),
    (1.5, 0, 2),    # two pages, the second well used
])
def test_the_forewords_short_last_page_is_pulled_back(length, level, pages):
    measure_at, _ = fake_layout(length)
    chosen, measure, _ = choose_foreword(measure_at)
    assert (chosen, measure.pages) == (level, pages)
    assert measure.pages == 1 or measure.last_fill >= MIN_FILL


@pytest.mark.parametrize(("gaps", "level"), [
    ({0: 0.32, -1: 0.30, -2: 0.28, -3: 0.21}, -3),  # text before the box fills the gap
    ({0: 0.28, 1: 0.03}, 1),  # looser runs over the budget; tighter brings the box up
])
def test_a_page_left_short_by_a_box_that_moves_on_is_filled(gaps, level):
    """A box too tall for the rest of a page goes on whole: the first level that leaves
    no page more than a quarter empty at its foot, within the budget."""
    def measure_at(at: int) -> Measure:
        if at < 0 and -1 not in gaps:
            return Measure(3, 0.2, 0)  # over the budget of 2
        return Measure(2, 0.8, 0, gaps.get(at, 0.3 if at < 0 else 0.1))

    chosen, measure, _ = choose(measure_at, 2)
    assert chosen == level and measure.gap <= 0.25


def test_a_foreword_that_cannot_be_pulled_back_is_spread_over_its_pages():
    """A page of a foreword that setting it smaller does not shorten (a long
    unbreakable block): opened up until its last page is used instead."""
    def measure_at(level: int) -> Measure:
        length = 1.2 if level >= 0 else 1.2 + 0.06 * -level
        return Measure(int(length) + 1, length - int(length), 0)

    chosen, measure, _ = choose_foreword(measure_at)
    assert (chosen, measure.pages) == (-3, 2) and measure.last_fill >= MIN_FILL


def test_words_hyphenated_a_third_line_in_a_row_or_before_a_last_line_are_kept_whole():
    """Laid out by WeasyPrint in a narrow column: the faults found are real words of the
    text, and kept whole they are no longer hyphenated."""
    from weasyprint import HTML

    from booklet.render import fragments
    from booklet.render.hyphenation import faults, keep_whole

    text = ("L’exploitation sexuelle des enfants constitue une préoccupation internationale "
            "considérable, qui nécessite manifestement une coopération interinstitutionnelle "
            "renforcée entre gouvernements, organisations intergouvernementales et "
            "associations communautaires représentatives. ") * 3
    style = ("<style>@page { size: 70mm 300mm; margin: 5mm } p { hyphens: auto; "
             "hyphenate-limit-chars: 7 3 3; font-size: 10pt } .nh { hyphens: manual }</style>")

    def laid_out(paragraph: str):
        return HTML(string=f'<html lang="fr">{style}<p>{paragraph}</p></html>').render().pages

    found = faults(laid_out(text))
    assert found and all(word in text for word in found)
    holder = fragments.read(text)
    keep_whole(holder, frozenset(found))
    mended = str(fragments.write(holder))
    assert mended.count('<span class="nh">') >= len(found)
    assert not faults(laid_out(mended)) & found


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_foreword_keeps_to_one_page(built_all, code):
    """The English foreword fills its page; translations run 5 to 20% longer and are
    set a little smaller rather than leave a page of a few lines."""
    with pikepdf.open(built_all / "build/screen" / code / "booklet.pdf") as pdf:
        numbers = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            starts = [numbers[item.destination[0].objgen] for item in outline.root]
    assert starts[:2] == [3, 4]  # the foreword, then the acronyms on the next page
    report = json.loads((built_all / "build/report.json").read_text("utf-8"))
    assert report["fits"][f"{code}/foreword"]["pages"] == 1


def factsheet_entries(report: dict):
    return [o for o in report["outputs"] if o["kind"] == "factsheet"]


def test_every_factsheet_keeps_to_its_budget_and_uses_its_last_page(built_all):
    report = json.loads((built_all / "build/report.json").read_text("utf-8"))
    over, thin, short = set(), set(), set()
    for entry in factsheet_entries(report):
        name = f"{entry['language']}/{entry['factsheet']}"
        fit = entry["fit"]
        assert fit["budget"] == BUDGETS[entry["factsheet"]] and fit["setting"]
        if entry["pages"] > fit["budget"]:
            over.add(name)
            assert fit["lines_over"] > 0 and any(
                a.startswith("fit: over its budget") for a in entry["attention"])
        elif entry["pages"] > 1 and fit["last_fill"] < MIN_FILL:
            thin.add(name)
        if fit["gap"] > MAX_GAP or fit["bad_breaks"] or fit["hyphenation_faults"]:
            short.add(name)
    assert over == set()
    assert thin == set()
    # No page left a quarter empty by a box, no bad break, no third hyphen in a row.
    assert short == set()


def test_a_build_with_unchanged_factsheets_lays_nothing_out_to_fit_them(built_all):
    from booklet.cli import main

    assert main(["build", "--project", str(built_all), "--lang", "fr", "--edition", "screen",
                 "--force", "--quiet"]) == 0
    report = json.loads((built_all / "build/report.json").read_text("utf-8"))
    assert report["last_build"]["fit_layouts"] == 0
    assert report["last_build"]["rendered"] == 18


# Design -----------------------------------------------------------------------

#: The map's land dots (palette.css: figure-teal-pale, screen edition).
LAND = (213, 237, 244)


def _lowest_text_and_highest_land(pdf, index: int) -> tuple[float, float]:
    """On one page, in points from its top: the bottom of its lowest character and
    the top of the map's land, as drawn."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[index]
        height = page.get_height()
        textpage = page.get_textpage()
        lowest = max(height - textpage.get_charbox(i)[1]
                     for i in range(textpage.count_chars())
                     if not textpage.get_text_range(i, 1).isspace())
        scale = 2
        image = page.render(scale=scale).to_pil().convert("RGB")
        pixels = image.load()
        land_rows = [y for y in range(image.height) for x in range(0, image.width, 2)
                     if all(abs(c - want) <= 4 for c, want in zip(pixels[x, y], LAND, strict=True))]
        return lowest, min(land_rows) / scale
    finally:
        document.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_divider_text_never_covers_the_maps_land(built_all, code):
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    series, _ = outline_pages(booklet)
    for page in series:
        lowest_text, land_top = _lowest_text_and_highest_land(booklet, page - 1)
        # The introduction's panel reaches 6 mm below its text.
        assert lowest_text + 6 * 72 / 25.4 < land_top, (code, page, lowest_text, land_top)


@pytest.mark.parametrize(("title", "short", "expected"), [
    ("Sexting", None, "Manifestations  ·  3. Sexting"),
    ("A" * 120, "Lanzarote Convention", "Legal  ·  2. Lanzarote Convention"),
    ("B" * 80, None, "2. " + "B" * 80),       # without the series, rather than cut
    ("C" * 120, None, "Legal  ·  2"),         # no short title: series and number alone
])
def test_running_heads_are_never_cut_off(title, short, expected):
    series = "Manifestations" if title == "Sexting" else "Legal"
    number = "3" if title == "Sexting" else "2"
    assert running_head(series, number, title, short) == expected


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_running_head_is_one_line_within_the_text_column(built_all, code):
    """Measured in the booklet: the lines above the text area (25 mm) of each page of
    the factsheets."""
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    width = text_width(theme_defaults(), code)
    side = (210 - width) / 2 * 72 / 25.4
    pages = head_lines(booklet)
    heads = 0
    for start, count in factsheet_spans(booklet).items():
        for page in pages[start - 1:start - 1 + count]:
            assert len(page) <= 1, page
            for left, right, text in page:
                heads += 1
                assert side - 1 <= left and right <= 595.3 - side + 1, (text, left, right)
    assert heads > 5


def head_lines(path) -> list[list[tuple[float, float, str]]]:
    """Each page's lines of text above its text area, with where they start and end."""
    pages = []
    for page in word_boxes(path).iterfind(".//x:page", BOXES):
        lines = [line for line in page.iterfind(".//x:line", BOXES)
                 if float(line.get("yMax")) < 25 * 72 / 25.4]
        pages.append([(float(line.get("xMin")), float(line.get("xMax")),
                       " ".join(w.text or "" for w in line.iterfind("x:word", BOXES)))
                      for line in lines])
    return pages


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_running_head_ends_in_an_ellipsis(built_all, code):
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    cut = [line for text in page_texts(booklet) for line in text.splitlines()
           if "·" in line and line.rstrip().endswith("…")]
    assert not cut, cut


# Breaks -----------------------------------------------------------------------

def _breaks_of(css: str) -> set[str]:
    """What the break finder reports in small pages of a heading between paragraphs,
    laid out by WeasyPrint at every length of the first paragraph that matters."""
    from weasyprint import HTML

    found = set()
    for words in range(30, 60):
        html = (f"<style>@page {{ size: A6 }} body {{ font-size: 10pt }} {css}</style>"
                f"<p>{'lorem ipsum ' * words}</p><h2>Heading</h2><p>{'dolor sit ' * 60}</p>")
        pages = HTML(string=html).render().pages
        found |= {message.split(": ")[1] for message in bad_breaks(pages)}
    return found


def test_widows_orphans_and_headings_at_the_foot_are_found():
    assert _breaks_of("p { orphans: 1; widows: 1 } h2 { break-after: auto }") == {
        "a single line left at the foot of the page",
        "a single line carried over to the page",
        "heading at the foot of the page"}
    assert _breaks_of("p { orphans: 2; widows: 2 }") == set()


@pytest.mark.parametrize(("text", "found"), [
    ("ကလေး ၏ အခွင့်အရေး ကလေး ၍ ပြော", True),   # particles set apart, so a line can start with one
    ("ကလေး၏ အခွင့်အရေး ကလေး၍ ပြော", False),
    ("តើ អ្វី ។ ទៅ", True),
])
def test_a_line_starting_with_a_sign_of_the_word_before_is_found(text, found):
    from weasyprint import HTML

    html = (f'<p lang="my" style="width: 1em; font-family: Noto Sans Myanmar, Noto Sans Khmer">'
            f"{text}</p>")
    messages = bad_breaks(HTML(string=html).render().pages)
    assert any("a line starts with a sign" in m for m in messages) == found, messages


def test_no_widow_orphan_or_heading_at_the_foot_in_any_output(built_all):
    report = json.loads((built_all / "build/report.json").read_text("utf-8"))
    found = [(o["path"], w) for o in report["outputs"] for w in o["warnings"]
             if w.startswith("bad break:")]
    assert not found, found


def _lead_ins(data):
    """Each paragraph that leads into a list (of items or of terms), with the list's
    first words: what blocks.html.j2 keeps together."""
    if isinstance(data, dict):
        for value in data.values():
            yield from _lead_ins(value)
    elif isinstance(data, list):
        for block, following in zip(data, data[1:], strict=False):
            if isinstance(block, dict) and "paragraph" in block and isinstance(following, dict):
                first = following.get("list", following.get("descriptions"))
                if first:
                    item = first[0]
                    yield block["paragraph"], item["term"] if isinstance(item, dict) else item
        for value in data:
            yield from _lead_ins(value)


@pytest.mark.parametrize("code", ["en", "fr", "my"])
def test_a_sentence_that_leads_into_a_list_is_on_the_page_of_its_start(built_all, code):
    texts = [squash(text) for text in page_texts(built_all / f"build/screen/{code}/booklet.pdf")]
    checked = 0
    for path in sorted((ROOT / "content" / code).glob("*/*.yaml")):
        for lead_in, first in _lead_ins(yaml.safe_load(path.read_text("utf-8"))):
            end, start = squash(lead_in)[-24:], squash(first)[:40]
            pages = [i for i, text in enumerate(texts) if end in text]
            if len(pages) != 1:  # a sentence written twice, or set apart by the text layer
                continue
            assert start in texts[pages[0]], f"{path.name}: {lead_in[:40]}… page {pages[0] + 1}"
            checked += 1
    assert checked


def test_a_word_before_an_inline_element_keeps_its_line(built_all):
    """WeasyPrint 70 left "Tiến" alone on a line, before "hành … của CSAM/CSEM" (an
    acronym is an inline element): the space before it now goes inside it."""
    pdf = built_all / "build" / "screen" / "vi" / "booklet.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Tiến hành nghiên cứu" in text
    assert not any(line.split() in (["▸", "Tiến"], ["Tiến"]) for line in text.splitlines())


def test_the_space_before_an_inline_element_goes_inside_it_but_not_into_a_link():
    from booklet.render import fragments
    from booklet.render.spacing import spaces_inside

    holder = fragments.read('của <span class="nh">CSAM</span>; <a href="#x">x</a> y <br> z')
    spaces_inside(holder)
    assert str(fragments.write(holder)) \
        == 'của<span class="nh"> CSAM</span>;<span> </span><a href="#x">x</a> y <br> z'


def test_a_no_break_space_before_an_element_goes_inside_it_even_alone_in_its_text():
    from booklet.render import fragments
    from booklet.render.spacing import has_space_before_element, spaces_inside

    text = 'núm.\u00a0<span class="nh">190)</span>'
    assert has_space_before_element(text)  # the renderer's reason to read the text
    holder = fragments.read(text)
    spaces_inside(holder)
    assert str(fragments.write(holder)) == 'núm.<span class="nh">\u00a0190)</span>'


def test_no_word_is_left_alone_on_a_line_before_a_link(built_all):
    """WeasyPrint 70 left "sexuelle" alone on a line of the French foreword, the text
    before a link (www.ECPAT.org) breaking short: the space before a link is now an
    element of its own."""
    pdf = built_all / "build" / "screen" / "fr" / "booklet.pdf"
    text = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert not any(line.split() == ["sexuelle"] for line in text.splitlines())
    assert "www.ECPAT.org" in text


# Boxes that go on over a page ------------------------------------------------

def test_boxes_split_only_where_moving_one_whole_leaves_a_quarter_of_a_page_empty():
    from booklet.build.choose import split_boxes

    laid_out = []

    def split():
        laid_out.append(True)
        return Measure(2, 0.7, 0, 0.04)

    assert split_boxes(Measure(2, 0.8, 0, 0.2), split, 2) == (False, Measure(2, 0.8, 0, 0.2), 0)
    assert split_boxes(Measure(2, 0.8, 0, 0.3), split, 2) == (True, Measure(2, 0.7, 0, 0.04), 1)
    # Not when splitting runs over the budget, or pushes a note away.
    assert not split_boxes(Measure(2, 0.8, 0, 0.3), lambda: Measure(3, 0.1, 0), 2)[0]
    assert not split_boxes(Measure(2, 0.8, 0, 0.3), lambda: Measure(2, 0.7, 1), 2)[0]
    assert laid_out == [True]


def _long_box_factsheet(tmp_path, split: bool):
    """The English sexting factsheet with a long definitions box low on its first page,
    laid out with its boxes allowed to split or not; its PDF's words, by page."""
    from booklet.build.plan import renderer_for
    from booklet.render import palette
    from booklet.render.pdf import PdfRenderer

    project = ProjectPaths(ROOT)
    content = load(project, Problems(), ["en"])
    colours = palette.load(project, "screen")
    renderer = renderer_for(project, content, "en", colours)
    blocks = content.languages["en"].factsheets["sexting"].data["blocks"]
    # "What can you do?" (a box kept whole unless the factsheet lets boxes split),
    # three times as long, after the first list: too tall for what is left of the page.
    box = next(block for block in blocks if "actions" in block)
    blocks.remove(box)
    box["actions"] = box["actions"] * 3
    blocks.insert(3, box)
    renderer.split_boxes = frozenset({"sexting"} if split else ())
    spec = next(s for s in content.publication.factsheets() if s.id == "sexting")
    rendered = PdfRenderer(project, "screen", colours).render(renderer.factsheet(spec), "long")
    path = tmp_path / f"split-{split}.pdf"
    rendered.document.write_pdf(path)
    pages = word_boxes(path).findall(".//x:page", BOXES)
    return [[(float(word.get("xMin")), float(word.get("yMax")), word.text)
             for word in page.iterfind(".//x:word", BOXES)] for page in pages], pages


def test_a_box_that_goes_on_over_a_page_says_so_at_its_foot(tmp_path):
    """Allowed to split, the long box starts on the first page and goes on to the next;
    an arrow in the outer margin, at the foot of the first page, says so, and none
    stands where the box ends."""
    whole, _ = _long_box_factsheet(tmp_path, split=False)
    split, pages = _long_box_factsheet(tmp_path, split=True)
    first = [page for page, words in enumerate(split)
             if any(w[2] == "Educate" for w in words)]  # the box's first item, each time
    assert len(set(first)) >= 2  # on both pages
    width = float(pages[0].get("width"))
    height = float(pages[0].get("height"))
    arrows = [[w for w in words if w[2] == "\u2192"] for words in split]
    assert arrows[0] and all(x > width * 0.85 and y > height * 0.75 for x, y, _ in arrows[0])
    last_box_page = max(first)
    assert not arrows[last_box_page] and not any(arrows[last_box_page:])
    # Kept whole, the same box goes to the next page: nothing on the first says so.
    assert not any(w[2] == "\u2192" for words in whole for w in words)
