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
than one TJ is marked so that PDFium reads it once (spanning.py).
``install`` puts the wrapper in place.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .spanning import Span, SpanningStream

#: HarfBuzz's lookup of a character's glyph in the font's cmap, which WeasyPrint
#: does not declare.
_NOMINAL_GLYPH = ("int hb_font_get_nominal_glyph (hb_font_t *font, hb_codepoint_t unicode,"
                  " hb_codepoint_t *glyph);")


#: Combining marks, and the scripts from Hebrew to Mongolian (Thai, Lao, Burmese,
#: Khmer…): text that shaping may reorder, split or join.
_MAY_COMBINE = re.compile("[\u0300-\u036f\u0483-\u0489\u0590-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

#: The size of Pango's PangoGlyphInfo: a glyph, its geometry (width, x and y offsets)
#: and its attributes, each 32 bits.
_GLYPH_INFO_BYTES = 20

#: Zero-width joiners and non-joiners, which shape the letters around them and draw nothing.
_JOINERS = dict.fromkeys(map(ord, "\u200c\u200d"))


def install() -> None:
    """Use draw_first_line below in WeasyPrint's text drawing (idempotent)."""
    from weasyprint.draw import text
    from weasyprint.text.ffi import ffi

    if getattr(text.draw_first_line, "draws_actual_text", False):
        return
    if ffi.sizeof("PangoGlyphInfo") != _GLYPH_INFO_BYTES:
        raise RuntimeError("Pango's PangoGlyphInfo is not laid out as the text layer reads it")
    ffi.cdef(_NOMINAL_GLYPH)
    original = text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        # An ellipsis changes the line's text while it is drawn: left as WeasyPrint draws it.
        if not textbox.text.strip() or text_overflow == "ellipsis" or block_ellipsis != "none":
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        spans = line_spans(stream, textbox)
        if not spans:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        spanning = SpanningStream(stream, spans)
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
    fonts = stream.__dict__.setdefault("booklet_fonts", {})  # a page's fonts, by Pango font
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        run = run.next
        pango_font = item.analysis.font
        font = fonts.get(pango_font)
        if font is None:
            font = fonts[pango_font] = stream.add_font(pango_font)[0]
        count = glyphs.num_glyphs
        # The glyph array read at once (PangoGlyphInfo: the glyph, its width and offsets,
        # an attribute; five 32-bit fields): much faster than a cdata object per field.
        fields = memoryview(ffi.buffer(glyphs.glyphs, count * _GLYPH_INFO_BYTES)).cast("i")
        starts = ffi.unpack(glyphs.log_clusters, count)
        ids = fields[0::5].tolist()
        right_to_left = item.analysis.level % 2
        text = utf8[item.offset:item.offset + item.length]
        drawn_count = count - ids.count(pango.PANGO_GLYPH_EMPTY)
        if not drawn_count or font.bitmap or font.png or font.svg or font.colr or \
                max(ids) & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            number += drawn_count  # left as WeasyPrint maps it: not outline glyphs all in the font
            continue
        if not right_to_left and drawn_count == count and _one_to_one(font, ids, starts, text):
            number += count  # most text: each glyph one character, and it gives it back
            continue
        in_place = _on_the_line if right_to_left else _in_place
        drawn = [(glyph, start, in_place(width, x_offset, y_offset))  # in the order drawn
                 for glyph, start, width, x_offset, y_offset in zip(
                     ids, starts, fields[1::5], fields[2::5], fields[3::5], strict=True)
                 if glyph != pango.PANGO_GLYPH_EMPTY]
        find = _right_to_left_spans if right_to_left else _run_spans
        for span in find(font, drawn, starts, text):
            spans[number + span.first] = Span(number + span.first, number + span.last,
                                               span.text)
        number += len(drawn)
    return spans


def _in_place(width: int, x_offset: int, y_offset: int) -> bool:
    """Whether a glyph is drawn where the one before it ends, and moves the next one on."""
    return x_offset == 0 and y_offset == 0 and width > 0


def _on_the_line(width: int, x_offset: int, y_offset: int) -> bool:
    """Whether a glyph sits on the line and moves the next one on: not a mark drawn
    over its letter (a letter kerned a little, as Hebrew's, is read in its place)."""
    return y_offset == 0 and width > 0


def _run_spans(font, drawn, starts, text: bytes) -> list[Span]:
    """The spans of one run: consecutive clusters whose glyphs do not give their text."""
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
    to_unicode = font.to_unicode
    for start, end, ids, ends_in_place in clusters:
        cluster = text[start:end].decode()
        if not all(glyph in to_unicode for glyph in ids):
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
        elif (to_unicode[ids[0]] if len(ids) == 1
              else "".join([to_unicode[glyph] for glyph in ids])) != cluster:
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


def _one_to_one(font, ids: list[int], starts: list[int], text: bytes) -> bool:
    """Whether each glyph of a left-to-right run is one character, in order, and gives
    it back (most text: fast)."""
    characters = text.decode()
    if len(characters) != len(ids) or _MAY_COMBINE.search(characters):
        return False
    if len(text) == len(ids):  # ASCII: a byte a character
        if starts != list(range(len(ids))):
            return False
    elif starts != sorted(set(starts)):
        return False
    to_unicode = font.to_unicode
    for glyph, character in zip(ids, characters, strict=True):
        if to_unicode.setdefault(glyph, character) != character:
            return False
    return True


def _is_letter(cluster: str) -> bool:
    """Whether a cluster is (part of) a word: its first character a letter or a mark."""
    return bool(cluster) and unicodedata.category(cluster[0])[0] in "LM"


@functools.cache
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
