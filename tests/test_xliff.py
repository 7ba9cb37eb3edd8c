"""Exchange files as other tools check them: XLIFF 1.2 against the OASIS schema, inline
codes a CAT tool protects, PO through msgfmt -c, and round trips through translate-toolkit's
and polib's storage classes."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from babel.messages.catalog import Catalog
from conftest import run
from lxml import etree
from test_exchange import SEXTING, change_english, do_import, export, snapshot
from translate.storage import pypo, xliff

from booklet.content.texts import source_texts
from booklet.content.yamlfile import load_yaml
from booklet.errors import Problems

SCHEMAS = Path(__file__).parent / "schemas"
NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{NS}}}"
BOLD_AND_CALL = f"{SEXTING}#blocks[2].list[6]"  # **makes children vulnerable** …[^sextortion]


def xliff_schema() -> etree.XMLSchema:
    document = etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"))
    for imported in document.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imported.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())  # no network
    return etree.XMLSchema(document)


def schema_errors(path: Path) -> list[str]:
    schema = xliff_schema()
    schema.validate(etree.parse(str(path)))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def units(path: Path) -> dict[str, etree._Element]:
    return {u.get("id"): u for u in etree.parse(str(path)).iter(f"{X}trans-unit")}


def edit(path: Path, changes: dict, into: str = "returned.xlf") -> Path:
    """Play the CAT tool: change each named unit's <target> in place and mark it done."""
    document = etree.parse(str(path))
    for unit in document.iter(f"{X}trans-unit"):
        if unit.get("id") in changes:
            target = unit.find(f"{X}target")
            changes[unit.get("id")](target)
            target.set("state", "translated")
    returned = path.with_name(into)
    document.write(str(returned), xml_declaration=True, encoding="utf-8")
    return returned


def test_the_schema_finds_what_it_should(tmp_path):
    """A duplicate context-group name, the export's old fault, fails the schema."""
    bad = tmp_path / "bad.xlf"
    bad.write_text(
        f'<xliff xmlns="{NS}" version="1.2"><file original="f" source-language="en" '
        'datatype="plaintext"><body>'
        + "".join(f'<trans-unit id="{i}"><source>s</source><context-group name="same">'
                  '<context context-type="x-key">k</context></context-group></trans-unit>'
                  for i in (1, 2))
        + "</body></file></xliff>", encoding="utf-8")
    assert any("Duplicate key-sequence" in error for error in schema_errors(bad))


def test_a_whole_language_exports_valid_xliff(project, capsys):
    path, out = export(project, capsys, "fr", "--all")
    assert schema_errors(path) == []
    names = Counter(group.get("name") for group in
                    etree.parse(str(path)).iter(f"{X}context-group"))
    assert len(names) > 500 and max(names.values()) == 1


def test_approved_and_state_follow_each_texts_status(project, capsys):
    change_english(project)  # one km text stale
    draft = project / "content" / "km" / "manifestations" / "grooming.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        "state: reviewed", "state: draft", 1), encoding="utf-8")
    (project / "content" / "km" / "internet" / "tor.yaml").unlink()  # missing
    path, _ = export(project, capsys, "km", "--all")
    assert schema_errors(path) == []

    def marks(unit_id: str) -> tuple:
        unit = found[unit_id]
        target = unit.find(f"{X}target")
        return unit.get("approved"), None if target is None else target.get("state")

    found = units(path)
    assert marks(f"{SEXTING}#blocks[0].definitions[0].blocks[1].paragraph") == \
        ("no", "needs-review-translation")
    assert marks(f"{SEXTING}#blocks[1].heading") == ("yes", "signed-off")
    assert marks("content/km/manifestations/grooming.yaml#title") == ("no", "translated")
    assert marks("content/km/internet/tor.yaml#title") == ("no", None)
    stale = found[f"{SEXTING}#blocks[0].definitions[0].blocks[1].paragraph"]
    notes = [note.text for note in stale.iter(f"{X}note")]
    assert any(n.startswith("English, with its markup: It is a very frequent") for n in notes)
    assert any("previous English: It is a frequent practice" in n for n in notes)
    assert any(n.startswith("factsheet sexting: content/km/manifestations/sexting.yaml, blocks[0]")
               for n in notes)


def test_inline_markup_is_exported_as_codes(project, capsys):
    path, _ = export(project, capsys, "km", "--all")
    source = units(path)[BOLD_AND_CALL].find(f"{X}source")
    assert source.text == "Sexting "
    bold, call = list(source)
    assert (bold.tag, bold.get("ctype"), bold.text) == (f"{X}g", "bold",
                                                        "makes children vulnerable")
    assert (call.tag, call.get("ctype"), call.get("equiv-text")) == \
        (f"{X}x", "x-footnote-call", "[^sextortion]")
    message = units(path)["locales/km/LC_MESSAGES/messages.po#Page %(page)s of %(pages)s"]
    assert [x.get("equiv-text") for x in message.find(f"{X}source")] == ["%(page)s", "%(pages)s"]


def test_codes_come_back_as_markup_on_import(project, capsys):
    path, _ = export(project, capsys, "km", "--all")

    def retranslate(target):
        bold, call = list(target)
        target.text = "ការផ្ញើសារ "
        bold.text = "ធ្វើឱ្យកុមារងាយរងគ្រោះ"
        bold.tail = " ចំពោះការជំរិត"
        call.tail = " និងការសម្លុត។"

    code, out, err = do_import(project, capsys, edit(path, {BOLD_AND_CALL: retranslate}))
    assert code == 0, err
    data = load_yaml(project / SEXTING, "km", Problems())
    assert source_texts(data)["blocks[2].list[6]"] == \
        "ការផ្ញើសារ **ធ្វើឱ្យកុមារងាយរងគ្រោះ** ចំពោះការជំរិត[^sextortion] និងការសម្លុត។"


