"""Read a PDF's tags back for two rules WeasyPrint alone breaks: running content, split elements.

- **Running headers and footers are artifacts** (PDF/UA-1 7.8): every piece of marked content
  on a page is held by a structure element or marked ``/Artifact``; a line of text repeated
  at the same place on three or more pages in the page's margins (a footer, "Page N of M":
  above or below every line of the text frame, which are the lines that do not repeat so)
  is never tagged content, or a screen reader reads it on every page.
- **Headings larger than the body** (STANDARDS: headings larger and bold): every character of
  a heading element (``H1``-``H6``: the title, the sections', the contacts' and each contact's
  name) is printed larger than the body's size (18 pt, giant print 22 pt).
- **Each contact once** (``pdf_contacts.once``): each contact's name heads one box (a ``Div``)
  in the structure tree.
- **The name heading a broken box's rest is an artifact** (``pdf_continued``): every letter
  of a contact's name, continued, where a page break carries its box on, is an ``/Artifact``.
- **One element per paragraph or list**: a page break does not cut a paragraph, list, section
  or table into two structure elements. A section is cut when its second piece does not start
  with a heading; a paragraph when its first piece ends on a comma or its second starts in
  lower case (a paragraph cut between two sentences goes unseen); two lists, parts or tables
  in a row across a page break are always one cut. A contact's box (``contact_box``: a ``Div``
  headed by the contact's name) gives one line per paragraph, each whole: two of its
  paragraphs across a page break must each hold a whole fact of that box's contact (its
  number, hours, email, web address or note), read in order, or they are a line cut in two;
  and one paragraph printed on two pages or more is a line cut.

The text rules read the characters with pdfplumber (which knows each one's marked-content id),
so they run only in the thorough check.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pikepdf

from lmets_docs.check import bidi, pdf_contacts, pdf_continued, pdf_links_rtl
from lmets_docs.check.findings import Finding, error

Where = tuple[int, int]
"""A piece of marked content: (page number from 1, marked-content id)."""

REPEATED_PAGES = 3
FRAME_SLACK = 2
"""Points a line may lie outside the other lines and still be in the text frame."""
CUT_ROLES = frozenset({"/P", "/L", "/Sect", "/Part", "/Table"})
ALWAYS_ONE = frozenset({"/L", "/Part", "/Table"})
"""Two of these in a row across a page break are one element cut in two."""
MID_SENTENCE = frozenset(",\u060c\u3001-\u2010\u2013")
"""Comma, Arabic comma, ideographic comma, hyphen-minus, hyphen, en dash."""
NAMES = {"/P": "paragraph", "/L": "list", "/Sect": "section", "/Part": "part",
         "/Table": "table"}


def findings(path: Path, pdf: pikepdf.Pdf, thorough: bool, body_pt: float | None,
             contacts: Mapping[str, str], names: Mapping[str, str] | None = None,
             details: Mapping[str, Any] | None = None, *, rtl: bool = False
             ) -> Iterator[Finding]:
    """Yield the findings of the rules (the text-based parts only when ``thorough``; the
    headings' sizes only when the body's size, ``body_pt``, is given; ``contacts``: each
    ``contacts.<id>.<field>`` fact as printed, which tells a contact's box and its lines;
    each contact once, ``pdf_contacts.once``, when the contacts' names, ``names``, are;
    and each name heading the rest of a broken box that the artifact's ``details`` record
    an artifact, ``pdf_continued``; ``rtl``: the leaflet's language is written right to
    left, so each line is read from its right, ``pdf_links_rtl.logical``)."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    walk = Walk(numbers, tree.get("/RoleMap", pikepdf.Dictionary()))
    walk.visit(tree)
    yield from untagged(path, pdf, walk)
    if thorough:
        wanted, continued = pdf_continued.recorded(path, details or {})
        chars = read_chars(path, lambda number, page: continued.extend(
            pdf_continued.page_findings(path, number, page, wanted.pop(number, []), rtl=rtl)))
        yield from continued
        for number, markers in wanted.items():  # past the last page
            yield from pdf_continued.page_findings(path, number, None, markers, rtl=rtl)
        yield from running(path, chars.lines)
        yield from cut(path, walk, chars.texts, chars.glyphs, contacts, rtl=rtl)
        if body_pt is not None:
            yield from small_headings(path, walk, chars.texts, chars.sizes, body_pt, rtl=rtl)
        if names:
            yield from pdf_contacts.once(path, walk, chars.texts, names, rtl=rtl)


