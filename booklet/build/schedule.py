"""Schedule: fit, lay out and write every task, a few processes at a time."""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import traceback
from collections.abc import Callable

from ..content.load import Content
from ..errors import BookletError, environment_error
from ..paths import ProjectPaths
from . import workers
from .fit import Fitting, fit_language
from .plan import Fitted, Task, render_html
from .writer import Writer

#: The jobs of the build in progress, for worker processes forked from this one:
#: they inherit the loaded content and renderers instead of receiving them pickled.
_JOBS: list[Task | Fitting] = []
_WRITER: Writer | None = None
#: Where a fitting tells the build its levels, before it has written its screen edition.
_SETTLED = None
#: How often the build looks there while it waits for its workers.
POLL_SECONDS = 0.05


def render_all(project: ProjectPaths, content: Content, palettes: dict, impose: bool,
               tasks: list[Task], jobs: int, pages_hints: dict[str, int],
               fittings: list[Fitting] = (),
               fitted: Callable[[str, dict], None] = lambda language, result: None):
    """Fit, lay out and write everything, ``jobs`` at a time; yield each output's entry.

    The workers fork from this process once it has imported WeasyPrint. A failure
    stops the build with the output it happened in; outputs finished before it are
    kept and recorded.

    A language with factsheets to fit (``fittings``) is fitted first, in one
    job that also writes its screen edition (build/fit.py); ``fitted(language,
    result)`` hears of its choices, and its other tasks wait for them: they are
    rendered again at its levels. A print booklet takes its page count (without
    notes pages) from the screen booklet, the last build's (``pages_hints``) or
    else this build's: it tells how many notes pages to add in its one layout.

    Where the last build chose the language's copyfitting (a factsheet edited
    since), its print booklet does not wait: it starts at once, at those
    choices, in the worker the fitting leaves free, and is kept if this build's
    choices give it the same document; if not, it is made again once they are
    known (never while the first is still being written).
    """
    global _JOBS, _WRITER, _SETTLED
    if not tasks and not fittings:
        return
    _JOBS, _WRITER = [*fittings, *tasks], Writer(project, content, palettes, impose)
    hints = dict(pages_hints)
    levels: dict[str, Fitted] = {}  # the copyfitting of each language fitted in this build
    unfitted = {fitting.language for fitting in fittings}
    # Without a page count from the last build, wait for this build's screen booklet
    # (a language being fitted has it from its fitting).
    screen_booklets = {t.output.language for t in tasks
                       if t.output.kind == "booklet" and t.output.edition == "screen"
                       and t.output.language not in hints}

    guesses = {fitting.language: fitting.guess for fitting in fittings if fitting.guess}
    # Print booklets started at the last build's copyfitting: what came of each, and
    # whether it is kept (None until the language's levels are settled).
    speculating: dict[int, dict] = {} if jobs <= 1 else {
        index: {"outcome": None, "keep": None} for index, job in enumerate(_JOBS)
        if isinstance(job, Task) and job.output.is_print_booklet
        and job.output.language in guesses and job.output.language in hints}
    resolved: list[int] = []  # speculations whose fate is known, and whose job has ended

    def waits(index):
        job = _JOBS[index]
        return isinstance(job, Task) and index not in speculating and (
            job.output.language in unfitted
            or (job.output.is_print_booklet and job.output.language in screen_booklets))

    # The longest first, so that no worker is left with a booklet at the end: the
    # fittings first of all (the longest language first), since its language's other
    # tasks wait for each; then booklets.
    def longest(index):
        job = _JOBS[index]
        if isinstance(job, Fitting):
            return (0, -job.size, False)
        return (1, job.output.kind != "booklet", job.output.edition == "print")

    order = sorted(range(len(_JOBS)), key=longest)
    ready = [i for i in order if not waits(i)]
    waiting = [i for i in order if waits(i)]

    def release() -> None:
        """The tasks that may go now, ahead of the others."""
        free = [i for i in waiting if not waits(i)]
        for i in free:
            waiting.remove(i)
        ready[:0] = free

    def settled(language: str, fitting: Fitted, pages: int | None) -> None:
        """A language's levels are chosen: its other tasks may go."""
        if language in unfitted:
            unfitted.discard(language)
            levels[language] = fitting
            if pages is not None:  # its screen booklet, laid out at these levels
                hints[language] = pages
            for index, state in speculating.items():
                if _JOBS[index].output.language == language:
                    state["keep"] = _same_document(_JOBS[index], guesses[language], fitting)
                    if state["outcome"] is not None:
                        resolved.append(index)
            release()

    def end_speculation(index: int) -> list[dict]:
        """A speculation's entries if it is kept; else its task goes again, next."""
        state = speculating.pop(index)
        if state["keep"]:
            return settle(index, state["outcome"])
        ready.insert(0, index)
        return []

    def settle(index: int, outcome: tuple[str, object]) -> list[dict]:
        """A finished job's entries; the tasks it was holding back go next."""
        job = _JOBS[index]
        result = _outcome(job, outcome)
        if isinstance(job, Fitting):
            settled(job.language, result["fitted"], result["pages"])
            fitted(job.language, result)
        elif job.output.kind == "booklet" and job.output.edition == "screen" \
                and result["pages"] is not None:
            hints.setdefault(job.output.language, result["pages"])
            screen_booklets.discard(job.output.language)
            release()
        return result["entries"]

    def arguments(index):
        job = _JOBS[index]
        if isinstance(job, Fitting):
            return _fit, (index,)
        language = job.output.language
        if index in speculating:
            return _render, (index, hints.get(language), guesses[language])
        return _render, (index, hints.get(language), levels.get(language))

    try:
        if jobs <= 1 or len(_JOBS) == 1:
            while ready:
                index = ready.pop(0)
                function, args = arguments(index)
                yield from settle(index, function(*args))
            _check_released(waiting)
            return
        # WeasyPrint imported once here, not in every worker: each worker then starts
        # warm, the moment its first job (a task released by its fitting, above all)
        # can go. Imported only: fontconfig is set up in the workers. And garbage is
        # collected now, in this thread: a WeasyPrint object finalised by another
        # thread while the workers fork could leave fontconfig's lock held in them.
        import weasyprint  # noqa: F401

        gc.collect()
        _SETTLED = multiprocessing.get_context("fork").SimpleQueue()
        with workers.pool(min(jobs, len(_JOBS))) as pool:
            # A few jobs in flight, not all: a task released by its fitting or its
            # screen booklet goes next, not behind every factsheet.
            in_flight = min(jobs, len(_JOBS)) + 1
            pending = {}

            def fill():
                while ready and len(pending) < in_flight:
                    index = ready.pop(0)
                    function, args = arguments(index)
                    pending[pool.submit(function, *args)] = index

            fill()
            try:
                while pending:
                    finished, _ = concurrent.futures.wait(
                        pending, timeout=POLL_SECONDS,
                        return_when=concurrent.futures.FIRST_COMPLETED)
                    while not _SETTLED.empty():  # levels chosen in a fitting still writing
                        settled(*_SETTLED.get())
                        fill()
                    for future in finished:
                        index = pending.pop(future)
                        try:
                            outcome = future.result()
                            if index in speculating:
                                speculating[index]["outcome"] = outcome
                                if speculating[index]["keep"] is None:
                                    fill()
                                    continue  # held until the levels are settled
                                resolved.append(index)
                                entries = []
                            else:
                                entries = settle(index, outcome)
                        except concurrent.futures.process.BrokenProcessPool:
                            raise BookletError(
                                f"{_shown(project, _JOBS[index])}: the process rendering it "
                                "stopped unexpectedly (out of memory?)") from None
                        fill()
                        yield from entries
                    while resolved:
                        entries = end_speculation(resolved.pop(0))
                        fill()
                        yield from entries
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        _check_released(waiting + list(speculating))
    finally:
        _JOBS, _WRITER, _SETTLED = [], None, None


