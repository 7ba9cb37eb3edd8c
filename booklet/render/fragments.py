"""Fragments: a piece of inline HTML read into a tree and written back, with lxml.

Text that reads as markup (``<img src=…>`` typed into the content) stays text:
the tree holds it unescaped, and only lxml's serializer writes it back.
"""

from __future__ import annotations

from markupsafe import Markup

#: The element a fragment is read into, and whose tags are cut off when it is written.
HOLDER = "span"


def read(html: str):
    """The fragment in a holder element."""
    import lxml.html

    return lxml.html.fragment_fromstring(html, create_parent=HOLDER)


def write(holder) -> Markup:
    """The holder's content as HTML, escaped by lxml."""
    import lxml.html

    whole = lxml.html.tostring(holder, encoding="unicode")
    opening = f"<{HOLDER}>"
    return Markup(whole[len(opening):len(whole) - len(f"</{HOLDER}>")])
