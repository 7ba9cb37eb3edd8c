"""A small description language for the content files.

One description of each file's shape serves twice: ``validate()`` walks the
loaded YAML and reports every mismatch with its line and key path, and
``json_schema()`` exports the same shape as JSON Schema for editors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..errors import Problems
from .yamlfile import Map, Seq, line_of

MAX_TEXT_CHARS = 10_000
MAX_ITEMS = 500


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "text"


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


@dataclass
class Context:
    """Where a value is: its file, for messages."""

    file: str
    problems: Problems

    def add(self, message: str, parent, key, path: str) -> None:
        self.problems.add(message, self.file, line_of(parent, key) or line_of(parent), path or None)


class Shape:
    description = ""

    def validate(self, value, ctx: Context, parent, key, path: str) -> bool:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass
class Text(Shape):
    """One line or paragraph of text, with inline markup."""

    description: str = ""
    pattern: str | None = None
    max_chars: int = MAX_TEXT_CHARS

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, str):
            ctx.add(f"expected text, got {_kind(value)}", parent, key, path)
            return False
        if not value.strip():
            ctx.add("text is empty", parent, key, path)
            return False
        if len(value) > self.max_chars:
            ctx.add(f"text is longer than {self.max_chars:,} characters", parent, key, path)
            return False
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.add(f"{value!r} does not match {self.description or self.pattern}",
                    parent, key, path)
            return False
        return True

    def json_schema(self):
        schema = {"type": "string", "minLength": 1}
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Count(Text):
    """A whole number written plain (``pages: 2``): text to our reader, which reads every
    scalar as text, and an integer to a YAML 1.2 reader such as an editor's."""

    minimum: float = 1
    maximum: float = 99
    #: How the text reads as a number, and the JSON Schema type of that number.
    number = staticmethod(int)
    json_type = "integer"

    def validate(self, value, ctx, parent, key, path):
        if not super().validate(value, ctx, parent, key, path):
            return False
        if not self.minimum <= self.number(value) <= self.maximum:
            ctx.add(f"{value} is not between {self.minimum:g} and {self.maximum:g}",
                    parent, key, path)
            return False
        return True

    def json_schema(self):
        schema = {"type": self.json_type, "minimum": self.minimum, "maximum": self.maximum}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Decimal(Count):
    """A number with a fraction written plain (``leading: 1.6``): text to our reader, a
    number to a YAML 1.2 reader."""

    pattern: str | None = r"[0-9]+(?:\.[0-9]+)?"
    minimum: float = 0.0
    maximum: float = 10.0
    number = staticmethod(float)
    json_type = "number"


@dataclass
class Choice(Shape):
    options: tuple[str, ...] = ()
    description: str = ""

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, str) or value not in self.options:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            ctx.add(f"expected one of {', '.join(self.options)}; got {shown}"
                    + _suggest(value, self.options), parent, key, path)
            return False
        return True

    def json_schema(self):
        return {"enum": list(self.options), "description": self.description}


@dataclass
class ListOf(Shape):
    item: Shape
    min_items: int = 1
    description: str = ""

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, list):
            ctx.add(f"expected a list, got {_kind(value)}", parent, key, path)
            return False
        if len(value) < self.min_items:
            ctx.add("list is empty", parent, key, path)
            return False
        if len(value) > MAX_ITEMS:
            ctx.add(f"list has more than {MAX_ITEMS} items", parent, key, path)
            return False
        ok = True
        for index, item in enumerate(value):
            ok &= self.item.validate(item, ctx, value, index, _join(path, index))
        return ok

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class MapOf(Shape):
    """A mapping from free names (footnote names, label names) to values."""

    value: Shape
    key_pattern: str = r"[A-Za-z0-9][A-Za-z0-9_-]*"
    description: str = ""

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, dict):
            ctx.add(f"expected a mapping, got {_kind(value)}", parent, key, path)
            return False
        ok = True
        for name, item in value.items():
            if not re.fullmatch(self.key_pattern, name):
                ctx.add(f"{name!r} is not a valid name (letters, digits, - and _)",
                        value, name, _join(path, name))
                ok = False
            ok &= self.value.validate(item, ctx, value, name, _join(path, name))
        return ok

    def json_schema(self):
        return {"type": "object", "description": self.description,
                "propertyNames": {"pattern": f"^{self.key_pattern}$"},
                "additionalProperties": self.value.json_schema()}


@dataclass
class Field:
    shape: Shape
    required: bool = True
    description: str = ""


@dataclass
class Record(Shape):
    """A mapping with known keys."""

    fields: dict[str, Field] = field(default_factory=dict)
    description: str = ""
    name: str = ""

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, dict):
            ctx.add(f"expected a mapping, got {_kind(value)}", parent, key, path)
            return False
        ok = True
        for name in value:
            if name not in self.fields:
                ctx.add(f"unknown key {name!r}" + _suggest(name, self.fields),
                        value, name, _join(path, name))
                ok = False
        for name, spec in self.fields.items():
            if name in value:
                ok &= spec.shape.validate(value[name], ctx, value, name, _join(path, name))
            elif spec.required:
                ctx.add(f"missing required key {name!r}", parent, key, path)
                ok = False
        return ok

    def json_schema(self):
        properties = {}
        for name, spec in self.fields.items():
            schema = dict(spec.shape.json_schema())
            if spec.description:
                schema["description"] = spec.description
            properties[name] = schema
        schema = {"type": "object", "properties": properties, "additionalProperties": False,
                  "required": [n for n, f in self.fields.items() if f.required]}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Blocks(Shape):
    """A list of typed blocks: each a mapping with exactly one key, its type."""

    types: dict[str, tuple[Shape, str]] = field(default_factory=dict)
    description: str = ""

    def validate(self, value, ctx, parent, key, path):
        if not isinstance(value, list):
            ctx.add(f"expected a list of blocks, got {_kind(value)}", parent, key, path)
            return False
        if not value:
            ctx.add("list of blocks is empty", parent, key, path)
            return False
        if len(value) > MAX_ITEMS:
            ctx.add(f"more than {MAX_ITEMS} blocks", parent, key, path)
            return False
        ok = True
        for index, block in enumerate(value):
            here = _join(path, index)
            if not isinstance(block, dict) or len(block) != 1:
                got = f"{len(block)} keys" if isinstance(block, dict) else _kind(block)
                ctx.add(f"a block is a mapping with one key, its type "
                        f"({', '.join(self.types)}); got {got}", value, index, here)
                ok = False
                continue
            (block_type, content), = block.items()
            if block_type not in self.types:
                ctx.add(f"unknown block type {block_type!r}" + _suggest(block_type, self.types)
                        + ("" if _suggest(block_type, self.types) else
                           f" (expected one of: {', '.join(self.types)})"),
                        block, block_type, here)
                ok = False
                continue
            shape, _ = self.types[block_type]
            ok &= shape.validate(content, ctx, block, block_type, _join(here, block_type))
        return ok

    def json_schema(self):
        variants = []
        for name, (shape, description) in self.types.items():
            variants.append({"type": "object", "description": description,
                             "properties": {name: shape.json_schema()},
                             "required": [name], "additionalProperties": False})
        return {"type": "array", "minItems": 1, "items": {"oneOf": variants},
                "description": self.description or "a list of blocks"}


def _suggest(word, options) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


__all__ = ["Blocks", "Choice", "Context", "Field", "ListOf", "MapOf", "Record", "Shape", "Text",
           "Map", "Seq"]
