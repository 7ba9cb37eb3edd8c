"""Preflight: check a PDF against what its edition promises, and say why not.

print  — PDF/X output intent, TrimBox A4 and BleedBox 3 mm past it on every
         page, no DeviceRGB, no link annotations, fonts embedded, images at
         300 ppi or more, booklet page count a multiple of 4;
screen — title shown as the window title, document language, tagged
         (structure tree, marked content), figures with alternative text,
         fonts embedded, no bleed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..render.finish import forms_and_pages
from ..render.tags import HEADINGS, content_streams, reachable_elements, structure_elements

A4 = (595.2756, 841.8898)
BLEED = 3 * 72 / 25.4
#: The least room outside the bleed for crop marks and the slug (PDF/X wants marks there).
SLUG = 10 * 72 / 25.4
TOLERANCE = 0.6  # points
MIN_PPI = {"print": 300, "screen": 96}


@dataclass
class Finding:
    check: str
    ok: bool
    message: str

    def __str__(self) -> str:
        return f"  {'ok  ' if self.ok else 'FAIL'}  {self.check}: {self.message}"


def detect_edition(pdf) -> str:
    for intent in pdf.Root.get("/OutputIntents", []):
        if intent.get("/S") == "/GTS_PDFX":
            return "print"
    return "screen"


def _box(page, name):
    box = page.obj.get(name)
    return [float(v) for v in box] if box is not None else None


def _close(a, b) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def check_fonts(pdf) -> Finding:
    missing, count, seen = [], 0, set()
    for holder in forms_and_pages(pdf):
        for font in holder.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            count += 1
            if font.get("/Subtype") == "/Type3":
                continue
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor", {})
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont", "?")))
    if missing:
        return Finding("fonts", False, f"not embedded: {', '.join(sorted(set(missing)))}")
    return Finding("fonts", True, f"{count} fonts, all embedded")


def check_notdef(pdf) -> Finding:
    """Characters a font was asked to show but does not have (drawn as .notdef).

    A PDF's ToUnicode maps name what each glyph stands for; the installed font
    of the same family says which characters it really has.
    """
    import io
    import re
    import unicodedata

    from fontTools.ttLib import TTFont

    from ..render.fonts import cmap, font_file

    missing, seen = set(), set()
    for holder in forms_and_pages(pdf):
        for font in holder.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen or "/ToUnicode" not in font:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            program = descendant.get("/FontDescriptor", {}).get("/FontFile2")
            if program is None:
                continue
            try:
                names = TTFont(io.BytesIO(program.read_bytes()), lazy=True)["name"]
                family = names.getDebugName(1)
                style = names.getDebugName(2) or "Regular"
            except Exception:  # an unreadable font program: nothing to compare with
                continue
            installed = font_file(family, style) if family else None
            if installed is None:
                continue
            covered = cmap(installed)
            mapped = font.ToUnicode.read_bytes().decode("latin-1")
            for target in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]{4,})>", mapped):
                text = bytes.fromhex(target).decode("utf-16-be", errors="ignore")
                for char in text:
                    # Cn: WeasyPrint maps glyphs with no text (e.g. U+FFFF) to noncharacters.
                    if ord(char) not in covered and unicodedata.category(char) not in (
                            "Cc", "Cf", "Cn", "Zs", "Zl", "Zp"):
                        missing.add(f"U+{ord(char):04X} in {family}")
    if missing:
        return Finding("glyphs", False, f".notdef drawn for {', '.join(sorted(missing)[:5])}")
    return Finding("glyphs", True, "every character has its glyph (no .notdef)")


def check_boxes(pdf, edition: str) -> Finding:
    for number, page in enumerate(pdf.pages, 1):
        media, trim, bleed = _box(page, "/MediaBox"), _box(page, "/TrimBox"), \
            _box(page, "/BleedBox")
        if edition == "print":
            if trim is None or bleed is None:
                return Finding("page boxes", False, f"page {number} has no TrimBox or BleedBox")
            if not _close([trim[2] - trim[0], trim[3] - trim[1]], A4):
                return Finding("page boxes", False, f"page {number}: TrimBox is not A4")
            wanted = [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED]
            if not _close(bleed, wanted):
                return Finding("page boxes", False,
                               f"page {number}: BleedBox is not 3 mm outside the TrimBox")
            room = min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2],
                       media[3] - bleed[3])
            if room < SLUG - TOLERANCE:
                return Finding("page boxes", False,
                               f"page {number}: the MediaBox leaves {room / 72 * 25.4:.1f} mm "
                               "outside the BleedBox; crop marks and the slug need 10 mm")
        else:
            if not _close([media[2] - media[0], media[3] - media[1]], A4):
                return Finding("page boxes", False, f"page {number}: page is not A4")
    if edition == "print":
        return Finding("page boxes", True,
                       f"{len(pdf.pages)} pages: A4 trim, 3 mm bleed, a slug of 10 mm or more")
    return Finding("page boxes", True, f"{len(pdf.pages)} pages: A4, no bleed")


def check_page_count(pdf, path: Path, edition: str) -> Finding | None:
    if path.name != "booklet.pdf" or edition != "print":
        return None
    pages = len(pdf.pages)
    return Finding("page count", pages % 4 == 0,
                   f"{pages} pages" + ("" if pages % 4 == 0 else
                                       ": not a multiple of 4 for saddle stitching"))


def _operations(holder) -> list:
    """A page's or form's content stream, parsed (empty if it cannot be)."""
    import pikepdf

    try:
        return pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError:
        return []


def _stream_bytes(holder) -> bytes:
    return b"\n".join(stream.read_bytes() for stream in content_streams(holder))


#: What an RGB colour operator looks like in a content stream: only streams
#: where it occurs are parsed (parsing every stream made preflight slow).
_MAYBE_RGB = re.compile(rb"(?<![A-Za-z0-9#/])(?:rg|RG)(?![A-Za-z0-9#])|/DeviceRGB")


def check_colours(pdf, edition: str) -> Finding:
    if edition != "print":
        return Finding("colour", True, "screen edition: RGB")
    rgb = 0
    for holder in forms_and_pages(pdf):
        if _MAYBE_RGB.search(_stream_bytes(holder)):
            for operands, operator in _operations(holder):
                if str(operator) in ("rg", "RG"):
                    rgb += 1
                elif str(operator) in ("cs", "CS") and operands and \
                        str(operands[0]) == "/DeviceRGB":
                    rgb += 1
        spaces = holder.get("/Resources", {}).get("/ColorSpace", {})
        rgb += sum(1 for space in spaces.values() if str(space) == "/DeviceRGB")
        for image in holder.get("/Resources", {}).get("/XObject", {}).values():
            if image.get("/Subtype") == "/Image" and str(image.get("/ColorSpace")) == \
                    "/DeviceRGB":
                rgb += 1
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        return Finding("colour", False, "no PDF/X output intent")
    condition = str(intents[0].get("/OutputConditionIdentifier", "?"))
    if rgb:
        return Finding("colour", False, f"{rgb} DeviceRGB colour uses (PDF/X-4 allows none)")
    return Finding("colour", True, f"CMYK only, output intent {condition}")


def check_links(pdf, edition: str) -> Finding | None:
    if edition != "print":
        return None
    links = sum(1 for page in pdf.pages for annotation in page.obj.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link")
    return Finding("annotations", links == 0,
                   "no link annotations" if not links else
                   f"{links} link annotations (PDF/X forbids them in the printed area)")


def check_images(pdf, edition: str) -> Finding:
    """Effective resolution of every image, from the transformation it is drawn with."""
    import pikepdf

    low, count = [], 0
    for holder in forms_and_pages(pdf):
        matrix, stack = pikepdf.Matrix(), []
        images = {name: x for name, x in holder.get("/Resources", {}).get("/XObject", {}).items()
                  if x.get("/Subtype") == "/Image"}
        if not images:
            continue
        for operands, operator in _operations(holder):
            name = str(operator)
            if name == "q":
                stack.append(matrix)
            elif name == "Q" and stack:
                matrix = stack.pop()
            elif name == "cm":
                matrix = pikepdf.Matrix(*[float(v) for v in operands]) @ matrix
            elif name == "Do" and str(operands[0]) in images:
                image = images[str(operands[0])]
                count += 1
                width_in = (matrix.a ** 2 + matrix.b ** 2) ** 0.5 / 72
                height_in = (matrix.c ** 2 + matrix.d ** 2) ** 0.5 / 72
                ppi = min(int(image.Width) / max(width_in, 1e-6),
                          int(image.Height) / max(height_in, 1e-6))
                if ppi < MIN_PPI[edition]:
                    low.append(f"{ppi:.0f} ppi")
    if low:
        return Finding("images", False, f"{len(low)} of {count} images below "
                       f"{MIN_PPI[edition]} ppi ({', '.join(low[:3])})")
    return Finding("images", True, f"{count} raster images" +
                   (f", all at {MIN_PPI[edition]} ppi or more" if count else "; vector only"))


def check_accessibility(pdf, edition: str) -> list[Finding]:
    if edition != "screen":
        return []
    root = pdf.Root
    findings = []
    lang = str(root.get("/Lang", ""))
    findings.append(Finding("language", bool(lang), f"/Lang {lang}" if lang else "no /Lang"))
    title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
    shown = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
    findings.append(Finding("title", bool(title) and shown,
                            f"{title!r}, shown as the window title" if title and shown
                            else "title missing or not shown as the window title"))
    tree = root.get("/StructTreeRoot")
    marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
    findings.append(Finding("tagging", tree is not None and marked,
                            "tagged (structure tree, marked content)" if tree is not None
                            and marked else "not tagged"))
    if tree is not None:
        elements = list(structure_elements(tree))
        figures = [e for e in elements if e.get("/S") == "/Figure"]
        without_alt = sum("/Alt" not in figure for figure in figures)
        findings.append(_orphans(pdf, tree))
        findings.append(Finding("figures", without_alt == 0,
                                f"{len(figures)} figures, all with alternative text" if not
                                without_alt else f"{without_alt} of {len(figures)} figures "
                                "without alternative text"))
        findings.append(_headings([str(e.S) for e in elements if e.get("/S") in HEADINGS]))
    return findings


def _headings(tags: list[str]) -> Finding:
    """PDF/UA: numbered headings start at H1 and never skip a level on the way down."""
    levels = [int(tag[2]) for tag in tags]
    if not levels:
        return Finding("headings", True, "no headings")
    if levels[0] != 1:
        return Finding("headings", False, f"the first heading is {tags[0][1:]}, not H1")
    for before, level in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            return Finding("headings", False, f"H{before} is followed by H{level}")
    return Finding("headings", True, f"{len(levels)} headings from H1, no level skipped")


def _orphans(pdf, tree) -> Finding:
    """Content tagged with a structure element that no path from the root reaches."""
    import pikepdf

    reachable = reachable_elements(tree)
    nums = tree.get("/ParentTree", {}).get("/Nums", [])
    orphans = sum(1 for i in range(1, len(nums), 2) if isinstance(nums[i], pikepdf.Array)
                  for element in nums[i] if isinstance(element, pikepdf.Dictionary)
                  and element.objgen not in reachable)
    return Finding("structure", orphans == 0,
                   "every tagged content reachable; running heads are artifacts" if not
                   orphans else f"{orphans} tagged content items outside the structure tree "
                   "(running heads or page numbers not marked as artifacts)")


def preflight(path: str | Path, edition: str | None = None) -> tuple[str, list[Finding]]:
    """Run every check of the PDF's edition; return the edition and the findings."""
    import pikepdf

    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as error:
        return edition or "?", [Finding("file", False, f"cannot be read as a PDF: {error}")]
    with pdf:
        edition = edition or detect_edition(pdf)
        findings = [check_fonts(pdf), check_notdef(pdf), check_boxes(pdf, edition),
                    check_page_count(pdf, path, edition),
                    check_colours(pdf, edition), check_links(pdf, edition),
                    check_images(pdf, edition), *check_accessibility(pdf, edition)]
    return edition, [f for f in findings if f is not None]


def summary(findings: list[Finding]) -> dict:
    return {"ok": all(f.ok for f in findings), "checks": [asdict(f) for f in findings]}
