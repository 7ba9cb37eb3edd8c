"""Languages: codes, availability, catalogues, fonts and line breaking."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT, run
from test_check import replace

from booklet.content.load import GLOSSARY_FILE, load
from booklet.content.texts import iter_texts
from booklet.errors import Problems
from booklet.paths import ProjectPaths
from booklet.render.html import Renderer
from booklet.render.segment import ZWSP, bound_to_the_word_before, insert_breaks
from booklet.render.templates import environment

ALL = ["en", "fr", "es", "ru", "tr", "vi", "id", "th", "km", "lo", "my"]
#: What the source's back page says: which series exist in which languages.
SOURCE_AVAILABILITY = {
    "manifestations": ALL,
    "legal": ["en", "fr", "es"],
    "internet": ["my", "en", "fr", "id", "km", "lo", "es", "th", "vi"],
}


def test_publication_records_the_source_availability():
    publication = yaml.safe_load((ROOT / "content/publication.yaml").read_text())
    for series in publication["series"]:
        assert sorted(series["languages"]) == sorted(SOURCE_AVAILABILITY[series["id"]])


def test_an_unknown_language_code_is_an_error_with_its_line(project, capsys):
    replace(project / "content/publication.yaml", "languages: [en", "languages: [en, xx")
    code, _, err = run(["check", "--project", str(project)], capsys)
    assert code == 1
    assert re.search(r"content/publication.yaml:\d+: languages\[1\]: unknown language code "
                     r"'xx'", err)


def back_page(project, languages):
    """The English back page's availability sentences, with ``languages`` present."""
    publication = project / "content/publication.yaml"
    text = re.sub(r"^languages: .*$", f"languages: [{', '.join(ALL)}]", publication.read_text(),
                  flags=re.M)
    publication.write_text(text)
    first = {s["id"]: s["factsheets"][0]["id"] for s in yaml.safe_load(text)["series"]}
    for series, codes in SOURCE_AVAILABILITY.items():
        for code in codes:
            folder = project / "content" / code / series
            if code == "en" or code not in languages:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_series.yaml").touch()
            (folder / f"{first[series]}.yaml").touch()
    content = load(ProjectPaths(project), Problems(), ["en"])
    renderer = Renderer(content, content.languages["en"], environment(ProjectPaths(project)))
    return [re.sub(r"<[^>]+>", "", sentence) for sentence in renderer.availability()]


def test_availability_is_generated_from_the_content_present(project, source_text):
    every = back_page(project, ALL)
    source = [line.strip() for line in source_text.splitlines()
              if "factsheets are available in" in line]
    # With every translation the source lists, the sentences are the source's, word for word.
    assert every == source
    # Take Khmer away and the sentences say so.
    for series in ("manifestations", "internet"):
        for path in (project / "content/km" / series).iterdir():
            path.unlink()
    (project / "content/km").rename(project / "content-km-gone")
    without_khmer = back_page(project, [])
    assert "Khmer" not in " ".join(without_khmer)
    assert without_khmer[1] == "The legal factsheets are available in English, French and Spanish."


def availability(code: str) -> list[str]:
    """A translation's back-page availability sentences, from the real content."""
    content = load(ProjectPaths(ROOT), Problems(), [code])
    renderer = Renderer(content, content.languages[code], environment(ProjectPaths(ROOT)))
    return [re.sub(r"<[^>]+>", "", s).replace(ZWSP, "") for s in renderer.availability()]


def test_spanish_joins_with_e_before_the_sound_i():
    legal = availability("es")[1]
    assert legal.endswith("español, francés e inglés."), legal


def test_a_translation_can_say_how_its_last_two_names_are_joined():
    """Lao's standard list pattern has no "and" before the last name; its back page adds one."""
    for sentence in availability("lo"):
        assert re.search(r"\S ແລະ \S", sentence), sentence


def test_every_template_string_is_in_the_catalogue_template(tmp_path):
    pot = tmp_path / "messages.pot"
    # pybabel, from the Python running the tests (a clone may have no .venv of its own)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "locales/messages.pot").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert extracted == committed, "run: pybabel extract -F babel.cfg -o locales/messages.pot ."
    assert "What can you do?" in extracted and ("Definition", "Definitions") in extracted


@pytest.mark.parametrize("code", ALL)
def test_every_catalogue_is_complete(code):
    with (ROOT / "locales/messages.pot").open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / f"locales/{code}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id for m in catalogue if m.id and not m.fuzzy and all(
        m.string if isinstance(m.string, tuple) else [m.string])}
    assert wanted <= translated


