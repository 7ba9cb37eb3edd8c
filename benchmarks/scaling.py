"""Scaling: how a build's time and memory grow with the publication (benchmarks/run.py --scaling).

The publication is made 1, 2 and 5 times as large from the real content: every
factsheet is copied, in every language that has it, under new ids added to its
series in publication.yaml (``csam-2``, ``csam-3``, …), so each booklet holds its
series that many times over and there are that many times more factsheets. Each
size is built from scratch in a temporary copy of the project, and measured:

- wall time of ``booklet build``;
- CPU seconds of the build and its workers (user + system, from
  ``resource.getrusage(RUSAGE_CHILDREN)``);
- peak memory of the largest process (the build or a worker, from ``os.wait4``);
- outputs, pages and characters written (the text layer of every page),
  layouts, and the no-change rebuild's wall time;
- the machine's load average: wall times (and the steps' times, which are
  wall times in each worker) grow with other processes' load, CPU time does not.

The work is the pages written; each figure is printed with its ratio to the
smallest size, and a figure whose ratio exceeds the pages' (by more than the
margin below) is named as growing faster than the work.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

#: The unit (1×) unless --lang and --edition say otherwise: Latin, Thai and Burmese
#: scripts, the screen edition; 5× of it builds in a few minutes on two cores.
UNIT_LANGUAGES = ("en", "fr", "th", "my")
UNIT_EDITION = "screen"
FACTORS = (1, 2, 5)
#: How much faster than the work a figure may grow before it is named (timings vary).
MARGIN = 1.15


@dataclass
class Size:
    """One size of the publication, built and measured."""

    factor: int
    wall: float
    cpu: float
    peak_mib: float
    outputs: int
    pages: int
    text: int  # characters laid out: in the text layer of every page written
    layouts: int
    fit_layouts: int
    fit: float  # seconds, summed over the workers: copyfitting's layouts (the screen edition's)
    layout: float  # the other layouts
    write: float
    rebuild: float
    load: float  # the machine's load average over the last minute, after the build

    @property
    def laid_out(self) -> float:
        """Every layout's time: copyfitting's (which makes the screen edition) and the others'."""
        return self.fit + self.layout


def enlarge(project: Path, factor: int) -> int:
    """Copy every factsheet ``factor - 1`` times under new ids; return how many factsheets."""
    yaml = YAML()  # round trip: publication.yaml keeps its comments and order
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    publication_file = project / "content" / "publication.yaml"
    publication = yaml.load(publication_file)
    languages = [path for path in sorted((project / "content").iterdir()) if path.is_dir()]
    count = 0
    for series in publication["series"]:
        originals = list(series["factsheets"])
        for copy in range(2, factor + 1):
            for sheet in originals:
                new_id = f"{sheet['id']}-{copy}"
                entry = CommentedMap(id=new_id, slug=f"{sheet['slug']}-{copy}")
                entry.fa.set_flow_style()  # one line, as the others
                series["factsheets"].append(entry)
                for language in languages:
                    source = language / series["id"] / f"{sheet['id']}.yaml"
                    if source.is_file():
                        (source.parent / f"{new_id}.yaml").write_bytes(source.read_bytes())
        count += len(series["factsheets"])
    with publication_file.open("w", encoding="utf-8") as handle:
        yaml.dump(publication, handle)
    return count


def _run_build(root: Path, project: Path, arguments: list[str]) -> tuple[float, float, float]:
    """One ``booklet build`` in a child process: wall and CPU seconds, peak MiB of a process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "booklet", "build", "--quiet",
                              "--project", str(project), *arguments], cwd=root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    child.stderr.close()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"booklet build {' '.join(arguments)} failed:\n{stderr.decode()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, usage.ru_maxrss / 1024  # the largest of the child and its workers


def characters(pdf: Path) -> int:
    """The characters of a PDF's text layer: how much text was laid out, page by page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    count = 0
    for page in document:
        text = page.get_textpage()
        count += text.count_chars()
        text.close()
        page.close()
    document.close()
    return count


