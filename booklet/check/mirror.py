"""Translations mirror their source: same blocks, same order, same markers.

A translated file must have the structure of the source-language file it
translates: the same keys, lists of the same length, the same block types in
the same order, the same footnote calls and cross-reference targets in each
text, and the same fixed values (figure files, callout kinds, acronyms).
"""

from __future__ import annotations

from collections import Counter

from ..content import inline
from ..content.load import Content, Source
from ..content.texts import (
    FIXED_KEYS,
    TRANSLATION_KEYS,
    translated_pairs,
)
from ..content.yamlfile import line_of
from ..errors import Problems


def _markers(text: str) -> tuple[Counter, Counter]:
    return Counter(inline.footnote_calls(text)), Counter(inline.cross_references(text))


def compare(source: Source, translation: Source, problems: Problems) -> None:
    """Report every place where the translation's structure differs from the source's."""

    def differ(message, parent, key, path):
        problems.add(message, translation.shown, line_of(parent, key) or line_of(parent),
                     path or None)

    def walk(original, translated, parent, key, path):
        if isinstance(original, dict):
            if not isinstance(translated, dict):
                differ("expected a mapping as in the source", parent, key, path)
                return
            if len(original) == 1 == len(translated) and original.keys() != translated.keys():
                differ(f"block type {next(iter(translated))!r} where the source has "
                       f"{next(iter(original))!r} ({source.shown}:{line_of(original)})",
                       parent, key, path)
                return
            for name in original:
                if name not in translated and name not in TRANSLATION_KEYS:
                    differ(f"missing {name!r}, which the source has "
                           f"({source.shown}:{line_of(original, name)})", parent, key, path)
            for name in translated:
                if name not in original and name not in TRANSLATION_KEYS:
                    differ(f"{name!r} is not in the source ({source.shown}:{line_of(original)})",
                           translated, name, f"{path}.{name}" if path else name)
            for name in original:
                if name in translated and name not in TRANSLATION_KEYS:
                    walk(original[name], translated[name], translated, name,
                         f"{path}.{name}" if path else name)
        elif isinstance(original, list):
            if not isinstance(translated, list):
                differ("expected a list as in the source", parent, key, path)
                return
            if len(original) != len(translated):
                differ(f"has {len(translated)} items where the source has {len(original)} "
                       f"({source.shown}:{line_of(original)})", parent, key, path)
            for index, (a, b) in enumerate(zip(original, translated, strict=False)):
                walk(a, b, translated, index, f"{path}[{index}]")
        elif isinstance(original, str):
            if not isinstance(translated, str):
                differ("expected text as in the source", parent, key, path)
                return
            if key in FIXED_KEYS:
                if translated != original:
                    differ(f"must stay {original!r} as in the source", parent, key, path)
                return
            notes_a, refs_a = _markers(original)
            notes_b, refs_b = _markers(translated)
            if notes_a != notes_b:
                differ(f"footnote calls {sorted(notes_b.elements())} differ from the source's "
                       f"{sorted(notes_a.elements())}", parent, key, path)
            if refs_a != refs_b:
                differ(f"cross-references {sorted(refs_b.elements())} differ from the source's "
                       f"{sorted(refs_a.elements())}", parent, key, path)

    walk(source.data, translation.data, translation.data, None, "")


def check_translations(content: Content, problems: Problems) -> None:
    for code in content.languages:
        if code == content.publication.source_language:
            continue
        for _key, original, translation in translated_pairs(content, code):
            compare(original, translation, problems)
