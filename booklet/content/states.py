"""Status: where each language's translation stands, part by part and text by text.

A *part* is one translated unit: a front or back matter file, a series
introduction, a factsheet, or the interface catalogue. Each part of each
language has a state:

- ``missing``: the language carries the part but has no translation of it;
- ``fallback``: missing, and shown in the source language (the series' policy);
- ``draft`` / ``reviewed``: translated, and the English it was made from is current;
- ``stale``: the English changed since: the changed texts are named one by one;
- ``source``: the source language itself.

Parts a language does not carry (a series not listed for it) are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .catalogues import catalogue_path, catalogue_review, read_catalogue
from .load import LANGUAGE_FILES, OPTIONAL_PARTS, Content, Source, record_state
from .locales import language_name, parse_locale
from .texts import fingerprints, source_texts

STATES = ("missing", "fallback", "stale", "draft", "reviewed", "source")
CATALOGUE = "messages"


@dataclass
class StaleText:
    """One source text whose translation was made from an earlier version (or none)."""

    path: str  # the key path in the file, e.g. blocks[3].paragraph
    was: str | None  # fingerprint of the English translated, None if it is new
    now: str


@dataclass
class Cell:
    """One part of one language."""

    part: str
    kind: str  # matter, series, factsheet or catalogue
    state: str
    file: str | None = None
    texts: int = 0  # how many source texts the part has
    current: int = 0  # how many of them are translated from the current source
    stale: list[StaleText] = field(default_factory=list)
    reviewer: str | None = None
    reviewed: str | None = None
    pages: int | None = None
    budget: int | None = None
    budget_from: str | None = None  # "budget" (the series' pages) or the source language

    @property
    def over_budget(self) -> bool:
        return self.pages is not None and self.budget is not None and self.pages > self.budget

    def as_dict(self) -> dict:
        return {"part": self.part, "kind": self.kind, "state": self.state, "file": self.file,
                "texts": self.texts, "current": self.current,
                "stale": [{"path": s.path, "was": s.was, "now": s.now} for s in self.stale],
                "reviewer": self.reviewer, "reviewed": self.reviewed,
                "pages": self.pages, "budget": self.budget}


@dataclass
class LanguageStatus:
    code: str
    name: str  # in the language itself
    cells: list[Cell]
    source_name: str  # the source language's name, which page budgets compare with

    @property
    def completion(self) -> int:
        """Per cent of the source texts translated from their current version."""
        texts = sum(c.texts for c in self.cells)
        # Rounded down: 100% only when nothing at all is left to do.
        return math.floor(100 * sum(c.current for c in self.cells) / texts) if texts else 100

    @property
    def reviewed(self) -> int:
        """Per cent of the source texts in reviewed, current parts."""
        texts = sum(c.texts for c in self.cells)
        done = sum(c.texts for c in self.cells if c.state in ("reviewed", "source"))
        return math.floor(100 * done / texts) if texts else 100

    def cell(self, part: str) -> Cell | None:
        return next((c for c in self.cells if c.part == part), None)

    def as_dict(self) -> dict:
        return {"language": self.code, "name": self.name, "completion": self.completion,
                "reviewed": self.reviewed, "parts": [c.as_dict() for c in self.cells]}


def parts(content: Content) -> list[tuple[str, str]]:
    """Every part of the publication, in reading order, with its kind."""
    source = content.languages.get(content.publication.source_language)
    result = [(role, "matter") for role in LANGUAGE_FILES
              if role not in OPTIONAL_PARTS or source is None or role in source.parts]
    for series in content.publication.series:
        result.append((series.id, "series"))
        result += [(sheet.id, "factsheet") for sheet in series.factsheets]
    return result + [(CATALOGUE, "catalogue")]


def carried(content: Content, code: str, part: str) -> bool:
    """Whether language ``code`` is meant to have ``part``."""
    for series in content.publication.series:
        if part == series.id or part in {s.id for s in series.factsheets}:
            return code in series.languages
    return True


def stale_texts(original: Source, translation: Source) -> list[StaleText]:
    """The source texts whose current fingerprint is not the one the translation recorded."""
    recorded = (translation.data.get("translation") or {}).get("source") or {}
    return [StaleText(path, recorded.get(path), now)
            for path, now in fingerprints(original.data).items() if recorded.get(path) != now]


def _file_cell(content: Content, code: str, part: str, kind: str) -> Cell:
    source_language = content.languages[content.publication.source_language]
    language = content.languages[code]
    original = source_language.file(part)
    if original is None:  # the source file itself could not be read
        return Cell(part, kind, "missing")
    texts = len(source_texts(original.data))
    if code == content.publication.source_language:
        return Cell(part, kind, "source", original.shown, texts, texts)
    translation = language.file(part)
    path = content.translation_path(code, original)
    shown = content.project.shown(path)
    if part in language.fallbacks:
        return Cell(part, kind, "fallback", shown if path.is_file() else None, texts)
    if translation is None:
        return Cell(part, kind, "missing", shown if path.is_file() else None, texts)
    state = record_state(translation) or "draft"
    record = translation.data.get("translation") or {}
    cell = Cell(part, kind, state, translation.shown, texts,
                reviewer=record.get("reviewer"), reviewed=record.get("reviewed"))
    if state == "missing":
        return cell
    cell.stale = stale_texts(original, translation)
    cell.current = texts - len(cell.stale)
    if cell.stale:
        cell.state = "stale"
    return cell


def catalogue_cell(content: Content, code: str, wanted: set) -> Cell:
    """The interface catalogue: messages translated (not fuzzy) out of the template's."""
    path = catalogue_path(content.project, code)
    shown = content.project.shown(path)
    if code == content.publication.source_language:
        return Cell(CATALOGUE, "catalogue", "source", shown, len(wanted), len(wanted))
    catalogue = content.catalogues.get(code) or read_catalogue(path, code)
    if catalogue is None:
        return Cell(CATALOGUE, "catalogue", "missing", None, len(wanted))
    done, stale = 0, []
    for message in catalogue:
        if not message.id or message.id not in wanted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            done += 1
        elif all(strings):  # marked fuzzy: the English changed since
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            stale.append(StaleText(key, None, key))
    reviewer, reviewed = catalogue_review(path)
    cell = Cell(CATALOGUE, "catalogue", "reviewed" if reviewer else "draft", shown,
                len(wanted), done, stale, reviewer, reviewed)
    if done == 0:
        cell.state = "missing"
    elif stale:
        cell.state = "stale"
    elif done < len(wanted):
        cell.state = "missing"  # some messages not translated at all
    return cell