class Walk:
    """The structure tree read once: each element's role, children and content."""

    def __init__(self, numbers: dict[tuple[int, int], int], role_map: Any) -> None:
        self.numbers, self.role_map = numbers, role_map
        self.held: set[Where] = set()
        self.families: list[list[tuple[str, list[Where], Any]]] = []
        self.owners: list[str] = []
        """Each family's element's role, in the order of ``families``."""

    def role(self, element: Any) -> str:
        """Return an element's standard role, following the /RoleMap."""
        role, seen = str(element.get("/S", "")), set()
        while role in self.role_map and role not in seen:
            seen.add(role)
            role = str(self.role_map[role])
        return role

    def visit(self, node: Any) -> list[Where]:
        """Record a node's children and return the content under it, in order."""
        found, family = [], []
        for kid in _kids(node):
            content = self._content(node, kid)
            if _is_element(kid):
                family.append((self.role(kid), content, kid))
            found += content
        self.families.append(family)
        self.owners.append(self.role(node) if _is_element(node) else "")
        return found

    def _content(self, node: Any, kid: Any) -> list[Where]:
        if _is_element(kid):
            return self.visit(kid)
        page, mcid = _page(node), None
        if isinstance(kid, int):
            mcid = kid
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            page, mcid = kid.get("/Pg", page), int(kid.MCID)
        if mcid is None or page is None:
            return []
        where = (self.numbers.get(page.objgen, 0), mcid)
        self.held.add(where)
        return [where]


def _kids(node: Any) -> list[Any]:
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def _page(node: Any) -> Any:
    return node.get("/Pg") if isinstance(node, pikepdf.Dictionary) else None


def marked_ids(page: pikepdf.Page) -> Iterator[int]:
    """Yield the marked-content ids of every tagged (not artifact) sequence on a page."""
    for instruction in pikepdf.parse_content_stream(page, "BDC"):
        operands: list[Any] = list(instruction.operands)
        properties = operands[1] if len(operands) == 2 else None
        if (str(operands[0]) != "/Artifact" and isinstance(properties, pikepdf.Dictionary)
                and "/MCID" in properties):
            yield int(properties.MCID)


def untagged(path: Path, pdf: pikepdf.Pdf, walk: Walk) -> Iterator[Finding]:
    """Yield an error per page with tagged content that no structure element holds."""
    for number, page in enumerate(pdf.pages, start=1):
        loose = sorted(m for m in marked_ids(page) if (number, m) not in walk.held)
        if loose:
            yield error(path, f"page {number}",
                        f"{len(loose)} pieces of tagged content belong to no structure element "
                        "(running headers, footers and page numbers must be marked "
                        "/Artifact /Pagination)", "pdf-artifacts")


class Chars(NamedTuple):
    """The tagged text read back (``read_chars``)."""

    texts: dict[Where, str]
    """Each piece's text, as drawn, a ``NEW_LINE`` where a printed line ends."""
    lines: dict[tuple[int, str], set[int]]
    """Each printed line's pages, keyed by its height and its text with digits folded."""
    sizes: dict[Where, list[float]]
    """The printed size of each piece's letters (spaces aside), in points."""
    glyphs: dict[Where, list[pdf_links_rtl.Glyph]]
    """Each piece's glyphs and where they stand, on the pages that hold right-to-left
    letters (``_in_order`` reads a line from them in reading order)."""


