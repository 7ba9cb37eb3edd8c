"""A new project: the smallest publication that builds both editions (``booklet init``).

It holds publication.yaml (no ISBNs yet: they go under isbn when assigned), one
language's front matter, foreword, acronyms and back matter, one series with one
sample factsheet, the JSON Schemas its files name, and the interface catalogues.
It holds no templates or styles: the package's theme serves until the project
overrides a file of it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import write_po

from ..errors import BookletError
from ..files import write_atomically
from ..paths import ProjectPaths
from .catalogues import catalogue_path, package_template, starting_catalogue
from .locales import parse_locale
from .model import write_json_schemas
from .yamledit import dump
from .yamledit import text as yaml_text

SERIES = "topics"
SAMPLE = "first-factsheet"


@dataclass
class Starter:
    """What ``init`` was asked for."""

    title: str
    publisher: str
    language: str = "en"
    date: datetime.date = field(default_factory=datetime.date.today)


def create(root: Path, starter: Starter) -> list[Path]:
    """Write a new project into ``root`` (created if needed); return the files written.

    Refuses a folder that already holds a project, or a language Babel does not know.
    """
    project = ProjectPaths(root.resolve())
    if project.content.exists():
        raise BookletError(f"{project.content} already exists: init makes new projects only")
    if parse_locale(starter.language) is None:
        raise BookletError(f"unknown language code {starter.language!r}: use a code Babel "
                           "knows, such as en, fr or pt_BR")
    for text, name in ((starter.title, "title"), (starter.publisher, "publisher")):
        if not text.strip():
            raise BookletError(f"the {name} is empty")
    project.root.mkdir(parents=True, exist_ok=True)
    written = write_json_schemas(project.root / "schema")
    for relative, (schema, data) in _files(starter).items():
        path = project.content / relative
        depth = "../" * len(Path(relative).parts)
        text = (f"# yaml-language-server: $schema={depth}schema/{schema}.schema.json\n" +
                dump(_as_texts(data)))
        write_atomically(path, lambda target, text=text: Path(target).write_text(text, "utf-8"))
        written.append(path)
    written += _write_catalogues(project, starter)
    return written


def _as_texts(value):
    """Every value as text, quoted where a YAML reader would take it for another type
    (the date, the page budget): content files hold text only."""
    if isinstance(value, dict):
        return {key: _as_texts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_texts(item) for item in value]
    return yaml_text(value)


def _files(starter: Starter) -> dict[str, tuple[str, dict]]:
    """Each content file: its path under content/, the schema it follows, its data."""
    lang, title, publisher = starter.language, starter.title, starter.publisher
    publication = {
        "publisher": publisher,
        "author": publisher,
        "date": starter.date.isoformat(),
        "website": "www.example.org",
        "email": "info@example.org",
        "source_language": lang,
        "languages": [lang],
        "series": [{"id": SERIES, "colour": "teal", "pages": 2, "languages": [lang],
                    "factsheets": [{"id": SAMPLE, "slug": SAMPLE}]}],
    }
    front = {
        "cover": {"title": title, "subtitle": "Factsheets",
                  "tagline": f"A series of factsheets by {publisher}"},
        "inside_cover": {
            "about": [{"paragraph": f"About {publisher}: who you are and what you do."}],
            "support": [{"paragraph": "Who made this publication possible."}],
            "copyright": f"Copyright © {publisher} {starter.date.year}",
            "credits": [{"paragraph": "Written by: the authors"}],
            "published_by": "Published by:",
            "address": [publisher, "Street, City, Country", "www.example.org"],
            "isbn": {"heading": "ISBN:", "ebook": "e-book:", "print": "printed version:"},
        },
    }
    foreword = {"title": "Foreword",
                "blocks": [{"paragraph": f"Why {publisher} publishes {title}, and for whom."}]}
    acronyms = {"title": "Acronyms",
                "acronyms": [{"acronym": "FAQ", "expansion": "Frequently asked questions"}]}
    back = {
        "blocks": [{"paragraph": "Where readers find these factsheets and more."}],
        "availability": {"sentence": "The {series} factsheets are available in {languages}.",
                         "series": {SERIES: "topics"}},
        "address": [publisher, "Street, City, Country", "www.example.org"],
    }
    series = {"label": "Series 1", "title": "Topics",
              "blocks": [{"paragraph": "What the factsheets of this series are about."}]}
    sample = {
        "title": "A first factsheet",
        "blocks": [
            {"definitions": [{"term": "Factsheet", "blocks": [
                {"paragraph": "Two pages on one subject, for readers in a hurry."}]}]},
            {"heading": "What it holds"},
            {"paragraph": "Headings, paragraphs, lists, boxes, figures and footnotes.[^model]"},
            {"list": ["Replace this text with your own.",
                      "Add factsheets to the series in content/publication.yaml."]},
            {"actions": ["Build it: booklet build", "Proof it: booklet proof"]},
        ],
        "footnotes": {"model": "A footnote, printed on the page of its call."},
    }
    return {
        "publication.yaml": ("publication", publication),
        f"{lang}/front.yaml": ("front", front),
        f"{lang}/foreword.yaml": ("foreword", foreword),
        f"{lang}/acronyms.yaml": ("acronyms", acronyms),
        f"{lang}/back.yaml": ("back", back),
        f"{lang}/{SERIES}/_series.yaml": ("series", series),
        f"{lang}/{SERIES}/{SAMPLE}.yaml": ("factsheet", sample),
    }


def _write_catalogues(project: ProjectPaths, starter: Starter) -> list[Path]:
    """locales/messages.pot, extracted from the package, and the language's catalogue.

    The interface strings are English: an English catalogue translates each to
    itself; another language's starts from the theme's translations, and what the
    theme has none of stays untranslated (shown in English until then).
    """
    template = package_template(starter.title)
    catalogue = starting_catalogue(template, starter.language, project=starter.title,
                                   copyright_holder=starter.publisher)
    written = []
    for path, contents in ((project.locales / "messages.pot", template),
                           (catalogue_path(project, starter.language), catalogue)):
        buffer = io.BytesIO()
        write_po(buffer, contents, width=0, omit_header=False)
        data = buffer.getvalue()
        write_atomically(path, lambda target, data=data: Path(target).write_bytes(data))
        written.append(path)
    return written
