"""The content files as other tools see them: standard YAML, valid against the committed
JSON Schemas for any reader, written back byte for byte by the round trip that edits them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, run
from ruamel.yaml import YAML

from booklet.content import yamledit, yamlfile
from booklet.content.model import write_json_schemas
from booklet.content.records import with_record

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
CONTENT_FILES = sorted((ROOT / "content").rglob("*.yaml"))


def schema_named_by(path: Path, text: str) -> Path:
    """The schema a file names on its first line, for editors."""
    first = text.splitlines()[0] if text else ""
    match = SCHEMA_LINE.match(first)
    assert match, f"{path}: the first line does not name a schema for editors"
    return (path.parent / match.group(1)).resolve()


def pyyaml_load(text: str):
    return yaml.safe_load(text)  # YAML 1.1, as most scripts read it


def ruamel_load(text: str):
    return YAML(typ="safe", pure=True).load(text)  # YAML 1.2, as editors read it


def errors(schema_path: Path, data) -> list[str]:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


def test_every_content_file_is_checked():
    assert len(CONTENT_FILES) > 200
    assert ROOT / "content" / "publication.yaml" in CONTENT_FILES


@pytest.mark.parametrize("load", [pyyaml_load, ruamel_load], ids=["pyyaml", "ruamel"])
def test_every_content_file_is_valid_against_the_schema_it_names(load):
    failures = {}
    for path in CONTENT_FILES:
        text = path.read_text(encoding="utf-8")
        found = errors(schema_named_by(path, text), load(text))
        if found:
            failures[str(path.relative_to(ROOT))] = found[:3]
    assert failures == {}


def test_the_committed_schemas_are_what_booklet_schema_writes(tmp_path):
    written = {p.name: p.read_text(encoding="utf-8") for p in write_json_schemas(tmp_path)}
    committed = {p.name: p.read_text(encoding="utf-8")
                 for p in (ROOT / "schema").glob("*.schema.json")}
    stale = sorted(name for name in written if committed.get(name) != written[name])
    assert stale == [], "run `booklet schema` and commit schema/"
    assert sorted(committed) == sorted(written)


def test_every_content_file_comes_back_byte_for_byte_from_the_round_trip():
    changed = [str(path.relative_to(ROOT)) for path in CONTENT_FILES
               if yamledit.dump(yamledit.load(text := path.read_text(encoding="utf-8")))
               != text]
    assert changed == []


@pytest.mark.parametrize("value", ["557153432079", "886256e22080", "15952398e613", "yes",
                                   "2017-05-01", "null", "1_000", "0x1f", ".inf", "1.5"])
def test_a_string_that_could_read_as_another_type_is_written_quoted(value):
    text = with_record("title: T\n", {"state": "draft", "source": {"title": value}})
    assert f'"title": "{value}"' in text
    for load in (pyyaml_load, ruamel_load):
        assert load(text)["translation"]["source"]["title"] == value


def test_a_plain_fingerprint_stays_plain():
    text = with_record("title: T\n", {"state": "draft", "source": {"title": "c162fef37d74"}})
    assert '"title": c162fef37d74\n' in text


def test_replacing_texts_keeps_comments_order_and_quoting():
    text = ("# yaml-language-server: $schema=x.json\n# note\nkey: old  # why\nlist:\n"
            "  - 'one'\n  - \"two\"\n  - three\nlast: x\n")
    new = yamledit.replace_texts(text, {"key": "yes", "list[0]": "uno", "list[1]": "a: b",
                                        "list[2]": "tres"})
    assert new.startswith("# yaml-language-server: $schema=x.json\n# note\nkey: \"yes\"")
    assert "# why\n" in new
    assert "  - 'uno'\n  - \"a: b\"\n  - tres\nlast: x\n" in new
    assert pyyaml_load(new) == {"key": "yes", "list": ["uno", "a: b", "tres"], "last": "x"}


def test_replacing_a_path_that_is_not_a_text_is_refused():
    with pytest.raises(KeyError, match="list"):
        yamledit.replace_texts("list:\n  - a\n", {"list": "b"})


def test_a_new_languages_scaffold_is_valid_against_the_schemas(project, capsys):
    code, _, err = run(["new-language", "--project", str(project), "de"], capsys)
    assert code == 0, err
    written = sorted((project / "content" / "de").rglob("*.yaml"))
    assert len(written) > 20
    failures = {}
    for path in [*written, project / "content" / "publication.yaml"]:
        text = path.read_text(encoding="utf-8")
        named = schema_named_by(path, text)
        schema = ROOT / "schema" / named.name  # the copy has no schema folder
        for load in (pyyaml_load, ruamel_load):
            found = errors(schema, load(text))
            if found:
                failures[f"{path.relative_to(project)} ({load.__name__})"] = found[:3]
    assert failures == {}
    assert "de" in pyyaml_load((project / "content/publication.yaml").read_text())["languages"]


def _with_lines(value):
    """A loaded value with the line of every mapping, key, list, item and string."""
    if isinstance(value, dict):
        return ("map", value.line, value.key_lines,
                {key: _with_lines(item) for key, item in value.items()})
    if isinstance(value, list):
        return ("seq", value.line, value.item_lines, [_with_lines(item) for item in value])
    return (type(value).__name__, getattr(value, "line", None), value)


@pytest.mark.skipif(yamlfile._FastLoader is None, reason="PyYAML built without libyaml")
def test_libyaml_reads_every_content_file_as_pyyaml_does():
    for path in CONTENT_FILES:
        text = path.read_text(encoding="utf-8")
        fast, slow = yamlfile._FastLoader(text), yamlfile._Loader(text)
        try:
            assert _with_lines(fast.get_single_data()) == _with_lines(slow.get_single_data()), \
                path
        finally:
            fast.dispose()
            slow.dispose()


@pytest.mark.skipif(yamlfile._FastLoader is None, reason="PyYAML built without libyaml")
def test_a_file_libyaml_refuses_is_reported_as_pyyaml_reports_it():
    text = "title: a\nbody: [unclosed\nnext: b\n"
    with pytest.raises(yaml.MarkedYAMLError) as by_libyaml:
        yamlfile._FastLoader(text).get_single_data()
    with pytest.raises(yaml.MarkedYAMLError) as by_pyyaml:
        yamlfile._Loader(text).get_single_data()
    assert by_libyaml.value.problem != by_pyyaml.value.problem  # the two say it differently
    with pytest.raises(yaml.MarkedYAMLError) as parsed:
        yamlfile._parse(text)
    assert parsed.value.problem == by_pyyaml.value.problem == "expected ',' or ']', but got ':'"