def test_a_catalogue_with_a_wrong_placeholder_is_refused(project, capsys):
    po = project / "locales/ru/LC_MESSAGES/messages.po"
    replace(po, 'msgstr "см. стр.\u00a0%(page)s"', 'msgstr "см. стр.\u00a0%(pages)s"')
    code, _, err = run(["check", "--project", str(project), "--lang", "ru"], capsys)
    assert code == 1
    assert "locales/ru/LC_MESSAGES/messages.po:" in err
    assert "message 'see page %(page)s': placeholders ['pages'] differ from ['page']" in err


def test_a_character_without_a_glyph_names_file_key_and_character(project, capsys):
    replace(project / "content/en/manifestations/sexting.yaml", "title: Sexting",
            "title: Sexting 漢")
    code, _, err = run(["check", "--project", str(project), "--lang", "en"], capsys)
    assert code == 1
    assert re.search(r"content/en/manifestations/sexting.yaml:\d+: title: character '漢' "
                     r"\(U\+6F22 CJK UNIFIED IDEOGRAPH-6F22\) has no glyph", err)


def test_a_broken_cluster_is_an_error():
    from booklet.check.glyphs import check_clusters
    from booklet.content.typefaces import theme_defaults

    # A Khmer vowel sign with no consonant before it: HarfBuzz would draw a dotted circle.
    problems = Problems()
    check_clusters(theme_defaults(), "km", [("\u17b6\u1780", "x.yaml", 3, "title")], problems)
    assert "broken character cluster" in str(problems.items[0])
    assert problems.items[0].file == "x.yaml"
    problems = Problems()
    check_clusters(theme_defaults(), "km", [("\u1780\u17b6", "x.yaml", 3, "title")], problems)
    assert problems.items == []


@pytest.mark.parametrize("language, text", [
    ("lo", "ການລ່ວງລະເມີດທາງເພດເດັກທາງອອນລາຍ"),
    ("km", "ការកេងប្រវ័ញ្ចផ្លូវភេទលើកុមារតាមអនឡាញ"),
    ("my", "အွန်လိုင်းပေါ်တွင် ကလေးများအား လိင်ပိုင်းဆိုင်ရာ အမြတ်ထုတ်ခြင်း"),
    # Loanwords whose last syllable is a consonant, a medial and an asat (hash, message).
    ("my", "ဤဟက်ရှ်တန်ဖိုးကို မက်ဆေ့ချ်များနှင့် နှိုင်းယှဉ်သည်"),
])
def test_word_breaks_are_found_and_never_split_a_cluster(language, text):
    broken = insert_breaks(text, language)
    assert broken.replace(ZWSP, "") == text
    pieces = broken.split(ZWSP)
    assert len(pieces) >= 4, pieces
    for piece in pieces[1:]:
        # No piece starts with a mark, a virama or an asat: clusters stay whole.
        assert not unicodedata.category(piece[0]).startswith("M"), piece
        assert piece[0] not in "\u1039\u103a\u17d2"
    for piece in pieces[:-1]:
        assert piece[-1] not in "\u1039\u17d2"
    for piece in pieces[1:]:
        # Nor with a consonant whose medials and asat make it the syllable before's.
        assert not re.match("[\u1000-\u1021][\u103b-\u103e]+\u103a", piece), piece


def test_burmese_particles_stay_with_their_word_and_the_negation_with_its_verb():
    text = "ကလေးသူငယ်များကို အွန်လိုင်းတွင် မသိရှိပါ။ ဤလုပ်ရပ်များသည် အန္တရာယ်ရှိသည်။"
    broken = insert_breaks(text, "my")
    pieces = [piece for part in broken.replace("\u00a0", " ").split(" ")
              for piece in part.split(ZWSP)]
    # No line may start with a particle (များ, ကို, သည်, တွင်) or leave မ at its end.
    assert not any(bound_to_the_word_before(piece) for piece in pieces[1:]), pieces
    assert "မ" not in pieces
    assert ZWSP in broken  # words are still found
    # A space before a particle becomes a no-break space.
    assert "\u00a0ကို" in insert_breaks("ကလေးသူငယ်များ ကို", "my")
    assert not bound_to_the_word_before("ကလေးသူငယ်") and not bound_to_the_word_before("မည်သည့်")


