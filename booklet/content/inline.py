"""Inline markup: **bold**, *italic*, footnote calls [^name], cross-references [[id|text]].

Web and e-mail addresses written in the text (www.ecpat.org, info@ecpat.org)
become links, so that a reader of the screen edition can follow them.

Text is parsed by markdown-it with everything but emphasis switched off, so
HTML in content is printed as text, never interpreted. Footnote calls and
cross-references are rendered by callbacks supplied by the caller, who knows
what the current document contains.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape

FOOTNOTE_CALL = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9_-]*)\]")
CROSS_REFERENCE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)(?:\|([^\[\]|]+))?\]\]")
#: Anything that starts like markup; whatever of it does not parse is reported.
MARKUP_START = re.compile(r"\[\^|\[\[")


#: A web address starting with www, or an e-mail address (a final full stop is the sentence's).
ADDRESS = re.compile(r"(?<![\w.@-])(?:www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
                     r"|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def _addresses(state: StateCore) -> None:
    """Split the text tokens of each inline run so that each address is a link."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = [piece for token in block.children
                              for piece in _linked(token)]


def _linked(token: Token) -> list[Token]:
    if token.type != "text" or not ADDRESS.search(token.content):
        return [token]
    pieces, position = [], 0
    for match in ADDRESS.finditer(token.content):
        address = match.group(0)
        href = f"mailto:{address}" if "@" in address else f"https://{address}"
        pieces += [Token("text", "", 0, content=token.content[position:match.start()]),
                   Token("link_open", "a", 1, attrs={"href": href}),
                   Token("text", "", 0, content=address),
                   Token("link_close", "a", -1)]
        position = match.end()
    return pieces + [Token("text", "", 0, content=token.content[position:])]


def _footnote_call(state: StateInline, silent: bool) -> bool:
    match = FOOTNOTE_CALL.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("footnote_call", "", 0)
        token.meta = {"name": match.group(1)}
    state.pos = match.end()
    return True


def _cross_reference(state: StateInline, silent: bool) -> bool:
    match = CROSS_REFERENCE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("cross_reference", "", 0)
        token.meta = {"target": match.group(1), "label": match.group(2)}
    state.pos = match.end()
    return True


@dataclass
class Links:
    """How the current document renders footnote calls and cross-references."""

    footnote: Callable[[str], Markup]
    cross_reference: Callable[[str, str | None], Markup]


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis"])
    md.inline.ruler.before("emphasis", "footnote_call", _footnote_call)
    md.inline.ruler.before("emphasis", "cross_reference", _cross_reference)
    md.core.ruler.push("addresses", _addresses)
    md.add_render_rule(
        "footnote_call", lambda self, tokens, i, options, env:
        str(env["links"].footnote(tokens[i].meta["name"])))
    md.add_render_rule(
        "cross_reference", lambda self, tokens, i, options, env:
        str(env["links"].cross_reference(tokens[i].meta["target"], tokens[i].meta["label"])))
    return md


_MD = _parser()


#: Words never hyphenated: acronyms ("EC-PAT" reads badly), and tokens with digits or
#: symbols (addresses, codes such as "p98hUls#yeb!"). The bidi isolates around a
#: left-to-right run (render/bidi.py) are not part of its words.
_WORD = r"[^\s\u2066-\u2069]"
UNBREAKABLE = re.compile(rf"(?<!{_WORD})({_WORD}*[0-9#@]{_WORD}*)|\b([A-Z][A-Z0-9]+s?)\b")
TAG = re.compile(r"(<[^>]*>)")


def render(text: str, links: Links) -> Markup:
    """Render one text value to safe HTML."""
    text = text.strip()
    tokens, calls = _parsed(text)
    if not calls:  # the same HTML in every document
        return _rendered(text)
    return _finish(_MD.renderer.render(list(tokens), _MD.options, {"links": links}))


#: How many texts are kept parsed (and rendered) in a process: more than a publication has.
_KEPT = 1 << 15


@functools.lru_cache(maxsize=_KEPT)
def _parsed(text: str) -> tuple[tuple[Token, ...], bool]:
    """A text's tokens, and whether it calls a footnote or refers to another part (its
    HTML then depends on the document): the same text is rendered for every document
    it is in, at each copyfitting level tried."""
    tokens = tuple(_MD.parseInline(text))
    calls = any(child.type in ("footnote_call", "cross_reference")
                for token in tokens for child in token.children or ())
    return tokens, calls


@functools.lru_cache(maxsize=_KEPT)
def _rendered(text: str) -> Markup:
    """The HTML of a text without footnote calls or cross-references."""
    return _finish(_MD.renderer.render(list(_parsed(text)[0]), _MD.options, {}))


def _finish(html: str) -> Markup:
    """Rendered HTML with the words that are never hyphenated marked so."""
    pieces = TAG.split(html)
    for index in range(0, len(pieces), 2):
        pieces[index] = UNBREAKABLE.sub(
            lambda m: f'<span class="nh">{m.group(0)}</span>', pieces[index])
    return Markup("".join(pieces))


def tokens(text: str) -> list:
    """The inline tokens of a text, as rendering sees them (markdown-it's): text,
    strong_open/close, em_open/close, footnote_call, cross_reference."""
    return _MD.parseInline(text)[0].children or []


def plain(text: str, cross_reference_title: Callable[[str], str] | None = None) -> str:
    """The text a reader sees, without markup or footnote calls (for metadata and TOC)."""
    def xref(match):
        if match.group(2):
            return match.group(2)
        return cross_reference_title(match.group(1)) if cross_reference_title else match.group(1)
    text = FOOTNOTE_CALL.sub("", text)
    text = CROSS_REFERENCE.sub(xref, text)
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text).strip()


def footnote_calls(text: str) -> list[str]:
    return FOOTNOTE_CALL.findall(text)


def cross_references(text: str) -> list[str]:
    return [target for target, _ in CROSS_REFERENCE.findall(text)]


def malformed_markup(text: str) -> list[str]:
    """Pieces that start like a footnote call or cross-reference but are not one."""
    bad = []
    for match in MARKUP_START.finditer(text):
        start = match.start()
        if FOOTNOTE_CALL.match(text, start) or CROSS_REFERENCE.match(text, start):
            continue
        bad.append(text[start:start + 30])
    return bad


__all__ = ["Links", "render", "tokens", "plain", "footnote_calls", "cross_references",
           "malformed_markup", "escape"]
