"""Benchmark: how soon `booklet serve` shows an edit, measured from outside with a real browser.

    .venv/bin/python benchmarks/preview.py [--lang CODE ...] [--edits N] [--code FOLDER]
                                           [--serve-lang CODE ...] [--serve-edition EDITION]

Starts `booklet serve` with its defaults (every language, both editions;
--serve-lang and --serve-edition narrow it) on a temporary copy of the project
and opens, in headless Chromium (Playwright), the proof's page that shows the
sexting factsheet side by side in every language, as a writer working on it
would. Once the first proof is shown, for each language of --lang (en and th
unless told), it writes a new word at the end of the factsheet's second
paragraph --edits times, and times from the save until the open page has
reloaded by itself and shows the factsheet's first page from a new PDF. The
PDF the server then serves must contain the new word (pdftotext), or the
figure is not counted. Before each edit it waits until the server has finished
the previous one, as a writer who looks at the page before typing again.

--code runs another checkout's code (its root goes first on PYTHONPATH): run
it against the main branch for the figures before a change.
Prints each edit's time, then the median and the maximum per language.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import ROOT, copy_project

from booklet.content import yamledit

SHEET = "manifestations/sexting.yaml"
SHEET_PDF = "build/{edition}/{code}/factsheets/manifestations-3-sexting.pdf"
SIDE_BY_SIDE = "side-by-side/sexting-{edition}.html"
#: The paragraph the new words go at the end of: on the factsheet's first page.
PARAGRAPH = "blocks[0].definitions[0].blocks[1].paragraph"
#: A new word for each edit: going back to an earlier text would find it cached.
WORDS = {
    "en": ["quokka", "zither", "yodel", "gecko", "walrus", "banjo", "fjord", "tofu"],
    "th": ["แมวน้ำ", "กาแฟ", "ภูเขาไฟ", "ดอกบัว", "จักรยาน", "นาฬิกา", "ผีเสื้อ", "ร่มเงา"],
    "my": ["ကြောင်", "ကော်ဖီ", "တောင်", "ပန်း", "စက်ဘီး", "နာရီ", "လိပ်ပြာ", "ထီး"],
}
#: The languages edited unless told: a Latin script and a complex one.
LANGUAGES = ("en", "th")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIRST_PROOF_SECONDS = 3600
EDIT_SECONDS = 900


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(project: Path, code: Path, port: int, options: list[str],
                 log: Path) -> subprocess.Popen:
    path = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "booklet", "serve", "--project", str(project),
             "--port", str(port), *options],
            stdout=out, stderr=subprocess.STDOUT, cwd=project,
            env={**os.environ, "PYTHONPATH": path})


def pdf_text(url: str) -> str:
    """The text of the PDF at ``url``, as pdftotext reads it, without spaces or line breaks."""
    with urllib.request.urlopen(url, timeout=30) as response:
        data = response.read()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode("utf-8")
    return "".join(text.split())


class Session:
    """The server and a browser page on the factsheet's side-by-side view."""

    def __init__(self, page, base: str, project: Path, edition: str):
        self.page, self.base, self.project, self.edition = page, base, project, edition

    def thumb(self, code: str) -> str:
        pdf = SHEET_PDF.format(edition=self.edition, code=code)
        return f'img.thumb[data-pdf="{pdf}"][data-page="1"]'

    def shown(self, code: str) -> str | None:
        """The src of the factsheet's first page as the page shows it, once it is loaded."""
        try:
            return self.page.evaluate(
                """(selector) => {
                    const img = document.querySelector(selector);
                    return img && img.complete && img.naturalWidth > 0
                        ? img.getAttribute("src") : null; }""", self.thumb(code))
        except Exception:  # the page is reloading: its document is gone for a moment
            return None

    def wait_idle(self) -> None:
        """Until the server has no build running (the live script shows no status)."""
        self.page.wait_for_function(
            """() => { const s = document.getElementById("booklet-status");
                       return !s || s.hidden; }""", timeout=EDIT_SECONDS * 1000)
        time.sleep(0.5)  # a status shown just after this check is caught by the next edit's wait

    def edit(self, code: str, word: str, original: str) -> float:
        """Write ``word`` into the paragraph; seconds until the page shows it."""
        pdf_url = self.base + SHEET_PDF.format(edition=self.edition, code=code)[len("build/"):]
        before = self.shown(code)
        count = pdf_text(pdf_url).count(word)
        path = self.project / "content" / code / SHEET
        text = yamledit.replace_texts(path.read_text("utf-8"), {PARAGRAPH: f"{original} {word}"})
        path.write_text(text, "utf-8")
        started = time.perf_counter()
        deadline = started + EDIT_SECONDS
        while time.perf_counter() < deadline:
            src = self.shown(code)
            if src is not None and src != before:
                seconds = time.perf_counter() - started
                if pdf_text(pdf_url).count(word) > count:
                    return seconds
                before = src  # an image of another build: wait for the next one
            time.sleep(0.02)
        sys.exit(f"{code}: the page did not show {word!r} within {EDIT_SECONDS} s")


