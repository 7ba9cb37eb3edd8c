"""The proof's static site: a gallery, the changes, and factsheets side by side.

Plain HTML, CSS and a little JavaScript that open from disk: no server, nothing
fetched from elsewhere. Templates are the package's own (templates/),
autoescaped, so every text taken from content or reports is shown as text.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import jinja2
from babel import Locale, UnknownLocaleError

from ..files import write_atomically
from ..paths import ProjectPaths
from ..version import __version__
from .model import ProofDocument, ProofResult

EDITION_TITLES = {"print": "Print edition", "screen": "Screen edition"}
ASSETS = ("proof.css", "proof.js")
SIDE_BY_SIDE = "side-by-side"


@dataclass
class Group:
    """The documents of one edition and language, in the order of the proof."""

    edition: str
    language: str
    documents: list[ProofDocument]

    @property
    def anchor(self) -> str:
        return f"{self.edition}-{self.language}"

    @property
    def title(self) -> str:
        edition = EDITION_TITLES.get(self.edition, self.edition)
        return f"{edition} · {language_name(self.language)}"


@dataclass
class SideBySide:
    """One factsheet of one edition in every language it was built in."""

    factsheet: str
    edition: str
    documents: list[ProofDocument]

    @property
    def file(self) -> str:
        return f"{SIDE_BY_SIDE}/{_safe(self.factsheet)}-{_safe(self.edition)}.html"

    @property
    def rows(self) -> list[list]:
        """Page numbers down, languages across; None where a language has fewer pages."""
        most = max(len(d.pages) for d in self.documents)
        return [[d.pages[n] if n < len(d.pages) else None for d in self.documents]
                for n in range(most)]


def write_site(project: ProjectPaths, result: ProofResult) -> None:
    folder = result.folder
    groups = _groups(result.documents)
    sheets = _side_by_sides(result.documents)
    sheet_of = {(s.factsheet, s.edition): s for s in sheets}
    env = _environment()

    def common(root: str) -> dict:
        def pdf_url(document: ProofDocument) -> str:
            relative = os.path.relpath(project.root / document.path, folder)
            return root + quote(Path(relative).as_posix())

        def side_by_side(document: ProofDocument) -> SideBySide | None:
            return sheet_of.get((document.factsheet, document.edition))

        return {"root": root, "result": result, "version": __version__, "pdf_url": pdf_url,
                "side_by_side": side_by_side, "language_name": language_name,
                "changed_pages": result.changed_pages}

    for name in ASSETS:
        data = resources.files("booklet.proof").joinpath("templates", name).read_bytes()
        _write(folder / "assets" / name, data)
    for sheet in sheets:
        html = env.get_template("side_by_side.html").render(sheet=sheet, **common("../"))
        _write(folder / sheet.file, html.encode("utf-8"))
    _remove_stale_side_by_sides(folder, {Path(s.file).name for s in sheets})
    changed = [d for d in result.documents if d.changed or d.removed_pages]
    html = env.get_template("changes.html").render(changed=changed, **common(""))
    _write(folder / "changes.html", html.encode("utf-8"))
    # The index last: until it is replaced, the previous proof is what one sees.
    html = env.get_template("index.html").render(groups=groups, sheets=sheets, **common(""))
    _write(folder / "index.html", html.encode("utf-8"))


def language_name(code: str) -> str:
    """'French · français (fr)': the language in English and in itself."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    english, own = locale.get_display_name("en"), locale.get_display_name()
    names = english if not own or own == english else f"{english} · {own}"
    return f"{names} ({code})"


def _groups(documents: list[ProofDocument]) -> list[Group]:
    groups: dict[tuple[str, str], Group] = {}
    for document in documents:
        key = (document.edition, document.language)
        groups.setdefault(key, Group(*key, [])).documents.append(document)
    return list(groups.values())


def _side_by_sides(documents: list[ProofDocument]) -> list[SideBySide]:
    sheets: dict[tuple[str, str], SideBySide] = {}
    for document in documents:
        if document.factsheet:
            key = (document.factsheet, document.edition)
            sheets.setdefault(key, SideBySide(*key, [])).documents.append(document)
    return list(sheets.values())


def _safe(name: str) -> str:
    """A name usable as a file name; factsheet ids already are, reports may not be."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "_"


def _remove_stale_side_by_sides(folder: Path, written: set[str]) -> None:
    for page in (folder / SIDE_BY_SIDE).glob("*.html"):
        if page.name not in written:
            page.unlink(missing_ok=True)


@functools.cache  # one per process: the preview server writes the site at every edit
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("booklet.proof", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _write(path: Path, data: bytes) -> None:
    write_atomically(path, lambda target: Path(target).write_bytes(data))
