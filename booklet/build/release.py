"""Releases: one zip per language and edition for member groups, with a manifest.

The manifest says exactly what is in the zip: every file with its SHA-256 and
page count, each part's translation state and reviewer, and the versions of
what the PDFs were made with. Unreviewed content (draft, stale, fallback,
missing) is refused unless the release is explicitly allowed to carry it, and
then the manifest says so.
"""

from __future__ import annotations

import datetime
import json
import zipfile
from pathlib import Path

from ..errors import BookletError
from ..files import write_atomically
from ..paths import ProjectPaths
from ..version import __version__
from .inputs import file_digest, library_versions
from .report import Report, group_key

UNREVIEWED = ("missing", "fallback", "stale", "draft")


def unreviewed(outputs: list[dict]) -> dict[str, str]:
    """Each part, across a group's outputs, that is not reviewed: part → state."""
    found = {}
    for entry in outputs:
        for part, record in (entry.get("translation") or {}).items():
            if record.get("state") in UNREVIEWED:
                found[part] = record["state"]
    return found


def release(project: ProjectPaths, publication, editions, languages,
            allow_drafts: bool) -> list[Path]:
    """Write build/release/booklet-<lang>-<edition>.zip and its manifest, per group."""
    report = Report(project)
    groups = [(edition, code) for code in languages for edition in editions]
    refused = []
    for edition, code in groups:
        outputs = report.group_outputs(edition, code)
        if not outputs:
            raise BookletError(f"nothing built for {code} ({edition}): run booklet build")
        pending = unreviewed(outputs)
        if pending and not allow_drafts:
            listed = ", ".join(f"{part} ({state})" for part, state in sorted(pending.items()))
            refused.append(f"{code} {edition}: {len(pending)} part(s) not reviewed: {listed}")
    if refused:
        raise BookletError("release refused: unreviewed content (use --allow-drafts to "
                           "release it anyway; the manifest will say so)\n  "
                           + "\n  ".join(refused))
    written = []
    for edition, code in groups:
        written += _write_group(project, publication, report, edition, code, allow_drafts)
    return written


def _write_group(project: ProjectPaths, publication, report: Report, edition: str, code: str,
                 allow_drafts: bool) -> list[Path]:
    outputs = sorted(report.group_outputs(edition, code),
                     key=lambda e: (e["kind"] != "booklet", e["path"]))
    for entry in outputs:
        _verify(project, entry)
    name = f"booklet-{code}-{edition}"
    files = [{"file": "booklet.pdf" if e["kind"] == "booklet" else
              f"factsheets/{Path(e['path']).name}", "sha256": e["sha256"], "bytes": e["bytes"],
              "pages": e["pages"], "kind": e["kind"], "factsheet": e.get("factsheet")}
             for e in outputs]
    booklet = next((e for e in outputs if e["kind"] == "booklet"), outputs[0])
    group = report.groups.get(group_key(edition, code), {})
    manifest = {
        "publisher": publication.data["publisher"],
        "language": code,
        "edition": edition,
        "isbn": (publication.data.get("isbn") or {}).get(
            "print" if edition == "print" else "ebook"),
        "date": publication.data["date"],
        "released": datetime.date.today().isoformat(),
        "allow_drafts": allow_drafts,
        "unreviewed": unreviewed(outputs),
        "files": files,
        "translation": booklet.get("translation", {}),
        "built_with": {"booklet": __version__, **library_versions(),
                       "fonts": group.get("fonts", []), "inputs": group.get("tree")},
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    # The publication's date, not today's: the same release gives the same zip.
    stamp = publication.date.timetuple()[:6]

    def write_zip(target):
        with zipfile.ZipFile(target, "w") as archive:
            members = [(f"{name}/{f['file']}", (project.root / e["path"]).read_bytes())
                       for e, f in zip(outputs, files, strict=True)]
            members.append((f"{name}/manifest.json", text.encode("utf-8")))
            for member, data in members:
                info = zipfile.ZipInfo(member, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    folder = project.build / "release"
    archive = folder / f"{name}.zip"
    write_atomically(archive, write_zip)
    manifest_path = folder / f"{name}.manifest.json"
    write_atomically(manifest_path, lambda target: Path(target).write_text(text, "utf-8"))
    return [archive, manifest_path]


def _verify(project: ProjectPaths, entry: dict) -> None:
    """The file on disk is the one the report describes (nobody replaced it since)."""
    path = project.root / entry["path"]
    if not path.is_file() or file_digest(path) != entry.get("sha256"):
        raise BookletError(f"{entry['path']} is not the file the last build wrote; "
                           "run booklet build --force before releasing")
