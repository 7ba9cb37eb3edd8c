"""Footnotes carried to the next page are kept when WeasyPrint lays pages out again.

WeasyPrint 70 lays a document out, then makes again the pages whose counters
changed (contents page numbers, "see page N", a factsheet's page count). A
footnote that does not fit on the page of its call is carried to the next
page (``context.reported_footnotes``), but which footnotes a page carried is
not part of what WeasyPrint keeps per page: when a page is made again after
an unchanged one, or an unchanged page follows one that now carries a
footnote, the footnote is lost (in the French booklet, the splash pages
factsheet's only note was printed nowhere).

``make_all_pages`` below is WeasyPrint's own (``layout/page.py``, version
pinned), plus the memory of what each page carried: a page made again starts
with what the page before it carried, and when what a page carries changes,
the next page is made again too. ``install`` puts it in place.
"""

from __future__ import annotations


def make_all_pages(context, root_box, html, pages):
    """Return a list of laid out pages without margin boxes (see the module's docstring)."""
    from weasyprint.layout.page import PROGRESS_LOGGER, remake_page

    carried = context.__dict__.setdefault("booklet_carried_footnotes", {})
    i = 0
    reported_footnotes = None
    context.rendered_notes = []
    while True:
        remake_state = context.page_maker[i][-1]
        if (len(pages) == 0 or
                remake_state['content_changed'] or
                remake_state['pages_wanted']):
            PROGRESS_LOGGER.info('Step 5 - Creating layout - Page %d', i + 1)
            remake_state['content_changed'] = False
            remake_state['pages_wanted'] = False
            remake_state['anchors'] = []
            remake_state['content_lookups'] = []
            context.reported_footnotes = list(carried.get(i - 1, []))
            page, resume_at = remake_page(i, context, root_box, html)
            reported_footnotes = context.reported_footnotes
            if reported_footnotes != carried.get(i, []) and i + 1 < len(context.page_maker):
                context.page_maker[i + 1][-1]['content_changed'] = True
            carried[i] = list(reported_footnotes)
            yield page
        else:
            PROGRESS_LOGGER.info(
                'Step 5 - Creating layout - Page %d (up-to-date)', i + 1)
            resume_at = context.page_maker[i + 1][0]
            reported_footnotes = None
            yield pages[i]

        i += 1
        if resume_at is None and not reported_footnotes:
            context.page_maker = context.page_maker[:i + 1]
            context.broken_out_of_flow.clear()
            context.reported_footnotes.clear()
            for index in [index for index in carried if index >= i]:
                del carried[index]
            return


def install() -> None:
    """Use make_all_pages above in WeasyPrint's layout (idempotent)."""
    from weasyprint import layout

    layout.make_all_pages = make_all_pages
