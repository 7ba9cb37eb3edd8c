"""What a proof is made of: pages, documents, badges, and the result of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ProjectPaths
from .snapshots import Snapshot


@dataclass(frozen=True)
class Badge:
    kind: str  # "attention", "failure", "warning" or "changed"
    text: str


@dataclass
class ProofPage:
    number: int
    thumb: str  # URLs relative to build/proof/
    large: str
    width: int  # of the thumbnail
    height: int
    status: str = ""  # "", "changed" (differs from the previous proof) or "added"
    diff: str | None = None  # the visual diff image, for a changed page
    before: str | None = None  # the previous thumbnail, for a changed page


@dataclass
class ProofDocument:
    """One built PDF as the proof shows it."""

    entry: dict  # its output entry in build/report.json
    snapshot: Snapshot
    pages: list[ProofPage]
    badges: list[Badge]
    compared: bool  # False when the previous proof did not have this PDF
    removed_pages: int = 0
    previous_sha: str | None = None

    @property
    def path(self) -> str:
        return self.entry["path"]

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def language(self) -> str:
        return self.entry["language"]

    @property
    def edition(self) -> str:
        return self.entry["edition"]

    @property
    def factsheet(self) -> str | None:
        return self.entry.get("factsheet")

    @property
    def changed(self) -> list[ProofPage]:
        return [page for page in self.pages if page.status]

    @property
    def flagged(self) -> bool:
        return bool(self.badges or self.changed or self.removed_pages)


@dataclass
class ProofResult:
    folder: Path
    documents: list[ProofDocument]
    report_warnings: list[str] = field(default_factory=list)
    first: bool = False  # no earlier proof to compare with

    @property
    def rendered(self) -> int:
        return sum(d.snapshot.rendered for d in self.documents)

    @property
    def pages(self) -> int:
        return sum(len(d.pages) for d in self.documents)

    @property
    def changed_pages(self) -> int:
        return sum(len(d.changed) for d in self.documents)

    def summary(self, project: ProjectPaths) -> str:
        reused = len(self.documents) - self.rendered
        changes = ("first proof: nothing to compare with" if self.first else
                   f"{self.changed_pages} page(s) changed since the previous proof")
        return (f"proof: {len(self.documents)} PDF(s), {self.pages} page(s): {self.rendered} "
                f"rendered, {reused} reused from cache; {changes}\n"
                f"open {project.shown(self.folder / 'index.html')}")
