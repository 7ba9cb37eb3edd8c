"""booklet init: a new project, with nothing copied from this repository, builds both editions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pikepdf
import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT, run
from pdftext import page_texts, squash

from booklet.api import preflight
from booklet.content.catalogues import package_template

TITLE = "Safer Streets"
PUBLISHER = "Riverside Network"


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    """A project made by init, then built, both editions."""
    folder = tmp_path_factory.mktemp("init") / "safer-streets"
    assert run_cli(["init", str(folder), "--title", TITLE, "--publisher", PUBLISHER]) == 0
    assert run_cli(["build", "--project", str(folder), "--quiet"]) == 0
    return folder


def run_cli(argv) -> int:
    from booklet.cli import main

    return main(argv)


def fonts_of(pdf) -> list:
    fonts = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None:  # a composite font: its descendant has it
                    descriptor = font.DescendantFonts[0].FontDescriptor
                fonts.append((str(font.BaseFont), any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))))
    return fonts


def test_init_writes_a_project_without_a_copy_of_the_theme(started):
    names = {p.relative_to(started).as_posix() for p in started.rglob("*") if p.is_file()
             and "build" not in p.relative_to(started).parts}
    assert "content/publication.yaml" in names and "locales/messages.pot" in names
    assert "content/en/topics/first-factsheet.yaml" in names
    assert "locales/en/LC_MESSAGES/messages.po" in names
    assert not any(name.startswith(("templates/", "styles/", "figures/")) for name in names)
    publication = (started / "content/publication.yaml").read_text()
    assert publication.startswith("# yaml-language-server: $schema=../schema/")
    assert (started / "schema/publication.schema.json").is_file()
    assert yaml.safe_load(publication)["publisher"] == PUBLISHER


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_both_editions_build_and_pass_preflight(started, edition):
    booklet = started / "build" / edition / "en" / "booklet.pdf"
    sheet = started / "build" / edition / "en" / "factsheets" / "topics-1-first-factsheet.pdf"
    with pikepdf.open(booklet) as document:
        pages = len(document.pages)
        assert str(document.docinfo["/Title"]).startswith(TITLE)
        assert str(document.docinfo["/Author"]) == PUBLISHER
    assert pages >= 8 and (edition == "screen" or pages % 4 == 0)
    texts = page_texts(booklet)
    assert squash(TITLE) in squash(texts[0]) and squash(PUBLISHER) in squash(texts[0])
    assert any(squash("A first factsheet") in squash(text) for text in texts)
    for pdf in (booklet, sheet):
        fonts = fonts_of(pdf)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        found, findings = preflight(pdf)
        assert found == edition and all(f.ok for f in findings), [str(f) for f in findings]


def test_the_catalogue_template_holds_every_interface_string():
    with (ROOT / "locales/messages.pot").open("rb") as handle:
        committed = {message.id for message in read_po(handle) if message.id}
    assert {message.id for message in package_template("x") if message.id} == committed


def test_init_refuses_a_folder_that_holds_a_project(started, capsys):
    before = (started / "content/publication.yaml").read_bytes()
    code, _, err = run(["init", str(started), "--title", "Other", "--publisher", "Other"],
                       capsys)
    assert code == 1 and "already exists" in err
    assert (started / "content/publication.yaml").read_bytes() == before


def test_without_a_terminal_the_title_is_required(tmp_path, capsys):
    code = run_cli(["init", str(tmp_path / "p"), "--publisher", PUBLISHER])
    assert code == 2 and "--title is required" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_an_unknown_language_is_refused(tmp_path, capsys):
    code, _, err = run(["init", str(tmp_path / "p"), "--title", TITLE, "--publisher",
                        PUBLISHER, "--language", "xx-nowhere"], capsys)
    assert code == 1 and "unknown language code 'xx-nowhere'" in err


def test_on_a_terminal_init_asks_for_what_is_missing(tmp_path):
    controller, terminal = os.openpty()
    folder = tmp_path / "asked"
    process = subprocess.Popen(
        [sys.executable, "-m", "booklet", "init", str(folder)], stdin=terminal,
        stdout=terminal, stderr=terminal, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(terminal)
    os.write(controller, f"{TITLE}\n{PUBLISHER}\n\n".encode())
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=120) == 0, output.decode()
    os.close(controller)
    text = output.decode()
    assert "Title:" in text and "Publisher:" in text and "Language code [en]:" in text
    front = yaml.safe_load((folder / "content/en/front.yaml").read_text())
    assert front["cover"]["title"] == TITLE


def test_a_project_in_another_language_starts_from_the_packages_translations(tmp_path):
    """init --language fr: the interface strings come translated from the package, and
    the project's catalogue then rules (here, one string worded its own way)."""
    folder = tmp_path / "fr"
    assert run_cli(["init", str(folder), "--title", "Rues sûres", "--publisher",
                    "Réseau Riverain", "--language", "fr"]) == 0
    path = folder / "locales/fr/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    assert catalogue["Table of Contents"].string == "Table des matières"
    untranslated = [message.id for message in catalogue if message.id and not message.string]
    assert untranslated == [], untranslated
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)]).returncode == 0
    text = path.read_text(encoding="utf-8").replace('msgstr "Table des matières"',
                                                    'msgstr "Sommaire"')
    path.write_text(text, encoding="utf-8")
    assert run_cli(["build", "--project", str(folder), "--edition", "screen", "--quiet"]) == 0
    pages = [squash(page) for page in page_texts(folder / "build/screen/fr/booklet.pdf")]
    assert any(squash("Sommaire") in page for page in pages)
    assert not any(squash("Table des matières") in page for page in pages)


def test_without_its_own_catalogue_a_language_uses_the_packages(tmp_path, capsys):
    folder = tmp_path / "p"
    assert run_cli(["init", str(folder), "--title", TITLE, "--publisher", PUBLISHER,
                    "--language", "th"]) == 0
    shutil.rmtree(folder / "locales")
    code, _, err = run(["check", "--project", str(folder)], capsys)
    assert code == 0, err
    assert "locales/th/LC_MESSAGES/messages.po: warning: no interface catalogue" in err
    assert run_cli(["build", "--project", str(folder), "--edition", "screen", "--quiet"]) == 0
    pages = [squash(page) for page in page_texts(folder / "build/screen/th/booklet.pdf")]
    assert any(squash("สารบัญ") in page for page in pages)  # Table of Contents