@pytest.mark.parametrize("damage, message", [
    (lambda t: t[1].set("id", "9"), 'inline code <x id="9"> is not one of the English'),
    (lambda t: t[0].set("id", "2"), 'inline code <g id="2"> is not one of the English'),
    (lambda t: etree.SubElement(t, f"{X}bpt", id="1"), "inline code <bpt id=\"1\">"),
    (lambda t: etree.SubElement(t, "{urn:other}b"), "element <b> is not XLIFF 1.2"),
    (lambda t: t.remove(t[1]), "footnote call [^sextortion] is missing"),
])
def test_a_damaged_code_is_refused_naming_its_unit(project, capsys, damage, message):
    path, _ = export(project, capsys, "km", "--all")
    before = snapshot(project)
    code, _, err = do_import(project, capsys, edit(path, {BOLD_AND_CALL: damage}))
    assert code == 1
    assert f"segment {BOLD_AND_CALL}: {message}" in err
    assert snapshot(project) == before


def test_xliff_survives_translate_toolkits_storage_unchanged(project, capsys):
    change_english(project)
    path, _ = export(project, capsys, "km", "--all")
    again = bytes(xliff.xlifffile.parsestring(path.read_bytes()))
    canonical = [etree.tostring(etree.fromstring(data), method="c14n")
                 for data in (path.read_bytes(), again)]
    assert canonical[0] == canonical[1]


def test_po_survives_polib_and_translate_toolkit_unchanged(project, capsys):
    change_english(project)
    path, _ = export(project, capsys, "fr", "--all", "--format", "po")
    text = path.read_text(encoding="utf-8")
    # polib folds long comments at 78 columns unless told otherwise, as msgcat does
    through_polib = polib.pofile(str(polib.pofile(text, wrapwidth=0)))
    original = polib.pofile(text)
    assert through_polib.metadata == original.metadata
    fields = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags",
              "comment", "occurrences", "previous_msgid")
    assert [[getattr(e, f) for f in fields] for e in through_polib] == \
        [[getattr(e, f) for f in fields] for e in original]
    assert bytes(pypo.pofile.parsestring(path.read_bytes())) == path.read_bytes()


@pytest.mark.parametrize("language", ["fr", "km", "ru"])
def test_po_passes_msgfmt_check(project, capsys, language):
    change_english(project)
    path, _ = export(project, capsys, language, "--all", "--format", "po")
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_po_header_names_language_plural_forms_and_where_to_report(project, capsys):
    path, _ = export(project, capsys, "ru", "--all", "--format", "po")
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Plural-Forms"] == Catalog(locale="ru").plural_forms
    email = load_yaml(project / "content" / "publication.yaml", "p", Problems())["email"]
    assert po.metadata["Report-Msgid-Bugs-To"] == email
    for placeholder in ("FULL NAME", "EMAIL@ADDRESS", "LL@li.org", "YEAR-MO-DA"):
        assert placeholder not in path.read_text(encoding="utf-8")


def test_a_plural_message_is_one_po_entry_with_its_forms(project, capsys):
    path, _ = export(project, capsys, "ru", "--all", "--format", "po")
    [entry] = [e for e in polib.pofile(str(path)) if e.msgid_plural]
    assert (entry.msgid, entry.msgid_plural) == ("Definition", "Definitions")
    assert len(entry.msgstr_plural) == 3  # Russian: one, few, many
    entry.msgstr_plural = {0: "Определение!", 1: "Определения!", 2: "Определений!"}
    po = polib.pofile(str(path))
    [target] = [e for e in po if e.msgid_plural]
    target.msgstr_plural = entry.msgstr_plural
    returned = path.with_name("returned.po")
    po.save(str(returned))
    code, _, err = do_import(project, capsys, returned)
    assert code == 0, err
    catalogue = polib.pofile(str(project / "locales/ru/LC_MESSAGES/messages.po"))
    [saved] = [e for e in catalogue if e.msgid_plural]
    assert saved.msgstr_plural == {0: "Определение!", 1: "Определения!", 2: "Определений!"}



def test_reviewing_a_catalogue_keeps_every_header_field_and_message(project, capsys):
    path = project / "locales" / "km" / "LC_MESSAGES" / "messages.po"
    before = polib.pofile(str(path))
    code, out, err = run(["review", "--project", str(project), "km", "messages",
                          "--reviewer", 'Sok "Dara" Chan'], capsys)
    assert code == 0, err
    after = polib.pofile(str(path))
    assert after.metadata == {**before.metadata, "X-Reviewed-By": 'Sok "Dara" Chan',
                              "X-Reviewed-Date": after.metadata["X-Reviewed-Date"]}
    assert [(e.msgid, e.msgstr, e.msgstr_plural) for e in after] == \
        [(e.msgid, e.msgstr, e.msgstr_plural) for e in before]
    code, out, _ = run(["status", "--project", str(project), "--lang", "km", "--format", "json"],
                       capsys)
    assert 'Sok \\"Dara\\" Chan' in out
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, "")
