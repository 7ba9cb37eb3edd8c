"""Translation records: which English each translated file was made from, and its state.

Each translated file carries a ``translation:`` mapping: its state (missing,
draft, reviewed), who reviewed it and when, and the fingerprint of every
source text it translates (mirror.fingerprints), so a later change to one
English block can be traced to the blocks it affects.

The source texts behind those fingerprints are kept in ``content/history.json``
(fingerprint → text), so ``booklet diff`` can show the English a translation
was made from without needing the project's version history.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import BookletError
from ..files import write_atomically
from ..paths import ProjectPaths
from . import yamledit
from .load import Content, Source
from .texts import fingerprint, fingerprints, source_texts, translated_pairs

HISTORY_FILE = "history.json"


def record_node(record: dict) -> CommentedMap:
    """The record as the mapping every translated file starts with.

    The key paths are quoted (they hold brackets and dots); a fingerprint is
    quoted when it could read as a number (``557153432079``, ``886256e22080``).
    """
    node = CommentedMap(state=str(record["state"]))
    for key in ("reviewer", "reviewed"):
        if record.get(key):
            node[key] = DoubleQuotedScalarString(str(record[key]))
    node["source"] = CommentedMap((DoubleQuotedScalarString(path), yamledit.text(str(value)))
                                  for path, value in record.get("source", {}).items())
    return node


def new_record(source_data: dict, state: str = "draft") -> dict:
    return {"state": state, "source": fingerprints(source_data)}


def current_record(translation: Source) -> dict:
    record = translation.data.get("translation") or {}
    return {"state": str(record.get("state", "draft")), "reviewer": record.get("reviewer"),
            "reviewed": record.get("reviewed"), "source": dict(record.get("source", {}))}


def write_record(path: Path, record: dict, backup: bool = True) -> None:
    """Put ``record`` in the file at ``path``, replacing its record if it has one.

    Only the record's lines change: the texts, comments and layout stay as written.
    """
    text = path.read_text(encoding="utf-8")
    new = with_record(text, record)
    if new == text:
        return
    if backup:
        shutil.copy2(path, path.with_suffix(path.suffix + ".bak"))
    write_atomically(path, lambda target: Path(target).write_text(new, "utf-8"))


def with_record(text: str, record: dict) -> str:
    """A file's text with ``record`` in place of its record (or first, after the leading
    comments such as the editor's schema line, if it has none)."""
    return yamledit.set_top_level(text, "translation", record_node(record), first=True)


def history_path(project: ProjectPaths) -> Path:
    return project.content / HISTORY_FILE


def read_history(project: ProjectPaths) -> dict[str, str]:
    path = history_path(project)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BookletError(f"{project.shown(path)}: not valid JSON ({error})") from None
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def remember(project: ProjectPaths, sources: list[dict]) -> None:
    """Keep the texts of these source files, so later diffs can show them."""
    body = remembered(project, sources)
    if body is not None:
        write_atomically(history_path(project),
                         lambda target: Path(target).write_text(body, encoding="utf-8"))


def remembered(project: ProjectPaths, sources: list[dict]) -> str | None:
    """The history file's new text with these source files' texts (None: no change)."""
    history = read_history(project)
    before = len(history)
    for data in sources:
        for text in source_texts(data).values():
            history.setdefault(fingerprint(text), text)
    if len(history) == before and history_path(project).is_file():
        return None
    return json.dumps(dict(sorted(history.items())), ensure_ascii=False, indent=0) + "\n"


def stamp_file(translation: Source, original: Source) -> bool:
    """Record, in a translated file without a record, that it is a draft of ``original``."""
    if "translation" in translation.data:
        return False
    write_record(translation.path, new_record(original.data))
    return True


def stamp(content: Content, code: str) -> list[str]:
    """Mark every unrecorded file of a language as a draft of the current source."""
    stamped, originals = [], []
    for _key, original, translation in translated_pairs(content, code):
        if stamp_file(translation, original):
            stamped.append(translation.shown)
            originals.append(original.data)
    remember(content.project, originals)
    return stamped
