"""Hyphenation: the breaks a hyphen makes that a reader trips over, and the words
kept whole to mend them.

WeasyPrint 70 hyphenates where the stylesheets allow (scripts.css: words of 7
letters, 3 on each side) but knows no limit on consecutive hyphenated lines,
nor spares a paragraph's last word or a page's last line. ``faults`` finds,
in a layout, the words hyphenated where a publisher would not: a third
hyphenated line in a row, the line before a paragraph's last, the last line
of a page; copyfitting (build/fit.py) lays the factsheet out again with those
words kept whole (``keep_whole``: <span class="nh">, which is not hyphenated).
"""

from __future__ import annotations

import re

from .breaks import blocks_with_lines, line_text

#: Hyphenated lines in a row that are allowed.
MOST_IN_A_ROW = 2


def _hyphenated(text: str) -> bool:
    text = text.rstrip()
    return len(text) > 1 and text[-1] in "-\u2010" and text[-2].isalpha()


def faults(pages) -> set[str]:
    """The words hyphenated at a third line in a row, before a paragraph's last line or
    at the foot of a page."""
    from weasyprint.formatting_structure.boxes import LineBox

    lines_of: dict = {}  # element: [(page number, line text)], in order
    for number, page in enumerate(pages):
        for block in blocks_with_lines(page._page_box.children[0]):
            for line in block.children:
                if isinstance(line, LineBox):
                    lines_of.setdefault(block.element, []).append((number, line_text(line)))
    words = set()
    for element, lines in lines_of.items():
        text = " ".join("".join(element.itertext()).split())
        in_a_row = 0
        for index, (page, line) in enumerate(lines[:-1]):
            if not _hyphenated(line):
                in_a_row = 0
                continue
            in_a_row += 1
            following_page, following = lines[index + 1]
            if in_a_row > MOST_IN_A_ROW or index == len(lines) - 2 or following_page != page:
                head, tail = line.split()[-1][:-1], (following.split() or [""])[0]
                word = head + re.sub(r"\W+$", "", tail)
                if word and word in text:  # not a word broken at a hyphen of its own
                    words.add(word)
    return words


def keep_whole(holder, words: frozenset[str]) -> None:
    """Wrap each of ``words`` in the texts of a fragment (fragments.read) in a span that
    is not hyphenated."""
    from lxml import etree

    if not words:
        return
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(words))) + r")(?!\w)")

    def spans(text: str):
        """The text before the first word, then (word, text after it) pairs."""
        parts = pattern.split(text)
        return parts[0], list(zip(parts[1::2], parts[2::2], strict=True))

    def wrap(element) -> None:
        for child in list(element):
            if isinstance(child.tag, str) and "nh" not in child.get("class", "").split():
                wrap(child)
            if child.tail and pattern.search(child.tail):
                first, rest = spans(child.tail)
                child.tail = first
                anchor = child
                for word, after in rest:
                    anchor = _span_after(anchor, word, after, etree)
        if element.text and pattern.search(element.text):
            first, rest = spans(element.text)
            element.text = first
            for position, (word, after) in enumerate(rest):
                span = etree.Element("span", {"class": "nh"})
                span.text, span.tail = word, after
                element.insert(position, span)

    wrap(holder)


def _span_after(anchor, word: str, after: str, etree):
    span = etree.Element("span", {"class": "nh"})
    span.text, span.tail = word, after
    anchor.addnext(span)
    return span
