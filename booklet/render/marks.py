"""Print marks: crop marks outside the bleed, and a slug with the job's information.

A print shop trims along the crop marks and runs the background into the
bleed, so the marks must sit outside the bleed, in a slug: the MediaBox is the
BleedBox (trim + 3 mm) grown by ``SLUG_MM`` on every side. TrimBox and BleedBox
are left as WeasyPrint wrote them. Marks and slug text are drawn in
registration black (all four inks), in their own marked content, after the
page's own content.

The slug's text is set in a subset of Noto Sans embedded as a simple TrueType
font (PDF/X wants every font embedded), made once per process. It is not the
page's text: marked with an empty /ActualText, text extraction leaves it out
(Poppler would otherwise count its Latin letters when it decides which way a
right-to-left page reads, and read a Hebrew back cover left to right).
"""

from __future__ import annotations

import io
from functools import lru_cache

from .fonts import font_file

MM = 72 / 25.4
#: Room outside the bleed for the marks and the slug's text.
SLUG_MM = 12
#: Crop marks run from this far outside the trim (beyond the 3 mm bleed)...
MARK_FROM_MM = 5
#: ...to this far: inside the slug, clear of its edge.
MARK_TO_MM = 12
MARK_WIDTH_PT = 0.25
SLUG_TEXT_PT = 6
#: The characters the slug's font carries: Windows-1252, the simple font's encoding.
ENCODING = "cp1252"
CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "·–—’“”éèàçñüöäÉ"


@lru_cache(maxsize=1)
def _font_program() -> tuple[bytes, dict]:
    """Noto Sans, subset to the slug's characters; its metrics for the font dictionaries."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = font_file("Noto Sans", "Regular")
    if path is None:
        raise RuntimeError("Noto Sans is not installed (fonts-noto-core)")
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARACTERS)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = []
    for code in range(32, 256):
        char = bytes([code]).decode(ENCODING, errors="replace")
        glyph = cmap.get(ord(char))
        widths.append(round(font["hmtx"][glyph][0] * scale) if glyph else 0)
    head, os2 = font["head"], font["OS/2"]
    metrics = {
        "widths": widths,
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(os2.sTypoAscender * scale),
        "descent": round(os2.sTypoDescender * scale),
        "cap_height": round(getattr(os2, "sCapHeight", 714) * scale),
    }
    return buffer.getvalue(), metrics


def _font(pdf):
    """The slug's font as a PDF object of ``pdf``: a simple TrueType font, embedded."""
    import pikepdf

    program, metrics = _font_program()
    file = pikepdf.Stream(pdf, program)
    file.Length1 = len(program)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/BKSLUG+NotoSans-Regular"),
        Flags=32, FontBBox=metrics["bbox"], ItalicAngle=0, Ascent=metrics["ascent"],
        Descent=metrics["descent"], CapHeight=metrics["cap_height"], StemV=80,
        FontFile2=file)
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name("/BKSLUG+NotoSans-Regular"), FirstChar=32, LastChar=255,
        Widths=metrics["widths"], Encoding=pikepdf.Name.WinAnsiEncoding,
        FontDescriptor=pdf.make_indirect(descriptor)))


def _crop_marks(trim: list[float]) -> list[tuple[list, str]]:
    """Eight lines along the trim's edges, each from MARK_FROM_MM to MARK_TO_MM outside it."""
    left, bottom, right, top = trim
    near, far = MARK_FROM_MM * MM, MARK_TO_MM * MM
    path = []
    for x, outward_x in ((left, -1), (right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            for (x1, y1), (x2, y2) in (((x + outward_x * near, y), (x + outward_x * far, y)),
                                       ((x, y + outward_y * near), (x, y + outward_y * far))):
                path += [([round(x1, 3), round(y1, 3)], "m"), ([round(x2, 3), round(y2, 3)], "l")]
    return [([MARK_WIDTH_PT], "w"), ([0], "J"), *path, ([], "S")]


def add_marks(pdf, job: str) -> None:
    """Grow every page by the slug, then draw its crop marks and its line of job information.

    ``job`` is what the slug says besides the page number, e.g. "Title · French (fr) ·
    print edition · booklet.pdf · 2017-05-01".
    """
    import pikepdf

    font = _font(pdf)
    total = len(pdf.pages)
    slug = SLUG_MM * MM
    for number, page in enumerate(pdf.pages, 1):
        bleed = [float(v) for v in page.obj.BleedBox]
        trim = [float(v) for v in page.obj.TrimBox]
        page.obj.MediaBox = pikepdf.Array([bleed[0] - slug, bleed[1] - slug,
                                           bleed[2] + slug, bleed[3] + slug])
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font.BKSlug = font
        line = f"{job} · page {number} of {total}"
        # In the slug below the page, clear of the bottom-left crop marks.
        x = trim[0] + (MARK_TO_MM - MARK_FROM_MM) * MM
        y = trim[1] - MARK_TO_MM * MM + SLUG_TEXT_PT / 2
        drawing = pikepdf.unparse_content_stream([
            (operands, pikepdf.Operator(operator)) for operands, operator in [
                ([], "q"), ([pikepdf.Name.Artifact], "BMC"),
                ([1, 1, 1, 1], "K"), ([1, 1, 1, 1], "k"),  # registration black
                *_crop_marks(trim),
                ([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(""))], "BDC"),
                ([], "BT"), ([pikepdf.Name("/BKSlug"), SLUG_TEXT_PT], "Tf"),
                ([round(x, 3), round(y, 3)], "Td"),
                ([pikepdf.String(line.encode(ENCODING, errors="replace"))], "Tj"),
                ([], "ET"), ([], "EMC"), ([], "EMC"), ([], "Q")]])
        # The page's own content may leave the graphics state changed: isolate it.
        page.contents_coalesce()
        page.obj.Contents.write(b"q\n" + page.obj.Contents.read_bytes() + b"\nQ\n" + drawing
                                + b"\n")
