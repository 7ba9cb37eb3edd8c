"""Where a booklet project keeps its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError

#: The default theme: templates, styles and the figures they draw on. A project
#: overrides any of its files with a file of the same name in its own folders.
THEME = Path(__file__).resolve().parent / "theme"
#: The theme's folders a project can override, by name.
THEME_FOLDERS = ("templates", "styles", "figures")


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
        """The only folders whose files may end up in a PDF: the project's, then the theme's."""
        return (self.figures, self.styles, THEME / "figures", THEME / "styles")

    @property
    def template_folders(self) -> tuple[Path, Path]:
        """Where templates are looked up, first match wins: the project's, then the theme's."""
        return (self.templates, THEME / "templates")

    def themed(self, folder: str, name: str | Path) -> Path:
        """The file a build uses for ``folder/name``: the project's if it has one, else
        the theme's (which may not exist either: the caller says what is missing)."""
        own = self.root / folder / name
        return own if own.is_file() else THEME / folder / name

    def layered(self, path: Path) -> Path:
        """The file served for ``path``, as if the project's folders lay over the theme's.

        A theme file gives way to the project's file of the same name; a file
        missing from the project's styles/ or figures/ is looked for in the theme
        (a project's own stylesheet can use the theme's map or print profile).
        """
        root = self.root.resolve()
        if path.is_relative_to(THEME):
            inside = path.relative_to(THEME)
            other = root / inside
        elif path.is_relative_to(root) and not path.exists():
            inside = path.relative_to(root)
            other = THEME / inside
        else:
            return path
        overridable = inside.parts[:1] and inside.parts[0] in THEME_FOLDERS
        return other if overridable and other.is_file() else path

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
