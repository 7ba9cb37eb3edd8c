"""Right-to-left editions, measured on the PDFs of the sample publication.

examples/rtl-sample (sample Arabic, Hebrew and Persian translations of a few
of the publication's parts) is built once, in a copy, in both editions; every
assertion reads the PDFs: glyph positions from PDFium's character boxes, the
text from pdftotext and PDFium, the PDF's own dictionaries with pikepdf.
"""

from __future__ import annotations

import re
import shutil
import unicodedata

import lxml.html
import pikepdf
import pypdfium2
import pytest
from conftest import ROOT
from extraction import EXTRACTORS, WORD, documents, missing, normalised, segments, share
from glyphs import is_right_to_left, letters, lines, pages, without_actual_text, words
from pdftext import squash

from booklet.cli import main
from booklet.render.impose import saddle_stitch_order

SAMPLE = ROOT / "examples" / "rtl-sample"
LANGUAGES = ("ar", "he", "fa")
MM = 72 / 25.4
#: A gap wider than this between two words of a line parts two texts set side by
#: side (table cells, the footer's two ends), which are not read across.
COLUMN_GAP = 12.0
#: Bidi controls pdftotext writes around runs of the other direction.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MIRRORED = str.maketrans(")]»›>", "([«‹<")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample built once: the right-to-left languages in both editions (imposed),
    English on screen."""
    root = tmp_path_factory.mktemp("rtl") / "rtl-sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("build"))
    languages = [option for code in LANGUAGES for option in ("--lang", code)]
    assert main(["build", "--project", str(root), *languages, "--impose", "--quiet"]) == 0
    assert main(["build", "--project", str(root), "--lang", "en", "--edition", "screen",
                 "--quiet"]) == 0
    return root


@pytest.fixture(scope="module")
def outputs(sample):
    """(edition, language, PDF path, HTML it was made from) of every right-to-left output."""
    return [(edition, code, sample / "build" / path, html)
            for edition, code, _, path, html in documents(sample, list(LANGUAGES))]


def _content_letters(html: str) -> list[str]:
    """The right-to-left letters of each piece of text printed in one go. Footnotes
    are pieces of their own, and the text around a footnote's call one piece."""
    root = lxml.html.fromstring(html)
    notes = [note.text_content() for note in root.find_class("footnote")]
    for note in root.find_class("footnote"):
        note.drop_tree()
    return [letters(text) for text in segments(lxml.html.tostring(root, encoding="unicode"))
            + notes]


def right_to_left_lines(pdf, html) -> tuple[int, list[str]]:
    """How many lines of right-to-left words the page bodies have, and those that do
    not read right to left.

    A line reads right to left when each of its words runs right to left (its
    first letter right of its last) and its words, taken from right to left,
    give the content's text in order. Lines of one word, running heads and page
    footers (set from strings, not from the content) are not counted.
    """
    content = _content_letters(html)
    counted, wrong = 0, []
    for page in pages(pdf):
        left, bottom, right, top = page.trim
        for line in lines(page.glyphs):
            inside = [w for w in words(line) if bottom + 24 * MM < w[0].bottom < top - 25 * MM]
            inside.sort(key=lambda w: -w[0].x)
            pieces: list[list] = [[]]
            for word in inside:
                if pieces[-1] and pieces[-1][-1][-1].left - word[0].right > COLUMN_GAP:
                    pieces.append([])
                pieces[-1].append(word)
            for piece in (p for p in pieces if len(p) > 1):
                counted += 1
                runs_left = all(w[0].x > w[-1].x for w in piece if len(w) > 1)
                read = "".join(letters("".join(g.text for g in w)) for w in piece)
                if not (runs_left and any(read in text for text in content)):
                    wrong.append(" ".join("".join(g.text for g in w) for w in piece))
    return counted, wrong


