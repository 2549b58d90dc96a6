"""Prove the PDF gives each contact once, and the main contact on its first page.

- **Each contact once** (``pdf-contact-once``, STANDARDS: each contact written once): the
  writer prints each contact in a box of its own, a ``Div`` in the structure tree headed by
  the contact's name (an ``H3``; in a copy of an older house page, a bold paragraph), known
  as ``pdf-split-element`` knows a box (``pdf_tags.contact_box``). Each contact's name
  (``contacts.<id>.name``) must head exactly one such box: a house template that prints a
  contact twice (a hand-written box, a block of its own) or not at all fails.
  The names are read from the letters the tags hold (``pdf_tags.read_chars``), so the rule
  runs in the thorough check only; it walks the tree ``pdf_tags`` has already read.
- **The main contact on the first page** (``pdf-first-page``): page 1, its running artifacts
  (the footer, "Page N of M") left out, must print the main contact's number and hours as
  the leaflet prints them (its name, when it has no number), as the DOCX's first page must
  (``docx-first-page``); the footer alone does not satisfy it. Hours too long to share page
  1 with the number may start page 2, where the writer's box goes on. The pages' text is
  pdfium's, from the characters ``pdf.page_chars`` has already read (about 1 ms);
  a right-to-left page is compared by its letters and whole numbers in order
  (``bidi.fact_key``, marks aside), as ``pdf_footer`` compares a footer: pdfium gives each
  line in logical order.
"""

from __future__ import annotations

import ctypes
import functools
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2.raw as pdfium_c

from lmets_docs.check import bounds, pdf_footer, pdf_links_rtl, pdf_tags
from lmets_docs.check.bidi import logical_text, plain_logical_text
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.footer import expected
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

Where = tuple[int, int]
"""A piece of marked content: (page number from 1, marked-content id), as ``pdf_tags``'s."""
def names(manifest: Manifest) -> dict[str, str]:
    """Return each contact's name fact (``contacts.<id>.name``) and its printed form."""
    return {name: entry.printed for name, entry in manifest.facts.items()
            if name.startswith("contacts.") and name.endswith(".name") and entry.printed}


def rtl(manifest: Manifest) -> bool:
    """Say whether the leaflet's language is written right to left."""
    return manifest.lang.split("-")[0] in RTL_LANGUAGES


def once(path: Path, walk: pdf_tags.Walk, texts: dict[Where, str],
         contacts: Mapping[str, str], *, rtl: bool) -> Iterator[Finding]:
    """Yield an error for each contact whose name heads no box, or more than one.

    ``walk``: the structure tree ``pdf_tags`` has read; ``texts``: the letters its pieces
    hold (``pdf_tags.read_chars``); ``contacts``: each contact's name fact as printed. A box
    is a ``Div`` that ``pdf_tags.contact_box`` finds headed by a contact's name (its words,
    case aside, read in order: a right-to-left name too); two contacts of one name must head
    two boxes.
    """
    if not contacts:
        return
    named = pdf_tags.contact_names(contacts)
    found: dict[str, list[int]] = {}
    for family, owner in zip(walk.families, walk.owners, strict=True):
        name = pdf_tags.contact_box(owner, family, texts, named, rtl=rtl)
        if name is not None:
            found.setdefault(name, []).append(family[0][1][0][0])
    for fact, printed in contacts.items():
        key = pdf_tags.name_key(printed)
        pages = found.get(key, [])
        if len(pages) == len(named.get(key, [])):
            continue
        if not pages:
            yield error(path, "structure", f"{fact} {printed!r} heads no contact box (no Div "
                        "headed by the contact's name in the structure tree): every contact "
                        "is given once", "pdf-contact-once")
        else:
            shown = ", ".join(str(page) for page in pages)
            yield error(path, f"page {pages[1] if len(pages) > 1 else pages[0]}",
                        f"{fact} {printed!r} heads {len(pages)} contact boxes (pages {shown}): "
                        "each contact is given once (STANDARDS.md)", "pdf-contact-once")


