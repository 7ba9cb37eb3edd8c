"""`booklet check`: every problem is reported with its file, line and key, all at once."""

from __future__ import annotations

from conftest import run


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_real_content_passes(capsys):
    code, out, err = run(["check"], capsys)
    assert code == 0, err
    assert "ok:" in out


def test_a_broken_cross_reference_is_reported_with_file_line_and_key(project, capsys):
    sheet = project / "content/en/manifestations/csam.yaml"
    replace(sheet, "[[encryption|", "[[encyrption|")
    code, out, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    line = line_of(sheet, "[[encyrption|")
    assert (f"content/en/manifestations/csam.yaml:{line}: footnotes.encryption: "
            "cross-reference to unknown factsheet 'encyrption'") in err
    assert "Traceback" not in err


def test_all_problems_are_listed_at_once(project, capsys):
    replace(project / "content/en/manifestations/sexting.yaml", "[^sextortion]", "[^missing]")
    replace(project / "content/en/legal/opsc.yaml", "- paragraph:", "- paragraf:")
    replace(project / "content/en/internet/tor.yaml", "title:", "titel:")
    code, out, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert "sexting.yaml" in err and "footnote call [^missing] has no footnote" in err
    assert "footnote 'sextortion' is never called" in err
    assert "opsc.yaml" in err and "unknown block type 'paragraf' (did you mean 'paragraph'?)" in err
    assert "tor.yaml:2: titel: unknown key 'titel' (did you mean 'title'?)" in err
    assert "tor.yaml" in err and "missing required key 'title'" in err


def test_html_in_content_is_text_not_markup(project, capsys):
    from booklet.content.load import load
    from booklet.errors import Problems
    from booklet.paths import ProjectPaths
    from booklet.render.html import Renderer
    from booklet.render.templates import environment

    replace(project / "content/en/manifestations/sexting.yaml", "title: Sexting",
            "title: Sexting <script>alert(1)</script> & <b>bold</b>")
    content = load(ProjectPaths(project), Problems(), ["en"])
    renderer = Renderer(content, content.languages["en"], environment(ProjectPaths(project)))
    html = renderer.factsheet(content.publication.factsheet("sexting"))
    assert "<script>" not in html and "<b>" not in html
    assert "Sexting &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_an_internal_bug_has_its_own_exit_code_and_keeps_its_traceback(project, capsys,
                                                                        monkeypatch):
    import booklet.check.content

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(booklet.check.content, "check_markup", broken)
    code, _, err = run(["check", "--project", str(project), "--lang", "en"], capsys)
    assert code == 3
    assert "Traceback" in err and "RuntimeError: a bug" in err
    assert "internal error: this is a bug in booklet" in err
