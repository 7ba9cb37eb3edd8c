"""Links: every link annotation inside a /Link element, described and printable.

WeasyPrint 70 makes an annotation for each box of a link (the ``<a>``, a
``<span>`` in it, its ``::after`` page number), each owned by that box's own
structure element: a /Span, or a /Link nested in another. PDF/UA wants one
/Link element per link, holding an /OBJR for each of its annotations, and each
annotation with a /Contents that says where it leads, and printable.
"""

from __future__ import annotations

from .tags import kids_of, structure_elements

#: The annotation flag "Print" (PDF 1.7, table 165): PDF/UA readers expect it on.
PRINT = 4
#: Characters that only guide line breaking: no part of what a link says.
_BREAK_HINTS = dict.fromkeys(map(ord, "\u200b\u00ad"), None)


def link_texts(pages) -> list[list[tuple[str, str]]]:
    """What each link of a laid-out WeasyPrint document says, page by page.

    Each link is (target, text): the target as WeasyPrint writes it in the
    annotation (an anchor name or a URL), and what a reader is told: for a
    link within the document, the heading of the part it leads to (every box
    of a contents entry then says the same); for a link out, its own text.
    """
    by_id = {}
    if pages:
        for element in pages[0]._page_box.children[0].element.iter():
            if element.get("id"):
                by_id.setdefault(element.get("id"), element)
    described = []
    for page in pages:
        links = [(kind, target, box) for kind, target, _, box in page.links
                 if kind in ("internal", "external")]
        # A link's inner boxes (a <span> in the <a>) say what the whole <a> says.
        anchors = {target: _text(box.element) for _, target, box in reversed(links)
                   if box.element_tag == "a"}
        described.append([])
        for kind, target, box in links:
            text = _heading(by_id[target]) if kind == "internal" and target in by_id else ""
            text = text or anchors.get(target) or _text(box.element)
            described[-1].append((target, text or target))
    return described


_HEADINGS = {f"h{level}" for level in range(1, 7)}


def _heading(element) -> str:
    """The text of an element that is a heading, or of the first heading in it."""
    if element.tag in _HEADINGS:
        return _text(element)
    return next((_text(e) for e in element.iter() if e.tag in _HEADINGS), "")


def _text(element) -> str:
    return " ".join("".join(element.itertext()).translate(_BREAK_HINTS).split())


def tag_links(pdf, parents, texts: list[list[tuple[str, str]]]) -> None:
    """One /Link element per link, with an /OBJR to each of its annotations.

    ``parents`` is tags.ParentTree; ``texts`` is link_texts() of the document
    written (annotations and links come in the same order on each page).
    """
    import pikepdf

    for number, page in enumerate(pdf.pages):
        waiting = list(texts[number]) if number < len(texts) else []
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            annotation.F = PRINT
            target = _target(annotation)
            text = _take(waiting, target)
            if text:
                annotation.Contents = pikepdf.String(text)
            key = int(annotation.get("/StructParent", -1))
            owner = parents.entries.get(key)
            if not isinstance(owner, pikepdf.Dictionary):
                continue
            link = _outermost_link(owner)
            if link.objgen != owner.objgen:
                _move_objr(owner, link, annotation)
            link.S = pikepdf.Name.Link
            parents.entries[key] = link
    _unnest_links(pdf.Root.StructTreeRoot)


def _target(annotation) -> str:
    if "/Dest" in annotation:
        return str(annotation.Dest)
    action = annotation.get("/A", {})
    return str(action.get("/URI", ""))


def _take(waiting: list, target: str) -> str | None:
    """The text of the first link still waiting that leads to ``target``; taken off the list."""
    for index, (to, text) in enumerate(waiting):
        if to == target:
            del waiting[index]
            return text
    return None


def _outermost_link(element):
    """The highest /Link among the element and its ancestors, or the element itself."""
    found, node = element, element
    while "/S" in node and "/P" in node:
        if node.get("/S") == "/Link":
            found = node
        node = node.P
    return found


def _move_objr(owner, link, annotation) -> None:
    import pikepdf

    kids = kids_of(owner)
    objrs = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
             and k.Obj.objgen == annotation.objgen]
    moved = {objr.objgen for objr in objrs}
    owner.K = pikepdf.Array([k for k in kids
                             if not (isinstance(k, pikepdf.Dictionary) and k.objgen in moved)])
    link.K = pikepdf.Array(objrs + kids_of(link))


def _unnest_links(tree) -> None:
    """A /Link inside another is a part of it: a /Span."""
    import pikepdf

    for element in structure_elements(tree):
        if element.get("/S") == "/Link" and element.P.get("/S") != "/StructTreeRoot":
            node = element.P
            while "/S" in node and "/P" in node:
                if node.get("/S") == "/Link":
                    element.S = pikepdf.Name.Span
                    break
                node = node.P
