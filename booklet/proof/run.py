"""Proof: every built page as an image, with its warnings and what changed.

Reads build/report.json, renders each PDF's pages (or takes them from the cache,
keyed by the PDF's fingerprint), compares each page with the previous proof
(build/proof/pages.json), and writes a static site into build/proof/ that opens
from disk. Every file is written atomically, pages.json after the site, and the
cache is pruned last: an interrupted proof leaves the previous one whole.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import filelock

from ..content.yamlfile import load_yaml
from ..errors import BookletError, Problems
from ..files import remove_temporary_files, write_atomically
from ..paths import ProjectPaths
from ..version import __version__
from .model import Badge, ProofDocument, ProofPage, ProofResult
from .site import write_site
from .snapshots import THUMB_WIDTH, Snapshot, diff_image, large_name, snapshot, thumb_name

PAGES_FILE = "pages.json"
EDITION_ORDER = ("print", "screen")
DIFFS = "diffs"
#: Warnings shown in full on a document; the rest are counted.
MAX_BADGES = 12


def proof(project: ProjectPaths, languages: list[str] | None = None,
          editions: tuple[str, ...] | None = None,
          progress: Callable[[str], None] | None = None,
          provisional: bool = False) -> ProofResult:
    """Write build/proof/ for the built outputs of the given languages and editions.

    A ``provisional`` proof (the preview's first look at an edit) only writes the
    site: it draws no diff images, and leaves pages.json and the cache as the
    last complete proof left them, so that the next proof compares with that one.
    """
    report = read_report(project)
    folder = project.build / "proof"

    def selected(entry: dict) -> bool:
        return ((not languages or entry.get("language") in languages) and
                (not editions or entry.get("edition") in editions))

    entries = _in_order(project, [e for e in _outputs(project, report) if selected(e)])
    if not entries:
        raise BookletError("nothing to proof: build/report.json lists no built PDF "
                           "of the languages and editions asked for")
    with _proof_lock(folder):
        previous = _read_pages(folder)
        cache = folder / "cache"
        documents = []
        for number, entry in enumerate(entries, 1):
            shot = snapshot(project.root / entry["path"], cache)
            if progress:
                done = "rendered" if shot.rendered else "from cache"
                progress(f"[{number}/{len(entries)}] {entry['path']}: "
                         f"{len(shot.pages)} page(s) {done}")
            documents.append(_document(entry, shot, previous.get(entry["path"]), cache,
                                       diffs=not provisional))
        result = ProofResult(folder, documents, [str(w) for w in report.get("warnings", [])],
                             first=not previous)
        write_site(project, result)
        if provisional:
            return result
        kept = {path: earlier for path, earlier in previous.items()
                if not selected(earlier) and (project.root / path).is_file()}
        _write_pages(folder, kept, documents)
        _prune(cache, kept, documents)
    return result


def read_report(project: ProjectPaths) -> dict:
    path = project.build / "report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BookletError("nothing built yet: run booklet build first "
                           f"({project.shown(path)} does not exist)") from None
    except (OSError, ValueError) as error:
        raise BookletError(f"{project.shown(path)}: cannot be read: {error}") from None
    if not isinstance(report, dict) or not isinstance(report.get("outputs"), list):
        raise BookletError(f"{project.shown(path)}: no list of outputs: "
                           "run booklet build again")
    return report


def _outputs(project: ProjectPaths, report: dict) -> list[dict]:
    """The report's outputs whose PDF is there, inside build/ (the report is not trusted)."""
    build = project.build.resolve()
    found = []
    for entry in report["outputs"]:
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(key), str) for key in ("path", "language", "edition")):
            continue
        path = (project.root / entry["path"]).resolve()
        if path.is_relative_to(build) and path.is_file():
            found.append(entry)
    return found


def _in_order(project: ProjectPaths, entries: list[dict]) -> list[dict]:
    """Editions, then languages in the publication's order (the report keeps build order)."""
    data = load_yaml(project.content / "publication.yaml", "content/publication.yaml",
                     Problems())
    listed = data.get("languages") if isinstance(data, dict) else None
    languages = [str(code) for code in listed] if isinstance(listed, list) else []

    def rank(order: list[str] | tuple[str, ...], value: str) -> int:
        return order.index(value) if value in order else len(order)

    return sorted(entries, key=lambda e: (rank(EDITION_ORDER, e["edition"]),
                                          rank(languages, e["language"])))


