"""The text layer gives the content's text back, in every language and both editions.

Measured with two extractors, Poppler's pdftotext and PDFium, as
tests/extraction.py counts it (docs/text-layer.md has the figures).
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from conftest import ROOT
from extraction import EXTRACTORS, documents, missing, normalised, pdfium_text, segments, share
from pdftext import page_texts

from booklet.content import inline

PUBLICATION = yaml.safe_load((ROOT / "content/publication.yaml").read_text())
LANGUAGES = PUBLICATION["languages"]
#: What every output must give back, with each extractor.
FLOOR = 0.995


@pytest.fixture(scope="module")
def measured(built_all):
    """Each output's share of the content's text, by extractor.

    The booklet and three of its factsheets (the first, one in the middle, the
    last) per language and edition; benchmarks/text_layer.py measures them all.
    """
    outputs = {}
    for edition, code, kind, path, html in documents(built_all, []):
        outputs.setdefault((edition, code), []).append((kind, path, html))
    results = {}
    for key, items in outputs.items():
        booklet = [item for item in items if item[0] == "booklet"]
        factsheets = [item for item in items if item[0] == "factsheet"]
        sample = {0, len(factsheets) // 2, len(factsheets) - 1}
        chosen = booklet + [factsheets[i] for i in sorted(sample)]
        for _, path, html in chosen:
            content = segments(html)
            pdf = built_all / "build" / path
            for name, extract in EXTRACTORS.items():
                text = extract(pdf)
                results[(*key, path.name, name)] = (share(content, text, key[1]),
                                                    missing(content, text, key[1])[:5])
    return results


@pytest.mark.parametrize("edition", ["print", "screen"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_the_text_layer_gives_the_content_back(code, edition, measured):
    found = {key: value for key, value in measured.items() if key[:2] == (edition, code)}
    assert {key[3] for key in found} == set(EXTRACTORS)
    assert any(key[2] == "booklet.pdf" for key in found)
    low = {f"{name} {pdf}: {value:.2%}, e.g. {lost}": value
           for (_, _, pdf, name), (value, lost) in found.items() if value < FLOOR}
    assert not low


def foreword(code: str) -> str:
    data = yaml.safe_load((ROOT / f"content/{code}/foreword.yaml").read_text())
    return inline.plain(data["blocks"][0]["paragraph"])


def page_with(pdf, start: str) -> int:
    for index, text in enumerate(page_texts(pdf)):
        if compact(start) in compact(text):
            return index
    raise AssertionError(f"no page of {pdf} starts the foreword")


def compact(text: str) -> str:
    """Text as read, without the whitespace that only layout decides (line ends)."""
    return "".join(normalised(text).split())


@pytest.mark.parametrize("code", ["th", "km", "my"])
def test_thai_khmer_and_burmese_copied_out_read_as_written(code, built_all):
    pdf = built_all / f"build/screen/{code}/booklet.pdf"
    paragraph = foreword(code)
    page = page_with(pdf, paragraph[:80])
    poppler = subprocess.run(["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-enc",
                              "UTF-8", str(pdf), "-"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    for name, text in (("pdftotext", poppler), ("pdfium", pdfium_text(pdf, page, page + 1))):
        copied, written = compact(text), compact(paragraph)
        at = copied.find(written[:80])
        assert at >= 0, f"{name}: the paragraph's start is not on page {page + 1}"
        pairs = zip(copied[at:at + len(written)], written, strict=False)
        differs = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
        assert differs is None, (f"{name}: character {differs} differs: "
                                 f"{copied[at + differs - 5:at + differs + 5]!r} "
                                 f"for {written[differs - 5:differs + 5]!r}")
        assert len(copied) - at >= len(written)


def test_a_hyphenated_word_extracts_whole(built_all):
    pdf = built_all / "build/screen/fr/booklet.pdf"
    broken = re.findall(r"(\w+)\ufffe\s*(\w+)", pdfium_text(pdf))  # PDFium marks the hyphen
    assert broken, "the French booklet hyphenates some words"
    poppler = EXTRACTORS["pdftotext"](pdf)
    words = set(re.findall(r"\w+", poppler))
    assert {start + end for start, end in broken} <= words
    for text in (poppler, pdfium_text(pdf)):  # no word left cut by a hyphen and a line end
        assert not re.search(r"\w[-\u2010]\r?\n\w", text)
