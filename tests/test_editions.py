"""The two editions: print (PDF/X-4, bleed, crop marks, CMYK, imposition) and screen (PDF/UA-1)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pikepdf
import pytest
from conftest import copy_project, run
from pdftext import page_texts

from booklet.check.preflight import preflight
from booklet.render.impose import impose_booklet, saddle_stitch_order

MM = 72 / 25.4


@pytest.fixture(scope="session")
def print_booklet(built):
    return built / "build/print/en/booklet.pdf"


def test_print_pages_have_a4_trim_3mm_bleed_and_a_slug(print_booklet):
    with pikepdf.open(print_booklet) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim == pytest.approx([0, 0, 595.2756, 841.8898], abs=0.01)
            assert bleed == pytest.approx([-3 * MM, -3 * MM, 595.2756 + 3 * MM,
                                           841.8898 + 3 * MM], abs=0.01)
            slug = [bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2],
                    media[3] - bleed[3]]
            assert min(slug) >= 10 * MM - 0.01


def stroked_lines(page) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Every straight line the page's own content stream strokes, in page space.

    The page's content draws its marks last, outside any transformation.
    """
    lines, start, depth = [], None, 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "q":
            depth += 1
        elif name == "Q":
            depth -= 1
        elif depth == 1 and name == "m":
            start = tuple(float(v) for v in operands)
        elif depth == 1 and name == "l" and start is not None:
            end = tuple(float(v) for v in operands)
            lines.append((start, end))
            start = None
    return lines


def test_crop_marks_sit_outside_the_bleed_in_registration_black(print_booklet):
    with pikepdf.open(print_booklet) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.obj.TrimBox)
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            lines = stroked_lines(page)
            assert len(lines) == 8  # two at each corner
            for (x1, y1), (x2, y2) in lines:
                for x, y in ((x1, y1), (x2, y2)):
                    outside_bleed = x < bleed[0] or x > bleed[2] or y < bleed[1] or y > bleed[3]
                    assert outside_bleed, (x, y)
                    assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
                # Each mark continues a trim line, at least the bleed away from the trim.
                def on(value, *edges):
                    return any(abs(value - edge) < 0.01 for edge in edges)

                vertical = on(x1, x2) and on(x1, left, right)
                horizontal = on(y1, y2) and on(y1, bottom, top)
                assert vertical or horizontal, ((x1, y1), (x2, y2))
                gap = min(abs(y1 - bottom), abs(y1 - top), abs(y2 - bottom), abs(y2 - top)) \
                    if vertical else \
                    min(abs(x1 - left), abs(x1 - right), abs(x2 - left), abs(x2 - right))
                assert gap >= 3 * MM
            stream = page.obj.Contents.read_bytes()
            assert b"1 1 1 1 K" in stream.rsplit(b"/Artifact BMC", 1)[-1]


def test_the_slug_names_the_job_and_the_page(print_booklet):
    pages = page_texts(print_booklet)
    for number, text in enumerate(pages, 1):
        assert ("English (en) · print edition · booklet.pdf · 2017-05-01 · "
                in text) and f"page {number} of {len(pages)}" in text
    with pikepdf.open(print_booklet) as pdf:
        fonts = {str(f.BaseFont): f for f in pdf.pages[0].obj.Resources.Font.values()}
        slug = fonts["/BKSLUG+NotoSans-Regular"]
        assert "/FontFile2" in slug.FontDescriptor  # embedded, as PDF/X wants


def test_print_booklet_page_count_is_a_multiple_of_four_with_notes_pages(print_booklet, built):
    texts = page_texts(print_booklet)
    assert len(texts) % 4 == 0
    screen = page_texts(built / "build/screen/en/booklet.pdf")
    padding = len(texts) - len(screen)
    assert 0 <= padding < 4
    # The padding is notes pages just before the back cover, never inside a factsheet.
    for text in texts[len(texts) - 1 - padding:-1]:
        assert "NOTES" in text
    assert "ECPAT International" in texts[-1]


