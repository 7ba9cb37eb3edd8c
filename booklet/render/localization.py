"""Localisation while rendering: gettext from catalogues, collation, digits, lists."""

from __future__ import annotations

import datetime
import io
import re
from functools import lru_cache

from babel import Locale
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations


def translations_from(catalogue) -> NullTranslations:
    """Compile a catalogue in memory into gettext translations."""
    if catalogue is None:
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


@lru_cache(maxsize=64)
def _collator(locale: str):
    try:
        import icu
    except ImportError:  # sorting falls back to code points
        return None
    return icu.Collator.createInstance(icu.Locale(locale))


def sort_names(names: list[str], locale: str) -> list[str]:
    """Names in the alphabetical order of ``locale``."""
    collator = _collator(locale)
    if collator is None:
        return sorted(names, key=str.casefold)
    return sorted(names, key=collator.getSortKey)


#: CSS counter styles for the numbering systems Babel may name as a locale's default.
COUNTER_STYLES = {"latn": "decimal", "mymr": "myanmar", "thai": "thai", "laoo": "lao",
                  "khmr": "khmer", "beng": "bengali", "deva": "devanagari", "arab": "arabic-indic",
                  "arabext": "persian"}


def numbering(reader: Locale) -> tuple[str, dict]:
    """The reader's digits: a CSS counter style, and a table to translate 0-9 in Python.

    The locale's default numbering system is CLDR's (through Babel); its ten
    digits are ICU's.
    """
    system = reader.default_numbering_system or "latn"
    style = COUNTER_STYLES.get(system, "decimal")
    digits = _digits(system) if style != "decimal" else None
    table = str.maketrans(dict(zip("0123456789", digits, strict=True))) if digits else {}
    return style, table


@lru_cache(maxsize=16)
def _digits(system: str) -> str | None:
    """The ten digits of a numeric numbering system, zero first (None: unknown to ICU)."""
    try:
        import icu
    except ImportError:  # figures stay in Western digits
        return None
    found = icu.NumberingSystem.createInstanceByName(system)
    if found is None or found.isAlgorithmic() or found.getRadix() != 10:
        return None
    digits = found.getDescription()
    return digits if len(digits) == 10 else None


def calendar_year(date: datetime.date, locale: str) -> int:
    """The year of ``date`` in the locale's own calendar (CLDR's, through ICU).

    Thai counts years in the Buddhist era: 2017 is 2560.
    """
    try:
        import icu
    except ImportError:
        return date.year
    gregorian = icu.GregorianCalendar(icu.Locale("en"))
    gregorian.clear()
    gregorian.set(date.year, date.month - 1, date.day)
    calendar = icu.Calendar.createInstance(icu.Locale(locale))
    calendar.setTime(gregorian.getTime())
    return calendar.get(icu.UCalendarDateFields.YEAR)


def join(names: list[str], reader: Locale, end: str | None = None) -> str:
    """A list joined the way the reader's language joins lists ("A, B and C").

    ``end`` joins the last two names instead of the locale's pattern (CLDR's
    "end" and "2", e.g. "{0} ແລະ {1}"), where readers expect another. Spanish
    writes "e" for "y" before a name beginning with the sound i ("francés e
    inglés"), which no pattern can say.
    """
    patterns = dict(reader.list_patterns["standard"])
    if end:
        patterns["end"] = patterns["2"] = end
    if reader.language == "es" and names and _begins_with_i_sound(names[-1]):
        for key in ("end", "2"):
            patterns[key] = patterns[key].replace("} y {", "} e {")
    if len(names) < 2:
        return "".join(names)
    if len(names) == 2:
        return _fill(patterns["2"], *names)
    text = _fill(patterns["start"], names[0], names[1])
    for name in names[2:-1]:
        text = _fill(patterns["middle"], text, name)
    return _fill(patterns["end"], text, names[-1])


def _fill(pattern: str, first: str, second: str) -> str:
    # Never str.format: a pattern may come from content.
    return re.sub(r"\{([01])\}", lambda match: (first, second)[int(match.group(1))], pattern)


def _begins_with_i_sound(word: str) -> bool:
    """i-, í-, or hi- not opening a diphthong (hierro keeps "y")."""
    word = word.lower()
    if word.startswith("h"):
        word = word[1:]
        return word[:1] in ("i", "í") and word[1:2] not in tuple("aeiouáéó")
    return word[:1] in ("i", "í")
