"""Texts in loaded content: walking them, fingerprinting them, pairing translations.

A *source text* is a translatable string at its key path (``blocks[3].paragraph``);
its fingerprint is what a translation record remembers it by.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

from .load import Content

#: Values that are not translated: they must be identical to the source's.
FIXED_KEYS = {"src", "kind", "acronym"}
#: Keys a translation has on its own terms: its metadata, its own language names and
#: how it joins them.
TRANSLATION_KEYS = {"translation", "language_names", "list_end"}


def fingerprint(value) -> str:
    """A short, stable fingerprint of a source value (text or structure)."""
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def source_texts(data) -> dict[str, str]:
    """Every translatable text of a file, by key path (e.g. ``blocks[3].paragraph``).

    The texts are the loaded values, so each still knows its line.
    """
    result = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in TRANSLATION_KEYS and key not in FIXED_KEYS:
                    walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, str):
            result[path] = value

    walk(data, "")
    return result


def fingerprints(data: dict) -> dict[str, str]:
    """The fingerprint of every translatable text of a source file, by key path."""
    return {path: fingerprint(text) for path, text in source_texts(data).items()}


def translated_pairs(content: Content, code: str):
    """(key, source-language file, translated file) for each of a language's own files."""
    source_language = content.languages[content.publication.source_language]
    language = content.languages[code]
    for originals, translations in [(source_language.parts, language.parts),
                                    (source_language.series, language.series),
                                    (source_language.factsheets, language.factsheets)]:
        for key, translation in translations.items():
            if key in language.fallbacks or key not in originals:
                continue
            yield key, originals[key], translation


#: How an SVG figure names a translatable label.
LABEL = re.compile(r"\{\{\s*labels\.([A-Za-z0-9_]+)\s*\}\}")


def iter_texts(value, path: str = "") -> Iterator[tuple[str, str, object, object]]:
    """Every text value in loaded data: (text, key path, parent, key)."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if isinstance(item, str):
                yield item, here, value, key
            else:
                yield from iter_texts(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            here = f"{path}[{index}]"
            if isinstance(item, str):
                yield item, here, value, index
            else:
                yield from iter_texts(item, here)


def iter_figures(value, path: str = "") -> Iterator[tuple[dict, str]]:
    """Every figure block in loaded data, with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key == "figure" and isinstance(item, dict):
                yield item, here
            else:
                yield from iter_figures(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_figures(item, f"{path}[{index}]")
