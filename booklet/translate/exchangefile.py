"""Exchange files: segments as XLIFF 1.2 or PO, and returned files read back.

Both formats are written and read with translate-toolkit, so what the tools
(Poedit, OmegaT, Weblate, Virtaal…) write is parsed by a maintained parser.

- XLIFF: one ``<file>`` per translated file, ``<trans-unit id="segment id">``;
  a stale segment's target is the current translation, in state
  ``needs-review-translation``, with the previous English in an ``<alt-trans>``.
- PO: the segment id is the ``msgctxt`` (so identical English texts stay
  apart), its file and line the ``#:`` reference; a stale segment's target is
  the current translation marked fuzzy, with the previous English as ``#|``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.storage import pypo, xliff

from ..errors import BookletError
from ..files import read_regular, write_atomically
from .segments import Segment

EXTENSIONS = {"xliff": "xlf", "po": "po"}
FORMAT_OF = {".xlf": "xliff", ".xliff": "xliff", ".po": "po"}
MAX_FILE_BYTES = 20_000_000
XLIFF_1_2 = "urn:oasis:names:tc:xliff:document:1.2"


class _Unit12(xliff.xliffunit):
    namespace = XLIFF_1_2


class _Xliff12(xliff.xlifffile):
    """translate-toolkit writes XLIFF 1.1 unless told otherwise; tools expect 1.2."""

    UnitClass = _Unit12
    namespace = XLIFF_1_2
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def write_segments(segments: list[Segment], file_format: str, source_language: str,
                   language: str, path: Path) -> None:
    store = _xliff(segments, source_language, language) if file_format == "xliff" \
        else _po(segments, language)
    data = bytes(store)
    write_atomically(path, lambda target: Path(target).write_bytes(data))


def _xliff(segments: list[Segment], source_language: str, language: str):
    store = _Xliff12(sourcelanguage=source_language, targetlanguage=language)
    for segment in segments:
        unit = store.addsourceunit(segment.source, filename=segment.file, createifmissing=True)
        unit.setid(segment.id)
        for note in segment.notes:
            unit.addnote(note, origin="developer")
        unit.createcontextgroup("booklet", [("x-part", segment.part),
                                            ("sourcefile", segment.file),
                                            ("x-key", segment.key)]
                                + ([("linenumber", str(segment.line))] if segment.line else []),
                                purpose="location")
        if segment.target:
            unit.settarget(segment.target)
            unit.set_state_n(unit.S_NEEDS_REVIEW if segment.state == "stale"
                             else unit.S_TRANSLATED)
        if segment.state == "stale" and segment.previous_source and segment.target:
            unit.addalttrans(segment.target, origin="previous translation", lang=language,
                             sourcetxt=segment.previous_source)
    # Each <file> names the target language, as tools read it there.
    for node in store.document.getroot().iterchildren(store.namespaced("file")):
        node.set("target-language", language)
    return store


def _po(segments: list[Segment], language: str):
    store = pypo.pofile()
    store.updateheader(add=True, Project_Id_Version="booklet", Language=language,
                       Content_Type="text/plain; charset=UTF-8")
    for segment in segments:
        unit = store.addsourceunit(segment.source)
        unit.setcontext(segment.id)
        unit.addlocation(f"{segment.file}:{segment.line}" if segment.line else segment.file)
        for note in segment.notes:
            unit.addnote(note, origin="developer")
        if segment.target:
            unit.target = segment.target
            if segment.state == "stale":
                unit.markfuzzy(True)
                if segment.previous_source:
                    unit.prev_source = segment.previous_source
    return store


@dataclass
class ReturnedUnit:
    id: str
    source: str
    target: str
    marked: bool  # marked not ready: fuzzy (PO), state new or needs-… (XLIFF)
    line: int | None = None


@dataclass
class Returned:
    """A file a translation tool gave back."""

    language: str | None
    units: list[ReturnedUnit]


def read_returned(path: Path) -> Returned:
    """Parse a returned XLIFF or PO file; say plainly what is wrong with it if it cannot be."""
    file_format = FORMAT_OF.get(path.suffix.lower())
    if file_format is None:
        raise BookletError(f"{path}: unknown kind of file; booklet import reads "
                           ".xlf/.xliff (XLIFF 1.2) and .po files")
    try:
        data = read_regular(path, MAX_FILE_BYTES)  # not a FIFO or /dev/zero: they never end
    except OSError as error:
        raise BookletError(f"{path}: cannot read file: {error.strerror}") from None
    try:
        store = xliff.xlifffile.parsestring(data) if file_format == "xliff" \
            else pypo.pofile.parsestring(data)
    except Exception as error:  # the parsers raise many kinds; all mean "not readable"
        kind = "XLIFF 1.2" if file_format == "xliff" else "PO"
        raise BookletError(f"{path}: not a readable {kind} file ({error})") from None
    units = []
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        if file_format == "xliff":
            unit_id, line = unit.xmlelement.get("id") or "", unit.xmlelement.sourceline
            target = unit.getlanguageNode(lang=None, index=1)
            state = target.get("state", "") if target is not None else ""
            marked = state == "new" or state.startswith("needs-")
        else:
            unit_id, line, marked = unit.getcontext(), None, unit.isfuzzy()
        units.append(ReturnedUnit(unit_id, str(unit.source or ""), str(unit.target or ""),
                                  marked, line))
    return Returned(store.gettargetlanguage() or None, units)