def test_a_missing_translation_follows_its_series_policy(project, capsys):
    publication = project / "content/publication.yaml"
    (project / "content/fr/manifestations/sexting.yaml").unlink()
    # omit (the default): the French booklet leaves the factsheet out.
    content = load(ProjectPaths(project), Problems(), ["fr"])
    assert "sexting" not in content.languages["fr"].factsheets
    # fallback: the English text, marked as not yet translated in French.
    replace(publication, "    languages: [en, fr, es, ru, tr, vi, id, th, km, lo, my]\n",
            "    languages: [en, fr, es, ru, tr, vi, id, th, km, lo, my]\n    missing: fallback\n")
    content = load(ProjectPaths(project), Problems(), ["fr"])
    assert content.languages["fr"].fallbacks == {"sexting"}
    renderer = Renderer(content, content.languages["fr"], environment(ProjectPaths(project)))
    page = renderer.factsheet(content.publication.factsheet("sexting"))
    assert 'lang="en"' in page and "Sexting is not criminalised" in page
    assert "Not yet translated: shown in %(language)s" not in page
    assert "anglais" in page  # the notice names English in French
    # fail: an error naming the missing file.
    replace(publication, "    missing: fallback\n", "    missing: fail\n")
    code, _, err = run(["check", "--project", str(project), "--lang", "fr"], capsys)
    assert code == 1
    assert "content/fr/manifestations/sexting.yaml: no fr translation of 'sexting'" in err


#: What the source's back page lists, as files: every language has its front matter.
def expected_files(code: str) -> set[str]:
    files = {"front.yaml", "foreword.yaml", "acronyms.yaml", "back.yaml"}
    publication = yaml.safe_load((ROOT / "content/publication.yaml").read_text())
    for series in publication["series"]:
        if code in SOURCE_AVAILABILITY[series["id"]]:
            files.add(f"{series['id']}/_series.yaml")
            files |= {f"{series['id']}/{sheet['id']}.yaml" for sheet in series["factsheets"]}
    return files


@pytest.mark.parametrize("code", ALL)
def test_the_translated_files_are_exactly_the_source_matrix(code):
    folder = ROOT / "content" / code
    found = {str(path.relative_to(folder)) for path in folder.rglob("*.yaml")}
    assert found - {GLOSSARY_FILE} == expected_files(code)


#: The Unicode ranges of each language's letters.
SCRIPTS = {"th": (0x0E00, 0x0E7F), "lo": (0x0E80, 0x0EFF), "km": (0x1780, 0x17FF),
           "my": (0x1000, 0x109F), "ru": (0x0400, 0x04FF)}


@pytest.mark.parametrize("code", sorted(SCRIPTS))
def test_each_translation_is_written_in_its_script(code):
    low, high = SCRIPTS[code]
    for path in (ROOT / "content" / code).rglob("*.yaml"):
        if path.name == GLOSSARY_FILE:  # its English terms stand beside the approved ones
            continue
        data = yaml.safe_load(path.read_text())
        data.pop("translation", None)
        text = " ".join(text for text, path, _, key in iter_texts(data)
                        if key not in ("src", "kind", "acronym")
                        and not path.startswith("address"))
        letters = [c for c in text if c.isalpha()]
        native = sum(low <= ord(c) <= high for c in letters)
        # Latin only in names, acronyms and addresses: the file is mostly its own script.
        assert native / len(letters) > 0.6, (path.name, native / len(letters))


def test_latin_translations_use_their_own_letters():
    marks = {"fr": "éèàç", "es": "ñáéó", "tr": "ışğİ", "vi": "ươđ", "id": "dan"}
    for code, letters in marks.items():
        text = " ".join((ROOT / "content" / code).joinpath(name).read_text()
                        for name in ("foreword.yaml", "front.yaml"))
        assert any(letter in text for letter in letters), code



def test_latin_terms_inside_another_script_are_marked_but_links_are_not():
    from booklet.render import fragments
    from booklet.render.terms import mark_latin_runs

    def marked(html: str) -> str:
        holder = fragments.read(html)
        mark_latin_runs(holder, "en")
        return str(fragments.write(holder))

    html = ('ข้อมูล CSAM ของ <strong>Terre des Hommes</strong> และ '
            '<a href="https://www.ecpat.org">www.ecpat.org</a> ปี 2017 &amp; x')
    assert marked(html) == (
        'ข้อมูล <span lang="en">CSAM</span> ของ <strong><span lang="en">Terre des Hommes'
        '</span></strong> และ <a href="https://www.ecpat.org">www.ecpat.org</a> ปี 2017 '
        '&amp; x')
    assert marked("ไทย") == "ไทย"