def _document(entry: dict, shot: Snapshot, earlier: dict | None, cache: Path,
              diffs: bool = True) -> ProofDocument:
    folder = f"cache/{shot.sha256}"
    pages = [ProofPage(p.number, f"{folder}/{thumb_name(p.number)}",
                       f"{folder}/{large_name(p.number)}", *_thumb_size(p.width, p.height))
             for p in shot.pages]
    document = ProofDocument(entry, shot, pages, _badges(entry), compared=earlier is not None)
    if earlier is None or earlier.get("sha256") == shot.sha256:
        return document
    before = [str(h) for h in earlier.get("pages", [])]
    old_sha = str(earlier.get("sha256", ""))
    document.previous_sha = old_sha
    document.removed_pages = max(0, len(before) - len(pages))
    for page, image in zip(pages, shot.pages, strict=True):
        if page.number > len(before):
            page.status = "added"
        elif before[page.number - 1] != image.hash:
            page.status = "changed"
            if diffs:
                page.diff = _diff(cache, old_sha, before[page.number - 1], shot,
                                  image.number, image.hash)
            if (cache / old_sha / thumb_name(page.number)).is_file():
                page.before = f"cache/{old_sha}/{thumb_name(page.number)}"
    if document.changed or document.removed_pages:
        text = f"{len(document.changed)} page(s) changed"
        if document.removed_pages:
            text += f", {document.removed_pages} removed"
        document.badges.insert(0, Badge("changed", text))
    return document


def _diff(cache: Path, old_sha: str, old_hash: str, shot: Snapshot, number: int,
          new_hash: str) -> str | None:
    """The diff image of one page against the previous proof, made once per pair of pages."""
    old = cache / old_sha / large_name(number)
    if not old.is_file():  # the previous images are gone: the page is still marked
        return None
    name = f"{old_hash[:24]}-{new_hash[:24]}.png"
    target = cache / DIFFS / name
    if not target.is_file():
        diff_image(old, shot.folder(cache) / large_name(number), target)
    return f"cache/{DIFFS}/{name}"


def _thumb_size(width: int, height: int) -> tuple[int, int]:
    return THUMB_WIDTH, round(height * THUMB_WIDTH / width)


def _badges(entry: dict) -> list[Badge]:
    """What the report says needs a look: attention items, preflight failures, warnings."""
    badges = [Badge("attention", str(item)) for item in _list(entry.get("attention"))]
    preflight = entry.get("preflight")
    if isinstance(preflight, dict) and not preflight.get("ok", True):
        failed = [c for c in _list(preflight.get("checks"))
                  if isinstance(c, dict) and not c.get("ok", True)]
        badges += [Badge("failure", f"preflight: {c.get('check', '?')}: {c.get('message', '')}")
                   for c in failed] or [Badge("failure", "preflight failed")]
    warnings = [str(w) for w in _list(entry.get("warnings"))]
    badges += [Badge("warning", w) for w in warnings[:MAX_BADGES]]
    if len(warnings) > MAX_BADGES:
        badges.append(Badge("warning", f"… and {len(warnings) - MAX_BADGES} more warning(s) "
                                       "in build/report.json"))
    return badges


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _read_pages(folder: Path) -> dict[str, dict]:
    """The previous proof's pages: PDF path → its fingerprint and page hashes."""
    try:
        outputs = json.loads((folder / PAGES_FILE).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {path: entry for path, entry in outputs.items() if isinstance(entry, dict)} \
        if isinstance(outputs, dict) else {}


def _write_pages(folder: Path, kept: dict[str, dict], documents: list[ProofDocument]) -> None:
    outputs = dict(kept)
    for document in documents:
        outputs[document.path] = {"language": document.language, "edition": document.edition,
                                  "sha256": document.snapshot.sha256,
                                  "pages": [p.hash for p in document.snapshot.pages]}
    text = json.dumps({"booklet_version": __version__, "outputs": outputs}, indent=1) + "\n"
    write_atomically(folder / PAGES_FILE,
                     lambda target: Path(target).write_text(text, encoding="utf-8"))


def _prune(cache: Path, kept: dict[str, dict], documents: list[ProofDocument]) -> None:
    """Remove cached images no page of this proof (or of the one before, for changes) shows."""
    import shutil

    wanted = {str(e.get("sha256")) for e in kept.values()}
    wanted |= {d.snapshot.sha256 for d in documents}
    wanted |= {d.previous_sha for d in documents if d.changed and d.previous_sha}
    diffs = {Path(p.diff).name for d in documents for p in d.pages if p.diff}
    for child in cache.iterdir() if cache.is_dir() else ():
        if child.name == DIFFS and child.is_dir():
            for image in child.iterdir():
                if image.name not in diffs:
                    image.unlink(missing_ok=True)
        elif child.is_dir() and child.name not in wanted:
            shutil.rmtree(child, ignore_errors=True)


@contextlib.contextmanager
def _proof_lock(folder: Path):
    """One proof at a time per project; then stale temporary files can go."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(folder / ".lock", timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise BookletError("another proof is running in this project; "
                           "wait for it to finish") from None
    try:
        remove_temporary_files(folder)
        yield
    finally:
        lock.release()
