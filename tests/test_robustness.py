"""Nothing lost: failed, interrupted, killed and concurrent builds leave earlier work intact."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pypdf
import pytest
from conftest import ROOT, run
from test_check import replace

from booklet.files import write_atomically


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_a_failed_build_leaves_earlier_outputs_and_report_intact(project, capsys):
    assert run(["build", "--project", str(project), "--lang", "en", "--quiet"], capsys)[0] == 0
    before = snapshot(project / "build")
    # A figure that asks for a file outside the project stops the next build.
    replace(project / "figures/tor.svg", "</svg>",
            '<image href="file:///etc/passwd" width="1" height="1"/></svg>')
    code, _, err = run(["build", "--project", str(project), "--lang", "en", "--quiet"], capsys)
    assert code == 1 and "refused to fetch file:///etc/passwd" in err
    after = snapshot(project / "build")
    pdfs = {path for path in before if path.endswith(".pdf")}
    assert {path: after.get(path) for path in pdfs} == {path: before[path] for path in pdfs}
    # The report may have recorded outputs finished before the failure; it still
    # lists every output, and the failed one is not marked as made from the new inputs.
    report = json.loads((project / "build/report.json").read_text("utf-8"))
    assert {o["path"] for o in report["outputs"]} == {"build/" + p for p in pdfs}
    assert report["groups"]["print/en"]["complete"] is False
    assert report["groups"]["screen/en"]["complete"] is False


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_partial_one(tmp_path):
    target = tmp_path / "booklet.pdf"
    target.write_bytes(b"the earlier, complete PDF")

    def interrupted(temporary):
        Path(temporary).write_bytes(b"%PDF-1.7 half of a new one")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, interrupted)
    assert target.read_bytes() == b"the earlier, complete PDF"
    assert [p.name for p in tmp_path.iterdir()] == ["booklet.pdf"]


def test_a_second_build_at_the_same_time_is_refused_clearly(project, capsys):
    (project / "build").mkdir()
    (project / "build/.lock.holder").write_text(f"pid {os.getpid()} (build)")
    with filelock.FileLock(project / "build/.lock", timeout=0):
        code, _, err = run(["build", "--project", str(project), "--lang", "en"], capsys)
    assert code == 1
    assert f"another build or import is running in this project (pid {os.getpid()} (build))" \
        in err


def test_a_killed_build_leaves_only_complete_pdfs_and_the_next_build_cleans_up(project):
    command = [sys.executable, "-m", "booklet", "build", "--project", str(project),
               "--lang", "en"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=ROOT, start_new_session=True)
    factsheets = project / "build/screen/en/factsheets"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(factsheets.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = list((project / "build").rglob("*.pdf"))
    for pdf in finished:
        assert len(pypdf.PdfReader(pdf).pages) > 0  # every PDF there is whole
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list((project / "build").rglob("*.tmp"))
    # The next build renders only what the killed one had not finished.
    rendered = int(re.search(r"rendered (\d+) of 36 PDF", result.stdout).group(1))
    assert rendered <= 36 - (len(finished) - 2)  # two may have been mid-write when killed


def test_no_command_changes_a_content_file_unless_that_is_its_purpose(project, capsys):
    before = snapshot(project / "content")
    assert run(["check", "--project", str(project)], capsys)[0] == 0
    assert run(["build", "--project", str(project), "--lang", "ru", "--quiet"], capsys)[0] == 0
    # Every Russian file is already recorded: stamping again changes nothing.
    assert run(["stamp", "ru", "--project", str(project)], capsys)[0] == 0
    assert snapshot(project / "content") == before


def test_a_figure_that_links_outside_the_project_is_refused(project, capsys):
    (project / "figures/evil.svg").symlink_to("/etc/passwd")
    replace(project / "content/en/internet/tor.yaml", "src: tor.svg", "src: evil.svg")
    code, _, err = run(["check", "--project", str(project), "--lang", "en"], capsys)
    assert code == 1
    assert "figure 'evil.svg' leads outside figures/" in err
