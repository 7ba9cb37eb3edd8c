"""Typefaces: the fonts each language is set in, from the theme and publication.yaml.

The theme's fonts.yaml names a stack for each script; publication.yaml's
``fonts:`` adds or replaces entries in the same shape. A language takes its own
entry if there is one, else its script's (from CLDR's likely subtags), and the
fallback families always follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from babel.core import get_global

from ..errors import Problems
from ..paths import THEME
from .schema import Context
from .yamlfile import load_yaml


@dataclass(frozen=True)
class Stack:
    families: tuple[str, ...]
    leading: str | None = None
    leading_tight: str | None = None
    measure: float | None = None  # mm of running text, where narrower than the page's


@dataclass(frozen=True)
class Typefaces:
    fallback: tuple[str, ...]
    scripts: dict[str, Stack] = field(default_factory=dict)
    languages: dict[str, Stack] = field(default_factory=dict)
    #: The measure of text the fallback families set (Latin, Cyrillic, Greek).
    fallback_measure: float | None = None

    def own(self, language: str) -> Stack | None:
        """The language's own entry, or its script's: None if the fallback sets it."""
        code = language.replace("-", "_")
        for key in (code, code.split("_")[0]):
            if key in self.languages:
                return self.languages[key]
        return self.scripts.get(script_of(code))

    def stack(self, language: str) -> tuple[str, ...]:
        """The families a language is set in, first choice first."""
        own = self.own(language)
        families = own.families if own else ()
        return tuple(dict.fromkeys(families + self.fallback))

    def measure(self, language: str) -> float | None:
        """The width in mm the language's running text is set to, where it has one."""
        own = self.own(language)
        return own.measure if own else self.fallback_measure

    def leading(self, language: str) -> tuple[str, str] | None:
        """The language's line heights (normal, tight), where it needs its own."""
        own = self.own(language)
        if own is None or own.leading is None:
            return None
        return own.leading, own.leading_tight or own.leading


def script_of(language: str) -> str:
    """The ISO 15924 script CLDR gives a language (Latn when it knows none)."""
    subtags = language.replace("-", "_").split("_")
    for tag in subtags[1:]:  # a script the code itself names (sr_Latn, zh_Hant)
        if len(tag) == 4 and tag.isalpha():
            return tag.title()
    likely = get_global("likely_subtags").get(subtags[0], "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


def _stacks(entries) -> dict[str, Stack]:
    return {name: Stack(tuple(entry["families"]), entry.get("leading"),
                        entry.get("leading_tight"), _measure(entry))
            for name, entry in (entries or {}).items()}


@lru_cache(maxsize=1)
def theme_defaults() -> Typefaces:
    """The theme's fonts.yaml: a broken one is a broken package, so it raises."""
    from . import model

    path = THEME / "fonts.yaml"
    problems = Problems()
    data = load_yaml(path, str(path), problems)
    if data is not None:
        model.FONTS.validate(data, Context(str(path), problems), data, None, "")
    problems.raise_if_errors()
    return Typefaces(tuple(data["fallback"]), _stacks(data.get("scripts")),
                     _stacks(data.get("languages")), _measure(data))


def typefaces(config: dict | None) -> Typefaces:
    """The theme's typefaces with publication.yaml's ``fonts:`` (already validated) over them."""
    theme = theme_defaults()
    config = config or {}
    return Typefaces(tuple(config["fallback"]) if "fallback" in config else theme.fallback,
                     theme.scripts | _stacks(config.get("scripts")),
                     theme.languages | _stacks(config.get("languages")),
                     _measure(config) if "measure" in config else theme.fallback_measure)


def _measure(entries: dict) -> float | None:
    return float(entries["measure"]) if "measure" in entries else None
