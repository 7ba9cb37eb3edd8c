"""Sharded builds: two parts built in two copies of the project, merged, are the single build.

English (booklet and 17 factsheets) and Thai (12), both editions: the smallest
selection with booklets and factsheets in two languages and scripts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run
from ruamel.yaml import YAML

from booklet.build.shard import Shard, expected_pages, split
from booklet.cli import main
from booklet.content.load import load_publication
from booklet.errors import Problems
from booklet.paths import ProjectPaths

LANGUAGES = ["--lang", "en", "--lang", "th"]
WORKFLOW = ROOT / "docs" / "ci" / "github-actions-sharded.yml"


def _build(root: Path, *args: str) -> None:
    assert main(["build", "--project", str(root), *LANGUAGES, "--quiet", *args]) == 0


def _pdfs(root: Path) -> dict[str, bytes]:
    build = root / "build"
    return {str(path.relative_to(build)): path.read_bytes()
            for path in sorted(build.rglob("*.pdf"))}


def _report(root: Path) -> dict:
    """build/report.json without its timings, which no two builds share."""
    report = json.loads((root / "build" / "report.json").read_text("utf-8"))
    report["last_build"].pop("seconds")
    return report


def _with_build(source: Path, target: Path) -> Path:
    """A copy of the project with ``source``'s build folder."""
    root = copy_project(target)
    shutil.copytree(source / "build", root / "build", ignore=shutil.ignore_patterns(".lock*"))
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """The single build, the two parts, each in its own copy, and their merge."""
    folder = tmp_path_factory.mktemp("shards")
    roots = {name: copy_project(folder / name) for name in ("single", "1", "2", "merged")}
    _build(roots["single"])
    _build(roots["1"], "--shard", "1/2")
    _build(roots["2"], "--shard", "2/2")
    assert main(["merge-reports", "--project", str(roots["merged"]), "--quiet",
                 str(roots["1"] / "build"), str(roots["2"] / "build")]) == 0
    return roots


def _publication():
    return load_publication(ProjectPaths(ROOT), Problems())


def test_each_part_builds_whole_languages_of_its_own(builds):
    part_languages = {name: {Path(path).parts[1] for path in _pdfs(builds[name])}
                      for name in ("1", "2")}
    assert part_languages == {"1": {"en"}, "2": {"th"}}
    part = json.loads((builds["2"] / "build" / "report-part.json").read_text("utf-8"))
    assert part["shard"] == {"index": 2, "count": 2} and part["own"] == ["th"]
    assert sorted(part["groups"]) == ["print/th", "screen/th"]
    assert {output["language"] for output in part["outputs"]} == {"th"}


def test_merged_parts_are_the_single_build_byte_for_byte(builds):
    single, merged = _pdfs(builds["single"]), _pdfs(builds["merged"])
    assert len(single) == 2 * (1 + 17) + 2 * (1 + 12)
    assert sorted(merged) == sorted(single)
    assert [name for name in single if merged[name] != single[name]] == []
    assert _report(builds["merged"]) == _report(builds["single"])


def test_more_parts_than_it_takes_and_parts_already_built(builds, tmp_path):
    """Three parts of two languages: the third is empty; parts up to date just say so."""
    parts = [_with_build(builds["1"], tmp_path / "1"), _with_build(builds["2"], tmp_path / "2"),
             copy_project(tmp_path / "3")]
    for index, root in enumerate(parts, 1):
        _build(root, "--shard", f"{index}/3")
    assert _pdfs(parts[0]) == _pdfs(builds["1"]) and _pdfs(parts[2]) == {}
    merged = copy_project(tmp_path / "merged")
    assert main(["merge-reports", "--project", str(merged), "--quiet",
                 *(str(root / "build") for root in parts)]) == 0
    assert _pdfs(merged) == _pdfs(builds["single"])
    assert _report(merged) == _report(builds["single"])


