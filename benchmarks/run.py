"""Benchmark: how long building the real content takes, measured side by side in one run.

    .venv/bin/python benchmarks/run.py [--lang CODE ...] [--jobs N] [--skip PART ...]
    .venv/bin/python benchmarks/run.py --scaling [--lang CODE ...] [--edition E] [--jobs N]
    .venv/bin/python benchmarks/run.py --against REV [--rounds N] [--jobs N]

Works on temporary copies of the project, and prints, in one run:

- the naive cost: every output laid out and written on its own, one after
  another, with a plain WeasyPrint call (fresh fonts and stylesheets each time);
- the full build with the project's defaults (all cores, shared stylesheets);
- their ratio;
- the no-change rebuild, wall time including interpreter start (best of 3);
- the time and number of documents after changing one translated factsheet;
- the peak memory of the largest process (a worker);
- where the full build's time goes: load, check and HTML; copyfitting; layout;
  writing; preflight;
- the live preview: seconds from saving an edit to the browser showing it, with
  `booklet serve`'s defaults, in English and Thai (benchmarks/preview.py);
- how time and memory grow with the publication, built at 1, 2 and 5 times its
  size (benchmarks/scaling.py).

--skip preview and --skip scaling leave those parts out (together they take
about as long as the rest). --scaling measures only the growth; --against
compares a full build of this checkout with one of an earlier revision, side
by side (benchmarks/against.py).

Timings vary with the machine's load: compare the figures of one run with each
other, not with another run's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The project's own parts (templates and styles, if it has any, override the theme's).
PARTS = ("content", "templates", "styles", "figures", "locales")
TRANSLATED_FACTSHEET = ("content/fr/manifestations/sexting.yaml",
                        "C’est une pratique fréquente", "C’est une pratique très répandue")


def copy_project(target: Path) -> Path:
    for part in PARTS:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, target / part)
    return target


def booklet(project: Path, *args: str) -> tuple[float, str]:
    """Run the booklet command as a user would; return its wall time and output."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "booklet", *args, "--project", str(project)],
                            capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"booklet {' '.join(args)} failed:\n{result.stderr}")
    return seconds, result.stdout + result.stderr


def documents(project: Path, languages: list[str]):
    """Every output's HTML, as the build makes it; and how long that took."""
    from booklet.build.plan import EDITIONS, plan, render_html, renderer_for
    from booklet.check.run import load_and_check
    from booklet.errors import Problems
    from booklet.paths import ProjectPaths
    from booklet.render.palette import load as load_palette

    start = time.perf_counter()
    content = load_and_check(ProjectPaths(project), languages, Problems())
    checked = time.perf_counter()
    result = []
    for edition in EDITIONS:
        palette = load_palette(ProjectPaths(project), edition)
        for code in languages or content.publication.languages:
            renderer = renderer_for(ProjectPaths(project), content, code, palette)
            for output in plan(content, [code], edition):
                result.append((edition, palette, output, render_html(renderer, output)))
    return result, checked - start, time.perf_counter() - checked