def test_both_editions_build(sample):
    for code in LANGUAGES:
        for edition in ("print", "screen"):
            folder = sample / "build" / edition / code
            assert (folder / "booklet.pdf").is_file()
            assert sorted(p.name for p in (folder / "factsheets").iterdir()) == [
                "internet-1-ip-address.pdf", "manifestations-1-sexting.pdf"]
        with pikepdf.open(sample / "build/print" / code / "booklet.pdf") as booklet:
            assert len(booklet.pages) % 4 == 0


@pytest.mark.parametrize("code", LANGUAGES)
def test_lines_run_right_to_left(outputs, code):
    for edition, language, pdf, html in outputs:
        if language != code:
            continue
        counted, wrong = right_to_left_lines(pdf, html)
        assert counted >= 25, f"{pdf.name}: only {counted} lines measured"
        assert 1 - len(wrong) / counted >= 0.99, \
            f"{edition} {pdf.name}: {len(wrong)} of {counted} lines do not: {wrong[:3]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_list_marks_hang_right_of_their_items(sample, code):
    pdf = sample / "build/screen" / code / "factsheets/manifestations-1-sexting.pdf"
    marks = 0
    for page in pages(pdf):
        for line in lines(page.glyphs):
            for glyph in (g for g in line if g.text in "•◂■"):
                text = [g for g in line if g is not glyph and g.text.strip()]
                reach = max(g.right for g in text)
                assert glyph.left > reach, f"{glyph.text} at {glyph.left:.0f}, text to {reach:.0f}"
                marks += 1
    assert marks >= 9  # seven bullets and the two arrows of "What can you do?"


def outer_corners(pdf, digits: str = "0123456789") -> int:
    """Check that each numbered page has its number in its outer corner; return how
    many are numbered. The first page is a left-hand page in a book bound on the
    right: odd pages are numbered at their left corner, even pages at their right."""
    numbered = 0
    written = str.maketrans("0123456789", digits)
    for number, page in enumerate(pages(pdf), 1):
        foot = [g for g in page.glyphs if g.text.isdigit() and g.top < 24 * MM]
        if "".join(g.text for g in foot) != str(number).translate(written):
            continue  # covers, dividers and blank pages have none
        numbered += 1
        if number % 2:
            assert max(g.right for g in foot) < page.width / 8, f"page {number}"
        else:
            assert min(g.left for g in foot) > page.width * 7 / 8, f"page {number}"
    return numbered


@pytest.mark.parametrize(("code", "digits"), [("ar", "0123456789"), ("he", "0123456789"),
                                              ("fa", "۰۱۲۳۴۵۶۷۸۹")])
def test_page_numbers_are_in_the_outer_corner(sample, code, digits):
    """In the language's digits (CLDR's: Persian has its own), in the outer corner."""
    assert outer_corners(sample / "build/screen" / code / "booklet.pdf", digits) >= 6


@pytest.mark.parametrize("code", LANGUAGES)
def test_latin_runs_come_back_in_one_piece(sample, code):
    """An address, a telephone number and an ISBN inside right-to-left text keep
    their order in pdftotext's text. (PDFium reverses the words of any
    left-to-right run in a right-to-left line, "org.ecpat.www" for
    www.ecpat.org, however it is drawn: see the test below.)"""
    text = BIDI_CONTROLS.sub("", EXTRACTORS["pdftotext"](
        sample / "build/screen" / code / "booklet.pdf"))
    for run in ("info@ecpat.org", "www.ecpat.org", "+662 215 3388", "BN-60-146267",
                "328/1 Phaya Thai Road, Ratchathewi, Bangkok 10400"):
        assert run in text


def _drawn(page, run: str, key: str) -> str:
    """The characters of ``run`` on the line of ``page`` that has ``key``, left to right."""
    line = next(line for line in lines(page.glyphs)
                if key in "".join(g.text for g in line) or key[::-1] in
                "".join(g.text for g in line))
    return "".join(g.text for g in sorted((g for g in line if g.text in run and g.text != " "),
                                          key=lambda g: g.x))


