"""The example publication (examples/leaflet): built from a copy, checked on its PDFs.

A second, small publication with its own title, series and colours, in English,
Hindi (Devanagari) and Japanese (CJK), the two new scripts set through
configuration alone: each script's fonts, its line breaking and the text its
PDFs give back are measured as for the repository's eleven languages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata

import pikepdf
import pypdfium2
import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT
from extraction import EXTRACTORS, documents, missing, segments, share
from pdftext import BOTTOM_MARGIN, MM, TOP_MARGIN, page_texts, squash

from booklet.cli import main
from booklet.content import inline

EXAMPLE = ROOT / "examples" / "leaflet"
PUBLICATION = yaml.safe_load((EXAMPLE / "content/publication.yaml").read_text("utf-8"))
LANGUAGES = PUBLICATION["languages"]
EDITIONS = ("print", "screen")
FACTSHEETS = [(series, number, sheet) for series in PUBLICATION["series"]
              for number, sheet in enumerate(series["factsheets"], 1)]
#: What every output must give back, with each extractor (as tests/test_text_layer.py).
FLOOR = 0.995
#: The booklet's parts: cover, inside cover, contents, a divider per series, the
#: factsheets, the back cover; a divider opens on a right-hand page (one blank before).
BOOKLET_PAGES = 3 + len(PUBLICATION["series"]) + len(FACTSHEETS) + 1 + 1
#: The screen edition's sRGB of the series colours (navy 1 0.7 0 0.3, moss 0.5 0 1 0.35)
#: through the FOGRA39 profile, and of the theme's own, which the example does not use.
OWN_COLOURS = {"navy": (15, 69, 128), "moss": (111, 145, 40)}
THEME_COLOURS = {"teal": (12, 94, 109), "plum": (107, 45, 92), "orange": (183, 87, 30)}
#: The text column of an A4 page with 20 mm margins ends 190 mm from the left edge.
COLUMN_RIGHT_MM = 190
A4_HEIGHT = 297 * MM
#: Japanese punctuation that closes: a line never starts with it (kinsoku shori).
CLOSING = set("、。，．」』）］｝】〕〉》？！")
#: The font each new script must be set in (its embedded name, without the subset tag).
SCRIPT_FONTS = {"hi": ("DEVANAGARI", "Noto-Sans-Devanagari"),
                "ja": (("CJK", "HIRAGANA", "KATAKANA"), "Noto-Sans-CJK-JP")}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example, copied without any build of it, checked strictly and built whole."""
    root = tmp_path_factory.mktemp("example") / "leaflet"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    assert main(["check", "--project", str(root), "--strict", "--quiet"]) == 0
    assert main(["build", "--project", str(root), "--quiet"]) == 0
    return root


@pytest.fixture(scope="module")
def report(example):
    return json.loads((example / "build/report.json").read_text("utf-8"))


def factsheet_file(series: dict, number: int, sheet: dict) -> str:
    return f"{series['id']}-{number}-{sheet['slug']}.pdf"


def test_every_output_is_built_within_its_budget_and_passes_preflight(example, report):
    outputs = {entry["path"]: entry for entry in report["outputs"]}
    assert not report["warnings"]
    for edition in EDITIONS:
        for code in LANGUAGES:
            folder = f"build/{edition}/{code}"
            booklet = outputs[f"{folder}/booklet.pdf"]
            assert booklet["pages"] <= BOOKLET_PAGES
            for series, number, sheet in FACTSHEETS:
                entry = outputs[f"{folder}/factsheets/{factsheet_file(series, number, sheet)}"]
                assert entry["pages"] <= series["pages"], entry["path"]
            for entry in [e for path, e in outputs.items() if path.startswith(folder + "/")]:
                assert (example / entry["path"]).is_file()
                assert entry["preflight"]["ok"], entry["preflight"]
                glyphs = next(c for c in entry["preflight"]["checks"] if c["check"] == "glyphs")
                assert glyphs["ok"], glyphs  # no .notdef drawn
    assert len(outputs) == len(EDITIONS) * len(LANGUAGES) * (1 + len(FACTSHEETS))


