"""Report part: what one shard of a build made, for ``booklet merge-reports``.

A shard (build/shard.py) writes ``build/report-part.json`` beside its
report.json: which part it is, what the whole build asked for, and the report
of its own languages only (its groups, their outputs, their copyfitting),
whatever else an earlier build left in that folder. The merge reads nothing
else of the shard but the PDFs the part lists, checked against their SHA-256.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookletError, Problems
from ..files import write_atomically
from ..paths import ProjectPaths
from ..version import __version__
from .plan import EDITIONS
from .report import Report, group_key

PART = "report-part.json"

_DIGEST = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}
_GROUP = {
    "type": "object",
    "required": ["tree", "fonts", "outputs", "complete"],
    "properties": {"tree": _DIGEST, "fonts": _NAMES, "outputs": _NAMES,
                   "complete": {"const": True}, "warnings": {"type": "integer", "minimum": 0}},
}
_OUTPUT = {
    "type": "object",
    "required": ["path", "language", "edition", "kind", "pages", "bytes", "sha256", "inputs"],
    "properties": {"path": {"type": "string", "minLength": 1}, "language": {"type": "string"},
                   "edition": {"enum": list(EDITIONS)},
                   "kind": {"enum": ["booklet", "factsheet"]},
                   "pages": {"type": "integer", "minimum": 1},
                   "bytes": {"type": "integer", "minimum": 0}, "sha256": _DIGEST,
                   "inputs": _DIGEST, "imposed": {"type": "string", "minLength": 1}},
}
#: The JSON Schema of a report part.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["booklet_version", "shard", "languages", "own", "editions", "options",
                 "last_build", "groups", "fits", "outputs"],
    "additionalProperties": False,
    "properties": {
        "booklet_version": {"type": "string"},
        "shard": {"type": "object", "required": ["index", "count"],
                  "additionalProperties": False,
                  "properties": {"index": {"type": "integer", "minimum": 1},
                                 "count": {"type": "integer", "minimum": 1}}},
        "languages": _NAMES | {"minItems": 1},
        "own": _NAMES,
        "editions": {"type": "array", "items": {"enum": list(EDITIONS)}, "uniqueItems": True,
                     "minItems": 1},
        "options": {"type": "object", "required": ["impose"],
                    "properties": {"impose": {"type": "boolean"}}},
        "last_build": {"type": "object"},
        "groups": {"type": "object", "additionalProperties": _GROUP},
        "fits": {"type": "object", "additionalProperties": {"type": "object"}},
        "outputs": {"type": "array", "items": _OUTPUT},
    },
}


@dataclass(frozen=True)
class Part:
    """A report part as read: the folder its paths are relative to, and its data."""

    file: Path
    data: dict

    @property
    def folder(self) -> Path:
        """The shard's build folder: its outputs lie under it as under build/."""
        return self.file.parent

    @property
    def index(self) -> int:
        return self.data["shard"]["index"]

    @property
    def count(self) -> int:
        return self.data["shard"]["count"]


def problems_in(data, shown: str, problems: Problems) -> None:
    """Add every way ``data`` differs from the schema, with its key path."""
    import jsonschema  # 60 ms: only for sharded builds, not every command's start

    validator = jsonschema.Draft202012Validator(SCHEMA)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        key = ".".join(str(step) for step in error.absolute_path) or None
        problems.add(error.message, shown, key=key)


def write_part(project: ProjectPaths, index: int, count: int, languages: list[str],
               own: list[str], editions: tuple[str, ...], impose: bool) -> Path:
    """Write build/report-part.json from the report of the build just finished."""
    report = Report(project)
    groups, outputs = {}, []
    for edition in editions:
        for code in own:
            key = group_key(edition, code)
            group = report.groups.get(key)
            if not group or not group.get("complete"):
                raise BookletError(f"{project.shown(report.path)}: {key} is not built; "
                                   "build this part again")
            groups[key] = group
            outputs += [report.outputs[path] for path in group["outputs"]]
    data = {
        "booklet_version": __version__,
        "shard": {"index": index, "count": count},
        "languages": languages,
        "own": own,
        "editions": list(editions),
        "options": {"impose": impose},
        "last_build": report.last_build if own else {},
        "groups": groups,
        "fits": {key: fit for key, fit in sorted(report.fits.items())
                 if key.partition("/")[0] in own},
        "outputs": outputs,
    }
    path = project.build / PART
    problems = Problems()
    problems_in(data, project.shown(path), problems)
    if problems.items:  # what the build recorded does not describe a part: a bug
        raise RuntimeError("\n".join(str(problem) for problem in problems.items))
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, lambda target: Path(target).write_text(text, "utf-8"))
    return path


def read_part(given: Path, problems: Problems) -> Part | None:
    """The report part in a shard's build folder (or that file itself), checked.

    Problems are added, naming the file, its line or key; None when it is unusable.
    """
    file = given / PART if given.is_dir() else given
    shown = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(f"no report part here: {given} should be the build folder of "
                     "`booklet build --shard I/N`, holding " + PART, shown)
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.add(f"cannot read it: {error}", shown)
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(f"not JSON: {error.msg} (column {error.colno})", shown, error.lineno)
        return None
    before = len(problems.items)
    problems_in(data, shown, problems)
    return Part(file, data) if len(problems.items) == before else None
