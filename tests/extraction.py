"""How much of the content's text a PDF's text layer gives back.

The content's text is the visible text of the HTML the PDF was made from,
cut into segments that are printed in one piece (a paragraph, a heading, a
footnote, a figure's label). The PDF's text is what two extractors read from
it: Poppler's ``pdftotext`` (default reading order) and PDFium (the engine of
Chrome, through pypdfium2).

The share is the part of the content's units found in the extracted text:
character 8-grams for scripts written without spaces between words (Thai,
Khmer, Lao, Burmese), sequences of three words for the others. Whitespace
and line ends never count; a word hyphenated at a line end counts as whole,
and so do words a page break parts, read across the page's foot and the next
page's head.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import lxml.html
import pypdfium2

#: Languages written without spaces between words: compared by characters.
SPACELESS = frozenset({"th", "km", "lo", "my", "ja", "zh"})
CHARACTERS = 8
WORDS = 3

#: Inline elements: their text continues the segment of their parent.
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "kbd", "mark",
                    "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"})
#: Inline elements printed somewhere else than where they stand in the markup (the
#: cover's web address floats to the right-hand end of its line).
PLACED_APART = frozenset({"footnote", "figure-label", "web"})
#: Elements that number their footnotes from 1 (styles/pages.css).
NOTES_RESET = frozenset({"factsheet", "divider"})
#: Never printed as text.
UNPRINTED = frozenset({"head", "style", "script", "title", "desc", "metadata"})
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"))
#: Bidi controls: Poppler writes embeddings where the direction changes, which is
#: between words (it may leave the space itself inside the embedding); the
#: isolates of render/bidi.py stand between words too.
INVISIBLE.update(dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                               " "))
#: A hyphen (or WeasyPrint's hyphenation character) between two parts of a word.
#: A word: letters (with their marks: Latin, Hebrew points, Arabic vowel signs), or
#: digits (a footnote call is not part of its word).
MARKS = ("\u0300-\u036f"  # Latin
         "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"  # Hebrew (not the maqaf, a hyphen)
         "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed")  # Arabic
WORD = re.compile(rf"(?:[^\W\d_]|[{MARKS}])+|\d+")
WORD_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011]\s*(?=\w)")
#: Poppler sets a hyphen inside a right-to-left word (ماري-لور) apart in an
#: embedding of its own: the hyphen stays part of its word.
EMBEDDED_HYPHEN = re.compile("[\u202a-\u202e]([-\u2010\u2011])[\u202a-\u202e]")


def segments(html: str) -> list[str]:
    """The visible text of an HTML document, one string per piece printed in one go.

    A footnote's call and marker (numbers that the stylesheet generates) are
    part of the text, as printed.
    """
    root = lxml.html.fromstring(html)
    found: list[list[str]] = [[]]
    notes = [0]

    def walk(element, current: list[str]) -> list[str]:
        """Add the element's text; return the piece that the text after it continues."""
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1].lower()
        if local in UNPRINTED or not tag:
            if element.tail:
                current.append(element.tail)
            return current
        classes = set(element.get("class", "").split())
        if classes & NOTES_RESET:
            notes[0] = 0
        apart = local not in INLINE or PLACED_APART & classes
        inner = current
        if "footnote" in classes:
            notes[0] += 1
            current.append(str(notes[0]))
        if apart:
            inner = [f"{notes[0]}. "] if "footnote" in classes else []
            found.append(inner)
        if element.text:
            inner.append(element.text)
        for child in element:
            inner = walk(child, inner)
        if apart:  # what follows is a new piece of the parent's text
            current = []
            found.append(current)
        if element.tail:
            current.append(element.tail)
        return current

    walk(root, found[0])
    return [text for text in ("".join(parts) for parts in found) if text.strip()]


