"""New languages: add one to the publication and lay out its files for translators.

Each content file is a copy of the source language's, with a translation
record saying ``state: missing``: the structure is there to translate in
place, and until a file is translated the build treats it as not translated
(the series' policy applies, front matter shows in the source language) and
status lists it as missing. The catalogue starts from the template with
every message untranslated. Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import write_po

from ..content.catalogues import catalogue_path, starting_catalogue, template_catalogue
from ..content.load import LANGUAGE_FILES, SERIES_FILE, Publication
from ..content.locales import language_name, parse_locale
from ..content.records import new_record, remember, with_record
from ..content.yamledit import append_to_lists
from ..errors import BookletError
from ..files import write_atomically
from ..paths import ProjectPaths


@dataclass
class Scaffold:
    code: str
    name: str  # in the language itself
    english_name: str
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existed already: left as they were


def new_language(project: ProjectPaths, publication: Publication, source_files: dict,
                 code: str, series_ids: list[str]) -> Scaffold:
    """Add ``code`` to the publication (and to ``series_ids``), then write its files.

    ``source_files`` maps each source-language file's path relative to its
    language folder (e.g. ``manifestations/csam.yaml``) to its loaded Source.
    """
    locale = parse_locale(code)
    if locale is None or "-" in code or code != code.strip():
        raise BookletError(f"unknown language code {code!r}: use a code Babel knows, "
                           "such as de, pt_BR or zh_Hant")
    if code in publication.languages:
        raise BookletError(f"{code!r} is already a language of the publication "
                           f"({project.shown(publication.source.path)})")
    known = [s.id for s in publication.series]
    for series_id in series_ids:
        if series_id not in known:
            raise BookletError(f"unknown series {series_id!r}; the series are: "
                               f"{', '.join(known)}")
    english = parse_locale("en")
    scaffold = Scaffold(code, language_name(code, locale), locale.get_display_name(english))

    wanted = [f"{role}.yaml" for role in LANGUAGE_FILES]
    for series in publication.series:
        if series.id in series_ids:
            wanted.append(f"{series.id}/{SERIES_FILE}")
            wanted += [f"{series.id}/{sheet.id}.yaml" for sheet in series.factsheets]
    for relative in wanted:
        original = source_files.get(relative)
        if original is None:
            continue
        target = project.content / code / relative
        if target.exists():
            scaffold.kept.append(project.shown(target))
            continue
        text = original.path.read_text(encoding="utf-8")
        write_atomically(target, lambda t, text=text, data=original.data:
                         Path(t).write_text(_with_record(text, data), "utf-8"))
        scaffold.written.append(project.shown(target))
    remember(project, [source.data for source in source_files.values()])

    catalogue = catalogue_path(project, code)
    if catalogue.exists():
        scaffold.kept.append(project.shown(catalogue))
    else:
        _write_catalogue(project, catalogue, code)
        scaffold.written.append(project.shown(catalogue))

    _add_to_publication(publication, code, series_ids)
    scaffold.written.append(project.shown(publication.source.path))
    return scaffold


def _with_record(text: str, data: dict) -> str:
    """The source file's text with a ``state: missing`` record after its leading comments."""
    return with_record(text, new_record(data, state="missing"))


def _write_catalogue(project: ProjectPaths, path: Path, code: str) -> None:
    template = template_catalogue(project)
    catalogue = starting_catalogue(template, code, project=template.project,
                                   creation_date=template.creation_date,
                                   revision_date=template.creation_date)
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=0, omit_header=False)
    write_atomically(path, lambda target: Path(target).write_bytes(buffer.getvalue()))


def _add_to_publication(publication: Publication, code: str, series_ids: list[str]) -> None:
    """Append the code to the publication's list of languages and to its series' lists."""
    path = publication.source.path
    lists = ["languages"] + [f"series[{index}].languages"
                             for index, series in enumerate(publication.data["series"])
                             if series["id"] in series_ids]
    text = append_to_lists(path.read_text(encoding="utf-8"), lists, code)
    write_atomically(path, lambda target: Path(target).write_text(text, "utf-8"))