class Content(NamedTuple):
    """A page's text as pdfium reads it, its running artifacts left out (``content_text``),
    and the frame its letters lie in: left and top from the page's top left corner, width
    and height, in points (None for a page without text)."""

    text: str
    frame: tuple[float, float, float, float] | None


NO_CONTENT = Content("", None)
"""A page whose content is not read (``pdf.CONTENT_PAGES``)."""


def first_page(path: Path, pages: list[Callable[[], Content]], manifest: Manifest
               ) -> Iterator[Finding]:
    """Yield an error for each of the main contact's number and hours that page 1 does not
    print as the leaflet does (``pages``: the first pages' text, their running artifacts left
    out, ``content_text``; page 2's is read only when page 1 lacks the hours).

    Hours too long to share page 1 with the contact's name and number may start page 2: the
    writer breaks the box after the number (``pdf_layout.split_boxes``), the number never
    parted from whose it is, and the rest of the box goes on at the top of the next page.

    pdfium orders a right-to-left line by its own bidi pass, which turns round a number
    isolated left to right beside Latin words ("020 7946 0000" comes as "0000 7946 020");
    where it misses a fact so, the pages are read again by pdftotext, in logical order,
    inside the frame of their letters that are content (``Content.frame``: the running
    footer and page label are outside it), or without pdftotext from their glyphs. A fact
    either reading gives is printed: pdftotext has its own misreading, a mark WeasyPrint
    raises (the tanwin of "مساءً") taken with the words after it for another line, which
    pdfium reads right (its marks aside, ``pdf_footer.rtl_key``).
    """
    want = expected(manifest, "hours unbroken")
    if want is None or not pages:
        return

    def then() -> str:
        return pages[1]().text if len(pages) > 1 else ""

    if not rtl(manifest):
        missing = _missing(want.required, _folded(pages[0]().text), lambda: _folded(then()),
                           _folded)
    else:
        missing = _missing(want.required, _rtl(plain_logical_text(pages[0]().text)),
                           lambda: _rtl(plain_logical_text(then())), _rtl)
        if missing:  # what either reading gives in order is printed
            again = [_rtl(text) for text in read_again(path, [page() for page in pages])]
            missing = [fact for fact in missing if fact in _missing(
                want.required, again[0], lambda: again[1] if len(again) > 1 else "", _rtl)]
    for fact in missing:
        yield error(path, "page 1", f"{fact} {want.required[fact]!r} is not on the first page "
                    "(its running footer aside): the title page gives the main contact's "
                    "number and hours", "pdf-first-page")


def _folded(text: str) -> str:
    return " ".join(text.split())


def _rtl(text: str) -> str:
    return pdf_footer.rtl_key(text)


def _missing(required: dict[str, str], first: str, then: Callable[[], str],
             key: Callable[[str], str]) -> list[str]:
    """Return the facts of ``required`` that page 1's key (``first``) does not give (hours
    may start page 2, ``then``'s key, after the number on page 1), each whole: "0113 496
    0321" is not in "10113 496 0321" (``bounds``; a right-to-left key, ``_rtl``, bounds its
    numbers itself)."""
    number = next((key(printed) for name, printed in required.items()
                   if not name.endswith(".hours")), None)
    keyed = key is _rtl  # a key without spaces bounds its numbers itself, not its words
    holds = bounds.within if keyed else bounds.holds
    starts = str.startswith if keyed else bounds.starts
    return [name for name, printed in required.items()
            if not holds(first, key(printed))
            and not (name.endswith(".hours") and number is not None and holds(first, number)
                     and starts(then(), key(printed)))]


