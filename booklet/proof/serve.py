"""Serve: a live preview of the proof on 127.0.0.1, rebuilt when the inputs change.

The main thread builds and proofs whenever a watching thread sees the project's
inputs change; the preview server (preview.py) serves build/proof/ and tells
open pages (live.py) to reload after each new proof, or why the build failed.
The pages learn this from a small script the server adds to each HTML page, so
the proof on disk stays a plain static site.

What a writer looks at comes first: when factsheets were edited, they alone
are built, in the editions the open pages show, and shown (a provisional
proof) before the booklets and other languages are built and proofed as
usual. WeasyPrint is imported once, before the first build, so that the
workers each build forks start warm.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ..build.run import build
from ..content.load import SERIES_FILE
from ..errors import BookletError
from ..paths import ProjectPaths
from ..render.pdf import warm_up
from .live import Live
from .preview import HOST, Preview
from .run import proof
from .site import SIDE_BY_SIDE

#: What a change in these folders means: build again, then proof again.
WATCHED = ("content", "templates", "styles", "figures", "locales")
#: Editors save in several steps: wait this long for the file system to settle.
DEBOUNCE_MS = 400
#: How often the watcher looks for a watched folder made since it started (styles/, say).
NEW_FOLDERS_MS = 1000


def serve(project: ProjectPaths, languages: list[str], editions: tuple[str, ...], port: int,
          say: Callable[[str], None]) -> None:
    """Serve the proof until Ctrl-C, building and proofing again after each change."""
    warm_up()
    live = Live()
    server = Preview(project, live, port)
    server.start()
    say(f"serving the proof at http://{HOST}:{server.port}/ (Ctrl-C to stop)")
    stop = threading.Event()
    changes: queue.Queue[set[str]] = queue.Queue()
    # Watching runs beside the builds, so that edits made during a build are not missed.
    threading.Thread(target=_watch, args=(project, changes, stop), name="watch",
                     daemon=True).start()
    stops_on_term = threading.current_thread() is threading.main_thread()
    if stops_on_term:  # `kill` stops it as cleanly as Ctrl-C
        on_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuild(project, languages, editions, live, say, "starting",
                waiting=lambda: not changes.empty())
        while True:
            try:
                changed = changes.get(timeout=1)
            except queue.Empty:
                continue
            while not changes.empty():  # everything saved during the last build: one build
                changed |= changes.get()
            names = sorted(project.shown(Path(path)) for path in changed)
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            rebuild(project, languages, editions, live, say, ", ".join(names[:3]) + more,
                    edited_factsheets(project, [Path(path) for path in changed], languages),
                    waiting=lambda: not changes.empty())
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        live.stop()
        server.stop()
        if stops_on_term:
            signal.signal(signal.SIGTERM, on_term)
    say("stopped")


def _watch(project: ProjectPaths, changes: queue.Queue, stop: threading.Event) -> None:
    """Put each batch of changed paths in ``changes`` until ``stop``.

    The watched folders are those that exist; a watched folder made or removed
    later (a project gains styles/) is a change, and is watched from then on.
    """
    import watchfiles

    # Folders just made, and their files as reported: one written before the
    # folder was watched is caught by comparing, once the watch has started.
    made: list[Path] = []
    listed: dict[str, tuple[int, int]] = {}
    while not stop.is_set():
        folders = watched_folders(project)
        if not folders:
            stop.wait(NEW_FOLDERS_MS / 1000)
            continue
        for batch in watchfiles.watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS,
                                      rust_timeout=NEW_FOLDERS_MS, yield_on_timeout=True,
                                      raise_interrupt=False):
            paths = {path for _, path in batch}
            if made:
                paths |= {path for path, stat in _files(made).items() if listed.get(path) != stat}
                made, listed = [], {}
            if paths:
                changes.put(paths)
            now = watched_folders(project)
            if now != folders:
                made = [folder for folder in now if folder not in folders]
                listed = _files(made)
                changes.put({str(folder) for folder in set(now) ^ set(folders)} | set(listed))
                break


def _files(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file in ``folders``, with its modification time and size."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                info = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def watched_folders(project: ProjectPaths) -> list[Path]:
    return [project.root / name for name in WATCHED if (project.root / name).is_dir()]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def edited_factsheets(project: ProjectPaths, paths: list[Path],
                      languages: list[str]) -> dict[str, set[str]]:
    """The factsheets among ``paths`` (content/CODE/SERIES/ID.yaml): their ids, by language."""
    edited: dict[str, set[str]] = {}
    for path in paths:
        try:
            code, _, name = path.relative_to(project.content).parts
        except ValueError:  # not a file of a series' folder
            continue
        if name.endswith(".yaml") and name != SERIES_FILE and (not languages
                                                                or code in languages):
            edited.setdefault(code, set()).add(name.removesuffix(".yaml"))
    return edited


class Superseded(Exception):
    """A newer change is waiting: the rest of this build and proof is left to the next."""


def editions_in_view(pages: list[str], editions: tuple[str, ...]) -> tuple[str, ...]:
    """The editions the open pages show, of those served.

    A factsheet side by side (/side-by-side/ID-EDITION.html) shows one edition;
    any other page of the proof shows them all. No page open: none.
    """
    shown = set()
    for page in pages:
        folder, _, name = page.lstrip("/").rpartition("/")
        if folder != SIDE_BY_SIDE:
            return editions
        shown.add(name.removesuffix(".html").rpartition("-")[2])
    return tuple(edition for edition in editions if edition in shown)


def rebuild(project: ProjectPaths, languages: list[str], editions: tuple[str, ...], live: Live,
            say: Callable[[str], None], reason: str,
            edited: dict[str, set[str]] | None = None,
            waiting: Callable[[], bool] = lambda: False) -> None:
    """Build, then proof; a failure goes to the terminal and to every open page.

    ``edited`` factsheets (ids by language) are built and shown first. When
    ``waiting`` says a newer change waits, the build or proof stops after the
    PDF in hand (both are made to be interrupted: what is done is kept), and
    the page stays marked busy for the next rebuild, which does the rest.
    """
    def checkpoint(_done: str) -> None:
        if waiting():
            raise Superseded

    say(f"{reason}: building")
    live.update(busy=True)
    in_view = editions_in_view(live.pages, editions)
    if edited and in_view:
        _first_look(project, edited, languages, editions, in_view, live, say)
    report = project.build / "report.json"
    before = _written(report)
    error = None
    try:
        build(project, languages or None, editions=editions, progress=checkpoint)
    except Superseded:
        say(f"{reason}: the rest is left for a newer change")
        return
    except BookletError as problem:  # content and template errors, failed preflight
        error = problem.show()
    except Exception:  # a bug: the traceback goes to the terminal, the gist to the page
        error = _bug(say)
    if error:
        say(error)
        if _written(report) == before:  # nothing new to proof; keep the changes shown
            live.update(busy=False, error=error)
            return
    try:
        # Even after a failed build, what it wrote (say, a PDF that fails preflight)
        # is worth a look: the proof shows its flags.
        result = proof(project, languages, editions, progress=checkpoint)
    except Superseded:
        say(f"{reason}: the rest is left for a newer change")
        return
    except BookletError as problem:
        say(problem.show())
        live.update(busy=False, error=error or problem.show())
        return
    except Exception:
        live.update(busy=False, error=error or _bug(say))
        return
    say(result.summary(project).splitlines()[0])
    fresh = result.rendered or error is None
    live.update(busy=False, error=error,
                generation=live.state.generation + 1 if fresh else live.state.generation)


def _first_look(project: ProjectPaths, edited: dict[str, set[str]], languages: list[str],
                editions: tuple[str, ...], in_view: tuple[str, ...], live: Live,
                say: Callable[[str], None]) -> None:
    """The edited factsheets alone, in the editions ``in_view``, built and shown first.

    Each is laid out on its own, in a fraction of its booklet's time, and the
    proof shows it provisionally: compared with the last complete proof, which
    stays the one the next proof compares with. A failure is left to the
    complete build that follows, which reports it.
    """
    started = time.perf_counter()
    try:
        rendered = [path for code, ids in edited.items()
                    for path in build(project, [code], editions=in_view, only=ids)["rendered"]]
        if not rendered:
            return
        proof(project, languages, editions, provisional=True)
    except BookletError:
        return
    except Exception:
        _bug(say)
        return
    live.update(generation=live.state.generation + 1)
    say(f"{', '.join(rendered)}: shown after {time.perf_counter() - started:.1f} s; "
        "building the rest")


def _written(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _bug(say: Callable[[str], None]) -> str:
    text = traceback.format_exc()
    say(text)
    last = text.strip().splitlines()[-1]
    return f"internal error: this is a bug in booklet (traceback in the terminal): {last}"
