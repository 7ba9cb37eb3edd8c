"""Text layer: text that extracts as written, in every script.

A PDF says which text each glyph stands for in its font's ToUnicode map, one
entry per glyph for the whole document. WeasyPrint 70 fills that map from
HarfBuzz's clusters as it draws: a glyph takes the text of the first cluster
it appears in, and a cluster of several glyphs gives all its text to its last
glyph and nothing to the others. That is right for most Latin, Cyrillic and
Vietnamese text, and wrong wherever shaping reorders or splits characters:
Thai ำ (drawn as two glyphs), Khmer and Burmese vowels drawn before their
consonant, Khmer subscripts. pdftotext and PDFium then read "ท;างาน" for
ทำงาน, "kតលើ" for តើ.

``draw_first_line`` below wraps WeasyPrint's own (``draw/text.py``, version
pinned) in two steps, before and while it draws a line:

- each glyph drawn for the first time gets its own character when the font
  maps that character (or a character of its compatibility decomposition) to it:
  its "nominal" glyph; otherwise the text of its cluster (every glyph maps to
  some text, as PDF/UA asks);
- a run of clusters whose glyphs, read in order through that map, do not give
  back the clusters' text is wrapped in marked content that carries the text
  itself: ``/Span <</ActualText (…)>> BDC … EMC`` (PDF 1.7, 14.9.4). Both
  Poppler and PDFium read /ActualText in place of the glyphs.

A span goes on over the syllable's marks, even in clusters of their own
(Thai ที่): Poppler reads a raised mark as a word apart. It goes on over a
space, which PDFium loses between two spans, and past a glyph drawn out of
place (a mark, a vowel part moved back over its base): both extractors measure
a span from its first glyph to its last, and would see a gap after it.

The marked content sits inside the text object (BT … ET) that WeasyPrint
opens inside the structure's own marked content (``/Span <</MCID n>> BDC``),
so it nests; it adds nothing to the structure tree. A span drawn with more
than one TJ is marked so that PDFium reads it once (see _SpanningStream).
``install`` puts the wrapper in place.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

#: HarfBuzz's lookup of a character's glyph in the font's cmap, which WeasyPrint
#: does not declare.
_NOMINAL_GLYPH = ("int hb_font_get_nominal_glyph (hb_font_t *font, hb_codepoint_t unicode,"
                  " hb_codepoint_t *glyph);")


#: Combining marks, and the scripts from Hebrew to Mongolian (Thai, Lao, Burmese,
#: Khmer…): text that shaping may reorder, split or join.
_MAY_COMBINE = re.compile("[\u0300-\u036f\u0483-\u0489\u0590-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

#: Zero-width joiners and non-joiners, which shape the letters around them and draw nothing.
_JOINERS = dict.fromkeys(map(ord, "\u200c\u200d"))

#: The name of the marked-content properties of a span's glyphs after its first TJ.
CONTINUED = "ActualTextContinued"


@dataclass(frozen=True)
class Span:
    """Glyphs ``first`` to ``last`` (counted in drawing order in a line) and their text."""

    first: int
    last: int
    text: str


def install() -> None:
    """Use draw_first_line below in WeasyPrint's text drawing (idempotent)."""
    from weasyprint.draw import text
    from weasyprint.text.ffi import ffi

    if getattr(text.draw_first_line, "draws_actual_text", False):
        return
    ffi.cdef(_NOMINAL_GLYPH)
    original = text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        # An ellipsis changes the line's text while it is drawn: left as WeasyPrint draws it.
        if not textbox.text.strip() or text_overflow == "ellipsis" or block_ellipsis != "none":
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        spans = line_spans(stream, textbox)
        if not spans:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        spanning = _SpanningStream(stream, spans)
        try:
            return original(spanning, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            spanning.close()

    draw_first_line.draws_actual_text = True
    text.draw_first_line = draw_first_line


def line_spans(stream, textbox) -> dict[int, Span]:
    """Map the first line's new glyphs to their text; return the spans it needs, by first glyph.

    Walks the glyphs as WeasyPrint's draw_first_line does, so that glyph
    numbers match the order in which it writes them.
    """
    from weasyprint.text.ffi import ffi, pango

    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)  # as WeasyPrint does
    line, _ = layout.get_first_line()
    utf8 = layout.text.encode()
    spans: dict[int, Span] = {}
    number = 0  # glyphs drawn so far in the line
    run = line.runs[0]
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        run = run.next
        font, _ = stream.add_font(item.analysis.font)
        infos, clusters = glyphs.glyphs, glyphs.log_clusters
        starts = [clusters[index] for index in range(glyphs.num_glyphs)]
        right_to_left = item.analysis.level % 2
        in_place = _on_the_line if right_to_left else _in_place
        drawn = []  # (glyph, its cluster's start, whether it is drawn in place)
        for index, start in enumerate(starts):
            info = infos[index]
            if info.glyph != pango.PANGO_GLYPH_EMPTY:
                drawn.append((info.glyph, start, in_place(info.geometry)))
        plain = drawn and not (font.bitmap or font.png or font.svg or font.colr) and \
            not any(glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG for glyph, _, _ in drawn)
        if plain:  # outline glyphs, all in the font
            text = utf8[item.offset:item.offset + item.length]
            find = _right_to_left_spans if right_to_left else _run_spans
            for span in find(font, drawn, starts, text):
                spans[number + span.first] = Span(number + span.first, number + span.last,
                                                   span.text)
        number += len(drawn)
    return spans


