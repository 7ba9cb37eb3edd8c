"""The scaling benchmark's larger publications: real content, copied under new ids, valid."""

from __future__ import annotations

import sys

from conftest import ROOT, copy_project

from booklet.build.plan import plan
from booklet.check.run import load_and_check
from booklet.errors import Problems
from booklet.paths import ProjectPaths

sys.path.insert(0, str(ROOT / "benchmarks"))
from scaling import enlarge  # noqa: E402  (benchmarks/ is not a package)


def test_an_enlarged_publication_checks_and_holds_every_factsheet_that_many_times(tmp_path):
    project = copy_project(tmp_path / "project")
    assert enlarge(project, 3) == 3 * 17
    problems = Problems()
    content = load_and_check(ProjectPaths(project), ["en", "th"], problems)
    assert problems.items == []
    for code, factsheets in (("en", 17), ("th", 12)):
        outputs = plan(content, [code], "screen")
        ids = [output.factsheet.id for output in outputs if output.kind == "factsheet"]
        assert len(ids) == 3 * factsheets and len(set(ids)) == len(ids)
        assert {"sexting", "sexting-2", "sexting-3"} <= set(ids)
    copied = project / "content" / "th" / "manifestations" / "sexting-3.yaml"
    assert copied.read_bytes() == (copied.parent / "sexting.yaml").read_bytes()
    text = (project / "content" / "publication.yaml").read_text("utf-8")
    assert "      - {id: sexting-3, slug: sexting-3}\n" in text
    assert text.startswith((ROOT / "content" / "publication.yaml").read_text("utf-8")[:400])
