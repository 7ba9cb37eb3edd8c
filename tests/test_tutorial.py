"""docs/tutorial.md works as written: its commands are run and its files written, in order.

A ``console`` block holds commands after ``$``; a file block is a fenced block
whose path is the inline code of the paragraph just before it. Only ``booklet``,
``cd`` and ``rm`` are allowed in the tutorial, so that it runs the same way
everywhere.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from markdown_it import MarkdownIt
from pdftext import page_texts, squash

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"


def steps(text: str) -> list[tuple[str, str]]:
    """("command", line) and ("file", path + NUL + contents), in the tutorial's order."""
    found, path = [], None
    tokens = MarkdownIt().parse(text)
    for index, token in enumerate(tokens):
        if token.type == "inline":
            children = [child for child in token.children or [] if child.type != "softbreak"]
            # A paragraph that is only a path in backticks names the file block after it.
            path = children[0].content if len(children) == 1 and \
                children[0].type == "code_inline" else None
        elif token.type == "fence":
            if token.info.strip() == "console":
                found += [("command", line[2:]) for line in token.content.splitlines()
                          if line.startswith("$ ")]
            elif path is not None and tokens[index - 1].type == "paragraph_close":
                found.append(("file", path + "\0" + token.content))
            path = None
    return found


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """The tutorial carried out in an empty folder: where the project ended up."""
    folder = tmp_path_factory.mktemp("tutorial")
    for kind, step in steps(TUTORIAL.read_text(encoding="utf-8")):
        if kind == "file":
            path, contents = step.split("\0", 1)
            target = folder / path
            assert target.parent.is_dir(), f"the tutorial writes {path} into no folder"
            target.write_text(contents, encoding="utf-8")
            continue
        words = shlex.split(step)
        if words[0] == "cd":
            folder = folder / words[1]
        elif words[0] == "rm":
            for name in words[1:]:
                (folder / name).unlink()
        elif words[0] == "booklet":
            result = subprocess.run([sys.executable, "-m", "booklet", *words[1:]], cwd=folder,
                                    capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"$ {step}\n{result.stdout}{result.stderr}"
        else:
            pytest.fail(f"the tutorial runs {words[0]!r}: only booklet, cd and rm are allowed")
    return folder


def test_the_tutorial_has_commands_and_files():
    kinds = [kind for kind, _ in steps(TUTORIAL.read_text(encoding="utf-8"))]
    assert kinds.count("command") >= 10 and kinds.count("file") >= 6


@pytest.mark.parametrize("edition", ["print", "screen"])
@pytest.mark.parametrize("code", ["en", "fr"])
def test_it_ends_with_a_booklet_in_each_language_and_edition(walked, code, edition):
    pdf = walked / "build" / edition / code / "booklet.pdf"
    pages = [squash(page) for page in page_texts(pdf)]
    title = {"en": "Crossing the road", "fr": "Traverser la rue"}[code]
    assert any(squash(title) in page for page in pages)
    assert not any(squash("Draft translation") in page or squash("Foreword") in page
                   for page in pages)
    with pikepdf.open(pdf) as document:
        first = document.pages[0]
        if edition == "print":
            assert len(document.pages) % 4 == 0
            assert first.trimbox != first.mediabox and first.bleedbox != first.trimbox


def test_the_french_booklet_is_french_throughout(walked):
    whole = squash(" ".join(page_texts(walked / "build/print/fr/booklet.pdf")))
    for french in ("Des rues plus sûres", "Table des matières", "Série 1", "À pied",
                   "Les fiches « À pied » existent en anglais et français",
                   "version imprimée : 978-0-306-40615-7"):
        assert squash(french) in whole, french
