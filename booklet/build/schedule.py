"""Schedule: lay out and write every task, a few processes at a time."""

from __future__ import annotations

import concurrent.futures
import traceback

from ..content.load import Content
from ..errors import BookletError, environment_error
from ..paths import ProjectPaths
from . import workers
from .plan import Task
from .writer import Writer

#: The tasks of the build in progress, for worker processes forked from this one:
#: they inherit the loaded content and renderers instead of receiving them pickled.
_TASKS: list[Task] = []
_WRITER: Writer | None = None


def render_all(project: ProjectPaths, content: Content, palettes: dict, impose: bool,
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
        with workers.pool(min(jobs, len(tasks))) as pool:
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
    except OSError as error:  # a full disk, a read-only folder: said in one line
        problem = environment_error(error)
        if problem is None:
            raise
        return "error", str(problem)
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
