"""Spacing: the space before an inline element goes inside it.

WeasyPrint 70 fits the text before an inline element (``of <strong>CSAM</strong>``)
with the space that ends it: where the words fit the line but the space does
not, it breaks the line after the first word of that text instead, and leaves
a word alone on a line ("Tiến" above "hành nghiên cứu …" in the Vietnamese
booklet). Inside the element, the space is laid out as the element's first
character, and the line breaks where it should. Links keep their text as it
is (a space inside one would be part of the link): the space before a link goes
into an element of its own, which does as well. Runs set in the other direction
keep theirs.
"""

from __future__ import annotations

SPACE = " "
#: The spaces that move: a no-break space before an element ("núm.\u00a0<span>190)</span>")
#: trips WeasyPrint the same way, and keeps its meaning inside the element.
SPACES = (SPACE, "\u00a0", "\u202f")
#: Elements the space stays out of: those that hold no text.
KEPT_OUT = {"br", "wbr", "img"}
#: Elements whose text is theirs alone: the space goes into a <span> before them.
SPACE_APART = {"a"}


def has_space_before_element(html: str) -> bool:
    """Whether an HTML fragment has a space that ``spaces_inside`` would move."""
    return any(space + "<" in html for space in SPACES)


def spaces_inside(holder) -> None:
    """Move each space that precedes an inline element of a fragment
    (fragments.read) into the element, or into a <span> of its own before a link."""
    from lxml import etree

    def walk(element) -> None:
        before = None  # the element whose text or tail precedes the next child
        for child in list(element):
            text = element.text if before is None else before.tail
            # A run in the other direction (bidi.py) would show the space on its far side.
            if isinstance(child.tag, str) and child.tag not in KEPT_OUT and text \
                    and text.endswith(SPACES) and child.get("dir") is None:
                if before is None:
                    element.text = text[:-1]
                else:
                    before.tail = text[:-1]
                if child.tag in SPACE_APART:
                    space = etree.Element("span")
                    space.text = text[-1]
                    child.addprevious(space)
                else:
                    child.text = text[-1] + (child.text or "")
            walk(child)
            before = child

    walk(holder)
