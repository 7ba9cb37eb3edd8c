"""Build: load → check → render HTML → render PDF → write, for every output.

Everything is loaded and checked before anything is written; each PDF and the
report are written atomically, so a failed build leaves earlier outputs intact.
"""

from __future__ import annotations

import calendar
import concurrent.futures
import contextlib
import fcntl
import functools
import hashlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from babel import Locale

from . import palette
from .check import check, check_fonts
from .errors import BookletError, Problems
from .files import write_atomically
from .finish import finish
from .fonts import files as font_files
from .html import Renderer, environment, factsheet_markup
from .impose import impose_booklet
from .inputs import (
    Hasher,
    common_inputs,
    file_digest,
    font_stats,
    group_fingerprint,
    output_fingerprint,
)
from .load import Content, FactsheetSpec, load, load_publication
from .localization import check_catalogue, load_catalogue, template_ids, translations_from
from .preflight import preflight, summary
from .project import Project
from .report import Report, group_key, journal
from .status import budget_sentence, status

EDITIONS = ("print", "screen")


def load_and_check(project: Project, languages: list[str], problems: Problems,
                   strict: bool = False) -> Content:
    content = load(project, problems, languages)
    if content is not None:
        check(content, problems)
        content.catalogues = load_catalogues(project, content, problems)
        check_fonts(content, problems)
    check_templates(project, problems)
    problems.raise_if_errors(strict)
    return content


def load_catalogues(project: Project, content: Content, problems: Problems) -> dict:
    """Each loaded language's interface catalogue, checked against the template."""
    wanted = template_ids(project, problems)
    catalogues = {}
    for code in content.languages:
        catalogue = load_catalogue(project, code, problems)
        if catalogue is not None:
            check_catalogue(project, code, catalogue, wanted, problems)
            catalogues[code] = catalogue
    return catalogues


@dataclass(frozen=True)
class Output:
    """One PDF to make: which edition and language, which document, where it goes."""

    edition: str
    language: str
    kind: str  # "booklet" or "factsheet"
    path: Path
    factsheet: FactsheetSpec | None = None

    @property
    def label(self) -> str:
        return f"{self.edition} {self.language} {self.path.name}"

    @property
    def is_print_booklet(self) -> bool:
        """Saddle-stitched: padded with notes pages, and the one output --impose imposes."""
        return self.edition == "print" and self.kind == "booklet"


def plan(content: Content, languages: list[str], edition: str) -> list[Output]:
    """Every output of one edition, in order."""
    outputs = []
    for code in languages:
        folder = content.project.build / edition / code
        outputs.append(Output(edition, code, "booklet", folder / "booklet.pdf"))
        for sheet in content.publication.factsheets():
            if sheet.id in content.languages[code].factsheets:
                outputs.append(Output(edition, code, "factsheet", folder / "factsheets" /
                                      sheet.output_name(), sheet))
    return outputs


def renderer_for(project: Project, content: Content, code: str,
                 colours: palette.Palette) -> Renderer:
    """The HTML renderer of one language, in one edition's colours."""
    translations = translations_from(content.catalogues.get(code))
    return Renderer(content, content.languages[code], environment(project, translations),
                    translations, colours.colours)


def render_html(renderer: Renderer, output: Output, notes_pages: int = 0) -> str:
    try:
        if output.kind == "booklet":
            return renderer.booklet(notes_pages=notes_pages)
        return renderer.factsheet(output.factsheet)
    except jinja2.TemplateError as error:
        raise template_error(renderer.content.project, error) from None


def template_error(project: Project, error: Exception) -> BookletError:
    """A template problem as an input error naming the template file and line."""
    place = None
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = (error.filename, error.lineno)
    else:  # Jinja rewrites tracebacks so that template frames show template lines
        for frame, line in traceback.walk_tb(error.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith(".j2"):
                place = (name, line)
    where = f"{project.shown(Path(place[0]))}:{place[1]}: " if place else ""
    message = getattr(error, "message", None) or str(error)
    return BookletError(f"{where}template error: {message}")


def check_templates(project: Project, problems: Problems) -> None:
    """Compile every template, so `booklet check` reports template errors too."""
    env = environment(project)
    for path in sorted(project.templates.glob("*.j2")):
        try:
            env.get_template(path.name)
        except jinja2.TemplateSyntaxError as error:
            problems.add(f"template error: {error.message}", project.shown(path), error.lineno)


def _fix_dates(content: Content) -> None:
    """Fonts subset with a timestamp: tie it to the publication date, for identical builds."""
    epoch = calendar.timegm(content.publication.date.timetuple())
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))


