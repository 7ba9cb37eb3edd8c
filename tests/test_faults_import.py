"""Fault injection on import: killed at random moments, every time all files change or none.

A returned PO file changes the titles of 16 Khmer files and the history of
English texts. The import is killed (SIGKILL) at a random moment of its run, 20
times, each in a fresh copy of the project; then the project is read as any
command reads it, and its content and catalogue files must be exactly as before
the import or exactly as after a complete one, with no temporary file left.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

from conftest import copy_project
from faults import booklet, start, temporary_files
from test_exchange import load, translate, unit_id

TRIES = 20
SEED = int(os.environ.get("BOOKLET_FAULT_SEED", "18"))


def inputs(root: Path) -> dict[str, bytes]:
    """The files an import may change: no .bak (they come after a complete import) and
    no temporary file (staged by an import killed before its journal: looked at apart)."""
    staged = set(temporary_files(root))
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("content", "locales") for p in sorted((root / folder).rglob("*"))
            if p.is_file() and p.suffix != ".bak" and p not in staged}


def returned_file(project: Path, into: Path) -> Path:
    exported = booklet("export", "km", "--all", "--format", "po", project=project)
    assert exported.returncode == 0, exported.stderr
    path = project / exported.stdout.rsplit(" to ", 1)[1].strip()
    targets = {unit_id(u): f"{u.target} ។" for u in load(path).units
               if "#title" in (unit_id(u) or "") and str(u.target).strip()}
    assert len(targets) >= 10
    return translate(path, targets, into)


def test_an_import_killed_at_random_moments_changes_all_files_or_none(tmp_path):
    pristine = copy_project(tmp_path / "pristine")
    returned = returned_file(pristine, tmp_path / "returned.po")
    shutil.rmtree(pristine / "build")
    before = inputs(pristine)
    # A complete import, for what "all" means and how long an import takes.
    reference = shutil.copytree(pristine, tmp_path / "reference")
    started = time.monotonic()
    done = booklet("import", str(returned), project=reference)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    after = inputs(reference)
    changed = {path for path in after if after[path] != before.get(path)}
    assert len(changed) >= 11  # the titles' files and the history

    chance = random.Random(SEED)
    outcomes = {"none": 0, "all": 0}
    staged = recovered = 0
    for attempt in range(TRIES):
        project = shutil.copytree(pristine, tmp_path / f"try-{attempt}")
        process = start("import", str(returned), project=project)
        time.sleep(chance.uniform(0.2, duration))
        process.kill()
        process.communicate()
        recovered += (project / "build/.import.journal").exists()  # killed mid-renames
        # Read as any command reads it: an import that committed is completed first.
        read = booklet("status", project=project)
        assert read.returncode == 0, read.stderr
        now = inputs(project)
        if now == before:
            outcomes["none"] += 1
        else:
            assert now == after, sorted(p for p in now if now[p] != after.get(p))
            outcomes["all"] += 1
        assert not (project / "build/.import.journal").exists()
        if temporary_files(project):
            # Killed while staging its files: the next holder of the lock removes them.
            again = booklet("import", str(returned), "--dry-run", project=project)
            assert again.returncode == 0, again.stderr
            assert inputs(project) == now
            staged += 1
        assert not temporary_files(project)
        shutil.rmtree(project)
    print(f"\nimport kills: {TRIES} tried, nothing lost in {sum(outcomes.values())} "
          f"({outcomes['all']} complete, {outcomes['none']} untouched, {staged} killed "
          f"while staging, {recovered} completed by the next reader); "
          f"an import takes {duration:.1f} s")
    assert sum(outcomes.values()) == TRIES
