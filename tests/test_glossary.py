"""Glossaries: each translation's approved terms, and the check that its text keeps to them."""

from __future__ import annotations

import pytest
from conftest import ROOT, run

import booklet
from booklet.content.load import GLOSSARY_FILE

TRANSLATIONS = ("fr", "es", "ru", "tr", "vi", "id", "th", "km", "lo", "my")
#: Key terms every glossary must settle (the review's brief), found in its `english` entries.
KEY_TERMS = ("child sexual abuse material", "child sexual exploitation material",
             "grooming", "sextortion", "sexting", "live streaming", "offender", "victim",
             "optional protocol", "lanzarote convention", "budapest convention")


@pytest.fixture(scope="module")
def checked():
    """Every language loaded and checked once; glossary findings are warnings."""
    return booklet.open_project(ROOT).check()


def glossary_warnings(result) -> list[str]:
    return [str(w) for w in result.warnings if "is not the approved term" in str(w)]


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_every_translation_has_a_glossary_of_the_key_terms(code):
    from booklet.content.yamlfile import load_yaml
    from booklet.errors import Problems

    problems = Problems()
    data = load_yaml(ROOT / "content" / code / GLOSSARY_FILE, GLOSSARY_FILE, problems)
    assert not problems.items and data["language"] == code
    english = [str(term["english"]).lower() for term in data["terms"]]
    missing = [key for key in KEY_TERMS if not any(key in e for e in english)]
    assert not missing, f"{code}: no approved term for {missing}"
    assert all(str(term["approved"]).strip() for term in data["terms"])


def test_no_translation_uses_a_variant_its_glossary_avoids(checked):
    assert set(TRANSLATIONS) <= set(checked.languages)
    assert glossary_warnings(checked) == []


def test_a_variant_in_the_text_is_named_with_its_place(project, capsys):
    grooming = project / "content" / "tr" / "manifestations" / "grooming.yaml"
    text = grooming.read_text(encoding="utf-8")
    assert "cinsel istismar amaçlı yakınlaşma" in text
    grooming.write_text(text.replace("cinsel istismar amaçlı yakınlaşma", "Tımar", 1),
                        encoding="utf-8")
    code, out, err = run(["check", "--project", str(project), "--lang", "tr"], capsys)
    assert code == 0 and out.startswith("ok:")
    [warning] = [line for line in err.splitlines() if "is not the approved term" in line]
    assert warning.startswith("content/tr/manifestations/grooming.yaml:")
    assert "'tımar' is not the approved term for 'grooming'" in warning
    code, _, _ = run(["check", "--project", str(project), "--lang", "tr", "--strict"], capsys)
    assert code == 1


def test_quoted_legal_text_keeps_its_own_wording(project):
    """A treaty's own term, quoted word for word, is not the booklet's voice."""
    glossary = project / "content" / "fr" / GLOSSARY_FILE
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "  - english: child pornography (test)\n"
        "    approved: « pornographie mettant en scène des enfants »\n"
        "    avoid: [mettant en scène des enfants]\n"), encoding="utf-8")
    result = booklet.open_project(project).check(languages=["fr"])
    places = {w.file for w in result.warnings if "is not the approved term" in str(w)}
    opsc = "content/fr/legal/opsc.yaml"
    quoted = [w for w in result.warnings if w.file == opsc and ".quote." in (w.key or "")]
    assert not quoted
    # The same words in the booklet's own text (the series introduction) are flagged.
    assert "content/fr/legal/_series.yaml" in places
