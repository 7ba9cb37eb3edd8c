"""Impose: the print booklet as A5 pages, two up on A4 landscape, in saddle-stitch order.

A member group prints the result duplex (flip on the short edge) on an office
printer, folds the stack in the middle and has the booklet in reading order.
A booklet that reads right to left (/ViewerPreferences /Direction /R2L, which
finish.py writes) is bound on the right: every sheet side is mirrored.
"""

from __future__ import annotations

from pathlib import Path

A4_LANDSCAPE = (841.8898, 595.2756)  # points


def saddle_stitch_order(pages: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """Pairs of page numbers (left, right), one pair per sheet side, 1-based.

    For 8 pages: (8, 1), (2, 7), (6, 3), (4, 5): sheet 1 front and back, then sheet 2.
    Bound on the right: (1, 8), (7, 2), (3, 6), (5, 4).
    """
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))      # front
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))  # back
    return [(right, left) for left, right in sides] if right_to_left else sides


def impose_booklet(source: Path, target: str | Path) -> None:
    """Write ``target``: the pages of ``source`` (trimmed) imposed two up."""
    import pikepdf

    with pikepdf.open(source) as booklet, pikepdf.new() as imposed:
        # Show each page at its trim size: bleed and crop marks are for the press.
        for page in booklet.pages:
            if "/TrimBox" in page.obj:
                page.obj.MediaBox = page.obj.TrimBox
                for box in ("/CropBox", "/BleedBox", "/ArtBox"):
                    if box in page.obj:
                        del page.obj[box]
        width, height = A4_LANDSCAPE
        half = width / 2
        direction = booklet.Root.get("/ViewerPreferences", {}).get("/Direction")
        for left, right in saddle_stitch_order(len(booklet.pages), direction == "/R2L"):
            sheet = imposed.add_blank_page(page_size=A4_LANDSCAPE)
            for number, x in ((left, 0), (right, half)):
                sheet.add_overlay(booklet.pages[number - 1],
                                  pikepdf.Rectangle(x, 0, x + half, height))
        imposed.docinfo["/Title"] = str(booklet.docinfo.get("/Title", "booklet")) + " (imposed)"
        imposed.save(target, deterministic_id=True)
