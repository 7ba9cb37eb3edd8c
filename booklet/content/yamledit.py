"""Change text values in a YAML file's text, leaving every other byte as it was.

Import writes translations into files people also edit by hand: their comments,
quoting and line layout are theirs. So instead of loading and dumping the whole
file, each changed value is replaced where it stands, at the position the YAML
parser reports for it.
"""

from __future__ import annotations

import json

import yaml

_EMITTER = yaml.emitter.Emitter(None, allow_unicode=True)
_RESOLVER = yaml.resolver.Resolver()
#: Characters YAML 1.1 reads as line breaks even inside double quotes.
_BREAKS = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def text_spans(text: str) -> dict[str, tuple[int, int, str | None]]:
    """Where each text value is: key path (as fingerprints() writes it) → start, end, style.

    The style is None for a plain value, a quote or block indicator otherwise, and
    "flow" for a value inside [ ] or { }, where plain text is allowed less often.
    """
    spans = {}

    def walk(node, path, flow):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else key.value,
                     flow or bool(node.flow_style))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]", flow or bool(node.flow_style))
        elif isinstance(node, yaml.ScalarNode):
            spans[path] = (node.start_mark.index, node.end_mark.index,
                           "flow" if flow and node.style is None else node.style)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, "", False)
    return spans


def replace_texts(text: str, changes: dict[str, str]) -> str:
    """``text`` with the value at each key path of ``changes`` replaced by its new text."""
    spans = text_spans(text)
    unknown = sorted(set(changes) - set(spans))
    if unknown:
        raise KeyError(f"no text value at {', '.join(unknown)}")
    # From the end, so earlier positions stay valid.
    for path in sorted(changes, key=lambda p: spans[p][0], reverse=True):
        start, end, style = spans[path]
        text = text[:start] + scalar(changes[path], style) + text[end:]
    return text


def scalar(value: str, style: str | None = None) -> str:
    """``value`` as a YAML scalar: plain when the original was plain and it can stay so."""
    if style is None and _plain_is_safe(value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted
    for char, escape in _BREAKS.items():
        quoted = quoted.replace(char, escape)
    # A block scalar's span ends after its line break; a quoted one does not.
    return quoted + "\n" if style in ("|", ">") else quoted


def _plain_is_safe(value: str) -> bool:
    analysis = _EMITTER.analyze_scalar(value)
    # Also text for YAML readers other than ours ("yes", "1.0" would not be).
    resolved = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return bool(value) and analysis.allow_block_plain and not analysis.multiline \
        and resolved == "tag:yaml.org,2002:str"
