"""Fault injection on builds: killed, raced, edited under, starved, fed what is not a file.

Each test runs the real CLI in subprocesses (see faults.py) and looks at what a
user would find afterwards: the exit code and message, the PDFs, the report,
left-over processes and temporary files, and whether the next build works.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project
from faults import (
    ENV,
    ROOT,
    SMALL_BUILD,
    assert_one_clear_error,
    assert_outputs_whole,
    booklet,
    can_unshare,
    command,
    copy_built,
    descendants,
    digest,
    in_namespace,
    kill_all,
    start,
    temporary_files,
    wait_gone,
)
from pdftext import page_texts

#: Kills of a running build; each at a random moment of its run.
KILLS = 6
SEED = int(os.environ.get("BOOKLET_FAULT_SEED", "18"))
SEXTING = "content/en/manifestations/sexting.yaml"
SEXTING_PDF = "build/screen/en/factsheets/manifestations-3-sexting.pdf"
OLD, NEW = "It is a frequent practice among", "It is a common practice among"


@pytest.fixture
def built(screen_build, tmp_path) -> Path:
    return copy_built(screen_build, tmp_path / "project")


def rendered(result) -> int:
    found = re.search(r"rendered (\d+) of", result.stdout)
    return int(found.group(1)) if found else 0


# Killed ---------------------------------------------------------------------------

def test_a_build_killed_at_random_moments_leaves_no_worker_and_the_next_build_works(built):
    """kill -9 of the build alone (not its process group): its workers must go by themselves."""
    chance = random.Random(SEED)
    survived, with_workers = 0, 0
    for _ in range(KILLS):
        process = start("build", "--force", *SMALL_BUILD, "--jobs", "2", project=built)
        time.sleep(chance.uniform(0.3, 6.0))
        workers = descendants(process.pid)
        with_workers += bool(workers)
        process.kill()  # SIGKILL: no cleanup of any kind
        process.communicate()
        left = wait_gone(workers, 5)
        kill_all(left)  # never leave them to later tests, even when this one fails
        assert not left, f"workers {left} outlived their build"
        survived += 1
    holder_left = (built / "build/.lock.holder").exists()
    result = booklet("build", *SMALL_BUILD, project=built)
    assert result.returncode == 0, result.stderr
    if holder_left:
        assert "stopped without releasing it; lock taken over" in result.stderr
    assert not temporary_files(built)
    assert assert_outputs_whole(built) == 18
    assert with_workers >= 2  # most kills came while workers were running
    print(f"\nkills: {KILLS} tried, {survived} survived ({with_workers} with workers running)")


def test_a_build_killed_with_its_process_group_is_resumed_where_it_stopped(built):
    """The classic Ctrl-\\ or OOM of everything: the next build renders only what is missing."""
    before = {p: digest(p) for p in (built / "build").rglob("*.pdf")}
    process = start("build", "--force", *SMALL_BUILD, "--jobs", "2", project=built)
    journal = built / "build/report.journal"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (journal.exists() and
                                               journal.read_text().count("\n") >= 4):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    result = booklet("build", *SMALL_BUILD, project=built)
    assert result.returncode == 0, result.stderr
    assert rendered(result) <= 18 - 3  # what the killed build finished is kept
    assert not temporary_files(built)
    assert assert_outputs_whole(built) == len(before)


# Raced ----------------------------------------------------------------------------

def test_two_builds_at_once_one_runs_the_other_is_refused_clearly(built):
    first = start("build", "--force", *SMALL_BUILD, project=built)
    time.sleep(1.0)
    second = booklet("build", "--force", *SMALL_BUILD, project=built)
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert_one_clear_error(second, "another build or import is running in this project",
                           f"pid {first.pid} (build)")
    assert not temporary_files(built)
    assert assert_outputs_whole(built) == 18


def test_an_edit_during_a_build_leaves_its_outputs_out_of_date(built):
    process = start("build", "--force", *SMALL_BUILD, project=built)
    journal = built / "build/report.journal"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not journal.exists():
        time.sleep(0.02)
    path = built / SEXTING
    path.write_text(path.read_text("utf-8").replace(OLD, NEW, 1), "utf-8")
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert f"changed while the build ran: {SEXTING}" in err
    # Recorded as made from what the build read: the next build makes the new text.
    again = booklet("build", *SMALL_BUILD, project=built)
    assert again.returncode == 0 and rendered(again) >= 1, again.stdout
    assert NEW in " ".join(page_texts(built / SEXTING_PDF))
    assert "up to date" in booklet("build", *SMALL_BUILD, project=built).stdout


def test_an_output_damaged_without_changing_its_size_is_built_again(built):
    damaged = built / SEXTING_PDF
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = booklet("build", *SMALL_BUILD, project=built)
    assert result.returncode == 0 and rendered(result) == 1, result.stdout
    assert assert_outputs_whole(built) == 18


# Not files ------------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["check", "build"])
def test_a_fifo_as_a_content_file_is_refused_not_waited_on(project, verb):
    (project / SEXTING).unlink()
    os.mkfifo(project / SEXTING)
    languages = SMALL_BUILD if verb == "build" else ["--lang", "en"]
    result = booklet(verb, *languages, project=project, timeout=120)
    assert_one_clear_error(result, f"{SEXTING}: file is not a regular file (a FIFO): not read")


@pytest.mark.parametrize("target", ["/dev/zero", "outside"])
def test_a_content_file_leading_outside_the_project_is_not_read(project, tmp_path, target):
    outside = tmp_path / "outside.yaml"
    shutil.copy(project / SEXTING, outside)
    (project / SEXTING).unlink()
    (project / SEXTING).symlink_to(outside if target == "outside" else target)
    result = booklet("check", "--lang", "en", project=project, timeout=120)
    assert result.returncode == 1
    assert f"{SEXTING}: file leads outside {project}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["a FIFO", "a character device"])
def test_a_fifo_or_a_device_given_to_import_is_refused(project, tmp_path, kind):
    path = tmp_path / "returned.po"
    if kind == "a FIFO":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = booklet("import", str(path), "--lang", "km", project=project, timeout=120)
    assert_one_clear_error(result, f"{path} is not a regular file ({kind})")


# The machine ------------------------------------------------------------------------

def build_on_small_disk(project: Path, size: str, copy: Path) -> subprocess.CompletedProcess:
    """A build whose build/ is a tmpfs of ``size``; what it left is copied to ``copy``."""
    build = project / "build"
    build.mkdir(exist_ok=True)
    prefix = in_namespace(f"mount -t tmpfs -o size={size} tmpfs {build}",
                          f"cp -a {build}/. {copy}/")
    copy.mkdir()
    return booklet("build", *SMALL_BUILD, project=project, prefix=prefix)


@pytest.mark.skipif(not can_unshare(), reason="no user namespaces: see the file-size test")
@pytest.mark.parametrize("size", ["256k", "1m"])
def test_a_full_disk_ends_in_one_message_and_leaves_nothing_half_written(project, tmp_path,
                                                                         size):
    left = tmp_path / "left"
    result = build_on_small_disk(project, size, left)
    line = assert_one_clear_error(result, "No space left on device")
    assert re.match(r"error: \S+/build/\S+: No space left on device$", line), line
    assert not temporary_files(left)
    for pdf in left.rglob("*.pdf"):  # what is there is whole
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
    json.loads((left / "report.json").read_text("utf-8"))


def test_a_file_size_limit_ends_in_one_message_too(project):
    """A full disk as any user can make one: writes beyond 200 KB fail (EFBIG)."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    result = subprocess.run(command("build", *SMALL_BUILD, project=project), cwd=ROOT,
                            env=ENV, capture_output=True, text=True, timeout=300,
                            preexec_fn=limited)
    assert_one_clear_error(result, "File too large")
    assert not temporary_files(project)


