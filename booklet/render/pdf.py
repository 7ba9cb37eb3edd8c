"""Render PDF: lay out HTML with WeasyPrint and write the PDF atomically.

WeasyPrint is imported here only, when a PDF is really made, so loading and
checking stay fast. It fetches files through ProjectFetcher, which serves
nothing but regular files inside the project's and the theme's asset folders.
"""

from __future__ import annotations

import contextlib
import copy as _copy
import logging
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..content.typefaces import theme_defaults
from ..errors import BookletError
from ..files import write_atomically
from ..paths import ProjectPaths
from . import breaks, counters, fit, fonts, footnotes, hyphenation, palette, stylesheets, textlayer
from .palette import PLACEHOLDER

MAX_ASSET_BYTES = 5_000_000
#: What each edition asks of WeasyPrint. PDF/X-4 (print): what print shops' preflight
#: profiles ask for today, with live transparency and a CMYK output intent. PDF/UA-1
#: (screen): tagged for screen readers.
EDITION_OPTIONS = {
    "print": {"pdf_variant": "pdf/x-4"},
    "screen": {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
}


class RefusedURL(BookletError):
    """A document asked for something outside the project's asset folders."""


def warm_up() -> None:
    """Import WeasyPrint and lay out a line, so that processes forked later start warm.

    The import takes about a second and the first layout sets up fontconfig
    and Pango: a long-running process (the preview server) does both once,
    and the workers of each of its builds inherit them.
    """
    from weasyprint import HTML

    HTML(string="<p>booklet</p>").render()


def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Refused(FatalURLFetchingError):
        pass

    class ProjectFetcher(URLFetcher):
        """Serves regular files under the asset folders, and refuses everything else.

        ``layered`` lays the project's folders over the theme's (ProjectPaths.layered):
        a stylesheet's ``url()`` finds the project's figure if it has one, else the theme's.
        """

        def __init__(self, folders: tuple[Path, ...], colours: dict | None = None,
                     layered=None):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False,
                             fail_on_errors=True)
            self.folders = tuple(folder.resolve() for folder in folders)
            self.colours = colours or {}
            self.layered = layered or (lambda path: path)
            self.refused: list[str] = []

        def refuse(self, url: str, why: str):
            self.refused.append(f"{url[:200]}: {why}")
            raise Refused(f"refused to fetch {url[:200]}: {why}")

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                self.refuse(url, f"only files in {', '.join(f.name + '/' for f in self.folders)}"
                            " may be used")
            if parts.netloc not in ("", "localhost"):
                self.refuse(url, "remote file")
            path = Path(unquote(parts.path))
            if ".." in path.parts:
                self.refuse(url, "'..' is not allowed in paths")
            # Checked before and after the override: both must stay inside.
            real = path.resolve()
            if not any(real.is_relative_to(folder) for folder in self.folders):
                self.refuse(url, "outside the project's asset folders")
            real = self.layered(real).resolve()
            if not any(real.is_relative_to(folder) for folder in self.folders):
                self.refuse(url, "outside the project's asset folders")
            try:
                info = real.stat()
            except OSError:
                self.refuse(url, "file does not exist")
            if not stat.S_ISREG(info.st_mode):
                self.refuse(url, "not a regular file")
            if info.st_size > MAX_ASSET_BYTES:
                self.refuse(url, f"larger than {MAX_ASSET_BYTES:,} bytes")
            body = real.read_bytes()
            if real.suffix == ".svg":  # figures name palette colours: fill them in
                body = PLACEHOLDER.sub(
                    lambda m: self.colours.get(m.group(1), "black"),
                    body.decode("utf-8")).encode("utf-8")
            return URLFetcherResponse(real.as_uri(), body)

    return ProjectFetcher


#: Margin boxes that only one kind of output shows (pages.css says why): the
#: booklet's page numbers, and a factsheet's own footer.
BOOKLET_FURNITURE = frozenset({"@bottom-left-corner", "@bottom-right-corner"})
FACTSHEET_FURNITURE = frozenset({"@bottom-left", "@bottom-right"})


