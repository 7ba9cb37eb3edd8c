"""Matterhorn Protocol checkpoints that outloud does not test, on every screen PDF.

docs/accessibility.md has the table of which checkpoint is tested where.
"""

from __future__ import annotations

import re
import unicodedata

import pikepdf
import pytest
from conftest import ROOT
from pdftags import ancestors, elements
from ruamel.yaml import YAML

from booklet.content.typefaces import script_of
from booklet.render.tags import HEADINGS, content_streams, kids_of

#: Which parents the standard structure types allow (ISO 32000-1, 14.8.4), for
#: the types whose place this document can get wrong. NonStruct is transparent.
ALLOWED_PARENTS = {
    "/TR": {"/Table", "/THead", "/TBody", "/TFoot"},
    "/TH": {"/TR"}, "/TD": {"/TR"},
    "/THead": {"/Table"}, "/TBody": {"/Table"}, "/TFoot": {"/Table"},
    "/LI": {"/L"}, "/LBody": {"/LI"}, "/Lbl": {"/LI", "/Note"},
}
#: How WeasyPrint opens tagged content: "/Span << /MCID 12 >> BDC".
MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


@pytest.fixture(scope="session")
def screen_files(built_all) -> list:
    return sorted((built_all / "build" / "screen").rglob("*.pdf"))


def _each(files):
    for path in files:
        with pikepdf.open(path) as pdf:
            yield path, pdf


def _mcids(element) -> list[int]:
    return [kid for kid in kids_of(element) if isinstance(kid, int)]


def test_01_every_marked_content_is_owned_by_the_element_that_lists_it(screen_files):
    for path, pdf in _each(screen_files):
        reachable = {e.objgen for e in elements(pdf)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages, 1):
            content = b"\n".join(s.read_bytes() for s in content_streams(page.obj))
            used = [int(m.group(2)) for m in MARKED.finditer(content)]
            owners = parents.get(int(page.obj.get("/StructParents", -1)), [])
            assert len(used) == len(set(used)), f"{path.name} p{number}: an MCID twice"
            for mcid in used:
                owner = owners[mcid]
                assert isinstance(owner, pikepdf.Dictionary) and owner.objgen in reachable, \
                    f"{path.name} p{number}: MCID {mcid} owned by no reachable element"
                assert mcid in _mcids(owner), f"{path.name} p{number}: MCID {mcid}"
            for mcid, owner in enumerate(owners):
                if isinstance(owner, pikepdf.Dictionary):
                    assert mcid in used, f"{path.name} p{number}: MCID {mcid} not on the page"


def test_06_07_11_metadata_title_identification_and_language(screen_files):
    for path, pdf in _each(screen_files):
        code = path.parts[-3] if path.parent.name == "factsheets" else path.parts[-2]
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1", path
        title = str(pdf.docinfo.get("/Title", ""))
        assert title and meta.get("dc:title") == title, path
        assert str(pdf.Root.Lang) == code, path
        assert bool(pdf.Root.MarkInfo.Marked) is True, path
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True, path


def test_11_text_the_markup_marks_as_another_language_has_its_lang(screen_files):
    """The publisher's name on the covers is English (lang="en") in every booklet; in
    text of another script, so are the English terms, and nothing else is marked."""
    from outloud.model import Document
    from outloud.rules._common import element_text

    publisher = YAML(typ="safe").load(ROOT / "content" / "publication.yaml")["publisher"]
    for path in screen_files:
        code = path.parts[-3] if path.parent.name == "factsheets" else path.parts[-2]
        document = Document(str(path))
        try:
            marked = [(e.lang, " ".join(element_text(document, e).split()).casefold())
                      for e in document.elements if e.lang]
        finally:
            document.close()
        if script_of(code) != "Latn":
            # English terms in text of another script (render/terms.py) are English
            # too: every marked text is English, in Latin letters.
            assert all(lang == "en" and all(unicodedata.name(c).startswith("LATIN")
                                            for c in text if c.isalpha())
                       for lang, text in marked), (path, marked)
            if path.name == "booklet.pdf":
                assert ("en", publisher.casefold()) in marked, (path, marked)
            continue
        # (set in capitals by the stylesheet): the covers' wordmarks and the cover's foot
        if path.name == "booklet.pdf" and code != "en":
            assert marked and set(marked) == {("en", publisher.casefold())}, (path, marked)
        else:
            assert marked == [], (path, marked)