def read_chars(path: Path, each: Callable[[int, Any], None] | None = None) -> Chars:
    """Return the text of each tagged piece, where each tagged line stands on which pages, the
    printed size of each piece's letters and, on a page with right-to-left letters, each
    piece's glyphs; give ``each`` every page read (its number from 1, pdfplumber's page), for
    a rule of its own.

    A line is keyed by its height on the page and its text with digits folded (page numbers).
    A piece's text holds a ``NEW_LINE`` where a printed line ends (``_lines``: each line of a
    right-to-left text is read on its own); ``_text`` joins the lines with a space.
    """
    texts: dict[Where, str] = defaultdict(str)
    sizes: dict[Where, list[float]] = defaultdict(list)
    lines: dict[tuple[int, str], set[int]] = defaultdict(set)
    glyphs: dict[Where, list[pdf_links_rtl.Glyph]] = {}
    with plumber(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if each is not None:
                each(number, page)
            rows: dict[int, str] = defaultdict(str)
            drawn: dict[Where, list[Any]] = defaultdict(list)
            below: float | None = None
            for char in page.chars:
                if char.get("mcid") is None or char.get("tag") == "Artifact":
                    continue
                where = (number, int(char["mcid"]))
                if below is not None and float(char["top"]) >= below:
                    texts[where] += NEW_LINE
                below = float(char["bottom"]) - LINE_SLACK
                texts[where] += char["text"]
                drawn[where].append(char)
                if not char["text"].isspace():
                    sizes[where].append(float(char["size"]))
                rows[round(char["top"])] += char["text"]
            for top, text in rows.items():
                lines[(top, re.sub(r"\d+", "#", text.strip()))].add(number)
            if any(_right_to_left(text) for text in rows.values()):
                glyphs |= {where: [pdf_links_rtl.glyph(char) for char in chars]
                           for where, chars in drawn.items()}
    return Chars(texts, lines, sizes, glyphs)


NEW_LINE = "\n"
LINE_SLACK = 1.0
"""Points a letter's top may lie above the previous letter's bottom on the next line."""


@contextmanager
def plumber(path: Path) -> Iterator[Any]:
    """Open a PDF with pdfplumber; pdfminer's failure to read it becomes a ValueError.

    pdfplumber (and pdfminer under it) is imported only here: the build's check, which is
    not thorough, does without it (0.04 s of CPU saved per build).
    """
    import pdfplumber  # noqa: PLC0415
    from pdfplumber.utils.exceptions import PdfminerException  # noqa: PLC0415

    try:
        with pdfplumber.open(path) as pdf:
            yield pdf
    except PdfminerException as exc:
        raise ValueError(f"pdfplumber cannot read it: {exc}") from exc


def running(path: Path, lines: dict[tuple[int, str], set[int]]) -> Iterator[Finding]:
    """Yield an error for each line tagged as content at the same place on 3 or more pages,
    in the page's margins: above or below every line that does not repeat so (the text
    frame). Similar contact boxes repeat at the same place within the frame; they are not
    running content."""
    repeated = {key: pages for key, pages in lines.items()
                if len(pages) >= REPEATED_PAGES and key[1]}
    body = [top for top, text in lines if (top, text) not in repeated]
    for (top, text), pages in sorted(repeated.items(), key=lambda item: min(item[1])):
        if body and min(body) - FRAME_SLACK <= top <= max(body) + FRAME_SLACK:
            continue
        shown = ", ".join(str(p) for p in sorted(pages))
        yield error(path, f"page {min(pages)}",
                    f"{text[:60]!r} is tagged as content on pages {shown}: a running "
                    "header or footer must be an /Artifact /Pagination",
                    "pdf-running-artifact")


SIZE_TOLERANCE = 0.05
"""Points a heading's letter may be off its size and still be the size it was set in."""


def small_headings(path: Path, walk: Walk, texts: dict[Where, str],
                   sizes: dict[Where, list[float]], body_pt: float, *, rtl: bool
                   ) -> Iterator[Finding]:
    """Yield an error for each heading with a letter no larger than the body's size, naming
    the heading whole, as it is read (``_read``; ``rtl``: in a right-to-left language)."""
    for family in walk.families:
        for role, content, _ in family:
            found = [size for piece in content for size in sizes.get(piece, [])]
            if not re.fullmatch(r"/H\d", role) or not found:
                continue
            if min(found) <= body_pt + SIZE_TOLERANCE:
                yield error(path, f"page {content[0][0]}",
                            f"the heading {_read(_lines(content, texts).strip(), rtl)!r} "
                            f"({role[1:]}) "
                            f"is printed at {min(found):.1f} pt, not larger than the body's "
                            f"{body_pt:g} pt: a heading is larger and bold (STANDARDS.md)",
                            "pdf-heading-size")


def _read(text: str, rtl: bool) -> str:
    """Return a heading's (or a box's paragraph's) text as it is read, its lines joined.

    pdfplumber gives right-to-left letters in the order they are drawn; poppler's pdftotext
    gives such a line in that (visual) order too, with each right-to-left run in logical
    order inside RLE … PDF, which ``bidi.logical_text`` reads. So each run is marked so
    (``_embedded``) and read by it: a Latin word or a number among Arabic words keeps its
    order, and the runs are read right to left, each line on its own, the lines in order,
    where the line runs right to left (``pdf_links_rtl.right_to_left``: every line in a
    right-to-left language, ``rtl``; on a left-to-right page, a line in right-to-left
    letters only). A line with left-to-right letters on a left-to-right page is read from
    its left, each right-to-left run turned round in its place: "Oncology Day Unit (وحدة
    الأورام)". Spaces are folded (a run's edges give two). A left-to-right text's lines are
    joined by a space (``_joined``).
    """
    if not _right_to_left(text):
        return _joined(text)
    lines = [_embedded(line) if pdf_links_rtl.right_to_left([line], rtl)
             else _embedded(line).replace(bidi.RLE, "").replace(bidi.POP, "")
             for line in text.split(NEW_LINE)]
    logical = bidi.plain_logical_text(NEW_LINE.join(lines))
    return " ".join(logical.split())


RIGHT_TO_LEFT = frozenset({"R", "AL"})
LEFT_TO_RIGHT = frozenset({"L", "EN", "AN"})
_RTL_RUN = re.compile(r"R(?:[RN]*R)?")


def _embedded(text: str) -> str:
    """Return visual-order text with each right-to-left run (from a right-to-left letter to
    the last before a left-to-right letter or digit, the marks and neutrals between them
    with it) turned into logical order and wrapped in RLE … PDF, as pdftotext gives it."""
    kinds = "".join("R" if unicodedata.bidirectional(ch) in RIGHT_TO_LEFT | {"NSM"}
                    else "L" if unicodedata.bidirectional(ch) in LEFT_TO_RIGHT else "N"
                    for ch in text)
    read, start = [], 0
    for run in _RTL_RUN.finditer(kinds):
        read += [text[start:run.start()], bidi.RLE, text[run.start():run.end()][::-1], bidi.POP]
        start = run.end()
    return "".join([*read, text[start:]])


def cut(path: Path, walk: Walk, texts: dict[Where, str],
        glyphs: Mapping[Where, list[pdf_links_rtl.Glyph]],
        contacts: Mapping[str, str], *, rtl: bool) -> Iterator[Finding]:
    """Yield an error for each element that a page break cut into two.

    A contact's box (``contact_box``) holds one line per paragraph, each whole: its number,
    hours, email, web address, note. Two of its paragraphs across a page break are two lines
    only when each holds a whole fact of that box's contact (``_whole``; the hours may well
    start in lower case: Welsh "rhwng"); any other two are a line cut in two, wherever the
    cut falls (after a ";" or a "." too, which a paragraph's test lets pass). One of its
    paragraphs printed on two pages or more (the writer merges the pieces of a paragraph a
    page break cut) is a line cut. The title page (a ``Div`` headed by the title) is no
    contact's box. ``glyphs``: the pieces' glyphs on pages with right-to-left letters
    (``read_chars``), read in lines that run right to left when ``rtl``, the leaflet's
    language is (``pdf_links_rtl.right_to_left``)."""
    named = contact_names(contacts)
    for family, owner in zip(walk.families, walk.owners, strict=True):
        name = contact_box(owner, family, texts, named, rtl=rtl)
        if name is not None:
            yield from _cut_lines(path, family, texts)
        own = _line_facts(contacts, named.get(name or "", []))
        for (role, one, _), (after, two, element) in itertools.pairwise(family):
            if role != after or role not in CUT_ROLES or not one or not two:
                continue
            if one[-1][0] + 1 != two[0][0]:  # not across a page break
                continue
            boxed = name is not None and role == "/P"
            if (not boxed and _is_cut(role, one, two, element, walk, texts)) or (
                    boxed and not (_whole(one, texts, glyphs, own, rtl=rtl)
                                   and _whole(two, texts, glyphs, own, rtl=rtl))):
                why = " (each line of a contact's box holds a whole fact of its contact)"
                yield error(path, f"page {one[-1][0]}",
                            f"a {NAMES.get(role, role)} ({role[1:]}) is split into two structure "
                            f"elements at the break to page {two[0][0]}: "
                            f"{_text(one, texts)[-30:]!r} / {_text(two, texts)[:30]!r}"
                            + (why if boxed else ""), "pdf-split-element")


LINE_FACTS = frozenset({"phone", "hours", "email", "web", "note"})
"""The contact facts a box gives a line each (its name heads it)."""


def contact_names(contacts: Mapping[str, str]) -> dict[str, list[str]]:
    """Return each contact's name as ``contact_box`` knows it (``name_key``) and the contacts
    of that name (``contacts.<id>``), from the ``contacts.<id>.name`` facts among
    ``contacts`` (each fact as printed)."""
    named: dict[str, list[str]] = defaultdict(list)
    for fact, printed in contacts.items():
        if fact.startswith("contacts.") and fact.endswith(".name") and name_key(printed):
            named[name_key(printed)].append(fact.removesuffix(".name"))
    return dict(named)


def _line_facts(contacts: Mapping[str, str], owners: list[str]) -> set[str]:
    """Return the keys (``_line_key``) of the facts the contacts ``owners`` give a line each."""
    return {_line_key(printed) for fact, printed in contacts.items()
            if fact.rsplit(".", 1)[0] in owners
            and fact.rsplit(".", 1)[-1] in LINE_FACTS} - {""}


def contact_box(owner: str, family: list[tuple[str, list[Where], Any]],
                texts: dict[Where, str], names: Mapping[str, Any], *, rtl: bool
                ) -> str | None:
    """Return the name (``name_key``) of the contact whose box an element is, or None if it
    is none: a ``Div`` whose first element gives a contact's name (``names``: each contact's
    ``name_key``, as ``contact_names`` gives them), in any case (a house sheet may print the
    names in capitals). Its first element is a heading (``H2``-``H6``; the ``H1`` is the
    title) that holds the name in whole words, maybe with more ("1.", "Contact:"; the longest
    name it holds, if it holds two), or a paragraph that is the name and nothing more (a house
    ``leaflet.html`` that calls ``contact_boxes`` without a heading gets each name as a bold
    paragraph, ``templates/common/furniture.html``). The name is read in order, a
    right-to-left one too (``_read``: a line drawn as one, unlike a box's isolated facts;
    ``rtl``: in a right-to-left language).

    Both rules that look for the contacts' boxes know them so: ``cut`` (a box's lines) and
    ``pdf_contacts.once`` (each contact's name heads one box)."""
    if owner != "/Div" or not family:
        return None
    role, first = family[0][0], family[0][1]
    heading = re.fullmatch(r"/H[2-6]", role) is not None
    if not heading and role != "/P":
        return None
    read = name_key(_read(_lines(first, texts), rtl))
    if not read or read in names:
        return read or None
    return max((name for name in names if heading and f" {name} " in f" {read} "), key=len,
               default=None)


def name_key(text: str) -> str:
    """Return a name's words, each only its letters and digits (``bidi_key``) with case
    folded, one space between them."""
    return " ".join(key for key in (bidi.bidi_key(word).casefold() for word in text.split()) if key)


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in RIGHT_TO_LEFT for ch in text)


