"""Reading the PDFs back: text per page, with helpers to compare text loosely."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pypdfium2

MM = 72 / 25.4
#: The body area of a page: inside the top and bottom margins (see styles/pages.css).
TOP_MARGIN, BOTTOM_MARGIN = 25 * MM, 24 * MM


@lru_cache(maxsize=64)
def page_texts(path: Path, body_only: bool = False) -> tuple[str, ...]:
    """The text of each page; with body_only, without running heads and page numbers."""
    document = pypdfium2.PdfDocument(str(path))
    texts = []
    try:
        for page in document:
            textpage = page.get_textpage()
            width, height = page.get_size()
            if body_only:
                text = textpage.get_text_bounded(0, BOTTOM_MARGIN, width, height - TOP_MARGIN)
            else:
                text = textpage.get_text_range()
            texts.append(text)
            textpage.close()
            page.close()
    finally:
        document.close()
    return tuple(texts)


def squash(text: str) -> str:
    """Text without whitespace, list marks, quotation marks or case.

    Robust to line breaks and layout, and to each language's typography (the
    content's straight quotes are set as that language's quotation marks).
    """
    # PDFium marks a hyphen it recognises at a line's end as U+FFFE (\x02 before).
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    text = re.sub(r"[\s\u00ad\ufeff•▸■✓✗'\"‘’‚“”„«»‹›]", "", text)
    return text.casefold()


def without_page_references(squashed: str) -> str:
    """Remove the " (see page N)" that cross-references add in the booklet."""
    return re.sub(r"\(seepage\d+\)", "", squashed)


def letter_fonts(path) -> list[str]:
    """The font (its PostScript name, without the subset tag) of every letter, in order."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    names = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            textpage = page.get_textpage()
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            for index in range(textpage.count_chars()):
                if not chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)).isalpha():
                    continue
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, flags)
                names.append(buffer.value.decode("latin-1").split("+")[-1])
    finally:
        document.close()
    return names


#: The namespace of pdftotext's word boxes (XHTML).
BOXES = {"x": "http://www.w3.org/1999/xhtml"}


def word_boxes(path: Path):
    """pdftotext's word boxes of a PDF (-bbox-layout: pages, blocks, lines, words)."""
    import subprocess

    from lxml import etree

    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"],
                           capture_output=True, check=True).stdout
    return etree.fromstring(xhtml, etree.XMLParser(resolve_entities=False))


def full_lines(path: Path, width_mm: float) -> list[str]:
    """The lines of running text that fill the measure (``width_mm``), from every page.

    Read with pdftotext's word boxes: lines of body type (the text, lists and
    boxes, from 8.5 to 10.5 pt; not headings, notes or running heads) at least
    four fifths of the measure wide: a paragraph's last line and short list items
    say nothing of the measure.
    """
    lines = []
    for line in word_boxes(path).iterfind(".//x:line", BOXES):
        words = line.findall("x:word", BOXES)
        heights = sorted(float(w.get("yMax")) - float(w.get("yMin")) for w in words)
        # A word box is about 1.36 times the type size high (Noto Sans).
        if not words or not 11.3 <= heights[len(heights) // 2] <= 14.8:
            continue
        left, right = float(line.get("xMin")), float(line.get("xMax"))
        if right - left >= 0.8 * width_mm * MM:
            lines.append(" ".join(w.text or "" for w in words))
    return lines
