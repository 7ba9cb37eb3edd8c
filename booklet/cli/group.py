"""The ``booklet`` command group, which every command joins, and its global options."""

from __future__ import annotations

import click

from ..api import EDITIONS, Project, open_project
from ..version import __version__
from .conventions import global_options, settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="booklet")
@global_options
def cli() -> None:
    """Build print-ready PDF factsheets and booklets from per-language content files."""


def command(*args, **kwargs):
    """A command of the group, taking the global options after its name too."""
    def decorate(function):
        return cli.command(*args, **kwargs)(global_options(function))
    return decorate


def project() -> Project:
    return open_project(settings().project)


def editions(edition: str) -> tuple[str, ...]:
    return EDITIONS if edition == "all" else (edition,)


lang_option = click.option(
    "--lang", "languages", multiple=True, metavar="CODE",
    help="Only this language (repeatable). Default: every language of the publication.")
edition_option = click.option(
    "--edition", type=click.Choice(["print", "screen", "all"]), default="all",
    show_default=True, help="print: PDF/X-4 with bleed and crop marks; "
    "screen: tagged PDF/UA-1 e-book.")
