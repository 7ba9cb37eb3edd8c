"""The command line: a thin layer of commands over the Python API (api.py).

Each command parses its options, calls one method of api.Project and prints
what it returned (conventions.py: global options, colour, verbosity, JSON).
Exit codes: 0 success, 1 problems in the input (listed, no traceback), 2 wrong
usage (one line), 3 an internal error (a bug: the traceback is shown).
"""

from __future__ import annotations

import sys
import traceback

import click

from ..errors import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_USAGE,
    BookletError,
    ContentError,
    environment_error,
)
from . import making, starting, translating  # noqa: F401  (their commands join the group)
from .conventions import usage_line
from .group import cli

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; input errors exit 1, usage errors 2, internal bugs 3."""
    try:
        cli.main(args=argv, prog_name="booklet", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.UsageError as error:
        click.echo(usage_line(error), err=True)
        return EXIT_USAGE
    except click.ClickException as error:
        error.show()
        return EXIT_INPUT
    except (ContentError, BookletError) as error:
        click.echo(error.show(), err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted: earlier outputs are left as they were", err=True)
        return 130
    except Exception as error:
        problem = environment_error(error) if isinstance(error, OSError) else None
        if problem is not None:  # a full disk, a read-only folder: the machine's, not a bug
            click.echo(problem.show(), err=True)
            return problem.exit_code
        # A bug: keep the traceback for the report.
        traceback.print_exc()
        click.echo("internal error: this is a bug in booklet, please report it "
                   "with the traceback above", err=True)
        return EXIT_BUG
    return 0


if __name__ == "__main__":
    sys.exit(main())
