"""Characters a content file may not hold, and words too long for any line.

A double-quoted YAML string can spell any code point ("\0", "\a", "\u202E",
"\uD800"), and a text file can hold the bidi controls as they are. None of
these belongs in a publication: control characters reach the PDF's metadata
and text layer; bidi embeddings and overrides (U+202A–U+202E) reorder the
text around them, the trick of "Trojan source"; a lone surrogate is not a
character at all. Bidi isolates (U+2066–U+2069) and the direction marks
(U+200E, U+200F) stay allowed: right-to-left scripts need them, and they
cannot leak past the end of their text.

A word no line can hold would run off the page (a title is one flexible line
beside its number, which never breaks a word), so it is reported instead:
no word of the publication comes near the limit.
"""

from __future__ import annotations

import re
import unicodedata

from ..content.load import Content
from ..content.yamlfile import line_of
from ..errors import Problems

#: Tab and line feed are how text is laid out in a YAML file, not content.
LAYOUT_CONTROLS = {"\t", "\n"}
BIDI_EMBEDDINGS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}
#: A translation's record of what it was translated from (content/records.py).
RECORD = "translation"
#: The longest word a title line holds at its size; the longest in the publication has 29.
MAX_WORD_CHARS = 40
#: A word ends at a space, a hyphen, a soft hyphen or a zero-width space. Thai, Lao,
#: Khmer and Burmese are written without spaces: their words are found when laid
#: out (render/segment.py), so their letters never count as one long word. Nor do
#: Chinese and Japanese characters (CJK punctuation, kana, ideographs, full-width
#: forms): a line may break between any two of them (Unicode line breaking, UAX #14).
WORD = re.compile(r"[^\s\-\u00ad\u200b\u2010\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
                  r"\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  r"\uff00-\uffef]+")


def check_characters(content: Content, problems: Problems) -> None:
    """Every text of every loaded file, the publication's included."""
    sources = [content.publication.source] + [
        source for language in content.languages.values() for source in language.sources()]
    for source in sources:
        for key, text, line, printed in _texts(source.data, "", None):
            for problem in _refused(text, printed):
                problems.add(problem, source.shown, line, key or None)


def _texts(value, key: str, line: int | None, printed: bool = True):
    """Each string (keys too) with its key path, its line and whether it may be printed.

    Keys and the translation record (key paths and fingerprints) are never printed.
    """
    if isinstance(value, dict):
        for name, item in value.items():
            path = f"{key}.{name}" if key else str(name)
            yield path, str(name), line_of(value, name), False
            yield from _texts(item, path, line_of(value, name),
                              printed and path != RECORD)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{key}[{index}]", line_of(value, index), printed)
    elif isinstance(value, str):
        yield key, value, getattr(value, "line", None) or line, printed


def _refused(text: str, printed: bool) -> list[str]:
    found = []
    for character in dict.fromkeys(text):
        if character in LAYOUT_CONTROLS:
            continue
        category = unicodedata.category(character)
        if character in BIDI_EMBEDDINGS:
            found.append(f"{_name(character)} is not allowed: it reorders the text around "
                         "it; use an isolate (U+2066–U+2069) if the script needs one")
        elif category == "Cs":
            found.append(f"U+{ord(character):04X} is a lone surrogate, not a character: "
                         "the file spells half of one (\\u escape)")
        elif category == "Cc":
            found.append(f"control character {_name(character)} is not allowed in a text")
    for word in WORD.findall(text) if printed else ():
        if len(word) > MAX_WORD_CHARS:
            found.append(f"a word of {len(word):,} characters ({word[:20]!r}…) is longer than "
                         "a line can hold: add a space, a hyphen or a soft hyphen (U+00AD) "
                         "where it may break")
    return found


def _name(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name})" if name else "")