def test_the_split_is_whole_balanced_and_the_same_every_time():
    publication = _publication()
    languages = publication.languages
    costs = {code: expected_pages(publication, code) for code in languages}
    # Three of English's factsheets have a budget of three pages, one of Russian's and Thai's.
    assert costs["en"] == 46 and costs["ru"] == 18 and costs["th"] == 33
    for count in range(1, len(languages) + 3):
        parts = split(publication, languages, count)
        assert parts == split(publication, list(languages), count)
        assert sorted(code for part in parts for code in part) == sorted(languages)
        for part in parts:  # each part keeps the order asked
            assert part == [code for code in languages if code in part]
        loads = [sum(costs[code] for code in part) for part in parts]
        # Dealt largest first to the least loaded: no part is more than a language over another.
        assert max(loads) - min(loads) <= max(costs.values())
        assert sum(not part for part in parts) == max(0, count - len(languages))
    assert split(publication, languages, 2) == [
        ["en", "es", "ru", "tr", "th", "lo"], ["fr", "vi", "id", "km", "my"]]


@pytest.mark.parametrize(("given", "says"), [
    ("0/2", "from 1 to 2"), ("3/2", "from 1 to 2"), ("1/0", "1 or more"),
    ("2", "is not I/N"), ("a/b", "is not I/N"), ("1/2/3", "is not I/N")])
def test_a_wrong_shard_is_a_usage_error(given, says, project, capsys):
    code, _, err = run(["build", "--project", str(project), "--shard", given], capsys)
    assert code == 2 and says in err and "--shard" in err
    assert not (project / "build" / "report.json").exists()
    assert Shard.parse("2/3") == Shard(2, 3)


def test_a_language_the_publication_lacks_is_a_usage_error(project, capsys):
    code, _, err = run(["build", "--project", str(project), "--lang", "xx", "--shard", "1/2"],
                       capsys)
    assert code == 2 and "unknown language 'xx'" in err


def _refused(merged: Path, folders: list[Path], capsys) -> str:
    code, _, err = run(["merge-reports", "--project", str(merged),
                        *(str(folder) for folder in folders)], capsys)
    assert code == 1
    assert not (merged / "build" / "report.json").exists() and _pdfs(merged) == {}
    return err


def test_merge_refuses_an_incomplete_or_repeated_set(builds, tmp_path, capsys):
    first, second = builds["1"] / "build", builds["2"] / "build"
    merged = copy_project(tmp_path / "merged")
    assert "part(s) 2 of 2 missing" in _refused(merged, [first], capsys)
    err = _refused(merged, [first, first, second], capsys)
    assert "part 1/2 given twice" in err
    assert "no report part here" in _refused(merged, [tmp_path], capsys)


def test_merge_refuses_a_damaged_pdf_naming_it(builds, tmp_path, capsys):
    damaged = _with_build(builds["2"], tmp_path / "2")
    pdf = damaged / "build" / "screen" / "th" / "booklet.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF  # the same size, other bytes
    pdf.write_bytes(bytes(data))
    merged = copy_project(tmp_path / "merged")
    err = _refused(merged, [builds["1"] / "build", damaged / "build"], capsys)
    assert f"{pdf}: not the bytes its part recorded" in err
    assert "report-part.json: groups.screen/th.outputs" in err


def test_merge_refuses_parts_built_from_other_content(builds, tmp_path, capsys):
    merged = copy_project(tmp_path / "merged")
    edited = merged / "content" / "th" / "manifestations" / "sexting.yaml"
    edited.write_text(edited.read_text("utf-8") + "\n# edited after the parts were built\n",
                      "utf-8")
    err = _refused(merged, [builds["1"] / "build", builds["2"] / "build"], capsys)
    assert "print/th was built from other inputs" in err and "screen/th" in err
    assert "en was built" not in err


def test_merge_names_the_line_of_a_broken_part(builds, tmp_path, capsys):
    broken = tmp_path / "part"
    broken.mkdir()
    text = (builds["1"] / "build" / "report-part.json").read_text("utf-8")
    (broken / "report-part.json").write_text(text.replace('"own": [', '"own": [,', 1), "utf-8")
    line = text[:text.index('"own": [')].count("\n") + 1
    err = _refused(copy_project(tmp_path / "merged"), [broken], capsys)
    assert f"report-part.json:{line}: not JSON" in err


def test_the_ci_example_runs_every_part_then_merges():
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    shards = int(workflow["env"]["SHARDS"])
    build, merge = workflow["jobs"]["build"], workflow["jobs"]["merge"]
    assert build["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    runs = [step.get("run", "") for step in build["steps"]]
    assert any('--shard "${{ matrix.shard }}/${SHARDS}"' in command for command in runs)
    uploads = [step for step in build["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "build/"
    assert merge["needs"] == "build"
    assert any("booklet merge-reports parts/part-*" in step.get("run", "")
               for step in merge["steps"])