def measure(languages: list[str], edits: int = 5, code: Path = ROOT,
            options: list[str] = (), edition: str = "screen") -> dict[str, list[float]]:
    """Serve a copy of the project with ``options`` (serve's defaults unless told), edit
    each language's factsheet ``edits`` times; return the seconds of each edit, by language."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="booklet-preview-") as folder:
        project = copy_project(Path(folder) / "project")
        originals = {language: yamledit.load((project / "content" / language / SHEET)
                                             .read_text("utf-8"))
                     for language in languages}
        originals = {language: str(data["blocks"][0]["definitions"][0]["blocks"][1]["paragraph"])
                     for language, data in originals.items()}
        port = free_port()
        log = Path(folder) / "serve.log"
        server = start_server(project, code.resolve(), port, list(options), log)
        base = f"http://127.0.0.1:{port}/"
        print(f"booklet preview: {os.cpu_count()} core(s), code {code}, "
              f"serve {' '.join(options) or '(defaults)'}", flush=True)
        try:
            with sync_playwright() as playwright:
                os.environ.setdefault("HOME", folder)  # Chromium's profile stays in the copy
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                started = time.perf_counter()
                while True:
                    try:
                        page.goto(base)  # "building the first proof", until it is ready
                        break
                    except Exception:
                        if server.poll() is not None or time.perf_counter() - started > 60:
                            sys.exit(f"the server did not start:\n{log.read_text()}")
                        time.sleep(0.2)
                session = Session(page, base, project, edition)
                page.wait_for_selector(session.thumb(languages[0]), state="attached",
                                       timeout=FIRST_PROOF_SECONDS * 1000)
                print(f"  first proof shown after {time.perf_counter() - started:.1f} s",
                      flush=True)
                page.goto(base + SIDE_BY_SIDE.format(edition=edition))
                results = {}
                for language in languages:
                    times = []
                    for word in WORDS[language][:edits]:
                        session.wait_idle()
                        times.append(session.edit(language, word, originals[language]))
                        print(f"  {language} +{word}: {times[-1]:.2f} s", flush=True)
                    results[language] = times
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    return results


def summary(results: dict[str, list[float]]) -> list[str]:
    """The median and the maximum per language."""
    return [f"{language}: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"over {len(times)} edits" for language, times in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", default=[],
                        help="edit this language's factsheet (default: en and th)")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose booklet package runs the server")
    parser.add_argument("--serve-lang", action="append", default=[],
                        help="booklet serve --lang (default: serve's own, every language)")
    parser.add_argument("--serve-edition", help="booklet serve --edition (default: serve's own)")
    parser.add_argument("--edition", default="screen", help="the edition whose page is watched")
    args = parser.parse_args()
    options = [a for code in args.serve_lang for a in ("--lang", code)]
    options += ["--edition", args.serve_edition] if args.serve_edition else []
    results = measure(args.lang or list(LANGUAGES), args.edits, args.code, options, args.edition)
    for line in summary(results):
        print(line)
    # Other work on the machine slows the server down: say how busy it was.
    print("load average over the last 1, 5, 15 minutes: "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