@pytest.mark.parametrize("code", ["hi", "ja"])
def test_the_interface_catalogues_are_valid_and_translated(code):
    path = EXAMPLE / f"locales/{code}/LC_MESSAGES/messages.po"
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    messages = [message for message in catalogue if message.id]
    assert messages and all(message.string and all(
        message.string if isinstance(message.string, tuple) else (message.string,))
        for message in messages)


def characters(path):
    """Each character PDFium reads from a PDF, with its font, its box (pt) and its page."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    found = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for number, page in enumerate(document):
            textpage = page.get_textpage()
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            for index in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, flags)
                font = buffer.value.decode("latin-1").split("+")[-1]
                found.append((char, font, textpage.get_charbox(index), number))
    finally:
        document.close()
    return found


@pytest.mark.parametrize("code", sorted(SCRIPT_FONTS))
def test_each_new_script_is_set_in_its_configured_font(example, code):
    script, family = SCRIPT_FONTS[code]
    names = (script,) if isinstance(script, str) else script
    for edition in EDITIONS:
        found = [(char, font) for char, font, _, _ in
                 characters(example / f"build/{edition}/{code}/booklet.pdf")
                 if any(name in unicodedata.name(char, "") for name in names)]
        assert len(found) > 500, f"{edition} {code}: the booklet is set in its script"
        wrong = {(char, font) for char, font in found if not font.startswith(family)}
        assert not wrong, sorted(wrong)[:5]


@pytest.fixture(scope="module")
def measured(example):
    """Each output's share of the content's text, by extractor."""
    results = {}
    for edition, code, _kind, path, html in documents(example, LANGUAGES):
        content = segments(html)
        for name, extract in EXTRACTORS.items():
            text = extract(example / "build" / path)
            results[(edition, code, path.name, name)] = (share(content, text, code),
                                                         missing(content, text, code)[:5])
    return results


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("code", LANGUAGES)
def test_the_text_layer_gives_the_content_back(code, edition, measured):
    found = {key: value for key, value in measured.items() if key[:2] == (edition, code)}
    assert {key[2] for key in found} >= {"booklet.pdf"} | {
        factsheet_file(*item) for item in FACTSHEETS}
    low = {f"{name} {pdf}: {value:.2%}, e.g. {lost}": value
           for (_, _, pdf, name), (value, lost) in found.items() if value < FLOOR}
    assert not low


def lines(path):
    """The lines of each page as PDFium reads them (it ends each laid-out line)."""
    return [line for text in page_texts(path) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("code", ["hi", "ja"])
def test_no_line_runs_out_of_the_text_column(example, code):
    path = example / f"build/screen/{code}/booklet.pdf"
    # The body of each page between the covers (page numbers stand in the margins).
    rights = [right / MM for char, _, (_, bottom, right, top), page in characters(path)
              if not char.isspace() and 0 < page < len(page_texts(path)) - 1
              and bottom > BOTTOM_MARGIN and top < A4_HEIGHT - TOP_MARGIN]
    assert rights and max(rights) <= COLUMN_RIGHT_MM + 0.5, max(rights)


def test_no_japanese_line_starts_with_closing_punctuation(example):
    starts = [line.lstrip()[0] for edition in EDITIONS
              for line in lines(example / f"build/{edition}/ja/booklet.pdf")]
    assert len(starts) > 100
    # The test means something: the text is full of these marks.
    text = "".join(page_texts(example / "build/screen/ja/booklet.pdf"))
    assert sum(text.count(mark) for mark in CLOSING) > 50
    assert not [mark for mark in starts if mark in CLOSING]


def test_no_hindi_line_breaks_inside_a_letter_cluster(example):
    """A line never starts with a vowel sign, a virama or another combining mark."""
    for edition in EDITIONS:
        found = lines(example / f"build/{edition}/hi/booklet.pdf")
        assert len(found) > 100
        broken = [line for line in found
                  if unicodedata.category(line.lstrip()[0]) in ("Mn", "Mc")]
        assert not broken, broken[:3]


def pixels(path, index):
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[index].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    return image.getcolors(image.width * image.height)


def near(colour, expected, tolerance=2):
    return max(abs(a - b) for a, b in zip(colour, expected, strict=True)) <= tolerance


@pytest.mark.parametrize("series", PUBLICATION["series"], ids=lambda s: s["id"])
def test_each_series_divider_is_in_the_series_own_colour(example, series):
    path = example / "build/screen/en/booklet.pdf"
    divider_file = yaml.safe_load((EXAMPLE / f"content/en/{series['id']}/_series.yaml")
                                  .read_text("utf-8"))
    title, introduction = divider_file["title"], divider_file["blocks"][0]["paragraph"]
    divider = next(index for index, text in enumerate(page_texts(path))
                   if squash(title) in squash(text) and squash(introduction[:40]) in squash(text))
    commonest = [colour for _, colour in sorted(pixels(path, divider), reverse=True)[:3]]
    assert any(near(colour, OWN_COLOURS[series["colour"]]) for colour in commonest), commonest
    for theme in THEME_COLOURS.values():
        assert not any(near(colour, theme, 12) for colour in commonest)


def footnotes():
    """(language, the text before each footnote call, the footnote's text), from the content."""
    for code in LANGUAGES:
        for series, _, sheet in FACTSHEETS:
            data = yaml.safe_load((EXAMPLE / f"content/{code}/{series['id']}/{sheet['id']}.yaml")
                                  .read_text("utf-8"))
            for name, note in (data.get("footnotes") or {}).items():
                call = f"[^{name}]"
                calling = next(text for text in texts_of(data["blocks"]) if call in text)
                before = inline.plain(calling.split(call)[0])
                yield code, before[-12:], inline.plain(note)[:12]


def texts_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_footnote_is_printed_on_the_page_of_its_call(example, edition):
    notes = list(footnotes())
    assert len(notes) == 3 * len(LANGUAGES)
    for code, before, note in notes:
        pages = [squash(text) for text in
                 page_texts(example / f"build/{edition}/{code}/booklet.pdf", body_only=True)]
        calls = [index for index, text in enumerate(pages) if squash(before) in text]
        printed = [index for index, text in enumerate(pages)
                   if squash(note) in text and index in calls]
        assert calls and printed, (code, before, note)


@pytest.mark.parametrize("code", LANGUAGES)
def test_cross_references_are_links_to_their_factsheet(example, code):
    """In the screen booklet, to the page of the factsheet; in a factsheet, to its PDF."""
    path = example / f"build/screen/{code}/booklet.pdf"
    titles = {sheet["id"]: yaml.safe_load(
        (EXAMPLE / f"content/{code}/{series['id']}/{sheet['id']}.yaml").read_text("utf-8"))
        ["title"] for series, _, sheet in FACTSHEETS}
    texts = [squash(text) for text in page_texts(path, body_only=True)]
    with pikepdf.open(path) as pdf:
        named = {str(name): destination for name, destination in _named(pdf)}
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        targets = []
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                destination = annotation.get("/Dest")
                if destination is None:
                    continue
                if not isinstance(destination, pikepdf.Array):
                    destination = named[str(destination)]
                    if isinstance(destination, pikepdf.Dictionary):
                        destination = destination["/D"]
                targets.append(pages[destination[0].objgen])
    for sheet in ("sextortion", "sexting"):  # the factsheets the footnotes refer to
        page = next(index for index, text in enumerate(texts)
                    if text.startswith(squash(titles[sheet])[:10]) or
                    squash(titles[sheet]) in text[:80])
        assert page in targets, (sheet, page, targets)
    factsheet = example / f"build/screen/{code}/factsheets/risks-2-sexting.pdf"
    with pikepdf.open(factsheet) as pdf:
        uris = [str(annotation["/A"]["/URI"]) for page in pdf.pages
                for annotation in page.obj.get("/Annots", []) if "/A" in annotation]
    assert "risks-3-sexual-extortion.pdf" in uris


def _named(pdf):
    """The document's named destinations, from its /Dests dictionary or /Names tree."""
    root = pdf.Root
    if "/Dests" in root:
        yield from root.Dests.items()
    if "/Names" in root and "/Dests" in root.Names:
        yield from pikepdf.NameTree(root.Names.Dests).items()
