"""The default theme in the package, and a project's overrides of it."""

from __future__ import annotations

import pytest
from conftest import run
from pdftext import page_texts, squash
from test_security import refused

from booklet.build.inputs import Hasher, common_inputs
from booklet.paths import THEME, ProjectPaths
from booklet.render.pdf import _fetcher_class

TAGLINE = "A user-friendly booklet on the manifestations"
OWN_BACK = "Printed by a member organisation for its own readers"


@pytest.fixture
def fetcher(project):
    paths = ProjectPaths(project)
    return _fetcher_class()(paths.asset_folders, layered=paths.layered), project


def test_the_project_has_no_copy_of_the_theme(project):
    """Its look is an override set: its own additions (publication.css, the map), no
    copy of a theme file."""
    assert not (project / "templates").exists()
    assert sorted(p.name for p in (project / "styles").glob("*.css")) == ["publication.css"]
    assert not any((THEME / "figures" / p.name).exists() for p in (project / "figures").iterdir())
    assert (THEME / "templates" / "booklet.html.j2").is_file()
    assert (THEME / "styles" / "palette.css").is_file()


def test_theme_files_are_served_unless_the_project_has_its_own(fetcher):
    fetcher, project = fetcher
    palette = (THEME / "styles" / "palette.css").as_uri()
    theirs = fetcher.fetch(palette).read()
    assert theirs == (THEME / "styles" / "palette.css").read_bytes()
    (project / "styles/palette.css").write_text(":root { --ink: black; }")
    assert fetcher.fetch(palette).read() == b":root { --ink: black; }"


def test_a_file_missing_from_the_project_is_taken_from_the_theme(fetcher):
    fetcher, project = fetcher
    profile = (project / "styles/icc/FOGRA39L.icc").as_uri()
    assert fetcher.fetch(profile).read() == (THEME / "styles/icc/FOGRA39L.icc").read_bytes()


def test_an_override_cannot_lead_outside(fetcher):
    fetcher, project = fetcher
    (project / "styles/palette.css").symlink_to("/etc/hostname")
    assert "outside the project's asset folders" in refused(
        fetcher, (THEME / "styles/palette.css").as_uri())


@pytest.mark.parametrize("inside", ["templates/base.html.j2", "../paths.py"])
def test_the_rest_of_the_package_is_not_served(fetcher, inside):
    fetcher, _ = fetcher
    assert refused(fetcher, (THEME / inside).resolve().as_uri())


def test_fingerprints_hold_the_theme_files_a_build_uses(project):
    paths = ProjectPaths(project)
    theme = common_inputs(paths, Hasher())
    assert set(theme["templates"]) >= {"base.html.j2", "booklet.html.j2", "parts.html.j2"}
    assert {"palette.css", "print.css", "icc/FOGRA39L.icc"} <= set(theme["styles"])
    assert "world-map.svg" in theme["figures"]  # the project's own, in the same tree
    (project / "templates").mkdir()
    (project / "templates/booklet.html.j2").write_text('{% extends "theme/booklet.html.j2" %}')
    overridden = common_inputs(paths, Hasher())
    assert overridden["templates"]["booklet.html.j2"] != theme["templates"]["booklet.html.j2"]
    assert overridden["templates"]["parts.html.j2"] == theme["templates"]["parts.html.j2"]


def test_a_project_overrides_one_block_and_one_stylesheet(project, capsys):
    (project / "templates").mkdir()
    (project / "templates/booklet.html.j2").write_text(
        '{% extends "theme/booklet.html.j2" %}\n'
        '{% block back_cover %}<section class="back"><p>' + OWN_BACK +
        '</p></section>{% endblock %}\n')
    components = (THEME / "styles/components.css").read_text()
    (project / "styles/components.css").write_text(
        components + "\n.cover-tagline { display: none; }\n")
    code, _, err = run(["build", "--project", str(project), "--lang", "en",
                        "--edition", "screen", "--quiet"], capsys)
    assert code == 0, err
    pages = page_texts(project / "build/screen/en/booklet.pdf")
    assert squash("Online Child Sexual Exploitation") in squash(pages[0])
    assert squash(TAGLINE) not in squash(pages[0])
    assert squash(OWN_BACK) in squash(pages[-1])
    # Everything between is the theme's: the contents page and the factsheets.
    assert any(squash("Contents") in squash(page) for page in pages[1:6])
    assert len(pages) > 40


def test_a_template_extending_one_that_does_not_exist_is_named(project, capsys):
    (project / "templates").mkdir()
    (project / "templates/booklet.html.j2").write_text('{% extends "theme/cover.html.j2" %}\n')
    code, _, err = run(["build", "--project", str(project), "--lang", "en", "--edition",
                        "screen", "--quiet"], capsys)
    assert code == 1 and "Traceback" not in err
    assert "templates/booklet.html.j2:1: template error: no template " \
           "'theme/cover.html.j2'" in err and "booklet.html.j2, factsheet.html.j2" in err
