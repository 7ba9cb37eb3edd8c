"""What open preview pages are told: which proof is current, a build's error, a build running.

The build runs in the main thread; pages listen on an event stream (/events)
served by the preview server (preview.py), and a small script the server adds
to each HTML page (templates/live.js) reloads it or shows the error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

LIVE_SCRIPT = "/_live.js"
EVENTS = "/events"
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
    """The state pages are told, changed by the build thread, listened to by the server."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state = State(0, 0, None, False)
        self._listeners: dict[Callable[[], None], str] = {}  # each with the page it shows
        self.stopped = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def update(self, **changes) -> None:
        with self._lock:
            state = self._state
            self._state = State(state.revision + 1, changes.get("generation", state.generation),
                                changes.get("error", state.error),
                                changes.get("busy", state.busy))
        self._tell()

    def listen(self, wake: Callable[[], None], page: str = "") -> None:
        """Call ``wake`` (from the changing thread: it must only schedule) at each change.

        ``page`` is the path of the page listening: what is in view.
        """
        with self._lock:
            self._listeners[wake] = page

    def unlisten(self, wake: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.pop(wake, None)

    @property
    def pages(self) -> list[str]:
        """The paths of the pages open now."""
        with self._lock:
            return list(self._listeners.values())

    def stop(self) -> None:
        self.stopped = True
        self._tell()

    def _tell(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            try:
                wake()
            except RuntimeError:  # its event loop has already closed
                pass


def event_text(state: State, seen: str) -> str:
    """What a page that shows proof ``seen`` needs to hear: reload, or the build's state."""
    if str(state.generation) != seen:
        events = [("reload", str(state.generation))]
    else:
        events = [("problem", state.error) if state.error else ("ready", "")]
        if state.busy:
            events.append(("building", ""))
    return "".join(f"event: {name}\n" + "".join(f"data: {line}\n" for line in data.split("\n"))
                   + "\n" for name, data in events)