@dataclass
class Rendered:
    """A laid-out document, ready to write: as a booklet, or as one of its factsheets."""

    document: object
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def measure(self, part_id: str) -> fit.Measure:
        """How one part came out (the element with that id, to its "-end" marker: a
        factsheet's "fs-csam", the foreword's "foreword"): its pages, the fill of its
        last, notes away, gaps, bad breaks and hyphenation."""
        return _measure(self.document.pages, part_id)

    def notes_away(self, sheet_id: str | None = None) -> list[str]:
        """Footnotes away from their call, in the whole document or one factsheet's pages."""
        pages = self.document.pages
        return notes_away(pages if sheet_id is None else _sheet_pages(pages, sheet_id))

    def bad_breaks(self, sheet_id: str | None = None) -> list[str]:
        """Widows, orphans and headings at the foot of a page, in the whole document or
        one factsheet's pages."""
        pages = self.document.pages
        return breaks.bad_breaks(pages if sheet_id is None else _sheet_pages(pages, sheet_id))

    def booklet(self):
        """The whole document, without the factsheets' own footers."""
        return self.document.copy(_without(self.document.pages, FACTSHEET_FURNITURE))

    def factsheet(self, sheet_id: str, html: str | None = None):
        """One factsheet's pages, without the booklet's page numbers.

        From a booklet's layout, ``html`` is the factsheet's own document: its
        title and description go into the PDF, as if it had been laid out alone.
        """
        pages = _sheet_pages(self.document.pages, sheet_id)
        copy = self.document.copy(_without(pages, BOOKLET_FURNITURE))
        if html is not None:
            from weasyprint import HTML
            from weasyprint.html import get_html_metadata
            from weasyprint.pdf.metadata import DocumentMetadata

            copy.metadata = DocumentMetadata(**get_html_metadata(
                HTML(string=html, url_fetcher=self.document.url_fetcher)))
        return copy


def notes_away(pages) -> list[str]:
    """Each footnote not printed on the page of its call, as "page 3: note 'Text…' …".

    Read from the laid-out boxes: a call knows its footnote's element, and a
    page's footnote area holds the footnotes printed on it.
    """
    def boxes(box):
        yield box
        for child in getattr(box, "children", None) or ():
            yield from boxes(child)

    printed = {}
    for number, page in enumerate(pages, 1):
        for child in page._page_box.children:
            if type(child).__name__ == "FootnoteAreaBox":
                for note in child.children:
                    printed.setdefault(note.element, number)
    away = []
    for number, page in enumerate(pages, 1):
        root = page._page_box.children[0]
        for box in boxes(root):
            note = getattr(box, "footnote", None)
            if note is None or printed.get(note.element) == number:
                continue
            text = breaks.element_text(note.element, 60)
            where = printed.get(note.element)
            away.append(f"page {number}: note '{text}' " +
                        (f"printed on page {where}" if where else "printed nowhere"))
    return away


def _sheet_pages(pages, sheet_id: str) -> list:
    """A factsheet's pages: from its start to its end marker."""
    return _part_pages(pages, f"fs-{sheet_id}")


def _part_pages(pages, part_id: str) -> list:
    """The pages of the element with ``part_id``, to its end marker."""
    return pages[_page_with(pages, part_id):_page_with(pages, f"{part_id}-end") + 1]


def _page_with(pages, anchor: str) -> int:
    for index, page in enumerate(pages):
        if anchor in page.anchors:
            return index
    raise ValueError(f"no page has the anchor #{anchor}")


def _without(pages, margin_boxes: frozenset) -> list:
    """Copies of the pages without some of their margin boxes.

    WeasyPrint 70 has no public way to do this: the page's box tree is
    ``Page._page_box`` (the version is pinned; tests compare a factsheet copied
    from the booklet with the same factsheet laid out alone, byte for byte).
    """
    kept = []
    for page in pages:
        box = page._page_box
        copy = _copy.copy(page)
        copy._page_box = box.copy_with_children(
            [child for child in box.children
             if getattr(child, "at_keyword", None) not in margin_boxes])
        kept.append(copy)
    return kept


