"""The English booklet and factsheets, read back from the PDFs themselves."""

from __future__ import annotations

import json
import re
import subprocess

import pypdf
import yaml
from conftest import ROOT
from pdftext import page_texts, squash, without_page_references

from booklet.content import inline

PUBLICATION = yaml.safe_load((ROOT / "content" / "publication.yaml").read_text())
FACTSHEETS = [(series["id"], number, sheet)
              for series in PUBLICATION["series"]
              for number, sheet in enumerate(series["factsheets"], 1)]


def english(series: str, sheet_id: str) -> dict:
    return yaml.safe_load((ROOT / "content" / "en" / series / f"{sheet_id}.yaml").read_text())


def test_every_output_is_written_and_reported(built):
    report = json.loads((built / "build" / "report.json").read_text())
    paths = {output["path"] for output in report["outputs"]}
    for edition in ("print", "screen"):
        assert f"build/{edition}/en/booklet.pdf" in paths
        for series, number, sheet in FACTSHEETS:
            name = f"build/{edition}/en/factsheets/{series}-{number}-{sheet['slug']}.pdf"
            assert name in paths
            assert (built / name).is_file()
    assert len(paths) == 2 * 18
    for output in report["outputs"]:
        reader = pypdf.PdfReader(built / output["path"])
        assert len(reader.pages) == output["pages"] > 0
        assert output["warnings"] == []
        assert output["preflight"]["ok"], output["preflight"]


def toc_page_numbers(booklet_pdf) -> dict[str, int]:
    """Each table-of-contents entry's page number, by the entry's squashed title."""
    texts = page_texts(booklet_pdf)
    toc_index = next(i for i, text in enumerate(texts) if "TABLE OF CONTENTS" in text)
    toc = " ".join(texts[toc_index].split())
    numbers = {}
    for series, number, sheet in FACTSHEETS:
        data = english(series, sheet["id"])
        title = f"{number}. " + inline.plain(data.get("toc_title") or data["title"])
        words = r"\s*".join(re.escape(char) for char in title.replace(" ", ""))
        match = re.search(words + r"[\s.]*?(\d+)(?!\d)", toc)
        assert match, f"{sheet['id']} is not in the table of contents"
        numbers[sheet["id"]] = int(match.group(1))
    return numbers


def test_each_factsheet_starts_on_the_page_the_contents_give(booklet_pdf):
    texts = page_texts(booklet_pdf)
    numbers = toc_page_numbers(booklet_pdf)
    toc_index = next(i for i, text in enumerate(texts) if "TABLE OF CONTENTS" in text)
    assert sorted(numbers.values()) == list(numbers.values()), "pages go up in order"
    for series, number, sheet in FACTSHEETS:
        # The title block: the factsheet's number, then its title.
        title = squash(f"{number} " + inline.plain(english(series, sheet["id"])["title"]))
        first = next(i for i in range(toc_index + 1, len(texts)) if title in squash(texts[i]))
        assert first + 1 == numbers[sheet["id"]], sheet["id"]


def test_each_footnote_is_on_the_page_of_its_call(booklet_pdf):
    texts = [without_page_references(squash(text)) for text in page_texts(booklet_pdf)]
    checked = 0
    for series, _, sheet in FACTSHEETS:
        data = english(series, sheet["id"])
        for name, note in data.get("footnotes", {}).items():
            note_text = squash(inline.plain(note))
            pages = [i for i, text in enumerate(texts) if note_text in text]
            assert len(pages) == 1, f"footnote {sheet['id']}/{name} printed {len(pages)} times"
            caller = next(text for _, text in _texts(data) if f"[^{name}]" in text)
            before = squash(inline.plain(caller.split(f"[^{name}]")[0]))[-30:]
            assert before in texts[pages[0]], f"{sheet['id']}/{name} not beside its call"
            checked += 1
    assert checked == 9  # the source booklet has nine footnotes


