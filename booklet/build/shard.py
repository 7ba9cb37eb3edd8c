"""Shard: one deterministic part of a build, so that several machines share it.

``booklet build --shard I/N`` builds the I-th of N parts of the outputs asked
for; ``booklet merge-reports`` (build/merge.py) puts the parts together into
the build one machine would have made.

A part is made of whole languages. Within a language the build shares work
that a split would have to do twice: the factsheets are copied from the
booklet's layout, each factsheet's copyfitting level is chosen once for both
editions, and the print booklet takes its page count from the screen booklet's.

The split depends only on publication.yaml and the languages asked for, never
on what build/ holds or how long anything took, so every machine computes the
same one: languages are dealt out from the one expected to cost most (the
pages of its booklet, its factsheets being written again from the same pages),
each to the part expected to cost least so far (the first such part on a tie).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..content.load import Publication, load_publication
from ..errors import Problems, UsageError
from ..paths import ProjectPaths
from .lock import build_lock
from .part import write_part
from .plan import EDITIONS
from .run import build

#: A booklet's pages besides its series: cover, inside cover, foreword, acronyms,
#: contents and back cover.
OWN_PAGES = 6
#: A factsheet's pages where its series gives no budget.
FACTSHEET_PAGES = 2


@dataclass(frozen=True)
class Shard:
    """The ``index``-th (from 1) of ``count`` parts of a build."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``I/N`` as the command line gives it; ValueError says what is wrong."""
        index, slash, count = text.partition("/")
        try:
            shard = cls(int(index), int(count))
        except ValueError:
            shard = None
        if not slash or shard is None:
            raise ValueError(f"{text!r} is not I/N (the I-th of N parts, such as 1/2)")
        if shard.count < 1:
            raise ValueError(f"{text!r}: the number of parts must be 1 or more")
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"{text!r}: the part must be from 1 to {shard.count}")
        return shard

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def expected_pages(publication: Publication, code: str) -> int:
    """The pages of a language's booklet, as publication.yaml lets one expect them."""
    pages = OWN_PAGES
    for series in publication.series:
        if not series.languages or code in series.languages:
            pages += 1 + sum(sheet.pages or FACTSHEET_PAGES for sheet in series.factsheets)
    return pages


def split(publication: Publication, languages: list[str], count: int) -> list[list[str]]:
    """The languages of each of ``count`` parts, each part's in the order asked."""
    costs = {code: expected_pages(publication, code) for code in languages}
    loads = [0] * count
    parts: list[set[str]] = [set() for _ in range(count)]
    for code in sorted(languages, key=lambda c: (-costs[c], languages.index(c))):
        cheapest = min(range(count), key=lambda part: (loads[part], part))
        parts[cheapest].add(code)
        loads[cheapest] += costs[code]
    return [[code for code in languages if code in part] for part in parts]


def build_shard(project: ProjectPaths, languages: list[str] | None = None, *, shard: Shard,
                editions: tuple[str, ...] = EDITIONS, impose: bool = False,
                progress: Callable[[str], None] | None = None, **options) -> dict:
    """Build one part, then write build/report-part.json for ``booklet merge-reports``.

    ``options`` go to the build as they are (``strict``, ``force``, ``jobs``).
    """
    problems = Problems()
    publication = load_publication(project, problems)
    problems.raise_if_errors()
    asked = list(dict.fromkeys(languages or publication.languages))
    unknown = [code for code in asked if code not in publication.languages]
    if unknown:  # as the build says it
        raise UsageError(f"unknown language{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(map(repr, unknown))}: the publication's languages are "
                         f"{', '.join(publication.languages)} (booklet new-language adds one)")
    own = split(publication, asked, shard.count)[shard.index - 1]
    say = progress or (lambda message: None)
    say(f"part {shard}: {', '.join(own) or 'nothing (more parts than languages)'}")
    result = {"outputs": [], "rendered": [], "overruns": [], "notices": []}
    if own:  # an empty list would mean every language
        result = build(project, own, editions=editions, impose=impose, progress=progress,
                       **options)
    with build_lock(project, "report part"):
        write_part(project, shard.index, shard.count, asked, own, editions, impose)
    return result
