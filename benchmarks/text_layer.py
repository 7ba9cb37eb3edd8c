"""Benchmark: how much of the content's text the PDFs' text layer gives back.

    .venv/bin/python benchmarks/text_layer.py [--lang CODE ...] [--build DIR]

Reads the PDFs of the last build (``build/``, or ``--build DIR``: a copy of
another build's folder) and the HTML each was made from, and prints, per
language and edition, the share of the content's text that Poppler's
``pdftotext`` and PDFium extract, for the booklet and for the worst of its
factsheets (tests/extraction.py says how the share is counted).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the measure itself is the tests' own

from extraction import EXTRACTORS, documents, segments, share  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", default=[], help="only this language")
    parser.add_argument("--build", type=Path, default=ROOT / "build",
                        help="the build folder to read (default: build/)")
    args = parser.parse_args()

    results: dict[tuple[str, str], dict[str, list]] = {}
    for edition, code, kind, path, html in documents(ROOT, args.lang):
        pdf = args.build / path
        if not pdf.is_file():
            sys.exit(f"{pdf} is missing: build first")
        content = segments(html)
        row = results.setdefault((edition, code), {"booklet": [], "factsheet": []})
        row[kind].append((path.name, {name: share(content, extract(pdf), code)
                                      for name, extract in EXTRACTORS.items()}))

    print(f"{'edition':8} {'lang':4} | {'booklet':^17} | {'worst factsheet':^17} | worst of")
    print(f"{'':8} {'':4} | {'pdftotext':>8} {'pdfium':>8} | "
          f"{'pdftotext':>8} {'pdfium':>8} |")
    for (edition, code), row in results.items():
        booklet = row["booklet"][0][1]
        worst = {name: min(row["factsheet"], key=lambda item, n=name: item[1][n])
                 for name in EXTRACTORS}
        print(f"{edition:8} {code:4} | "
              + " ".join(f"{100 * booklet[name]:8.2f}" for name in EXTRACTORS) + " | "
              + " ".join(f"{100 * worst[name][1][name]:8.2f}" for name in EXTRACTORS) + " | "
              + ", ".join(sorted({worst[name][0] for name in EXTRACTORS})), flush=True)


if __name__ == "__main__":
    main()