def _texts(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "footnotes":
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield None, value


def source_lines(source_text: str):
    """The content lines of the source text, as regular expressions over squashed text."""
    skipped = (
        "The background of the slide is",  # an image description, not content
        # Which languages have each series is generated from the content present
        # (test_languages.py checks the sentences against these source lines).
        "The manifestations factsheets are available in",
        "The legal factsheets are available in",
        "The Internet and technology factsheets are available in",
    )
    for line in source_text.splitlines():
        line = line.strip().replace("\xa0", " ")
        if not line.strip() or line.startswith(skipped) or re.fullmatch(r"\|[-| ]*\|", line):
            continue
        if line.startswith("|"):  # a table row: acronym and meaning, or contents entry
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if cells[-1].isdigit():  # contents: the title, page numbers are the booklet's own
                cells = cells[:-1]
            line = " ".join(cells)
        line = line.replace("**", "").rstrip("*")
        line = re.sub(r"^- ", "", line)
        # A footnote number is the booklet's own: per factsheet, so any number goes.
        line = re.sub(r"^\d\. (?=Please|See|For more|Please note)", "\0", line)
        line = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹]", "\0", line)
        pattern = re.escape(squash(line)).replace("\x00", r"\d*\.?")
        yield line, re.compile(pattern)


def test_every_line_of_the_source_is_in_the_booklet(booklet_pdf, source_text):
    body = "".join(squash(text) for text in page_texts(booklet_pdf, body_only=True))
    body = without_page_references(body)
    lines = list(source_lines(source_text))
    # A paragraph that runs onto the next page has that page's footnotes in between:
    # look for it in the text without them too.
    notes = [pattern for line, pattern in lines if line.startswith("\0")]
    without_notes = body
    for pattern in notes:
        without_notes = pattern.sub("", without_notes)
    missing = [line for line, pattern in lines
               if not (pattern.search(body) or pattern.search(without_notes))]
    assert missing == []


def test_metadata_and_language(booklet_pdf, built):
    reader = pypdf.PdfReader(booklet_pdf)
    info = reader.metadata
    assert info.title == "Online Child Sexual Exploitation: A Common Understanding"
    assert info.author == "ECPAT International"
    assert "user-friendly booklet" in info.subject
    assert "Manifestations" in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    sheet = built / "build/screen/en/factsheets/internet-4-tor.pdf"
    reader = pypdf.PdfReader(sheet)
    assert reader.metadata.title == "What is TOR?"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_outline_is_series_then_factsheets_then_headings(booklet_pdf):
    reader = pypdf.PdfReader(booklet_pdf)
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[:3] == ["Foreword", "Acronyms", "Table of Contents"]
    assert titles[3:] == ["Section 1: Manifestations", "Section 2: Legal",
                          "Section 3: Internet and Technology"]
    manifestations = outline[outline.index(
        next(i for i in outline if getattr(i, "title", "") == "Section 1: Manifestations")) + 1]
    sheets = [item.title for item in manifestations if not isinstance(item, list)]
    assert sheets[0] == "1. Child Sexual Abuse/Exploitation Material"
    assert len(sheets) == 5
    headings = manifestations[1]
    assert [h.title for h in headings] == ["Offenders and Modus Operandi", "Criminal Offenses"]


def test_cross_references_link_to_the_target_page(booklet_pdf):
    reader = pypdf.PdfReader(booklet_pdf)
    texts = page_texts(booklet_pdf)
    numbers = {}
    for index, text in enumerate(texts):
        for match in re.finditer(r"\(see page (\d+)\)", " ".join(text.split())):
            numbers.setdefault(index, []).append(int(match.group(1)))
    assert sum(len(v) for v in numbers.values()) == 7  # seven footnotes name a factsheet
    for index, targets in numbers.items():
        links = [annotation.get_object() for annotation in
                 reader.pages[index].get("/Annots", [])]
        named = reader.named_destinations
        destinations = {reader.get_destination_page_number(named[str(link["/Dest"])])
                        for link in links if "/Dest" in link}
        for target in targets:
            assert target - 1 in destinations


def test_standalone_factsheet_has_its_own_title_numbers_and_footer(built):
    path = built / "build/screen/en/factsheets/manifestations-3-sexting.pdf"
    texts = page_texts(path)
    assert "3 Sexting" in " ".join(texts[0].split())
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert "ECPAT International · 2017 · www.ecpat.org" in texts[0]
    # Its one footnote is number 1 (it is number 2 in the source booklet).
    assert "1. Please see ECPAT OCSE Manifestations factsheet - Sexual extortion" in \
        " ".join(" ".join(texts).split())
    # A cross-reference to another factsheet links to that factsheet's PDF.
    reader = pypdf.PdfReader(path)
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages
            for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert "manifestations-4-sexual-extortion.pdf" in uris


def test_fonts_are_embedded(booklet_pdf):
    listing = subprocess.run(["pdffonts", str(booklet_pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing, "the booklet uses fonts"
    for row in listing:
        assert row.split()[-5] == "yes", row  # the "emb" column
