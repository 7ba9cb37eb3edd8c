"""Exchange files: segments as XLIFF 1.2 or PO, and returned files read back.

Both formats are written and read with translate-toolkit, so what the tools
(Poedit, OmegaT, Weblate, Virtaal…) write is parsed by a maintained parser.

- XLIFF 1.2 (valid against OASIS's strict schema): one ``<file>`` per
  translated file, ``<trans-unit id="segment id">`` with a context group of
  the same name; inline markup as ``<g>``/``<x>`` codes (xliffmarkup.py). A
  target's state says where it stands: ``signed-off`` (and the unit
  ``approved``) only in a reviewed file, ``translated`` in a draft,
  ``needs-review-translation`` when stale, with the previous English in an
  ``<alt-trans>``; a missing text has no target.
- PO: the segment id is the ``msgctxt`` (so identical English texts stay
  apart), its file and line the ``#:`` reference; a stale segment's target is
  the current translation marked fuzzy, with the previous English as ``#|``.
  A message with plural forms is one entry with ``msgid_plural``; the header
  names the language, CLDR's plural rule (through Babel) and the publisher's
  address for problems in the English, so that ``msgfmt -c`` passes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from translate.misc.multistring import multistring
from translate.storage import pypo, xliff

from ..errors import BookletError
from ..files import read_regular, write_atomically
from .segments import Segment
from .xliffmarkup import fill

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


@dataclass
class Header:
    """What an exchange file says about itself."""

    source_language: str
    language: str
    report_to: str  # where translators report problems in the English: the publisher
    date: datetime.datetime


def write_segments(segments: list[Segment], file_format: str, header: Header,
                   path: Path) -> None:
    store = _xliff(segments, header.source_language, header.language) \
        if file_format == "xliff" else _po(segments, header)
    data = bytes(store)
    write_atomically(path, lambda target: Path(target).write_bytes(data))


def _xliff(segments: list[Segment], source_language: str, language: str):
    store = _Xliff12(sourcelanguage=source_language, targetlanguage=language)
    for segment in segments:
        unit = store.addsourceunit(segment.source, filename=segment.file, createifmissing=True)
        unit.setid(segment.id)
        unit.addnote(f"English, with its markup: {segment.source}", origin="developer")
        for note in segment.notes:
            unit.addnote(note, origin="developer")
        # Context-group names are unique within a <file>: the unit's id is.
        unit.createcontextgroup(segment.id, [("x-part", segment.part),
                                             ("sourcefile", segment.file),
                                             ("x-key", segment.key)]
                                + ([("linenumber", str(segment.line))] if segment.line else []),
                                purpose="location")
        fill(unit.getlanguageNode(lang=None, index=0), segment.source, segment.is_message,
             XLIFF_1_2)
        if segment.target:
            unit.settarget(segment.target)
            fill(unit.getlanguageNode(lang=None, index=1), segment.target, segment.is_message,
                 XLIFF_1_2)
        if segment.state == "stale" and segment.previous_source and segment.target:
            unit.addalttrans(segment.target, origin="previous translation", lang=language,
                             sourcetxt=segment.previous_source)
        _mark(unit, segment)
    # Each <file> names the target language, as tools read it there.
    for node in store.document.getroot().iterchildren(store.namespaced("file")):
        node.set("target-language", language)
    return store


def xliff_state(segment: Segment) -> str | None:
    """The XLIFF state of a segment's translation (None: it has none)."""
    if not segment.target:
        return None
    if segment.state == "stale":
        return "needs-review-translation"
    return "signed-off" if segment.file_state == "reviewed" else "translated"


def _mark(unit, segment: Segment) -> None:
    """approved and state as the content says: only a reviewed, current text is approved."""
    state = xliff_state(segment)
    unit.xmlelement.set("approved", "yes" if state == "signed-off" else "no")
    target = unit.getlanguageNode(lang=None, index=1)
    if target is not None and state is not None:
        target.set("state", state)


def _po(segments: list[Segment], header: Header):
    """A PO file: one unit per text, a message's plural forms in one unit."""
    store = pypo.pofile()
    team = Locale.parse(header.language).get_display_name("en")
    store.updateheader(
        add=True, Project_Id_Version="booklet", Report_Msgid_Bugs_To=header.report_to,
        POT_Creation_Date=header.date.strftime("%Y-%m-%d %H:%M%z"),
        PO_Revision_Date=header.date.strftime("%Y-%m-%d %H:%M%z"),
        Last_Translator="",  # filled in by the translator's tool
        Language_Team=f"{team} <{header.report_to}>", Language=header.language,
        # CLDR's plural rules, as Babel writes them for gettext
        Plural_Forms=Catalog(locale=header.language).plural_forms)
    store.units[0].markfuzzy(False)
    plurals: dict[tuple[str, str], pypo.pounit] = {}
    for segment in segments:
        if segment.plural is not None:
            _add_plural_form(store, plurals, segment)
            continue
        unit = store.addsourceunit(segment.source)
        unit.setcontext(segment.id)
        _describe(unit, segment)
        if segment.target:
            unit.target = segment.target
            if segment.state == "stale":
                unit.markfuzzy(True)
                if segment.previous_source:
                    unit.prev_source = segment.previous_source
    return store


def _describe(unit, segment: Segment) -> None:
    unit.addlocation(f"{segment.file}:{segment.line}" if segment.line else segment.file)
    for note in segment.notes:
        unit.addnote(note, origin="developer")


def _add_plural_form(store, plurals: dict, segment: Segment) -> None:
    """A plural message's form: the first one makes the unit, each fills its msgstr[n]."""
    singular, plural, form = segment.plural
    key = (segment.file, singular)
    unit = plurals.get(key)
    if unit is None:
        unit = plurals[key] = store.addsourceunit(multistring([singular, plural]))
        unit.setcontext(f"{segment.file}#{singular}")
        _describe(unit, segment)
        unit.target = multistring([""])
    strings = list(unit.target.strings) if unit.target else [""]
    strings += [""] * (form + 1 - len(strings))
    strings[form] = segment.target or ""
    unit.target = multistring(strings)
    if segment.state == "stale":
        unit.markfuzzy(True)


@dataclass
class ReturnedUnit:
    id: str
    source: str
    target: str
    marked: bool  # marked not ready: fuzzy (PO), state new or needs-… (XLIFF)
    line: int | None = None
    # XLIFF: the <source> and <target> elements, whose inline codes merge turns into markup
    source_element: object = None
    target_element: object = None


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
        source = target = None
        if file_format == "xliff":
            unit_id, line = unit.xmlelement.get("id") or "", unit.xmlelement.sourceline
            source = unit.getlanguageNode(lang=None, index=0)
            target = unit.getlanguageNode(lang=None, index=1)
            state = target.get("state", "") if target is not None else ""
            marked = state == "new" or state.startswith("needs-")
        elif unit.hasplural():  # each form is a segment of its own: "<id>[n]"
            forms = unit.target.strings if unit.target else [""]
            for form, text in enumerate(forms):
                units.append(ReturnedUnit(f"{unit.getcontext()}[{form}]",
                                          unit.source.strings[min(form, 1)], str(text or ""),
                                          unit.isfuzzy()))
            continue
        else:
            unit_id, line, marked = unit.getcontext(), None, unit.isfuzzy()
        units.append(ReturnedUnit(unit_id, str(unit.source or ""), str(unit.target or ""),
                                  marked, line, source, target))
    return Returned(store.gettargetlanguage() or None, units)
