"""The screen edition is a PDF/UA-1 e-book that a checker accepts and reads in order.

outloud (a PDF/UA-1 and WCAG 2.2 checker mapped to the Matterhorn Protocol)
runs on every screen PDF of every language: no errors, and no warnings but
the false positives docs/accessibility.md lists, each confirmed here.
"""

from __future__ import annotations

import fnmatch
import io
import unicodedata
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, copy_project
from pdftags import language_spans, letters, reading
from ruamel.yaml import YAML

from booklet.build import plan
from booklet.check.run import load_and_check
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.render import palette

#: Every language: the structure tree's text compares letter by letter with the HTML's.
READABLE = ("en", "fr", "es", "ru", "tr", "vi", "id", "th", "lo", "km", "my")


def accepted_warnings() -> list[dict]:
    """The YAML list under "Warnings accepted as false positives" in docs/accessibility.md."""
    text = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    section = text.split("## Warnings accepted as false positives", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return YAML(typ="safe").load(io.StringIO(block))


def _check(path: str) -> dict:
    """outloud's findings on one PDF (run in a worker: outloud's libraries warn on import)."""
    warnings.simplefilter("ignore")
    from outloud import check

    result = check(path)
    return {"path": path, "error": result.error,
            "findings": [f.to_dict() for f in result.findings if f.severity != "info"]}


@pytest.fixture(scope="session")
def screen_pdfs(built_all) -> list[Path]:
    return sorted((built_all / "build" / "screen").rglob("*.pdf"))


@pytest.fixture(scope="session")
def outloud_results(screen_pdfs) -> list[dict]:
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(_check, [str(p) for p in screen_pdfs], chunksize=8))


def test_outloud_reads_every_screen_pdf_of_every_language(built_all, screen_pdfs,
                                                         outloud_results):
    root = built_all / "build" / "screen"
    languages = {path.relative_to(root).parts[0] for path in screen_pdfs}
    assert len(languages) == 11 and len(screen_pdfs) > 100
    assert [r["path"] for r in outloud_results if r["error"]] == []


def test_outloud_finds_no_errors(outloud_results):
    errors = [(r["path"].split("screen/")[1], f["rule"], f["message"])
              for r in outloud_results for f in r["findings"] if f["severity"] == "error"]
    assert errors == []


def test_outloud_warnings_are_the_documented_false_positives(outloud_results):
    accepted = accepted_warnings()
    assert accepted and all({"rule", "files", "why"} <= set(entry) for entry in accepted)
    used, unexpected = set(), []
    for result in outloud_results:
        name = result["path"].split("/screen/")[1]
        for finding in result["findings"]:
            if finding["severity"] != "warning":
                continue
            entry = next((i for i, e in enumerate(accepted) if e["rule"] == finding["rule"]
                          and fnmatch.fnmatch(name, e["files"])), None)
            if entry is None:
                unexpected.append((name, finding["rule"], finding["message"]))
                continue
            CONFIRM[finding["rule"]](result["path"], finding)
            used.add(entry)
    assert unexpected == []
    assert used == set(range(len(accepted))), "an accepted warning no longer occurs: drop it"


def _series_line_above_a_factsheet_title(path: str, finding: dict) -> None:
    """PAG-001's lines are each just above a factsheet's title (an H2) on its first page,
    or a heading (an H3) of the structure tree."""
    from outloud.model import Document
    from outloud.rules._common import element_bbox

    document = Document(path)
    try:
        boxes: dict[str, dict[int, list]] = {"H2": {}, "H3": {}}
        for tag, pages in boxes.items():
            for element in document.elements_of(tag):
                box = element_bbox(document, element)
                if box is not None:
                    pages.setdefault(element.page, []).append(box)
        for box in finding["boxes"]:
            above = [t for t in boxes["H2"].get(box["page"] - 1, [])
                     if -5 <= box["y0"] - t[3] < 40]  # points from the title up to the line
            heading = [h for h in boxes["H3"].get(box["page"] - 1, [])
                       if h[1] - 2 <= box["y0"] and box["y1"] <= h[3] + 2]
            assert above or heading, f"{path}: page {box['page']}: {finding['evidence']}"
    finally:
        document.close()


def _in_order_but_figures(path: str, finding: dict) -> None:
    """ORD-001: leaving each /Figure's own content aside, no page paints out of reading order."""
    from outloud.model import Document
    from outloud.rules.order import _longest_increasing

    document = Document(path)
    try:
        wanted: dict[int, list] = {}
        for element in document.elements:
            inside_figure, node = False, element
            while node is not None:
                inside_figure |= node.type == "Figure"
                node = node.parent
            for ref in element.mcrefs:
                if ref.page is not None and not inside_figure:
                    wanted.setdefault(ref.page, []).append((ref.stream, ref.mcid))
        assert document.elements_of("Figure"), f"{path}: no figure, yet painted out of order"
        for page, order in wanted.items():
            rank = {key: index for index, key in enumerate(order)}
            painted = [rank[key] for key in document.content(page).paint_order if key in rank]
            # outloud's own measure: 80% of a page's marked content painted in order.
            assert _longest_increasing(painted) >= 0.8 * len(painted), f"{path}: p{page + 1}"
    finally:
        document.close()


