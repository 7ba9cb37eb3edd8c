"""Problems found in the input, and the one exception that reports them.

Every message about input names its place: ``file:line: key.path: message``.
Checks collect problems instead of raising on the first one, so a single run
lists everything that needs fixing.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

#: Exit codes: input problems and internal bugs are told apart.
EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_BUG = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        place = ""
        if self.file:
            place = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        kind = "warning: " if self.warning else ""
        return f"{place}{kind}{key}{self.message}"


@dataclass
class Problems:
    """A collector of problems, shared by the checks of one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, file: str | Path | None = None, line: int | None = None,
            key: str | None = None, warning: bool = False) -> None:
        self.items.append(Problem(message, str(file) if file else None, line, key, warning))

    def warn(self, message: str, file: str | Path | None = None, line: int | None = None,
             key: str | None = None) -> None:
        self.add(message, file, line, key, warning=True)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Stop once, listing every problem, if any is an error (or any at all when strict)."""
        if self.errors or (strict and self.items):
            raise ContentError(self.items)


class BookletError(Exception):
    """An error the user can fix; shown without a traceback."""

    exit_code = EXIT_INPUT

    def show(self) -> str:
        return f"error: {self}"


class UsageError(BookletError):
    """The command asks for something that does not exist (an unknown language, say)."""

    exit_code = EXIT_USAGE


class ContentError(BookletError):
    """The content has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")

    def show(self) -> str:
        lines = [("" if p.warning else "error: ") + str(p) for p in self.problems]
        errors = sum(not p.warning for p in self.problems)
        warnings = len(self.problems) - errors
        summary = f"{errors} error(s)" + (f", {warnings} warning(s)" if warnings else "")
        return "\n".join(lines + [summary])


#: Failures of the machine around the tool, not of the tool: a full disk, a
#: read-only or forbidden folder, a folder removed under it, too long a name.
ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                      errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG,
                      errno.EMFILE, errno.ENFILE, errno.EIO, errno.EEXIST, errno.ELOOP,
                      errno.EFBIG, errno.ENOMEM}


def environment_error(error: OSError) -> BookletError | None:
    """The one-line error a failure of the file system deserves (None: not one of those)."""
    if error.errno not in ENVIRONMENT_ERRNOS:
        return None
    reason = error.strerror or os.strerror(error.errno)
    if not error.filename:
        return BookletError(reason)
    place = _shown(str(error.filename))
    if error.filename2:
        place += f" → {_shown(str(error.filename2))}"
    return BookletError(f"{place}: {reason}")


def _shown(path: str) -> str:
    """A path as given, or relative to the current folder when it lies inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return path
    return path if relative.startswith("..") else relative
