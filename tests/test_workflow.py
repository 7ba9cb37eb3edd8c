"""The translation workflow, end to end in temporary copies of the project:
status and staleness per text, diff, review, new languages, incremental
builds, page budgets and releases."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run
from pdftext import page_texts, squash

from booklet.build.run import build
from booklet.paths import ProjectPaths
from booklet.render.fit import TIGHTEST

SEXTING = "content/en/manifestations/sexting.yaml"
STALE_PATH = "blocks[0].definitions[0].blocks[1].paragraph"
OLD = "It is a frequent practice among young persons"
NEW = "It is a common practice among young people"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def status_json(project: Path, capsys, *languages: str) -> dict:
    argv = ["status", "--project", str(project), "--format", "json"]
    for code in languages:
        argv += ["--lang", code]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    return {lang["language"]: lang for lang in json.loads(out)["languages"]}


def parts_of(language: dict) -> dict:
    return {part["part"]: part for part in language["parts"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Status, diff and review ---------------------------------------------------

def test_an_english_edit_makes_exactly_that_text_stale_in_every_language(project, capsys):
    before = status_json(project, capsys)
    assert all(p["state"] != "stale" for lang in before.values() for p in lang["parts"])
    edit(project / SEXTING, OLD, NEW)
    after = status_json(project, capsys)
    having = [code for code, lang in after.items() if code != "en"]
    assert len(having) == 10  # every translation carries the Manifestations series
    for code in having:
        parts = parts_of(after[code])
        stale = {name: part for name, part in parts.items() if part["state"] == "stale"}
        assert list(stale) == ["sexting"], code
        assert [s["path"] for s in stale["sexting"]["stale"]] == [STALE_PATH]
        assert stale["sexting"]["current"] == stale["sexting"]["texts"] - 1
        assert after[code]["completion"] < 100
    assert parts_of(after["en"])["sexting"]["state"] == "source"

    code, out, _ = run(["status", "--project", str(project)], capsys)
    assert code == 0
    assert f"km sexting: {STALE_PATH} (source changed)" in out
    code, _, err = run(["status", "--project", str(project), "--fail-on", "stale"], capsys)
    assert code == 1 and "fr sexting (stale)" in err
    assert run(["status", "--project", str(project), "--fail-on", "missing,fallback"],
               capsys)[0] == 0
    code, _, err = run(["status", "--project", str(project), "--fail-on", "nonsense"], capsys)
    assert code == 2 and "nonsense" in err


def test_diff_shows_the_english_then_and_now_without_version_history(project, capsys):
    edit(project / SEXTING, OLD, NEW)
    code, out, _ = run(["diff", "--project", str(project), "fr", "sexting"], capsys)
    assert code == 0
    assert f"sexting {STALE_PATH}" in out
    assert "source then: " + OLD in out
    assert "source now:  " + NEW in out
    assert "[-frequent-]{+common+}" in out
    assert "fr now:      C’est une pratique fréquente" in out
    assert "1 stale text(s)" in out
    code, out, _ = run(["diff", "--project", str(project), "fr", "grooming"], capsys)
    assert code == 0 and "nothing is stale" in out
    code, _, err = run(["diff", "--project", str(project), "fr", "sextng"], capsys)
    assert code == 1 and "did you mean 'sexting'" in err
    code, _, err = run(["diff", "--project", str(project), "ru", "tor"], capsys)
    assert code == 1 and "does not carry 'tor'" in err


def test_review_signs_off_a_current_part_and_refuses_a_stale_one(project, capsys):
    edit(project / SEXTING, OLD, NEW)
    sexting = project / "content/fr/manifestations/sexting.yaml"
    before = sexting.read_bytes()
    code, _, err = run(["review", "--project", str(project), "fr", "sexting",
                        "--reviewer", "Marie Dupont"], capsys)
    assert code == 1 and "is stale" in err and STALE_PATH in err
    assert sexting.read_bytes() == before

    code, out, err = run(["review", "--project", str(project), "fr", "grooming",
                          "--reviewer", "Marie Dupont"], capsys)
    assert code == 0, err
    grooming = (project / "content/fr/manifestations/grooming.yaml").read_text("utf-8")
    assert re.search(r'^  state: reviewed\n  reviewer: "Marie Dupont"\n  reviewed: "\d{4}-',
                     grooming, re.MULTILINE)
    code, _, _ = run(["review", "--project", str(project), "km", "messages",
                      "--reviewer", "Sok Dara"], capsys)
    assert code == 0
    after = status_json(project, capsys, "fr", "km")
    assert parts_of(after["fr"])["grooming"]["state"] == "reviewed"
    assert parts_of(after["fr"])["grooming"]["reviewer"] == "Marie Dupont"
    assert parts_of(after["km"])["messages"]["state"] == "reviewed"
    assert after["fr"]["reviewed"] > 0
    # A reviewed file is still a valid content file.
    assert run(["check", "--project", str(project), "--lang", "fr"], capsys)[0] == 0


def test_status_as_a_standalone_html_page(project, capsys, tmp_path):
    target = tmp_path / "status.html"
    code, _, _ = run(["status", "--project", str(project), "--format", "html",
                      "--output", str(target)], capsys)
    assert code == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    # One cell per part in each state, as the JSON status has it, and the legend's entry.
    languages = status_json(project, capsys).values()
    for state in ("draft", "reviewed"):
        cells = sum(part["state"] == state for language in languages
                    for part in language["parts"])
        assert cells and page.count(f'class="{state}"') == cells + 1
    # Every translated part is there: 10 languages × (4 matter files + catalogue +
    # Manifestations 6) + 2 × Legal 6 + 8 × Internet 8.
    assert sum(part["state"] in ("draft", "reviewed") for language in languages
               for part in language["parts"]) == 10 * 11 + 2 * 6 + 8 * 8
    assert "ខ្មែរ" in page  # each language by its own name
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere


# New languages ----------------------------------------------------------------

def test_a_new_language_is_scaffolded_and_builds(project, capsys):
    (project / "content/de").mkdir()
    (project / "content/de/foreword.yaml").write_text(
        (project / "content/fr/foreword.yaml").read_text("utf-8"), encoding="utf-8")
    kept = (project / "content/de/foreword.yaml").read_bytes()
    code, out, err = run(["new-language", "--project", str(project), "de",
                          "--series", "manifestations"], capsys)
    assert code == 0, err
    assert "added Deutsch (German, de)" in out
    assert "kept  content/de/foreword.yaml" in out
    assert (project / "content/de/foreword.yaml").read_bytes() == kept
    csam = (project / "content/de/manifestations/csam.yaml").read_text("utf-8")
    assert "translation:\n  state: missing\n" in csam
    assert not (project / "content/de/internet").exists()
    publication = (project / "content/publication.yaml").read_text("utf-8")
    assert "languages: [en, fr, es, ru, tr, vi, id, th, km, lo, my, de]" in publication
    assert publication.count(", de]") == 2  # the publication and the Manifestations series
    assert (project / "locales/de/LC_MESSAGES/messages.po").is_file()

    parts = parts_of(status_json(project, capsys, "de")["de"])
    assert parts["csam"]["state"] == "missing" and parts["front"]["state"] == "fallback"
    assert "tor" not in parts

    code, _, err = run(["new-language", "--project", str(project), "de"], capsys)
    assert code == 1 and "already a language" in err
    code, _, err = run(["new-language", "--project", str(project), "qq"], capsys)
    assert code == 1 and "unknown language code 'qq'" in err

    code, _, err = run(["build", "--project", str(project), "--lang", "de", "--edition",
                        "screen", "--quiet"], capsys)
    assert code == 0, err
    assert (project / "build/screen/de/booklet.pdf").is_file()


# Incremental builds, budgets, releases -----------------------------------------

@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    """English and French, both editions, built once."""
    root = copy_project(tmp_path_factory.mktemp("workflow") / "project")
    build(ProjectPaths(root), ["en", "fr"])
    return root


def test_a_no_change_build_renders_nothing_and_never_imports_weasyprint(french):
    script = ("import sys; from booklet.cli import main; "
              f"code = main(['build', '--project', {str(french)!r}, '--lang', 'en', "
              "'--lang', 'fr']); print('weasyprint' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "up to date: 72 PDF(s)" in result.stdout and "nothing rendered" in result.stdout
    assert result.stdout.strip().endswith("False")


def test_a_one_factsheet_change_renders_that_factsheet_and_its_booklet_only(french):
    pdfs = {p: digest(p) for p in (french / "build").rglob("*.pdf")}
    edit(french / "content/fr/manifestations/sexting.yaml", "C’est une pratique fréquente",
         "C’est une pratique très répandue")
    result = build(ProjectPaths(french), ["en", "fr"])
    assert sorted(result["rendered"]) == [
        "build/print/fr/booklet.pdf",
        "build/print/fr/factsheets/manifestations-3-sexting.pdf",
        "build/screen/fr/booklet.pdf",
        "build/screen/fr/factsheets/manifestations-3-sexting.pdf",
    ]
    changed = {str(p.relative_to(french)) for p, d in pdfs.items() if digest(p) != d}
    assert changed == set(result["rendered"])
    text = squash("".join(page_texts(
        french / "build/screen/fr/factsheets/manifestations-3-sexting.pdf")))
    assert squash("C’est une pratique très répandue") in text
    # The report knows what each output was made from, and its state.
    report = json.loads((french / "build/report.json").read_text("utf-8"))
    entry = next(o for o in report["outputs"]
                 if o["path"] == "build/screen/fr/factsheets/manifestations-3-sexting.pdf")
    assert entry["sha256"] == digest(french / entry["path"])
    state = entry["translation"]["sexting"]
    assert state["state"] == "reviewed" and state["reviewer"] and "draft" not in entry["attention"]
    assert report["groups"]["screen/fr"]["complete"] is True

    forced = build(ProjectPaths(french), ["fr"], editions=("screen",), force=True)
    assert len(forced["rendered"]) == 18


def test_a_print_booklet_started_at_the_last_levels_is_made_again_when_they_change(
        french, tmp_path):
    # The print booklet starts at the last build's copyfitting while French is fitted
    # again; here the edit moves the factsheet to another level, so it is made again.
    sheet = french / "content/fr/manifestations/sexting.yaml"
    original = sheet.read_text(encoding="utf-8")
    before = json.loads((french / "build/report.json").read_text("utf-8"))["fits"]
    sentence = "C’est une pratique très répandue"
    longer = sentence + (" chez les jeunes, et les parents comme les enseignants doivent en "
                         "parler avec eux sans les juger ni les punir") * 14
    try:
        edit(sheet, sentence, longer)
        result = build(ProjectPaths(french), ["fr"], jobs=2)
        fits = json.loads((french / "build/report.json").read_text("utf-8"))["fits"]
        assert fits["fr/sexting"]["level"] != before["fr/sexting"]["level"]
        assert "build/print/fr/booklet.pdf" in result["rendered"]
        # The same bytes as the edited content built from scratch.
        fresh = copy_project(tmp_path / "fresh")
        (fresh / "content/fr/manifestations/sexting.yaml").write_bytes(sheet.read_bytes())
        build(ProjectPaths(fresh), ["fr"], jobs=2)
        for folder in ("print/fr", "screen/fr"):
            made = sorted((french / "build" / folder).rglob("*.pdf"))
            assert made and {p.name: digest(p) for p in made} == {
                p.name: digest(p) for p in sorted((fresh / "build" / folder).rglob("*.pdf"))}
    finally:
        sheet.write_text(original, encoding="utf-8")
        build(ProjectPaths(french), ["fr"])


def test_a_factsheet_too_long_to_fit_is_reported_and_fails_strict_builds(french, capsys):
    report = json.loads((french / "build/report.json").read_text("utf-8"))
    live = next(o for o in report["outputs"]
                if o["path"] == "build/screen/fr/factsheets/manifestations-5-live-streaming.pdf")
    # Longer than the English, it is set tighter to keep to its two pages.
    assert live["pages"] == 2 and live["fit"]["level"] > 0 and not live["attention"][1:]
    path = french / "content/fr/manifestations/live-streaming.yaml"
    original = path.read_text(encoding="utf-8")
    paragraph = next(line for line in original.splitlines() if "- paragraph: " in line
                     and len(line) > 300)
    text = paragraph.split("- paragraph: ", 1)[1]
    path.write_text(original.replace(paragraph, paragraph + (" " + text) * 8),
                    encoding="utf-8")
    try:
        code, _, err = run(["build", "--project", str(french), "--lang", "fr", "--edition",
                            "screen", "--strict"], capsys)
        assert code == 1 and "over their page budget" in err
        assert re.search(r"fr/live-streaming: \d pages, budget 2", err)
        report = json.loads((french / "build/report.json").read_text("utf-8"))
        live = report["fits"]["fr/live-streaming"]
        # The tightest level, or the one before it where closing up the leading gains no page.
        assert live["level"] >= TIGHTEST - 1 and live["lines_over"] > 10
        code, out, _ = run(["status", "--project", str(french), "--lang", "fr"], capsys)
        assert re.search(r"fr/live-streaming: \d pages, budget 2", out)
        code, _, err = run(["status", "--project", str(french), "--lang", "fr",
                            "--fail-on", "budget"], capsys)
        assert code == 1 and "fr live-streaming (over budget)" in err
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_release_refuses_drafts_unless_allowed_and_lists_what_it_holds(french, capsys):
    code, _, err = run(["release", "--project", str(french), "--lang", "fr", "-q"], capsys)
    assert code == 1 and "release refused" in err and "au-convention (draft)" in err
    assert not (french / "build/release").exists()

    code, out, err = run(["release", "--project", str(french), "--lang", "en", "-q"], capsys)
    assert code == 0, err
    code, out, err = run(["release", "--project", str(french), "--lang", "fr", "--edition",
                          "screen", "--allow-drafts", "-q"], capsys)
    assert code == 0, err
    manifest = json.loads((french / "build/release/booklet-fr-screen.manifest.json")
                          .read_text("utf-8"))
    assert manifest["allow_drafts"] is True and manifest["unreviewed"]["au-convention"] == "draft"
    assert manifest["isbn"] == "BN-60-146267" and manifest["language"] == "fr"
    assert manifest["built_with"]["weasyprint"] == "70.0"
    with zipfile.ZipFile(french / "build/release/booklet-fr-screen.zip") as archive:
        names = archive.namelist()
        assert "booklet-fr-screen/manifest.json" in names
        assert len(names) == len(manifest["files"]) + 1 == 19
        for listed in manifest["files"]:
            data = archive.read(f"booklet-fr-screen/{listed['file']}")
            assert hashlib.sha256(data).hexdigest() == listed["sha256"]
    english = json.loads((french / "build/release/booklet-en-print.manifest.json")
                         .read_text("utf-8"))
    assert english["allow_drafts"] is False and english["unreviewed"] == {}