def test_09_structure_types_sit_where_the_standard_allows(screen_files):
    for path, pdf in _each(screen_files):
        for element in elements(pdf):
            kind = str(element.S)
            logical = [a for a in ancestors(element) if a.S != "/NonStruct"]
            if kind in ALLOWED_PARENTS:
                assert logical and str(logical[0].S) in ALLOWED_PARENTS[kind], \
                    f"{path.name}: {kind} in {logical[0].S if logical else 'the root'}"
            if kind == "/Link":
                assert all(a.S != "/Link" for a in logical), f"{path.name}: a Link in a Link"


def test_13_figures_have_alt_hold_their_labels_and_a_bbox_on_their_page(screen_files):
    figures = 0
    for path, pdf in _each(screen_files):
        pages = {page.obj.objgen: page for page in pdf.pages}
        for element in elements(pdf):
            if element.S != "/Figure":
                continue
            figures += 1
            assert str(element.get("/Alt", "")).strip(), path
            assert "\u200b" not in str(element.Alt), f"{path.name}: a break hint in /Alt"
            x1, y1, x2, y2 = (float(v) for v in element.A.BBox)
            left, bottom, right, top = (float(v) for v in pages[element.Pg.objgen].mediabox)
            assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top, path
            # The labels drawn over it are read as the figure, through its /Alt.
            assert [k.objgen for k in kids_of(element.P) if isinstance(k, pikepdf.Dictionary)
                    and "/S" in k] == [element.objgen], path
            assert len(_mcids(element)) > 1, f"{path.name}: the figure's labels are elsewhere"
    assert figures > 20


def test_14_a_factsheet_alone_starts_at_h1_and_skips_no_level(screen_files):
    for path, pdf in _each(screen_files):
        levels = [HEADINGS.index(e.S) + 1 for e in elements(pdf) if e.get("/S") in HEADINGS]
        assert levels and levels[0] == 1, path
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), path
        if path.parent.name == "factsheets":
            assert levels.count(1) == 1, path


def test_15_every_header_cell_has_a_scope(screen_files):
    for path, pdf in _each(screen_files):
        for element in elements(pdf):
            if element.S == "/TH":
                assert element.A.get("/Scope") in ("/Column", "/Row"), path


def test_19_one_note_per_footnote_with_a_unique_id_and_a_label(screen_files):
    for path, pdf in _each(screen_files):
        notes = [e for e in elements(pdf) if e.S == "/Note"]
        ids = [str(n.ID) for n in notes]
        assert len(ids) == len(set(ids)), path
        for note in notes:
            first = next(k for k in kids_of(note) if isinstance(k, pikepdf.Dictionary))
            assert first.S == "/Lbl", f"{path.name}: {note.ID} has no label first"
            assert note.P.S == "/Document", f"{path.name}: {note.ID} not read as a note"
    english = next(p for p in screen_files if p.parts[-2:] == ("en", "booklet.pdf"))
    with pikepdf.open(english) as pdf:
        assert sum(1 for e in elements(pdf) if e.S == "/Note") == 9  # the footnotes in content/en


def test_28_each_link_annotation_is_in_its_link_element_and_says_where_it_leads(screen_files):
    links = 0
    for path, pdf in _each(screen_files):
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                links += 1
                owner = parents[int(annotation.StructParent)]
                assert owner.S == "/Link", path
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                           and k.Obj.objgen == annotation.objgen for k in kids_of(owner)), path
                contents = str(annotation.get("/Contents", "")).strip()
                assert contents and contents != str(annotation.get("/Dest", "")), \
                    f"{path.name}: link to {annotation.get('/Dest')} says {contents!r}"
                assert int(annotation.F) & 4, f"{path.name}: a link that does not print"
    assert links > 500


def test_31_every_font_is_embedded_with_a_unicode_map(screen_files):
    for path, pdf in _each(screen_files):
        for page in pdf.pages:
            for name, font in page.obj.Resources.get("/Font", {}).items():
                assert "/ToUnicode" in font, f"{path.name}: {name} has no ToUnicode"
                described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = described.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"{path.name}: {descriptor.get('/FontName')} is not embedded"