def _in_place(geometry) -> bool:
    """Whether a glyph is drawn where the one before it ends, and moves the next one on."""
    return geometry.x_offset == 0 and geometry.y_offset == 0 and geometry.width > 0


def _on_the_line(geometry) -> bool:
    """Whether a glyph sits on the line and moves the next one on: not a mark drawn
    over its letter (a letter kerned a little, as Hebrew's, is read in its place)."""
    return geometry.y_offset == 0 and geometry.width > 0


def _run_spans(font, drawn, starts, text: bytes) -> list[Span]:
    """The spans of one run: consecutive clusters whose glyphs do not give their text."""
    if _one_to_one(font, drawn, starts, text.decode()):
        return []
    if starts != sorted(starts):  # clusters out of order: the run is one span
        clusters = [(0, len(text), [glyph for glyph, _, _ in drawn], drawn[-1][2])]
    else:
        bounds = sorted(set(starts)) + [len(text)]
        members: dict[int, list] = {}
        for glyph, start, in_place in drawn:
            members.setdefault(start, []).append((glyph, in_place))
        clusters = [(start, end, [glyph for glyph, _ in members[start]], members[start][-1][1])
                    for start, end in zip(bounds, bounds[1:], strict=False) if start in members]
    spans: list[Span] = []
    number = 0
    open_end = False  # the last span ends on a glyph drawn out of place
    for start, end, ids, ends_in_place in clusters:
        cluster = text[start:end].decode()
        _map_new_glyphs(font, ids, cluster)
        first, last = number, number + len(ids) - 1
        number += len(ids)
        previous = spans[-1] if spans else None
        joins = previous is not None and previous.last == first - 1
        if joins and (open_end or cluster.isspace() or _is_mark(cluster[0])):
            # One span goes on over a mark (one syllable), a space (PDFium loses a
            # space between two spans) and after a glyph out of place (both
            # extractors measure a span from its first glyph to its last).
            spans[-1] = Span(previous.first, last, previous.text + cluster)
        elif "".join(font.to_unicode[glyph] for glyph in ids) != cluster:
            if joins:
                spans[-1] = Span(previous.first, last, previous.text + cluster)
            else:
                spans.append(Span(first, last, cluster))
        elif end < len(text) and _is_mark(text[end:end + 4].decode(errors="ignore")[:1]):
            # A base followed by a mark in a cluster of its own: starts a syllable
            # (Poppler reads a raised mark as a word apart).
            spans.append(Span(first, last, cluster))
        else:
            open_end = False
            continue
        open_end = not ends_in_place
    return spans


def _right_to_left_spans(font, drawn, starts, text: bytes) -> list[Span]:
    """The spans of a right-to-left run: its words (letters and marks; punctuation and
    digits are left to their glyphs) whose glyphs, read from left to right and
    turned round, do not give their text, or that have a glyph out of place (a mark
    drawn over its letter, raised: Poppler would read it as a word apart).

    The glyphs are drawn from left to right, the last letter first; both extractors
    turn a right-to-left line round, and read a span's text as it is drawn across
    its glyphs. So a span's text is given in the order drawn: its letters turned
    round, each mark before its letter.
    """
    bounds = sorted(set(starts)) + [len(text)]
    ends = dict(zip(bounds, bounds[1:], strict=False))
    spans: list[Span] = []
    word: list[int] = []  # the positions in ``drawn`` of the word's glyphs

    def close_word() -> None:
        if not word:
            return
        clusters = sorted({drawn[index][1] for index in word})
        logical = text[clusters[0]:ends[clusters[-1]]].decode()
        for start in clusters:
            _map_new_glyphs(font, [drawn[index][0] for index in word
                                   if drawn[index][1] == start],
                            text[start:ends[start]].decode())
        read = "".join(font.to_unicode[drawn[index][0]] for index in word)[::-1]
        # A joiner draws no glyph (Persian's ZWNJ): a word that reads right without it
        # is left to the glyphs, since PDFium splits a span's text at it.
        if read != logical.translate(_JOINERS) or not all(drawn[index][2] for index in word):
            spans.append(Span(word[0], word[-1], logical[::-1]))
        word.clear()

    for index, (_, start, _) in enumerate(drawn):
        if _is_letter(text[start:ends[start]].decode()):
            word.append(index)
        else:  # a space, a digit, punctuation: the extractors place them on their own
            close_word()
    close_word()
    return spans


