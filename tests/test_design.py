"""The designed pages read well: every line of text on the covers and dividers
stands out from what it is printed on (WCAG 2.2 contrast of at least 4.5:1)."""

from __future__ import annotations

from collections import Counter

import pypdfium2
import pytest
from pdftext import page_texts
from test_typesetting import LANGUAGES, outline_pages

#: WCAG 2.2 (1.4.3) for text of any size.
MINIMUM_CONTRAST = 4.5


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG 2.2)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def line_contrasts(pdf, index: int, scale: int = 3) -> list[tuple[float, str]]:
    """Each line of text on a page, with the contrast of its ink against what is
    behind it, as drawn: the commonest colour in the line's box is the background,
    the colour furthest from it the ink."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[index]
        height = page.get_height()
        textpage = page.get_textpage()
        lines: dict[int, list] = {}
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char.isspace():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            box = lines.setdefault(round(bottom), [left, bottom, right, top, ""])
            box[:4] = min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)
            box[4] += char
        image = page.render(scale=scale).to_pil().convert("RGB")
        found = []
        for left, bottom, right, top, text in lines.values():
            if sum(char.isalpha() for char in text) < 3:  # a stray mark or rule
                continue
            region = image.crop((int(left * scale), int((height - top) * scale),
                                 int(right * scale) + 1, int((height - bottom) * scale) + 1))
            colours = Counter(region.get_flattened_data())
            background = colours.most_common(1)[0][0]
            ink = max(colours, key=lambda colour: contrast(colour, background))
            found.append((contrast(ink, background), text))
        return found
    finally:
        document.close()


def test_the_contrast_measure_tells_weak_from_strong():
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21)
    # Orange on teal, as the cover's subtitle once was: too weak.
    assert contrast((242, 138, 39), (12, 94, 109)) < MINIMUM_CONTRAST


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_line_on_the_covers_and_dividers_is_legible(built_all, code):
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    series, _ = outline_pages(booklet)
    pages = [1, *series, len(page_texts(booklet))]
    weak = [(page, round(ratio, 2), text[:40]) for page in pages
            for ratio, text in line_contrasts(booklet, page - 1) if ratio < MINIMUM_CONTRAST]
    assert not weak, weak



@pytest.mark.parametrize("code", LANGUAGES)
def test_every_line_on_a_series_first_factsheet_page_is_legible(built_all, code):
    """The series line above the title, headings, box titles and labels in the series
    colour (its ink: the orange is darker for text than for rules), on white and on
    the series' pale boxes."""
    booklet = built_all / "build" / "screen" / code / "booklet.pdf"
    series, factsheets = outline_pages(booklet)
    pages = [min(page for page in factsheets if page > divider) for divider in series]
    weak = [(page, round(ratio, 2), text[:40]) for page in pages
            for ratio, text in line_contrasts(booklet, page - 1) if ratio < MINIMUM_CONTRAST]
    assert not weak, weak
