"""Read a BRF back: its pages and lines, and its text through liblouis's back-translation.

The text is read with each table the braille may be written in (``brf.Tables.readings``):
the language's own (contracted), its grade 1 (a fact written uncontracted) and UEB grade 1
(email and web addresses); a fact must read back, whole, in one of them. Stray numbers
and dates are looked for in the language's own reading (and, in a language not written in
Latin letters, stray email addresses in UEB's reading of its addresses). Digits come back
in the script's own digits (Arabic-Indic) and are compared as the digits they are. Welsh
braille is read with our fix of liblouis's Welsh tables (``brf.reading_table``), which read
their own full stop and comma back as digits ("1." as "14"): a number read that way would
hide a wrong digit (a phone number followed by a comma read as one digit longer).

Blocks are found as the writer lays them out (``writers.braille.layout``): a blank line
between groups, a centred heading (three blank cells or more before it), a line in cell 1
starting the next item of a 1-3 group. A page starts with no blank line (BANA), so a block
that starts a page is read as going on from the last one: two blocks read as one, never one
as two (a date divided between lines is read whole). A line ending in dot 5 goes on at the next line
without a space in a UEB reading (the continuation indicator of a long address).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lmets_docs import brf
from lmets_docs.brf import BLANK, CELLS_PER_LINE, CONTINUATION, LINES_PER_PAGE
from lmets_docs.check import braille_numbers
from lmets_docs.check.facts import contact_numbers, contact_region
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.links import named_links
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.errors import CheckError
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.scan import broken_numbers, phone_numbers
from lmets_docs.text import printed_address

READ_ERRORS: tuple[type[Exception], ...] = (RuntimeError,)
"""What liblouis raises on cells it cannot back-translate (a finding, not a crash)."""
PAGE_END = "\f"


@dataclass(frozen=True)
class Line:
    """One line of text as read from the file: its page, its line there, its cells."""

    page: int
    number: int
    cells: str

    @property
    def indent(self) -> int:
        """Return the blank cells before its first cell."""
        return len(self.cells) - len(self.cells.lstrip(BLANK))

    @property
    def place(self) -> str:
        """Return where a reader finds it."""
        return f"page {self.page} line {self.number}"


def pages(path: Path) -> list[list[str]]:
    """Return the BRF's pages as lines of Braille ASCII (CR LF or LF line ends)."""
    text = path.read_bytes().decode("latin-1")
    split = text.split(PAGE_END)
    if split and split[-1] in ("", "\r\n", "\n"):
        split.pop()
    return [_lines(page) for page in split]


