"""Find the glyphs whose text WeasyPrint's /ToUnicode map would get wrong, from the layout.

WeasyPrint maps each glyph to the text of its HarfBuzz cluster the first time it draws it,
and keeps that text for every later use of the glyph (``draw/text.py``; Kozea/WeasyPrint
#2841, open). A font that draws two different letters with one glyph (Noto Naskh Arabic's
initial and medial noon ghunna "ں" and alef maksura "ى") then makes the PDF say the first
letter in both places: a screen reader, a search and copy and paste get a wrong word, and
nothing in the PDF shows it. The laid-out lines still hold each glyph with its cluster, so
the texts each glyph is drawn for are read from them here, as WeasyPrint reads them, before
the PDF is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.fonts import get_pango_font_key

Drawn = dict[tuple[Any, int], dict[str, str]]
"""For each (font, glyph id): the texts it is drawn for, each with the font's name."""


def misread(pages: Iterable[Any]) -> list[str]:
    """Return, for each glyph drawn for two different texts, what the PDF would say wrong."""
    drawn: Drawn = defaultdict(dict)
    for page in pages:
        for box in page._page_box.descendants():
            if isinstance(box, TextBox) and box.pango_layout is not None:
                for key, glyph, text, family in _glyph_texts(box):
                    # Spaces of every width may share a glyph: each reads as a space.
                    drawn[key, glyph].setdefault(" " if text.isspace() else text, family)
    return [_said(texts) for texts in drawn.values() if len(texts) > 1]


def _said(texts: dict[str, str]) -> str:
    first, *others = texts
    family = texts[first]
    return (f"one glyph of {family} stands for {', '.join(repr(t) for t in texts)}: the PDF's "
            f"text says {first!r} for {', '.join(repr(t) for t in others)}")


def _glyph_texts(box: TextBox) -> Iterator[tuple[Any, int, str, str]]:
    """Yield (font key, glyph id, text, family) for each glyph of a text box's line.

    WeasyPrint lets go of a line's Pango layout once laid out and shapes it again to draw
    it (``draw_text``: ``reactivate`` … ``deactivate``); so does this.
    """
    box.pango_layout.reactivate(box.style)
    try:
        yield from _line_texts(box)
    finally:
        box.pango_layout.deactivate()


def _line_texts(box: TextBox) -> Iterator[tuple[Any, int, str, str]]:
    line, _ = box.pango_layout.get_first_line()
    utf8 = box.pango_layout.text.encode()
    run = line.runs
    while run != ffi.NULL:
        item, run = run.data, run.next
        key, description, _size = get_pango_font_key(item.item.analysis.font)
        family = ffi.string(pango.pango_font_description_get_family(description)).decode()
        for glyph, start, end in _slices(item):
            yield key, glyph, utf8[start:end].decode("utf-8", "replace"), family


def _slices(item: Any) -> Iterator[tuple[int, int, int]]:
    """Yield (glyph id, start, end) of the UTF-8 text WeasyPrint maps each glyph to."""
    glyphs, offset, length = item.glyphs, item.item.offset, item.item.length
    count, clusters, rtl = glyphs.num_glyphs, glyphs.log_clusters, item.item.analysis.level % 2
    for i in range(count):
        glyph = glyphs.glyphs[i].glyph
        if glyph == pango.PANGO_GLYPH_EMPTY or glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            continue
        if rtl:
            end = length if i == 0 else clusters[i - 1]
        else:
            end = length if i == count - 1 else clusters[i + 1]
        yield glyph, offset + clusters[i], offset + end
