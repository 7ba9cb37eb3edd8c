"""`booklet proof`: the proof site, on real output (English and French, screen edition)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_project, run
from PIL import Image, ImageChops
from pypdf import PdfReader

from booklet.cli import main
from booklet.proof.snapshots import DIFF_INK, LARGE_WIDTH, THUMB_WIDTH

SHEET = "content/en/manifestations/sexting.yaml"
SHEET_PDF = "build/screen/en/factsheets/manifestations-3-sexting.pdf"
BOOKLET_PDF = "build/screen/en/booklet.pdf"
OLD, NEW = "It is a frequent practice among", "It is a common practice among"


class Elements(HTMLParser):
    """Every start tag of an HTML file, with its attributes."""

    def __init__(self, path: Path):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, css_class: str | None = None) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag and
                (css_class is None or css_class in (attrs.get("class") or "").split())]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """English and French screen editions, built once, then proofed once."""
    root = copy_project(tmp_path_factory.mktemp("proof") / "project")
    assert main(["build", "--project", str(root), "--lang", "en", "--lang", "fr",
                 "--edition", "screen", "--quiet"]) == 0
    assert main(["proof", "--project", str(root), "--quiet"]) == 0
    return root


def outputs(root: Path) -> list[dict]:
    return json.loads((root / "build/report.json").read_text(encoding="utf-8"))["outputs"]


def thumbnails(root: Path) -> list[dict]:
    return Elements(root / "build/proof/index.html").find("img", "thumb")


def test_without_a_build_proof_says_to_build_first(project, capsys):
    code, _, err = run(["proof", "--project", str(project)], capsys)
    assert code == 1
    assert "nothing built yet: run booklet build first" in err


def test_the_gallery_shows_every_page_of_every_pdf_once(root):
    shown = [(img["data-pdf"], int(img["data-page"])) for img in thumbnails(root)]
    expected = [(o["path"], n) for o in outputs(root)
                for n in range(1, len(PdfReader(root / o["path"]).pages) + 1)]
    assert sorted(shown) == sorted(expected)
    assert {o["language"] for o in outputs(root)} == {"en", "fr"}


def test_thumbnails_and_enlargements_are_pngs_shaped_like_their_page(root):
    proof = root / "build/proof"
    index = Elements(proof / "index.html")
    large = {a["href"] for a in index.find("a", "enlarge")}
    readers = {}
    for img in thumbnails(root):
        reader = readers.setdefault(img["data-pdf"], PdfReader(root / img["data-pdf"]))
        box = reader.pages[int(img["data-page"]) - 1].mediabox
        ratio = float(box.height) / float(box.width)
        with Image.open(proof / img["src"]) as thumb:
            assert thumb.format == "PNG"
            assert thumb.width == THUMB_WIDTH
            assert abs(thumb.height - THUMB_WIDTH * ratio) <= 1
        enlarged = proof / img["src"].replace("-thumb.png", ".png")
        assert enlarged.relative_to(proof).as_posix() in large
        with Image.open(enlarged) as page:
            assert page.format == "PNG"
            assert page.width == LARGE_WIDTH
            assert abs(page.height - LARGE_WIDTH * ratio) <= 1


def test_the_site_opens_from_disk_and_fetches_nothing_from_elsewhere(root):
    proof = root / "build/proof"
    for page in proof.rglob("*.html"):
        for _, attrs in Elements(page).tags:
            for key in ("src", "href", "data-diff"):
                link = attrs.get(key)
                if link is None or link.startswith("#"):
                    continue
                assert ":" not in link and not link.startswith("/"), (page, link)
                assert (page.parent / link).resolve().is_file(), (page, link)


def test_side_by_side_has_one_column_per_language_and_one_row_per_page(root):
    page = Elements(root / "build/proof/side-by-side/sexting-screen.html")
    columns = [th["data-language"] for th in page.find("th", "language")]
    assert columns == ["en", "fr"]
    shown = {(img["data-pdf"], int(img["data-page"])) for img in page.find("img", "thumb")}
    sheets = [o["path"] for o in outputs(root) if o["factsheet"] == "sexting"]
    assert shown == {(path, n) for path in sheets
                     for n in range(1, len(PdfReader(root / path).pages) + 1)}
    index = Elements(root / "build/proof/index.html")
    assert "side-by-side/sexting-screen.html" in {a["href"] for a in index.find("a")}


def test_a_second_proof_takes_every_pdf_from_the_cache(root, capsys):
    code, out, _ = run(["proof", "--project", str(root), "--quiet"], capsys)
    assert code == 0
    count = len(outputs(root))
    assert f"{count} PDF(s)" in out
    assert f"0 rendered, {count} reused from cache" in out
    assert "0 page(s) changed since the previous proof" in out


def test_text_from_the_report_is_shown_as_text(root, capsys):
    report_path = root / "build/report.json"
    saved = report_path.read_text(encoding="utf-8")
    report = json.loads(saved)
    report["warnings"] = ["content/en/x.yaml:1: <script>alert('warning')</script>"]
    report["outputs"][0]["attention"] = ["<script>alert('attention')</script>"]
    report["outputs"][0]["warnings"] = ['<img src=x onerror="alert(1)">']
    report["outputs"][0]["preflight"] = {"ok": False, "checks": [
        {"check": "fonts", "ok": False, "message": "<b>not embedded</b> & more"}]}
    try:
        report_path.write_text(json.dumps(report), encoding="utf-8")
        code, _, err = run(["proof", "--project", str(root), "--quiet"], capsys)
        assert code == 0, err
        html = (root / "build/proof/index.html").read_text(encoding="utf-8")
    finally:
        report_path.write_text(saved, encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>not" not in html
    assert "&lt;script&gt;alert(&#39;attention&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;warning&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "preflight: fonts: &lt;b&gt;not embedded&lt;/b&gt; &amp; more" in html


def test_an_interrupted_proof_leaves_the_previous_one_whole(root, monkeypatch, capsys):
    proof = root / "build/proof"
    before = {name: (proof / name).read_bytes() for name in ("index.html", "pages.json")}
    import booklet.proof.run

    calls = []

    def interrupted(*args):
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    real = booklet.proof.run.snapshot
    monkeypatch.setattr(booklet.proof.run, "snapshot", interrupted)
    code, _, _ = run(["proof", "--project", str(root), "--quiet"], capsys)
    assert code == 130
    assert {name: (proof / name).read_bytes() for name in before} == before
    assert not list(proof.rglob("*.tmp"))


@pytest.fixture(scope="module")
def changed(root) -> tuple[Path, str, set[tuple[str, int]]]:
    """One word of one English factsheet changed, rebuilt and proofed again."""
    sheet = root / SHEET
    text = sheet.read_text(encoding="utf-8")
    assert OLD in text
    sheet.write_text(text.replace(OLD, NEW, 1), encoding="utf-8")
    assert main(["build", "--project", str(root), "--lang", "en", "--edition", "screen",
                 "--quiet"]) == 0
    result = main_output(["proof", "--project", str(root), "--quiet"])
    changes = Elements(root / "build/proof/changes.html").find("tr", "change")
    return root, result, {(tr["data-pdf"], int(tr["data-page"])) for tr in changes}


def main_output(argv: list[str]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue()


def booklet_pages_of(reader: PdfReader, title: str) -> range:
    """The booklet pages of the factsheet whose bookmark ends with ``title``."""
    def walk(items):
        for position, item in enumerate(items):
            if isinstance(item, list):
                found = walk(item)
                if found:
                    return found
            elif item.title.endswith(title):
                start = reader.get_destination_page_number(item)
                following = [i for i in items[position + 1:] if not isinstance(i, list)]
                end = (reader.get_destination_page_number(following[0]) if following
                       else len(reader.pages))
                return range(start + 1, end + 1)
        return None

    return walk(reader.outline)


def test_a_changed_factsheet_marks_its_changed_pages_only(changed):
    root, out, pages = changed
    assert {pdf for pdf, _ in pages} == {SHEET_PDF, BOOKLET_PDF}
    sheet = PdfReader(root / SHEET_PDF)
    booklet = PdfReader(root / BOOKLET_PDF)
    holding = booklet_pages_of(booklet, "Sexting")
    assert {n for pdf, n in pages if pdf == BOOKLET_PDF} <= set(holding)
    # The page with the new words is among the changed ones, in both PDFs.
    for pdf, reader in ((SHEET_PDF, sheet), (BOOKLET_PDF, booklet)):
        with_words = {n for n, page in enumerate(reader.pages, 1)
                      if "common practice" in " ".join(page.extract_text().split())}
        assert with_words and with_words <= {n for p, n in pages if p == pdf}
    assert f"{len(pages)} page(s) changed since the previous proof" in out
    # Only the two changed PDFs are rendered: the rebuild wrote the others byte for byte.
    assert f"2 rendered, {len(outputs(root)) - 2} reused from cache" in out


def test_the_gallery_outlines_exactly_the_changed_pages(changed):
    root, _, pages = changed
    index = Elements(root / "build/proof/index.html")
    marked = set()
    inside_changed = False
    for tag, attrs in index.tags:
        if tag == "figure":
            inside_changed = "changed" in attrs.get("class", "").split()
        elif tag == "img" and "thumb" in attrs.get("class", "") and inside_changed:
            marked.add((attrs["data-pdf"], int(attrs["data-page"])))
    assert marked == pages
    assert len(index.find("a", "changed")) == len(pages)  # each badge links to its diff


def test_each_changed_page_has_a_diff_image_with_the_changes_in_red(changed):
    root, _, pages = changed
    proof = root / "build/proof"
    diffs = [a["data-diff"] for a in Elements(proof / "changes.html").find("a", "enlarge")]
    assert len(diffs) == len(pages)
    for diff in diffs:
        with Image.open(proof / diff) as image:
            assert image.format == "PNG"
            assert red_pixels(image) > 50, f"{diff}: no changes in red ({DIFF_INK})"


def red_pixels(image: Image.Image) -> int:
    red, green, blue = image.convert("RGB").split()
    high = red.point(lambda v: 255 if v > 150 else 0)
    low = ImageChops.multiply(green.point(lambda v: 255 if v < 60 else 0),
                              blue.point(lambda v: 255 if v < 60 else 0))
    return ImageChops.multiply(high, low).histogram()[255]


def test_a_proof_after_the_changes_shows_no_changes(changed, capsys):
    root, _, _ = changed
    code, out, _ = run(["proof", "--project", str(root), "--quiet"], capsys)
    assert code == 0
    assert "0 page(s) changed since the previous proof" in out
    assert not Elements(root / "build/proof/changes.html").find("tr", "change")
