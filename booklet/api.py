"""The Python API: open a project, then check, build, proof or translate it.

    import booklet

    project = booklet.open_project("path/to/project")
    project.check()                                   # a CheckResult, or ContentError
    result = project.build(languages=["fr"], editions=["screen"])
    for output in result.outputs:
        print(output["path"], output["pages"])

The command line (cli.py) is a thin layer over these calls. Every problem the
user can fix raises BookletError (ContentError lists every problem at once);
any other exception is a bug.

Four groups of commands are imported when first used, not with this module,
because their libraries are slow to import and a no-change build must start in
a fraction of a second: proofs and the preview server (pypdfium2, watchfiles),
the exchange with translation tools (translate-toolkit), and releases (zip
archives).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .build.lock import build_lock
from .build.merge import merge as merge_parts
from .build.plan import EDITIONS
from .build.run import build as run_build
from .build.shard import Shard, build_shard
from .check.preflight import Finding
from .check.preflight import preflight as run_preflight
from .check.run import load_and_check
from .content.load import load, load_publication
from .content.model import write_json_schemas
from .content.records import stamp as stamp_language
from .content.starter import Starter
from .content.starter import create as create_project
from .content.states import Cell
from .errors import BookletError, Problem, Problems
from .paths import ProjectPaths
from .translate.review import Change, changes
from .translate.review import review as review_part
from .translate.scaffold import Scaffold
from .translate.scaffold import new_language as add_language
from .translate.status import StatusReport, load_for_status, status_report

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CheckResult:
    """A project that loaded and passed its checks: what was read, and the warnings."""

    files: int  # content files read, publication.yaml included
    languages: list[str]
    warnings: list[Problem]


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the report entry of every output asked for."""

    outputs: list[dict]  # build/report.json entries: path, pages, sha256, preflight, ...
    rendered: list[str]  # the paths laid out this time; the others were up to date
    overruns: list[str] = field(default_factory=list)  # translations over their page budget
    #: What the build noticed about its surroundings: a killed build's lock taken
    #: over, inputs edited while it ran.
    notices: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(output["pages"] for output in self.outputs)


@dataclass(frozen=True)
class MergeResult:
    """The parts of a sharded build, put together: what build/report.json now holds of them."""

    parts: int
    languages: list[str]
    outputs: list[dict]  # build/report.json entries, as after one build of these languages


