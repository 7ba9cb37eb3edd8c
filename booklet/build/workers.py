"""Worker processes that die with the build that started them.

A build lays out PDFs in a pool of forked processes. Killed outright (kill -9,
an out-of-memory kill), the build cannot stop them, so each worker watches for
itself: on Linux the kernel sends it SIGKILL when its parent dies
(PR_SET_PDEATHSIG); everywhere, a thread checks every half second that its
parent is still the one that started it, which is what happens on macOS and
other systems without that call.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading

#: How often a worker looks for its parent where the kernel cannot tell it.
WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of ``jobs`` forked workers (they inherit what the build has loaded)."""
    return concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent, initargs=(os.getpid(),))


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # The parent may have died before the call above: then there is no one to wait for.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(WATCH_SECONDS)
    os._exit(1)
