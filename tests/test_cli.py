"""booklet as a Unix command: global options anywhere, colour and NO_COLOR, -q/-v, one-line
usage errors with exit 2, --version, shell completion, --format json, any platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from conftest import run
from test_exchange import change_english

from booklet.cli import cli, conventions
from booklet.version import __version__

ESCAPE = "\x1b["


def test_global_options_go_before_or_after_the_command(project, capsys):
    before = run(["--project", str(project), "-q", "check", "--lang", "fr"], capsys)
    after = run(["check", "--lang", "fr", "-q", "--project", str(project)], capsys)
    assert before == after
    assert before[0] == 0 and before[1].startswith("ok: ")


def test_quiet_leaves_out_notes_but_not_results(project, capsys):
    output = project / "status.json"
    code, out, err = run(["status", "--project", str(project), "--format", "json",
                          "-o", str(output)], capsys)
    assert (code, out, err.strip()) == (0, "", f"wrote {output}")
    code, out, err = run(["-q", "status", "--project", str(project), "--format", "json",
                          "-o", str(output)], capsys)
    assert (code, out, err) == (0, "", "")
    assert json.loads(output.read_text(encoding="utf-8"))


def test_verbose_is_counted(project, capsys):
    code, out, _ = run(["-v", "check", "--project", str(project), "--lang", "fr", "-v"], capsys)
    assert code == 0 and out.startswith("ok: ")


@pytest.fixture
def on_a_terminal(monkeypatch):
    monkeypatch.setattr(conventions, "on_terminal", lambda: True)


def diff(project: Path, capsys, *options: str) -> str:
    code, out, err = run(["diff", "--project", str(project), "km", "sexting", *options], capsys)
    assert code == 0, err
    return out


def test_colour_on_a_terminal(project, capsys, on_a_terminal, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    change_english(project)
    assert ESCAPE in diff(project, capsys)


def test_no_colour_when_no_color_is_set(project, capsys, on_a_terminal, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    change_english(project)
    out = diff(project, capsys)
    assert ESCAPE not in out
    assert "{+ very+}" in out  # the changes in wdiff's notation instead


def test_color_and_no_color_say_it_outright(project, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    change_english(project)
    assert ESCAPE in diff(project, capsys, "--color")
    assert ESCAPE not in diff(project, capsys, "--no-color")


@pytest.mark.parametrize("argv, says", [
    (["chek"], "booklet: No such command 'chek'"),
    (["check", "--bogus"], "booklet check: No such option '--bogus'"),
    (["build", "--edition", "paper"], "booklet build: Invalid value for '--edition'"),
    (["status", "--fail-on", "purple"], "unknown state(s) purple"),
    (["export"], "booklet export: Missing argument 'LANGUAGE'"),
])
def test_a_usage_error_is_one_line_and_exits_2(project, capsys, argv, says):
    code, out, err = run([*argv, "--project", str(project)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and says in err


def test_an_unknown_language_is_named_as_such(project, capsys):
    code, _, err = run(["check", "--project", str(project), "--lang", "xx"], capsys)
    assert code == 2
    assert err.startswith("error: unknown language 'xx': the publication's languages are en, ")
    assert "publication.yaml" not in err and len(err.splitlines()) == 1


def test_version(capsys):
    assert run(["--version"], capsys) == (0, f"booklet, version {__version__}\n", "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_completion_script_for_each_shell(capsys, shell):
    code, out, _ = run(["completion", shell], capsys)
    assert code == 0 and "_BOOKLET_COMPLETE" in out


def test_completion_offers_commands_and_options():
    complete = ShellComplete(cli, {}, "booklet", "_BOOKLET_COMPLETE")
    assert {"stamp", "status"} <= {c.value for c in complete.get_completions([], "st")}
    assert "--edition" in {c.value for c in complete.get_completions(["build"], "--ed")}
    assert {"print", "screen", "all"} == {
        c.value for c in complete.get_completions(["build", "--edition"], "")}


def json_of(argv: list[str], capsys) -> dict:
    code, out, err = run([*argv, "--format", "json"], capsys)
    assert code == 0, err
    return json.loads(out)


def test_every_reporting_command_speaks_json(project, capsys):
    p = ["--project", str(project)]
    assert json_of(["check", *p, "--lang", "km"], capsys)["languages"] == ["en", "km"]
    assert json_of(["status", *p, "--lang", "km"], capsys)
    assert json_of(["stamp", *p, "km"], capsys) == {"language": "km", "recorded": []}
    assert json_of(["schema", *p], capsys)["written"][0].startswith("schema/")
    change_english(project)
    stale = json_of(["diff", *p, "km", "sexting"], capsys)["stale"]
    assert [c["path"] for c in stale] == ["blocks[0].definitions[0].blocks[1].paragraph"]
    code, out, err = run(["export", *p, "km", "--report", "json"], capsys)
    exported = json.loads(out)
    assert (exported["segments"], exported["stale"]) == (1, 1)
    imported = json_of(["import", *p, str(project / exported["path"]), "--dry-run"], capsys)
    assert imported["dry_run"] and imported["skipped"] == 1  # still marked needs-review
    added = json_of(["new-language", *p, "de", "--series", "internet"], capsys)
    assert added["english_name"] == "German" and "content/publication.yaml" in added["written"]


def test_build_and_preflight_speak_json(built, capsys):
    report = json_of(["build", "--project", str(built), "--lang", "en"], capsys)
    assert report["rendered"] == [] and report["pages"] > 0
    pdf = built / "build" / "screen" / "en" / "booklet.pdf"
    checked = json_of(["preflight", str(pdf)], capsys)["files"]
    assert checked[0]["edition"] == "screen" and checked[0]["passed"]
    assert all(f["ok"] for f in checked[0]["findings"])
