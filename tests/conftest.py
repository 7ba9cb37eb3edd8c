"""Shared fixtures: a temporary copy of the project, and one real build of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from booklet.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "templates", "styles", "figures", "locales")
#: The publication's source text, kept beside the repository (not in it): tests that
#: compare against it skip, saying why, in a clone without ../shared.
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "000_4c362d284d17d26a.txt"


def copy_project(target: Path) -> Path:
    for part in PROJECT_PARTS:
        if (ROOT / part).exists():
            shutil.copytree(ROOT / part, target / part)
    return target


@pytest.fixture(scope="session")
def source_text() -> str:
    if not SOURCE_TEXT.is_file():
        pytest.skip(f"needs the source text, {SOURCE_TEXT.relative_to(ROOT.parent)} beside "
                    "the repository, which a bare clone does not have")
    return SOURCE_TEXT.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, writable copy of the project's inputs."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The English outputs, built once from a copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert main(["build", "--project", str(root), "--lang", "en", "--quiet"]) == 0
    return root


@pytest.fixture(scope="session")
def screen_build(tmp_path_factory) -> Path:
    """The English screen edition alone, built once: the fault tests copy it."""
    root = copy_project(tmp_path_factory.mktemp("screen") / "project")
    assert main(["build", "--project", str(root), "--lang", "en", "--edition", "screen",
                 "--quiet"]) == 0
    return root


@pytest.fixture(scope="session")
def built_all(tmp_path_factory) -> Path:
    """Every language's booklet and factsheets, both editions, built once."""
    root = copy_project(tmp_path_factory.mktemp("all") / "project")
    assert main(["build", "--project", str(root), "--quiet"]) == 0
    return root


@pytest.fixture(scope="session")
def booklet_pdf(built) -> Path:
    return built / "build" / "screen" / "en" / "booklet.pdf"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the CLI in-process; return its exit code, stdout and stderr."""
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
