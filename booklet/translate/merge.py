"""Import: check a file returned by a translation tool, then merge it, all or nothing.

Every segment is checked before anything is written: its id must name a place
that exists, its English must still be the current English, and its translation
must keep the English's footnote calls, cross-references and emphasis marks. One
refused segment refuses the whole file. Units without a translation, or that
the tool marks as not ready (fuzzy in PO; state new or needs-… in XLIFF), are
skipped: translators return partial work.

Then the new texts go into the files in place (yamledit.py: the rest of each
file stays byte for byte as it was), each translation record is updated (the
imported texts are recorded as translated from the current English; the file is
a draft again, to be reviewed). Every file is replaced at once, all or none even
if the process is killed (files.replace_together), and the language is checked
as a build checks it. If that check fails, every file is put back as it was.

A scaffold (state missing) becomes a draft once every one of its texts has been
imported, at once or over several imports; until then it stays missing, so a
build keeps showing the English in its place rather than a mix of languages.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po
from lxml import etree

from ..check.catalogue import MARKUP, PLACEHOLDER
from ..check.run import load_and_check
from ..content import inline
from ..content.catalogues import catalogue_path, template_ids
from ..content.load import Source
from ..content.records import history_path, remembered, with_record
from ..content.texts import fingerprint, source_texts
from ..content.yamledit import replace_texts
from ..content.yamlfile import load_yaml
from ..errors import BookletError, ContentError, Problems
from ..files import replace_together, write_atomically
from ..paths import ProjectPaths
from .exchangefile import ReturnedUnit, read_returned
from .segments import EMPHASIS, Segment, segments
from .xliffmarkup import MarkupError, restore

#: Scripts written without spaces, or with few: their length is a poor guide.
COMPACT_SCRIPTS = {"th", "km", "lo", "my", "zh", "ja", "ko"}
#: Translation length / English length outside these ranges is worth a look.
LENGTH_RATIO = (0.3, 3.5)
COMPACT_LENGTH_RATIO = (0.15, 6.0)
#: Shorter English texts (titles, labels) vary too much to judge by length.
MIN_LENGTH_CHECKED = 20


@dataclass
class FileChange:
    path: Path
    shown: str
    old: str | None  # None: the file does not exist yet
    new: str
    texts: int
    state: str | None = None  # the file's translation state afterwards


@dataclass
class Merge:
    source: str  # the returned file, as shown
    language: str
    imported: list[tuple[Segment, str]] = field(default_factory=list)
    skipped: int = 0  # untranslated or not ready
    unchanged: int = 0  # the same translation as the file has, from the current English
    changes: list[FileChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self, dry_run: bool = False) -> str:
        lines = [f"{c.shown}: {c.texts} text(s)" + (f", now {c.state}" if c.state else "")
                 for c in self.changes]
        verb = "would import" if dry_run else "imported"
        lines.append(f"{verb} {len(self.imported)} segment(s) of {self.language} from "
                     f"{self.source} into {len(self.changes)} file(s); {self.unchanged} "
                     f"unchanged, {self.skipped} not translated or not ready (skipped)")
        return "\n".join(lines)


def merge(project: ProjectPaths, path: Path, language: str | None = None,
          dry_run: bool = False) -> Merge:
    """Check the returned file at ``path`` and merge it into the project."""
    returned = read_returned(path)
    code = _language(returned.language, language, path)
    problems = Problems()
    # The language must be sound before: afterwards, a failed check undoes the import.
    content = load_and_check(project, [code], problems)
    if code == content.publication.source_language:
        raise BookletError(f"{path}: its language is {code!r}, the source language")
    wanted = template_ids(project)
    current = {s.id: s for s in segments(content, wanted, code, everything=True)}
    result = Merge(str(path), code)
    refused = Problems()
    seen: dict[str, str] = {}
    for unit in returned.units:
        segment = _accept(unit, current, seen, code, refused, result, str(path))
        if segment is not None:
            result.imported.append((segment, unit.target))
    refused.raise_if_errors()
    result.warnings = [str(w) for w in refused.warnings]
    result.changes = _file_changes(project, content, code, result.imported) + \
        _catalogue_changes(project, code, result.imported)
    if not dry_run and result.changes:
        english = content.languages[content.publication.source_language]
        _write(project, code, result.changes,
               remembered(project, [s.data for s in english.sources()]))
    return result


def _language(found: str | None, given: str | None, path: Path) -> str:
    found = found.replace("-", "_") if found else None
    if found and given and given.replace("-", "_") not in (found, found.split("_")[0]):
        raise BookletError(f"{path} is a {found!r} file, not {given!r}: "
                           "import it for its own language")
    if not (found or given):
        raise BookletError(f"{path} does not say its language: give it with --lang")
    return given or found


def _accept(unit: ReturnedUnit, current: dict, seen: dict, code: str, refused: Problems,
            result: Merge, shown: str) -> Segment | None:
    """The segment a unit translates, if it carries a translation that passes every check."""
    def refuse(message: str) -> None:
        refused.add(f"segment {unit.id}: {message}", shown, unit.line)

    if not unit.target.strip() or unit.marked:
        result.skipped += 1
        return None
    segment = current.get(unit.id)
    if segment is None:
        refuse("no such place in the project (not from a booklet export of this project, "
               "or the English was restructured since: export again)")
        return None
    if unit.id in seen:
        if seen[unit.id] != unit.target:
            refuse("appears twice with different translations")
        return None
    if unit.target_element is not None:  # XLIFF: inline codes back to markup
        try:
            unit.source, unit.target = (
                restore(element, segment.source, segment.is_message,
                        etree.QName(element).namespace)
                for element in (unit.source_element, unit.target_element))
        except MarkupError as error:
            refuse(str(error))
            return None
    seen[unit.id] = unit.target
    if unit.source != segment.source:
        refuse("the English changed since export; export again")
        return None
    before = len(refused.errors)
    for problem in text_problems(segment, unit.target):
        refuse(problem)
    if len(refused.errors) > before:
        return None
    low, high = COMPACT_LENGTH_RATIO if code.split("_")[0] in COMPACT_SCRIPTS \
        else LENGTH_RATIO
    ratio = len(unit.target) / max(len(segment.source), 1)
    if len(segment.source) >= MIN_LENGTH_CHECKED and not low <= ratio <= high:
        refused.warn(f"segment {unit.id}: the translation is {ratio:.1f} times as long as "
                     "the English: is it complete, and is it this text's?", shown, unit.line)
    if unit.target == segment.target and segment.state == "current":
        result.unchanged += 1
        return None
    return segment


def text_problems(segment: Segment, text: str) -> list[str]:
    """Why a translation cannot stand in for the English of ``segment`` (none: it can)."""
    found = []
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:  # as a content file may not hold it
        found.append(f"character U+{ord(bad.group()):04X} is not allowed in a text")
    if segment.is_message:
        wanted, given = set(PLACEHOLDER.findall(segment.source)), set(PLACEHOLDER.findall(text))
        if wanted != given:
            found.append(f"placeholders {sorted(given)} differ from the English's "
                         f"{sorted(wanted)}: keep %(name)s as it is")
        if MARKUP.search(text) and not MARKUP.search(segment.source):
            found.append("markup characters (<, >, &) are not allowed in interface messages")
        return found
    for name, wanted, given in [
            ("footnote call", Counter(f"[^{n}]" for n in inline.footnote_calls(segment.source)),
             Counter(f"[^{n}]" for n in inline.footnote_calls(text))),
            ("cross-reference", Counter(f"[[{t}|…]]" for t in
                                        inline.cross_references(segment.source)),
             Counter(f"[[{t}|…]]" for t in inline.cross_references(text)))]:
        for marker in sorted((wanted - given).elements()):
            found.append(f"{name} {marker} is missing: keep it as in the English")
        for marker in sorted((given - wanted).elements()):
            found.append(f"{name} {marker} is not in the English")
    for piece in inline.malformed_markup(text):
        found.append(f"malformed footnote call or cross-reference: {piece!r}")
    for mark, label in (("**", "bold"), ("*", "italic")):
        count = Counter(EMPHASIS.findall(segment.source))[mark], \
            Counter(EMPHASIS.findall(text))[mark]
        if count[0] != count[1]:
            found.append(f"{label} marks {mark} appear {count[1]} time(s) where the English "
                         f"has {count[0]}: keep them around the translated words")
    return found


def _file_changes(project: ProjectPaths, content, code: str,
                  imported: list[tuple[Segment, str]]) -> list[FileChange]:
    english = content.languages[content.publication.source_language]
    originals = {project.shown(content.translation_path(code, s)): s for s in english.sources()}
    by_file: dict[str, dict[str, str]] = {}
    for segment, text in imported:
        if not segment.is_message:
            by_file.setdefault(segment.file, {})[segment.key] = text
    return [_file_change(project.root / shown, shown, originals[shown], texts)
            for shown, texts in by_file.items()]


def _file_change(path: Path, shown: str, original: Source, texts: dict[str, str]) -> FileChange:
    """The new text of one translated file: the imported texts in place, its record updated."""
    old = _read(path) if path.is_file() else None
    problems = Problems()
    data = load_yaml(path, shown, problems) if old is not None else None
    problems.raise_if_errors()
    record = data.get("translation") or {} if isinstance(data, dict) else {}
    recorded = dict(record.get("source") or {})
    own = source_texts(data or {})
    english = source_texts(original.data)
    now = {key: fingerprint(text) for key, text in english.items()}
    recorded.update({key: now[key] for key in texts})
    # A file that does not exist yet starts as a scaffold: a copy of the English.
    new = replace_texts(old if old is not None else _read(original.path),
                        {key: text for key, text in texts.items() if own.get(key) != text})
    state = str(record.get("state", "draft")) if old is not None else "missing"
    if state == "missing":
        after = {**(own or english), **texts}
        done = all(key in texts or (recorded.get(key) == now[key] and after.get(key) != text)
                   for key, text in english.items())
        state = "draft" if done else "missing"
    else:
        state = "draft"  # a changed translation is reviewed again
    ordered = {key: recorded[key] for key in now if key in recorded}
    ordered.update({key: value for key, value in recorded.items() if key not in ordered})
    new = with_record(new, {"state": state, "source": ordered})
    _verify(new, shown, texts)
    return FileChange(path, shown, old, new, len(texts), state)


def _verify(text: str, shown: str, texts: dict[str, str]) -> None:
    """Each imported text must read back from the new file as it was given."""
    found = source_texts(yaml.safe_load(text))
    wrong = [key for key, value in texts.items() if found.get(key) != value]
    if wrong:  # a bug in yamledit, not a problem of the input
        raise RuntimeError(f"{shown}: merged texts do not read back: {', '.join(wrong)}")


def _catalogue_changes(project: ProjectPaths, code: str,
                       imported: list[tuple[Segment, str]]) -> list[FileChange]:
    """The catalogue with the imported messages translated and no longer fuzzy."""
    texts = {segment.key: text for segment, text in imported if segment.is_message}
    if not texts:
        return []
    path = catalogue_path(project, code)
    old = _read(path)
    catalogue = read_po(io.BytesIO(old.encode("utf-8")), locale=code.replace("-", "_"))
    count = 0
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            keys = [f"{message.id[0]}[{form}]" for form in range(catalogue.num_plurals)]
            strings = list(message.string) + [""] * (len(keys) - len(message.string))
            for form, key in enumerate(keys):
                strings[form] = texts.get(key, strings[form])
            given = [key in texts for key in keys]
            message.string = tuple(strings[:len(keys)])
        else:
            given = [message.id in texts]
            message.string = texts.get(message.id, message.string)
        count += sum(given)
        if all(given):  # every form checked by the translator: no longer fuzzy
            message.flags.discard("fuzzy")
            message.previous_id = []
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=76)
    new = buffer.getvalue().decode("utf-8")
    if new == old:
        return []
    return [FileChange(path, project.shown(path), old, new, count)]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # line ends as they are


def _write(project: ProjectPaths, code: str, changes: list[FileChange],
           history: str | None) -> None:
    """Replace every changed file at once, check the language, put all back if it fails.

    All the files change together or none does, even if the process is killed
    (files.replace_together; the caller holds the project's lock, whose next
    holder completes an interrupted change). A .bak of each replaced file is
    kept once the import has passed its checks.
    """
    new = {change.path: change.new.encode("utf-8") for change in changes}
    old = {change.path: None if change.old is None else change.old.encode("utf-8")
           for change in changes}
    if history is not None:
        new[history_path(project)] = history.encode("utf-8")
        old[history_path(project)] = _read(history_path(project)).encode("utf-8") \
            if history_path(project).is_file() else None
    replace_together(project.import_journal, new)
    try:
        load_and_check(project, [code], Problems())
    except ContentError as error:
        replace_together(project.import_journal, old)
        raise BookletError("the merged files do not pass the checks, so every file was put "
                           "back as it was:\n" + error.show()) from None
    except BaseException:
        replace_together(project.import_journal, old)
        raise
    for path, text in old.items():
        if text is not None and path != history_path(project):
            backup = path.with_suffix(path.suffix + ".bak")
            write_atomically(backup, lambda target, text=text: Path(target).write_bytes(text))