@pytest.mark.skipif(not can_unshare(), reason="no user namespaces to mount build/ read-only")
def test_a_read_only_build_folder_ends_in_one_message(built):
    build = built / "build"
    before = {p: digest(p) for p in build.rglob("*.pdf")}
    prefix = in_namespace(f"mount --bind {build} {build} && "
                          f"mount -o remount,bind,ro {build}")
    result = booklet("build", "--force", *SMALL_BUILD, project=built, prefix=prefix)
    assert_one_clear_error(result, "build/.lock: Read-only file system")
    assert {p: digest(p) for p in build.rglob("*.pdf")} == before


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv to drop a capability")
def test_a_folder_the_build_may_not_write_ends_in_one_message(built):
    factsheets = built / "build/screen/en/factsheets"
    factsheets.chmod(0o555)
    try:
        # Root may write anywhere: without CAP_DAC_OVERRIDE it obeys the permissions.
        prefix = ["setpriv", "--inh-caps=-all",
                  "--bounding-set=-dac_override,-dac_read_search"] if os.getuid() == 0 else []
        result = booklet("build", "--force", *SMALL_BUILD, project=built, prefix=prefix)
    finally:
        factsheets.chmod(0o755)
    assert_one_clear_error(result, "build/screen/en/factsheets/", "Permission denied")
    assert not temporary_files(built)
    assert assert_outputs_whole(built) == 18


def test_a_build_folder_that_leads_nowhere_ends_in_one_message(project, tmp_path):
    (project / "build").symlink_to(tmp_path / "gone" / "build")
    assert_one_clear_error(booklet("build", *SMALL_BUILD, project=project), "build")


def test_a_name_too_long_ends_in_one_message(tmp_path):
    project = copy_project(tmp_path / "project")
    deep = project / ("x" * 300)
    assert_one_clear_error(booklet("check", project=deep), "File name too long")


def test_the_tool_imports_where_there_is_no_fcntl():
    """As on Windows: no module of the package needs a Unix-only lock to import."""
    script = ("import sys, warnings, importlib, pkgutil\n"
              "sys.modules['fcntl'] = None\n"
              "warnings.simplefilter('ignore')  # filelock: 'only soft file lock is available'\n"
              "import booklet\n"
              "for module in pkgutil.walk_packages(booklet.__path__, 'booklet.'):\n"
              "    if module.name != 'booklet.__main__':\n"
              "        importlib.import_module(module.name)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
