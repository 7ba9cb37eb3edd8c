"""Tags: the PDF/UA-1 structure tree a screen reader and a checker expect.

WeasyPrint 70 writes a structure tree that is close, but not there. This
module rewrites it with pikepdf after the PDF is written:

- running heads, page numbers and page notices (tagged by WeasyPrint as content
  that no structure element leads to) become pagination artifacts;
- the text labels drawn over a figure (html.py's ``figure_svg``) become part
  of the /Figure, whose /Alt already says what they say;
- the figure's /BBox is given in PDF user space, not in CSS pixels;
- table header cells get a /Scope: a column's in the table head, a row's elsewhere;
- each footnote becomes a /Note with an /ID and a /Lbl, read at the end of
  its factsheet (WeasyPrint puts the footnote area after each page's text);
- link annotations: see links.py.
"""

from __future__ import annotations

import re

HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")


def tag_for_screen(pdf, kind: str, tag_links=None) -> None:
    """Rewrite the structure tree of a freshly written screen PDF in place.

    ``tag_links(pdf, parents)`` puts the link annotations in it (links.py).
    """
    tree = pdf.Root.StructTreeRoot
    parents = ParentTree(tree)
    _figures(pdf, tree, parents)
    _artifacts(pdf, tree, parents)
    if tag_links is not None:
        tag_links(pdf, parents)
    _table_scopes(tree)
    _notes(tree)
    _drop_empty_spans(tree)
    if kind == "factsheet":
        _promote_headings(tree)
    parents.save()


class ParentTree:
    """The structure tree's /ParentTree as a dict: key → element, or per page an array."""

    def __init__(self, tree):
        import pikepdf

        self.tree = tree
        nums = tree.ParentTree.get("/Nums", pikepdf.Array())
        self.entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    def save(self) -> None:
        import pikepdf

        flat = []
        for key in sorted(self.entries):
            flat += [key, self.entries[key]]
        self.tree.ParentTree.Nums = pikepdf.Array(flat)


def kids_of(element) -> list:
    """An element's /K as a list, whether it holds one kid or an array."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def is_element(node) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def structure_elements(tree):
    """Every structure element under the tree's root, each once, in reading order."""
    seen, stack = set(), [tree]
    while stack:
        node = stack.pop()
        if node is not tree:
            yield node
        for kid in reversed(kids_of(node)):
            if is_element(kid) and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)


def reachable_elements(root) -> set:
    """The struct elements a reader can reach from the structure tree's root."""
    return {element.objgen for element in structure_elements(root)}


