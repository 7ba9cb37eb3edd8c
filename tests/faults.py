"""Helpers of the fault-injection tests: the real CLI in subprocesses, and what to look for.

The faults are real: processes killed with SIGKILL, a FIFO where a file was,
a small tmpfs mounted over build/ (in a user and mount namespace of its own,
so no privilege is needed), a read-only bind mount, a process without the
right to override file permissions. Where the machine cannot make one of
them, the closest real one stands in (a file-size limit for a full disk), or
the test says why it is skipped.

Builds are of the English screen edition: 18 PDFs, a few seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
from conftest import ROOT

SMALL_BUILD = ["--lang", "en", "--edition", "screen"]
#: What writers leave when killed before they can clean up (booklet.files).
TEMPORARY = (".*.tmp", ".pikepdf.*")
ENV = {**os.environ,
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def command(*args: str, project: Path) -> list[str]:
    return [sys.executable, "-m", "booklet", *args, "--project", str(project)]


def booklet(*args: str, project: Path, timeout: float = 300,
            prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run the CLI to its end (``prefix``: a command to run it under, such as unshare)."""
    return subprocess.run([*(prefix or []), *command(*args, project=project)], cwd=ROOT,
                          env=ENV, capture_output=True, text=True, timeout=timeout)


def start(*args: str, project: Path) -> subprocess.Popen:
    """Start the CLI in a session of its own, so that killing it reaches only what it owns."""
    return subprocess.Popen(command(*args, project=project), cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def copy_built(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


# What to look for -------------------------------------------------------------

def temporary_files(root: Path) -> list[Path]:
    return sorted(path for pattern in TEMPORARY for path in root.rglob(pattern))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_outputs_whole(project: Path) -> int:
    """Every PDF in build/ opens, and every one the report lists has the bytes it records."""
    pdfs = sorted((project / "build").rglob("*.pdf"))
    for pdf in pdfs:
        assert len(pypdf.PdfReader(pdf).pages) > 0, pdf
    report = json.loads((project / "build/report.json").read_text("utf-8"))
    for entry in report["outputs"]:
        assert digest(project / entry["path"]) == entry["sha256"], entry["path"]
    return len(pdfs)


def assert_one_clear_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Exit 1, one line of error naming what failed, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for text in expected:
        assert text in errors[0], (text, errors[0])
    return errors[0]


# Processes --------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":  # a zombie has exited already
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    """The processes still alive after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {pid for pid in pids if alive(pid)}
        if not left:
            return set()
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# Faults of the machine ----------------------------------------------------------

def can_unshare() -> bool:
    """Whether a user and mount namespace can be made here (to mount tmpfs without privilege)."""
    if not shutil.which("unshare") or not sys.platform.startswith("linux"):
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


def in_namespace(setup: str, after: str = "true") -> list[str]:
    """A prefix that runs a command between ``setup`` and ``after`` (shell) in a new mount
    namespace: what is mounted there is gone when it ends, so ``after`` copies out what
    the test needs to look at. The command's exit status is kept."""
    script = f'{setup} || exit 99; "$@"; status=$?; {after}; exit $status'
    return ["unshare", "-rm", "sh", "-c", script, "sh"]
