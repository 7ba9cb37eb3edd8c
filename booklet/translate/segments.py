"""Exchange with translation tools: a language's work to do, as segments.

A *segment* is one text to translate: an English text of a content file at its
key path, or one interface message of the catalogue. ``booklet export`` writes a
language's missing and stale segments (or all of them) as XLIFF 1.2 or PO for
Poedit, OmegaT, Weblate and the like (exchangefile.py); ``booklet import``
(merge.py) checks the returned file and merges it.

A segment's id names the translated file and the place in it
(``content/km/manifestations/sexting.yaml#blocks[3].paragraph``), so a returned
file finds its way back whatever a tool did to the order of its units.

In a scaffold (a file in state ``missing``, holding a copy of the English), a
text counts as translated once it was imported: its record holds the current
English fingerprint and its text is no longer the English one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..check.catalogue import PLACEHOLDER
from ..content import inline
from ..content.catalogues import catalogue_path, read_catalogue
from ..content.load import Content, Source
from ..content.records import read_history
from ..content.states import CATALOGUE, carried, parts
from ..content.texts import fingerprint, source_texts
from ..content.yamlfile import load_yaml
from ..errors import Problems

EMPHASIS = re.compile(r"\*\*|\*")


@dataclass
class Segment:
    """One text to translate, where it goes, and what the translator should know."""

    id: str  # "<translated file>#<key path or message>": where import puts it
    part: str
    file: str  # the translated file, as shown (relative to the project)
    key: str  # the key path in the file, or the message id (with [n] for a plural form)
    source: str  # the current English
    target: str  # the translation as it stands ("" when there is none)
    state: str  # missing, stale or current
    previous_source: str | None = None  # the English the target was made from
    line: int | None = None
    notes: list[str] = field(default_factory=list)
    file_state: str | None = None  # the translated file's record: missing, draft, reviewed
    # An interface message with plural forms: its id, English plural and this form's number
    plural: tuple[str, str, int] | None = None

    @property
    def is_message(self) -> bool:
        return self.part == CATALOGUE


def segments(content: Content, wanted: set, code: str, everything: bool = False) -> list[Segment]:
    """Every segment of a language in reading order; without ``everything``, only the
    missing and stale ones."""
    history = read_history(content.project)
    source_language = content.languages[content.publication.source_language]
    problems = Problems()
    found = []
    for part, kind in parts(content):
        if not carried(content, code, part):
            continue
        if kind == "catalogue":
            found += catalogue_segments(content, wanted, code)
            continue
        original = source_language.file(part)
        if original is not None:
            found += file_segments(content, code, part, kind, original, history, problems)
    problems.raise_if_errors()
    return found if everything else [s for s in found if s.state != "current"]


def file_segments(content: Content, code: str, part: str, kind: str, original: Source,
                  history: dict, problems: Problems) -> list[Segment]:
    project = content.project
    path = content.translation_path(code, original)
    shown = project.shown(path)
    # Read from the file itself: loading shows a scaffold as the English it falls back on.
    data = load_yaml(path, shown, problems) if path.is_file() else None
    data = data if isinstance(data, dict) else {}
    record = data.get("translation") if isinstance(data.get("translation"), dict) else {}
    scaffold = not data or str(record.get("state")) == "missing"
    recorded = record.get("source") or {}
    own = source_texts(data)
    lines = {key: getattr(value, "line", None) for key, value in own.items()}
    result = []
    for key, text in source_texts(original.data).items():
        now, was = fingerprint(text), recorded.get(key)
        if scaffold:
            state = "current" if was == now and own.get(key) not in (None, text) else "missing"
        else:
            state = "current" if was == now else "stale"
        segment = Segment(f"{shown}#{key}", part, shown, key, text,
                          own.get(key, "") if state != "missing" else "", state,
                          line=lines.get(key), file_state=str(record.get("state", "draft"))
                          if data else "missing")
        notes = [f"{kind} {part}: {shown}, {key}"]
        if state == "stale" and was is None:
            notes.append("stale: new in the English since this part was translated")
        elif state == "stale":
            segment.previous_source = history.get(was)
            notes.append("stale: the English changed since this was translated; previous "
                         f"English: {segment.previous_source}" if segment.previous_source else
                         "stale: the English changed since this was translated "
                         "(the previous English was not kept)")
        elif state == "missing":
            notes.append("missing: not translated yet")
        notes += marker_notes(text)
        segment.notes = notes
        result.append(segment)
    return result


def marker_notes(text: str) -> list[str]:
    """What the translation must keep as it is."""
    notes = []
    markers = [f"[^{name}]" for name in inline.footnote_calls(text)]
    markers += [match.group(0).split("|")[0] + ("|…]]" if match.group(2) else "")
                for match in inline.CROSS_REFERENCE.finditer(text)]
    if markers:
        notes.append(f"keep {', '.join(markers)} as they are "
                     "(in [[id|text]], translate only the text after |)")
    if EMPHASIS.search(text):
        notes.append("keep the **bold** and *italic* marks around the translated words")
    return notes


def catalogue_segments(content: Content, wanted: set, code: str) -> list[Segment]:
    """The interface messages of the template: one segment per message (per plural form)."""
    path = catalogue_path(content.project, code)
    shown = content.project.shown(path)
    catalogue = read_catalogue(path, code)
    messages = {m.id: m for m in catalogue if m.id} if catalogue is not None else {}
    forms = catalogue.num_plurals if catalogue is not None else 2
    order = [i for i in messages if i in wanted] + sorted(wanted - set(messages), key=str)
    result = []
    for message_id in order:
        message = messages.get(message_id)
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = message.string if message is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings or "",)
        fuzzy = message is not None and message.fuzzy
        plural = len(ids) > 1
        for form in range(forms if plural else 1):
            source = ids[0] if form == 0 else ids[-1]
            key = f"{ids[0]}[{form}]" if plural else ids[0]
            target = (strings[form] if form < len(strings) else "") or ""
            state = "missing" if not target else "stale" if fuzzy else "current"
            segment = Segment(f"{shown}#{key}", CATALOGUE, shown, key, source,
                              target if state != "missing" else "", state,
                              line=message.lineno if message is not None else None,
                              plural=(ids[0], ids[-1], form) if plural else None)
            segment.notes = [f"interface message: {shown}"]
            if plural:
                segment.notes.append(f"plural form {form} of {forms} (English singular "
                                     f"{ids[0]!r}, plural {ids[-1]!r})")
            if state == "stale":
                previous = message.previous_id  # Babel: a list, empty when unknown
                segment.previous_source = previous[0] if previous else None
                segment.notes.append("stale: marked fuzzy, the English changed")
            elif state == "missing":
                segment.notes.append("missing: not translated yet")
            placeholders = PLACEHOLDER.findall(source)
            if placeholders:
                segment.notes.append("keep " + ", ".join(f"%({p})s" for p in placeholders)
                                     + " as they are")
            result.append(segment)
    return result