def naive(project: Path, docs, target: Path) -> float:
    """Each output on its own: a new renderer (fonts, stylesheets) and one write_pdf call."""
    from weasyprint import HTML

    from booklet.content.load import load_publication
    from booklet.errors import Problems
    from booklet.paths import ProjectPaths
    from booklet.render import fonts
    from booklet.render.pdf import EDITION_OPTIONS, PdfRenderer

    publication = load_publication(ProjectPaths(project), Problems())
    typefaces = fonts.stylesheet(publication.typefaces, publication.languages)
    start = time.perf_counter()
    for number, (edition, palette, _output, html) in enumerate(docs):
        renderer = PdfRenderer(ProjectPaths(project), edition, palette, typefaces)
        HTML(string=html, url_fetcher=renderer.fetcher).write_pdf(
            target / f"{number}.pdf", stylesheets=renderer.stylesheets,
            font_config=renderer.fonts, color_profiles=renderer.color_profiles,
            **EDITION_OPTIONS[edition])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", default=[], help="only this language")
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--scaling", action="store_true",
                        help="how time and memory grow with the work, at 1, 2 and 5 times it")
    parser.add_argument("--edition", choices=["print", "screen", "all"],
                        help="with --scaling: the edition of the unit (default: screen)")
    parser.add_argument("--against", metavar="REV",
                        help="compare full builds with those of an earlier revision")
    parser.add_argument("--skip", action="append", default=[], choices=["preview", "scaling"],
                        help="leave this part out")
    parser.add_argument("--rounds", type=int, default=2,
                        help="with --against: builds of each revision (default: 2)")
    args = parser.parse_args()
    if args.against:
        from against import against  # beside this file

        against(ROOT, args.against, args.rounds, args.jobs)
        return
    if args.scaling:
        from scaling import scaling  # beside this file

        print("\n".join(scaling(ROOT, copy_project, args.lang, args.edition, args.jobs)))
        return
    languages = args.lang
    selection = [a for code in languages for a in ("--lang", code)]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []

    with tempfile.TemporaryDirectory(prefix="booklet-bench-") as folder:
        project = copy_project(Path(folder) / "project")
        from booklet.paths import ProjectPaths
        from booklet.render.palette import profile_path

        if not profile_path(ProjectPaths(project)).is_file():
            sys.exit("the CMYK profile is missing: run ./setup.sh first")

        print(f"booklet benchmark: {os.cpu_count()} core(s), "
              f"languages: {', '.join(languages) or 'all'}, both editions", flush=True)
        docs, load_check, html = documents(project, languages)
        scratch = Path(folder) / "naive"
        scratch.mkdir()
        naive_seconds = naive(project, docs, scratch)
        print(f"naive: {len(docs)} outputs one by one: {naive_seconds:.1f} s", flush=True)

        full_seconds, _ = booklet(project, "build", "--quiet", *selection, *jobs)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        report = json.loads((project / "build" / "report.json").read_text("utf-8"))
        last = report["last_build"]
        print(f"full build: {full_seconds:.1f} s", flush=True)

        rebuilds = [booklet(project, "build", "--quiet", *selection)[0] for _ in range(3)]
        path, old, new = TRANSLATED_FACTSHEET
        one_file = None
        if not languages or "fr" in languages:
            factsheet = project / path
            factsheet.write_text(factsheet.read_text("utf-8").replace(old, new, 1), "utf-8")
            one_seconds, _ = booklet(project, "build", "--quiet", *selection, *jobs)
            after = json.loads((project / "build" / "report.json")
                               .read_text("utf-8"))["last_build"]
            one_file = (one_seconds, after["rendered"], after["layouts"])

    seconds = last["seconds"]
    rows = [
        ("naive cost (one by one, plain WeasyPrint)", f"{naive_seconds:8.1f} s"),
        (f"full build (--jobs {last['jobs']}; {last['rendered']} PDFs from "
         f"{last['layouts']} layouts)", f"{full_seconds:8.1f} s"),
        ("  ratio naive / full build", f"{naive_seconds / full_seconds:8.1f} ×"),
        ("no-change rebuild (best of 3, wall)", f"{min(rebuilds):8.2f} s"),
    ]
    if one_file:
        rows += [(f"one French factsheet changed ({one_file[1]} PDFs, {one_file[2]} layouts)",
                  f"{one_file[0]:8.1f} s"),
                 ("  ratio full build / one-factsheet update",
                  f"{full_seconds / one_file[0]:8.1f} ×")]
    rows += [
        ("peak memory of one process (a worker)", f"{peak:8.0f} MiB"),
        ("full build, where the time goes:", ""),
        ("  load and check (one process)", f"{load_check:8.1f} s"),
        ("  HTML for every output (one process)", f"{html:8.1f} s"),
        (f"  copyfitting ({last.get('fit_layouts', 0)} factsheet layouts, and the screen "
         "booklets; summed)", f"{seconds.get('fit', 0):8.1f} s"),
        ("  layout (summed over workers)", f"{seconds['layout']:8.1f} s"),
        ("  writing PDFs (summed over workers)", f"{seconds['write']:8.1f} s"),
        ("  preflight (summed over workers)", f"{seconds['preflight']:8.1f} s"),
    ]
    lines = [f"{label:<52}{value}" for label, value in rows]
    if "preview" not in args.skip:
        import preview  # beside this file

        results = preview.measure(list(preview.LANGUAGES))
        lines += ["", "live preview, save to the browser showing it (booklet serve's defaults):"]
        lines += [f"  {line}" for line in preview.summary(results)]
    if "scaling" not in args.skip:
        from scaling import scaling  # beside this file

        table = scaling(ROOT, copy_project, args.lang, args.edition, args.jobs)
        lines += ["", "growth with the publication's size:", *table]
    print()
    print("\n".join(lines))
    print("load average over the last 1, 5, 15 minutes: "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
