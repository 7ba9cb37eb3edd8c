"""Export: write a language's texts to translate as an XLIFF or PO file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookletError
from ..paths import ProjectPaths
from .exchangefile import EXTENSIONS, Header, write_segments
from .segments import Segment, segments
from .status import load_for_status


@dataclass
class Export:
    path: Path
    segments: list[Segment]

    def summary(self, project: ProjectPaths) -> str:
        count = {state: sum(s.state == state for s in self.segments)
                 for state in ("missing", "stale", "current")}
        messages = sum(s.is_message for s in self.segments)
        return (f"exported {len(self.segments)} segment(s): {count['missing']} missing, "
                f"{count['stale']} stale, {count['current']} current "
                f"({messages} interface message(s)) to {project.shown(self.path)}")


def export(project: ProjectPaths, code: str, file_format: str, everything: bool = False,
           output: Path | None = None, today: datetime.date | None = None) -> Export:
    """Write the missing and stale segments of ``code`` (or all of them) for a tool."""
    content, wanted = load_for_status(project, [code])
    if code == content.publication.source_language:
        raise BookletError(f"{code!r} is the source language: it has nothing to translate")
    found = segments(content, wanted, code, everything)
    now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    day = (today or now.date()).isoformat()
    path = output or project.build / "exchange" / f"{code}-{day}.{EXTENSIONS[file_format]}"
    header = Header(content.publication.source_language, code,
                    str(content.publication.data["email"]), now)
    write_segments(found, file_format, header, path)
    return Export(path, found)
