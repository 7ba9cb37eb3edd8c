"""Change values in a YAML file's text with ruamel.yaml's round trip.

Import, review and new-language write into files people also edit by hand:
their comments, key order, quoting and line layout are theirs. ruamel.yaml's
round-trip mode loads a file with all of that attached and writes it back as
it was; only the values changed here are new (tests/test_yaml_files.py checks
that every content file comes back byte for byte).

A new string is quoted whenever a YAML reader could take it for something
else: a number, a date, a boolean, null or infinity, under the rules of YAML
1.2 (ruamel.yaml, editors, JSON Schema tools) and of YAML 1.1 (PyYAML). A
fingerprint such as ``557153432079`` or ``886256e22080`` stays a string for
every reader.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

#: One step of a key path as fingerprints() writes it: "blocks[3].items[0].text".
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_STRING_TAG = "tag:yaml.org,2002:str"


def _yaml() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 1_000_000  # never fold a long paragraph onto several lines
    handler.indent(mapping=2, sequence=4, offset=2)  # the layout of the content files
    return handler


def load(text: str):
    """A document for editing: mappings and lists that keep comments and styles."""
    return _yaml().load(text)


def dump(document) -> str:
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    return buffer.getvalue()


def steps(path: str) -> Iterator[str | int]:
    """The keys and indexes of a key path, in order."""
    for match in _STEP.finditer(path):
        yield match.group(1) if match.group(1) is not None else int(match.group(2))


def reads_as_text(value: str) -> bool:
    """Whether ``value`` written plain reads back as a string for YAML 1.1 and 1.2 readers."""
    for resolver in (VersionedResolver(version=(1, 2)), VersionedResolver(version=(1, 1))):
        if resolver.resolve(ScalarNode, value, (True, False)) != _STRING_TAG:
            return False
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) \
        == _STRING_TAG


def text(value: str, like=None) -> str:
    """``value`` as a string to write: in the style of ``like`` (the value it replaces),
    and quoted when written plain it would read as another type."""
    value = str(value)  # a plain string, even from a subclass that knows its line
    if isinstance(like, ScalarString):
        return type(like)(value)
    if not reads_as_text(value):
        return DoubleQuotedScalarString(value)
    return value


def replace_texts(source: str, changes: dict[str, str]) -> str:
    """``source`` with the value at each key path of ``changes`` replaced by its new text."""
    document = load(source)
    unknown = []
    for path, value in changes.items():
        parent, last = _parent(document, path)
        if parent is None or not _holds_text(parent, last):
            unknown.append(path)
            continue
        parent[last] = text(value, parent[last])
    if unknown:
        raise KeyError(f"no text value at {', '.join(sorted(unknown))}")
    return dump(document)


def _parent(document, path: str):
    node, keys = document, list(steps(path))
    for key in keys[:-1]:
        if not _holds(node, key):
            return None, None
        node = node[key]
    return (node, keys[-1]) if keys and _holds(node, keys[-1]) else (None, None)


def _holds(node, key) -> bool:
    if isinstance(node, CommentedMap):
        return isinstance(key, str) and key in node
    if isinstance(node, CommentedSeq):
        return isinstance(key, int) and key < len(node)
    return False


def _holds_text(node, key) -> bool:
    return isinstance(node[key], str)


def set_top_level(source: str, key: str, value, first: bool = False) -> str:
    """``source`` with the top-level ``key`` set to ``value`` (a new key goes last, or
    first after the leading comments when ``first``)."""
    document = load(source)
    if document is None:
        document = CommentedMap()
    if key in document or not first:
        document[key] = value
    else:
        document.insert(0, key, value)
    return dump(document)


def append_to_lists(source: str, paths: list[str], item: str) -> str:
    """``source`` with ``item`` appended to the list at each key path (flow or block)."""
    document = load(source)
    for path in paths:
        node = document
        for key in steps(path):
            node = node[key]
        if not isinstance(node, CommentedSeq):
            raise KeyError(f"no list at {path}")
        node.append(text(item))
    return dump(document)
