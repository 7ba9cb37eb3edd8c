"""Bad input: every fixture under fixtures/bad/ is one problem, with its expected message.

Each fixture folder holds `input`, the file that replaces `replaces` in a copy
of the project, and `fixture.yaml`: the command to run, the exit code and the
lines the error output must contain. Whatever the problem, the output names the
file (and, where there is one, the line and key), and never shows a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "bad").iterdir())


def test_there_are_enough_fixtures():
    assert len(FIXTURES) >= 30


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_bad_input_gives_a_clear_error(fixture, project, capsys):
    meta = yaml.safe_load((fixture / "fixture.yaml").read_text(encoding="utf-8"))
    data = (fixture / "input").read_bytes()
    if "pad_to_bytes" in meta:
        data += b"\n# " + b"x" * (meta["pad_to_bytes"] - len(data)) + b"\n"
    target = project / meta["replaces"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if meta["command"] == "build":
        argv = ["build", "--project", str(project), "--lang", "en", "--quiet"]
    else:
        argv = ["check", "--project", str(project), "--lang", "en", "--lang", "ru"]
    if meta.get("strict"):
        argv.append("--strict")
    code, out, err = run(argv, capsys)
    assert code == meta["exit"], err
    for line in meta["expect"]:
        assert line in err, f"{line!r} not in:\n{err}"
    assert "Traceback" not in err and "internal error" not in err
    # Nothing half-written is left behind.
    assert not list((project / "build").rglob("*.tmp")) if (project / "build").exists() else True
