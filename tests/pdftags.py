"""Reading a tagged PDF's structure tree back: elements, their text in reading order."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import pikepdf

from booklet.render.tags import kids_of, structure_elements


def elements(pdf: pikepdf.Pdf) -> list:
    """Every structure element reachable from the root, in reading order."""
    return list(structure_elements(pdf.Root.StructTreeRoot))


def ancestors(element) -> list:
    """The element's parents up to the structure tree's root, nearest first."""
    found, node = [], element.get("/P")
    while isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found.append(node)
        node = node.get("/P")
    return found


@dataclass
class Reading:
    """The text of a structure tree in reading order, as letters and digits only.

    ``notes`` holds each /Note's text and where it is read (an offset in ``text``).
    """

    text: str = ""
    notes: list[tuple[int, str]] = field(default_factory=list)


def letters(text: str) -> str:
    """Lower-case letters and digits only, without accents: robust to spacing,
    hyphenation, typography and capitals set by CSS (Turkish İ and I lower-case
    as i̇ and i, not i and ı)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.lower().replace("ı", "i") if c.isalnum())


def pdfium_texts(path) -> list[dict[int, str]]:
    """Per page, the text of each marked-content sequence (MCID) as PDFium reads it,
    /ActualText honoured (where Khmer and Burmese clusters keep their text)."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pages = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            textpage, texts = page.get_textpage(), {}
            for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                item = pdfium_c.FPDFPage_GetObject(page.raw, index)
                if pdfium_c.FPDFPageObj_GetType(item) != pdfium_c.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(item)
                size = pdfium_c.FPDFTextObj_GetText(item, textpage.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium_c.FPDFTextObj_GetText(item, textpage.raw, ctypes.cast(
                    buffer, ctypes.POINTER(ctypes.c_ushort)), size)
                text = buffer.raw.decode("utf-16-le").rstrip("\x00")
                texts[mcid] = texts.get(mcid, "") + text
            pages.append(texts)
    finally:
        document.close()
    return pages


class _MarkedText:
    """The text of structure elements, from the marked content their kids name:
    outloud's reading of the glyphs' Unicode, or ``replaced`` (pdfium_texts)."""

    def __init__(self, document, replaced: list[dict[int, str]] | None = None):
        self.document = document
        self.replaced = replaced
        self.pages = {page.objgen: page.index for page in document.pages}

    def of(self, node, page=None, separator: str = " ", figures: bool = True) -> str:
        """``node``'s text; without what /Figure elements hold unless ``figures``."""
        if "/Pg" in node:
            page = self.pages.get(node.Pg.objgen, page)
        parts = []
        for kid in kids_of(node):
            if isinstance(kid, int) and self.replaced is not None:
                parts.append(self.replaced[page].get(kid, ""))
            elif isinstance(kid, int):
                parts.append(self.document.content(page).mcid_text.get((None, kid)) or "")
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if figures or kid.S != "/Figure":
                    parts.append(self.of(kid, page, separator, figures))
        return separator.join(parts)


def reading(path, actual_text: bool = False) -> Reading:
    """Read a tagged PDF's structure tree in order, with its notes where they are read.

    A /Figure's content is left out (its /Alt stands for it); notes are
    top-level elements (render/tags.py puts them there). With ``actual_text``,
    the text of the marked content is PDFium's, which honours /ActualText (outloud
    reads the glyphs' own Unicode).
    """
    from outloud.model import Document

    document = Document(str(path))
    try:
        texts = _MarkedText(document, pdfium_texts(path) if actual_text else None)
        result = Reading()
        for top in kids_of(kids_of(document.pdf.Root.StructTreeRoot)[0]):
            if isinstance(top, pikepdf.Dictionary) and top.get("/S") == "/Note":
                result.notes.append((len(result.text),
                                     letters(texts.of(top, figures=False))))
            elif isinstance(top, pikepdf.Dictionary):
                result.text += letters(texts.of(top, figures=False))
        return result
    finally:
        document.close()


def language_spans(path) -> list[tuple[str, str]]:
    """(its /Lang, its text) for each structure element with a /Lang of its own."""
    from outloud.model import Document

    document = Document(str(path))
    try:
        texts = _MarkedText(document)
        return [(str(element.Lang), texts.of(element, separator=""))
                for element in elements(document.pdf) if "/Lang" in element]
    finally:
        document.close()