@pytest.mark.parametrize("code", LANGUAGES)
def test_latin_runs_are_drawn_left_to_right(sample, code):
    """On the inside cover, the telephone number and the web address read left to
    right, by the positions of their characters."""
    inside_cover = pages(sample / "build/screen" / code / "booklet.pdf")[1]
    for run, key in (("+662 215 3388", "3388"), ("www.ecpat.org", "www")):
        assert _drawn(inside_cover, run, key) == run.replace(" ", "")


def test_without_isolation_a_telephone_number_is_reversed(sample, outputs, tmp_path):
    """What the left-to-right spans are for: without them, the bidi algorithm sets
    the groups of "+662 215 3388" right to left."""
    from booklet.paths import ProjectPaths
    from booklet.render.pdf import PdfRenderer

    _, _, _, html = next(o for o in outputs if o[:2] == ("screen", "he")
                         and o[2].name == "booklet.pdf")
    root = lxml.html.fromstring(html)
    for span in root.xpath('//span[@dir="ltr"]'):
        span.drop_tag()
    rendered = PdfRenderer(ProjectPaths(sample), "screen").render(
        lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), "unisolated")
    rendered.document.write_pdf(tmp_path / "unisolated.pdf")
    inside_cover = pages(tmp_path / "unisolated.pdf")[1]
    assert _drawn(inside_cover, "+662 215 3388", "3388") != "+6622153388"


@pytest.mark.parametrize("code", LANGUAGES)
def test_pdfs_read_right_to_left(sample, code):
    """Viewers show spreads right to left; left-to-right PDFs say nothing."""
    for path in sorted((sample / "build").glob(f"*/{code}/**/*.pdf")):
        if path.name == "booklet-imposed.pdf":
            continue
        with pikepdf.open(path) as pdf:
            assert pdf.Root.ViewerPreferences.Direction == "/R2L", path
    with pikepdf.open(sample / "build/screen/en/booklet.pdf") as pdf:
        assert "/Direction" not in pdf.Root.get("/ViewerPreferences", {})


