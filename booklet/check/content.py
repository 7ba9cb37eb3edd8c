"""Check: what a single file's shape cannot tell.

Footnote calls and footnotes must match, cross-references must point at a
factsheet, figures must exist in figures/ and be given the labels they use.
"""

from __future__ import annotations

from collections import Counter

from ..content import inline
from ..content.load import Content, Source
from ..content.texts import LABEL, iter_figures, iter_texts
from ..content.yamlfile import line_of
from ..errors import BookletError, Problems
from ..render import palette
from .glossary import check_glossary
from .mirror import check_translations
from .publication import check_publication

MAX_FIGURE_BYTES = 2_000_000


def check_markup(source: Source, content: Content, problems: Problems) -> None:
    data = source.data
    footnotes = data.get("footnotes", {}) if isinstance(data, dict) else {}
    calls: Counter[str] = Counter()
    call_places: dict[str, tuple[int | None, str]] = {}
    for text, path, parent, key in iter_texts(data):
        line = line_of(parent, key)
        in_footnote = path.startswith("footnotes.")
        for bad in inline.malformed_markup(text):
            problems.add(f"malformed footnote call or cross-reference: {bad!r} "
                         "(write [^name] or [[factsheet-id]] or [[factsheet-id|text]])",
                         source.shown, line, path)
        for name in inline.footnote_calls(text):
            if in_footnote:
                problems.add(f"a footnote cannot call another footnote ([^{name}])",
                             source.shown, line, path)
                continue
            calls[name] += 1
            call_places.setdefault(name, (line, path))
            if name not in footnotes:
                problems.add(f"footnote call [^{name}] has no footnote "
                             f"(add footnotes.{name})", source.shown, line, path)
        for target in inline.cross_references(text):
            if content.publication.factsheet(target) is None:
                known = ", ".join(f.id for f in content.publication.factsheets())
                problems.add(f"cross-reference to unknown factsheet {target!r} "
                             f"(known: {known})", source.shown, line, path)
    for name in footnotes:
        if calls[name] == 0:
            problems.add(f"footnote {name!r} is never called (add [^{name}] to the text)",
                         source.shown, line_of(footnotes, name), f"footnotes.{name}")
        elif calls[name] > 1:
            line, path = call_places[name]
            problems.add(f"footnote {name!r} is called {calls[name]} times; call each once",
                         source.shown, line, path)


def check_figures(source: Source, content: Content, problems: Problems,
                  colours: set[str] | None = None) -> None:
    """Figures exist inside figures/, are given their labels and name palette colours
    (``colours``: the names the palette defines; None: not checked)."""
    folder = content.project.figures
    for figure, path in iter_figures(source.data):
        src = figure.get("src")
        if not isinstance(src, str):
            continue
        svg = folder / src
        line = line_of(figure, "src")
        if not svg.is_file():
            problems.add(f"figure {src!r} does not exist in figures/", source.shown, line,
                         f"{path}.src")
            continue
        # A symbolic link could lead anywhere: the file itself must be inside figures/.
        real = svg.resolve()
        if not real.is_relative_to(folder.resolve()) or not real.is_file():
            problems.add(f"figure {src!r} leads outside figures/", source.shown, line,
                         f"{path}.src")
            continue
        if real.stat().st_size > MAX_FIGURE_BYTES:
            problems.add(f"figure {src!r} is larger than {MAX_FIGURE_BYTES:,} bytes",
                         source.shown, line, f"{path}.src")
            continue
        text = svg.read_text(encoding="utf-8", errors="replace")
        if colours is not None:
            for name in sorted(set(palette.PLACEHOLDER.findall(text)) - colours):
                problems.add(f"figure {src!r} names colour {name!r}, which the palette does "
                             "not define (styles/palette.css, or colours in "
                             "content/publication.yaml)", source.shown, line, f"{path}.src")
        used = set(LABEL.findall(text))
        given = set(figure.get("labels") or {})
        for name in sorted(used - given):
            problems.add(f"figure {src!r} needs label {name!r}", source.shown,
                         line_of(figure), f"{path}.labels")
        for name in sorted(given - used):
            problems.add(f"figure {src!r} has no label {name!r}", source.shown,
                         line_of(figure["labels"], name), f"{path}.labels.{name}")


def check_isbn_labels(source: Source, content: Content, problems: Problems) -> None:
    """ISBNs in publication.yaml are printed with labels the front matter gives."""
    if not any((content.publication.data.get("isbn") or {}).values()):
        return
    inside = source.data["inside_cover"]
    if "isbn" not in inside:
        problems.add("publication.yaml gives ISBNs, but the inside cover has no labels for "
                     "them: add isbn: {heading, ebook, print}", source.shown,
                     line_of(source.data, "inside_cover"), "inside_cover.isbn")


def check_availability(source: Source, content: Content, problems: Problems) -> None:
    """The availability sentence must name every series, and only those."""
    if "availability" not in source.data:
        return
    names = source.data["availability"]["series"]
    wanted = [series.id for series in content.publication.series]
    for series_id in wanted:
        if series_id not in names:
            problems.add(f"no name for series {series_id!r}", source.shown, line_of(names),
                         "availability.series")
    for name in names:
        if name not in wanted:
            problems.add(f"{name!r} is not a series of the publication "
                         f"({', '.join(wanted)})", source.shown, line_of(names, name),
                         f"availability.series.{name}")


def check(content: Content, problems: Problems) -> None:
    """Run every cross-file check on every loaded language."""
    check_publication(content, problems)
    try:
        colours = set(palette.load(content.project, "print",
                                   content.publication.data.get("colours")).colours)
    except BookletError:  # no palette: check_publication said so
        colours = None
    for language in content.languages.values():
        for source in language.sources():
            check_markup(source, content, problems)
            check_figures(source, content, problems, colours)
        if "back" in language.parts:
            check_availability(language.parts["back"], content, problems)
        if "front" in language.parts:
            check_isbn_labels(language.parts["front"], content, problems)
    check_translations(content, problems)
    check_glossary(content, problems)