@contextlib.contextmanager
def build_lock(project: Project):
    """One build at a time per project: a second one stops with a clear message."""
    project.build.mkdir(parents=True, exist_ok=True)
    path = project.build / ".lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BookletError(f"another build is running in this project ({holder}); "
                               f"wait for it to finish, or remove {project.shown(path)} "
                               "if no build is running") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        # A build that was killed outright (no chance to clean up) may have left
        # temporary files; no other build is running, so they can go.
        for stale in project.build.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(project: Project, languages: list[str] | None = None, strict: bool = False,
          progress: Callable[[str], None] | None = None,
          editions: tuple[str, ...] = EDITIONS, impose: bool = False,
          force: bool = False, jobs: int | None = None) -> dict:
    """Build the outputs of the given languages and editions whose inputs changed.

    Returns a summary: ``outputs`` (the report entry of every output asked for),
    ``rendered`` (the paths laid out this time) and ``overruns`` (page budgets).
    """
    with build_lock(project):
        return _build(project, languages or [], strict, progress, editions, impose, force,
                      jobs or os.cpu_count() or 1)


def _build(project: Project, languages: list[str], strict: bool,
           progress: Callable[[str], None] | None, editions: tuple[str, ...],
           impose: bool, force: bool, jobs: int) -> dict:
    say = progress or (lambda message: None)
    report = Report(project)
    hasher = Hasher()
    problems = Problems()
    publication = load_publication(project, problems)
    common = common_inputs(project, hasher)
    options = {"impose": impose}

    def tree(edition, code, source_language, fonts):
        return group_fingerprint(project, hasher, edition, code, source_language,
                                 font_stats(fonts), options, common)

    todo: list[tuple[str, str]] = []
    if publication is not None and not problems.errors:
        codes = languages or publication.languages
        groups = [(edition, code) for edition in editions for code in codes]
        todo = [(e, c) for e, c in groups
                if force
                or (strict and report.groups.get(group_key(e, c), {}).get("warnings"))
                or not report.group_is_current(e, c, tree(e, c, publication.source_language,
                                                          report.group_fonts(e, c)))]
        if not todo and all(c in publication.languages for c in codes):
            return _verdict(_summary(report, groups, []), strict)
    # Something changed (or the publication itself has problems: load reports them).
    content = load_and_check(project, list(dict.fromkeys(c for _, c in todo)) or languages,
                             problems, strict=strict)
    codes = languages or content.publication.languages
    groups = [(edition, code) for edition in editions for code in codes]
    report.warnings = [str(p) for p in problems.warnings]
    statuses = {s.code: s for s in status(content, template_ids(project, Problems()))}

    # Render all HTML first: a template error stops the build before any PDF is touched.
    palettes = {edition: palette.load(project, edition) for edition in editions}
    renderers = {}
    documents = {}
    for edition, code in todo:
        renderers[edition, code] = renderer_for(project, content, code, palettes[edition])
        documents[edition, code] = [(output, render_html(renderers[edition, code], output))
                                    for output in plan(content, [code], edition)]

    _fix_dates(content)
    # Which outputs need writing: those whose HTML or layout inputs changed.
    work, plans = [], {}
    fonts = {code: font_files(code) for code in dict.fromkeys(c for _, c in todo)}
    for edition, code in todo:
        stats = font_stats(fonts[code])
        planned = [(output, html, output_fingerprint(html, edition, common, stats))
                   for output, html in documents[edition, code]]
        plans[edition, code] = [(o, project.shown(o.path), i) for o, _, i in planned]
        needed = {o.path for o, _, inputs in planned
                  if force or not report.is_current(project.shown(o.path), inputs)}
        work.extend(layouts(renderers[edition, code], planned, needed))
    for edition, code in todo:
        # Until all its outputs are recorded, a group is not up to date, whatever its inputs.
        report.start_group(edition, code)
    report.write()
    timings = {"layout": 0.0, "write": 0.0, "preflight": 0.0}
    rendered = []  # the paths written this time
    total = sum(task.write + len(task.copies) for task in work)
    try:
        for number, entry in enumerate(
                render_all(project, content, palettes, impose, work, jobs,
                           booklet_pages(report, codes)), 1):
            say(f"[{number}/{total}] {entry.pop('label')}")
            for step, seconds in entry.pop("seconds").items():
                timings[step] += seconds
            rendered.append(entry["path"])
            report.record(entry)
    except BaseException:
        report.write()
        raise
    writer = Writer(project, content, palettes, impose)
    for edition, code in todo:
        paths = []
        for output, shown, inputs in plans[edition, code]:
            paths.append(shown)
            entry = dict(report.outputs[shown])
            if impose and "imposed" not in entry and output.is_print_booklet:
                entry["imposed"] = writer.impose(output)
            entry.update(inputs=inputs, **translation_notes(statuses.get(code), output))
            report.outputs[shown] = entry
        group_warnings = [w for w in report.warnings if f"content/{code}/" in w
                          or f"locales/{code}/" in w]
        report.finish_group(edition, code, tree(edition, code,
                                                content.publication.source_language,
                                                fonts[code]), fonts[code], paths)
        report.groups[group_key(edition, code)]["warnings"] = len(group_warnings)
    report.last_build = {"rendered": len(rendered), "layouts": len(work), "jobs": jobs,
                         "seconds": {k: round(v, 2) for k, v in timings.items()}}
    apply_budgets(report, content.publication.source_language)
    report.write()
    return _verdict(_summary(report, groups, rendered), strict)


