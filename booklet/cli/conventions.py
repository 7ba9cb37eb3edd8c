"""The conventions of a Unix command, shared by every command of the CLI.

- Global options go before or after the command name: ``booklet -q build`` and
  ``booklet build -q`` are the same. They are ``--project DIR``,
  ``--color/--no-color``, ``-v/--verbose`` and ``-q/--quiet``.
- Colour only on a terminal, never when NO_COLOR is set (https://no-color.org),
  unless ``--color`` or ``--no-color`` says otherwise.
- ``-q``: results and errors only; ``-v``: also the log of each step.
- ``--format json`` on every command that reports: one JSON document on the
  standard output, messages for people on the standard error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

import click
from click.core import ParameterSource


@dataclass
class Settings:
    """The global options of one run."""

    project: str | None = None
    color: bool | None = None  # None: on a terminal, unless NO_COLOR is set
    verbosity: int = 0  # -1 quiet, 0 normal, 1 and more verbose


def settings() -> Settings:
    root = click.get_current_context().find_root()
    if root.obj is None:
        root.obj = Settings()
    return root.obj


def _given(ctx: click.Context, param: click.Parameter) -> bool:
    return ctx.get_parameter_source(param.name) in (ParameterSource.COMMANDLINE,
                                                    ParameterSource.ENVIRONMENT)


def _set_project(ctx, param, value):
    if _given(ctx, param):
        settings().project = value


def _set_color(ctx, param, value):
    if _given(ctx, param):
        settings().color = value


def _set_verbose(ctx, param, value):
    if _given(ctx, param) and value:
        settings().verbosity = value
        logging.basicConfig(level=logging.INFO if value == 1 else logging.DEBUG,
                            format="%(name)s: %(message)s", stream=sys.stderr)


def _set_quiet(ctx, param, value):
    if _given(ctx, param) and value:
        settings().verbosity = -1


def global_options(command: Callable) -> Callable:
    """The options every command also takes after its name."""
    for option in reversed([
            click.option("--project", metavar="DIR", expose_value=False,
                          callback=_set_project,
                          help="The project folder (default: the one containing the current "
                          "folder)."),
            click.option("--color/--no-color", default=None, expose_value=False,
                         callback=_set_color,
                         help="Colour the output (default: on a terminal, unless NO_COLOR is "
                         "set)."),
            click.option("-v", "--verbose", count=True, expose_value=False,
                         callback=_set_verbose, help="Also log each step (-vv: in detail)."),
            click.option("-q", "--quiet", is_flag=True, expose_value=False,
                         callback=_set_quiet, help="Show only results and errors.")]):
        command = option(command)
    return command


format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for people, json for scripts (on the standard output).")


def use_color() -> bool:
    chosen = settings().color
    if chosen is not None:
        return chosen
    return not os.environ.get("NO_COLOR") and on_terminal()


def on_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def say(message: str = "", err: bool = False) -> None:
    """Print a line for people, in colour only where colour is wanted."""
    click.echo(message, err=err, color=use_color())


def note(message: str) -> None:
    """A message beside the result (on the standard error), which -q leaves out."""
    if settings().verbosity >= 0:
        say(message, err=True)


def progress() -> Callable[[str], None] | None:
    return note if settings().verbosity >= 0 else None


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def usage_line(error: click.UsageError) -> str:
    """A usage error in one line: what is wrong, and where to read more."""
    command = error.ctx.command_path if error.ctx is not None else "booklet"
    return f"{command}: {error.format_message()} (see '{command} --help')"
