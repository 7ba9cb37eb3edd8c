"""Inputs: what each output is made from, fingerprinted, so a build renders only what changed.

Two levels, both cheap to compare:

- a *group* (one language in one edition) has a fingerprint of every file
  that can change its outputs: its own content files and the source
  language's (fallbacks), the names of every language's content files (the
  availability statement), its catalogue, templates, styles and figures (the
  project's over the theme's), the fonts it uses, the package's code and the
  options. When it matches the recorded one, the group is up to date without
  loading anything.
- an *output* has a fingerprint of its rendered HTML with its edition and
  assets: when a group's files changed, only the outputs whose HTML changed
  are laid out again.

Hashing never imports WeasyPrint: a no-change build stays well under a second.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..content.load import is_untranslated
from ..files import UnreadableFile, read_regular
from ..paths import THEME, ProjectPaths
from ..version import __version__

#: The package itself: every module of it is an input of every output.
PACKAGE = Path(__file__).resolve().parents[1]
#: The libraries whose versions change what a PDF looks like.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "fonttools")
#: No input (content, style, figure, template, code) is anywhere near this large.
MAX_INPUT_BYTES = 50_000_000


class Hasher:
    """File digests, each file read once per build."""

    def __init__(self):
        self._digests: dict[Path, str] = {}

    def file(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = _digest_of(path)
        return self._digests[path]

    def changed(self) -> list[Path]:
        """The files read so far whose content is no longer what was read."""
        return [path for path, digest in self._digests.items()
                if _digest_of(path) != digest]

    def tree(self, folder: Path, pattern: str = "*") -> dict[str, str]:
        if not folder.is_dir():
            return {}
        return {str(path.relative_to(folder)): self.file(path)
                for path in sorted(folder.rglob(pattern))
                if path.is_file() and not path.name.startswith(".")
                and not path.name.endswith((".bak", ".pyc"))}


def _digest_of(path: Path) -> str:
    """A file's SHA-256, or why it has none: never follows it out of the ordinary."""
    try:
        return hashlib.sha256(read_regular(path, MAX_INPUT_BYTES)).hexdigest()
    except FileNotFoundError:
        return "absent"
    except (OSError, UnreadableFile):  # the loader reports it, naming the file
        return "unreadable"


def library_versions() -> dict[str, str | None]:
    versions = {}
    for name in RENDERING_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def code_fingerprint(hasher: Hasher) -> dict:
    """The package's own code and the rendering libraries' versions."""
    return {"booklet": __version__, "code": hasher.tree(PACKAGE, "*.py"),
            "libraries": library_versions()}


def font_stats(paths: list[str]) -> dict[str, str]:
    """Size and modification time of each font file: a changed font is a changed input."""
    stats = {}
    for name in sorted(set(paths)):
        try:
            info = Path(name).stat()
            stats[name] = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stats[name] = "absent"
    return stats


def content_names(project: ProjectPaths) -> list[str]:
    """Every language's content file names, and which are untranslated scaffolds.

    A booklet's back page says which languages have which series, so it depends
    on which files exist in every language, though not on what they say.
    """
    names = []
    for path in sorted(project.content.glob("*/**/*.yaml")):
        flag = " (untranslated)" if is_untranslated(path) else ""
        names.append(project.shown(path) + flag)
    return names


def group_fingerprint(project: ProjectPaths, hasher: Hasher, edition: str, code: str,
                      source_code: str, fonts: dict[str, str], options: dict,
                      common: dict) -> str:
    """Everything that can change the outputs of one language in one edition."""
    inputs = {
        "edition": edition,
        "language": code,
        "options": options,
        "common": common,
        "fonts": fonts,
        "own": hasher.tree(project.content / code, "*.yaml"),
        "source": hasher.tree(project.content / source_code, "*.yaml"),
        "catalogue": hasher.tree(project.locales / code),
        "template_catalogue": hasher.file(project.locales / "messages.pot"),
    }
    return _digest(inputs)


def common_inputs(project: ProjectPaths, hasher: Hasher) -> dict:
    """What every group shares: code, templates, styles, figures, the file names."""
    return {
        "code": code_fingerprint(hasher),
        "publication": hasher.file(project.content / "publication.yaml"),
        "templates": themed_tree(project, hasher, "templates"),
        "styles": themed_tree(project, hasher, "styles"),
        "figures": themed_tree(project, hasher, "figures"),
        # The theme's fonts.yaml; the build puts the publication's fonts over it.
        "typefaces": hasher.file(THEME / "fonts.yaml"),
        "content_names": content_names(project),
    }


def themed_tree(project: ProjectPaths, hasher: Hasher, folder: str) -> dict[str, str]:
    """The files a build uses from one of the theme's folders: each name's digest, the
    project's file where it overrides the theme's. Also the project's own files of
    that folder, such as the figures its content shows."""
    files = hasher.tree(THEME / folder)
    files.update(hasher.tree(project.root / folder))
    return files


#: What the layout draws on besides the HTML (templates and content are in the HTML).
LAYOUT_INPUTS = ("code", "styles", "figures", "typefaces")


def output_fingerprint(html: str, edition: str, common: dict, fonts: dict) -> str:
    """One output: its HTML, and what the layout draws on besides it."""
    layout = {key: common[key] for key in LAYOUT_INPUTS}
    return _digest({"html": hashlib.sha256(html.encode("utf-8")).hexdigest(),
                    "edition": edition, "layout": layout, "fonts": fonts})


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
