"""Spanning: a page's stream that wraps some glyphs of a line in /ActualText.

textlayer.py decides which glyphs of a line need their text given with them
(spans); SpanningStream, standing in for the page's stream while WeasyPrint
draws the line, cuts its TJ operators where a span starts or ends and opens
and closes the marked content around them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

#: The name of the marked-content properties of a span's glyphs after its first TJ.
CONTINUED = "ActualTextContinued"


@dataclass(frozen=True)
class Span:
    """Glyphs ``first`` to ``last`` (counted in drawing order in a line) and their text."""

    first: int
    last: int
    text: str


class SpanningStream:
    """A page's stream that wraps some glyphs of each text it shows in /ActualText.

    WeasyPrint's draw_first_line shows a line's glyphs with TJ operators (a
    new one at each change of font or rise); this cuts them where a span
    starts or ends. Everything else goes to the stream unchanged.

    A span that goes on after a change of rise has several TJs. Its text is
    read with the first; PDFium orders a line's TJs by where they start (a
    raised mark can start after the next letter) and would read the text
    again with a later one, or lose it. So the later TJs are marked as text
    already read: /ActualText "\\0", which PDFium skips, given through the
    page's /Properties, which Poppler does not look up for /ActualText (it
    keeps reading the span's glyphs as part of the span's text).
    """

    def __init__(self, stream, spans: dict[int, Span]):
        self._stream = stream
        self._spans = spans
        self._starts = sorted(spans)
        self._glyph = 0
        self._digits = 4
        self._open: Span | None = None
        self._shown_in_span = False

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def add_font(self, pango_font):
        font, size = self._stream.add_font(pango_font)
        self._digits = 2 if font.bitmap else 4
        return font, size

    def show_text(self, string: str) -> None:
        import pydyf

        pieces: list[str] = []  # the TJ operand so far: glyphs (<hex>) and numbers
        glyphs = False  # whether ``pieces`` shows a glyph
        for kind, value in _tj_items(string):
            if kind == "number":
                pieces.append(value)
                continue
            first, count, digits = self._glyph, len(value) // self._digits, self._digits
            done = 0  # glyphs of this string already shown or in ``pieces``
            while done < count:
                if self._open is None:
                    following = bisect.bisect_left(self._starts, first + done)
                    if following == len(self._starts) or \
                            self._starts[following] >= first + count:
                        break
                    start = self._starts[following]
                    if start > first + done:
                        pieces.append(f"<{value[done * digits:(start - first) * digits]}>")
                        glyphs = True
                    self._flush(pieces, glyphs)
                    glyphs = False
                    self._open, self._shown_in_span = self._spans[start], False
                    self._stream.begin_marked_content("Span", pydyf.Dictionary(
                        {"ActualText": pydyf.String(self._open.text)}))
                    done = start - first
                else:
                    end = self._open.last + 1 - first
                    if end > count:
                        break
                    if end > done:
                        pieces.append(f"<{value[done * digits:end * digits]}>")
                        glyphs = True
                    self._flush(pieces, glyphs)
                    glyphs = False
                    self.close()
                    done = end
            if done < count:
                pieces.append(f"<{value[done * digits:]}>")
                glyphs = True
            self._glyph = first + count
        self._flush(pieces, glyphs)

    def _flush(self, pieces: list[str], glyphs: bool) -> None:
        """Show what ``pieces`` holds as one TJ (``glyphs``: whether it shows a glyph)."""
        if not pieces:
            return
        continued = glyphs and self._open is not None and self._shown_in_span
        if continued:
            self._stream.begin_marked_content("Span", f"/{self._continued_property()}")
        self._stream.show_text(" ".join(pieces))  # numbers alone still move what follows
        if continued:
            self._stream.end_marked_content()
        if glyphs and self._open is not None:
            self._shown_in_span = True
        pieces.clear()

    def _continued_property(self) -> str:
        import pydyf

        resources = self._stream._resources
        if "Properties" not in resources:
            resources["Properties"] = pydyf.Dictionary()
        if CONTINUED not in resources["Properties"]:
            resources["Properties"][CONTINUED] = pydyf.Dictionary({"ActualText": b"(\\000)"})
        return CONTINUED

    def close(self) -> None:
        """End the span open, if any (the line's glyphs always end it)."""
        if self._open is not None:
            self._stream.end_marked_content()
            self._open = None


def _tj_items(string: str):
    """The parts of a TJ operand as WeasyPrint writes it: ("glyphs", hex) and ("number", text)."""
    before, *parts = string.split("<")
    if before:
        yield "number", before
    for part in parts:
        value, _, after = part.partition(">")
        yield "glyphs", value
        if after:
            yield "number", after