def _verdict(result: dict, strict: bool) -> dict:
    """Fail on outputs that did not pass preflight, and with --strict on page budgets."""
    failed = [o["path"] for o in result["outputs"] if not o["preflight"]["ok"]]
    if failed:
        raise BookletError(f"preflight failed for {len(failed)} output(s): {', '.join(failed)} "
                           "(see build/report.json, or run booklet preflight on them)")
    if strict and result["overruns"]:
        raise BookletError(f"{len(result['overruns'])} translation(s) over their page budget "
                           "(--strict): " + "; ".join(result["overruns"]))
    return result


def _summary(report: Report, groups, rendered: list[str]) -> dict:
    outputs = [entry for edition, code in groups for entry in report.group_outputs(edition, code)]
    overruns = sorted({a.removeprefix(OVER_BUDGET) for o in outputs
                       for a in o.get("attention", []) if a.startswith(OVER_BUDGET)})
    return {"outputs": outputs, "rendered": rendered, "overruns": overruns}


class Writer:
    """Lays out, finishes, writes and preflights one output; imports WeasyPrint when first used."""

    def __init__(self, project: Project, content: Content, palettes: dict, impose: bool):
        self.project = project
        self.palettes = palettes
        self.isbn = content.publication.data["isbn"]
        self.impose_print = impose
        self.current: Output | None = None

    def pdf(self, edition: str):
        """A renderer for one document.

        Not shared between documents: WeasyPrint's font and stylesheet state
        carries over from one document to the next and changes the bytes of the
        next PDF, which must depend on its own inputs only (whatever else the
        worker made before it, and whatever --jobs is). A new one costs ~0.1 s.
        """
        from .pdf import PdfRenderer  # imports WeasyPrint: only when PDFs are really made

        return PdfRenderer(self.project, edition, self.palettes[edition])

    def write(self, task: Task, pages_hint: int | None = None) -> dict:
        """Lay out one task's document, then write, finish and preflight its outputs.

        Returns ``pages`` (the document's page count) and ``entries`` (the report
        entry of each output written). For the print booklet, ``pages_hint`` is
        its page count without notes pages (the screen booklet's: the editions
        paginate alike), so that the notes pages can be added in the first
        layout instead of a second one.
        """
        output, html = task.output, task.html
        pdf = self.pdf(output.edition)
        shown = self.project.shown(output.path)
        start = time.perf_counter()
        notes = 0
        if output.is_print_booklet and pages_hint:
            notes = -pages_hint % 4
            html = render_html(task.renderer, output, notes_pages=notes)
        rendered = pdf.render(html, shown)
        if output.is_print_booklet and task.write and rendered.pages % 4:
            # Saddle stitching needs a multiple of four pages: notes pages before the back.
            notes = -(rendered.pages - notes) % 4
            html = render_html(task.renderer, output, notes_pages=notes)
            rendered = pdf.render(html, shown)
        layout = time.perf_counter() - start
        entries = []
        if task.write:
            document = (rendered.booklet() if output.kind == "booklet"
                        else rendered.factsheet(output.factsheet.id))
            entries.append(self._write(pdf, output, document, html, task.inputs))
        for copy in task.copies:
            document = rendered.factsheet(copy.output.factsheet.id, copy.html)
            entries.append(self._write(pdf, copy.output, document, copy.html, copy.inputs))
        # The layout's time and warnings go with the first output made from it.
        entries[0]["seconds"]["layout"] = layout
        entries[0]["warnings"][:0] = rendered.warnings
        return {"pages": rendered.pages - notes, "entries": entries}

    def _write(self, pdf, output: Output, document, html: str, inputs: str) -> dict:
        """Write, finish and preflight one output; return its report entry."""
        self.current = output  # named if this fails: a task makes several outputs
        start = time.perf_counter()
        shown = self.project.shown(output.path)
        # Identifiers come from the output's own HTML: a factsheet copied from the
        # booklet gets the same bytes as the same factsheet laid out alone.
        fingerprint = hashlib.sha256(html.encode("utf-8")).hexdigest()
        isbn = self.isbn["print"] if output.edition == "print" else self.isbn["ebook"]
        warnings = pdf.write(
            document, output.path, shown,
            finish=functools.partial(finish, edition=output.edition, kind=output.kind,
                                     fingerprint=fingerprint, isbn=isbn))
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
            "warnings": warnings,
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

    def impose(self, output: Output) -> str:
        imposed = output.path.with_name("booklet-imposed.pdf")
        write_atomically(imposed, functools.partial(impose_booklet, output.path))
        return self.project.shown(imposed)


