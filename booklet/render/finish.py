"""Finish: what WeasyPrint does not write, added to each PDF with pikepdf.

- both editions: the edition's ISBN and content-derived identifiers, so two
  builds of the same inputs give the same bytes; a right-to-left document's
  reading direction (/ViewerPreferences /Direction /R2L: viewers show its
  spreads right to left, and impose.py binds it on the right);
- print (PDF/X-4): no link annotations (PDF/X forbids them in the printed
  area), greys that WeasyPrint draws in DeviceRGB (figure strokes) as CMYK,
  crop marks and the slug outside the bleed (marks.py);
- screen (PDF/UA-1): page labels, so viewers show the printed page numbers,
  and the structure tree PDF/UA checkers expect (tags.py, links.py).
"""

from __future__ import annotations

import functools
import hashlib
import io
import uuid
from pathlib import Path

from .languages import Marked, tag_languages
from .links import tag_links
from .marks import add_marks
from .tags import content_streams, structure_elements, tag_for_screen

#: WeasyPrint draws some greys (in figures) in DeviceRGB; PDF/X wants every colour in
#: the output intent's inks: black ink, or registration black (all four) for full black.
_RGB_TO_CMYK = {"RG": "K", "rg": "k"}


def _registration(red: float, green: float, blue: float, operator: str):
    """The CMYK operands and operator for a grey, or None for another colour."""
    if not red == green == blue:
        return None
    k = 1 - red  # grey: black ink only, full registration when black
    inks = [1, 1, 1, 1] if k >= 0.999 else [0, 0, 0, round(k, 6)]
    return inks, _RGB_TO_CMYK[operator]


def finish(path: str | Path, edition: str, fingerprint: str, isbn: str | None,
           kind: str = "booklet", job: str = "",
           links: list[list[tuple[str, str]]] | None = None,
           languages: Marked | None = None, direction: str = "ltr") -> None:
    """Post-process a freshly written PDF in place.

    ``job`` is the print slug's line of job information (see marks.add_marks);
    ``direction`` the document's ("rtl" or "ltr");
    for the screen edition, ``links`` is what each link says, page by page
    (links.link_texts), and ``languages`` where the markup says another
    language (languages.marked_languages).
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
                tree = pdf.Root.StructTreeRoot
                tag_languages(pdf, languages or [], list(structure_elements(tree)))
                tag_for_screen(pdf, kind, functools.partial(tag_links, texts=links or []))
        if direction == "rtl":
            preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
            preferences.Direction = pikepdf.Name.R2L
            pdf.Root.ViewerPreferences = preferences
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmpMM:DocumentID"] = f"uuid:{identifier}"
            meta["xmpMM:InstanceID"] = f"uuid:{identifier}"
            if isbn:  # as written, with the prefix ISBN once
                meta["dc:identifier"] = isbn if isbn.upper().startswith("ISBN") else \
                    f"ISBN {isbn}"
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        finished = io.BytesIO()
        pdf.save(finished, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 force_version=pdf.pdf_version if edition == "screen" else "1.6")
    Path(path).write_bytes(finished.getvalue())


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
    Only a stream that names an RGB colour operator at all is parsed.
    """
    import pikepdf

    for holder in forms_and_pages(pdf):
        for stream in content_streams(holder):
            data = stream.read_bytes()
            if b"rg" not in data and b"RG" not in data:
                continue
            instructions, changed = [], False
            for operands, operator in pikepdf.parse_content_stream(stream):
                if str(operator) in _RGB_TO_CMYK and len(operands) == 3:
                    cmyk = _registration(*(float(value) for value in operands), str(operator))
                    if cmyk is not None:
                        operands, operator = cmyk[0], pikepdf.Operator(cmyk[1])
                        changed = True
                instructions.append((operands, operator))
            if changed:
                stream.write(pikepdf.unparse_content_stream(instructions))