def _whole(piece: list[Where], texts: dict[Where, str],
           glyphs: Mapping[Where, list[pdf_links_rtl.Glyph]], facts: set[str], *,
           rtl: bool) -> bool:
    """Say whether a box's paragraph holds a whole contact fact (``facts``: their
    ``_line_key``), its letters and digits read in order (``_in_order``), each of its
    numbers a whole number there ("1 June" is not in "21 June", "0113 496 0321" not in
    "10113 496 0321", in any script's digits): it is a line of its own, not a piece of one.
    A fact may wrap over lines."""
    read = _line_key(_in_order(piece, texts, glyphs, rtl=rtl))
    return any(fact in read for fact in facts)


_NO_MARKS = dict.fromkeys(map(ord, bidi.MARKS))


def _line_key(text: str) -> str:
    """Return a text's letters and digits in order, each number bounded (``fact_key``: one
    key is in another only where its numbers are whole numbers there too), the Arabic
    script's marks aside: drawn over their letter, a mark's glyph may stand either side of
    it."""
    return bidi.fact_key(text).translate(_NO_MARKS)


def _in_order(pieces: list[Where], texts: dict[Where, str],
              glyphs: Mapping[Where, list[pdf_links_rtl.Glyph]], *, rtl: bool) -> str:
    """Return the pieces' text as it is read, each printed line on its own.

    pdfplumber gives letters in the order WeasyPrint draws them, and it draws each isolated
    piece of a right-to-left fact on its own: the Arabic hours "9 am to 5 pm, Monday to
    Friday" come as "Monday to Friday, 5 pm to 9 am". So pieces with glyphs (on a page with
    right-to-left letters) are read from them as ``pdf_links_rtl`` reads a page: each page's
    glyphs in lines (``lines``), each line from left to right with its right-to-left runs
    turned round, its runs read from its right if it runs right to left (``logical``: in a
    right-to-left language, ``rtl``, or a line in right-to-left letters only; a Latin line
    with an Arabic word on an English page runs left to right); others as they are drawn
    (``_read``)."""
    if not any(piece in glyphs for piece in pieces):
        return _read(_lines(pieces, texts), rtl)
    pages: dict[int, list[pdf_links_rtl.Glyph]] = defaultdict(list)
    for piece in pieces:
        pages[piece[0]] += glyphs.get(piece, [])
    return " ".join(pdf_links_rtl.logical(line, rtl) for page in sorted(pages)
                    for line in pdf_links_rtl.lines(pages[page]))


