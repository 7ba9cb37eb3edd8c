"""Languages: Babel locales, interface catalogues and locale-aware lists.

Interface strings (labels such as "Facts" or "What can you do?") live in
gettext catalogues, locales/<lang>/LC_MESSAGES/messages.po. They are compiled
in memory at every build, so no stale .mo file can be used by mistake.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from .errors import Problems
from .project import Project


def parse_locale(code: str) -> Locale | None:
    """The Babel locale of a language code, or None when Babel does not know it."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def catalogue_path(project: Project, code: str) -> Path:
    return project.locales / code / "LC_MESSAGES" / "messages.po"


def load_catalogue(project: Project, code: str, problems: Problems):
    """Read a language's catalogue; record problems with file and line."""
    path = catalogue_path(project, code)
    shown = project.shown(path)
    if not path.is_file():
        problems.add(f"no interface catalogue for language {code!r}", shown)
        return None
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=code.replace("-", "_"), abort_invalid=True)
    except PoFileError as error:
        # Babel counts lines from 0 and repeats the number in its message.
        line = error.lineno + 1 if isinstance(getattr(error, "lineno", None), int) else None
        message = re.sub(r" on \d+$", "", str(error))
        problems.add(f"catalogue syntax: {message}", shown, line)
    except (UnknownLocaleError, ValueError, UnicodeDecodeError) as error:
        problems.add(f"cannot read catalogue: {error}", shown)
    return None


def read_catalogue(path: Path, code: str):
    """A catalogue, or None if it is absent or unreadable (load_catalogue says why)."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=code.replace("-", "_"))
    except (OSError, PoFileError, UnknownLocaleError, ValueError, UnicodeDecodeError):
        return None


def template_ids(project: Project, problems: Problems) -> set:
    """The message ids of the template catalogue, locales/messages.pot."""
    path = project.locales / "messages.pot"
    if not path.is_file():
        problems.add("no template catalogue (run: pybabel extract -F babel.cfg "
                     "-o locales/messages.pot .)", project.shown(path))
        return set()
    with path.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MARKUP = re.compile(r"[<>&]")


def check_catalogue(project: Project, code: str, catalogue, wanted: set,
                    problems: Problems) -> None:
    """Every template message translated, with the same placeholders and no markup."""
    shown = project.shown(catalogue_path(project, code))
    found = set()
    for message in catalogue:
        if not message.id:
            continue
        found.add(message.id)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        line = message.lineno
        if message.id not in wanted:
            problems.warn(f"message {key!r} is no longer used by the templates", shown, line)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            # Shown in the source language until translated; status lists it, --strict fails.
            problems.warn(f"message {key!r} is not translated" +
                          (" (marked fuzzy)" if message.fuzzy else ""), shown, line)
            continue
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                problems.add(f"message {key!r}: placeholders "
                             f"{sorted(PLACEHOLDER.findall(string))} differ from "
                             f"{sorted(expected)}", shown, line)
            if MARKUP.search(string) and not MARKUP.search(ids[0]):
                problems.add(f"message {key!r}: markup characters (<, >, &) are not allowed "
                             "in translations", shown, line)
            if re.search(r"%(?!\(\w+\)s)", string):
                problems.add(f"message {key!r}: stray '%' (write %% for a percent sign)",
                             shown, line)
    for missing in sorted(wanted - found, key=str):
        key = missing[0] if isinstance(missing, tuple) else missing
        problems.add(f"message {key!r} is missing (update the catalogue from "
                     "locales/messages.pot)", shown)


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


def language_name(code: str, reader: Locale, overrides: dict | None = None) -> str:
    """The name of language ``code`` in the reader's language."""
    if overrides and code in overrides:
        return str(overrides[code])
    locale = parse_locale(code)
    name = reader.languages.get(code) or (locale.get_display_name(reader) if locale else code)
    return name


#: CSS counter styles for the numbering systems Babel may name as a locale's default.
COUNTER_STYLES = {"latn": "decimal", "mymr": "myanmar", "thai": "thai", "laoo": "lao",
                  "khmr": "khmer", "beng": "bengali", "deva": "devanagari", "arab": "arabic-indic"}
_ZEROS = {"mymr": 0x1040, "thai": 0x0E50, "laoo": 0x0ED0, "khmr": 0x17E0, "beng": 0x09E6,
          "deva": 0x0966, "arab": 0x0660}


def numbering(reader: Locale) -> tuple[str, dict]:
    """The reader's digits: a CSS counter style, and a table to translate 0-9 in Python."""
    system = reader.default_numbering_system or "latn"
    style = COUNTER_STYLES.get(system, "decimal")
    zero = _ZEROS.get(system) if style != "decimal" else None
    table = str.maketrans({str(d): chr(zero + d) for d in range(10)}) if zero else {}
    return style, table


def join(names: list[str], reader: Locale) -> str:
    """A list joined the way the reader's language joins lists ("A, B and C")."""
    return format_list(names, locale=reader)
