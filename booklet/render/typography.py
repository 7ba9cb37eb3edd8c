"""Each language's typography, applied at render time to plain content text.

Content is written with straight quotes and apostrophes, as any keyboard types
them; the reader gets the quotation marks of their language (CLDR's, through
ICU: “ ” ‘ ’ in English, « » in French, Spanish and Russian) and a typographic
apostrophe. French also gets its narrow no-break spaces before ; : ! ? and
inside « »; a Burmese or Khmer mark that closes a word (။ ၏ ។ …) stays on
the line of that word. Typographic characters already in the content are left
as they are.
"""

from __future__ import annotations

from functools import lru_cache

from .bidi import isolate_latin
from .segment import CLOSING_MARKS, insert_breaks

APOSTROPHE = "\u2019"
NARROW_NBSP = "\u202f"
#: After these, a straight quote opens; elsewhere it closes.
OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{“‘«„—–-/")


@lru_cache(maxsize=32)
def quotation_marks(locale: str) -> tuple[str, str, str, str]:
    """(start, end, inner start, inner end) for a Babel or ICU locale code."""
    try:
        import icu
    except ImportError:  # without ICU: English marks
        return "“", "”", "‘", "’"
    kinds = icu.ULocaleDataDelimiterType
    data = icu.LocaleData(locale)
    return (data.getDelimiter(kinds.QUOTATION_START), data.getDelimiter(kinds.QUOTATION_END),
            data.getDelimiter(kinds.ALT_QUOTATION_START),
            data.getDelimiter(kinds.ALT_QUOTATION_END))


@lru_cache(maxsize=1 << 16)
def localised_text(text: str, locale: str, language: str, right_to_left: bool,
                   segmented: bool) -> str:
    """One text as its reader gets it: typeset, its left-to-right runs isolated in text
    written right to left, and line-break opportunities where the script needs them.
    The same texts come back in every document and edition of a language."""
    text = typeset(text, locale)
    if right_to_left:
        text = isolate_latin(text)
    return insert_breaks(text, language) if segmented else text


def typeset(text: str, locale: str) -> str:
    """``text`` with curly quotes and apostrophes, and French spacing where it is French."""
    if "'" in text or '"' in text:
        text = _quotes(text, quotation_marks(locale))
    if locale.split("_")[0] == "fr":
        text = _french_spacing(text)
    if any(" " + mark in text for mark in CLOSING_MARKS):
        # A space before a mark that closes a word would let a line start with it.
        for mark in CLOSING_MARKS:
            text = text.replace(" " + mark, "\u00a0" + mark)
    return text


def _quotes(text: str, marks: tuple[str, str, str, str]) -> str:
    start, end, inner_start, inner_end = marks
    result = []
    open_single = open_double = False
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        opening = before in OPENING_CONTEXT and not after.isspace()
        if char == '"':
            if opening and not open_double:
                result.append(start)
                open_double = True
            else:
                result.append(end)
                open_double = False
        elif char == "'":
            if before.isalnum() and after.isalnum():  # an apostrophe: l'enfant, children's
                result.append(APOSTROPHE)
            elif opening and not open_single:
                result.append(inner_start)
                open_single = True
            elif open_single:
                result.append(inner_end)
                open_single = False
            else:  # a trailing apostrophe: childrens'
                result.append(APOSTROPHE)
        else:
            result.append(char)
    return "".join(result)


def _french_spacing(text: str) -> str:
    """A narrow no-break space before ; : ! ? » and after «, as French sets them."""
    result: list[str] = []
    for index, char in enumerate(text):
        after = text[index + 1] if index + 1 < len(text) else " "
        spaced = char == "»" or (char in ";:!?" and (after.isspace() or after in "»)"))
        if spaced and result:
            if result[-1] in " \u00a0":
                result[-1] = NARROW_NBSP
            elif result[-1] not in NARROW_NBSP + ";:!?" and not result[-1].isspace() \
                    and _is_a_word(_last_token(result)):
                result.append(NARROW_NBSP)
        if result and result[-1] == "«" and char in " \u00a0":
            char = NARROW_NBSP
        elif result and result[-1] == "«" and char != NARROW_NBSP:
            result.append(NARROW_NBSP)
        result.append(char)
    return "".join(result)


def _last_token(chars: list[str]) -> str:
    token = []
    for char in reversed(chars):
        if char.isspace():
            break
        token.append(char)
    return "".join(reversed(token))


def _is_a_word(token: str) -> bool:
    """Words get French spacing; a password, a URL or a code (p98hUls#yeb!) does not."""
    return all(char.isalpha() or char in "’'-«»()[]\"“”.,…" for char in token)