def _cut_lines(path: Path, family: list[tuple[str, list[Where], Any]],
               texts: dict[Where, str]) -> Iterator[Finding]:
    """Yield an error for each paragraph of a contact's box printed on two pages or more,
    naming every page it runs onto."""
    for role, content, _ in family:
        pages = sorted({page for page, _ in content})
        if role == "/P" and len(pages) > 1:
            first = [where for where in content if where[0] == pages[0]]
            rest = [where for where in content if where[0] != pages[0]]
            breaks = (f"in two by the break to page {pages[1]}" if len(pages) == 2 else
                      f"in {len(pages)} by the breaks to pages "
                      f"{', '.join(str(page) for page in pages[1:-1])} and {pages[-1]}")
            yield error(path, f"page {pages[0]}",
                        f"a line of a contact's box is cut {breaks}: "
                        f"{_text(first, texts)[-30:]!r} / {_text(rest, texts)[:30]!r} "
                        "(each line of a box is printed whole)", "pdf-split-element")


def _is_cut(role: str, one: list[Where], two: list[Where], second: Any, walk: Walk,
            texts: dict[Where, str]) -> bool:
    if role in ALWAYS_ONE:
        return True
    if role == "/Sect":
        first = next((walk.role(k) for k in _kids(second) if _is_element(k)), "")
        return not re.fullmatch(r"/H\d?", first)
    if role == "/P":
        # A new paragraph hardly ever starts in lower case, nor does one end on a comma; a
        # paragraph that ends without a full stop ("Published by …") is common.
        end, start = _text(one, texts).rstrip(), _text(two, texts).lstrip()
        return bool(end and start) and (end[-1] in MID_SENTENCE
                                         or unicodedata.category(start[0]) == "Ll")
    return False


def _text(pieces: list[Where], texts: dict[Where, str]) -> str:
    """Return the pieces' text as drawn, its printed lines joined by a space (``_joined``)."""
    return _joined(_lines(pieces, texts))


def _joined(text: str) -> str:
    """Return a text's printed lines joined by one space ("Canser" / "Macmillan": "Canser
    Macmillan"; WeasyPrint draws no space at a line's end), the breaks before its first line
    and after its last left out."""
    return _LINE_BREAK.sub(" ", text.strip(NEW_LINE))


_LINE_BREAK = re.compile(rf" *{NEW_LINE}+ *")


def _lines(pieces: list[Where], texts: dict[Where, str]) -> str:
    """Return the pieces' text, each printed line ended by ``NEW_LINE``."""
    return "".join(texts.get(piece, "") for piece in pieces)
