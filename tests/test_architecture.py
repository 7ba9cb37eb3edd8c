"""The package's shape: stages import downwards only, no circles, small modules, an API."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import booklet
from booklet.errors import BookletError

PACKAGE = ROOT / "booklet"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_MODULE_LINES = 400


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run the project's import contract (pyproject.toml) on the package under ``root``."""
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"),
                           "--no-cache"],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


def test_the_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(("module", "line", "contract"), [
    # The content model reaching up into the build: a layer broken.
    ("content/load.py", "from ..build import plan  # noqa", "Stages import downwards only"),
    # A type-only import is an import too: two modules of one stage in a circle.
    ("content/catalogues.py",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .states import Cell",
     "No import circles"),
    # Rendering HTML that calls into PDF layout.
    ("render/html.py", "from . import pdf  # noqa", "Making HTML knows nothing of laying out PDFs"),
])
def test_the_contract_fails_when_an_import_breaks_it(tmp_path, module, line, contract):
    shutil.copytree(PACKAGE, tmp_path / "booklet",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "booklet" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert broken, result.stdout
    assert contract in result.stdout.split("Broken contracts")[-1]


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_long():
    long = {str(p.relative_to(PACKAGE)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long


def _function_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [f"{path.name}:{inner.lineno}" for inner in ast.walk(node)
                      if isinstance(inner, ast.Import | ast.ImportFrom)]
    return found


def test_the_command_line_imports_everything_at_the_top():
    modules = sorted((PACKAGE / "cli").glob("*.py"))
    assert len(modules) >= 4
    assert [found for path in modules for found in _function_level_imports(path)] == []


def test_library_code_never_exits_the_interpreter():
    """Only the command line ends the process; the library raises BookletError."""
    for path in modules():
        if path.name == "__main__.py" or path.parent.name == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                assert node.id != "SystemExit", f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute):
                assert ast.unparse(node) != "sys.exit", f"{path}:{node.lineno}"


def test_every_stage_says_what_it_owns():
    for package in sorted(p.parent for p in PACKAGE.glob("*/__init__.py")):
        assert ast.get_docstring(ast.parse((package / "__init__.py").read_text())), package


# The Python API ----------------------------------------------------------------


def test_the_api_checks_a_project_and_returns_its_warnings(project):
    result = booklet.open_project(project).check(languages=["fr"])
    assert isinstance(result, booklet.CheckResult)
    assert result.languages == ["en", "fr"]
    assert result.files == 1 + 2 * 24


def test_the_api_builds_and_returns_every_output(built):
    project = booklet.open_project(built)
    result = project.build(languages=["en"], editions=["screen"])  # built already: nothing to do
    assert isinstance(result, booklet.BuildResult)
    assert result.rendered == []
    paths = {output["path"] for output in result.outputs}
    assert "build/screen/en/booklet.pdf" in paths and len(paths) == 1 + 17
    assert result.pages == sum(output["pages"] for output in result.outputs) > 40
    assert all(output["preflight"]["ok"] for output in result.outputs)


def test_the_api_reports_status_with_page_budgets(built):
    report = booklet.open_project(built).status(languages=["en"])
    assert [s.code for s in report.statuses] == ["en"]
    english = report.statuses[0]
    assert english.cell("csam").pages == english.cell("csam").budget == 3


def test_the_api_raises_the_projects_own_errors(tmp_path):
    with pytest.raises(booklet.ContentError) as failure:
        booklet.open_project(tmp_path).check()
    assert "publication.yaml" in failure.value.show()
    with pytest.raises(BookletError, match="unknown edition"):
        booklet.open_project(tmp_path).build(editions=["web"])
