"""One layout per language and edition: factsheets are copied from the booklet's pages.

A copy must be the very PDF the factsheet gives when laid out alone, and the
booklet must not show the factsheets' own footers, nor a factsheet the
booklet's page numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project
from pdftext import page_texts

from booklet.build import plan, run
from booklet.build import writer as writing
from booklet.build.report import Report
from booklet.check.run import load_and_check
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.render import palette
from booklet.render.html import factsheet_markup


def _planned(project: ProjectPaths, code: str, edition: str):
    content = load_and_check(project, [code], Problems())
    renderer = plan.renderer_for(project, content, code, palette.load(project, edition))
    planned = [(output, plan.render_html(renderer, output), f"inputs-{index}")
               for index, output in enumerate(plan.plan(content, [code], edition))]
    return content, renderer, planned


@pytest.mark.parametrize(("code", "edition"), [("en", "screen"), ("my", "print")])
def test_a_factsheet_copied_from_the_booklet_is_the_factsheet_laid_out_alone(
        tmp_path, code, edition):
    project = ProjectPaths(copy_project(tmp_path / "project"))
    content, renderer, planned = _planned(project, code, edition)
    run._fix_dates(content)
    (booklet, _, _), *factsheets = planned
    needed = {booklet.path} | {output.path for output, _, _ in factsheets[:3]}
    tasks = plan.layouts(renderer, planned, needed)
    shared = tasks[0]
    assert shared.output == booklet and shared.copies
    writer = writing.Writer(project, content, {edition: palette.load(project, edition)}, False)
    _, *copied = writer.write(shared)["entries"]
    for copy, entry in zip(shared.copies, copied, strict=True):
        made = copy.output.path.read_bytes()
        alone = plan.Task(copy.output, copy.html, renderer, copy.inputs)
        # Laid out alone by a renderer that made nothing before it, and by the one
        # that laid out the booklet: a PDF does not depend on what came before it.
        fresh = writing.Writer(project, content, {edition: palette.load(project, edition)},
                               False)
        first = fresh.write(alone)["entries"][0]
        assert copy.output.path.read_bytes() == made, copy.output.label
        again = writer.write(alone)["entries"][0]
        assert first["sha256"] == again["sha256"] == entry["sha256"], copy.output.label
        assert entry["preflight"]["ok"]


def test_a_factsheet_is_laid_out_alone_only_when_it_reads_differently(tmp_path):
    project = ProjectPaths(copy_project(tmp_path / "project"))
    for code, expected_alone in (("en", 7), ("ru", 2)):
        _, renderer, planned = _planned(project, code, "screen")
        tasks = plan.layouts(renderer, planned, {output.path for output, _, _ in planned})
        booklet_html = planned[0][1]
        alone = [task.output.factsheet.id for task in tasks[1:]]
        assert len(alone) == expected_alone, (code, alone)
        assert len(tasks[0].copies) + len(alone) == len(planned) - 1
        for sheet_id in alone:  # each says "see page N" in the booklet, links to a PDF alone
            assert 'class="xref-page"' in factsheet_markup(booklet_html, sheet_id)
        # Nothing to write: nothing laid out.
        assert plan.layouts(renderer, planned, set()) == []
        # A booklet that is not written is not laid out for its factsheets' sake.
        sheets = {output.path for output, _, _ in planned[1:4]}
        assert [task.output.path for task in plan.layouts(renderer, planned, sheets)] == \
            [output.path for output, _, _ in planned[1:4]]


def test_the_booklet_shows_booklet_numbers_and_a_factsheet_its_own(built):
    booklet = page_texts(built / "build/screen/en/booklet.pdf")
    footer = "ECPAT International · 2017 · www.ecpat.org"
    assert not any("Page 1 of" in text or footer in text for text in booklet)
    grooming = next(i for i, text in enumerate(booklet)
                    if re.search(r"^2\s+Online Grooming", text, re.M))
    assert booklet[grooming].split()[-1] == str(grooming + 1)  # its number, bottom right
    sheet = page_texts(built / "build/screen/en/factsheets/"
                       "manifestations-2-online-grooming.pdf")
    assert [text.split()[-1] for text in sheet] == ["2", "2"]  # "Page 1 of 2", "Page 2 of 2"
    assert "Page 1 of 2" in sheet[0] and "Page 2 of 2" in sheet[1]
    assert all(footer in text for text in sheet)
    assert not any(re.search(rf"(^|\s){grooming + 1}\s*$", text) for text in sheet)


def test_a_full_build_records_how_many_layouts_it_needed(built):
    import json

    report = json.loads((Path(built) / "build/report.json").read_text())
    last = report["last_build"]
    assert last["rendered"] == 36
    assert last["layouts"] == 2 * (1 + 7)  # per edition: the booklet, 7 factsheets alone


def test_a_failure_while_writing_a_copy_names_the_copy(project, monkeypatch):
    real = writing.finish

    def broken(path, **options):
        if "online-grooming" in str(path):
            raise ZeroDivisionError("simulated")
        return real(path, **options)

    monkeypatch.setattr(writing, "finish", broken)
    with pytest.raises(RuntimeError) as failure:
        run.build(ProjectPaths(project), ["ru"], editions=("screen",), jobs=1)
    # The screen edition is written by copyfitting, from its layouts.
    assert "while fitting ru and writing its screen edition, while writing screen ru " \
           "manifestations-2-online-grooming.pdf" in str(failure.value)
    # What was written before it is recorded; the booklet is, the copy is not.
    report = Report(ProjectPaths(project))
    assert "build/screen/ru/booklet.pdf" in report.outputs
    assert "build/screen/ru/factsheets/manifestations-2-online-grooming.pdf" not in \
        report.outputs
