"""booklet export / import: exchange files for translation tools, end to end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import run
from pdftext import page_texts, squash
from translate.storage import pypo, xliff

from booklet.content.records import new_record, write_record
from booklet.content.states import status
from booklet.content.texts import fingerprint, source_texts
from booklet.content.yamlfile import load_yaml
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.translate.status import load_for_status

SEXTING = "content/km/manifestations/sexting.yaml"
CHANGED_KEY = "blocks[0].definitions[0].blocks[1].paragraph"
OLD_ENGLISH = "It is a frequent practice among young persons"
NEW_ENGLISH = "It is a very frequent practice among young persons"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project's inputs, by path."""
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("content", "locales") for p in sorted((root / folder).rglob("*"))
            if p.is_file()}


def change_english(project: Path, old: str = OLD_ENGLISH, new: str = NEW_ENGLISH,
                   file: str = "manifestations/sexting.yaml") -> None:
    path = project / "content" / "en" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def export(project: Path, capsys, *args: str) -> tuple[Path, str]:
    code, out, err = run(["export", "--project", str(project), *args], capsys)
    assert code == 0, err
    return project / out.rsplit(" to ", 1)[1].strip(), out


def load(path: Path):
    return xliff.xlifffile.parsefile(str(path)) if path.suffix == ".xlf" \
        else pypo.pofile.parsefile(str(path))


def unit_id(unit) -> str:
    return unit.xmlelement.get("id") if isinstance(unit, xliff.xliffunit) else unit.getcontext()


def translate(path: Path, targets: dict[str, str], into: Path | None = None) -> Path:
    """Play the translator: give units new targets and mark them done, as a tool would."""
    store = load(path)
    for unit in store.units:
        if unit_id(unit) in targets:
            unit.target = targets[unit_id(unit)]
            if isinstance(unit, xliff.xliffunit):
                # The whole target as text, markup written out (inline codes: test_xliff.py)
                target = unit.getlanguageNode(lang=None, index=1)
                for child in list(target):
                    target.remove(child)
                target.text = targets[unit_id(unit)]
                unit.set_state_n(unit.S_TRANSLATED)
            else:
                unit.markfuzzy(False)
    into = into or path.with_name("returned" + path.suffix)
    into.write_bytes(bytes(store))
    return into


def units_by_id(path: Path) -> dict:
    return {unit_id(u): u for u in load(path).units if not u.isheader()}


def do_import(project: Path, capsys, path: Path, *args: str) -> tuple[int, str, str]:
    return run(["import", "--project", str(project), str(path), *args], capsys)


def expected_segments(root: Path) -> int:
    """km's texts: every English file of the series km carries (not legal), and 12 messages."""
    total = 0
    for path in (root / "content" / "en").rglob("*.yaml"):
        if "legal" not in path.parts:
            total += len(source_texts(load_yaml(path, str(path), Problems())))
    return total + 12  # 11 messages, and one with one plural form in Khmer


# Export ---------------------------------------------------------------------

@pytest.mark.parametrize("file_format", ["xliff", "po"])
def test_export_all_writes_a_file_the_tools_read(project, capsys, file_format):
    path, out = export(project, capsys, "km", "--format", file_format, "--all")
    assert path.parent == project / "build" / "exchange"
    assert path.name.startswith("km-") and path.suffix == (".xlf" if file_format == "xliff"
                                                           else ".po")
    units = units_by_id(path)
    assert len(units) == expected_segments(project)
    assert f"exported {len(units)} segment(s)" in out
    unit = units[f"{SEXTING}#blocks[2].list[6]"]
    if file_format == "po":
        assert "[^sextortion]" in str(unit.source) and "[^sextortion]" in str(unit.target)
    else:  # a code a CAT tool shows as a tag, in the English and in the translation
        for element in (unit.getlanguageNode(lang=None, index=0),
                        unit.getlanguageNode(lang=None, index=1)):
            assert [(x.get("ctype"), x.get("equiv-text")) for x in element
                    if x.tag.endswith("}x")] == [("x-footnote-call", "[^sextortion]")]
    assert "keep [^sextortion] as they are" in unit.getnotes()
    if file_format == "po":
        catalogue = read_po(io.BytesIO(path.read_bytes()), locale="km")
        contexts = [m.context for m in catalogue if m.id]
        assert len(contexts) == len(units) == len(set(contexts))
        # Identical English texts stay apart by their context.
        assert sum(m.id == "Sexting" for m in catalogue) == 2
    else:
        assert load(path).gettargetlanguage() == "km"
        assert b'urn:oasis:names:tc:xliff:document:1.2' in path.read_bytes()