def booklet_pages(report: Report, codes: list[str]) -> dict[str, int]:
    """Each language's screen booklet page count, as the last build recorded it."""
    pages = {}
    for code in codes:
        entry = report.outputs.get(f"build/screen/{code}/booklet.pdf")
        if entry and isinstance(entry.get("pages"), int):
            pages[code] = entry["pages"]
    return pages


@dataclass
class Copy:
    """A factsheet written from the booklet's layout: its markup alone is the same."""

    output: Output
    html: str  # its own document: its title and identifiers come from it
    inputs: str


@dataclass
class Task:
    """One layout, and the outputs written from it.

    A booklet's layout also makes the factsheets whose markup is the same alone
    (``copies``); it is written itself only if it changed (``write``).
    """

    output: Output
    html: str
    renderer: Renderer
    inputs: str
    write: bool = True
    copies: list[Copy] = field(default_factory=list)


def layouts(renderer: Renderer, planned: list[tuple[Output, str, str]],
            needed: set[Path]) -> list[Task]:
    """The layouts that make the ``needed`` outputs of one language and edition.

    ``planned`` is the booklet then its factsheets, each with its HTML and
    inputs fingerprint. A factsheet comes from the booklet's layout unless it
    reads differently alone (a cross-reference to a factsheet says "see page N"
    in the booklet, and links to that factsheet's PDF alone): then it gets its own.
    """
    (booklet, booklet_html, booklet_inputs), *factsheets = planned
    copies, alone = [], []
    for output, html, inputs in factsheets:
        if output.path not in needed:
            continue
        markup = factsheet_markup(html, output.factsheet.id)
        if markup is not None and markup == factsheet_markup(booklet_html, output.factsheet.id):
            copies.append(Copy(output, html, inputs))
        else:
            alone.append(Task(output, html, renderer, inputs))
    if booklet.path not in needed and not copies:
        return alone
    return [Task(booklet, booklet_html, renderer, booklet_inputs,
                 write=booklet.path in needed, copies=copies)] + alone


#: The tasks of the build in progress, for worker processes forked from this one:
#: they inherit the loaded content and renderers instead of receiving them pickled.
_TASKS: list[Task] = []
_WRITER: Writer | None = None


