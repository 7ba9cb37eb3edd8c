"""Serve: a live preview of the proof on 127.0.0.1, rebuilt when the inputs change.

The main thread builds and proofs whenever a watching thread sees the project's
inputs change; a server thread serves build/proof/ and tells open pages through
Server-Sent Events (/events) to reload after each new proof, or why the build failed.
The pages learn this from a small script the server adds to each HTML page, so
the proof on disk stays a plain static site.
"""

from __future__ import annotations

import errno
import json
import queue
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..build.run import build
from ..errors import BookletError
from ..paths import ProjectPaths
from .run import proof

HOST = "127.0.0.1"
#: What a change in these folders means: build again, then proof again.
WATCHED = ("content", "templates", "styles", "figures", "locales")
LIVE_SCRIPT = "/_live.js"
EVENTS = "/events"
#: A comment line this often keeps idle event streams open through proxies and sleep.
KEEPALIVE_SECONDS = 15
#: Editors save in several steps: wait this long for the file system to settle.
DEBOUNCE_MS = 400
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".png": "image/png",
                 ".json": "application/json", ".pdf": "application/pdf"}
CSP = ("default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
WAITING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>booklet proof</title></head>
<body><h1>Building the first proof…</h1>
<p>This page reloads by itself when the proof is ready.</p></body></html>
"""


@dataclass(frozen=True)
class State:
    revision: int  # changes whenever anything below does
    generation: int  # the proof's: one more after each new proof
    error: str | None
    busy: bool


class Live:
    """What open pages are told: which proof is current, the build error, a build running."""

    def __init__(self):
        self._changed = threading.Condition()
        self._state = State(0, 0, None, False)
        self.stopped = False

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def update(self, **changes) -> None:
        with self._changed:
            state = self._state
            self._state = State(state.revision + 1, changes.get("generation", state.generation),
                                changes.get("error", state.error),
                                changes.get("busy", state.busy))
            self._changed.notify_all()

    def wait(self, revision: int | None, timeout: float) -> State:
        """The state once it differs from ``revision`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.stopped or self._state.revision != revision, timeout)
            return self._state

    def stop(self) -> None:
        with self._changed:
            self.stopped = True
            self._changed.notify_all()


def serve(project: ProjectPaths, languages: list[str], editions: tuple[str, ...], port: int,
          say: Callable[[str], None]) -> None:
    """Serve the proof until Ctrl-C, building and proofing again after each change."""
    live = Live()
    server = PreviewServer(project, live, port)
    threading.Thread(target=server.serve_forever, name="serve", daemon=True).start()
    say(f"serving the proof at http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
    stop = threading.Event()
    changes: queue.Queue[set[str]] = queue.Queue()
    # Watching runs beside the builds, so that edits made during a build are not missed.
    threading.Thread(target=_watch, args=(project, changes, stop), name="watch",
                     daemon=True).start()
    stops_on_term = threading.current_thread() is threading.main_thread()
    if stops_on_term:  # `kill` stops it as cleanly as Ctrl-C
        on_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuild(project, languages, editions, live, say, "starting")
        while True:
            try:
                changed = changes.get(timeout=1)
            except queue.Empty:
                continue
            while not changes.empty():  # everything saved during the last build: one build
                changed |= changes.get()
            names = sorted(project.shown(Path(path)) for path in changed)
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            rebuild(project, languages, editions, live, say, ", ".join(names[:3]) + more)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        live.stop()
        server.shutdown()
        server.server_close()
        if stops_on_term:
            signal.signal(signal.SIGTERM, on_term)
    say("stopped")


def _watch(project: ProjectPaths, changes: queue.Queue, stop: threading.Event) -> None:
    import watchfiles

    folders = [project.root / name for name in WATCHED if (project.root / name).is_dir()]
    for batch in watchfiles.watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS,
                                  raise_interrupt=False):
        changes.put({path for _, path in batch})


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def rebuild(project: ProjectPaths, languages: list[str], editions: tuple[str, ...], live: Live,
            say: Callable[[str], None], reason: str) -> None:
    """Build, then proof; a failure goes to the terminal and to every open page."""
    say(f"{reason}: building")
    live.update(busy=True)
    report = project.build / "report.json"
    before = _written(report)
    error = None
    try:
        build(project, languages or None, editions=editions)
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
        result = proof(project, languages, editions)
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


class PreviewServer(ThreadingHTTPServer):
    """Serves build/proof/ and the proofed PDFs to this machine only."""

    daemon_threads = True

    def __init__(self, project: ProjectPaths, live: Live, port: int):
        self.project = project
        self.live = live
        self.root = (project.build / "proof").resolve()
        try:
            super().__init__((HOST, port), PreviewHandler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise BookletError(f"port {port} is in use: choose another with --port") \
                    from None
            raise

    def file_for(self, url_path: str) -> Path | None:
        """The file a URL names, only inside build/proof/ (or a PDF the proof shows)."""
        parts = [part for part in unquote(url_path).split("/") if part]
        # No '..', and no hidden files either: the lock, half-written temporary files.
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        relative = "/".join(parts)
        path = (self.root / relative).resolve()
        if path.is_dir():
            path = path / "index.html"
        if path.is_relative_to(self.root) and path.is_file():
            return path
        # The gallery links to the PDFs it shows: exactly those, nothing else of build/.
        if relative.endswith(".pdf") and f"build/{relative}" in self._proofed():
            path = (self.project.build / relative).resolve()
            if path.is_relative_to(self.project.build.resolve()) and path.is_file():
                return path
        return None

    def _proofed(self) -> set[str]:
        try:
            return set(json.loads((self.root / "pages.json").read_text("utf-8"))["outputs"])
        except (OSError, ValueError, KeyError, TypeError):
            return set()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "booklet-serve"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        if not self._from_this_machine():
            self._send(403, "text/plain; charset=utf-8", b"forbidden\n", head)
            return
        url = urlsplit(self.path)
        if url.path == EVENTS:
            self._events(parse_qs(url.query).get("seen", [""])[0])
        elif url.path == LIVE_SCRIPT:
            self._send(200, CONTENT_TYPES[".js"], _live_script(), head)
        else:
            path = self.server.file_for(url.path)
            if path is None and url.path in ("/", "/index.html"):
                self._send(200, CONTENT_TYPES[".html"], self._with_live_script(WAITING_PAGE),
                           head)
            elif path is None:
                self._send(404, "text/plain; charset=utf-8", b"not found\n", head)
            elif path.suffix == ".html":
                page = path.read_text(encoding="utf-8")
                self._send(200, CONTENT_TYPES[".html"], self._with_live_script(page), head)
            else:
                self._send(200, CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                           path.read_bytes(), head)

    def _from_this_machine(self) -> bool:
        """Refuse requests for other host names: a web page cannot rebind its name to us."""
        host = self.headers.get("Host")
        port = self.server.server_port
        return host is None or host in (f"{HOST}:{port}", f"localhost:{port}")

    def _with_live_script(self, page: str) -> bytes:
        tag = (f'<script src="{LIVE_SCRIPT}" '
               f'data-generation="{self.server.live.state.generation}"></script>')
        at = page.rfind("</body>")
        page = page[:at] + tag + page[at:] if at >= 0 else page + tag
        return page.encode("utf-8")

    def _send(self, status: int, content_type: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, seen: str) -> None:
        """Stream what the page should do: reload, show an error, show that a build runs."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        live = self.server.live
        revision = None
        while True:
            state = live.wait(revision, KEEPALIVE_SECONDS)
            if live.stopped:
                return
            if state.revision == revision:
                message = ": still here\n\n"
            else:
                revision = state.revision
                message = _event(state, seen)
            try:
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
            except OSError:  # the page went away
                return

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # the terminal shows builds, not every image request


def _event(state: State, seen: str) -> str:
    """What a page that shows proof ``seen`` needs to hear: reload, or the build's state."""
    if str(state.generation) != seen:
        events = [("reload", str(state.generation))]
    else:
        events = [("problem", state.error) if state.error else ("ready", "")]
        if state.busy:
            events.append(("building", ""))
    return "".join(f"event: {name}\n" + "".join(f"data: {line}\n" for line in data.split("\n"))
                   + "\n" for name, data in events)


def _live_script() -> bytes:
    return resources.files("booklet.proof").joinpath("templates", "live.js").read_bytes()
