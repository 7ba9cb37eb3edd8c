"""Review and diff: what changed in the source of a stale part, and signing a part off."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.catalogues import catalogue_path
from ..content.load import Content
from ..content.records import current_record, read_history, write_record
from ..content.states import CATALOGUE, Cell, carried, parts, status
from ..content.texts import source_texts
from ..errors import BookletError
from ..files import write_atomically


@dataclass
class Change:
    """One stale text: the source then (if kept) and now, and the translation as it is."""

    path: str
    then: str | None
    now: str
    translation: str | None
    new: bool  # the source text did not exist when the part was translated

    def runs(self) -> list[tuple[str, str]]:
        """The source's words then and now, as word_diff runs (the source then is kept)."""
        return word_diff(self.then or "", self.now)


def find_cell(content: Content, wanted: set, code: str, part: str) -> Cell:
    known = [name for name, _ in parts(content)]
    if part not in known:
        close = difflib.get_close_matches(part, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BookletError(f"unknown part {part!r}{hint}; parts are: {', '.join(known)}")
    if code not in content.languages:
        raise BookletError(f"unknown language {code!r}")
    if not carried(content, code, part):
        raise BookletError(f"language {code!r} does not carry {part!r} "
                           "(see the series' languages in content/publication.yaml)")
    statuses = status(content, wanted)
    return next(s for s in statuses if s.code == code).cell(part)


def changes(content: Content, wanted: set, code: str, part: str) -> list[Change]:
    """Every stale text of a part, with the source text it was translated from."""
    cell = find_cell(content, wanted, code, part)
    if cell.kind == "catalogue":
        return [Change(t.path, None, t.now, None, False) for t in cell.stale]
    history = read_history(content.project)
    source_language = content.languages[content.publication.source_language]
    original = source_language.file(part)
    translated = content.languages[code].file(part)
    now_texts = source_texts(original.data)
    own_texts = source_texts(translated.data) if translated else {}
    return [Change(text.path, history.get(text.was) if text.was else None,
                   now_texts[text.path], own_texts.get(text.path), text.was is None)
            for text in cell.stale]


def word_diff(then: str, now: str) -> list[tuple[str, str]]:
    """(tag, words) runs: tag is ' ' (same), '-' (removed) or '+' (added)."""
    a, b = re.findall(r"\S+|\s+", then), re.findall(r"\S+|\s+", now)
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append((" ", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return runs


def review(content: Content, wanted: set, code: str, part: str, reviewer: str,
           date: datetime.date | None = None) -> Cell:
    """Mark a part reviewed by ``reviewer``: only if it is translated from the current source."""
    if code == content.publication.source_language:
        raise BookletError(f"{code!r} is the source language: there is nothing to review")
    reviewer = reviewer.strip()
    if not reviewer or "\n" in reviewer:
        raise BookletError("--reviewer needs a name on one line")
    cell = find_cell(content, wanted, code, part)
    if cell.state in ("missing", "fallback"):
        raise BookletError(f"{code} {part} is {cell.state}: there is no translation to review")
    if cell.state == "stale":
        raise BookletError(
            f"{code} {part} is stale: {len(cell.stale)} text(s) changed in the source since "
            f"it was translated ({', '.join(t.path for t in cell.stale[:5])}"
            f"{', …' if len(cell.stale) > 5 else ''}); update them first "
            f"(booklet diff {code} {part})")
    day = (date or datetime.date.today()).isoformat()
    if part == CATALOGUE:
        _review_catalogue(catalogue_path(content.project, code), reviewer, day)
    else:
        translated = content.languages[code].file(part)
        record = current_record(translated)
        record.update(state="reviewed", reviewer=reviewer, reviewed=day)
        write_record(translated.path, record)
    cell.state, cell.reviewer, cell.reviewed = "reviewed", reviewer, day
    return cell


def _review_catalogue(path: Path, reviewer: str, day: str) -> None:
    """Record the review in the catalogue's header, leaving its messages as they are.

    translate-toolkit's PO store keeps every header field and message as read;
    Babel's Catalog would drop the X-Reviewed fields it does not know.
    """
    from translate.storage import pypo  # imported when first used, for start-up time

    data = path.read_bytes()
    store = pypo.pofile.parsestring(data)
    if store.header() is None:
        raise BookletError(f"{path}: the catalogue has no header entry to record the review in")
    store.updateheader(add=True, X_Reviewed_By=reviewer, X_Reviewed_Date=day)
    new = bytes(store)
    if data.endswith(b"\n\n") and not new.endswith(b"\n\n"):
        new += b"\n"  # the blank line Babel ends a catalogue with
    write_atomically(path, lambda target: Path(target).write_bytes(new))