def normalised(text: str) -> str:
    """Text compared without case (Turkish dotted and dotless i alike) or invisible marks."""
    text = EMBEDDED_HYPHEN.sub(r"\1", unicodedata.normalize("NFC", text)).translate(INVISIBLE)
    text = text.replace("\x02", "-").replace("\ufffe", "-")  # PDFium's line-end hyphen
    text = WORD_HYPHEN.sub("", text).casefold().replace("\u0131", "i")
    return unicodedata.normalize("NFC", text.replace("i\u0307", "i"))


def units(text: str, language: str) -> list[str]:
    """The units compared: character 8-grams, or sequences of three words."""
    text = normalised(text)
    if language in SPACELESS:
        letters = "".join(text.split())
        return [letters[i:i + CHARACTERS] for i in range(len(letters) - CHARACTERS + 1)] \
            or ([letters] if letters else [])
    words = WORD.findall(text)
    return [" ".join(words[i:i + WORDS]) for i in range(len(words) - WORDS + 1)] \
        or ([" ".join(words)] if words else [])


def missing(content: Iterable[str], extracted: str, language: str) -> list[str]:
    """The content's units not found in the extracted text."""
    text = normalised(extracted)
    if language in SPACELESS:
        letters = "".join(text.split())
        found = {letters[i:i + CHARACTERS] for i in range(len(letters) - CHARACTERS + 1)}
        whole, short = letters, CHARACTERS
    else:
        words = WORD.findall(text)
        found = {" ".join(words[i:i + WORDS]) for i in range(len(words) - WORDS + 1)}
        found |= _across_pages(text)
        whole, short = " ".join(words), WORDS
    # A segment shorter than one unit is looked for as a substring.
    return [unit for segment in content for unit in units(segment, language)
            if unit not in found and not (_length(unit, language) < short and unit in whole)]


def _across_pages(text: str) -> set[str]:
    """Units a page break cuts: a paragraph that ends one page (a line's last words) and
    goes on at the top of the next (a line's first words), with the page's notes, foot
    and running head read in between. Pages are separated by form feeds."""
    pages = [[WORD.findall(line) for line in page.splitlines()] for page in text.split("\f")]
    units = set()
    for page, following in zip(pages, pages[1:], strict=False):
        ends = {tuple(words[-(WORDS - 1):]) for words in page if words}
        starts = {tuple(words[:WORDS - 1]) for words in following if words}
        for end in ends:
            for start in starts:
                joined = list(end + start)
                units.update(" ".join(joined[i:i + WORDS])
                             for i in range(len(joined) - WORDS + 1))
    return units


def _length(unit: str, language: str) -> int:
    return len(unit) if language in SPACELESS else unit.count(" ") + 1


def share(content: Iterable[str], extracted: str, language: str) -> float:
    """The share of the content's units found in the extracted text (0 to 1)."""
    content = list(content)
    total = sum(len(units(segment, language)) for segment in content)
    return 1 - len(missing(content, extracted, language)) / max(1, total)


def poppler_text(path: Path) -> str:
    """The text ``pdftotext`` extracts, in its default reading order."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def pdfium_text(path: Path, first: int = 0, last: int | None = None) -> str:
    """The text PDFium extracts, page after page."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = []
        for index in range(first, len(document) if last is None else last):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(texts)  # as pdftotext ends each page
    finally:
        document.close()


EXTRACTORS = {"pdftotext": poppler_text, "pdfium": pdfium_text}


def documents(root: Path, languages: list[str], editions: tuple[str, ...] = ("print", "screen")):
    """(edition, language, kind, path under build/, HTML) of each output of a project."""
    from booklet.build.plan import plan, render_html, renderer_for
    from booklet.check.run import load_and_check
    from booklet.errors import Problems
    from booklet.paths import ProjectPaths
    from booklet.render.palette import load as load_palette

    project = ProjectPaths(root)
    content = load_and_check(project, languages, Problems())
    for edition in editions:
        palette = load_palette(project, edition)
        for code in languages or content.publication.languages:
            renderer = renderer_for(project, content, code, palette)
            for output in plan(content, [code], edition):
                yield (edition, code, output.kind, output.path.relative_to(project.build),
                       render_html(renderer, output))