@pytest.mark.parametrize("file_format", ["xliff", "po"])
def test_export_carries_exactly_the_stale_text(project, capsys, file_format):
    change_english(project)
    path, out = export(project, capsys, "km", "--format", file_format)
    units = units_by_id(path)
    assert list(units) == [f"{SEXTING}#{CHANGED_KEY}"]
    assert "1 stale" in out
    unit = units[f"{SEXTING}#{CHANGED_KEY}"]
    assert str(unit.source).startswith(NEW_ENGLISH)
    assert str(unit.target).startswith("វាជាទម្លាប់")  # the translation as it stands
    assert unit.isfuzzy()
    assert f"previous English: {OLD_ENGLISH}" in unit.getnotes()
    if file_format == "po":
        assert str(unit.prev_source).startswith(OLD_ENGLISH)
    else:
        assert unit.isreview()  # state needs-review-translation
        assert str(unit.getalttrans()[0].source).startswith(OLD_ENGLISH)


def test_export_carries_untranslated_interface_messages(project, capsys):
    path = project / "locales" / "km" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    facts = 'msgid "Facts"\nmsgstr "អង្គហេតុ"'
    assert facts in text
    path.write_text(text.replace(facts, 'msgid "Facts"\nmsgstr ""'), encoding="utf-8")
    exported, out = export(project, capsys, "km", "--format", "po")
    segment = "locales/km/LC_MESSAGES/messages.po#Facts"
    units = units_by_id(exported)
    assert list(units) == [segment]
    assert "1 missing" in out and str(units[segment].target) == ""


def test_export_of_the_source_language_is_refused(project, capsys):
    code, _, err = run(["export", "--project", str(project), "en"], capsys)
    assert code == 1 and "source language" in err


# Import ---------------------------------------------------------------------

@pytest.mark.parametrize("file_format", ["xliff", "po"])
def test_a_round_trip_changes_no_byte(project, capsys, file_format):
    before = snapshot(project)
    path, _ = export(project, capsys, "km", "--format", file_format, "--all")
    code, out, err = do_import(project, capsys, path)
    assert code == 0, err
    assert "imported 0 segment(s)" in out and f"{expected_segments(project)} unchanged" in out
    assert snapshot(project) == before


def test_an_imported_translation_reaches_the_record_the_status_and_the_pdf(project, capsys):
    change_english(project)
    fr_file = project / "content" / "fr" / "manifestations" / "sexting.yaml"
    before = fr_file.read_text(encoding="utf-8").splitlines()
    path, _ = export(project, capsys, "fr")
    segment = f"content/fr/manifestations/sexting.yaml#{CHANGED_KEY}"
    new_text = "Une pratique très fréquente chez les jeunes : texte importé Zanzibar-Quokka."
    code, out, err = do_import(project, capsys, translate(path, {segment: new_text}))
    assert code == 0, err
    assert "imported 1 segment(s)" in out and "now draft" in out

    # Only the text's line and its fingerprint's line changed, besides the record's
    # sign-off (the file was reviewed; it is a draft again): the layout is kept.
    after = fr_file.read_text(encoding="utf-8").splitlines()
    assert "  state: reviewed" in before and "  state: draft" in after
    assert not any(line.startswith(("  reviewer:", "  reviewed:")) for line in after)

    def body(lines):
        return [line for line in lines
                if not line.startswith(("  state:", "  reviewer:", "  reviewed:"))]

    assert len(body(after)) == len(body(before))
    assert sum(a != b for a, b in zip(body(before), body(after), strict=True)) == 2
    data = load_yaml(fr_file, "fr", Problems())
    assert source_texts(data)[CHANGED_KEY] == new_text
    english = source_texts(load_yaml(project / "content/en/manifestations/sexting.yaml", "en",
                                     None))[CHANGED_KEY]
    assert data["translation"]["source"][CHANGED_KEY] == fingerprint(english)
    content, wanted = load_for_status(ProjectPaths(project), ["fr"])
    cell = next(s for s in status(content, wanted) if s.code == "fr").cell("sexting")
    assert cell.state == "draft" and not cell.stale

    code, _, err = run(["build", "--project", str(project), "--lang", "fr",
                        "--edition", "screen", "-q"], capsys)
    assert code == 0, err
    [pdf] = (project / "build" / "screen" / "fr" / "factsheets").glob("*sexting.pdf")
    assert squash("texte importé Zanzibar-Quokka") in squash("".join(page_texts(pdf)))


