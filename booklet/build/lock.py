"""One build at a time per project."""

from __future__ import annotations

import contextlib
import fcntl
import os

from ..errors import BookletError
from ..paths import ProjectPaths


@contextlib.contextmanager
def build_lock(project: ProjectPaths):
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
