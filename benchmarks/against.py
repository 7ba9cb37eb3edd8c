"""Benchmark: a full build of this checkout against one of an earlier revision.

    .venv/bin/python benchmarks/run.py --against REV [--rounds N] [--jobs N]

Each revision builds its own content from a clean copy of its own tree, in the
same environment; the builds alternate (earlier, this, earlier, this, …), so
that a change in the machine's load falls on both alike. Prints each
revision's median wall time and CPU time (the build and its workers), and the
ratios of this checkout's to the earlier one's.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Where setup.sh puts the print edition's CMYK profile, at each revision (it moved).
PROFILES = ("booklet/theme/styles/icc/FOGRA39L.icc", "styles/icc/FOGRA39L.icc")


def checkout(root: Path, revision: str, target: Path) -> Path:
    """The tree of ``revision`` (committed files only) in ``target``, with the profile."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(root), "archive", revision],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    profile = next(root / path for path in PROFILES if (root / path).is_file())
    for path in PROFILES:  # wherever that revision looks for it
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(profile, target / path)
    return target


def full_build(tree: Path, jobs: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a build from scratch in ``tree``, on its own content.

    The build folder goes first: what the last round recorded (copyfitting's
    levels above all) would spare this one work that a first build does.
    """
    shutil.rmtree(tree / "build", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "booklet", "build", "--force", "--quiet",
                             "--project", str(tree), *jobs], cwd=tree, capture_output=True,
                            text=True, env=dict(os.environ, PYTHONPATH=str(tree)))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"the build of {tree.name} failed:\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def against(root: Path, revision: str, rounds: int, jobs: int | None) -> None:
    options = ["--jobs", str(jobs)] if jobs else []
    with tempfile.TemporaryDirectory(prefix="booklet-against-") as folder:
        trees = {"earlier": checkout(root, revision, Path(folder) / "earlier"),
                 "this": checkout(root, "HEAD", Path(folder) / "this")}
        print(f"booklet benchmark: full builds of {revision} and HEAD, alternating, "
              f"{rounds} each, {os.cpu_count()} core(s)", flush=True)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(rounds):
            for name, tree in trees.items():
                times[name].append(full_build(tree, options))
                wall, cpu = times[name][-1]
                print(f"  {name}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}
    rows = [
        (f"full build of {revision} (median wall / CPU)",
         f"{wall['earlier']:8.1f} s {cpu['earlier']:8.1f} s"),
        ("full build of HEAD (median wall / CPU)",
         f"{wall['this']:8.1f} s {cpu['this']:8.1f} s"),
        ("  ratio HEAD / earlier (wall / CPU)",
         f"{wall['this'] / wall['earlier']:8.2f} × {cpu['this'] / cpu['earlier']:8.2f} ×"),
    ]
    print()
    for label, value in rows:
        print(f"{label:<52}{value}")