def test_a_removed_footnote_call_is_refused_and_nothing_changes(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    segment = f"{SEXTING}#blocks[2].list[6]"
    broken = "ការបកប្រែ **ដោយគ្មាន** ការហៅលេខយោង"  # the English's bold, not its footnote call
    returned = translate(path, {segment: broken,
                                f"{SEXTING}#blocks[1].heading": "ចំណងជើងថ្មី"})
    before = snapshot(project)
    code, _, err = do_import(project, capsys, returned)
    assert code == 1
    assert f"segment {segment}: footnote call [^sextortion] is missing" in err
    assert snapshot(project) == before  # the good segment was not written either


def test_lost_emphasis_and_cross_references_are_refused(project, capsys):
    path, _ = export(project, capsys, "km", "--all", "--format", "po")
    units = units_by_id(path)
    bold = f"{SEXTING}#blocks[2].list[0]"
    reference = f"{SEXTING}#footnotes.sextortion"
    returned = translate(path, {
        bold: str(units[bold].target).replace("**", ""),
        reference: str(units[reference].target).replace("[[sextortion|", "[[grooming|")})
    code, _, err = do_import(project, capsys, returned)
    assert code == 1
    assert f"segment {bold}: bold marks ** appear 0 time(s) where the English has 2" in err
    assert f"segment {reference}: cross-reference [[sextortion|…]] is missing" in err


def test_a_file_for_another_language_is_refused(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    before = snapshot(project)
    code, _, err = do_import(project, capsys, path, "--lang", "fr")
    assert code == 1 and "is a 'km' file, not 'fr'" in err
    # A file claiming another language still names km's places: refused too.
    path.write_bytes(path.read_bytes().replace(b'target-language="km"', b'target-language="fr"'))
    code, _, err = do_import(project, capsys, translate(path, {f"{SEXTING}#title": "Sexting"}))
    assert code == 1 and f"segment {SEXTING}#title: no such place" in err
    assert snapshot(project) == before


def test_a_segment_whose_english_changed_after_export_is_refused(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    returned = translate(path, {f"{SEXTING}#{CHANGED_KEY}": "ការបកប្រែថ្មី"})
    change_english(project)
    before = snapshot(project)
    code, _, err = do_import(project, capsys, returned)
    assert code == 1
    assert f"segment {SEXTING}#{CHANGED_KEY}: the English changed since export; export again" \
        in err
    assert snapshot(project) == before


def test_a_translation_failing_the_checks_is_undone(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    heading = f"{SEXTING}#blocks[1].heading"
    returned = translate(path, {heading: "ចំណងជើង 𓀀"})  # no font has this glyph
    before = snapshot(project)
    code, _, err = do_import(project, capsys, returned)
    assert code == 1
    assert "put back as it was" in err and "has no glyph" in err
    assert snapshot(project) == before  # and no .bak of a file that did not change


def test_hostile_text_is_treated_as_content_files_are(project, capsys):
    path, _ = export(project, capsys, "km", "--all", "--format", "po")
    title, heading = f"{SEXTING}#title", f"{SEXTING}#blocks[1].heading"
    code, _, err = do_import(project, capsys, translate(path, {heading: "ចំណងជើង\x1b[2J"}))
    assert code == 1 and f"segment {heading}: character U+001B is not allowed" in err
    # Markup is text: printed as it is, never interpreted (see test_security).
    script = "<script>alert(1)</script> ការផ្ញើសារ"
    code, _, err = do_import(project, capsys, translate(path, {title: script}))
    assert code == 0, err
    assert source_texts(load_yaml(project / SEXTING, "km", Problems()))["title"] == script


def test_a_dry_run_changes_nothing(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    returned = translate(path, {f"{SEXTING}#blocks[1].heading": "ចំណងជើងថ្មី"})
    before = snapshot(project)
    code, out, err = do_import(project, capsys, returned, "--dry-run")
    assert code == 0, err
    assert "would import 1 segment(s)" in out
    assert snapshot(project) == before


def test_a_scaffold_becomes_a_draft_once_every_text_is_imported(project, capsys):
    english = project / "content" / "en" / "internet" / "tor.yaml"
    scaffold = project / "content" / "km" / "internet" / "tor.yaml"
    scaffold.write_text(english.read_text(encoding="utf-8"), encoding="utf-8")
    write_record(scaffold, new_record(load_yaml(english, "en", Problems()), state="missing"),
                 backup=False)
    texts = source_texts(load_yaml(english, "en", Problems()))
    ids = [f"content/km/internet/tor.yaml#{key}" for key in texts]

    path, out = export(project, capsys, "km", "--format", "po")
    assert sorted(units_by_id(path)) == sorted(ids)
    assert f"{len(ids)} missing" in out
    first, rest = ids[:2], ids[2:]
    translated = {i: "ការបកប្រែ " + texts[i.split("#")[1]] for i in ids}
    code, out, err = do_import(project, capsys,
                               translate(path, {i: translated[i] for i in first}))
    assert code == 0, err
    assert f"{len(rest)} not translated or not ready (skipped)" in out
    assert "now missing" in out  # partly translated: the build still shows the English

    path, _ = export(project, capsys, "km", "--format", "po")
    assert sorted(units_by_id(path)) == sorted(rest)
    code, out, err = do_import(project, capsys, translate(path, {i: translated[i] for i in rest}))
    assert code == 0, err
    assert "now draft" in out
    data = load_yaml(scaffold, "km", Problems())
    assert data["translation"]["state"] == "draft"
    assert source_texts(data) == {i.split("#")[1]: translated[i] for i in ids}
    content, wanted = load_for_status(ProjectPaths(project), ["km"])
    assert next(s for s in status(content, wanted) if s.code == "km").cell("tor").state \
        == "draft"


def test_a_file_the_language_lacks_is_created_by_its_import(project, capsys):
    (project / "content" / "km" / "internet" / "tor.yaml").unlink()
    path, _ = export(project, capsys, "km")
    texts = source_texts(load_yaml(project / "content/en/internet/tor.yaml", "en", Problems()))
    ids = {f"content/km/internet/tor.yaml#{key}": "ការបកប្រែ " + text
           for key, text in texts.items()}
    assert sorted(units_by_id(path)) == sorted(ids)
    code, out, err = do_import(project, capsys, translate(path, ids))
    assert code == 0, err
    assert "content/km/internet/tor.yaml: " in out and "now draft" in out
    data = load_yaml(project / "content/km/internet/tor.yaml", "km", Problems())
    assert data["translation"]["state"] == "draft"
    assert source_texts(data) == {i.split("#")[1]: t for i, t in ids.items()}


def test_an_imported_interface_message_is_no_longer_fuzzy(project, capsys):
    path = project / "locales" / "km" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgid "Facts"', '#, fuzzy\nmsgid "Facts"'), encoding="utf-8")
    exported, out = export(project, capsys, "km")
    assert "1 stale" in out
    segment = "locales/km/LC_MESSAGES/messages.po#Facts"
    code, out, err = do_import(project, capsys, translate(exported, {segment: "អង្គហេតុ"}))
    assert code == 0, err
    catalogue = read_po(io.BytesIO(path.read_bytes()), locale="km")
    assert catalogue["Facts"].string == "អង្គហេតុ" and not catalogue["Facts"].fuzzy


def test_a_broken_placeholder_is_refused(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    segment = "locales/km/LC_MESSAGES/messages.po#Page %(page)s of %(pages)s"
    code, _, err = do_import(project, capsys, translate(path, {segment: "ទំព័រ %(page)s"}))
    assert code == 1 and f"segment {segment}: placeholders" in err
