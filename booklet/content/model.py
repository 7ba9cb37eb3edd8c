"""The shape of every content file, described once.

docs/content-model.md explains these for editors; ``booklet schema`` writes
them out as JSON Schema into schema/.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import Blocks, Choice, Count, Decimal, Field, ListOf, MapOf, Record, Text

ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LANG = r"[a-z]{2,3}(?:[_-][A-Za-z0-9]+)*"

TEXT = Text()

#: Where a translation came from: its review state and the source it was made from.
TRANSLATION = Record({
    "state": Field(Choice(("missing", "draft", "reviewed")),
                   description="missing until translated (the text is the source's), "
                   "draft until a reviewer signs off"),
    "reviewer": Field(TEXT, required=False),
    "reviewed": Field(Text(pattern=r"\d{4}-\d{2}-\d{2}", description="a date as YYYY-MM-DD"),
                      required=False),
    "source": Field(MapOf(Text(pattern=r"[0-9a-f]{12}", description="a fingerprint"),
                          key_pattern=r"[A-Za-z0-9_.\[\]-]+"),
                    description="fingerprint of each source text this translation was made "
                    "from, by key path"),
}, description="translation state; absent in the source language")


def _inner_blocks() -> Blocks:
    """Blocks allowed inside boxes: no headings, no nested boxes."""
    return Blocks(dict(
        paragraph=(TEXT, "a paragraph"),
        list=(ListOf(TEXT), "a bullet list"),
        subheading=(TEXT, "a minor heading"),
        figure=(FIGURE, "an SVG figure from figures/"),
    ))


FIGURE = Record({
    "src": Field(Text(pattern=r"[a-z0-9][a-z0-9_-]*\.svg", description="an SVG file in figures/"),
                 description="file name of the figure in figures/"),
    "alt": Field(TEXT, description="text alternative read by screen readers"),
    "caption": Field(TEXT, required=False, description="printed under the figure"),
    "labels": Field(MapOf(TEXT), required=False,
                    description="texts shown in the figure, by the names the SVG uses"),
})

TERMS = ListOf(Record({
    "term": Field(TEXT),
    "blocks": Field(_inner_blocks()),
}))

BOXED = Record({"title": Field(TEXT), "blocks": Field(_inner_blocks())})

BLOCK_TYPES = dict(
    heading=(TEXT, "a section heading"),
    subheading=(TEXT, "a minor heading inside a section"),
    paragraph=(TEXT, "a paragraph"),
    list=(ListOf(TEXT), "a bullet list"),
    actions=(ListOf(TEXT), "the 'What can you do?' box"),
    definitions=(TERMS, "the definition box: terms and their definitions"),
    descriptions=(TERMS, "a list of terms, each followed by its description"),
    facts=(_inner_blocks(), "the facts box"),
    callout=(Record({
        "kind": Field(Choice(("info", "note", "caution")), required=False,
                      description="info (default), note or caution"),
        "title": Field(TEXT),
        "blocks": Field(_inner_blocks()),
    }), "a boxed aside with a title"),
    strengths=(BOXED, "the strengths box: list items are marked with a tick"),
    weaknesses=(BOXED, "the weaknesses box: list items are marked with a cross"),
    article=(Record({
        "title": Field(TEXT, required=False),
        "items": Field(ListOf(Record({"label": Field(TEXT, required=False),
                                      "text": Field(TEXT)})), required=False),
        "blocks": Field(_inner_blocks(), required=False),
    }), "an article of a treaty with its lettered items"),
    quote=(Record({
        "title": Field(TEXT, required=False),
        "cite": Field(TEXT, required=False),
        "blocks": Field(_inner_blocks()),
    }), "a quoted legal definition"),
    ratification=(TEXT, "the ratification status box"),
    figure=(FIGURE, "an SVG figure from figures/"),
)

BLOCKS = Blocks(BLOCK_TYPES)
FOOTNOTES = MapOf(TEXT, description="footnote texts by name; call them with [^name]")

FACTSHEET = Record({
    "translation": Field(TRANSLATION, required=False),
    "title": Field(TEXT),
    "toc_title": Field(TEXT, required=False,
                       description="the title as the table of contents shows it"),
    "short_title": Field(TEXT, required=False,
                         description="the title as running heads show it, when the whole "
                                     "title is too long for one line"),
    "subtitle": Field(TEXT, required=False),
    "blocks": Field(BLOCKS),
    "footnotes": Field(FOOTNOTES, required=False),
}, description="One factsheet", name="factsheet")

SERIES = Record({
    "translation": Field(TRANSLATION, required=False),
    "label": Field(TEXT, description="e.g. 'Section 1'"),
    "title": Field(TEXT),
    "blocks": Field(BLOCKS, description="the series introduction"),
    "footnotes": Field(FOOTNOTES, required=False),
}, description="A series' divider page and introduction", name="series")

FRONT = Record({
    "translation": Field(TRANSLATION, required=False),
    "cover": Field(Record({"title": Field(TEXT), "subtitle": Field(TEXT),
                           "tagline": Field(TEXT)})),
    "inside_cover": Field(Record({
        "about": Field(BLOCKS, required=False, description="who the publisher is"),
        "support": Field(BLOCKS, required=False,
                         description="funders and partners who made the publication possible"),
        "copyright": Field(TEXT),
        "credits": Field(BLOCKS, required=False, description="authors, design, contributors"),
        "published_by": Field(TEXT),
        "address": Field(ListOf(TEXT)),
        "isbn": Field(Record({"heading": Field(TEXT), "ebook": Field(TEXT),
                              "print": Field(TEXT)}), required=False,
                      description="the labels of the ISBNs publication.yaml gives (needed "
                      "only if it gives any)"),
    })),
}, description="Cover and inside cover", name="front")

FOREWORD = Record({
    "translation": Field(TRANSLATION, required=False),
    "title": Field(TEXT),
    "blocks": Field(BLOCKS),
}, description="The foreword", name="foreword")

ACRONYMS = Record({
    "translation": Field(TRANSLATION, required=False),
    "title": Field(TEXT),
    "acronyms": Field(ListOf(Record({"acronym": Field(TEXT), "expansion": Field(TEXT)}),
                             min_items=0),
                      description="an empty list: the booklet has no acronyms page"),
}, description="The acronyms table", name="acronyms")

BACK = Record({
    "translation": Field(TRANSLATION, required=False),
    "blocks": Field(BLOCKS),
    "availability": Field(Record({
        "sentence": Field(Text(pattern=r"[^{}]*\{series\}[^{}]*\{languages\}[^{}]*|"
                                       r"[^{}]*\{languages\}[^{}]*\{series\}[^{}]*",
                               description="a sentence with {series} and {languages}"),
                          description="one sentence per series, e.g. 'The {series} factsheets "
                          "are available in {languages}.'"),
        "series": Field(MapOf(TEXT), description="each series' name as the sentence uses it"),
        "language_names": Field(MapOf(TEXT), required=False,
                                description="language names to use instead of the standard "
                                "ones, by language code"),
        "list_end": Field(Text(pattern=r"[^{}]*\{0\}[^{}]*\{1\}[^{}]*",
                               description="a pattern with {0} and {1}"), required=False,
                          description="how the last two language names are joined, where "
                          "the language's standard pattern is not what readers expect, "
                          "e.g. '{0} ແລະ {1}'"),
    }), required=False,
        description="the generated statement of which languages each series exists in "
        "(leave it out for a publication in one language, or to say nothing of it)"),
    "address": Field(ListOf(TEXT)),
}, description="Back matter and back cover", name="back")

CMYK = Text(pattern=r"(?:0|1|0?\.\d+|1\.0+)(?: +(?:0|1|0?\.\d+|1\.0+)){3}",
             description="cyan, magenta, yellow and black from 0 to 1, e.g. 0.6 0.9 0 0.1")
ISBN = Text(description="an ISBN-13 or ISBN-10, e.g. 978-92-95063-11-6")

#: A series colour publication.yaml defines: its accent, and shades that are tints of it
#: unless given.
SERIES_COLOUR = Record({
    "accent": Field(CMYK, description="titles, bands and rules"),
    "ink": Field(CMYK, required=False, description="small text: headings, box titles, "
                 "labels; at least 4.5:1 against white and the pale shade (default: the "
                 "accent)"),
    "mid": Field(CMYK, required=False, description="box borders (default: a 75% tint)"),
    "pale": Field(CMYK, required=False, description="box backgrounds (default: a 15% tint)"),
})

#: An ISO 15924 script code, as CLDR names a language's script (Thai, Deva, Jpan, ...).
SCRIPT = r"[A-Z][a-z]{3}"
FAMILIES = ListOf(Text(description="a font family, as fontconfig names it (fc-list : family)"))
LEADING = Decimal(minimum=1.0, maximum=3.0, description="a multiple of the type size, e.g. 1.6")
MEASURE = Decimal(minimum=60.0, maximum=170.0,
                  description="a width in mm, at most the page's text area (170)")

#: The fonts of one script or language: its families first, then the fallback.
FONT_STACK = Record({
    "families": Field(FAMILIES, description="the families its text is set in, first "
                      "choice first; the fallback families follow them"),
    "leading": Field(LEADING, required=False,
                     description="the line height of running text (default 1.45): scripts "
                     "with stacked marks need more"),
    "leading_tight": Field(LEADING, required=False,
                           description="the closest line height copyfitting may use "
                           "(default 1.3)"),
    "measure": Field(MEASURE, required=False,
                     description="the width of its running text in mm, where it reads "
                     "better narrower than the page's text area (170 mm)"),
}, description="the fonts of a script or language")

FONTS = Record({
    "fallback": Field(FAMILIES, required=False,
                      description="families that follow every stack (Latin, Cyrillic, "
                      "symbols)"),
    "measure": Field(MEASURE, required=False,
                     description="the width in mm of running text the fallback families set "
                     "(languages with no entry of their own): 60 to 75 characters a line"),
    "scripts": Field(MapOf(FONT_STACK, key_pattern=SCRIPT), required=False,
                     description="fonts by ISO 15924 script code; a language is in the "
                     "script CLDR gives it (hi: Deva, ja: Jpan)"),
    "languages": Field(MapOf(FONT_STACK, key_pattern=LANG), required=False,
                       description="fonts by language code, before its script's "
                       "(e.g. ur: Noto Nastaliq Urdu, where fa keeps Naskh)"),
}, description="Fonts: the theme's are used for whatever this does not name",
    name="fonts")

PUBLICATION = Record({
    "publisher": Field(TEXT),
    "author": Field(TEXT),
    "date": Field(Text(pattern=r"\d{4}-\d{2}-\d{2}", description="a date as YYYY-MM-DD")),
    "website": Field(TEXT),
    "email": Field(TEXT),
    "isbn": Field(Record({"ebook": Field(ISBN, required=False),
                          "print": Field(ISBN, required=False)}), required=False,
                  description="each edition's ISBN, if it has one (ISBN-13 or ISBN-10, "
                  "checked against its check digit)"),
    "source_language": Field(Text(pattern=LANG, description="a language code")),
    "languages": Field(ListOf(Text(pattern=LANG, description="a language code"))),
    "locales": Field(MapOf(Text(pattern=LANG, description="a Babel locale"),
                           key_pattern=LANG), required=False,
                     description="the Babel locale that formats a language's dates and lists, "
                     "when it is not the language code itself (e.g. en: en_GB)"),
    "colours": Field(MapOf(SERIES_COLOUR, key_pattern=ID), required=False,
                     description="series colours of this publication, by name, in CMYK"),
    "fonts": Field(FONTS, required=False,
                   description="the fonts of each script and language, where the theme's "
                   "(Noto) are not the ones wanted or a script is new to the theme"),
    "series": Field(ListOf(Record({
        "id": Field(Text(pattern=ID, description="lower-case words joined by -")),
        "colour": Field(Text(pattern=ID, description="a colour name"),
                        description="a colour of the palette (the theme's: teal, plum, "
                        "orange) or one defined under colours"),
        "languages": Field(ListOf(Text(pattern=LANG, description="a language code")),
                           description="the languages this series exists in"),
        "pages": Field(Count(pattern=r"[1-9][0-9]?", description="a number of pages"),
                       required=False,
                       description="the page budget of each factsheet of the series, in every "
                       "language: the build fits each factsheet to it"),
        "missing": Field(Choice(("omit", "fallback", "fail")), required=False,
                         description="what a language listed for this series does with a "
                         "factsheet it has no translation of: omit it (default), use the "
                         "source text marked as not yet translated, or fail"),
        "factsheets": Field(ListOf(Record({
            "id": Field(Text(pattern=ID, description="lower-case words joined by -")),
            "slug": Field(Text(pattern=ID, description="lower-case words joined by -")),
            "pages": Field(Count(pattern=r"[1-9][0-9]?", description="a number of pages"),
                           required=False,
                           description="this factsheet's page budget, where it is not its "
                           "series' (the source's own page count, e.g. a three-page "
                           "factsheet in a series of two-page ones)"),
        }))),
    }))),
}, description="The publication: what exists, in which order", name="publication")

GLOSSARY = Record({
    "language": Field(Text(pattern=LANG, description="a language code"),
                      description="the language whose terms these are"),
    "terms": Field(ListOf(Record({
        "english": Field(TEXT, description="the key term in the source language"),
        "approved": Field(TEXT, description="the approved term in this language"),
        "avoid": Field(ListOf(TEXT), required=False,
                       description="variants that must not appear in the booklet's own text "
                       "(quoted legal text, in quote and article blocks, keeps its wording)"),
        "note": Field(TEXT, required=False, description="why, where from, how it is used"),
    }))),
}, description="A language's approved terms, checked against its content", name="glossary")

#: Every kind of content file, by the name of its schema.
FILE_SHAPES = {shape.name: shape for shape in
               (PUBLICATION, FRONT, FOREWORD, ACRONYMS, BACK, SERIES, FACTSHEET, GLOSSARY)}


def write_json_schemas(folder: Path) -> list[Path]:
    """Write each file shape as a JSON Schema (draft 2020-12) into ``folder``."""
    folder.mkdir(exist_ok=True)
    written = []
    for name, shape in FILE_SHAPES.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": f"{name}.schema.json", "title": f"booklet {name} file",
                    **shape.json_schema()}
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
