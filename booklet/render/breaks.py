"""Breaks: the page breaks a reader trips over, found in a laid-out document.

A paragraph or list item that leaves a single line at the foot of a page (an
orphan) or carries a single line over to the next (a widow), a heading left at
the foot of a page with its text on the next, and a line that starts with a
sign that belongs to the word before it: a combining mark, closing
punctuation, or a particle such as Burmese ၏, ၍, ကို or များ or Khmer ។. The stylesheets forbid them
(orphans, widows, break-after: avoid); WeasyPrint gives way when it cannot
do otherwise, and the build reports where. Also a line broken short, less than
half full with more of its paragraph to come: WeasyPrint 70 does that where the
text before an inline element ends with a space it cannot fit (render/spacing.py
keeps it from happening).
"""

from __future__ import annotations

import unicodedata

from .segment import bound_to_the_word_before

#: Blocks of running text whose lines are counted.
TEXT_TAGS = frozenset({"p", "li", "dd"})
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Signs that close what comes before them, beyond Unicode's combining marks and
#: closing punctuation: Burmese section marks and particles, Khmer and Thai signs.
CLOSING_SIGNS = frozenset("၊။၌၍၏។៕៖ៗๆฯໆ,.;:!?…")
#: A line that is not its paragraph's last uses at least this share of the width.
SHORT_LINE = 0.5


def blocks_with_lines(box):
    """The block boxes that hold lines, in the order they are laid out."""
    from weasyprint.formatting_structure.boxes import BlockContainerBox, LineBox

    children = getattr(box, "children", ())
    if any(isinstance(child, LineBox) for child in children):
        yield box
        return
    for child in children:
        if isinstance(child, BlockContainerBox) and not child.is_absolutely_positioned():
            yield from blocks_with_lines(child)


def _share_used(line, block) -> float:
    """How much of its block's width a line's content takes."""
    right = max((child.position_x + child.margin_width() for child in line.children),
                default=line.position_x)
    return (right - block.content_box_x()) / block.width if block.width else 1.0


def _line_count(box) -> int:
    from weasyprint.formatting_structure.boxes import LineBox

    return sum(isinstance(child, LineBox) for child in box.children)


def line_text(box) -> str:
    text = getattr(box, "text", None)
    if text is not None:
        return text
    return "".join(line_text(child) for child in getattr(box, "children", ()))


def _starts_badly(text: str) -> bool:
    text = text.lstrip(" \u200b")
    first_word = text.split("\u200b", 1)[0].split(" ", 1)[0]
    return bool(text) and (text[0] in CLOSING_SIGNS or
                           unicodedata.category(text[0]) in ("Mn", "Mc", "Pe", "Pf") or
                           bound_to_the_word_before(first_word))


def element_text(element, limit: int = 50) -> str:
    """An element's text on one line, cut to ``limit`` characters, to name it in a warning."""
    return " ".join("".join(element.itertext()).split())[:limit]


def foot_gap(page) -> float:
    """The share of a page's text area left empty at its foot, above its notes: where a
    box or figure too tall for the rest of the page went on to the next."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    def lowest(box) -> float:
        if isinstance(box, LineBox | ReplacedBox):
            return box.position_y + box.margin_height()
        return max((lowest(child) for child in getattr(box, "children", ())
                    if not getattr(child, "is_absolutely_positioned", lambda: False)()),
                   default=0.0)

    page_box = page._page_box
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            bottom = min(bottom, child.position_y)
    end = lowest(page_box.children[0])
    if not end:
        return 0.0
    return max(0.0, bottom - end) / page_box.height


def bad_breaks(pages) -> list[str]:
    """Each widow, orphan and heading at the foot of a page, as "page 3: …"."""
    found = []
    fragments: dict = {}  # element: [(page number, lines on it)]
    for number, page in enumerate(pages, 1):
        root = page._page_box.children[0]
        blocks = list(blocks_with_lines(root))
        for box in blocks:
            if box.element_tag in TEXT_TAGS:
                fragments.setdefault(box.element, []).append((number, _line_count(box)))
            for line in box.children[1:]:
                text = line_text(line)
                if _starts_badly(text):
                    found.append(f"page {number}: a line starts with a sign that belongs "
                                 f"to the word before it: '{text.strip()[:30]}'")
            for line in box.children[:-1]:
                if _share_used(line, box) < SHORT_LINE:
                    found.append(f"page {number}: a line broken short, before the rest of "
                                 f"its paragraph: '{line_text(line).strip()[:30]}'")
        if blocks and number < len(pages):
            last = blocks[-1]
            if last.element_tag in HEADING_TAGS:
                found.append(f"page {number}: heading at the foot of the page: "
                             f"'{element_text(last.element)}'")
    for element, parts in fragments.items():
        if len(parts) < 2:
            continue
        (first_page, first_lines), (last_page, last_lines) = parts[0], parts[-1]
        if first_lines < 2:
            found.append(f"page {first_page}: a single line left at the foot of the page: "
                         f"'{element_text(element)}'")
        if last_lines < 2:
            found.append(f"page {last_page}: a single line carried over to the page: "
                         f"'{element_text(element)}'")
    return found
