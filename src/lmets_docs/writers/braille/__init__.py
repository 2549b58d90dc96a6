"""The ``braille`` writer: the leaflet in braille, ready to emboss or read on a display.

A recipe: the leaflet as blocks of text pieces (``content``) → braille cells through
liblouis, each fact in a table that reads it back as it is (``cells``) → 40-cell lines and
25-line pages with their numbers (``layout``) → ``<id>.brf`` (Braille ASCII, CR LF line
ends, a form feed after every page) and ``<id>-braille.txt``, the same pages in Unicode
braille for sighted staff to proof-read.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from lmets_docs import brf, furniture
from lmets_docs.brf import BLANK, Tables
from lmets_docs.errors import BuildError, raise_if_disk_full
from lmets_docs.i18n import messages
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.source.numbers import numbers_in
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult
from lmets_docs.writers.braille import cells, content, layout
from lmets_docs.writers.braille.content import Block

log = logging.getLogger(__name__)
PAGE_END = "\f"
LINE_END = "\r\n"


@dataclass(frozen=True)
class BrailleWriter:
    """Write ``<id>.brf`` and its Unicode-braille preview for one leaflet language."""

    name: str = "braille"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the BRF and its preview into ``out_dir``; return their roles."""
        tables = tables_of(leaflet)
        blocks = edition(leaflet, options, tables)
        pages = paged(leaflet, blocks, tables)
        files = {"brf": f"{leaflet.id}.brf", "preview": f"{leaflet.id}-braille.txt"}
        write_text(out_dir / files["brf"], brf_text(pages), "ascii")
        write_text(out_dir / files["preview"], preview_text(pages), "utf-8")
        log.info("braille: wrote %s (%s, %d pages)", files["brf"], tables.main, len(pages))
        return WriterResult(
            files=files,
            engines={"braille": f"liblouis {brf.louis().version()} ({tables.main})"},
            details={"table": tables.main, "pages": len(pages),
                     "numbers": text_numbers(blocks, leaflet.lang),
                     "cells_per_line": brf.CELLS_PER_LINE, "lines_per_page": brf.LINES_PER_PAGE})


WRITER = BrailleWriter()


def tables_of(leaflet: Leaflet) -> Tables:
    """Return the leaflet language's tables; BuildError naming the file when it has none."""
    tables = brf.tables_for(leaflet.lang)
    if tables is None:
        raise BuildError(f"{leaflet.source_file}: {brf.unsupported(leaflet.lang)}")
    return tables


def transcribe(leaflet: Leaflet, options: BuildOptions, tables: Tables) -> list[list[str]]:
    """Return the leaflet as finished braille pages (lines of Unicode braille)."""
    return paged(leaflet, edition(leaflet, options, tables), tables)


def edition(leaflet: Leaflet, options: BuildOptions, tables: Tables) -> list[Block]:
    """Return the leaflet as blocks of pieces, each number of the text in the table that
    reads it back (``cells.with_numbers``)."""
    _ = messages(leaflet.lang, options.templates)
    make = content.Pieces(tables, formatter(leaflet), partial(cells.fact_piece, tables))
    notice = furniture.overdue_notice(_, leaflet, options.today)
    return [dataclasses.replace(block, pieces=tuple(
                part for piece in block.pieces for part in cells.with_numbers(tables, piece)))
            for block in content.document(leaflet, _, make, notice)]


def text_numbers(blocks: list[Block], lang: str) -> list[str]:
    """Return the numbers of the edition's text, facts included, as values in reading order
    (``37.5``; ``10`` and ``30`` of ``10:30``): ``check`` reads the BRF back and must find
    them, in this order (``check.braille_numbers``)."""
    return [number.shown for block in blocks
            for number in numbers_in("".join(piece.text for piece in block.pieces), lang)]


def paged(leaflet: Leaflet, blocks: list[Block], tables: Tables) -> list[list[str]]:
    """Return blocks laid out on finished braille pages (lines of Unicode braille)."""
    hyphen = brf.translate("-", tables.main)[0]
    laid = [(block, lines) for block in blocks if (lines := located(leaflet, block, hyphen))]
    pages = layout.Pages(lambda n: brf.translate(str(n), tables.main)[0])
    for index, (block, lines) in enumerate(laid):  # a block with no text takes no line
        pages.add(lines, blank_before=block.group, keep=kept(laid, index))
    return pages.finished()


def kept(laid: list[tuple[Block, list[str]]], index: int) -> int:
    """Return how many lines after block ``index`` must share its page: a heading keeps a
    blank line and what follows it starts with; a contact's (or any group of furniture
    lines') first line keeps the rest of its group."""
    block = laid[index][0]
    if block.kind in ("title", "heading"):
        return 1 + _opening(laid, index + 1) if index + 1 < len(laid) else 0
    return max(0, _opening(laid, index) - len(laid[index][1])) if block.kind == "line" else 0


def _opening(laid: list[tuple[Block, list[str]]], index: int) -> int:
    """Return the lines a block starts its page with: a group of lines whole (if it fits on
    a page under a heading), else one."""
    block, lines = laid[index]
    if block.kind != "line" or not block.group:
        return 1
    rest = itertools.takewhile(lambda b: b[0].kind == "line" and not b[0].group,
                               laid[index + 1:])
    whole = len(lines) + sum(len(more) for _, more in rest)
    return whole if whole <= layout.TEXT_LINES - 2 else 1  # too long for a page: it flows


def located(leaflet: Leaflet, block: Block, hyphen: str) -> list[str]:
    """Return a block's lines; a BuildError says the block's file and line."""
    try:
        return lay_out(block, hyphen)
    except BuildError as exc:
        where = f"{leaflet.source_file}:{block.line}" if block.line else str(leaflet.source_file)
        raise BuildError(f"{where}: {exc}") from exc


def lay_out(block: Block, hyphen: str) -> list[str]:
    """Return one block's lines: centred, 3-1 or 1-3 as its kind asks."""
    words = cells.joined([w for piece in block.pieces for w in cells.piece_words(piece)])
    if block.kind in ("title", "heading"):
        return layout.centred(words, hyphen)
    indents = layout.PARAGRAPH if block.kind == "paragraph" else layout.HANGING
    return layout.wrap(words, indents, hyphen)


def brf_text(pages: list[list[str]]) -> str:
    """Return the pages as a BRF: Braille ASCII, CR LF line ends, a form feed after a page."""
    return "".join(LINE_END.join(brf.to_ascii(line).rstrip() for line in page) + LINE_END
                   + PAGE_END for page in pages)


def preview_text(pages: list[list[str]]) -> str:
    """Return the pages in Unicode braille: the BRF's cells, line for line (LF line ends)."""
    return "".join("\n".join(line.rstrip(BLANK) for line in page)
                   + "\n" + PAGE_END for page in pages)


def write_text(path: Path, text: str, encoding: str) -> None:
    """Write a file; BuildError with the cause when the disk refuses it."""
    try:
        path.write_bytes(text.encode(encoding))
    except OSError as exc:
        raise_if_disk_full(exc, path)
        raise BuildError(f"{path}: cannot write the braille ({exc.strerror or exc})") from exc
