"""Where each character of a PDF is drawn, from PDFium's character boxes: to
measure which way lines run, and where list marks, page numbers and addresses sit."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
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
    order, right-to-left text included), with the spaces and line ends it reads.

    The characters are the glyphs as drawn: PDFium gives the /ActualText of a span
    (the text layer's replacement text, measured on its own in extraction.py) boxes
    of its own, spread over the span, so it is read from a copy without it."""
    document = pypdfium2.PdfDocument(without_actual_text(path))
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


def without_actual_text(path: Path) -> bytes:
    """The PDF with each marked-content span that carries /ActualText made a plain one,
    in its pages and in the forms they draw (an imposed sheet's pages)."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            page.contents_coalesce()
            _plain_spans(pdf, page.obj.Contents, page.obj.Resources)
            for xobject in page.obj.Resources.get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form":
                    _plain_spans(pdf, xobject, xobject.get("/Resources", pikepdf.Dictionary()))
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def _plain_spans(pdf, stream, resources) -> None:
    properties = resources.get("/Properties", {})
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        if str(operator) == "BDC":
            given = operands[1]
            if isinstance(given, pikepdf.Name):
                given = properties.get(str(given), pikepdf.Dictionary())
            if "/ActualText" in given:
                operands, operator = [operands[0]], pikepdf.Operator("BMC")
        instructions.append((operands, operator))
    stream.write(pikepdf.unparse_content_stream(instructions))
