"""Languages: /Lang on the structure elements of text in another language.

WeasyPrint writes one language for the whole document (the catalogue's
/Lang). Where the markup says a part is in another language (``lang`` on an
element: the publisher's name on the cover, a part shown in the source
language until it is translated), the element made from it gets its own /Lang.

WeasyPrint makes one structure element per box, page by page, in the order of
the boxes; so the n-th box of an HTML element type on a page is the n-th
structure element of the matching type on that page.
"""

from __future__ import annotations

#: HTML elements that carry a language in this project's templates, and their tags.
TAGS = {"p": "/P", "section": "/Sect", "article": "/Art", "div": "/Div", "span": "/Span",
        **{f"h{level}": f"/H{level}" for level in range(1, 7)}}
#: What WeasyPrint makes of each run of text (outside a link): a /Span of its own.
TEXT = "text"


#: Per page: how many elements of each tag, and (tag, n, lang) for the n-th
#: element of a tag (0-based) whose markup says another language.
Marked = list[tuple[dict[str, int], list[tuple[str, int, str]]]]


def marked_languages(pages, language: str) -> Marked:
    """Where a laid-out WeasyPrint document's markup says another language than ``language``."""
    found = []
    for page in pages:
        counts: dict[str, int] = {}
        marked = []
        for box in _boxes(page._page_box):
            if box is TEXT:
                counts["/Span"] = counts.get("/Span", 0) + 1
                continue
            tag = TAGS.get(box.element_tag)
            if tag is None:
                continue
            lang = box.element.get("lang") if box.element is not None else None
            if lang and lang != language:
                marked.append((tag, counts.get(tag, 0), lang))
            counts[tag] = counts.get(tag, 0) + 1
        found.append((counts, marked))
    return found


def _boxes(box, in_link: bool = False):
    """The boxes WeasyPrint makes structure elements of, in its order (pdf/tags.py);
    TEXT for each run of text, which becomes a /Span (but inside a link)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if isinstance(box, boxes.MarginBox):
        return  # margin boxes are left out of the tree
    if isinstance(box, boxes.TextBox):
        if not in_link:
            yield TEXT
        return
    if not isinstance(box, boxes.LineBox):
        yield box
        in_link = (box.element_tag or "").split(":")[0] == "a" if box.element is not None \
            else False
    for child in getattr(box, "children", []):
        yield from _boxes(child, in_link)


def tag_languages(pdf, marked: Marked, elements) -> None:
    """Set /Lang on the elements ``marked`` names; ``elements`` are the tree's, in order.

    Skips a tag on a page where its elements do not come out as many as its
    boxes: then the two orders cannot be matched.
    """
    import pikepdf

    if not any(languages for _, languages in marked):
        return
    by_page: dict[tuple, dict[str, list]] = {}
    for element in elements:
        if "/Pg" in element:
            by_page.setdefault(element.Pg.objgen, {}).setdefault(str(element.S), []).append(
                element)
    for page, (counts, wanted) in zip(pdf.pages, marked, strict=False):
        on_page = by_page.get(page.obj.objgen, {})
        for tag, index, lang in wanted:
            candidates = on_page.get(tag, [])
            if len(candidates) == counts[tag]:
                candidates[index].Lang = pikepdf.String(lang)
