"""Merge: the parts of a sharded build, put together as one machine would have built them.

``booklet merge-reports DIR ...`` takes the build folders of every part of one
``booklet build --shard I/N`` (each with its report-part.json, build/part.py)
and writes their PDFs and one report.json into this project's build/. It
checks everything before writing anything:

- the parts are the N parts of the same build (same languages, editions and
  options), each once, each holding the languages the split gives it here;
- each group was built from this project's inputs (its fingerprint, as a build
  here computes it: content, theme, code, libraries and fonts);
- each PDF is there, a plain file, with the bytes its part recorded.

The report is then what a single build of the same languages writes: the
warnings come from checking those languages here, page budgets are applied
across all of them (a translation's budget may be the source language's
pages, built in another part), and ``last_build`` adds up the parts' figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from ..check.run import load_and_check
from ..content.load import load_publication
from ..errors import BookletError, Problems
from ..files import write_atomically
from ..paths import ProjectPaths
from .inputs import Hasher, common_inputs, file_digest, font_stats, group_fingerprint
from .lock import build_lock
from .part import Part, read_part
from .record import apply_budgets
from .report import Report
from .shard import split

#: The figures of ``last_build`` that add up over the parts (``seconds`` adds up per step).
COUNTS = ("rendered", "layouts", "fit_layouts")


def merge(project: ProjectPaths, given: list[Path]) -> dict:
    """Check the parts, then copy their PDFs into build/ and write one report.json.

    Returns ``parts`` (how many), ``languages`` and ``outputs`` (the merged
    report's entries of the languages merged).
    """
    if not given:
        raise BookletError("merge needs the build folder of every part")
    problems = Problems()
    parts = [part for part in (read_part(path, problems) for path in given) if part]
    problems.raise_if_errors()
    publication = load_publication(project, problems)
    problems.raise_if_errors()
    _check_parts(parts, publication, problems)
    problems.raise_if_errors()
    first = parts[0].data
    with build_lock(project, "merge"):
        _check_inputs(project, parts, publication.source_language, problems)
        copies = _check_files(project, parts, problems)
        problems.raise_if_errors()
        # What a single build of these languages reports as warnings: checking them here.
        checked = Problems()
        load_and_check(project, first["languages"], checked)
        report = Report(project)
        for part in parts:
            for key in part.data["groups"]:
                report.start_group(*key.split("/"))
        report.write()  # until every file is copied, the merged groups are not up to date
        for source, target in copies:
            _copy(source, target)
        for part in parts:
            _adopt(project, report, part)
        report.warnings = [str(problem) for problem in checked.warnings]
        report.last_build = _added_up([part.data["last_build"] for part in parts])
        apply_budgets(report, publication.source_language, publication.page_budgets())
        report.write()
    merged = [path for part in parts for group in part.data["groups"].values()
              for path in group["outputs"]]
    return {"parts": len(parts), "languages": first["languages"],
            "outputs": [report.outputs[path] for path in merged]}


def _check_parts(parts: list[Part], publication, problems: Problems) -> None:
    """The parts are the N parts of one build, each once, each as the split gives it here."""
    first = parts[0]
    same = ("languages", "editions", "options", "booklet_version")
    for part in parts[1:]:
        for key in ("count", *same):
            ours = part.count if key == "count" else part.data[key]
            theirs = first.count if key == "count" else first.data[key]
            if ours != theirs:
                problems.add(f"not from the same build as {first.file}: {key} is {ours!r} "
                             f"there {theirs!r}", str(part.file), key=key)
    if problems.errors:
        return
    seen: dict[int, Path] = {}
    for part in parts:
        if part.index > part.count:
            problems.add(f"part {part.index} of {part.count}: no such part",
                         str(part.file), key="shard")
        elif part.index in seen:
            problems.add(f"part {part.index}/{part.count} given twice: also "
                         f"{seen[part.index]}", str(part.file), key="shard")
        seen.setdefault(part.index, part.file)
    missing = [str(index) for index in range(1, first.count + 1) if index not in seen]
    if missing:
        problems.add(f"part(s) {', '.join(missing)} of {first.count} missing: merge needs "
                     "every part of the build")
    expected = split(publication, first.data["languages"], first.count)
    for part in parts:
        if part.index <= part.count and part.data["own"] != expected[part.index - 1]:
            problems.add(f"part {part.index}/{part.count} holds {part.data['own']} but this "
                         f"project's publication.yaml gives it {expected[part.index - 1]}",
                         str(part.file), key="own")
        wanted = {f"{edition}/{code}" for edition in part.data["editions"]
                  for code in part.data["own"]}
        if set(part.data["groups"]) != wanted:
            problems.add(f"its groups are {sorted(part.data['groups'])}, not {sorted(wanted)}",
                         str(part.file), key="groups")


def _check_inputs(project: ProjectPaths, parts: list[Part], source_language: str,
                  problems: Problems) -> None:
    """Each group was built from this project's inputs, as a build here fingerprints them."""
    hasher = Hasher()
    common = common_inputs(project, hasher)
    for part in parts:
        for key, group in part.data["groups"].items():
            edition, code = key.split("/")
            here = group_fingerprint(project, hasher, edition, code, source_language,
                                     font_stats(group["fonts"]), part.data["options"], common)
            if here != group["tree"]:
                problems.add(f"{key} was built from other inputs than this project's "
                             "(content, theme, booklet's code, libraries or fonts differ): "
                             "build that part again from the same commit",
                             str(part.file), key=f"groups.{key}.tree")


def _check_files(project: ProjectPaths, parts: list[Part],
                 problems: Problems) -> list[tuple[Path, Path]]:
    """Every PDF a part lists, checked; the (source, target) pairs to copy."""
    copies = []
    build = PurePosixPath(project.shown(project.build))
    for part in parts:
        entries = {entry["path"]: entry for entry in part.data["outputs"]}
        for key, group in part.data["groups"].items():
            edition, code = key.split("/")
            for path in group["outputs"]:
                entry = entries.get(path)
                where = f"groups.{key}.outputs"
                if entry is None or (entry["edition"], entry["language"]) != (edition, code):
                    problems.add(f"{path}: no output of {key} is recorded there",
                                 str(part.file), key=where)
                    continue
                pairs = [(path, entry["sha256"], entry["bytes"])]
                if "imposed" in entry:
                    pairs.append((entry["imposed"], None, None))
                for shown, digest, size in pairs:
                    relative = _inside(build, shown)
                    if relative is None:
                        problems.add(f"{shown}: not a path under {build}/", str(part.file),
                                     key=where)
                        continue
                    source = part.folder.joinpath(*relative.parts)
                    problem = _differs(source, digest, size)
                    if problem:
                        problems.add(f"{source}: {problem}", str(part.file), key=where)
                    copies.append((source, project.build.joinpath(*relative.parts)))
    return copies


def _inside(build: PurePosixPath, shown: str) -> PurePosixPath | None:
    """``shown`` (a report path, such as build/print/en/booklet.pdf) relative to build/."""
    path = PurePosixPath(shown)
    if path.is_absolute() or ".." in path.parts or path.parts[:len(build.parts)] != build.parts:
        return None
    relative = path.relative_to(build)
    return relative if relative.parts else None


def _differs(source: Path, digest: str | None, size: int | None) -> str | None:
    """Why ``source`` is not the file its part recorded, if it is not."""
    if source.is_symlink() or not source.is_file():
        return "missing, or not a plain file"
    if size is not None and source.stat().st_size != size:
        return f"{source.stat().st_size} bytes, but its part recorded {size}"
    if digest is not None and file_digest(source) != digest:
        return "not the bytes its part recorded (SHA-256 differs): copied wrongly?"
    return None


def _copy(source: Path, target: Path) -> None:
    write_atomically(target, lambda temporary: shutil.copyfile(source, temporary))


def _adopt(project: ProjectPaths, report: Report, part: Part) -> None:
    """A part's groups, outputs and copyfitting, in place of what the report had for them."""
    entries = {entry["path"]: entry for entry in part.data["outputs"]}
    for key, group in part.data["groups"].items():
        for old in report.groups.get(key, {}).get("outputs", []):
            if old not in group["outputs"]:
                (project.root / old).unlink(missing_ok=True)
                report.outputs.pop(old, None)
        report.groups[key] = group
        for path in group["outputs"]:
            report.outputs[path] = entries[path]
    report.fits.update(part.data["fits"])


def _added_up(builds: list[dict]) -> dict:
    """The parts' ``last_build`` as one: counts and seconds added up, the most jobs."""
    seconds: dict[str, float] = {}
    for last in builds:
        for step, value in last.get("seconds", {}).items():
            seconds[step] = round(seconds.get(step, 0.0) + value, 2)
    return {**{count: sum(last.get(count, 0) for last in builds) for count in COUNTS},
            "jobs": max((last.get("jobs", 1) for last in builds), default=1),
            "seconds": seconds}