def _alt_text_of_letters_and_marks(path: str, finding: dict) -> None:
    """FIG-012 on Burmese: each /Alt is mostly letters and combining marks, without break hints."""
    import unicodedata

    from outloud.model import Document

    document = Document(path)
    try:
        for figure in document.elements_of("Figure"):
            alt = figure.alt or ""
            words = sum(unicodedata.category(c)[0] in "LM" for c in alt)
            assert words >= 0.8 * len(alt) and "\u200b" not in alt, f"{path}: {alt[:40]}"
    finally:
        document.close()


#: How each accepted warning is confirmed to be what docs/accessibility.md says it is.
CONFIRM = {"PAG-001": _series_line_above_a_factsheet_title, "ORD-001": _in_order_but_figures,
           "FIG-012": _alt_text_of_letters_and_marks}


@pytest.fixture(scope="module")
def booklet_html(tmp_path_factory):
    """The HTML of each readable language's screen booklet: the content, in order."""
    project = ProjectPaths(copy_project(tmp_path_factory.mktemp("html") / "project"))
    pages = {}
    for code in READABLE:
        content = load_and_check(project, [code], Problems())
        renderer = plan.renderer_for(project, content, code, palette.load(project, "screen"))
        output = next(o for o in plan.plan(content, [code], "screen") if o.kind == "booklet")
        pages[code] = plan.render_html(renderer, output)
    return pages


#: Blocks of text in the HTML, and what in them is not read as the text around it.
BLOCKS = "//h1|//h2|//h3|//h4|//h5|//h6|//p|//li|//td|//th|//figcaption"
NOT_TEXT = ("footnote", "figure-label")


def _block_text(block) -> str:
    parts = []

    def walk(node):
        if node is not block and (node.tag in ("ul", "ol", "p", "svg") or
                                  set(node.get("class", "").split()) & set(NOT_TEXT)):
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
        if node is not block:
            parts.append(node.tail or "")

    walk(block)
    return "".join(parts)


def _no_digits(text: str) -> str:
    return "".join(char for char in text if not char.isdigit())


@pytest.mark.parametrize("code", READABLE)
def test_the_structure_tree_reads_the_content_in_order(code, built_all, booklet_html):
    """Every block of the booklet's HTML is read, in the HTML's order; each footnote
    after the text of its factsheet and before the next part."""
    # The marked content's text as PDFium reads it, /ActualText and all: the Khmer
    # and Burmese clusters a run is cut into keep their text only there.
    read = reading(built_all / "build" / "screen" / code / "booklet.pdf", actual_text=True)
    document = lxml.html.fromstring(booklet_html[code])
    parts = document.xpath("//body/*")
    position, missing, ends = 0, [], {}
    for block in document.xpath(BLOCKS):
        probe = letters(_block_text(block))[:24]
        if len(probe) < 6:
            continue
        found = read.text.find(probe, position)
        if found < 0:
            missing.append(probe)
            continue
        position = found + len(probe)
        part = next(p for p in parts if p is block or block in p.iterdescendants())
        ends.setdefault(part, [found, found])[1] = position
    assert missing == [], missing
    starts = sorted(start for start, _ in ends.values())
    # Footnotes in the HTML's order, each matched to the next note read that holds its text.
    unread = list(read.notes)
    for note in document.xpath("//span[contains(concat(' ', @class, ' '), ' footnote ')]"):
        # Without digits: a note's number, and the page numbers of its cross-references
        # (in the layout only); matched at its start: notes that cite another factsheet
        # can hold one another's opening words.
        probe = _no_digits(letters(_block_text(note)))[:40]
        index = next((i for i, (_, text) in enumerate(unread)
                      if _no_digits(text).startswith(probe)), None)
        assert index is not None, f"footnote not read in order: {probe}"
        where = unread[index][0]
        del unread[:index + 1]
        part = next(p for p in parts if note in p.iterdescendants())
        end = ends[part][1]
        following = [s for s in starts if s >= end]
        assert end <= where <= (following[0] if following else len(read.text)), probe
    assert unread == []


@pytest.mark.parametrize("code", ["th", "km"])
def test_english_terms_in_another_script_carry_their_language(code, built_all):
    """CSAM, UNICEF and the like inside Thai or Khmer text are tagged /Lang en,
    so that a screen reader speaks them in English; nothing in the script is."""
    spans = [text for lang, text in language_spans(
        built_all / "build" / "screen" / code / "booklet.pdf") if lang == "en"]
    assert len(spans) > 100
    latin = [text for text in spans if text.strip()]
    for text in latin:
        letters_in = [c for c in text if c.isalpha()]
        assert all(unicodedata.name(c).startswith("LATIN") for c in letters_in), text
    words = {word.strip(" .,()") for text in latin for word in text.split()}
    assert {"CSAM", "ECPAT", "UNICEF"} <= words, sorted(words)[:40]
