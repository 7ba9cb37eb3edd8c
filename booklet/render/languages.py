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

import unicodedata

from markupsafe import Markup

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


#: What may join the words of a run in another script: "Terre des Hommes", "e-mail".
RUN_JOINERS = set(" .-'’/&")


def _is_latin(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def latin_runs(text: str) -> list[tuple[int, int]]:
    """Where words in Latin letters stand in text of another script: (start, end) of
    each run of two letters or more (with the digits and joiners between its words)."""
    runs, start, end = [], None, None
    for index, char in enumerate(text):
        if _is_latin(char) or (start is not None and (char.isdigit() or char in RUN_JOINERS)):
            start = index if start is None else start
            if _is_latin(char) or char.isdigit():
                end = index + 1
        elif start is not None:
            runs.append((start, end))
            start = None
    if start is not None:
        runs.append((start, end))
    return [(a, b) for a, b in runs if sum(_is_latin(c) for c in text[a:b]) >= 2]


def mark_latin_runs(html: str, lang: str) -> Markup:
    """HTML with each run of Latin words in its text wrapped in ``<span lang=…>``, so
    that its structure element carries /Lang (English terms inside Thai text). Links
    keep their text as it is: a web address is not read as a word."""
    import lxml.html

    if not any(_is_latin(char) for char in html):
        return Markup(html)
    holder = lxml.html.fragment_fromstring(html, create_parent="span")

    def wrapped(text: str | None) -> tuple[str | None, list]:
        """The text before the first run, and a span (with the text after it) per run."""
        runs = latin_runs(text or "")
        if not runs:
            return text, []
        spans = []
        for index, (start, end) in enumerate(runs):
            span = lxml.html.Element("span", lang=lang)
            span.text = text[start:end]
            span.tail = text[end:runs[index + 1][0] if index + 1 < len(runs) else None]
            spans.append(span)
        return text[:runs[0][0]], spans

    def walk(element) -> None:
        if element.tag == "a":
            return
        children = list(element)
        element.text, spans = wrapped(element.text)
        for index, span in enumerate(spans):
            element.insert(index, span)
        for child in children:
            walk(child)
            child.tail, spans = wrapped(child.tail)
            for span in reversed(spans):
                child.addnext(span)

    walk(holder)
    return Markup((holder.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in holder))
