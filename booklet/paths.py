"""Where a booklet project keeps its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> ProjectPaths:
        """The project containing ``start`` (default: the current folder)."""
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / "content" / "publication.yaml").is_file():
                return cls(folder)
        raise BookletError(f"no booklet project here: {start / 'content' / 'publication.yaml'} "
                           "does not exist (use --project to point at one)")

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def import_journal(self) -> Path:
        """The files an import is replacing together (files.replace_together)."""
        return self.build / ".import.journal"

    @property
    def asset_folders(self) -> tuple[Path, ...]:
        """The only folders whose files may end up in a PDF."""
        return (self.figures, self.styles)

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