def measure(root: Path, copy_project, factor: int, arguments: list[str]) -> Size:
    with tempfile.TemporaryDirectory(prefix=f"booklet-scale-{factor}-") as folder:
        project = copy_project(Path(folder) / "project")
        enlarge(project, factor)
        wall, cpu, peak = _run_build(root, project, arguments)
        load = os.getloadavg()[0]
        rebuild = _run_build(root, project, arguments)[0]
        report = json.loads((project / "build" / "report.json").read_text("utf-8"))
        text = sum(characters(project / output["path"]) for output in report["outputs"])
    last = report["last_build"]
    return Size(factor, wall, cpu, peak, len(report["outputs"]),
                sum(output["pages"] for output in report["outputs"]), text,
                last["layouts"], last.get("fit_layouts", 0), last["seconds"].get("fit", 0.0),
                last["seconds"]["layout"], last["seconds"]["write"], rebuild, load)


def report(sizes: list[Size]) -> list[str]:
    """The table of figures and their ratios to the smallest size, then what grows faster."""
    base = sizes[0]
    figures = [("wall time", "wall", "{:.1f} s"), ("CPU time (build + workers)", "cpu", "{:.1f} s"),
               ("peak memory of one process", "peak_mib", "{:.0f} MiB"),
               ("outputs", "outputs", "{}"), ("pages (the work)", "pages", "{}"),
               ("characters laid out", "text", "{}"),
               ("layouts (+ copyfitting layouts)", "layouts", "{}"),
               ("  copyfitting, summed over workers", "fit", "{:.1f} s"),
               ("  other layouts, summed", "layout", "{:.1f} s"),
               ("  writing PDFs, summed", "write", "{:.1f} s"),
               ("no-change rebuild (wall)", "rebuild", "{:.2f} s"),
               ("load average after the build", "load", "{:.1f}")]
    lines = [f"{'':<34}" + "".join(f"{f'{s.factor}×':>22}" for s in sizes)]
    for label, name, shape in figures:
        cells = []
        for size in sizes:
            value = getattr(size, name)
            shown = shape.format(value)
            if name == "layouts":
                shown = f"{value} + {size.fit_layouts}"
            ratio = value / getattr(base, name) if getattr(base, name) else 0
            cells.append(shown if name == "load" else f"{shown} ({ratio:.2f}×)")
        lines.append(f"{label:<34}" + "".join(f"{cell:>22}" for cell in cells))
    lines.append("")
    faster = []
    for size in sizes[1:]:
        work, text = size.pages / base.pages, size.text / base.text
        for label, name in (("wall time", "wall"), ("CPU time", "cpu"),
                            ("layout, copyfitting's included", "laid_out"), ("writing", "write"),
                            ("peak memory", "peak_mib"), ("no-change rebuild", "rebuild")):
            ratio = getattr(size, name) / getattr(base, name)
            if ratio > work * MARGIN:
                # The pages added are factsheets, fuller than the cover and front matter.
                than_text = "and" if ratio > text * MARGIN else "but not than"
                faster.append(f"{label} at {size.factor}×: {ratio:.2f}× for {work:.2f}× the "
                              f"pages ({than_text} the text, {text:.2f}×)")
    lines.append("grows faster than the work: " + ("; ".join(faster) if faster else
                                                     f"nothing (margin {MARGIN:.2f}×)"))
    return lines


def scaling(root: Path, copy_project, languages: list[str], edition: str | None,
            jobs: int | None) -> list[str]:
    """Build the publication at each size, saying when each is done; return the table."""
    languages = languages or list(UNIT_LANGUAGES)
    edition = edition or UNIT_EDITION
    arguments = [a for code in languages for a in ("--lang", code)] + ["--edition", edition]
    arguments += ["--jobs", str(jobs)] if jobs else []
    print(f"booklet scaling: {os.cpu_count()} core(s); the unit (1×) is languages "
          f"{', '.join(languages)}, {edition} edition; 2× and 5× copy every factsheet "
          "under new ids", flush=True)
    sizes = []
    for factor in FACTORS:
        sizes.append(measure(root, copy_project, factor, arguments))
        print(f"  {factor}×: built in {sizes[-1].wall:.1f} s", flush=True)
    return report(sizes)
