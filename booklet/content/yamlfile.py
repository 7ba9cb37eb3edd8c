"""Read a YAML file safely, keeping the line of every value.

Content files come from many hands, so they are read as untrusted input:
size limits, no Python tags, no anchors or aliases (no "billion laughs"),
no duplicate keys, and every scalar is text (so ``no`` stays the Norwegian
word instead of becoming ``False``). Each mapping, list and string remembers
the line it started on, for error messages.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ..errors import Problems
from ..files import UnreadableFile, read_regular

MAX_FILE_BYTES = 1_000_000
MAX_LINE_CHARS = 20_000


class Str(str):
    """A string that knows the line it came from."""

    line: int | None = None


class Map(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int | None = None
    key_lines: dict


class Seq(list):
    """A list that knows its own line and the line of each item."""

    line: int | None = None
    item_lines: list


def line_of(value, key=None) -> int | None:
    """The line of ``value``, or of ``value[key]`` when a key or index is given."""
    if key is not None:
        if isinstance(value, Map) and key in value.key_lines:
            return value.key_lines[key]
        if isinstance(value, Seq) and isinstance(key, int) and key < len(value.item_lines):
            return value.item_lines[key]
    return getattr(value, "line", None)


class _Constructor(SafeConstructor):
    def construct_scalar_text(self, node):
        value = Str(self.construct_scalar(node))
        value.line = node.start_mark.line + 1
        return value

    def construct_map(self, node):
        mapping = Map()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text", key_node.start_mark)
            key = str(self.construct_object(key_node))
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {mapping.key_lines[key]})",
                    key_node.start_mark)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=True)

    def construct_seq(self, node):
        sequence = Seq()
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield sequence
        sequence.extend(self.construct_object(child, deep=True) for child in node.value)


_Constructor.yaml_constructors = {}
_Constructor.add_constructor("tag:yaml.org,2002:str", _Constructor.construct_scalar_text)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_map)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_seq)
# Any other tag (!!python/object, !!binary, custom ones) is refused, not guessed at.
_Constructor.add_constructor(None, SafeConstructor.construct_undefined)


class _Composer(Composer):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed in content files",
                event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name) are not allowed in content files",
                event.start_mark)
        return super().compose_node(parent, index)


class _Resolver(BaseResolver):
    """No implicit types: every plain scalar is text."""


class _Loader(Reader, Scanner, Parser, _Composer, _Constructor, _Resolver):
    """PyYAML's own reader and parser: what tells a problem, with its line."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _FastLoader(_Composer, CParser, _Constructor, _Resolver):
        """libyaml's parser under the same composer and constructor: ten times faster,
        the same data and lines. A file it cannot read is read again by _Loader,
        which says why as it always has."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)
else:  # PyYAML built without libyaml
    _FastLoader = None


def _parse(text: str):
    """The data of a YAML text; a YAMLError (or RecursionError) if it has a problem."""
    if _FastLoader is not None and not Reader.NON_PRINTABLE.search(text):
        loader = _FastLoader(text)
        try:
            return loader.get_single_data()
        except (yaml.YAMLError, RecursionError):
            pass  # read again below, for PyYAML's message and line
        finally:
            loader.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_text(path: Path, shown: str, problems: Problems,
              within: Path | None = None) -> str | None:
    """Read a UTF-8 text file within the limits (and inside ``within``), or record why not."""
    try:
        data = read_regular(path, MAX_FILE_BYTES, within)
    except FileNotFoundError:
        problems.add("file does not exist", shown)
        return None
    except UnreadableFile as error:
        problems.add(str(error).replace(str(path), "file", 1), shown)
        return None
    except OSError as error:
        problems.add(f"cannot read file: {error.strerror}", shown)
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add("file starts with a byte-order mark: save it as UTF-8 without BOM", shown, 1)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(f"not valid UTF-8 (byte 0x{data[error.start]:02x}): save it as UTF-8",
                     shown, line)
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE_CHARS:
            problems.add(f"line is longer than {MAX_LINE_CHARS:,} characters", shown, number)
            return None
    return text


def load_yaml(path: Path, shown: str, problems: Problems, within: Path | None = None):
    """Load one YAML file (only from inside ``within``, if given); on any problem,
    record it and return None."""
    text = read_text(path, shown, problems, within)
    if text is None:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.add("tab used for indentation: indent with spaces", shown, number)
            return None
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                               for line in text.splitlines()):
        problems.add("file is empty", shown, 1)
        return None
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = error.problem or error.context or "YAML error"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        problems.add(f"YAML syntax: {message}", shown, line)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        problems.add(f"character U+{error.character:04X} is not allowed in a text file",
                     shown, line)
    except yaml.YAMLError as error:
        problems.add(f"YAML syntax: {error}", shown)
    except RecursionError:
        problems.add("YAML nesting is too deep", shown)
    return None
