"""Where each character of a PDF is drawn, from PDFium's character boxes: to
measure which way lines run, and where list marks, page numbers and addresses sit."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2


@dataclass(frozen=True)
class Glyph:
    """One character as PDFium reads it, and its box on the page (points, y up)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def x(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    #: The trim box (left, bottom, right, top): the page as cut, without bleed or slug.
    trim: tuple[float, float, float, float]
    glyphs: list[Glyph]


def pages(path: Path) -> list[Page]:
    """Each page's size, trim box and characters, in PDFium's reading order (logical
    order, right-to-left text included), with the spaces and line ends it reads."""
    document = pypdfium2.PdfDocument(str(path))
    found = []
    try:
        for page in document:
            textpage = page.get_textpage()
            glyphs = [Glyph(textpage.get_text_range(index, 1),
                            *textpage.get_charbox(index, loose=True))
                      for index in range(textpage.count_chars())]
            width, height = page.get_size()
            found.append(Page(width, height, tuple(page.get_trimbox()), glyphs))
            textpage.close()
            page.close()
    finally:
        document.close()
    return found


def is_right_to_left(character: str) -> bool:
    """A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko)."""
    return unicodedata.bidirectional(character) in ("R", "AL") and character.isalpha()


def is_mark(character: str) -> bool:
    return unicodedata.category(character).startswith("M")


def lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """The lines PDFium reads: its characters between line ends."""
    found: list[list[Glyph]] = [[]]
    for glyph in glyphs:
        if glyph.text in "\r\n":
            if found[-1]:
                found.append([])
        else:
            found[-1].append(glyph)
    return [line for line in found if line]


def words(line: list[Glyph]) -> list[list[Glyph]]:
    """The right-to-left words of a line: runs of letters (marks left out), in
    PDFium's order."""
    found, current = [], []
    for glyph in line:
        if is_mark(glyph.text):
            continue
        if is_right_to_left(glyph.text):
            current.append(glyph)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def letters(text: str) -> str:
    """The right-to-left letters of a text, without marks, spaces or anything else."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if is_right_to_left(c))