def _measure(pages, part_id: str) -> fit.Measure:
    sheet = _part_pages(pages, part_id)
    box = sheet[-1]._page_box
    _, end, _, _ = sheet[-1].anchors[f"{part_id}-end"]
    filled = (end - box.content_box_y()) / box.height
    gap = max((breaks.foot_gap(page) for page in sheet[:-1]), default=0.0)
    return fit.Measure(len(sheet), min(1.0, max(0.0, filled)), len(notes_away(sheet)), gap,
                       len(breaks.bad_breaks(sheet)), frozenset(hyphenation.faults(sheet)))


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class PdfRenderer:
    """Lays out HTML documents of one project in one edition, sharing fonts and stylesheets.

    ``typefaces`` is the stylesheet fonts.stylesheet() makes for the publication's
    languages (without it, every language is set in the theme's fallback fonts).
    """

    def __init__(self, project: ProjectPaths, edition: str = "screen",
                 colours: palette.Palette | None = None, typefaces: str | None = None):
        from weasyprint.text.fonts import FontConfiguration

        footnotes.install()
        counters.install()
        textlayer.install()
        self.project = project
        self.edition = edition
        self.palette = colours or palette.load(project, edition)
        self.fetcher = _fetcher_class()(project.asset_folders, self.palette.colours,
                                        project.layered)
        # Fonts are the only state a layout leaves behind that changes the next
        # document's bytes: each renderer has its own, and shares the parsed styles.
        self.fonts = FontConfiguration()
        sources = stylesheets.sources(project, edition, self.palette,
                                      typefaces or fonts.stylesheet(theme_defaults(), ()))
        parsed = stylesheets.parsed(sources, self.fetcher, self.fonts)
        self.stylesheets = parsed.stylesheets
        self.rtl_stylesheets = parsed.rtl_stylesheets
        self.color_profiles = parsed.color_profiles

    def render(self, html: str, name: str) -> Rendered:
        from weasyprint import HTML

        with _collecting() as collect:
            try:
                source = HTML(string=html, url_fetcher=self.fetcher)
                rtl = source.etree_element.get("dir") == "rtl"
                document = source.render(
                    stylesheets=self.rtl_stylesheets if rtl else self.stylesheets,
                    font_config=self.fonts,
                    color_profiles=self.color_profiles, **EDITION_OPTIONS[self.edition])
            except BaseException:
                self._raise_if_refused(name)
                raise
        # Some refusals (images inside SVG) are caught and logged by WeasyPrint itself.
        self._raise_if_refused(name)
        return Rendered(document, collect.messages)

    def _raise_if_refused(self, name: str) -> None:
        if self.fetcher.refused:
            refused = self.fetcher.refused[:]
            self.fetcher.refused.clear()
            raise RefusedURL(f"{name}: refused to fetch " + "; ".join(refused))

    def write(self, document, path: Path, name: str, finish=None) -> list[str]:
        """Write a laid-out document as a PDF (then ``finish`` it); return the warnings.

        Refuses to keep a PDF with a missing glyph.
        """
        warnings = []

        def write(target):
            with _collecting() as collect:
                # When finishing follows, pikepdf compresses the streams as it saves,
                # in C: much faster than WeasyPrint's Python-side compression at level 9
                # (the print edition's output intent alone is 430 KB, in every PDF).
                document.write_pdf(target, uncompressed_pdf=finish is not None,
                                   **EDITION_OPTIONS[self.edition])
            self._raise_if_refused(name)
            missing = [m for m in collect.messages if ".notdef" in m]
            if missing:
                raise MissingGlyph(f"{name}: {len(missing)} character(s) printed as .notdef "
                                   f"(no font has them): {'; '.join(sorted(set(missing))[:5])}")
            warnings.extend(collect.messages)
            if finish is not None:
                finish(target)
        write_atomically(path, write)
        return warnings


class MissingGlyph(BookletError):
    """A PDF would show a .notdef box where a character should be."""


@contextlib.contextmanager
def _collecting():
    """Collect WeasyPrint's warnings instead of printing them."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collect
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
