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


def reading(path) -> Reading:
    """Read a tagged PDF's structure tree in order, with its notes where they are read.

    A /Figure's content is left out (its /Alt stands for it); notes are
    top-level elements (render/tags.py puts them there).
    """
    from outloud.model import Document

    document = Document(str(path))
    try:
        pages = {page.objgen: page.index for page in document.pages}
        result = Reading()

        def text_of(node, page) -> str:
            parts = []
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            for kid in kids_of(node):
                if isinstance(kid, int):
                    parts.append(document.content(page).mcid_text.get((None, kid)) or "")
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S != "/Figure":
                        parts.append(text_of(kid, page))
            return " ".join(parts)

        for top in kids_of(kids_of(document.pdf.Root.StructTreeRoot)[0]):
            if isinstance(top, pikepdf.Dictionary) and top.get("/S") == "/Note":
                result.notes.append((len(result.text), letters(text_of(top, None))))
            elif isinstance(top, pikepdf.Dictionary):
                result.text += letters(text_of(top, None))
        return result
    finally:
        document.close()



def language_spans(path) -> list[tuple[str, str]]:
    """(its /Lang, its text) for each structure element with a /Lang of its own."""
    from outloud.model import Document

    document = Document(str(path))
    try:
        pages = {page.objgen: page.index for page in document.pages}

        def text_of(node, page) -> str:
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            parts = []
            for kid in kids_of(node):
                if isinstance(kid, int):
                    parts.append(document.content(page).mcid_text.get((None, kid)) or "")
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    parts.append(text_of(kid, page))
            return "".join(parts)

        return [(str(element.Lang), text_of(element, None))
                for element in elements(document.pdf) if "/Lang" in element]
    finally:
        document.close()
