"""Translation records: which English each translated file was made from, and its state.

Each translated file carries a ``translation:`` mapping: its review state and
the fingerprint of every source text it translates (mirror.fingerprints), so
a later change to one English block can be traced to the blocks it affects.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .load import Content, Source
from .mirror import fingerprints
from .pdf import write_atomically


def _record(source_data: dict, state: str = "draft") -> str:
    lines = ["translation:", f"  state: {state}", "  source:"]
    for path, value in fingerprints(source_data).items():
        lines.append(f'    "{path}": {value}')
    return "\n".join(lines) + "\n"


def stamp_file(translation: Source, original: Source) -> bool:
    """Record, in a translated file without a record, that it is a draft of ``original``."""
    if "translation" in translation.data:
        return False
    text = translation.path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # After the leading comment lines (the editor's schema line), before the content.
    at = 0
    while at < len(lines) and lines[at].lstrip().startswith("#"):
        at += 1
    new = "".join(lines[:at]) + _record(original.data) + "".join(lines[at:])
    backup = translation.path.with_suffix(translation.path.suffix + ".bak")
    shutil.copy2(translation.path, backup)
    write_atomically(translation.path, lambda target: Path(target).write_text(new, "utf-8"))
    return True


def stamp(content: Content, code: str) -> list[str]:
    """Mark every unrecorded file of a language as a draft of the current source."""
    source_language = content.languages[content.publication.source_language]
    language = content.languages[code]
    stamped = []
    for originals, translations in [(source_language.parts, language.parts),
                                    (source_language.series, language.series),
                                    (source_language.factsheets, language.factsheets)]:
        for key, translation in translations.items():
            if key in language.fallbacks or key not in originals:
                continue
            if stamp_file(translation, originals[key]):
                stamped.append(translation.shown)
    return stamped
