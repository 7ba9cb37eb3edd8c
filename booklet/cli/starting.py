"""The command that starts a new publication: booklet init."""

from __future__ import annotations

import sys

import click

from ..api import Starter, init_project
from .conventions import emit_json, format_option, say
from .group import command


@command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--title", help="The publication's title, as its cover shows it.")
@click.option("--publisher", help="Who publishes it (also its author).")
@click.option("--language", metavar="CODE",
              help="The language it is written in (source language).  [default: en]")
@format_option
def init(directory, title, publisher, language, output_format) -> None:
    """Make a new project in DIRECTORY that `booklet build` turns into both editions.

    Options not given are asked for when run on a terminal; otherwise --title and
    --publisher are required and the language is English.
    """
    asking = sys.stdin.isatty()

    def value(given, option, prompt, default=None):
        if given is not None:
            return given
        if asking:
            return click.prompt(prompt, default=default)
        if default is not None:
            return default
        raise click.UsageError(f"{option} is required when init is not run on a terminal")

    starter = Starter(title=value(title, "--title", "Title"),
                      publisher=value(publisher, "--publisher", "Publisher"),
                      language=value(language, "--language", "Language code", "en"))
    project, written = init_project(directory, starter)
    if output_format == "json":
        emit_json({"project": str(project.root),
                   "written": [project.shown(path) for path in written]})
        return
    for path in written:
        say(f"wrote {project.shown(path)}")
    say(f"next: cd {directory} && booklet build")
