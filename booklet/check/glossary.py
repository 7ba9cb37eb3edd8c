"""Glossary: a translation uses its approved terms, not the variants it should avoid.

Each translation may have ``content/<lang>/glossary.yaml``: for each key
English term, the approved term and the variants to avoid. A variant found in
the language's own text is a warning naming the file, line and key path.
Quoted legal text (``quote`` and ``article`` blocks) keeps its official
wording, so it is not searched.
"""

from __future__ import annotations

import re

from ..content import inline
from ..content.load import Content, Language
from ..content.texts import iter_texts
from ..content.yamlfile import line_of
from ..errors import Problems

#: Blocks that quote an official text word for word.
QUOTED_BLOCKS = ("quote", "article")
#: Scripts written without spaces between words: a variant is found anywhere in a text.
UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]")


def _pattern(variant: str) -> re.Pattern:
    """A variant as a case-insensitive search: whole words, unless its script has no spaces."""
    escaped = re.escape(variant.strip())
    if UNSPACED.search(variant):
        return re.compile(escaped, re.IGNORECASE)
    return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)


def _quoted(path: str) -> bool:
    return any(re.search(rf"(^|\.){block}(\.|\[|$)", path) for block in QUOTED_BLOCKS)


def _variants(language: Language, problems: Problems) -> list[tuple[re.Pattern, str, dict]]:
    glossary = language.glossary
    if glossary.data.get("language") != language.code:
        problems.add(f"the glossary of {language.code!r} says it is for "
                     f"{glossary.data.get('language')!r}", glossary.shown,
                     line_of(glossary.data, "language"), "language")
    return [(_pattern(variant), variant, term)
            for term in glossary.data.get("terms", [])
            for variant in term.get("avoid", [])]


def check_glossary(content: Content, problems: Problems) -> None:
    """Warn wherever a language's own text uses a variant its glossary says to avoid."""
    for language in content.languages.values():
        if language.glossary is None:
            continue
        variants = _variants(language, problems)
        for source in language.sources():
            for text, path, parent, key in iter_texts(source.data):
                if path.startswith("translation") or _quoted(path):
                    continue
                seen = inline.plain(text)
                for pattern, variant, term in variants:
                    if pattern.search(seen):
                        problems.warn(f"{variant!r} is not the approved term for "
                                      f"{term['english']!r}: use {term['approved']!r} "
                                      f"(see {language.glossary.shown})",
                                      source.shown, line_of(parent, key), path)
