"""Write: lay out one task's document, then write, finish and preflight its outputs."""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import time

from ..check.preflight import preflight, summary
from ..content import inline
from ..content.load import Content
from ..content.locales import parse_locale
from ..files import write_atomically
from ..paths import ProjectPaths
from ..render import fonts
from ..render.bidi import text_direction
from ..render.finish import finish
from ..render.impose import impose_booklet
from ..render.languages import marked_languages
from ..render.links import link_texts
from .inputs import file_digest
from .plan import Output, Task, render_html
from .report import journal


def screen_tags(pages, language: str) -> dict:
    """What the screen edition's tags need from the layout: link texts and languages."""
    return {"links": link_texts(pages), "languages": marked_languages(pages, language)}


class Writer:
    """Lays out, finishes, writes and preflights one output; imports WeasyPrint when first used."""

    def __init__(self, project: ProjectPaths, content: Content, palettes: dict, impose: bool):
        self.project = project
        self.palettes = palettes
        self.typefaces = fonts.stylesheet(content.publication.typefaces,
                                          content.publication.languages)
        self.isbn = content.publication.data.get("isbn") or {}
        source = content.languages[content.publication.source_language]
        self.title = inline.plain(str(source.parts["front"].data["cover"]["title"]))
        self.language_names = {code: parse_locale(code).get_display_name("en")
                               for code in content.languages}
        self.directions = {code: text_direction(parse_locale(
            content.publication.locale_code(code))) for code in content.languages}
        self.impose_print = impose
        self.current: Output | None = None
        self._pdfs: dict = {}

    def pdf(self, edition: str):
        """The renderer of one edition, made when first needed and kept for the
        documents that follow in this process: its fonts stay loaded (a new one
        costs about as much as laying out a short factsheet). A PDF's bytes do not
        depend on what the renderer laid out before (tests/test_one_layout.py)."""
        if edition not in self._pdfs:
            from ..render.pdf import PdfRenderer  # imports WeasyPrint: only when PDFs are made

            self._pdfs[edition] = PdfRenderer(self.project, edition, self.palettes[edition],
                                              self.typefaces)
        return self._pdfs[edition]

    def write(self, task: Task, pages_hint: int | None = None, rendered=None) -> dict:
        """Lay out one task's document, then write, finish and preflight its outputs.

        Returns ``pages`` (the document's page count) and ``entries`` (the report
        entry of each output written). For the print booklet, ``pages_hint`` is
        its page count without notes pages (the screen booklet's: the editions
        paginate alike), so that the notes pages can be added in the first
        layout instead of a second one. ``rendered`` is the task's document laid
        out already (by copyfitting), or None.
        """
        output, html = task.output, task.html
        pdf = self.pdf(output.edition)
        shown = self.project.shown(output.path)
        start = time.perf_counter()
        notes = 0
        if rendered is None:
            if output.is_print_booklet and pages_hint:
                notes = -pages_hint % 4
                html = render_html(task.renderer, output, notes_pages=notes)
            rendered = pdf.render(html, shown)
            if output.is_print_booklet and rendered.pages % 4:
                # Saddle stitching needs a multiple of four pages: notes pages before the back.
                notes = -(rendered.pages - notes) % 4
                html = render_html(task.renderer, output, notes_pages=notes)
                rendered = pdf.render(html, shown)
        layout = time.perf_counter() - start
        document = (rendered.booklet() if output.kind == "booklet"
                    else rendered.factsheet(output.factsheet.id))
        entries = [self._write(pdf, output, document, html, task.inputs,
                               rendered.notes_away(), rendered.bad_breaks())]
        for copy in task.copies:
            sheet = copy.output.factsheet.id
            document = rendered.factsheet(sheet, copy.html)
            entries.append(self._write(pdf, copy.output, document, copy.html, copy.inputs,
                                       rendered.notes_away(sheet), rendered.bad_breaks(sheet)))
        # The layout's time and warnings go with the first output made from it.
        entries[0]["seconds"]["layout"] = layout
        entries[0]["warnings"][:0] = rendered.warnings
        return {"pages": rendered.pages - notes, "entries": entries}

    def _write(self, pdf, output: Output, document, html: str, inputs: str,
               notes_away: list[str], bad_breaks: list[str]) -> dict:
        """Write, finish and preflight one output; return its report entry.

        ``notes_away`` are the footnotes not printed on the page of their call,
        ``bad_breaks`` the widows, orphans and headings at the foot of a page:
        warnings, which the proof flags.
        """
        self.current = output  # named if this fails: a task makes several outputs
        start = time.perf_counter()
        shown = self.project.shown(output.path)
        # Identifiers come from the output's own HTML: a factsheet copied from the
        # booklet gets the same bytes as the same factsheet laid out alone.
        fingerprint = hashlib.sha256(html.encode("utf-8")).hexdigest()
        isbn = self.isbn.get("print" if output.edition == "print" else "ebook")
        warnings = pdf.write(
            document, output.path, shown,
            finish=functools.partial(finish, edition=output.edition, kind=output.kind,
                                     fingerprint=fingerprint, isbn=isbn,
                                     direction=self.directions[output.language],
                                     job=self.job(output, fingerprint),
                                     **(screen_tags(document.pages, output.language)
                                        if output.edition == "screen" else {})))
        done = time.perf_counter()
        entry = {
            "path": shown,
            "language": output.language,
            "edition": output.edition,
            "kind": output.kind,
            "factsheet": output.factsheet.id if output.factsheet else None,
            "pages": len(document.pages),
            "bytes": output.path.stat().st_size,
            "sha256": file_digest(output.path),
            "warnings": warnings + [f"footnote away from its call: {note}"
                                    for note in notes_away]
                        + [f"bad break: {where}" for where in bad_breaks],
            "inputs": inputs,
        }
        _, findings = preflight(output.path, output.edition)
        entry["preflight"] = summary(findings)
        if self.impose_print and output.is_print_booklet:
            entry["imposed"] = self.impose(output)
        journal(self.project, entry)  # recorded at once: an interrupted build resumes from here
        entry["seconds"] = {"layout": 0.0, "write": done - start,
                            "preflight": time.perf_counter() - done}
        entry["label"] = output.label
        return entry

    def job(self, output: Output, fingerprint: str) -> str:
        """The print slug's job information: what, which language and edition, which file, when.

        The date is the build's SOURCE_DATE_EPOCH (the publication date unless
        set otherwise), so that a rebuild from the same inputs gives the same bytes.
        """
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
        date = datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()
        return (f"{self.title} · {self.language_names[output.language]} ({output.language}) · "
                f"{output.edition} edition · {output.path.name} · {date.isoformat()} · "
                f"{fingerprint[:12]}")

    def impose(self, output: Output) -> str:
        imposed = output.path.with_name("booklet-imposed.pdf")
        write_atomically(imposed, functools.partial(impose_booklet, output.path))
        return self.project.shown(imposed)
