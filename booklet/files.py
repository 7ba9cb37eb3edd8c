"""Files: read only what is safe to read, write so that an interruption loses nothing.

Reading: a project's files come from many hands, so only regular files are
read (a FIFO would hang the tool, a device like /dev/zero would fill memory),
within a size limit, and, when a folder is given, only if the file really
lies inside it (a symlink cannot lead a build to read ~/.ssh).

Writing: each file through a temporary file and a rename (``write_atomically``);
several files that must change together through a journal (``replace_together``),
so that a process killed half-way leaves either every file changed or none.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import BookletError

#: Temporary files this module, and pikepdf when it saves over a file, leave behind
#: when killed outright: removed by the next process holding the folder's lock.
TEMPORARY_PATTERNS = (".*.tmp", ".pikepdf.*")


class UnreadableFile(BookletError):
    """A file that is not a regular file, is too large, or leads outside its folder."""


def read_regular(path: Path, limit: int, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (inside ``within``, if given).

    Raises ``UnreadableFile`` saying why not, ``FileNotFoundError`` if it is absent.
    """
    if within is not None:
        real, folder = path.resolve(), within.resolve()
        if not real.is_relative_to(folder):
            raise UnreadableFile(f"{path} leads outside {folder} (to {real}): not read")
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{path} is not a regular file ({_kind(info.st_mode)}): "
                                 "not read")
        if info.st_size > limit:
            raise UnreadableFile(f"{path} is larger than {limit:,} bytes: not read")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)  # the file may grow after fstat
        if len(data) > limit:
            raise UnreadableFile(f"{path} is larger than {limit:,} bytes: not read")
        return data
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a plain file"


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``.

    A failure or interruption leaves the previous file as it was and no partial file.
    The file keeps the permissions it had (new files get the usual ones, not the
    private mode temporary files are created with).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:  # a folder that may not be written: name the file, not the
        raise OSError(error.errno, error.strerror, str(path)) from None  # temporary one
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename:
            raise
        # A write into an open file (a full disk) does not say which file: this one.
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def remove_temporary_files(folder: Path) -> list[Path]:
    """Remove what killed writers left in ``folder`` (call it only while holding its lock)."""
    removed = []
    for pattern in TEMPORARY_PATTERNS:
        for stale in folder.rglob(pattern):
            if stale.is_file():
                stale.unlink(missing_ok=True)
                removed.append(stale)
    return removed


# Several files at once ----------------------------------------------------

def replace_together(journal: Path, texts: dict[Path, bytes | None]) -> None:
    """Give every file of ``texts`` its new bytes (None: remove it), all or none.

    Every new file is first written beside its target and flushed to disk; then
    the journal, which lists them, is written atomically: from that moment the
    change counts as made. The renames follow, and the journal goes. A process
    killed before the journal exists changed nothing (its staged files are
    temporary files, which the next holder of the folder's lock removes);
    killed after, ``recover`` completes the renames.
    """
    staged: dict[str, str | None] = {}
    try:
        for path, data in texts.items():
            if data is None:
                staged[str(path)] = None
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".tmp")
            staged[str(path)] = temporary
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, _mode_for(path))
        record = json.dumps({"replace": staged}, ensure_ascii=False).encode("utf-8")
        write_atomically(journal, lambda target: _write_synced(target, record))
    except BaseException:
        for temporary in staged.values():
            if temporary:
                Path(temporary).unlink(missing_ok=True)
        raise
    _complete(journal, staged)


def recover(journal: Path) -> bool:
    """Finish the change an interrupted ``replace_together`` committed to; True if there was one.

    Safe beside another process doing the same: each rename happens once.
    """
    try:
        record = json.loads(journal.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return False
    except ValueError:  # cannot happen (written atomically), but never guess: leave it
        raise BookletError(f"{journal} is damaged: check the files it names by hand, "
                           "then remove it") from None
    _complete(journal, record["replace"])
    return True


def _complete(journal: Path, staged: dict[str, str | None]) -> None:
    for target, temporary in staged.items():
        if temporary is None:
            Path(target).unlink(missing_ok=True)
            continue
        try:
            os.replace(temporary, target)
        except FileNotFoundError:  # renamed already (by the writer, or another recovery)
            pass
    journal.unlink(missing_ok=True)


def _write_synced(target: str, data: bytes) -> None:
    with open(target, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
