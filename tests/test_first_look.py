"""The preview's first look at an edit: the edited factsheet alone, then everything.

On real builds of a copy of the project (English, both editions): building
only the edited factsheet writes that PDF and nothing else, a provisional proof
shows it changed without moving the baseline, and the complete build and proof
that follow do the rest (the booklet) without laying the factsheet out again.
Also: the preview's watcher sees folders made after it started.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_project
from pdftext import page_texts
from test_proof import Elements

from booklet.build.run import build
from booklet.paths import ProjectPaths
from booklet.proof.live import Live
from booklet.proof.preview import Preview
from booklet.proof.run import proof
from booklet.proof.serve import _watch, edited_factsheets, editions_in_view, rebuild
from booklet.render.templates import environment

SHEET = "content/en/manifestations/sexting.yaml"
SHEET_PDF = "build/screen/en/factsheets/manifestations-3-sexting.pdf"
BOOKLET_PDF = "build/screen/en/booklet.pdf"
PRINT_SHEET_PDF = "build/print/en/factsheets/manifestations-3-sexting.pdf"
PRINT_BOOKLET_PDF = "build/print/en/booklet.pdf"
OLD, NEW = "It is a frequent practice among", "It is a common practice among"


def changed_pages(root: Path, page: str = "index.html") -> set[str]:
    """The PDFs whose pages the proof's gallery marks as changed."""
    marked, inside_changed = set(), False
    for tag, attrs in Elements(root / "build/proof" / page).tags:
        if tag == "figure":
            inside_changed = "changed" in attrs.get("class", "").split()
        elif tag == "img" and "thumb" in attrs.get("class", "") and inside_changed:
            marked.add(attrs["data-pdf"])
    return marked


def text_of(root: Path, pdf: str) -> str:
    return " ".join(" ".join(page_texts(root / pdf)).split())


@pytest.fixture(scope="module")
def first_look(tmp_path_factory):
    """Built and proofed, then one English factsheet edited and built alone."""
    root = copy_project(tmp_path_factory.mktemp("first") / "project")
    project = ProjectPaths(root)
    build(project, ["en"])
    proof(project, ["en"])
    baseline = (root / "build/proof/pages.json").read_bytes()
    booklet = (root / BOOKLET_PDF).read_bytes()
    sheet = root / SHEET
    sheet.write_text(sheet.read_text("utf-8").replace(OLD, NEW, 1), "utf-8")
    edited = edited_factsheets(project, [sheet], [])
    first = build(project, ["en"], only=edited["en"])
    proof(project, ["en"], provisional=True)
    return root, project, first, baseline, booklet


def test_the_edited_file_names_its_factsheet(tmp_path):
    project = ProjectPaths(tmp_path)
    content = tmp_path / "content"
    paths = [content / "th/manifestations/sexting.yaml", content / "th/legal/_series.yaml",
             content / "en/front.yaml", tmp_path / "styles/pages.css",
             content / "en/internet/tor.yaml"]
    assert edited_factsheets(project, paths, []) == {"th": {"sexting"}, "en": {"tor"}}
    assert edited_factsheets(project, paths, ["en"]) == {"en": {"tor"}}


def test_the_editions_in_view_are_those_the_open_pages_show():
    both = ("print", "screen")
    assert editions_in_view(["/side-by-side/sexting-screen.html"], both) == ("screen",)
    assert editions_in_view(["/side-by-side/sexting-screen.html",
                             "/side-by-side/tor-print.html"], both) == both
    assert editions_in_view(["/side-by-side/sexting-print.html", "/"], both) == both
    assert editions_in_view(["/changes.html"], ("screen",)) == ("screen",)
    assert editions_in_view([], both) == ()  # nobody looking: nothing to show first


def test_the_server_knows_which_pages_are_open(tmp_path):
    live = Live()
    server = Preview(ProjectPaths(tmp_path), live, 0)
    server.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/events?seen=0&page=%2Fside-by-side%2Fsexting-screen.html")
        response = connection.getresponse()
        assert response.status == 200
        assert response.readline() == b"event: ready\n"  # the stream is open
        assert live.pages == ["/side-by-side/sexting-screen.html"]
        connection.close()
        deadline = time.monotonic() + 10
        while live.pages and time.monotonic() < deadline:
            live.update()  # the stream notices its page has gone when it next writes
            time.sleep(0.1)
        assert live.pages == []
    finally:
        live.stop()
        server.stop()


def test_only_the_edited_factsheet_is_built_first(first_look):
    root, _, first, _, booklet = first_look
    assert sorted(first["rendered"]) == [PRINT_SHEET_PDF, SHEET_PDF]
    assert "common practice" in text_of(root, SHEET_PDF)
    assert (root / BOOKLET_PDF).read_bytes() == booklet  # still the old text, for now
    report = json.loads((root / "build/report.json").read_text("utf-8"))
    assert report["groups"]["screen/en"]["complete"] is False  # the rest is still to do
    assert report["groups"]["print/en"]["complete"] is False


