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
