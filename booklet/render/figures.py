"""Figures: an SVG drawing from figures/, read as XML, its texts set apart as labels.

A figure file comes from the project like content does, so it is read as
untrusted XML: defusedxml refuses a DOCTYPE, entities and external
references before lxml (with entities, DTDs and the network off) reads the
tree that is changed and written out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from lxml import etree
from markupsafe import escape

from ..errors import BookletError

SVG = "http://www.w3.org/2000/svg"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                          huge_tree=False)


@dataclass
class Label:
    """The text of one SVG ``<text>``, and its attributes (position, size, colour)."""

    text: str
    attributes: dict[str, str]


def read_svg(path: Path, shown: str) -> etree._Element:
    """The figure's ``<svg>`` element; a clear error naming the file if it is not one."""
    data = path.read_bytes()
    try:
        safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise BookletError(f"{shown}: DOCTYPE and entities are not allowed in figures") \
            from None
    except ParseError as error:
        raise BookletError(f"{shown}: not well-formed XML ({error})") from None
    root = etree.fromstring(data, _PARSER)
    if root.tag != f"{{{SVG}}}svg":
        raise BookletError(f"{shown}: not an SVG drawing (its root is <{root.tag}>)")
    return root


def view_box(root: etree._Element, shown: str) -> tuple[float, float, float, float]:
    try:
        x, y, width, height = (float(v) for v in
                               (root.get("viewBox") or "").replace(",", " ").split())
    except ValueError:
        raise BookletError(f"{shown}: the figure has no viewBox of four numbers") from None
    if width <= 0 or height <= 0:
        raise BookletError(f"{shown}: the figure's viewBox has no area")
    return x, y, width, height


def fill_in(root: etree._Element, replace) -> None:
    """Apply ``replace`` (text → text) to every attribute value and text of the drawing."""
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, replace(value))
        if element.text:
            element.text = replace(element.text)
        if element.tail:
            element.tail = replace(element.tail)


def take_labels(root: etree._Element) -> list[Label]:
    """Remove every ``<text>`` from the drawing, returning its text and attributes."""
    labels = []
    for element in list(root.iter(f"{{{SVG}}}text")):
        attributes = {name: value for name, value in element.attrib.items()
                      if not name.startswith("{")}
        labels.append(Label("".join(element.itertext()), attributes))
        _remove_keeping_tail(element)
    return labels


def _remove_keeping_tail(element: etree._Element) -> None:
    parent, previous = element.getparent(), element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def with_title(root: etree._Element, title: str) -> str:
    """The drawing as markup, its first child a ``<title>`` (its text alternative)."""
    element = etree.Element(f"{{{SVG}}}title")
    element.text = title
    element.tail = root.text
    root.text = None
    root.insert(0, element)
    return etree.tostring(root, encoding="unicode")


#: Where the baseline of a line of text sits below its top, in ems (Noto Sans, line-height 1.2).
BASELINE_EM = 0.99
_ANCHORS = {"start": ("left", 0), "middle": ("center", 1), "end": ("right", 2)}


def label_span(text: str, attributes: dict, scale: float) -> str:
    """An SVG <text> as an absolutely positioned HTML label at the same place."""
    def number(name, default=0.0):
        try:
            return float(attributes.get(name, default))
        except ValueError:
            return default
    size = number("font-size", 12) * scale
    align, shift = _ANCHORS.get(attributes.get("text-anchor", "start"), _ANCHORS["start"])
    span = 80.0  # mm: wide enough for any label, centred or aligned on the anchor
    left = number("x") * scale - shift * span / 2
    top = number("y") * scale - BASELINE_EM * size
    colour = attributes.get("fill", "black")
    if not re.fullmatch(r"#[0-9a-fA-F]{3,8}|(rgb|device-cmyk)\([\d. ]+\)|[a-z]+", colour):
        colour = "black"
    weight = "bold" if attributes.get("font-weight") in ("bold", "700", "600") else "normal"
    style = (f"left: {left:.2f}mm; top: {top:.2f}mm; width: {span}mm; "
             f"font-size: {size:.2f}mm; text-align: {align}; color: {colour}; "
             f"font-weight: {weight}")
    return f'<span class="figure-label" style="{style}">{escape(text)}</span>'
