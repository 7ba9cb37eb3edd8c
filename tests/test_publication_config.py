"""What publication.yaml and the content configure: series colours in CMYK, optional
ISBNs and parts, fonts."""

from __future__ import annotations

import shutil
from collections import Counter

import pikepdf
import pypdfium2
import pytest
from conftest import run
from pdftext import letter_fonts, page_texts, squash

from booklet.cli import main
from booklet.content import yamledit

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


def without(path, *keys):
    """The YAML file without the given keys (dotted paths), comments kept."""
    document = yamledit.load(path.read_text(encoding="utf-8"))
    for dotted in keys:
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        del node[last]
    path.write_text(yamledit.dump(document), encoding="utf-8")


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """A new project with none of the optional parts: no foreword, no acronyms, no
    funders or credits, no availability statement, no ISBNs. Built, screen edition."""
    project = started(tmp_path_factory.mktemp("bare") / "project")
    english = project / "content/en"
    (english / "foreword.yaml").unlink()
    (english / "acronyms.yaml").unlink()
    without(english / "front.yaml", "inside_cover.support", "inside_cover.credits",
            "inside_cover.isbn")
    without(english / "back.yaml", "availability")
    assert main(["build", "--project", str(project), "--edition", "screen", "--quiet"]) == 0
    return project


def test_optional_parts_left_out_are_not_printed(bare):
    texts = page_texts(bare / "build/screen/en/booklet.pdf")
    whole = squash(" ".join(texts))
    for absent in ("Foreword", "Acronyms", "Who made this publication possible",
                   "Written by", "ISBN", "are available in"):
        assert squash(absent) not in whole, absent
    # What is there still is: the inside cover, the contents and the factsheet.
    for present in ("About Riverside Network", "Table of Contents", "A first factsheet",
                    "Where readers find these factsheets"):
        assert squash(present) in whole, present
    contents = next(text for text in texts if squash("Table of Contents") in squash(text))
    assert squash("Series 1: Topics") in squash(contents)


def test_a_translation_of_a_part_the_source_lacks_is_an_error(bare, tmp_path, capsys):
    project = tmp_path / "p"
    shutil.copytree(bare, project, ignore=shutil.ignore_patterns("build"))
    publication = project / "content/publication.yaml"
    publication.write_text(yamledit.append_to_lists(
        publication.read_text(encoding="utf-8"), ["languages", "series[0].languages"], "fr"),
        encoding="utf-8")
    shutil.copytree(project / "content/en", project / "content/fr")
    (project / "content/fr/foreword.yaml").write_text("title: Avant-propos\nblocks:\n"
                                                      "  - paragraph: Texte.\n")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert "content/fr/foreword.yaml: the source language has no foreword.yaml" in err


def test_isbns_without_their_labels_are_an_error_naming_the_front_matter(bare, tmp_path,
                                                                          capsys):
    project = tmp_path / "p"
    shutil.copytree(bare, project, ignore=shutil.ignore_patterns("build"))
    add_to_publication(project, "isbn:\n  print: 978-0-306-40615-7\n")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert "content/en/front.yaml:" in err and "inside_cover.isbn" in err


def test_a_font_family_that_is_not_installed_is_an_error(tmp_path, capsys):
    project = started(tmp_path / "p")
    add_to_publication(project, "fonts:\n  fallback: [Nonexistent Sans]\n")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert "content/publication.yaml" in err
    assert "font 'Nonexistent Sans Regular' for language 'en' is not installed" in err


def test_a_malformed_fonts_entry_is_an_error_naming_its_line(tmp_path, capsys):
    project = started(tmp_path / "p")
    add_to_publication(project, "fonts:\n  scripts:\n    deva: {families: [Noto Sans]}\n"
                                "  languages:\n    hi: {families: [Noto Sans], leading: 9}\n")
    lines = (project / "content/publication.yaml").read_text().splitlines()
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    script_line = next(n for n, text in enumerate(lines, 1) if "deva:" in text)
    leading_line = next(n for n, text in enumerate(lines, 1) if "leading: 9" in text)
    assert f"content/publication.yaml:{script_line}: fonts.scripts.deva:" in err
    assert f"content/publication.yaml:{leading_line}: fonts.languages.hi.leading:" in err


def test_the_fallback_families_set_the_text(tmp_path):
    """A publication's own fallback replaces the theme's Noto Sans in the PDF."""
    project = started(tmp_path / "p")
    add_to_publication(project, "fonts:\n  fallback: [DejaVu Serif, Noto Sans Symbols2]\n")
    assert main(["build", "--project", str(project), "--edition", "screen", "--quiet"]) == 0
    letters = letter_fonts(project / "build/screen/en/factsheets/topics-1-first-factsheet.pdf")
    serif = sum(name.startswith("DejaVu") and "Serif" in name for name in letters)
    assert serif / len(letters) > 0.9, Counter(letters)