def test_the_provisional_proof_shows_it_and_keeps_the_baseline(first_look):
    root, _, _, baseline, _ = first_look
    assert changed_pages(root) == {SHEET_PDF, PRINT_SHEET_PDF}
    assert changed_pages(root, "side-by-side/sexting-screen.html") == {SHEET_PDF}
    assert (root / "build/proof/pages.json").read_bytes() == baseline
    assert not Elements(root / "build/proof/changes.html").find("a", "changed")  # no diffs yet


def test_the_complete_build_then_does_the_rest_and_proofs_both(first_look):
    root, project, _, _, _ = first_look
    sheet = (root / SHEET_PDF).stat().st_mtime_ns
    complete = build(project, ["en"])
    # The factsheets are not laid out again.
    assert sorted(complete["rendered"]) == [PRINT_BOOKLET_PDF, BOOKLET_PDF]
    assert (root / SHEET_PDF).stat().st_mtime_ns == sheet
    assert "common practice" in text_of(root, BOOKLET_PDF)
    result = proof(project, ["en"])
    # Compared with the last complete proof: all four PDFs changed, with diff images.
    assert changed_pages(root) == {SHEET_PDF, BOOKLET_PDF, PRINT_SHEET_PDF, PRINT_BOOKLET_PDF}
    assert all(page.diff for document in result.documents for page in document.changed)
    # In print, only the pages the edit moved: the slug that names the build, on
    # every page outside the bleed, is not a change.
    booklet = next(d for d in result.documents if d.path == PRINT_BOOKLET_PDF)
    assert 0 < len(booklet.changed) <= 3, [page.number for page in booklet.changed]
    report = json.loads((root / "build/report.json").read_text("utf-8"))
    assert report["groups"]["screen/en"]["complete"] is True


def test_a_newer_change_stops_a_rebuild_after_the_pdf_in_hand(tmp_path):
    root = copy_project(tmp_path / "project")
    project = ProjectPaths(root)
    build(project, ["en"], editions=("screen",))
    proof(project, ["en"], ("screen",))
    baseline = (root / "build/proof/pages.json").read_bytes()
    sheet = root / SHEET
    sheet.write_text(sheet.read_text("utf-8").replace(OLD, NEW, 1), "utf-8")
    live, said = Live(), []
    rebuild(project, ["en"], ("screen",), live, said.append, "edited", waiting=lambda: True)
    assert said[-1] == "edited: the rest is left for a newer change"
    report = json.loads((root / "build/report.json").read_text("utf-8"))
    assert report["groups"]["screen/en"]["complete"] is False
    assert (root / "build/proof/pages.json").read_bytes() == baseline  # no proof yet
    assert live.state.busy and live.state.generation == 0
    # The next rebuild does the rest.
    rebuild(project, ["en"], ("screen",), live, said.append, "again")
    report = json.loads((root / "build/report.json").read_text("utf-8"))
    assert report["groups"]["screen/en"]["complete"] is True
    assert not live.state.busy and live.state.generation == 1 and not live.state.error
    assert changed_pages(root) == {SHEET_PDF, BOOKLET_PDF}
    assert "common practice" in text_of(root, SHEET_PDF)


def test_an_edited_template_is_compiled_anew_in_the_same_process(tmp_path):
    project = ProjectPaths(tmp_path)
    project.templates.mkdir()
    template = project.templates / "note.html.j2"
    for text, expected in (("first {{ word }}", "first one"), ("second {{ word }}!",
                                                                "second one!")):
        template.write_text(text, encoding="utf-8")
        assert environment(project).get_template("note.html.j2").render(word="one") == expected


def test_the_watcher_sees_folders_made_after_it_started(tmp_path):
    (tmp_path / "content" / "en").mkdir(parents=True)
    project = ProjectPaths(tmp_path)
    changes: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(project, changes, stop), daemon=True)
    watcher.start()
    try:
        time.sleep(0.5)  # watching
        for made in (tmp_path / "styles" / "palette.css",  # a folder the project lacked
                     tmp_path / "content" / "xx" / "front.yaml"):  # a new language
            made.parent.mkdir()
            time.sleep(0.2)
            made.write_text("/* new */\n" if made.suffix == ".css" else "cover: {}\n")
            assert str(made) in seen_within(changes, 10, str(made)), made
        # And the folder that appeared is watched from then on.
        again = tmp_path / "styles" / "pages.css"
        again.write_text("/* new */\n")
        assert str(again) in seen_within(changes, 10, str(again))
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()


def seen_within(changes: queue.Queue, seconds: float, wanted: str) -> set[str]:
    """Every path reported until ``wanted`` is, or ``seconds`` have passed."""
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        try:
            seen |= changes.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
    return seen