def _editions(editions: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(editions or EDITIONS)
    unknown = [e for e in chosen if e not in EDITIONS]
    if unknown:
        raise BookletError(f"unknown edition(s) {', '.join(unknown)}: "
                           f"choose from {', '.join(EDITIONS)}")
    return chosen


class Project:
    """A booklet project folder: content/, locales/, templates/, styles/, figures/, build/."""

    def __init__(self, paths: ProjectPaths):
        self.paths = paths

    @property
    def root(self) -> Path:
        return self.paths.root

    def __repr__(self) -> str:
        return f"<booklet project {self.root}>"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project."""
        return self.paths.shown(path)

    # Load, check, build ----------------------------------------------------

    def check(self, languages: Iterable[str] = (), strict: bool = False) -> CheckResult:
        """Load and validate everything, render nothing; raise ContentError on problems."""
        problems = Problems()
        content = load_and_check(self.paths, list(languages), problems, strict=strict)
        files = sum(len(language.sources()) for language in content.languages.values()) + 1
        return CheckResult(files, list(content.languages), problems.warnings)

    def build(self, languages: Iterable[str] = (), editions: Iterable[str] | None = None,
              strict: bool = False, impose: bool = False, force: bool = False,
              jobs: int | None = None, progress: Progress | None = None,
              shard: Shard | None = None) -> BuildResult:
        """Build every output whose inputs changed (``force``: all) into build/.

        With ``shard``, only that part of them (build/shard.py), and its report
        part for ``merge_reports``.
        """
        chosen = _editions(editions)
        if impose and "print" not in chosen:
            raise BookletError("impose needs the print edition")
        options = {"strict": strict, "progress": progress, "editions": chosen,
                   "impose": impose, "force": force, "jobs": jobs}
        result = (build_shard(self.paths, list(languages), shard=shard, **options) if shard
                  else run_build(self.paths, list(languages), **options))
        return BuildResult(result["outputs"], result["rendered"], result["overruns"],
                           result.get("notices", []))

    def merge_reports(self, folders: Iterable[str | Path]) -> MergeResult:
        """Put the parts of a sharded build (their build folders) together in build/."""
        merged = merge_parts(self.paths, [Path(folder) for folder in folders])
        return MergeResult(merged["parts"], merged["languages"], merged["outputs"])

    def release(self, languages: Iterable[str] = (), editions: Iterable[str] | None = None,
                allow_drafts: bool = False, progress: Progress | None = None) -> list[Path]:
        """Build what changed, then write a zip and a manifest per language and edition."""
        chosen = _editions(editions)
        self.build(languages, chosen, progress=progress)
        problems = Problems()
        publication = load_publication(self.paths, problems)
        problems.raise_if_errors()
        codes = list(languages) or publication.languages
        from .build.release import release  # zipfile: see the module docstring

        return release(self.paths, publication, chosen, codes, allow_drafts)

    def write_schemas(self) -> list[Path]:
        """Write the JSON Schemas of the content files into schema/."""
        return write_json_schemas(self.root / "schema")

    # Translations ----------------------------------------------------------

    def status(self, languages: Iterable[str] = ()) -> StatusReport:
        """Where each language stands, part by part, with page budgets from the last build."""
        return status_report(self.paths, list(languages))

    def stamp(self, language: str) -> list[str]:
        """Record a language's new translated files as drafts; return the files stamped."""
        content = load_and_check(self.paths, [language], Problems())
        if language == content.publication.source_language:
            raise BookletError(f"{language!r} is the source language: it has nothing to record")
        return stamp_language(content, language)

    def diff(self, language: str, part: str) -> list[Change]:
        """How the source of each stale text of ``part`` changed since it was translated."""
        content, wanted = load_for_status(self.paths, [language])
        return changes(content, wanted, language, part)

    def review(self, language: str, part: str, reviewer: str) -> Cell:
        """Sign ``part`` of ``language`` off; refused while it is stale, missing or a fallback."""
        content, wanted = load_for_status(self.paths, [language])
        return review_part(content, wanted, language, part, reviewer)

    def new_language(self, code: str, series: Iterable[str] = ()) -> Scaffold:
        """Add a language to the publication and lay out its files for translation."""
        problems = Problems()
        content = load(self.paths, problems, [])
        problems.raise_if_errors()
        publication = content.publication
        source = content.languages[publication.source_language]
        folder = self.paths.content / publication.source_language
        files = {str(s.path.relative_to(folder)): s for s in source.sources()}
        return add_language(self.paths, publication, files, code,
                            list(series) or [s.id for s in publication.series])

    def export(self, language: str, file_format: str = "xliff", everything: bool = False,
               output: Path | None = None):
        """Write a language's missing and stale texts (or all) as XLIFF or PO; an Export."""
        from .translate.export import export  # translate-toolkit: see the module docstring

        return export(self.paths, language, file_format, everything, output)

    def import_file(self, path: Path, language: str | None = None, dry_run: bool = False):
        """Check a translated XLIFF or PO file and merge it, all or nothing; a Merge."""
        from .translate.merge import merge  # translate-toolkit: see the module docstring

        # Under the build lock: no build reads the files half-way, and if an import
        # is killed, the next holder of the lock completes it.
        with build_lock(self.paths, "import"):
            return merge(self.paths, Path(path), language, dry_run)

    # Proofs ----------------------------------------------------------------

    def proof(self, languages: Iterable[str] = (), progress: Progress | None = None):
        """Write build/proof/: every built page as an image, flags and changes; a ProofResult."""
        from .proof.run import proof  # pypdfium2: see the module docstring

        return proof(self.paths, list(languages), progress=progress)

    def serve(self, languages: Iterable[str] = (), editions: Iterable[str] | None = None,
              port: int = 8000, say: Progress = print) -> None:
        """Preview the proof on 127.0.0.1; build and proof again whenever the inputs change."""
        from .proof.serve import serve  # watchfiles and pypdfium2: see the module docstring

        serve(self.paths, list(languages), _editions(editions), port, say=say)


def init_project(path: str | Path, starter: Starter) -> tuple[Project, list[Path]]:
    """Make a new project in folder ``path``; the project and the files written.

    It is checked as a build would check it, so what init writes always builds.
    """
    written = create_project(Path(path), starter)
    project = Project(ProjectPaths(Path(path).resolve()))
    project.check(strict=starter.language == "en")
    return project, written


def open_project(path: str | Path | None = None) -> Project:
    """The project in folder ``path``, or else the one containing the current folder."""
    paths = ProjectPaths(Path(path).resolve()) if path else ProjectPaths.find()
    return Project(paths)


def preflight(path: str | Path, edition: str | None = None) -> tuple[str, list[Finding]]:
    """Check one PDF as its edition (default: told by the file); the edition and findings."""
    return run_preflight(path, edition)
