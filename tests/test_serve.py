"""`booklet serve`: a real browser sees the preview update itself as the content changes.

Runs `booklet serve` as a subprocess on a copy of the project (English, screen
edition) and drives Debian's headless Chromium through Playwright. The tests run
in order against one server: each edit builds on the one before.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from pypdf import PdfReader

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (setup.sh installs it)")

SHEET = "content/en/manifestations/sexting.yaml"
SHEET_PDF = "build/screen/en/factsheets/manifestations-3-sexting.pdf"
BOOKLET_PDF = "build/screen/en/booklet.pdf"
OLD, NEW = "It is a frequent practice among", "It is a common practice among"
#: Generous: the server builds the English screen edition and proofs it on a busy machine.
FIRST_PROOF_MS = 240_000
UPDATE_MS = 120_000


@dataclass
class Preview:
    project: Path
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def edit(self, old: str, new: str) -> None:
        path = self.project / SHEET
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {SHEET}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def get(self, path: str, host: str | None = None) -> int:
        """The status of a request for ``path``, sent exactly as given."""
        return self.fetch(path, host)[0]

    def fetch(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        """The status and body of a request for ``path``, sent exactly as given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=host is not None)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ctrl_c_stops_it() -> None:
    """A child of a background job inherits SIGINT ignored: give it back its Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    port = _free_port()
    log = project.parent / "serve.log"
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "booklet", "serve", "--project", str(project),
             "--lang", "en", "--edition", "screen", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": path},
            preexec_fn=_ctrl_c_stops_it)
    preview = Preview(project, port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                preview.get("/")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield preview
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def page(preview):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(preview.url)
        yield page
        browser.close()


def shown_pages(page, selector: str) -> set[tuple[str, int]]:
    return {(img.get_attribute("data-pdf"), int(img.get_attribute("data-page")))
            for img in page.locator(selector).all()}


def test_the_gallery_shows_every_page_once_the_first_proof_is_ready(preview, page):
    from playwright.sync_api import expect

    # The page opened before the first build was done: it reloads by itself.
    expect(page.locator("img.thumb").first).to_be_attached(timeout=FIRST_PROOF_MS)
    pdfs = sorted((preview.project / "build/screen/en").rglob("*.pdf"))
    assert len(pdfs) > 1
    expected = sum(len(PdfReader(pdf).pages) for pdf in pdfs)
    assert page.locator("img.thumb").count() == expected
    assert f"serving the proof at {preview.url}" in preview.log.read_text()


def test_the_server_serves_the_proof_and_nothing_else(preview):
    assert preview.get("/index.html") == 200
    assert preview.get("/assets/proof.css") == 200
    assert preview.get("/screen/en/booklet.pdf") == 200  # the gallery links to it
    for outside in ("/../report.json", "/%2e%2e/report.json", "/cache/../../report.json",
                    "/..%2freport.json", "/screen/en/../../report.json", "/report.json",
                    "/../../content/publication.yaml", "/%2fetc%2fpasswd", "/.lock"):
        assert preview.get(outside) == 404, outside
    # A page elsewhere that rebinds its host name to 127.0.0.1 is refused.
    assert preview.get("/index.html", host="attacker.example") == 403


def test_an_edit_shows_up_in_the_open_page_by_itself(preview, page):
    from playwright.sync_api import expect

    page.evaluate("window.notReloadedYet = true")
    preview.edit(OLD, NEW)
    # The edited factsheet is shown first, then the booklet that contains it.
    booklet = page.locator(f'figure.page.changed img.thumb[data-pdf="{BOOKLET_PDF}"]')
    expect(booklet.first).to_be_attached(timeout=UPDATE_MS)
    assert page.evaluate("window.notReloadedYet") is None  # the page reloaded itself
    pages = shown_pages(page, "figure.page.changed img.thumb")
    assert {pdf for pdf, _ in pages} == {SHEET_PDF, BOOKLET_PDF}
    expect(page.locator("header.top")).to_contain_text(f"Changes ({len(pages)})")
    assert f"{SHEET_PDF}: shown after" in preview.log.read_text()  # before the booklet
    # What the page shows is the new text: the PDF it links to, and its image.
    status, data = preview.fetch("/" + SHEET_PDF.removeprefix("build/"))
    assert status == 200
    assert NEW in " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    thumb = page.locator(f'img.thumb[data-pdf="{SHEET_PDF}"][data-page="1"]')
    assert hashlib.sha256(data).hexdigest() in thumb.get_attribute("src")


def test_a_broken_file_shows_an_error_banner_naming_it(preview, page):
    from playwright.sync_api import expect

    thumbnails = page.locator("img.thumb").count()
    preview.edit("title: Sexting", "title: [Sexting")  # an unclosed list
    banner = page.locator("#booklet-error")
    expect(banner).to_contain_text(SHEET, timeout=UPDATE_MS)
    expect(banner).to_contain_text("YAML syntax")
    assert page.locator("img.thumb").count() == thumbnails  # the last good proof stays


def test_error_messages_are_shown_as_text(preview, page):
    from playwright.sync_api import expect

    preview.edit("title: [Sexting", "title: Sexting\n<b>bold</b>: x")
    banner = page.locator("#booklet-error")
    expect(banner).to_contain_text("unknown key '<b>bold</b>'", timeout=UPDATE_MS)
    assert banner.locator("b").count() == 0


def test_fixing_the_file_clears_the_banner(preview, page):
    from playwright.sync_api import expect

    preview.edit("\n<b>bold</b>: x", "")
    expect(page.locator("#booklet-error")).to_have_count(0, timeout=UPDATE_MS)
    expect(page.locator("img.thumb").first).to_be_attached()


def test_ctrl_c_stops_the_server(preview):
    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(timeout=60) == 0
    assert preview.log.read_text().rstrip().endswith("stopped")
    with pytest.raises(OSError):
        preview.get("/")
