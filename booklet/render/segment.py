"""Word breaks for scripts written without spaces that Pango cannot break.

Pango finds line-break opportunities in Thai (through libthai) but none in
Lao, Khmer or Burmese: a paragraph would run out of its column as one line.
ICU's dictionary-based word segmenter finds the words; a zero-width space
(U+200B) between them gives the layout engine somewhere to break. Breaks never
fall inside a grapheme cluster, nor around the Burmese and Khmer stacking
signs ICU sometimes splits at.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ZWSP = "\u200b"
#: Languages that need dictionary segmentation, and the script ranges they use.
SEGMENTED = {
    "lo": (0x0E80, 0x0EFF),
    "km": (0x1780, 0x17FF),
    "my": (0x1000, 0x109F),
}
MYANMAR_ASAT, MYANMAR_VIRAMA, KHMER_COENG = "\u103a", "\u1039", "\u17d2"
#: Burmese medial signs (ya, ra, wa, ha), written between a consonant and its asat.
MYANMAR_MEDIALS = "\u103b\u103c\u103d\u103e"
#: Marks that must stay with the word before them, never open a line: sentence and
#: phrase marks (။ ၊ ។ ៕ …), and the Burmese particles ၌ ၍ ၏ (in, and, of).
CLOSING_MARKS = set("\u104a\u104b\u104c\u104d\u104f\u17d4\u17d5\u17d6\u17da\u0eaf")


def needs_segmentation(language: str) -> bool:
    return language.split("_")[0] in SEGMENTED


@lru_cache(maxsize=8)
def _iterators(language: str):
    import icu

    locale = icu.Locale(language)
    return icu.BreakIterator.createWordInstance(locale), \
        icu.BreakIterator.createCharacterInstance(locale)


def _in_script(char: str, script: tuple[int, int]) -> bool:
    return script[0] <= ord(char) <= script[1]


def _boundaries(iterator, text: str) -> list[int]:
    """Boundaries as Python string indexes (ICU counts UTF-16 code units)."""
    iterator.setText(text)
    positions = []
    units = 0
    index_of_unit = {}
    for index, char in enumerate(text):
        index_of_unit[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    index_of_unit[units] = len(text)
    for boundary in iterator:
        if boundary in index_of_unit:
            positions.append(index_of_unit[boundary])
    return positions


def _allowed(text: str, at: int) -> bool:
    """Whether a break between text[at-1] and text[at] keeps syllables whole."""
    before, after = text[at - 1], text[at]
    following = text[at + 1] if at + 1 < len(text) else ""
    if before in (MYANMAR_VIRAMA, KHMER_COENG):
        return False  # a stacked consonant follows
    rest = text[at + 1:].lstrip(MYANMAR_MEDIALS)
    if following in (MYANMAR_ASAT, MYANMAR_VIRAMA) or (
            following in MYANMAR_MEDIALS and rest[:1] == MYANMAR_ASAT):
        # `after` is killed or stacked (with its medials: ရှ် in ဟက်ရှ်, hash): it
        # belongs to the syllable before
        return False
    if unicodedata.category(after).startswith("M"):
        return False  # never separate a mark from its base
    if after in CLOSING_MARKS:
        return False  # a line never starts with ။ or ។
    return True


def insert_breaks(text: str, language: str) -> str:
    """The text with a zero-width space at each word boundary inside the script."""
    code = language.split("_")[0]
    script = SEGMENTED.get(code)
    if script is None or not any(_in_script(c, script) for c in text):
        return text
    words, characters = _iterators(code)
    clusters = set(_boundaries(characters, text))
    pieces, last = [], 0
    for at in _boundaries(words, text):
        if 0 < at < len(text) and at in clusters and at > last \
                and _in_script(text[at - 1], script) and _in_script(text[at], script) \
                and _allowed(text, at):
            pieces.append(text[last:at])
            last = at
    pieces.append(text[last:])
    return ZWSP.join(pieces)
