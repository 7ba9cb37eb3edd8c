"""Properties of the content model, over generated content (Hypothesis).

Any valid factsheet loads, validates and renders to HTML, and its text comes
back out of the HTML intact; any corruption of a valid file ends in a clean
list of problems, never in a traceback.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.check.content import check
from booklet.content.load import load
from booklet.content.texts import iter_texts
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.render.html import Renderer
from booklet.render.templates import environment
from booklet.render.typography import typeset

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text without inline markup characters: letters of many scripts, digits, spaces and
# punctuation, including the HTML-special < > & " ' that must come back intact.
WORDS = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs"),
                           exclude_characters="*_[]`\\\u00ad"),
    min_size=1, max_size=60,
).map(lambda s: " ".join(s.split())).filter(bool)

INNER = st.one_of(
    st.builds(lambda t: {"paragraph": t}, WORDS),
    st.builds(lambda items: {"list": items}, st.lists(WORDS, min_size=1, max_size=3)),
)
BLOCK = st.one_of(
    INNER,
    st.builds(lambda t: {"heading": t}, WORDS),
    st.builds(lambda items: {"actions": items}, st.lists(WORDS, min_size=1, max_size=3)),
    st.builds(lambda inner: {"facts": inner}, st.lists(INNER, min_size=1, max_size=2)),
    st.builds(lambda t, inner: {"callout": {"kind": "note", "title": t, "blocks": inner}},
              WORDS, st.lists(INNER, min_size=1, max_size=2)),
    st.builds(lambda t, inner: {"weaknesses": {"title": t, "blocks": inner}},
              WORDS, st.lists(INNER, min_size=1, max_size=2)),
    st.builds(lambda term, inner: {"definitions": [{"term": term, "blocks": inner}]},
              WORDS, st.lists(INNER, min_size=1, max_size=2)),
    st.builds(lambda t, label, text: {"article": {"title": t,
                                                  "items": [{"label": label, "text": text}]}},
              WORDS, WORDS, WORDS),
    st.builds(lambda t: {"ratification": t}, WORDS),
)
FACTSHEET = st.fixed_dictionaries({
    "title": WORDS,
    "blocks": st.lists(BLOCK, min_size=1, max_size=6),
})


def dump(data: dict) -> str:
    import json
    # JSON is YAML: a faithful way to write any generated text.
    return json.dumps(data, ensure_ascii=False, indent=1)


def fresh_project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    if root.exists():
        shutil.rmtree(root)
    for part in ("content", "figures", "locales"):  # the theme lays it out
        shutil.copytree(ROOT / part, root / part,
                        ignore=shutil.ignore_patterns("[a-df-z]?", "e[a-mo-z]")
                        if part == "content" else None)
    text = (root / "content/publication.yaml").read_text()
    (root / "content/publication.yaml").write_text(
        re.sub(r"^languages: .*$", "languages: [en]", text, flags=re.M))
    return root


@SETTINGS
@given(sheet=FACTSHEET)
def test_any_valid_factsheet_renders_with_its_text_intact(sheet, tmp_path):
    root = fresh_project(tmp_path)
    (root / "content/en/manifestations/sexting.yaml").write_text(dump(sheet), encoding="utf-8")
    problems = Problems()
    content = load(ProjectPaths(root), problems, ["en"])
    check(content, problems)
    assert problems.errors == []
    renderer = Renderer(content, content.languages["en"], environment(ProjectPaths(root)))
    page = renderer.factsheet(content.publication.factsheet("sexting"))
    body = page.split("<body", 1)[1]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())
    for text, _, _, key in iter_texts(sheet):
        if key == "kind":
            continue
        # Straight quotes are set as English quotation marks (render/typography.py).
        assert " ".join(typeset(text, "en_GB").split()) in shown


@SETTINGS
@given(data=st.data())
def test_any_corruption_of_a_valid_file_gives_problems_not_a_traceback(data, tmp_path):
    root = fresh_project(tmp_path)
    target = root / "content/en/manifestations/sexting.yaml"
    original = bytearray(target.read_bytes())
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(original) - 1))
        action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        byte = data.draw(st.sampled_from(
            [b":", b"-", b" ", b"\t", b"\n", b"[", b"{", b"&", b"*", b"!", b"|", b">", b"'",
             b'"', b"#", b"%", b"@", b"\xff", b"\x00", b"\xc3", b"[^x]", b"[[y]]"]))
        if action == "delete":
            del original[position:position + data.draw(st.integers(1, 20))]
        elif action == "insert":
            original[position:position] = byte
        else:
            original[position:position + 1] = byte
    target.write_bytes(bytes(original))
    problems = Problems()
    content = load(ProjectPaths(root), problems, ["en"])  # may record problems, must not raise
    if content is not None:
        check(content, problems)
    for problem in problems.items:
        assert problem.file and str(problem)
