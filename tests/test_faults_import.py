"""Fault injection on import: killed at random moments, every time all files change or none.

A returned PO file changes the titles of 16 Khmer files and the history of
English texts. The import is killed (SIGKILL) 20 times, each in a fresh copy
of the project: half at a random moment of its run, half at a random moment
within 50 ms of its first staged file (where its writing begins). Then the
project is read as any command reads it, and its content and catalogue files
must be exactly as before the import or exactly as after a complete one, with
no temporary file left once the next import has held the lock.

The same, many more times and faster, for the file-level protocol alone
(booklet.files.replace_together) in a process of its own.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
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


def writing(project: Path, process, delay: float) -> None:
    """Wait until the import stages its first file, then ``delay`` seconds more."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if temporary_files(project / "content") or temporary_files(project / "locales"):
            time.sleep(delay)
            return
        time.sleep(0.001)


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
        if attempt % 2:
            time.sleep(chance.uniform(0.2, duration))
        else:  # the moment that matters most, whenever it comes: writing begins
            writing(project, process, chance.uniform(0, 0.05))
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


FILES = 200
REPLACER = """
import sys
from pathlib import Path
from booklet.files import replace_together
folder, files = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
replace_together(folder / "journal", {folder / f"{n:03}.txt": b"after " * 1_000
                                      for n in range(files)})
"""
FILE_TRIES = 40


def test_files_replaced_together_and_killed_are_all_new_or_all_old_once_read(tmp_path):
    from faults import ENV, ROOT

    from booklet.files import recover, remove_temporary_files

    chance = random.Random(SEED)
    outcomes = {"none": 0, "all": 0}
    mid_renames = 0
    for attempt in range(FILE_TRIES):
        folder = tmp_path / f"try-{attempt}"
        folder.mkdir()
        for n in range(FILES):
            (folder / f"{n:03}.txt").write_bytes(b"before")
        process = subprocess.Popen([sys.executable, "-c", REPLACER, str(folder), str(FILES)],
                                   cwd=ROOT, env=ENV, stdout=subprocess.PIPE)
        assert process.stdout.readline() == b"ready\n"  # imported: the writing starts now
        if attempt % 2:
            time.sleep(chance.uniform(0.0, 0.25))
        else:  # as soon as the journal is there: in the middle of the renames, if lucky
            journal = folder / "journal"
            while process.poll() is None and not journal.exists():
                pass
        process.kill()
        process.wait()
        process.stdout.close()
        mid_renames += (folder / "journal").exists() and any(
            (folder / f"{n:03}.txt").read_bytes() == b"before" for n in range(FILES))
        recover(folder / "journal")  # what the next command does
        remove_temporary_files(folder)  # what the next holder of the lock does
        texts = {path.read_bytes() for path in folder.iterdir()}
        assert texts in ({b"before"}, {b"after " * 1_000}), attempt
        outcomes["none" if texts == {b"before"} else "all"] += 1
        assert sorted(p.name for p in folder.iterdir()) == [f"{n:03}.txt"
                                                            for n in range(FILES)]
    print(f"\nreplace_together kills: {FILE_TRIES} tried, nothing lost in "
          f"{sum(outcomes.values())} ({outcomes['all']} complete, {outcomes['none']} "
          f"untouched, {mid_renames} killed between journal and last rename)")