def read_again(path: Path, pages: list[Content]) -> list[str]:
    """Return the pages' text in logical order, read by pdftotext inside the frame of their
    content (with the direction marks ``bidi.logical_text`` reads), else from the glyphs
    that are not artifacts (``pdf_links_rtl``)."""
    frames = [page.frame for page in pages if page.frame is not None]
    tool = shutil.which("pdftotext")
    if not frames:
        return ["" for _ in pages]
    if tool is None:
        return _glyph_texts(path, len(pages))
    left, top = min(f[0] for f in frames), min(f[1] for f in frames)
    right = max(f[0] + f[2] for f in frames)
    bottom = max(f[1] + f[3] for f in frames)
    crop = [str(round(v)) for v in (left - SLACK, top - SLACK, right - left + 2 * SLACK,
                                    bottom - top + 2 * SLACK)]
    done = subprocess.run([tool, "-enc", "UTF-8", "-f", "1", "-l", str(len(pages)), "-r", "72",
                           "-x", crop[0], "-y", crop[1], "-W", crop[2], "-H", crop[3],
                           str(path), "-"], capture_output=True, check=False,
                          stdin=subprocess.DEVNULL, timeout=PDFTOTEXT_TIMEOUT)
    if done.returncode != 0:
        raise ValueError("pdftotext cannot read it: "
                         f"{done.stderr.decode('utf-8', 'replace').strip() or 'no reason'}")
    return [logical_text(page) for page in done.stdout.decode("utf-8").split("\f")[:len(pages)]]


SLACK = 2.0
"""Points added around the content's frame, so that no letter at its edge is lost."""
PDFTOTEXT_TIMEOUT = 60


def _glyph_texts(path: Path, count: int) -> list[str]:
    """Return the first pages' text in logical order, from the glyphs not marked /Artifact
    (pdfminer: about 0.05 s a page)."""
    texts = []
    with pdf_tags.plumber(path) as pdf:
        for page in pdf.pages[:count]:
            glyphs = [pdf_links_rtl.glyph(char) for char in page.chars
                      if char.get("tag") != "Artifact"]
            texts.append("\n".join(pdf_links_rtl.logical(line)
                                   for line in pdf_links_rtl.lines(glyphs)))
    return texts


Box = tuple[float, float, float, float]
"""A box on the page: left, bottom, right, top, in points from the page's bottom left."""


def content_text(page: Any, mediabox: Box, chars: list[tuple[str, float, Box]],
                 spaces: list[tuple[int, str]]) -> Callable[[], Content]:
    """Return what reads a page's text as pdfium reads it (``chars``: its visible characters
    with their boxes, as ``pdf.page_chars`` reads them; ``spaces``: the spaces and line
    breaks, each with the place in ``chars`` it comes before) without the text of its
    ``/Artifact`` marked content (the running footer, the page label): the characters inside
    an artifact's text object; and the frame of that text's letters. The artifacts are found
    now, while the page is open (0.3 ms); the text is read when it is asked for (0.5 ms a
    page), once."""
    artifacts = [box for obj in _text_objects(page) if pdf_footer.is_artifact(obj)
                 and (box := _bounds(obj)) is not None]

    @functools.cache
    def read() -> Content:
        kept: list[str] = []
        boxes: list[Box] = []
        at = 0
        for index, (char, _, box) in enumerate(chars):
            while at < len(spaces) and spaces[at][0] <= index:
                kept.append(spaces[at][1])
                at += 1
            x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if not any(a[0] <= x <= a[2] and a[1] <= y <= a[3] for a in artifacts):
                kept.append(char)
                boxes.append(box)
        kept += [char for _, char in spaces[at:]]
        if not boxes:
            return Content("".join(kept), None)
        x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
        y0, y1 = min(b[1] for b in boxes), max(b[3] for b in boxes)
        return Content("".join(kept), (x0, mediabox[3] - y1, x1 - x0, y1 - y0))

    return read


def no_content() -> Content:
    """Return the content of a page whose content is not read (``pdf.CONTENT_PAGES``)."""
    return NO_CONTENT


def _bounds(obj: Any) -> Box | None:
    """Return a page object's box, or None if pdfium cannot tell it."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    return (left.value, bottom.value, right.value, top.value)


def _text_objects(page: Any) -> Iterator[Any]:
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
            yield obj
