"""One build (or import) at a time per project, and what a killed one left behind.

The lock is an operating-system lock (``filelock``: flock on Linux and macOS,
LockFileEx on Windows), so it goes with the process holding it: a build killed
outright frees it, and worker processes do not inherit it. Beside it,
``build/.lock.holder`` names the process; finding it there at start means the
last holder was killed before it could clean up: that is reported, its
temporary files are removed and an interrupted import is completed.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import filelock

from ..errors import BookletError
from ..files import recover, remove_temporary_files
from ..paths import ProjectPaths


@dataclass(frozen=True)
class Takeover:
    """What the lock's previous holder, killed before it could clean up, left behind."""

    holder: str  # "pid 1234 (build)"
    removed: list[Path]
    import_completed: bool

    def message(self, project: ProjectPaths) -> str:
        found = [f"{len(self.removed)} temporary file(s) removed"]
        if self.import_completed:
            found.append("its import completed")
        return (f"the previous holder of {project.shown(lock_path(project))} ({self.holder}) "
                f"stopped without releasing it; lock taken over, " + ", ".join(found))


def lock_path(project: ProjectPaths) -> Path:
    return project.build / ".lock"


@contextlib.contextmanager
def build_lock(project: ProjectPaths, job: str = "build"):
    """Hold the project's lock for ``job``; yield a ``Takeover`` if the last holder was killed."""
    path = lock_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    holder_file = path.with_name(".lock.holder")
    lock = filelock.FileLock(path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        holder = _read(holder_file) or "another process"
        gone = " (though that process seems to be gone)" if not _alive(holder) else ""
        raise BookletError(f"another build or import is running in this project "
                           f"({holder}){gone}; wait for it to finish") from None
    try:
        previous = _read(holder_file)
        holder_file.write_text(f"pid {os.getpid()} ({job})", encoding="utf-8")
        takeover = None
        # Temporary files of writers killed outright: a completed import's staged
        # files are renamed first, then whatever is left is an orphan.
        completed = recover(project.import_journal)
        removed = [stale for folder in (project.build, project.content, project.locales)
                   if folder.is_dir() for stale in remove_temporary_files(folder)]
        if previous or completed:
            takeover = Takeover(previous or "unknown", removed, completed)
        yield takeover
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return ""


def _alive(holder: str) -> bool:
    """Whether the process a holder line names still runs (True when it cannot be told)."""
    try:
        pid = int(holder.split()[1])
    except (IndexError, ValueError):
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
