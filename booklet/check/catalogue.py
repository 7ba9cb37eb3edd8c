"""Interface catalogues: every template message translated, placeholders kept."""

from __future__ import annotations

import re

from ..content.catalogues import catalogue_path
from ..errors import Problems
from ..paths import ProjectPaths

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MARKUP = re.compile(r"[<>&]")


def check_catalogue(project: ProjectPaths, code: str, catalogue, wanted: set,
                    problems: Problems) -> None:
    """Every template message translated, with the same placeholders and no markup."""
    shown = project.shown(catalogue_path(project, code))
    found = set()
    for message in catalogue:
        if not message.id:
            continue
        found.add(message.id)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        line = message.lineno
        if message.id not in wanted:
            problems.warn(f"message {key!r} is no longer used by the templates", shown, line)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            # Shown in the source language until translated; status lists it, --strict fails.
            problems.warn(f"message {key!r} is not translated" +
                          (" (marked fuzzy)" if message.fuzzy else ""), shown, line)
            continue
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                problems.add(f"message {key!r}: placeholders "
                             f"{sorted(PLACEHOLDER.findall(string))} differ from "
                             f"{sorted(expected)}", shown, line)
            if MARKUP.search(string) and not MARKUP.search(ids[0]):
                problems.add(f"message {key!r}: markup characters (<, >, &) are not allowed "
                             "in translations", shown, line)
            if re.search(r"%(?!\(\w+\)s)", string):
                problems.add(f"message {key!r}: stray '%' (write %% for a percent sign)",
                             shown, line)
    for missing in sorted(wanted - found, key=str):
        key = missing[0] if isinstance(missing, tuple) else missing
        problems.add(f"message {key!r} is missing (update the catalogue from "
                     "locales/messages.pot)", shown)