def _one_to_one(font, drawn, starts, characters: str) -> bool:
    """Whether each glyph of a run is one character, and gives it (most text: fast)."""
    if len(characters) != len(drawn) or len(starts) != len(drawn) or \
            _MAY_COMBINE.search(characters) or starts != sorted(set(starts)):
        return False
    to_unicode = font.to_unicode
    for (glyph, _, _), character in zip(drawn, characters, strict=True):
        if to_unicode.setdefault(glyph, character) != character:
            return False
    return True


def _is_letter(cluster: str) -> bool:
    """Whether a cluster is (part of) a word: its first character a letter or a mark."""
    return bool(cluster) and unicodedata.category(cluster[0])[0] in "LM"


def _is_mark(character: str) -> bool:
    return bool(character) and unicodedata.category(character).startswith("M")


def _map_new_glyphs(font, ids: list[int], cluster: str) -> None:
    """Give each glyph not yet in the font's ToUnicode map its text (see the docstring)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    nominal = font.__dict__.setdefault("booklet_nominal_glyphs", {})
    for glyph in ids:
        if glyph in font.to_unicode:
            continue
        text = cluster
        # Thai ำ is drawn as the glyphs of ํ and า, its compatibility decomposition.
        for character in dict.fromkeys(cluster + unicodedata.normalize("NFKD", cluster)):
            if character not in nominal:
                found = ffi.new("hb_codepoint_t *")
                nominal[character] = found[0] if harfbuzz.hb_font_get_nominal_glyph(
                    font.hb_font, ord(character), found) else None
            if nominal[character] == glyph:
                text = character
                break
        font.to_unicode[glyph] = text


class _SpanningStream:
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

        pieces: list[str] = []
        for kind, value in _tj_items(string):
            if kind == "number":
                pieces.append(value)
                continue
            first, count, digits = self._glyph, len(value) // self._digits, self._digits
            shown: list[str] = []
            done = 0  # glyphs of this string already in ``shown`` or shown
            while done < count:
                if self._open is None:
                    following = bisect.bisect_left(self._starts, first + done)
                    if following == len(self._starts) or \
                            self._starts[following] >= first + count:
                        break
                    start = self._starts[following]
                    shown.append(value[done * digits:(start - first) * digits])
                    self._flush(pieces, shown)
                    self._open, self._shown_in_span = self._spans[start], False
                    self._stream.begin_marked_content("Span", pydyf.Dictionary(
                        {"ActualText": pydyf.String(self._open.text)}))
                    done = start - first
                else:
                    end = self._open.last + 1 - first
                    if end > count:
                        break
                    shown.append(value[done * digits:end * digits])
                    self._flush(pieces, shown)
                    self.close()
                    done = end
            shown.append(value[done * digits:])
            if any(shown):
                pieces.append(f"<{''.join(shown)}>")
            self._glyph = first + count
        self._flush(pieces, [])

    def _flush(self, pieces: list[str], shown: list[str]) -> None:
        """Show the glyphs gathered so far as one TJ."""
        if any(shown):
            pieces.append(f"<{''.join(shown)}>")
        shown.clear()
        if not pieces:
            return
        glyphs = any(piece.startswith("<") for piece in pieces)
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

        properties = self._stream._resources.setdefault("Properties", pydyf.Dictionary())
        properties.setdefault(CONTINUED, pydyf.Dictionary({"ActualText": b"(\\000)"}))
        return CONTINUED

    def close(self) -> None:
        """End the span open, if any (the line's glyphs always end it)."""
        if self._open is not None:
            self._stream.end_marked_content()
            self._open = None


def _tj_items(string: str):
    """The parts of a TJ operand as WeasyPrint writes it: ("glyphs", hex) and ("number", text)."""
    position = 0
    while position < len(string):
        if string[position] == "<":
            end = string.index(">", position)
            yield "glyphs", string[position + 1:end]
            position = end + 1
        else:
            end = string.find("<", position)
            end = len(string) if end < 0 else end
            yield "number", string[position:end]
            position = end
