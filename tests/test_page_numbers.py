"""Page numbers of targets ("see page N", contents lines): right, each page made twice at most."""

from __future__ import annotations

import collections

from pdftext import page_texts

from booklet.render import counters

#: A contents page that refers forward, three pages of text, and a page that
#: refers back; the total page count shown in the footer of every page.
DOCUMENT = """<!doctype html><html><head><style>
@page { size: A6; margin: 15mm; @bottom-center { content: counter(page) " / " counter(pages) } }
section { break-before: page }
a.ref::after { content: " p. " target-counter(attr(href), page) }
p.long { height: 200mm }
</style></head><body>
<section><h1>Contents</h1>
<a class="ref" href="#one">One</a> <a class="ref" href="#two">Two</a></section>
<section id="one"><h2>One</h2><p class="long">text</p></section>
<section id="two"><h2>Two</h2><p>text</p></section>
<section><p>As said (<a class="ref" href="#one">One</a>), and later
(<a class="ref" href="#two">Two</a>).</p></section>
</body></html>"""


def test_targets_show_their_pages_and_no_page_is_made_three_times(tmp_path):
    from weasyprint import HTML
    from weasyprint.layout import page

    counters.install()
    made = collections.Counter()
    reads_numbers = page.remake_page

    def counting(index, context, root_box, html):
        made[index] += 1
        return reads_numbers(index, context, root_box, html)

    page.remake_page = counting
    try:
        document = HTML(string=DOCUMENT).render()
    finally:
        page.remake_page = reads_numbers
    path = tmp_path / "numbers.pdf"
    document.write_pdf(path)
    texts = [" ".join(text.split()) for text in page_texts(path)]
    assert len(texts) == 5  # One runs over two pages
    assert "One p. 2 Two p. 4" in texts[0]
    assert "(One p. 2), and later (Two p. 4)" in texts[4]
    assert all(f"{number} / 5" in text for number, text in enumerate(texts, 1))
    # WeasyPrint alone makes the pages that show a number three times (the second
    # time with the contents' numbers not yet known).
    assert max(made.values()) == 2, made
    assert made[0] == made[4] == 2