def mcids_of(element) -> list[int]:
    """The marked-content ids an element and its descendants own, in order."""
    import pikepdf

    found = []
    for kid in kids_of(element):
        if isinstance(kid, int):
            found.append(int(kid))
        elif is_element(kid):
            found += mcids_of(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.append(int(kid.MCID))
    return found


def detach(element) -> None:
    """Take an element out of its parent's kids."""
    import pikepdf

    parent = element.P
    parent.K = pikepdf.Array([k for k in kids_of(parent)
                              if not (is_element(k) and k.objgen == element.objgen)])


def content_streams(holder) -> list:
    """The streams that hold a page's or a form XObject's content."""
    import pikepdf

    if holder.get("/Subtype") == "/Form":
        return [holder]
    contents = holder.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


# Artifacts -----------------------------------------------------------------

def _artifacts(pdf, tree, parents: ParentTree) -> None:
    """Turn marked content that no reachable element owns into pagination artifacts.

    WeasyPrint tags running heads, page numbers and page notices as content
    that no structure element leads to.
    """
    import pikepdf

    reachable = reachable_elements(tree)
    pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    for page in pdf.pages:
        elements = parents.entries.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(elements, pikepdf.Array):
            continue
        wanted = {mcid: pagination for mcid, element in enumerate(elements)
                  if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable}
        if not wanted:
            continue
        page.obj.Contents = pdf.make_stream(_as_artifacts(page, wanted))
        for mcid in wanted:
            elements[mcid] = None


#: How WeasyPrint opens tagged content: "/Span << /MCID 12 >> BDC".
_MARKED_CONTENT = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _as_artifacts(page, wanted: dict) -> bytes:
    """The page's content with the marked contents in ``wanted`` as artifacts.

    Rewritten as text, which is much faster than parsing the content stream;
    parsed only if the text is not what WeasyPrint writes.
    """
    import pikepdf

    found = set()

    def replace(match):
        mcid = int(match.group(1))
        if mcid not in wanted:
            return match.group(0)
        found.add(mcid)
        return b"/Artifact " + wanted[mcid].unparse() + b" BDC"

    data = _MARKED_CONTENT.sub(replace, b"\n".join(
        stream.read_bytes() for stream in content_streams(page.obj)))
    if found == set(wanted):
        return data
    operations = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2 and \
                isinstance(operands[1], pikepdf.Dictionary) and \
                int(operands[1].get("/MCID", -1)) in wanted:
            operands = [pikepdf.Name.Artifact, wanted[int(operands[1].MCID)]]
        operations.append((operands, operator))
    return pikepdf.unparse_content_stream(operations)


# Figures -------------------------------------------------------------------

def _figures(pdf, tree, parents: ParentTree) -> None:
    """Fix each figure's /BBox; make the labels drawn over it part of the figure.

    A figure is a Div holding the /Figure (the SVG, with its /Alt) and then one
    Span per label (html.py's ``figure_svg``). Read as Spans, the labels would
    be heard after the /Alt that already says what they say; inside the
    /Figure, its /Alt stands for them.
    """
    import pikepdf

    pages = {page.obj.objgen: page for page in pdf.pages}
    for figure in [e for e in structure_elements(tree) if e.get("/S") == "/Figure"]:
        page = pages.get(figure.Pg.objgen) if "/Pg" in figure else None
        if page is None:
            continue
        _bbox_to_user_space(pdf, figure, page)
        canvas = figure.P
        labels = [k for k in kids_of(canvas) if is_element(k) and k.objgen != figure.objgen]
        if not str(figure.get("/Alt", "")).strip() or canvas.get("/S") != "/Div" or \
                not labels or any(label.get("/S") != "/Span" for label in labels):
            continue
        owned = parents.entries[int(page.obj.StructParents)]
        kids = kids_of(figure)
        for label in labels:
            for mcid in mcids_of(label):
                kids.append(mcid)
                owned[mcid] = figure
            detach(label)
        figure.K = pikepdf.Array(kids)


#: What a WeasyPrint page's content starts with: saves and the matrices of the page.
_PAGE_PROLOGUE = re.compile(rb"\A(?:\s*(?:q|(?:[-\d.]+\s+){6}cm))+")


def page_matrix(pdf, page):
    """The transformation WeasyPrint sets first on a page: CSS pixels to PDF user space."""
    import pikepdf

    streams = content_streams(page.obj)
    prologue = _PAGE_PROLOGUE.match(streams[0].read_bytes()) if streams else None
    matrix = pikepdf.Matrix()
    if prologue is None:
        return matrix
    for operands, operator in pikepdf.parse_content_stream(
            pikepdf.Stream(pdf, prologue.group(0))):
        if str(operator) == "cm":
            matrix = pikepdf.Matrix(*[float(v) for v in operands]) @ matrix
    return matrix


def _bbox_to_user_space(pdf, figure, page) -> None:
    import pikepdf

    attributes = figure.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary) or "/BBox" not in attributes:
        return
    x1, y1, x2, y2 = (float(v) for v in attributes.BBox)
    matrix = page_matrix(pdf, page)
    corners = [matrix.transform((x, y)) for x in (x1, x2) for y in (y1, y2)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    attributes.BBox = pikepdf.Array([round(min(xs), 3), round(min(ys), 3),
                                     round(max(xs), 3), round(max(ys), 3)])


# Tables --------------------------------------------------------------------

def _table_scopes(tree) -> None:
    """/Scope on every header cell: a column's in the table head, a row's elsewhere.

    WeasyPrint reads ``<th scope>`` to link data cells to their headers but does
    not write the /Scope attribute PDF/UA asks for.
    """
    import pikepdf

    for cell in structure_elements(tree):
        if cell.get("/S") != "/TH":
            continue
        attributes = cell.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
        in_head = cell.P.get("/S") == "/TR" and cell.P.P.get("/S") == "/THead"
        attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row


# Notes ---------------------------------------------------------------------

def _notes(tree) -> None:
    """Footnotes as /Note elements with an /ID and a /Lbl, at the end of their factsheet.

    WeasyPrint puts each page's footnote area (a NonStruct of Spans, one per
    footnote) after that page's text, in the middle of a factsheet that runs
    over two pages. Each footnote becomes a /Note, its marker a /Lbl, and the
    notes move down to just before the next part (_opens_part).
    """
    import pikepdf

    document = kids_of(tree)[0]
    ordered, pending, number = [], [], 0
    for kid in kids_of(document):
        if is_element(kid) and _is_footnote_area(kid):
            for footnote in kids_of(kid):
                number += 1
                footnote.S = pikepdf.Name.Note
                footnote.ID = pikepdf.String(f"note-{number}")
                footnote.P = document
                marker = next((k for k in kids_of(footnote) if is_element(k)), None)
                if marker is not None and marker.get("/S") == "/NonStruct":
                    marker.S = pikepdf.Name.Lbl
                pending.append(footnote)
            continue
        if pending and is_element(kid) and _opens_part(kid):
            ordered += pending
            pending = []
        ordered.append(kid)
    document.K = pikepdf.Array(ordered + pending)


#: Elements that say nothing when they hold nothing.
GROUPS = ("/Span", "/Div", "/NonStruct")


def _drop_empty_spans(tree) -> None:
    """A span or group with nothing in it goes: WeasyPrint makes a /Span of an inline
    element's piece on a line where the piece is only a space, and the space is not
    drawn; a box's end marker (components.css) is an empty block."""
    for element in reversed(list(structure_elements(tree))):  # inner ones first
        if element.get("/S") in GROUPS and not kids_of(element) \
                and "/Alt" not in element and "/ActualText" not in element:
            detach(element)


def _is_footnote_area(element) -> bool:
    kids = kids_of(element)
    return element.get("/S") in ("/NonStruct", "/Note") and bool(kids) and \
        all(is_element(k) and k.get("/S") == "/Span" for k in kids)


def _opens_part(element) -> bool:
    """Whether a top-level element starts another part than the factsheet before it.

    A factsheet (``<article>``) that runs on over a page continues as another
    /Art there; a new one opens with its title, a first- or second-level heading.
    """
    return element.get("/S") != "/Art" or \
        any(e.get("/S") in HEADINGS[:2] for e in structure_elements(element))


# Headings ------------------------------------------------------------------

def _promote_headings(tree) -> None:
    """H2 becomes H1, H3 becomes H2, and so on: a factsheet alone starts at H1.

    Its markup is the booklet's, where the factsheet title is a second-level heading.
    """
    import pikepdf

    for element in structure_elements(tree):
        if element.get("/S") in HEADINGS[1:]:
            element.S = pikepdf.Name(HEADINGS[HEADINGS.index(element.S) - 1])
