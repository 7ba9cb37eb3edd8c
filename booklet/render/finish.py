"""Finish: what WeasyPrint does not write, added to each PDF with pikepdf.

- both editions: the edition's ISBN and content-derived identifiers, so two
  builds of the same inputs give the same bytes;
- print (PDF/X-4): no link annotations (PDF/X forbids them in the printed
  area), greys that WeasyPrint draws in DeviceRGB (figure strokes) as CMYK,
  crop marks and the slug outside the bleed (marks.py);
- screen (PDF/UA-1): page labels, so viewers show the printed page numbers;
  a factsheet's headings one level up (its markup is the booklet's, where the
  factsheet title is a second-level heading; alone it is the first).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path

from .marks import add_marks

#: WeasyPrint draws some greys (in figures) in DeviceRGB; PDF/X wants every colour in
#: the output intent's inks: black ink, or registration black (all four) for full black.
_RGB_COLOUR = re.compile(rb"(?<![\d.])([\d.]+) ([\d.]+) ([\d.]+) (RG|rg)\b")


def _registration(match: re.Match) -> bytes:
    red, green, blue, operator = match.groups()
    if red == green == blue:  # grey: black ink only, full registration when black
        k = 1 - float(red)
        inks = b"1 1 1 1" if k >= 0.999 else f"0 0 0 {k:g}".encode()
        return inks + (b" K" if operator == b"RG" else b" k")
    return match.group(0)


def finish(path: str | Path, edition: str, fingerprint: str, isbn: str,
           kind: str = "booklet", job: str = "") -> None:
    """Post-process a freshly written PDF in place.

    ``job`` is the print slug's line of job information (see marks.add_marks).
    """
    import pikepdf

    identifier = uuid.UUID(hashlib.sha256(f"{edition}\0{fingerprint}".encode()).hexdigest()[:32])
    # Read and saved in memory, then written by Python: pikepdf's own writing to
    # files aborted the process on a full disk (and left a stray temporary file).
    with pikepdf.open(io.BytesIO(Path(path).read_bytes())) as pdf:
        if edition == "print":
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    kept = [a for a in page.obj.Annots if a.get("/Subtype") != "/Link"]
                    if kept:
                        page.obj.Annots = pikepdf.Array(kept)
                    else:
                        del page.obj["/Annots"]
            _recolour_greys(pdf)
            add_marks(pdf, job)
        else:
            pdf.Root.PageLabels = pikepdf.Dictionary(
                Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D)]))
            if "/StructTreeRoot" in pdf.Root:
                _tag_artifacts_and_notes(pdf)
                if kind == "factsheet":
                    _promote_headings(pdf.Root.StructTreeRoot)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmpMM:DocumentID"] = f"uuid:{identifier}"
            meta["xmpMM:InstanceID"] = f"uuid:{identifier}"
            meta["dc:identifier"] = f"ISBN {isbn}"
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        finished = io.BytesIO()
        pdf.save(finished, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 force_version=pdf.pdf_version if edition == "screen" else "1.6")
    Path(path).write_bytes(finished.getvalue())


def reachable_elements(root) -> set:
    """The struct elements a reader can reach from the structure tree's root."""
    return {element.objgen for element in structure_elements(root)}


def _tag_artifacts_and_notes(pdf) -> None:
    """Make the PDF/UA structure what a screen reader expects.

    WeasyPrint tags running heads, page numbers and page notices as content
    that no structure element leads to: they become pagination artifacts. The
    footnote areas become /Note elements (each with the ID PDF/UA asks for).
    """
    import pikepdf

    tree = pdf.Root.StructTreeRoot
    reachable = reachable_elements(tree)
    nums = tree.ParentTree.get("/Nums", pikepdf.Array())
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    artifact = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    for page in pdf.pages:
        elements = parents.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(elements, pikepdf.Array):
            continue
        orphans = {mcid for mcid, element in enumerate(elements)
                   if isinstance(element, pikepdf.Dictionary)
                   and element.objgen not in reachable}
        if not orphans:
            continue
        page.obj.Contents = pdf.make_stream(_as_artifacts(page, orphans, artifact))
        for mcid in orphans:
            elements[mcid] = None
    document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
    for number, kid in enumerate(document.get("/K", [])):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/NonStruct":
            grandchildren = kid.K if isinstance(kid.K, pikepdf.Array) else [kid.K]
            if all(isinstance(g, pikepdf.Dictionary) and g.get("/S") == "/Span"
                   for g in grandchildren):
                kid.S = pikepdf.Name.Note
                kid.ID = pikepdf.String(f"note-{number}")


#: How WeasyPrint opens tagged content: "/Span << /MCID 12 >> BDC".
_MARKED_CONTENT = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact << /Type /Pagination >> BDC"


def _as_artifacts(page, orphans: set[int], artifact) -> bytes:
    """The page's content with the orphaned marked contents as pagination artifacts.

    Rewritten as text, which is much faster than parsing the content stream;
    parsed only if the text is not what WeasyPrint writes.
    """
    import pikepdf

    found = set()

    def replace(match):
        mcid = int(match.group(1))
        if mcid not in orphans:
            return match.group(0)
        found.add(mcid)
        return _PAGINATION

    data = _MARKED_CONTENT.sub(replace, b"\n".join(
        stream.read_bytes() for stream in content_streams(page.obj)))
    if found == orphans:
        return data
    operations = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2 and \
                isinstance(operands[1], pikepdf.Dictionary) and \
                int(operands[1].get("/MCID", -1)) in orphans:
            operands = [pikepdf.Name.Artifact, artifact]
        operations.append((operands, operator))
    return pikepdf.unparse_content_stream(operations)


HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")


def _promote_headings(tree) -> None:
    """H2 becomes H1, H3 becomes H2, and so on."""
    import pikepdf

    for element in structure_elements(tree):
        if element.get("/S") in HEADINGS[1:]:
            element.S = pikepdf.Name(HEADINGS[HEADINGS.index(element.S) - 1])


def structure_elements(tree):
    """Every structure element under the tree's root, each once, in reading order."""
    import pikepdf

    seen, stack = set(), [tree]
    while stack:
        node = stack.pop()
        if node is not tree:
            yield node
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        for kid in reversed(kids):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)


def content_streams(holder) -> list:
    """The streams that hold a page's or a form XObject's content."""
    import pikepdf

    if holder.get("/Subtype") == "/Form":
        return [holder]
    contents = holder.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def forms_and_pages(pdf):
    """Every page and every form XObject reachable from one, each once."""
    seen = set()
    for page in pdf.pages:
        yield page.obj
        stack = [page.obj.get("/Resources", {})]
        while stack:
            for xobject in stack.pop().get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    yield xobject
                    stack.append(xobject.get("/Resources", {}))


def _recolour_greys(pdf) -> None:
    """Rewrite greyscale DeviceRGB colour operators as CMYK.

    Figures are drawn in form XObjects shared between pages: each is rewritten once.
    """
    for holder in forms_and_pages(pdf):
        for stream in content_streams(holder):
            data = stream.read_bytes()
            new = _RGB_COLOUR.sub(_registration, data)
            if new != data:
                stream.write(new)