def _lines(page: str) -> list[str]:
    lines = page.replace("\r\n", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return the BRF's text: one passage per block in the language's own reading (scanned
    for stray numbers and dates), and its other readings, where a fact may be found.

    A BRF has no room for metadata: what ties it to its build is the SHA-256 the manifest
    records (``check``'s "edited" rule), so it is taken to carry the manifest's source hash.
    """
    tables = brf.tables_for(manifest.lang)
    if tables is None:
        raise CheckError(f"{path}: no braille table for {manifest.lang!r}")
    blocks = list(text_blocks(text_lines(pages(path))))
    passages = [Passage(block[0].place, reading(block, tables.main)) for block in blocks]
    for table in tables.readings()[1:]:
        if table not in tables.for_facts():  # UEB's reading of Arabic letters: its addresses
            passages += [Passage(f"{block[0].place} ({table})", addresses)
                         for block in blocks if (addresses := _addresses(block, table))]
    if tables.numbers:  # Welsh: its numbers are in UEB, which its own table reads garbled
        passages += _phones(blocks, tables.numbers, manifest)
    others = [t for t in tables.readings()[1:] if t in tables.for_facts()]
    links = (_fact_links(path, passages, manifest) if tables.latin
             else _fact_links_read(path, blocks, tables, manifest))
    return ArtifactText(path, passages, manifest.source_hash, findings=list(links),
                        continuous=lambda: " ".join(reading(b, t) for t in others
                                                    for b in blocks))


def _fact_links(path: Path, passages: list[Passage], manifest: Manifest) -> Iterator[Finding]:
    """Yield an error for each block that reads a fact printed as a link (``forum.name``:
    "Cancer Chat") without its address in brackets after it, as the print gives it
    (``check.links.named_links``): the braille is its reader's printed leaflet. Read in the
    language's own reading, where its words are read back (Latin words in English, Welsh;
    braille in another script is read with each of its tables: ``_fact_links_read``)."""
    for name, (words, link) in named_links(manifest).items():
        want = f"{words}({printed_address(link, '')})"
        for passage in passages:
            text = "".join(passage.text.split())
            if "".join(words.split()) in text and "".join(want.split()) not in text:
                yield error(path, passage.place, f"{name}: {words!r} is not followed by its "
                            f"address ({printed_address(link, '')}): a reader of the braille "
                            "cannot find it", "braille-fact-link")


def _fact_links_read(path: Path, blocks: list[list[Line]], tables: brf.Tables,
                     manifest: Manifest) -> Iterator[Finding]:
    """Yield what ``_fact_links`` does, for braille not written in Latin letters (Arabic),
    where a fact's Latin words and an address are written in UEB grade 1 and its other
    words in the language's own table: each block is read with every table.

    A block that reads the fact's words in one reading must read them followed by its
    address in brackets in one (UEB's, for Latin words: "Example Chat (www.…)"); words
    read only in the language's own reading (an Arabic name) must have the address in
    brackets in UEB's reading of the same block: the two are read with different tables, so
    that the address comes right after the words is not read back.
    """
    named = named_links(manifest)
    readings = [(block, {table: _squeezed(reading(block, table))
                         for table in tables.readings()}) for block in blocks if named]
    for name, (words, link) in named.items():
        address = printed_address(link, "")
        whole, bare = _squeezed(f"{words}({address})"), _squeezed(words)
        for block, read in readings:
            found = [table for table, text in read.items() if bare in text]
            if not found or any(whole in text for text in read.values()):
                continue
            if tables.address not in found and f"({address})" in read[tables.address]:
                continue
            yield error(path, block[0].place, f"{name}: {words!r} is not followed by its "
                        f"address ({address}): a reader of the braille cannot find it",
                        "braille-fact-link")


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _phones(blocks: list[list[Line]], table: str, manifest: Manifest) -> list[Passage]:
    """Return, for each block, the phone numbers (valid or not) that ``table``, the one the
    braille's numbers are written in, reads in it: one passage each, where the fact reading
    names a wrong one as it does in print (``fact-phone``: "020 7946 0001" is not the
    helpline's "020 7946 0000"). The language's own reading of a number in UEB is no number.
    """
    numbers = contact_numbers(manifest)
    if not numbers:
        return []
    region = contact_region(numbers)
    found = []
    for block in blocks:
        text = reading(block, table)
        runs = [match.raw_string for scan in (phone_numbers, broken_numbers)
                for match in scan(text, region, False, manifest.lang)]
        if runs:
            found.append(Passage(f"{block[0].place} ({table})", "\n".join(runs)))
    return found


def _addresses(block: list[Line], table: str) -> str:
    return " ".join(m.group() for m in brf.ADDRESS.finditer(reading(block, table)))


def text_lines(brf_pages: list[list[str]]) -> list[Line]:
    """Return every line of text (all but each page's number, on line 1), in Unicode braille;
    a character that is not Braille ASCII is read as a blank (``accessibility`` says so)."""
    out = []
    for page_no, page in enumerate(brf_pages, start=1):
        for line_no, text in enumerate(page[1:LINES_PER_PAGE], start=2):
            cells = "".join(_cell(c) for c in text.rstrip())
            out.append(Line(page_no, line_no, cells))
    return out


def _cell(char: str) -> str:
    try:
        return brf.to_unicode(char)
    except ValueError:
        return BLANK


def text_blocks(lines: list[Line]) -> Iterator[list[Line]]:
    """Yield the blocks of text, each as its lines (see the module's docstring)."""
    block: list[Line] = []
    for line in lines:
        if not line.cells.strip(BLANK) or _starts_block(block, line):
            if block:
                yield block
            block = []
        if line.cells.strip(BLANK):
            block.append(line)
    if block:
        yield block


def _starts_block(block: list[Line], line: Line) -> bool:
    if not block:
        return True
    heading = line.indent > 2
    if heading or block[-1].indent > 2:
        return heading != (block[-1].indent > 2)
    return block[0].indent == 0 and line.indent == 0


def reading(block: list[Line], table: str) -> str:
    """Return a block's print text read with one table, as print gives it (``brf.as_printed``)."""
    text = ""
    for line in block:
        cells = line.cells.strip(BLANK)
        if brf.continued(table) and cells.endswith(CONTINUATION):
            text += cells[:-1]
        else:
            text += cells + BLANK
    return brf.as_printed(brf.back(text.strip(BLANK), brf.reading_table(table)))


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the braille rules broken: characters, line and page sizes, a heading alone at
    a page's foot, page numbers, the preview."""
    brf_pages = pages(path)
    tables = brf.tables_for(manifest.lang)
    findings = list(_characters(path, brf_pages))
    findings += _geometry(path, brf_pages)
    findings += _headings_alone(path, brf_pages)
    if tables is not None:
        findings += _page_numbers(path, brf_pages, tables.main)
        table = tables.numbers_read()
        findings += braille_numbers.text_numbers(
            path, entry, manifest, table,
            [(block[0].place, reading(block, table))
             for block in text_blocks(text_lines(brf_pages))], extra=tables.latin)
    preview = entry.files.get("preview")
    if preview is not None:
        findings += _preview(path, path.parent / preview, brf_pages)
    return findings


def _characters(path: Path, brf_pages: list[list[str]]) -> Iterator[Finding]:
    for page_no, page in enumerate(brf_pages, start=1):
        for line_no, text in enumerate(page, start=1):
            bad = sorted({c for c in text.rstrip("\r") if not _braille_ascii(c)})
            if bad:
                yield error(path, f"page {page_no} line {line_no}",
                            f"characters that are no braille cell: {''.join(bad)!r}",
                            "brf-characters")


def _braille_ascii(char: str) -> bool:
    return char.upper() in brf.BRAILLE_ASCII


def _geometry(path: Path, brf_pages: list[list[str]]) -> Iterator[Finding]:
    for page_no, page in enumerate(brf_pages, start=1):
        if len(page) > LINES_PER_PAGE:
            yield error(path, f"page {page_no}", f"{len(page)} lines: a braille page holds "
                        f"{LINES_PER_PAGE}", "brf-page-length")
        for line_no, text in enumerate(page, start=1):
            if len(text.rstrip()) > CELLS_PER_LINE:
                yield error(path, f"page {page_no} line {line_no}",
                            f"{len(text.rstrip())} cells: a braille line holds "
                            f"{CELLS_PER_LINE}", "brf-line-length")


def _headings_alone(path: Path, brf_pages: list[list[str]]) -> Iterator[Finding]:
    """Return a finding for a page whose last line of text is a centred heading."""
    for page_no, page in enumerate(brf_pages, start=1):
        text = [(n, line) for n, line in enumerate(page[1:LINES_PER_PAGE], start=2)
                if line.strip()]
        if text and page_no < len(brf_pages) and _indent(text[-1][1]) > 2:
            yield error(path, f"page {page_no} line {text[-1][0]}", "a heading is left alone "
                        "at the foot of the page", "brf-heading-alone")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _page_numbers(path: Path, brf_pages: list[list[str]], table: str) -> Iterator[Finding]:
    """Return a finding for a page whose line 1 is not its number at the right margin."""
    for page_no, page in enumerate(brf_pages, start=1):
        want = brf.to_ascii(brf.translate(str(page_no), table)[0])
        first = page[0].rstrip() if page else ""
        if first.upper() != " " * (CELLS_PER_LINE - len(want)) + want:
            found = first.strip() or "nothing"
            yield error(path, f"page {page_no} line 1",
                        f"the page number must be {want!r} at the right margin, not "
                        f"{found!r}", "brf-page-number")


def _preview(path: Path, preview: Path, brf_pages: list[list[str]]) -> Iterator[Finding]:
    """Return a finding if the Unicode preview shows other cells than the BRF."""
    cells = "".join("\n".join(_cells(line) for line in page) + "\n" + PAGE_END
                    for page in brf_pages)
    if preview.read_text(encoding="utf-8") != cells:
        yield error(preview, "", f"the proof-reading copy does not show the cells of "
                    f"{path.name}, line for line", "brf-preview")


def _cells(line: str) -> str:
    return "".join(_cell(c) for c in line.rstrip()).rstrip(BLANK)
