"""Terms: words in Latin letters inside text in another script, marked with their language.

English terms inside Thai, Khmer or Russian text (CSAM, UNICEF, Terre des Hommes)
get a ``<span lang=…>``, so that the structure element made from it carries its
/Lang (render/languages.py) and a screen reader speaks it in that language.
"""

from __future__ import annotations

import unicodedata

#: What may join the words of a run in another script: "Terre des Hommes", "e-mail".
RUN_JOINERS = set(" .-'’/&")


def _is_latin(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def latin_runs(text: str) -> list[tuple[int, int]]:
    """Where words in Latin letters stand in text of another script: (start, end) of
    each run of two letters or more (with the digits and joiners between its words)."""
    runs, start, end = [], None, None
    for index, char in enumerate(text):
        if _is_latin(char) or (start is not None and (char.isdigit() or char in RUN_JOINERS)):
            start = index if start is None else start
            if _is_latin(char) or char.isdigit():
                end = index + 1
        elif start is not None:
            runs.append((start, end))
            start = None
    if start is not None:
        runs.append((start, end))
    return [(a, b) for a, b in runs if sum(_is_latin(c) for c in text[a:b]) >= 2]


def has_latin(text: str) -> bool:
    return any(_is_latin(char) for char in text)


def mark_latin_runs(holder, lang: str) -> None:
    """Wrap each run of Latin words in the text of a fragment (fragments.read) in
    ``<span lang=…>``, so that its structure element carries /Lang (English terms
    inside Thai text). Links keep their text as it is: a web address is not read as
    a word."""
    import lxml.html

    def wrapped(text: str | None) -> tuple[str | None, list]:
        """The text before the first run, and a span (with the text after it) per run."""
        runs = latin_runs(text or "")
        if not runs:
            return text, []
        spans = []
        for index, (start, end) in enumerate(runs):
            span = lxml.html.Element("span", lang=lang)
            span.text = text[start:end]
            span.tail = text[end:runs[index + 1][0] if index + 1 < len(runs) else None]
            spans.append(span)
        return text[:runs[0][0]], spans

    def walk(element) -> None:
        if element.tag == "a":
            return
        children = list(element)
        element.text, spans = wrapped(element.text)
        for index, span in enumerate(spans):
            element.insert(index, span)
        for child in children:
            walk(child)
            child.tail, spans = wrapped(child.tail)
            for span in reversed(spans):
                child.addnext(span)

    walk(holder)
