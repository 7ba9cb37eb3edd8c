"""Inline markup in XLIFF 1.2: codes a CAT tool shows as tags, so no one breaks them.

A content text's **bold** and *italic* become ``<g ctype="bold|italic">``
around the words, a cross-reference with its own words ``[[id|words]]`` a
``<g ctype="x-cross-reference">`` around them; a footnote call ``[^1]``, a
bare cross-reference ``[[id]]`` and an interface message's placeholder
``%(name)s`` become empty ``<x/>`` codes (their text in ``equiv-text``, for
tools that show it). Markup is read as rendering reads it (inline.tokens).

On import the codes turn back into markup, each by its id in the English
text's codes: a code the English does not have, of another kind, or an
element XLIFF tools should not add there is refused, naming the unit. Codes
a translator dropped or doubled are found afterwards by the markup checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..check.catalogue import PLACEHOLDER
from ..content import inline

EMPHASIS = {"strong_open": ("bold", "**"), "em_open": ("italic", "*")}
CLOSING = {"strong_close", "em_close"}


@dataclass(frozen=True)
class Code:
    """One inline code: ``g`` wraps translatable words, ``x`` stands alone."""

    element: str  # "g" or "x"
    ctype: str
    start: str  # the markup it stands for (before the words, for g)
    end: str = ""  # after the words (g only)


class MarkupError(ValueError):
    """A unit whose inline codes cannot be turned back into markup."""


def pieces(text: str, is_message: bool) -> list:
    """The text as a list of strings and (Code, id, [pieces]) for a g or (Code, id) for an x."""
    if is_message:
        return _placeholder_pieces(text)
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    root: list = [lead] if lead else []
    stack = [root]
    counter = iter(range(1, 10_000))
    for token in inline.tokens(core):
        if token.type in EMPHASIS:
            ctype, mark = EMPHASIS[token.type]
            group: list = []
            stack[-1].append((Code("g", ctype, mark, mark), str(next(counter)), group))
            stack.append(group)
        elif token.type in CLOSING and len(stack) > 1:
            stack.pop()
        elif token.type == "footnote_call":
            markup = f"[^{token.meta['name']}]"
            stack[-1].append((Code("x", "x-footnote-call", markup), str(next(counter))))
        elif token.type == "cross_reference" and token.meta["label"]:
            code = Code("g", "x-cross-reference", f"[[{token.meta['target']}|", "]]")
            stack[-1].append((code, str(next(counter)), [token.meta["label"]]))
        elif token.type == "cross_reference":
            markup = f"[[{token.meta['target']}]]"
            stack[-1].append((Code("x", "x-cross-reference", markup), str(next(counter))))
        else:
            stack[-1].append(token.content if token.type == "text" else token.markup or "\n")
    if trail:
        root.append(trail)
    # Anything markdown-it reads otherwise than written (escapes, line breaks) stays text.
    return root if _markup(root) == text else [text]


def _placeholder_pieces(text: str) -> list:
    result, at = [], 0
    for number, match in enumerate(PLACEHOLDER.finditer(text), start=1):
        result.append(text[at:match.start()])
        result.append((Code("x", "x-python-format", match.group(0)), str(number)))
        at = match.end()
    result.append(text[at:])
    return [piece for piece in result if piece != ""]


def _markup(items: list) -> str:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif len(item) == 3:
            out.append(item[0].start + _markup(item[2]) + item[0].end)
        else:
            out.append(item[0].start)
    return "".join(out)


def codes(items: list) -> dict[str, Code]:
    """Every code of a text, by id."""
    found = {}
    for item in items:
        if isinstance(item, tuple):
            found[item[1]] = item[0]
            if len(item) == 3:
                found.update(codes(item[2]))
    return found


def fill(element, text: str, is_message: bool, namespace: str) -> None:
    """Write ``text`` into an XLIFF ``<source>`` or ``<target>``, markup as codes."""
    for child in list(element):
        element.remove(child)
    element.text = None
    _fill(element, pieces(text, is_message), namespace)


def _fill(element, items: list, namespace: str) -> None:
    last = None
    for item in items:
        if isinstance(item, str):
            if last is None:
                element.text = (element.text or "") + item
            else:
                last.tail = (last.tail or "") + item
            continue
        code, code_id = item[0], item[1]
        last = etree.SubElement(element, f"{{{namespace}}}{code.element}", id=code_id,
                                ctype=code.ctype)
        if code.element == "x":
            last.set("equiv-text", code.start)
        else:
            _fill(last, item[2], namespace)


def restore(element, english: str, is_message: bool, namespace: str) -> str:
    """The markup text of an XLIFF ``<source>`` or ``<target>`` whose codes are the English's."""
    known = codes(pieces(english, is_message))
    return _restore(element, known, namespace, top=True)


def _restore(element, known: dict[str, Code], namespace: str, top: bool = False) -> str:
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            out.append(child.tail or "")
            continue
        name = etree.QName(child).localname
        if etree.QName(child).namespace != namespace:
            raise MarkupError(f"element <{name}> is not XLIFF 1.2")
        code = known.get(child.get("id", ""))
        if name == "mrk":  # a tool's annotation: its words count, not the mark
            out.append(_restore(child, known, namespace))
        elif name in ("x", "ph") and code is not None and code.element == "x":
            out.append(code.start)
        elif name == "g" and code is not None and code.element == "g":
            out.append(code.start + _restore(child, known, namespace) + code.end)
        else:
            shown = f"<{name} id=\"{child.get('id', '')}\">"
            raise MarkupError(f"inline code {shown} is not one of the English text's "
                              "codes: keep the tags as they are in the source")
        out.append(child.tail or "")
    return "".join(out)
