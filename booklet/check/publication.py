"""Check publication.yaml beyond its shape: series colours exist, ISBNs are ISBNs."""

from __future__ import annotations

import re

from stdnum import isbn as isbn_numbers
from stdnum.exceptions import ValidationError

from ..content.load import Content
from ..content.yamlfile import line_of
from ..errors import BookletError, Problems
from ..render import palette


def check_publication(content: Content, problems: Problems) -> None:
    check_colours(content, problems)
    check_isbns(content, problems)


#: An identifier written as an ISBN: digits and separators, maybe a final X, maybe "ISBN".
WRITTEN_AS_ISBN = re.compile(r"(?:ISBN(?:-1[03])?:?\s*)?([0-9][0-9 -]*[0-9Xx])",
                             re.IGNORECASE)


def check_isbns(content: Content, problems: Problems) -> None:
    """Each ISBN given has an ISBN-13's or ISBN-10's length and check digit.

    An identifier with other letters (this repository's publication prints the
    source's "BN-60-146267") is not written as an ISBN and is printed as given.
    """
    publication = content.publication
    isbns = publication.data.get("isbn") or {}
    for edition, value in isbns.items():
        written = WRITTEN_AS_ISBN.fullmatch(value.strip())
        if written is None:
            continue
        try:
            isbn_numbers.validate(written.group(1))
        except ValidationError as error:
            problems.add(f"{value!r} is not a valid ISBN-13 or ISBN-10: {error.message}",
                         publication.source.shown, line_of(isbns, edition), f"isbn.{edition}")


def check_colours(content: Content, problems: Problems) -> None:
    """Each series names a colour the palette or publication.yaml defines."""
    publication = content.publication
    defined = set(publication.data.get("colours") or {})
    try:
        defined |= palette.series_colours(content.project)
    except BookletError as error:
        problems.add(str(error))
        return
    for index, series in enumerate(publication.data["series"]):
        colour = series["colour"]
        if colour not in defined:
            problems.add(f"colour {colour!r} is not defined: give it in CMYK under colours "
                         f"(e.g. colours: {{{colour}: {{accent: 0.6 0.9 0 0.1}}}}), or use "
                         f"one of {', '.join(sorted(defined))}", publication.source.shown,
                         line_of(series, "colour"), f"series[{index}].colour")
