"""The build report, build/report.json: every output, what it was made from, how it came out.

Each finished output is appended to build/report.journal at once, by the
process that wrote it; the report is rewritten (atomically) when a build
starts and ends, which empties the journal: a build that is interrupted,
even killed, half-way has recorded each finished output, and the next build
renders only the rest.
(Rewriting the whole report after every output cost the build's parent
process about 8 s over a full build, on the cores the workers need.)

Each group (one language in one edition) is marked complete once all its
outputs are written; only a complete group whose input fingerprint is
unchanged is skipped without loading anything.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..files import write_atomically
from ..paths import ProjectPaths
from ..version import __version__
from .inputs import file_digest


def journal(project: ProjectPaths, entry: dict) -> None:
    """Record a finished output in build/report.journal, at once.

    One write() of one line in append mode: lines from several worker
    processes do not mix.
    """
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    descriptor = os.open(project.build / "report.journal",
                         os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
    except OSError as error:  # a full disk: say which file could not grow
        raise OSError(error.errno, error.strerror, str(project.build / "report.journal")) \
            from error
    finally:
        os.close(descriptor)


def _is_entry(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("path"), str)


def group_key(edition: str, language: str) -> str:
    return f"{edition}/{language}"


class Report:
    def __init__(self, project: ProjectPaths):
        self.project = project
        self.path = project.build / "report.json"
        self.journal = project.build / "report.journal"
        data = self._read()
        self.outputs: dict[str, dict] = {
            o["path"]: o for o in data.get("outputs", []) if _is_entry(o)}
        self.outputs.update((o["path"], o) for o in self._read_journal())
        groups = data.get("groups", {})
        self.groups: dict[str, dict] = groups if isinstance(groups, dict) else {}
        self.warnings: list[str] = []
        self.last_build: dict = data.get("last_build", {})
        #: Each factsheet's copyfitting, by "language/factsheet" (build/fit.py).
        fits = data.get("fits", {})
        self.fits: dict[str, dict] = fits if isinstance(fits, dict) else {}
        self._intact_seen: dict[str, bool] = {}  # each output hashed once per build

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _read_journal(self) -> list:
        """Outputs recorded since the report was last written (a killed build's)."""
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:  # the last line of a build killed while writing it
                continue
            if _is_entry(entry):
                entries.append(entry)
        return entries

    # What is there ---------------------------------------------------------

    def is_current(self, path: str, inputs: str) -> bool:
        """Whether the output at ``path`` was made from ``inputs`` and is still as written."""
        entry = self.outputs.get(path)
        return bool(entry) and entry.get("inputs") == inputs and self._intact(entry)

    def group_is_current(self, edition: str, language: str, tree: str) -> bool:
        group = self.groups.get(group_key(edition, language))
        if not isinstance(group, dict) or not group.get("complete") \
                or group.get("tree") != tree:
            return False
        return all(path in self.outputs and self._intact(self.outputs[path])
                   for path in group.get("outputs", []))

    def _intact(self, entry: dict) -> bool:
        """The file is there with the very bytes it was written with (SHA-256).

        Not only its size: a file damaged in place (a disk error, an edit in another
        tool) keeps its size, and would otherwise pass as up to date.
        """
        path = entry["path"]
        if path not in self._intact_seen:
            file = self.project.root / path
            try:
                same = file.stat().st_size == entry.get("bytes") and \
                    file_digest(file) == entry.get("sha256")
            except OSError:
                same = False
            self._intact_seen[path] = same
        return self._intact_seen[path]

    def group_fonts(self, edition: str, language: str) -> list[str]:
        group = self.groups.get(group_key(edition, language), {})
        return [f for f in group.get("fonts", []) if isinstance(f, str)]

    def group_outputs(self, edition: str, language: str) -> list[dict]:
        group = self.groups.get(group_key(edition, language), {})
        return [self.outputs[p] for p in group.get("outputs", []) if p in self.outputs]

    # Recording -------------------------------------------------------------

    def start_group(self, edition: str, language: str) -> None:
        """The group is being rebuilt: it is not complete until finish_group."""
        group = self.groups.setdefault(group_key(edition, language), {})
        group["complete"] = False

    def record(self, entry: dict) -> None:
        """An output written in this build (already in the journal: see ``journal``)."""
        self.outputs[entry["path"]] = entry

    def finish_group(self, edition: str, language: str, tree: str, fonts: list[str],
                     paths: list[str]) -> None:
        """All of a group's outputs are written; outputs it no longer has are removed.
        Recorded with the next ``write`` (the build writes once, after its last group)."""
        key = group_key(edition, language)
        for old in self.groups.get(key, {}).get("outputs", []):
            if old not in paths:
                (self.project.root / old).unlink(missing_ok=True)
                self.outputs.pop(old, None)
        self.groups[key] = {"tree": tree, "fonts": fonts, "outputs": paths, "complete": True}

    def write(self) -> None:
        # Outputs the workers recorded that this process has not heard of yet
        # (a build stopped by a failure in a task that had written some).
        for entry in self._read_journal():
            known = self.outputs.get(entry["path"], {})
            if (known.get("sha256"), known.get("inputs")) != \
                    (entry.get("sha256"), entry.get("inputs")):
                self.outputs[entry["path"]] = entry
        # Outputs whose file is gone (deleted by hand) are no longer reported.
        outputs = [o for path, o in sorted(self.outputs.items())
                   if (self.project.root / path).is_file()]
        document = {"booklet_version": __version__, "warnings": self.warnings,
                    "last_build": self.last_build,
                    "groups": dict(sorted(self.groups.items())),
                    "fits": dict(sorted(self.fits.items())), "outputs": outputs}
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        write_atomically(self.path, lambda target: Path(target).write_text(text, "utf-8"))
        self.journal.unlink(missing_ok=True)

    def entries(self) -> list[dict]:
        return [self.outputs[p] for p in sorted(self.outputs)]