def _check_released(waiting: list[int]) -> None:
    if waiting:  # a task whose fitting or screen booklet never came: a bug
        raise RuntimeError("never laid out: " + ", ".join(
            _JOBS[index].output.label for index in waiting))


def _same_document(task: Task, one: Fitted, other: Fitted) -> bool:
    """Whether a task's document is the same at two copyfittings of its language."""
    one.apply(task.renderer)
    first = render_html(task.renderer, task.output)
    other.apply(task.renderer)
    return render_html(task.renderer, task.output) == first


def _shown(project: ProjectPaths, job: Task | Fitting) -> str:
    return job.label if isinstance(job, Fitting) else project.shown(job.output.path)


def _fit(index: int) -> tuple[str, object]:
    """In a worker: one language's fitting, and its screen edition."""
    fitting = _JOBS[index]

    def announce(fitted: Fitted, pages: int | None) -> None:
        if _SETTLED is not None:
            _SETTLED.put((fitting.language, fitted, pages))

    return _guarded(lambda: fit_language(fitting, _WRITER, announce), "choosing its levels")


def _render(index: int, pages_hint: int | None = None,
            fitted: Fitted | None = None) -> tuple[str, object]:
    """In a worker: one task, at its language's copyfitting if that was chosen now."""
    task = _JOBS[index]

    def write():
        made = task if fitted is None else task.at(fitted)
        if made is None:  # what the levels chosen give is what was written before
            return {"pages": None, "entries": []}
        return _WRITER.write(made, pages_hint)

    return _guarded(write, None, task)


def _guarded(work, doing: str | None, task: Task | None = None) -> tuple[str, object]:
    """Do ``work``, with its failure returned as text (exceptions may not pickle)."""
    _WRITER.current = None
    try:
        return "ok", work()
    except BookletError as error:
        return "error", error.show().removeprefix("error: ")
    except OSError as error:  # a full disk, a read-only folder: said in one line
        problem = environment_error(error)
        if problem is None:
            raise
        return "error", str(problem)
    except Exception:
        made = _WRITER.current or (task.output if task else None)
        where = f"writing {made.label}" if made else doing
        return "bug", f"while {where}:\n{traceback.format_exc()}"


def _outcome(job: Task | Fitting, result: tuple[str, object]) -> dict:
    kind, value = result
    if kind == "ok":
        return value
    if kind == "error":
        raise BookletError(value)
    what = job.label if isinstance(job, Fitting) else f"laying out {job.output.label}"
    raise RuntimeError(f"while {what}, {value}")