def status(content: Content, wanted_messages: set,
           page_counts: dict[tuple[str, str], int] | None = None) -> list[LanguageStatus]:
    """The status of every loaded language, source language first.

    ``page_counts`` gives each factsheet's pages by (language, factsheet), as the
    last build made them; without it, cells carry no page budget.
    """
    counts = page_counts or {}
    source_code = content.publication.source_language
    source_name = parse_locale(source_code).get_display_name("en")
    declared = content.publication.page_budgets()
    result = []
    for code in content.languages:
        cells = []
        for part, kind in parts(content):
            if not carried(content, code, part):
                continue
            if kind == "catalogue":
                cells.append(catalogue_cell(content, code, wanted_messages))
                continue
            cell = _file_cell(content, code, part, kind)
            if kind == "factsheet":
                cell.pages = counts.get((code, part))
                if part in declared:
                    cell.budget, cell.budget_from = declared[part], "budget"
                elif code != source_code:
                    cell.budget, cell.budget_from = counts.get((source_code, part)), source_name
            cells.append(cell)
        locale = parse_locale(content.publication.locale_code(code))
        # Coordinators read the status in English, as the build report is written.
        result.append(LanguageStatus(code, language_name(code, locale), cells, source_name))
    return result


def budget_overruns(statuses: list[LanguageStatus]) -> list[str]:
    """Each translated factsheet longer than the source one, as a sentence."""
    return [budget_sentence(s.code, c.part, c.pages, c.budget_from, c.budget)
            for s in statuses for c in s.cells if c.over_budget]


def budget_sentence(language: str, part: str, pages: int, against: str, budget: int) -> str:
    """E.g. "fr/sexting: 3 pages, budget 2" (the series' pages) or "…, English 2" (the
    source language's), as status and the build report say it."""
    return f"{language}/{part}: {pages} pages, {against} {budget}"