def test_print_edition_is_pdfx4_cmyk_without_links(print_booklet):
    with pikepdf.open(print_booklet) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert intent.DestOutputProfile.N == 4
        assert "PDF/X-4" in pdf.Root.Metadata.read_bytes().decode()
        assert all(a.Subtype != "/Link" for p in pdf.pages for a in p.obj.get("/Annots", []))
        with pdf.open_metadata() as meta:
            assert meta["dc:identifier"] == "ISBN BN-60-146280"  # the printed version's


def corner_colour(pdf, page, tmp_path):
    """The colour of a page's bleed at its corner, as rendered by Poppler."""
    out = tmp_path / f"corner-{page}"
    subprocess.run(["pdftoppm", "-r", "30", "-f", str(page), "-l", str(page), "-png",
                    str(pdf), str(out)], check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob(f"corner-{page}*.png"))).convert("RGB")
    # 13.5 mm in from the corner: past the 12 mm slug, in the 3 mm bleed.
    inside_bleed = round(13.5 / 25.4 * 30)
    return (image.getpixel((inside_bleed, inside_bleed)),
            image.getpixel((image.width // 2, image.height // 2)))


def test_backgrounds_run_into_the_bleed(print_booklet, tmp_path):
    pages = len(page_texts(print_booklet))
    corner, _ = corner_colour(print_booklet, pages, tmp_path)  # the teal back cover
    red, green, blue = corner
    assert green > red + 20 and blue > red + 20 and max(corner) < 200, corner


def test_screen_edition_is_tagged_with_language_labels_and_ebook_isbn(built):
    with pikepdf.open(built / "build/screen/en/booklet.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert pdf.Root.Lang == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert pdf.Root.PageLabels.Nums[1].S == "/D"
        assert "pdfuaid" in pdf.Root.Metadata.read_bytes().decode()
        with pdf.open_metadata() as meta:
            assert meta["dc:identifier"] == "ISBN BN-60-146267"


def test_screen_booklet_is_small(built):
    assert (built / "build/screen/en/booklet.pdf").stat().st_size < 1.5 * 1024 * 1024


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_independent_readers_open_every_output(built, edition, tmp_path):
    pdfs = sorted((built / "build" / edition / "en").rglob("*.pdf"))
    assert len(pdfs) >= 18
    for pdf in pdfs:
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                               text=True).stdout
        assert "no " not in " ".join(line.split()[-5] + " " for line in
                                     fonts.splitlines()[2:])
        text = subprocess.run(["pdftotext", str(pdf), str(tmp_path / "out.txt")], check=True,
                              capture_output=True, text=True)
        assert text.stderr == "", (pdf.name, text.stderr)  # not even a warning
    booklet = built / "build" / edition / "en/booklet.pdf"
    result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", "-r20",
                             "-dFirstPage=1", "-dLastPage=3",
                             f"-sOutputFile={tmp_path}/gs-%d.png", str(booklet)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    assert len(list(tmp_path.glob("gs-*.png"))) == 3


def test_saddle_stitch_order():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    order = saddle_stitch_order(52)
    assert len(order) == 26
    assert order[:4] == [(52, 1), (2, 51), (50, 3), (4, 49)]
    assert order[-2:] == [(28, 25), (26, 27)]
    assert sorted(n for side in order for n in side) == list(range(1, 53))
    with pytest.raises(ValueError):
        saddle_stitch_order(10)


@pytest.mark.parametrize("pages", [8, 52])
def test_imposition_puts_pages_in_folding_order(pages, tmp_path):
    from weasyprint import HTML

    numbered = "".join(f'<p style="break-after: page">Page{n}</p>' for n in range(1, pages + 1))
    HTML(string=f"<style>@page {{ size: A4; bleed: 3mm }}</style>{numbered}").write_pdf(
        tmp_path / "numbered.pdf")
    impose_booklet(tmp_path / "numbered.pdf", tmp_path / "imposed.pdf")
    with pikepdf.open(tmp_path / "imposed.pdf") as imposed:
        assert len(imposed.pages) == pages // 2
        box = [float(v) for v in imposed.pages[0].MediaBox]
        assert box[2] > box[3]  # landscape
    import pypdfium2

    document = pypdfium2.PdfDocument(str(tmp_path / "imposed.pdf"))
    for index, (left, right) in enumerate(saddle_stitch_order(pages)):
        textpage = document[index].get_textpage()
        width, height = document[index].get_size()
        left_text = textpage.get_text_bounded(0, 0, width / 2, height).strip()
        right_text = textpage.get_text_bounded(width / 2, 0, width, height).strip()
        assert (left_text, right_text) == (f"Page{left}", f"Page{right}")
    document.close()


def test_build_impose_writes_the_imposed_booklet(built, capsys, tmp_path):
    project = copy_project(tmp_path / "p")
    shutil.copytree(built / "build", project / "build")
    code, out, err = run(["build", "--project", str(project), "--lang", "ru", "--edition",
                          "print", "--impose", "--quiet"], capsys)
    assert code == 0, err
    imposed = project / "build/print/ru/booklet-imposed.pdf"
    booklet = project / "build/print/ru/booklet.pdf"
    with pikepdf.open(imposed) as a, pikepdf.open(booklet) as b:
        assert len(a.pages) * 2 == len(b.pages)


def test_preflight_says_why_a_file_fails(built, capsys):
    code, out, err = run(["preflight", "--edition", "print",
                          str(built / "build/screen/en/booklet.pdf")], capsys)
    assert code == 1
    assert "FAIL  page boxes: page 1: BleedBox is not 3 mm outside the TrimBox" in out
    pages = len(page_texts(built / "build/screen/en/booklet.pdf"))
    if pages % 4:
        assert f"FAIL  page count: {pages} pages: not a multiple of 4" in out
    assert "FAIL  colour: no PDF/X output intent" in out
    assert "failed preflight" in err
    code, out, _ = run(["preflight", str(built / "build/print/en/booklet.pdf")], capsys)
    assert code == 0 and "(print edition): passed" in out


def test_two_builds_give_byte_identical_pdfs_whatever_the_number_of_workers(tmp_path, capsys):
    digests = []
    for name, jobs in (("one", "1"), ("two", "2")):
        project = copy_project(tmp_path / name)
        assert run(["build", "--project", str(project), "--lang", "tr", "--quiet",
                    "--jobs", jobs], capsys)[0] == 0
        digests.append({str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted((project / "build").rglob("*.pdf"))})
    assert digests[0] == digests[1]
    assert any("print" in path for path in digests[0])


def test_screen_running_heads_are_artifacts_and_footnotes_are_notes(built):
    with pikepdf.open(built / "build/screen/en/booklet.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        kinds = [str(kid.S) for kid in document.K if isinstance(kid, pikepdf.Dictionary)]
        assert kinds.count("/Note") == 9  # the pages with footnotes
        artifacts = sum(1 for page in pdf.pages
                        for operands, operator in pikepdf.parse_content_stream(page)
                        if str(operator) == "BDC" and str(operands[0]) == "/Artifact")
        assert artifacts >= 40  # running heads and page numbers
    _, findings = preflight(built / "build/screen/en/booklet.pdf")
    assert next(f for f in findings if f.check == "structure").ok


def test_preflight_finds_notdef_glyphs(tmp_path, capsys):
    from weasyprint import HTML

    # A private-use character: no installed font has a glyph for it.
    HTML(string='<p style="font-family: Noto Sans">Hello \ue000 world</p>').write_pdf(
        tmp_path / "tofu.pdf")
    code, out, _ = run(["preflight", str(tmp_path / "tofu.pdf")], capsys)
    assert code == 1
    assert "FAIL  glyphs: .notdef drawn for U+E000 in Noto Sans" in out
