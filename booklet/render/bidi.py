"""Right-to-left text: a language's direction, and left-to-right runs kept whole.

The direction comes from CLDR (through Babel). Inside right-to-left text, a run
of Latin letters and digits with spaces or punctuation between them (an address
line, a telephone number, "Resources > Factsheet", an ISBN) must read left to
right as one piece: the Unicode bidi algorithm alone would reverse the order of
"+662 215 3388"'s groups, since European digits take the direction of the text
around them. Each such run is marked with the isolates LRI … PDI (U+2066,
U+2069); markup (footnote calls, cross-references) is left as it is.

Where the text becomes HTML, each isolated run becomes a ``<span dir="ltr">``:
WeasyPrint 70 lays out every inline box of a line on its own and, in a
right-to-left line, places the boxes in reverse order, so a run cut into several
boxes (an acronym's no-hyphenation span, a link) would have its words reversed;
as one left-to-right box it keeps its order. In plain text (running heads,
cross-reference titles) the isolates stay, and Pango honours them.
"""

from __future__ import annotations

import re

from babel import Locale
from markupsafe import Markup

from ..content import inline

LRI, PDI = "\u2066", "\u2069"
ISOLATES = LRI + PDI
#: A left-to-right run: it starts with a Latin letter or a digit (or the + of a
#: telephone number), ends with one, and holds nothing else but spaces and the
#: punctuation of addresses, numbers and menu paths.
LATIN_RUN = re.compile(r"\+?[A-Za-z0-9](?:[A-Za-z0-9 .,/:@&>+_\u2010-\u2013-]*[A-Za-z0-9])?")


def text_direction(reader: Locale | None) -> str:
    """"rtl" or "ltr": the direction the reader's language is written in."""
    return "rtl" if reader is not None and reader.character_order == "right-to-left" else "ltr"


def isolate_latin(text: str) -> str:
    """``text`` with every left-to-right run in it isolated (markup untouched)."""
    markup = re.compile(f"{inline.FOOTNOTE_CALL.pattern}|{inline.CROSS_REFERENCE.pattern}")
    pieces, position = [], 0
    for match in markup.finditer(text):
        pieces += [_isolated(text[position:match.start()]), match.group(0)]
        position = match.end()
    return "".join(pieces + [_isolated(text[position:])])


def _isolated(text: str) -> str:
    return LATIN_RUN.sub(lambda match: f"{LRI}{match.group(0)}{PDI}", text)


def ltr_spans(html: Markup) -> Markup:
    """Rendered HTML with each isolated run as a left-to-right span (the runs hold
    no markup of their own, so the spans nest)."""
    if LRI not in html:
        return html
    return Markup(str(html).replace(LRI, '<span dir="ltr">').replace(PDI, "</span>"))


def without_isolates(text: str) -> str:
    """The text read out (alternative text, bookmarks): without the isolates."""
    return text.translate({ord(c): None for c in ISOLATES})
