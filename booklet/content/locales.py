"""Languages as Babel knows them: locales and language names."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def parse_locale(code: str) -> Locale | None:
    """The Babel locale of a language code, or None when Babel does not know it."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(code: str, reader: Locale, overrides: dict | None = None) -> str:
    """The name of language ``code`` in the reader's language."""
    if overrides and code in overrides:
        return str(overrides[code])
    locale = parse_locale(code)
    name = reader.languages.get(code) or (locale.get_display_name(reader) if locale else code)
    return name
