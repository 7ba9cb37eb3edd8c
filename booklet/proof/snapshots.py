"""Page images of built PDFs, cached by the PDF's fingerprint, and visual diffs.

Each PDF is rendered once: ``cache/<sha256 of the PDF>/`` holds a large PNG and a
thumbnail of every page, and ``meta.json`` is written last, so a folder without it
(an interrupted proof) is rendered again. Each page is known by the hash of the
pixels of its printed area (the crop marks and slug around a print page name
the build), which is what the next proof compares.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageOps

from ..files import write_atomically

#: Width in pixels of the enlarged page and of the thumbnail (A4: 1000 × 1415).
LARGE_WIDTH = 1000
THUMB_WIDTH = 240
META = "meta.json"
#: What a page's hash is made from: images cached with hashes of anything else are made again.
HASHED = "bleed box"
PNG_COMPRESSION = 1
#: A pixel counts as changed when a channel differs by more than this: anti-aliasing
#: noise stays quiet, a changed glyph does not.
DIFF_THRESHOLD = 24
DIFF_INK, DIFF_PAPER = (200, 0, 0), (255, 205, 205)
#: How far around a changed pixel the highlight reaches (pixels, odd).
DIFF_MARGIN = 9


@dataclass(frozen=True)
class PageImage:
    number: int  # from 1
    hash: str  # sha256 of the printed area's pixels: pages that look the same have the same hash
    width: int  # of the large image
    height: int


@dataclass(frozen=True)
class Snapshot:
    """One PDF as images: where they are and what they show."""

    sha256: str
    title: str
    pages: tuple[PageImage, ...]
    rendered: bool  # False when taken from the cache

    def folder(self, cache: Path) -> Path:
        return cache / self.sha256


def large_name(number: int) -> str:
    return f"page-{number:03d}.png"


def thumb_name(number: int) -> str:
    return f"page-{number:03d}-thumb.png"


def snapshot(pdf: Path, cache: Path) -> Snapshot:
    """The PDF's page images, from the cache when this exact file was rendered before."""
    data = pdf.read_bytes()  # read once: fingerprint and render the same bytes
    sha = hashlib.sha256(data).hexdigest()
    cached = _cached(cache / sha)
    if cached is not None:
        return Snapshot(sha, cached["title"], cached["pages"], rendered=False)
    title, pages = _render(data, cache / sha)
    meta = {"title": title, "pages": [page.__dict__ for page in pages], "hashed": HASHED}
    _write_bytes(cache / sha / META, json.dumps(meta, indent=1).encode("utf-8"))
    return Snapshot(sha, title, pages, rendered=True)


def _cached(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        pages = tuple(PageImage(**page) for page in meta["pages"])
        title = str(meta["title"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("hashed") != HASHED:
        return None
    if not all((folder / large_name(p.number)).is_file() and
               (folder / thumb_name(p.number)).is_file() for p in pages):
        return None
    return {"title": title, "pages": pages}


def _render(data: bytes, folder: Path) -> tuple[str, tuple[PageImage, ...]]:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        title = document.get_metadata_dict().get("Title", "")
        pages = []
        for index in range(len(document)):
            page = document[index]
            width, _ = page.get_size()
            scale = LARGE_WIDTH / width
            image = page.render(scale=scale).to_pil().convert("RGB")
            printed = image.crop(_printed_area(page, scale))
            page.close()
            number = index + 1
            pixels = hashlib.sha256(f"{printed.size}".encode() + printed.tobytes()).hexdigest()
            _write_png(folder / large_name(number), image)
            thumb = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)),
                                 Image.Resampling.LANCZOS, reducing_gap=3.0)
            _write_png(folder / thumb_name(number), thumb)
            pages.append(PageImage(number, pixels, image.width, image.height))
    finally:
        document.close()
    return title, tuple(pages)


def _printed_area(page, scale: float) -> tuple[int, int, int, int]:
    """The bleed box, in pixels of the page's image: what is printed, trimmed or not.

    Outside it, the print edition's crop marks and slug carry the build's job
    information, which changes with any edit: it is shown, but a page whose
    printed area is the same is the same page.
    """
    left, _, _, top = page.get_cropbox()
    b_left, b_bottom, b_right, b_top = page.get_bleedbox()
    return (round((b_left - left) * scale), round((top - b_top) * scale),
            round((b_right - left) * scale), round((top - b_bottom) * scale))


def diff_image(old: Path, new: Path, target: Path) -> None:
    """Write the new page faded, with the parts that differ from the old one in red.

    Around each changed pixel the new page is shown in red on pink rather than
    painted over, so the changed words stay readable.
    """
    with Image.open(old) as before, Image.open(new) as after:
        before, after = before.convert("RGB"), after.convert("RGB")
    if before.size != after.size:
        before = before.resize(after.size)
    changed = ImageChops.difference(before, after).convert("L")
    mask = changed.point(lambda value: 255 if value > DIFF_THRESHOLD else 0)
    area = mask.filter(ImageFilter.MaxFilter(DIFF_MARGIN))
    faded = Image.blend(after, Image.new("RGB", after.size, "white"), 0.75)
    red = ImageOps.colorize(after.convert("L"), black=DIFF_INK, white=DIFF_PAPER)
    _write_png(target, Image.composite(red, faded, area))


def _write_png(path: Path, image: Image.Image) -> None:
    buffer = io.BytesIO()
    # The fastest compression: page images (white paper, flat colours) come out
    # about as small as with the default, in a third to a half less time.
    image.save(buffer, "PNG", compress_level=PNG_COMPRESSION)
    _write_bytes(path, buffer.getvalue())


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomically(path, lambda target: Path(target).write_bytes(data))
