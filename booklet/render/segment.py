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
#: Burmese particles and suffixes written after the word they belong to, never at the
#: start of a line: markers of case (ကို, က, မှ, တွင်, နှင့်, ဖြင့်), of the plural
#: (များ, တို့), of a clause's end or relation (သည်, သည့်, သော, ရန်, လျှင်, ကြောင့်),
#: nominalisers (ခြင်း, မှု) and verb auxiliaries (နိုင်, စေ, ကြ, ပါ).
BURMESE_PARTICLES = frozenset((
    "ကို", "က", "မှ", "တွင်", "နှင့်", "ဖြင့်", "များ", "တို့", "သည်", "သည့်", "သော",
    "ရန်", "လျှင်", "ကြောင့်", "သော်လည်း", "လည်း", "ပင်", "ခြင်း", "မှု", "နိုင်", "စေ",
    "ကြ", "ပါ", "၏", "၍", "၌"))
#: The Burmese negation, written before its verb: never at the end of a line.
BURMESE_NEGATION = "မ"


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


def bound_to_the_word_before(word: str) -> bool:
    """Whether a Burmese word is particles only (များသည်, ခြင်း၊), closing marks aside."""
    word = word.rstrip("".join(CLOSING_MARKS) + " ")
    if not word:
        return False
    ends = {0}
    for end in range(1, len(word) + 1):
        if any(start in ends and word[start:end] in BURMESE_PARTICLES for start in range(end)):
            ends.add(end)
    return len(word) in ends


def insert_breaks(text: str, language: str) -> str:
    """The text with a zero-width space at each word boundary inside the script."""
    code = language.split("_")[0]
    script = SEGMENTED.get(code)
    if script is None or not any(_in_script(c, script) for c in text):
        return text
    words, characters = _iterators(code)
    clusters = set(_boundaries(characters, text))
    boundaries = _boundaries(words, text)
    pieces, last = [], 0
    for previous, at, following in zip([0, *boundaries[:-1]], boundaries,
                                       [*boundaries[1:], len(text)], strict=True):
        if 0 < at < len(text) and at in clusters and at > last \
                and _in_script(text[at - 1], script) and _in_script(text[at], script) \
                and _allowed(text, at) and not (code == "my" and _burmese_bound(
                    text[previous:at], text[at:following])):
            pieces.append(text[last:at])
            last = at
    pieces.append(text[last:])
    joined = ZWSP.join(pieces)
    if code == "my":  # a space before a particle would let the line break there
        parts = joined.split(" ")
        joined = parts[0] + "".join(
            ("\u00a0" if bound_to_the_word_before(part.split(ZWSP, 1)[0]) else " ") + part
            for part in parts[1:])
    return joined


def _burmese_bound(before: str, after: str) -> bool:
    """Whether two Burmese words must share a line: a particle after its word, or the
    negation before its verb."""
    return bound_to_the_word_before(after) or before == BURMESE_NEGATION
