"""Untrusted text cannot reach outside: what the PDF renderer may fetch, and what it may not."""

from __future__ import annotations

import http.server
import os
import threading

import pytest
from conftest import run
from test_check import replace

from booklet.paths import ProjectPaths
from booklet.render.pdf import _fetcher_class


@pytest.fixture
def fetcher(project):
    return _fetcher_class()(ProjectPaths(project).asset_folders), project


def refused(fetcher, url) -> str:
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url)
    return fetcher.refused[-1]


def test_files_in_the_asset_folders_are_served(fetcher):
    fetcher, project = fetcher
    response = fetcher.fetch((project / "figures/tor.svg").as_uri())
    assert response.read().startswith(b"<svg")


@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1:9/x.png", "only files in"),
    ("https://example.org/x.png", "only files in"),
    ("ftp://example.org/x.png", "only files in"),
    ("data:image/png;base64," + "A" * 1000, "only files in"),
    ("file:///etc/passwd", "outside the project's asset folders"),
    ("file://remote.example/share/x.svg", "remote file"),
])
def test_other_urls_are_refused(fetcher, url, why):
    assert why in refused(fetcher[0], url)


def test_dot_dot_and_symlink_escapes_are_refused(fetcher):
    fetcher, project = fetcher
    escape = (project / "figures").as_uri() + "/../content/publication.yaml"
    assert "'..' is not allowed" in refused(fetcher, escape)
    (project / "figures/link.svg").symlink_to("/etc/hostname")
    assert "outside the project's asset folders" in refused(
        fetcher, (project / "figures/link.svg").as_uri())


def test_device_files_and_pipes_are_refused(fetcher):
    fetcher, project = fetcher
    (project / "figures/zero.svg").symlink_to("/dev/zero")
    assert "outside" in refused(fetcher, (project / "figures/zero.svg").as_uri())
    os.mkfifo(project / "figures/pipe.svg")
    assert "not a regular file" in refused(fetcher, (project / "figures/pipe.svg").as_uri())


def test_a_figure_pointing_at_a_local_server_fetches_nothing(project, capsys):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tracker.png"
        replace(project / "figures/tor.svg", "</svg>",
                f'<image href="{url}" width="1" height="1"/></svg>')
        code, _, err = run(["build", "--project", str(project), "--lang", "en", "--quiet"],
                           capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 1
    assert f"refused to fetch {url}" in err
    assert requests == []


def test_html_and_scripts_in_content_are_printed_as_text(project, capsys):
    replace(project / "content/en/manifestations/sexting.yaml", "title: Sexting",
            'title: "Sexting <img src=file:///etc/passwd> <script>alert(1)</script>"')
    code, _, err = run(["build", "--project", str(project), "--lang", "en", "--quiet"], capsys)
    assert code == 0, err
    from pdftext import page_texts
    # The title breaks where its line is full (after a slash): compared without spaces.
    text = "".join(page_texts(project / "build/screen/en/factsheets/"
                              "manifestations-3-sexting.pdf")[0].split())
    assert "Sexting<imgsrc=file:///etc/passwd><script>alert(1)</script>" in text
