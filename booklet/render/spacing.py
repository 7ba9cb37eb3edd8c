"""Spacing: the space before an inline element goes inside it.

WeasyPrint 70 fits the text before an inline element (``of <strong>CSAM</strong>``)
with the space that ends it: where the words fit the line but the space does
not, it breaks the line after the first word of that text instead, and leaves
a word alone on a line ("Tiến" above "hành nghiên cứu …" in the Vietnamese
booklet). Inside the element, the space is laid out as the element's first
character, and the line breaks where it should. Links keep their text as it
is: a space inside one would be part of the link; so do runs set in the other
direction.
"""

from __future__ import annotations

SPACE = " "
#: Elements the space stays out of: links, and those that hold no text.
KEPT_OUT = {"a", "br", "wbr", "img"}


def spaces_inside(holder) -> None:
    """Move each space that precedes an inline element of a fragment
    (fragments.read) into the element."""

    def walk(element) -> None:
        before = None  # the element whose text or tail precedes the next child
        for child in element:
            text = element.text if before is None else before.tail
            # A run in the other direction (bidi.py) would show the space on its far side.
            if isinstance(child.tag, str) and child.tag not in KEPT_OUT and text \
                    and text.endswith(SPACE) and child.get("dir") is None:
                if before is None:
                    element.text = text[:-1]
                else:
                    before.tail = text[:-1]
                child.text = SPACE + (child.text or "")
            walk(child)
            before = child

    walk(holder)
