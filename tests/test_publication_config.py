"""What publication.yaml configures: series colours in CMYK, optional ISBNs and acronyms."""

from __future__ import annotations

import pikepdf
import pypdfium2
import pytest
from conftest import run
from pdftext import page_texts, squash

from booklet.cli import main

#: The screen edition's sRGB of CMYK 0.6 0.9 0 0.1 through the FOGRA39 profile.
PURPLE = (123, 61, 133)


def started(folder):
    assert main(["init", str(folder), "--title", "Safer Streets",
                 "--publisher", "Riverside Network"]) == 0
    return folder


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_to_publication(project, text):
    with (project / "content/publication.yaml").open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    """A new project with a purple series, one ISBN, no acronyms: built, screen edition."""
    project = started(tmp_path_factory.mktemp("config") / "project")
    publication = project / "content/publication.yaml"
    edit(publication, "colour: teal", "colour: purple")
    add_to_publication(project, "colours:\n  purple: {accent: 0.6 0.9 0 0.1}\n"
                                "isbn:\n  ebook: 978-0-306-40615-7\n")
    (project / "content/en/acronyms.yaml").write_text("title: Acronyms\nacronyms: []\n")
    assert main(["build", "--project", str(project), "--edition", "screen", "--quiet"]) == 0
    return project


def test_a_series_colour_defined_in_cmyk_colours_the_divider(configured):
    pdf = configured / "build/screen/en/booklet.pdf"
    divider = next(number for number, text in enumerate(page_texts(pdf))
                   if squash("Series 1") in squash(text) and squash("Topics") in squash(text)
                   and squash("Contents") not in squash(text))
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[divider].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    colours = image.getcolors(image.width * image.height)
    commonest = sorted(colours, reverse=True)[:3]
    assert any(max(abs(a - b) for a, b in zip(colour, PURPLE, strict=True)) <= 2
               for _, colour in commonest), commonest


def test_without_acronyms_there_is_no_acronyms_page_or_contents_line(configured):
    texts = page_texts(configured / "build/screen/en/booklet.pdf")
    assert not any("Acronyms" in text for text in texts)
    assert any(squash("Foreword") in squash(text) for text in texts)


def test_an_edition_without_isbn_has_none_printed_or_in_its_metadata(configured):
    texts = page_texts(configured / "build/screen/en/booklet.pdf")
    inside = next(text for text in texts if "ISBN" in text)
    assert "978-0-306-40615-7" in inside and "printed version" not in inside
    with pikepdf.open(configured / "build/screen/en/booklet.pdf") as document:
        assert document.open_metadata()["dc:identifier"] == "ISBN 978-0-306-40615-7"


def test_an_undefined_colour_is_an_error_naming_it(tmp_path, capsys):
    project = started(tmp_path / "p")
    edit(project / "content/publication.yaml", "colour: teal", "colour: purple")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert "content/publication.yaml:" in err and "series[0].colour" in err
    assert "colour 'purple' is not defined" in err


@pytest.mark.parametrize(("isbn", "why"), [
    ("978-0-306-40615-8", "check digit"),
    ("0-306-40615-3", "check digit"),
    ("978-0-306-4061", "length"),
])
def test_an_isbn_with_a_wrong_check_digit_or_length_is_an_error(tmp_path, capsys, isbn, why):
    project = started(tmp_path / "p")
    add_to_publication(project, f"isbn:\n  print: {isbn}\n")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1 and "isbn.print" in err and why in err.lower()
    line = next(number for number, text in enumerate(
        (project / "content/publication.yaml").read_text().splitlines(), 1) if isbn in text)
    assert f"content/publication.yaml:{line}:" in err


@pytest.mark.parametrize("isbn", ["978-0-306-40615-7", "ISBN 0-306-40615-2", "080442957X"])
def test_valid_isbns_pass(tmp_path, capsys, isbn):
    project = started(tmp_path / "p")
    add_to_publication(project, f"isbn:\n  print: {isbn}\n")
    code, _, err = run(["check", "--project", str(project), "--strict"], capsys)
    assert code == 0, err


def test_a_figure_naming_an_undefined_colour_is_an_error(tmp_path, capsys):
    project = started(tmp_path / "p")
    (project / "figures").mkdir()
    (project / "figures/bar.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20">'
        '<rect width="50" height="20" fill="{{ colours.teal }}"/>'
        '<rect x="50" width="50" height="20" fill="{{ colours.blue }}"/></svg>\n')
    sheet = project / "content/en/topics/first-factsheet.yaml"
    edit(sheet, "  - heading: What it holds",
         "  - figure: {src: bar.svg, alt: A bar}\n  - heading: What it holds")
    line = next(number for number, text in enumerate(sheet.read_text().splitlines(), 1)
                if "figure:" in text)
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert f"first-factsheet.yaml:{line}: blocks[1].figure.src: figure 'bar.svg' names " \
           "colour 'blue'" in err and "'teal'" not in err
    add_to_publication(project, "colours:\n  blue: {accent: 1 0.5 0 0.1}\n")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 0, err
