"""Every script set properly: text layers, narrow columns, Turkish capitals.

Text extraction from Thai, Khmer, Lao and Burmese PDFs is lossy (pre-base
vowels come out in visual order), so those are checked by character recall
and by glyph positions rather than by exact strings.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2
import pytest
import yaml
from conftest import ROOT, copy_project
from pdftext import MM, page_texts, squash

from booklet.content import inline
from booklet.paths import ProjectPaths
from booklet.render.segment import insert_breaks

PUBLICATION = yaml.safe_load((ROOT / "content/publication.yaml").read_text())
TRANSLATIONS = [code for code in PUBLICATION["languages"] if code != "en"]
COMPLEX = {"th", "lo", "km", "my"}


def foreword_paragraph(code: str) -> str:
    data = yaml.safe_load((ROOT / f"content/{code}/foreword.yaml").read_text())
    return inline.plain(data["blocks"][0]["paragraph"])


def recall(expected: str, found: str) -> float:
    """The share of the expected characters (with repeats) that were found."""
    want, have = Counter(squash(expected)), Counter(squash(found))
    return sum(min(n, have[c]) for c, n in want.items()) / sum(want.values())


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_the_text_layer_holds_the_translation(code, built_all):
    texts = page_texts(built_all / f"build/screen/{code}/booklet.pdf")
    foreword = next(i for i, text in enumerate(texts) if "foreword" in text.lower()
                    or i == 2)
    paragraph = foreword_paragraph(code)
    page = texts[foreword].replace("\u200b", "")
    if code in COMPLEX:
        assert recall(paragraph, page) > 0.8
    else:
        # Hyphenated languages break words at line ends: compare without hyphens.
        def bare(text):
            return re.sub("[-\u2010]", "", squash(text))
        assert bare(paragraph[:200]) in bare(page)


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_only_the_series_listed_for_a_language_are_built(code, built_all):
    folder = built_all / f"build/screen/{code}/factsheets"
    built = {path.name.split("-")[0] for path in folder.glob("*.pdf")}
    listed = {series["id"] for series in PUBLICATION["series"] if code in series["languages"]}
    assert built == listed


def test_turkish_capitals_use_dotted_and_dotless_i(built_all):
    title = yaml.safe_load((ROOT / "content/tr/front.yaml").read_text())["cover"]["title"]
    turkish_upper = title.replace("i", "İ").replace("ı", "I").upper()
    assert "İ" in turkish_upper  # the test means something only if the title has an i
    cover = " ".join(page_texts(built_all / "build/screen/tr/booklet.pdf")[0].split())
    assert turkish_upper in cover
    assert "ECPAT INTERNATIONAL" in cover  # an English name keeps its English capitals


def narrow_column(html_text: str, code: str, tmp_path) -> list[float]:
    """Lay out text in a 40 mm column; return how far each character reaches (in mm)."""
    from booklet.content.typefaces import theme_defaults
    from booklet.render import fonts
    from booklet.render.pdf import PdfRenderer

    project = ProjectPaths(copy_project(tmp_path / "p"))
    html = (f'<html lang="{code}"><body><div style="width: 40mm; margin-left: 0" '
            f'lang="{code}"><p>{html_text}</p></div></body></html>')
    renderer = PdfRenderer(project, typefaces=fonts.stylesheet(theme_defaults(), [code]))
    rendered = renderer.render(html, "narrow")
    path = tmp_path / "narrow.pdf"
    renderer.write(rendered.document, path, "narrow")
    document = pypdfium2.PdfDocument(str(path))
    page = document[0]
    textpage = page.get_textpage()
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    # Only the body: the page number sits in the bottom margin.
    rights = [right / MM for left, bottom, right, top in boxes if bottom > 24 * MM]
    document.close()
    return rights




@pytest.mark.parametrize("code", sorted(COMPLEX))
def test_no_line_runs_out_of_a_narrow_column(code, tmp_path):
    sheet = ROOT / f"content/{code}/manifestations/csam.yaml"
    data = yaml.safe_load(sheet.read_text())
    text = inline.plain(data["blocks"][0]["definitions"][1]["blocks"][0]["paragraph"])
    rights = narrow_column(insert_breaks(text, code), code, tmp_path)
    left_margin = 20  # mm: the page's margin; the column ends at 60 mm
    # Ink may overhang a glyph's advance by a little (Burmese marks do): allow 1.5 mm.
    assert rights and max(rights) <= left_margin + 40 + 1.5, max(rights)


def test_without_word_breaks_lao_would_run_out_of_its_column(tmp_path):
    """The narrow-column test can fail: unsegmented Lao overflows."""
    data = yaml.safe_load((ROOT / "content/lo/manifestations/csam.yaml").read_text())
    text = inline.plain(data["blocks"][0]["definitions"][1]["blocks"][0]["paragraph"])
    unbroken = re.sub(r"\s+", "", text)
    rights = narrow_column(unbroken, "lo", tmp_path)
    assert max(rights) > 20 + 40 + 10