def render_all(project: Project, content: Content, palettes: dict, impose: bool,
               tasks: list[Task], jobs: int, pages_hints: dict[str, int]):
    """Lay out and write every task, ``jobs`` at a time; yield each output's entry when done.

    Each worker imports WeasyPrint itself. A failure stops the build with the
    output it happened in; outputs finished before it are kept and recorded.
    A print booklet takes its page count (without notes pages) from the last
    build's screen booklet (``pages_hints``), or else waits for this build's:
    it tells how many notes pages to add in its one layout.
    """
    global _TASKS, _WRITER
    if not tasks:
        return
    _TASKS, _WRITER = tasks, Writer(project, content, palettes, impose)
    hints = dict(pages_hints)
    # Without a page count from the last build, wait for this build's screen booklet.
    screen_booklets = {t.output.language for t in tasks
                       if t.output.kind == "booklet" and t.output.edition == "screen"
                       and t.output.language not in hints}

    def waits(index):
        output = tasks[index].output
        return output.is_print_booklet and output.language in screen_booklets

    # The longest first, so that no worker is left with a booklet at the end.
    order = sorted(range(len(tasks)), key=lambda i: (tasks[i].output.kind != "booklet",
                                                     tasks[i].output.edition == "print"))
    ready = [i for i in order if not waits(i)]
    waiting = {tasks[i].output.language: i for i in order if waits(i)}

    def settle(task: Task, outcome: tuple[str, object]) -> list[dict]:
        """A finished task's entries; the print booklet it was holding back goes next."""
        result = _outcome(task, outcome)
        language = task.output.language
        if task.output.kind == "booklet" and task.output.edition == "screen" \
                and language in waiting:
            hints[language] = result["pages"]
            ready.insert(0, waiting.pop(language))
        return result["entries"]

    try:
        if jobs <= 1 or len(tasks) == 1:
            while ready:
                index = ready.pop(0)
                task = tasks[index]
                yield from settle(task, _render(index, hints.get(task.output.language)))
            return
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(min(jobs, len(tasks)),
                                                    mp_context=context) as pool:
            def submit(index):
                hint = hints.get(tasks[index].output.language)
                return pool.submit(_render, index, hint), tasks[index]

            # A few tasks in flight, not all: a print booklet released by its
            # screen booklet goes next, not behind every factsheet.
            in_flight = min(jobs, len(tasks)) + 1
            pending = {}

            def fill():
                while ready and len(pending) < in_flight:
                    future, task = submit(ready.pop(0))
                    pending[future] = task

            fill()
            try:
                while pending:
                    finished, _ = concurrent.futures.wait(
                        pending, return_when=concurrent.futures.FIRST_COMPLETED)
                    for future in finished:
                        task = pending.pop(future)
                        try:
                            entries = settle(task, future.result())
                        except concurrent.futures.process.BrokenProcessPool:
                            raise BookletError(
                                f"{project.shown(task.output.path)}: the process rendering it "
                                "stopped unexpectedly (out of memory?)") from None
                        fill()
                        yield from entries
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        _TASKS, _WRITER = [], None


def _render(index: int, pages_hint: int | None = None) -> tuple[str, object]:
    """In a worker: one task, with its failure returned as text (exceptions may not pickle)."""
    task = _TASKS[index]
    _WRITER.current = None
    try:
        return "ok", _WRITER.write(task, pages_hint)
    except BookletError as error:
        return "error", error.show().removeprefix("error: ")
    except Exception:
        made = _WRITER.current or task.output
        return "bug", f"while writing {made.label}:\n{traceback.format_exc()}"


def _outcome(task: Task, result: tuple[str, object]) -> dict:
    kind, value = result
    if kind == "ok":
        return value
    if kind == "error":
        raise BookletError(value)
    raise RuntimeError(f"while laying out {task.output.label}, {value}")


def translation_notes(language_status, output: Output) -> dict:
    """What an output holds in which translation state, and what needs attention."""
    if language_status is None:
        return {"translation": {}, "attention": []}
    if output.kind == "factsheet":
        wanted = {output.factsheet.id, output.factsheet.series}
        cells = [c for c in language_status.cells if c.part in wanted]
    else:
        cells = language_status.cells
    translation = {c.part: {"state": c.state, "reviewer": c.reviewer, "reviewed": c.reviewed}
                   for c in cells if c.state != "source"}
    attention = [state for state in ("missing", "fallback", "stale", "draft")
                 if any(c.state == state for c in cells)]
    return {"translation": translation, "attention": attention}


#: How an output over its page budget says so among its attention items.
OVER_BUDGET = "over budget: "


def apply_budgets(report: Report, source_language: str) -> None:
    """Mark each translated factsheet longer than the source one among its attention items."""
    source_name = Locale.parse(source_language).get_display_name("en")
    source_pages = {(o["edition"], o["factsheet"]): o["pages"] for o in report.outputs.values()
                    if o.get("kind") == "factsheet" and o.get("language") == source_language}
    for entry in report.outputs.values():
        attention = [a for a in entry.get("attention", []) if not a.startswith(OVER_BUDGET)]
        budget = source_pages.get((entry.get("edition"), entry.get("factsheet")))
        if entry.get("kind") == "factsheet" and entry.get("language") != source_language \
                and budget and entry.get("pages", 0) > budget:
            attention.append(OVER_BUDGET + budget_sentence(
                entry["language"], entry["factsheet"], entry["pages"], source_name, budget))
        entry["attention"] = attention
