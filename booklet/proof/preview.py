"""The preview's web server: build/proof/ and its event stream, to this machine only.

An asynchronous server (Starlette on uvicorn), not one thread per connection:
an idle or slow client costs a few kilobytes, not a thread, so hundreds of open
connections (tabs, event streams, a misbehaving client) never keep a page from
being answered. Bounds and timeouts, all in one place below: uvicorn closes an
idle kept-alive connection after KEEPALIVE_SECONDS and answers 503 beyond
MAX_CONNECTIONS; a client that has not sent a whole request within
REQUEST_SECONDS is closed (uvicorn itself would wait for ever); h11 refuses
request heads over 16 KB with a 400.
"""

from __future__ import annotations

import asyncio
import errno
import json
import socket
import threading
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import BookletError
from ..paths import ProjectPaths
from .live import CONTENT_TYPES, CSP, EVENTS, LIVE_SCRIPT, WAITING_PAGE, Live, event_text

HOST = "127.0.0.1"
#: Connections held at once; more are answered 503 (each costs little: see above).
MAX_CONNECTIONS = 2000
#: A kept-alive connection with no new request is closed after this long.
KEEPALIVE_SECONDS = 5
#: A client that has not sent a complete request head within this is closed.
REQUEST_SECONDS = 10
#: Pending connections the operating system queues before the server accepts them.
BACKLOG = 2048
#: A comment line this often keeps idle event streams open through proxies and sleep.
STREAM_KEEPALIVE_SECONDS = 15


class Preview:
    """The server, running in a thread of its own until ``stop``."""

    def __init__(self, project: ProjectPaths, live: Live, port: int):
        self.files = ProofFiles(project)
        self.live = live
        self.socket = _listen(port)
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            _app(self), http=_TimedH11Protocol, lifespan="off", log_level="warning",
            access_log=False, backlog=BACKLOG, limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=KEEPALIVE_SECONDS, timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.socket],),
                                       name="serve", daemon=True)

    def start(self) -> None:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            threading.Event().wait(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.socket.close()


def _listen(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((HOST, port))
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise BookletError(f"port {port} is in use: choose another with --port") from None
        raise
    listener.listen(BACKLOG)
    return listener


class _TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 connection, closed if its request head is slow to come."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(REQUEST_SECONDS, self._head_too_slow)

    def _head_too_slow(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc) -> None:
        self._head_timer.cancel()
        super().connection_lost(exc)


class ProofFiles:
    """Which file a URL names: only inside build/proof/, or a PDF the proof shows."""

    def __init__(self, project: ProjectPaths):
        self.project = project
        self.root = (project.build / "proof").resolve()

    def file_for(self, url_path: str) -> Path | None:
        try:
            return self._file_for(url_path)
        except (OSError, ValueError):  # a name too long, a NUL: no such file
            return None

    def _file_for(self, url_path: str) -> Path | None:
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


def _app(preview: Preview) -> Starlette:
    async def respond(request: Request) -> Response:
        if not _from_this_machine(request, preview.port):
            return _plain(403, "forbidden\n")
        # The path as sent, before any decoding: file_for decodes it once, and checks it.
        raw = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        url = urlsplit(raw)
        if url.path == EVENTS:
            query = parse_qs(request.url.query)
            seen, page = query.get("seen", [""])[0], query.get("page", [""])[0]
            return StreamingResponse(_events(preview.live, seen, page), headers={
                "Cache-Control": "no-store", "Content-Type": "text/event-stream; charset=utf-8"})
        if url.path == LIVE_SCRIPT:
            return _send(CONTENT_TYPES[".js"], _live_script())
        path = await asyncio.to_thread(preview.files.file_for, url.path)
        if path is None and url.path in ("/", "/index.html"):
            return _send(CONTENT_TYPES[".html"], _with_live_script(WAITING_PAGE, preview.live))
        if path is None:
            return _plain(404, "not found\n")
        if path.suffix == ".html":
            page = await asyncio.to_thread(path.read_text, encoding="utf-8")
            return _send(CONTENT_TYPES[".html"], _with_live_script(page, preview.live))
        return FileResponse(path, media_type=CONTENT_TYPES.get(path.suffix,
                                                               "application/octet-stream"),
                            headers=_HEADERS)

    return Starlette(routes=[Route("/{path:path}", respond, methods=["GET", "HEAD"])])


_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _from_this_machine(request: Request, port: int) -> bool:
    """Refuse requests for other host names: a web page cannot rebind its name to us."""
    host = request.headers.get("host")
    return host is None or host in (f"{HOST}:{port}", f"localhost:{port}")


def _plain(status: int, text: str) -> Response:
    return Response(text, status, headers=_HEADERS, media_type="text/plain; charset=utf-8")


def _send(content_type: str, body: bytes) -> Response:
    headers = dict(_HEADERS)
    if content_type.startswith("text/html"):
        headers["Content-Security-Policy"] = CSP
    return Response(body, 200, headers=headers, media_type=content_type)


def _with_live_script(page: str, live: Live) -> bytes:
    tag = f'<script src="{LIVE_SCRIPT}" data-generation="{live.state.generation}"></script>'
    at = page.rfind("</body>")
    page = page[:at] + tag + page[at:] if at >= 0 else page + tag
    return page.encode("utf-8")


async def _events(live: Live, seen: str, page: str):
    """What the page should do: reload, show an error, show that a build runs.

    Waits without a thread: the build's thread wakes this stream through the loop.
    While it is open, ``page`` (the path the page was loaded from) counts as in view.
    """
    loop = asyncio.get_running_loop()
    changed = asyncio.Event()

    def wake() -> None:
        loop.call_soon_threadsafe(changed.set)

    live.listen(wake, page)
    try:
        revision = None
        while not live.stopped:
            changed.clear()  # before reading the state: a change after it wakes us
            state = live.state
            if state.revision == revision:
                yield ": still here\n\n"
            else:
                revision = state.revision
                yield event_text(state, seen)
            try:
                await asyncio.wait_for(changed.wait(), STREAM_KEEPALIVE_SECONDS)
            except TimeoutError:
                pass
    finally:
        live.unlisten(wake)


def _live_script() -> bytes:
    return resources.files("booklet.proof").joinpath("templates", "live.js").read_bytes()
