"""Load: read publication.yaml and every language's content files into one Content.

Each file is read safely (yamlfile) and validated against its shape (model);
problems are collected, never raised one by one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Problems, UsageError
from ..files import UnreadableFile, read_regular, recover
from ..paths import ProjectPaths
from . import model
from .locales import parse_locale
from .schema import Context
from .typefaces import Typefaces, typefaces
from .yamlfile import MAX_FILE_BYTES, line_of, load_yaml

#: The files of one language besides its series folders, by role.
LANGUAGE_FILES = {"front": model.FRONT, "foreword": model.FOREWORD,
                  "acronyms": model.ACRONYMS, "back": model.BACK}
#: Parts a publication may do without: it has them if its source language has the file.
OPTIONAL_PARTS = ("foreword", "acronyms")
SERIES_FILE = "_series.yaml"
#: A translation's approved terms (optional): checked, never printed.
GLOSSARY_FILE = "glossary.yaml"
def is_untranslated(path: Path) -> bool:
    """Whether a file is a scaffold that says its text is not translated yet (state: missing).

    Read from the first lines (new-language writes the record first), without
    loading the whole file: it is asked of every language's files.
    """
    try:
        head = read_regular(path, MAX_FILE_BYTES)[:2000]
    except (OSError, UnreadableFile):  # loading the file says why
        return False
    lines = head.decode("utf-8", errors="replace").splitlines(keepends=True)[:8]
    inside = False
    for line in lines:
        if line.rstrip() == "translation:":
            inside = True
        elif inside and not line[:1].isspace():
            return False
        elif inside and line.split() == ["state:", "missing"]:
            return True
    return False


def record_state(source: Source) -> str | None:
    record = source.data.get("translation")
    return str(record.get("state")) if isinstance(record, dict) else None


@dataclass
class Source:
    """One loaded content file: its data and where it came from."""

    data: dict
    path: Path
    shown: str


@dataclass(frozen=True)
class FactsheetSpec:
    id: str
    slug: str
    series: str
    number: int
    #: Its page budget in every language (its own ``pages``, else its series'; None: no budget).
    pages: int | None = None

    def output_name(self) -> str:
        return f"{self.series}-{self.number}-{self.slug}.pdf"


@dataclass(frozen=True)
class SeriesSpec:
    id: str
    colour: str
    number: int
    factsheets: tuple[FactsheetSpec, ...]
    languages: tuple[str, ...] = ()
    missing: str = "omit"
    #: The page budget of each of its factsheets, in every language (None: no budget).
    pages: int | None = None


@dataclass
class Publication:
    data: dict
    series: list[SeriesSpec]
    source: Source

    @cached_property
    def typefaces(self) -> Typefaces:
        """The fonts of each language: the theme's, with publication.yaml's over them."""
        return typefaces(self.data.get("fonts"))

    @property
    def languages(self) -> list[str]:
        return list(self.data["languages"])

    @property
    def source_language(self) -> str:
        return self.data["source_language"]

    @property
    def date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.data["date"])

    def factsheets(self) -> list[FactsheetSpec]:
        return [sheet for series in self.series for sheet in series.factsheets]

    def page_budgets(self) -> dict[str, int]:
        """The page budget of each factsheet that has one (its own ``pages`` or its series')."""
        return {sheet.id: sheet.pages for sheet in self.factsheets() if sheet.pages}

    def factsheet(self, factsheet_id: str) -> FactsheetSpec | None:
        return next((f for f in self.factsheets() if f.id == factsheet_id), None)

    def locale_code(self, language: str) -> str:
        """The Babel locale that formats ``language`` (e.g. en_GB for en)."""
        return self.data.get("locales", {}).get(language, language).replace("-", "_")


@dataclass
class Language:
    code: str
    parts: dict[str, Source] = field(default_factory=dict)
    series: dict[str, Source] = field(default_factory=dict)
    factsheets: dict[str, Source] = field(default_factory=dict)
    #: Ids of series and factsheets shown in the source language, not yet translated.
    fallbacks: set[str] = field(default_factory=set)
    #: The approved terms of a translation (glossary.yaml), if it has them.
    glossary: Source | None = None

    def file(self, part: str) -> Source | None:
        """The file of a part: a matter role, a series id or a factsheet id."""
        return self.parts.get(part) or self.series.get(part) or self.factsheets.get(part)

    def sources(self) -> list[Source]:
        """The language's own files (not the source-language texts it falls back on)."""
        return [source for key, source in
                [*self.parts.items(), *self.series.items(), *self.factsheets.items()]
                if key not in self.fallbacks]


@dataclass
class Content:
    project: ProjectPaths
    publication: Publication
    languages: dict[str, Language]
    #: Interface catalogues (Babel catalogs) by language, once checked.
    catalogues: dict = field(default_factory=dict)

    def translation_path(self, code: str, original: Source) -> Path:
        """Where language ``code`` keeps its translation of a source-language file."""
        folder = self.project.content
        return folder / code / original.path.relative_to(
            folder / self.publication.source_language)

    def has_series(self, code: str, series: SeriesSpec) -> bool:
        """Whether language ``code`` has its own translation of ``series`` (files on disk)."""
        if code not in self.publication.languages or code not in series.languages:
            return False
        folder = self.project.content / code / series.id

        def translated(path: Path) -> bool:
            return path.is_file() and not is_untranslated(path)

        return translated(folder / SERIES_FILE) and any(
            translated(folder / f"{sheet.id}.yaml") for sheet in series.factsheets)


def _load(project: ProjectPaths, path: Path, shape, problems: Problems) -> Source | None:
    shown = project.shown(path)
    data = load_yaml(path, shown, problems, within=project.root)
    if data is None:
        return None
    if not shape.validate(data, Context(shown, problems), data, None, ""):
        return None
    return Source(data, path, shown)


def load_publication(project: ProjectPaths, problems: Problems) -> Publication | None:
    source = _load(project, project.content / "publication.yaml", model.PUBLICATION, problems)
    if source is None:
        return None
    data = source.data
    try:
        datetime.date.fromisoformat(data["date"])
    except ValueError:
        problems.add(f"{data['date']!r} is not a valid date", source.shown,
                     data.key_lines.get("date"), "date")
    series, seen = [], {}
    for s_index, series_data in enumerate(data["series"], 1):
        sheets = []
        pages = int(series_data["pages"]) if "pages" in series_data else None
        for f_index, sheet in enumerate(series_data["factsheets"], 1):
            if sheet["id"] in seen:
                problems.add(f"factsheet id {sheet['id']!r} is used twice "
                             f"(first in series {seen[sheet['id']]!r})", source.shown,
                             sheet.line, f"series[{s_index - 1}].factsheets[{f_index - 1}].id")
            seen[sheet["id"]] = series_data["id"]
            sheets.append(FactsheetSpec(sheet["id"], sheet["slug"], series_data["id"], f_index,
                                        int(sheet["pages"]) if "pages" in sheet else pages))
        series.append(SeriesSpec(series_data["id"], series_data["colour"], s_index, tuple(sheets),
                                 tuple(series_data["languages"]),
                                 series_data.get("missing", "omit"), pages))
    if len({s.id for s in series}) != len(series):
        problems.add("two series have the same id", source.shown, data.key_lines["series"],
                     "series")
    for index, code in enumerate(data["languages"]):
        if parse_locale(data.get("locales", {}).get(code, code)) is None:
            problems.add(f"unknown language code {code!r} (not a locale Babel knows)",
                         source.shown, line_of(data["languages"], index), f"languages[{index}]")
    for s_index, series_data in enumerate(data["series"]):
        for index, code in enumerate(series_data["languages"]):
            if parse_locale(code) is None:
                problems.add(f"unknown language code {code!r} (not a locale Babel knows)",
                             source.shown, line_of(series_data["languages"], index),
                             f"series[{s_index}].languages[{index}]")
    if data["source_language"] not in data["languages"]:
        problems.add(f"the source language {data['source_language']!r} is not in languages",
                     source.shown, data.key_lines["languages"], "languages")
    return Publication(data, series, source)


def load_language(project: ProjectPaths, publication: Publication, code: str,
                  problems: Problems, source_language: Language | None = None) -> Language:
    """Load one language's files; a translation's missing factsheets follow the series' policy."""
    folder = project.content / code
    language = Language(code)
    if not folder.is_dir():
        problems.add(f"no content folder for language {code!r}", project.shown(folder))
        return language
    for role, shape in LANGUAGE_FILES.items():
        path = folder / f"{role}.yaml"
        if role in OPTIONAL_PARTS and not _has_part(path, role, source_language):
            if path.exists():
                problems.add(f"the source language has no {role}.yaml, so the publication "
                             f"has no {role}: add it there first, or remove this file",
                             project.shown(path))
            continue
        source = _load(project, path, shape, problems)
        if source and source_language is not None and record_state(source) == "missing" \
                and role in source_language.parts:
            # Not translated yet: the source language's text, shown as such.
            source = source_language.parts[role]
            language.fallbacks.add(role)
        if source:
            language.parts[role] = source
    for series in publication.series:
        series_folder = folder / series.id
        if code not in series.languages:
            if series_folder.exists():
                problems.add(f"series {series.id!r} is not listed for language {code!r} "
                             f"(add {code} to its languages in content/publication.yaml)",
                             project.shown(series_folder))
            continue
        wanted = [(series.id, series_folder / SERIES_FILE, model.SERIES, language.series)]
        wanted += [(sheet.id, series_folder / f"{sheet.id}.yaml", model.FACTSHEET,
                    language.factsheets) for sheet in series.factsheets]
        for key, path, shape, into in wanted:
            if source_language is not None and not path.exists():
                _missing(project, series, key, path, into, language, source_language, problems)
                continue
            source = _load(project, path, shape, problems)
            if source and source_language is not None and record_state(source) == "missing":
                _missing(project, series, key, path, into, language, source_language, problems)
            elif source:
                into[key] = source
        if series.id not in language.series:  # without its introduction, no series
            for sheet in series.factsheets:
                language.factsheets.pop(sheet.id, None)
    if (folder / GLOSSARY_FILE).exists():
        language.glossary = _load(project, folder / GLOSSARY_FILE, model.GLOSSARY, problems)
    _report_unknown_files(project, publication, folder, problems)
    return language


def _has_part(path: Path, role: str, source_language: Language | None) -> bool:
    """Whether the publication has an optional part: the source language decides."""
    if source_language is None:  # this is the source language
        return path.exists()
    return role in source_language.parts


def _missing(project: ProjectPaths, series: SeriesSpec, key: str, path: Path, into: dict,
             language: Language, source_language: Language, problems: Problems) -> None:
    """A translation lacks a file of a series it is listed for: apply the series' policy."""
    source_into = source_language.series if into is language.series else \
        source_language.factsheets
    if series.missing == "fail":
        problems.add(f"no {language.code} translation of {key!r} (series {series.id!r} "
                     "fails on missing translations)", project.shown(path))
    elif series.missing == "fallback" and key in source_into:
        into[key] = source_into[key]
        language.fallbacks.add(key)


def _report_unknown_files(project: ProjectPaths, publication: Publication, folder: Path,
                          problems: Problems) -> None:
    """A content file nobody names is most likely a misspelt one."""
    known = {folder / f"{role}.yaml" for role in LANGUAGE_FILES} | {folder / GLOSSARY_FILE}
    for series in publication.series:
        known.add(folder / series.id / SERIES_FILE)
        known.update(folder / series.id / f"{sheet.id}.yaml" for sheet in series.factsheets)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml") and path not in known:
            problems.add("content file is not part of the publication "
                         "(not named in content/publication.yaml)", project.shown(path))


def load(project: ProjectPaths, problems: Problems,
         languages: list[str] | None = None) -> Content | None:
    """Load the publication and the given languages (default: all it lists)."""
    # An import killed after committing to its change is completed first: its
    # files are read as they are meant to be, all changed.
    recover(project.import_journal)
    publication = load_publication(project, problems)
    if publication is None:
        return None
    codes = publication.languages if not languages else languages
    unknown = [code for code in codes if code not in publication.languages]
    if unknown:  # asked for on the command line: not a fault of publication.yaml
        raise UsageError(f"unknown language{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(map(repr, unknown))}: the publication's languages are "
                         f"{', '.join(publication.languages)} (booklet new-language adds one)")
    # A language Babel does not know was reported above; it is not loaded.
    codes = [c for c in codes if c in publication.languages
             and parse_locale(publication.locale_code(c)) is not None]
    # Translations are checked against the source language, so it is always loaded.
    source = load_language(project, publication, publication.source_language, problems)
    loaded = {publication.source_language: source}
    for code in codes:
        if code != publication.source_language:
            loaded[code] = load_language(project, publication, code, problems, source)
    return Content(project, publication, loaded)