def test_saddle_stitch_order_bound_on_the_right():
    assert saddle_stitch_order(8, right_to_left=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_imposed_booklet_is_bound_on_the_right(sample, code):
    booklet = sample / "build/print" / code / "booklet.pdf"
    imposed = sample / "build/print" / code / "booklet-imposed.pdf"
    # The glyphs as drawn: PDFium places a span's /ActualText without the matrix of the
    # form an imposed page is drawn through.
    source = pypdfium2.PdfDocument(without_actual_text(booklet))
    sheets = pypdfium2.PdfDocument(without_actual_text(imposed))
    try:
        texts = []
        for page in source:
            left, bottom, right, top = page.get_trimbox()
            texts.append(squash(page.get_textpage().get_text_bounded(left, bottom, right, top)))
        order = saddle_stitch_order(len(source), right_to_left=True)
        assert len(sheets) == len(order)
        for side, numbers in zip(sheets, order, strict=True):
            width, height = side.get_size()
            textpage = side.get_textpage()
            halves = (squash(textpage.get_text_bounded(0, 0, width / 2, height)),
                      squash(textpage.get_text_bounded(width / 2, 0, width, height)))
            for half, number in zip(halves, numbers, strict=True):
                # The same characters: PDFium may read a half in another order, and
                # mirror brackets the other way.
                assert sorted(half.translate(MIRRORED)) == \
                    sorted(texts[number - 1].translate(MIRRORED)), f"page {number}"
    finally:
        sheets.close()
        source.close()


def _structure_letters(path) -> str:
    """The right-to-left letters of a tagged PDF, structure element after element.

    Each marked-content run is read as drawn, left to right (outloud's reading):
    one run holds one line's part of one element, so reversed, its letters are
    in logical order.
    """
    import warnings

    from outloud.model import Document

    from booklet.render.tags import kids_of

    warnings.simplefilter("ignore")  # outloud's libraries warn on import
    document = Document(str(path))
    pages_by_object = {page.objgen: page.index for page in document.pages}
    runs: list[str] = []

    def walk(node, page):
        if "/Pg" in node:
            page = pages_by_object.get(node.Pg.objgen, page)
        for kid in kids_of(node):
            if isinstance(kid, int):
                runs.append(letters(document.content(page).mcid_text.get((None, kid)) or "")
                            [::-1])
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.S != "/Figure":
                walk(kid, page)

    try:
        walk(kids_of(document.pdf.Root.StructTreeRoot)[0], None)
    finally:
        document.close()
    return "".join(runs)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_structure_tree_reads_in_logical_order(outputs, code):
    """Every block of the booklet's HTML is read from the structure tree, in order."""
    pdf, html = next((pdf, html) for edition, language, pdf, html in outputs
                     if (edition, language, pdf.name) == ("screen", code, "booklet.pdf"))
    read = _structure_letters(pdf)
    position, probes, missing = 0, 0, []
    blocks = "//p | //h1 | //h2 | //h3 | //h4 | //li[not(.//li)] | //td | //th | //dt"
    for block in lxml.html.fromstring(html).xpath(blocks):
        probe = letters(block.text_content())[:10]
        if len(probe) < 6:
            continue
        probes += 1
        found = read.find(probe, position)
        if found < 0:
            missing.append(probe)
        else:
            position = found + len(probe)
    assert probes >= 80
    assert missing == []


#: What the text layer gives back (tests/extraction.py), as for the other languages.
FLOOR = 0.995


def _shares(outputs, code, extractor):
    return {f"{edition} {pdf.name}": share(segments(html), EXTRACTORS[extractor](pdf), code)
            for edition, language, pdf, html in outputs if language == code}


def test_hebrew_factsheets_come_back_in_logical_order(outputs):
    shares = {name: value for name, value in _shares(outputs, "he", "pdftotext").items()
              if "booklet" not in name}
    assert len(shares) == 4
    assert not {name: f"{value:.2%}" for name, value in shares.items() if value < FLOOR}


def test_hebrew_booklet_comes_back_in_logical_order(outputs):
    # In both editions: the print slug's Latin job line is not the page's text, so it
    # does not turn the Hebrew back cover round.
    shares = {name: value for name, value in _shares(outputs, "he", "pdftotext").items()
              if "booklet" in name}
    assert len(shares) == 2
    assert not {name: f"{value:.2%}" for name, value in shares.items() if value < FLOOR}


@pytest.mark.xfail(strict=True, reason="PDFium reverses the words of a left-to-right run "
                   "inside a right-to-left line ('Protocol Internet', 'org.ecpat.www'), "
                   "though they are drawn in order: 93-99% of Hebrew text found")
def test_hebrew_text_comes_back_through_pdfium(outputs):
    shares = _shares(outputs, "he", "pdfium")
    assert min(shares.values()) >= FLOOR


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_arabic_marks_come_back_with_their_letters(outputs, code):
    """A word with a mark drawn over a letter (tanwin, shadda, damma, hamza above) reads
    whole through Poppler: its text is given with the word's glyphs (textlayer.py)."""
    for edition, language, pdf, html in outputs:
        if language != code:
            continue
        marked = {word for segment in segments(html) for word in WORD.findall(normalised(segment))
                  if any(unicodedata.category(character) == "Mn" for character in word)}
        assert len(marked) >= 8
        read = set(WORD.findall(normalised(EXTRACTORS["pdftotext"](pdf))))
        assert sorted(marked - read) == [], f"{edition} {pdf.name}"


def test_arabic_text_comes_back_in_logical_order(outputs):
    shares = _shares(outputs, "ar", "pdftotext")
    assert not {name: f"{value:.2%}" for name, value in shares.items() if value < FLOOR}


@pytest.mark.xfail(strict=True, reason="Poppler reads Persian digits after a Latin name "
                   "('ECPAT International ۲۰۱۷') and list numbers between Latin words "
                   "('۴) TOR; ۵) PhotoDNA') in another order than they are drawn: 99.46% of "
                   "the Persian booklet found (100% of its factsheets); PDFium splits a "
                   "word's text at each mark and reads the pieces in the order drawn (Arabic "
                   "75-80%, Persian 86-94%), though every line reads right to left")
@pytest.mark.parametrize(("code", "extractor"), [("fa", "pdftotext"), ("ar", "pdfium"),
                                                 ("fa", "pdfium")])
def test_arabic_script_text_comes_back_in_logical_order(outputs, code, extractor):
    shares = _shares(outputs, code, extractor)
    assert min(shares.values()) >= FLOOR


def test_the_measures_fail_on_text_set_left_to_right(sample, outputs, tmp_path):
    """The measures see the difference: laid out without the right-to-left layout,
    the same Hebrew document fails them."""
    from booklet.paths import ProjectPaths
    from booklet.render.pdf import PdfRenderer

    edition, _, pdf, html = next(o for o in outputs if o[1] == "he" and o[0] == "screen"
                                 and o[2].name == "manifestations-1-sexting.pdf")
    renderer = PdfRenderer(ProjectPaths(sample), edition)
    rendered = renderer.render(html.replace(' dir="rtl"', ""), "left to right")
    rendered.document.write_pdf(tmp_path / "ltr.pdf")
    counted, wrong = right_to_left_lines(tmp_path / "ltr.pdf", html)
    assert len(wrong) / counted > 0.2
    assert missing(segments(html), EXTRACTORS["pdftotext"](tmp_path / "ltr.pdf"), "he")
    assert any(is_right_to_left(c) for c in html)


def test_digits_follow_cldr():
    """CLDR gives Arabic and Hebrew Western digits, Persian its own (extended
    Arabic-Indic), Egyptian Arabic the Arabic-Indic ones."""
    from babel import Locale

    from booklet.render.localization import numbering

    assert numbering(Locale.parse("ar")) == ("decimal", {})
    assert numbering(Locale.parse("he")) == ("decimal", {})
    style, digits = numbering(Locale.parse("fa"))
    assert style == "persian" and "2017".translate(digits) == "۲۰۱۷"
    style, digits = numbering(Locale.parse("ar_EG"))
    assert style == "arabic-indic" and "2017".translate(digits) == "٢٠١٧"


def test_page_numbers_in_the_locales_digits(sample, tmp_path):
    """Set in Egyptian Arabic (publication.yaml's locales), the page numbers, the
    contents and a factsheet's "Page 1 of 2" are in Arabic-Indic digits, and the
    numbers stay in their outer corners."""
    root = tmp_path / "egypt"
    shutil.copytree(sample, root, ignore=shutil.ignore_patterns("build"))
    publication = root / "content/publication.yaml"
    publication.write_text(publication.read_text().replace(
        "locales: {en: en_GB}", "locales: {en: en_GB, ar: ar_EG}"))
    assert main(["build", "--project", str(root), "--lang", "ar", "--edition", "screen",
                 "--quiet"]) == 0
    assert outer_corners(root / "build/screen/ar/booklet.pdf", "٠١٢٣٤٥٦٧٨٩") >= 6
    def contents(pdf):
        text = BIDI_CONTROLS.sub("", EXTRACTORS["pdftotext"](pdf))
        return re.findall(r"\d+", text.split("المحتويات")[1].split("\f")[0])

    found = contents(root / "build/screen/ar/booklet.pdf")
    # The pages of the contents' entries: those of the booklet set in Western digits.
    western = contents(sample / "build/screen/ar/booklet.pdf")
    pages = {number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
             for number in western if number not in ("1", "3")}
    assert len(pages) >= 6 and pages <= set(found)
    assert [n for n in found if n.isascii()] == ["1", "3"]  # "Section 1", as translated
    sheet = BIDI_CONTROLS.sub("", EXTRACTORS["pdftotext"](
        root / "build/screen/ar/factsheets/internet-1-ip-address.pdf"))
    assert "الصفحة١من٢" in sheet.replace(" ", "")  # pdftotext moves the spaces
