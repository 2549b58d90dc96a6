"""Prove the PDF gives each contact once, and the main contact on its first page.

- **Each contact once** (``pdf-contact-once``, STANDARDS: each contact written once): the
  writer prints each contact in a box of its own, a ``Div`` in the structure tree headed by
  the contact's name (an ``H3``; in a copy of an older house page, a bold paragraph). Each
  contact's name (``contacts.<id>.name``) must head exactly one such box: a house template
  that prints a contact twice (a hand-written box, a block of its own) or not at all fails.
  The names are read from the letters the tags hold (``pdf_tags.read_chars``), so the rule
  runs in the thorough check only; it walks the tree ``pdf_tags`` has already read.
- **The main contact on the first page** (``pdf-first-page``): page 1, its running artifacts
  (the footer, "Page N of M") left out, must print the main contact's number and hours as
  the leaflet prints them (its name, when it has no number), as the DOCX's first page must
  (``docx-first-page``); the footer alone does not satisfy it. Hours too long to share page
  1 with the number may start page 2, where the writer's box goes on. The pages' text is
  pdfium's, from the text pages ``pdf.page_chars`` has already loaded (about 1 ms a page);
  a right-to-left page is compared by its letters and whole numbers in order
  (``bidi.fact_key``, marks aside), as ``pdf_footer`` compares a footer: pdfium gives each
  line in logical order.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lmets_docs.check import pdf_footer
from lmets_docs.check.bidi import MARKS, bidi_key, plain_logical_text
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.footer import expected
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

Where = tuple[int, int]
"""A piece of marked content: (page number from 1, marked-content id), as ``pdf_tags``'s."""
BOX_HEADS = re.compile(r"/H\d|/P")
"""The roles that may head a contact's box: a heading, or an older page's bold paragraph."""


def names(manifest: Manifest) -> dict[str, str]:
    """Return each contact's name fact (``contacts.<id>.name``) and its printed form."""
    return {name: entry.printed for name, entry in manifest.facts.items()
            if name.startswith("contacts.") and name.endswith(".name") and entry.printed}


def rtl(manifest: Manifest) -> bool:
    """Say whether the leaflet's language is written right to left."""
    return manifest.lang.split("-")[0] in RTL_LANGUAGES


def once(path: Path, boxes: Iterator[tuple[str, str, list[Where]]], texts: dict[Where, str],
         contacts: Mapping[str, str], right_to_left: bool) -> Iterator[Finding]:
    """Yield an error for each contact whose name heads no box, or more than one.

    ``boxes``: each ``Div``'s role and its first element's role and content (``boxed``).
    A box's name is compared by its letters and digits, spaces aside; in right-to-left text,
    which pdfplumber gives in the order it is drawn, as the same letters and digits in any
    order (two contacts' names are never the same letters).
    """
    if not contacts:
        return
    key = _set_key if right_to_left else _key
    wanted = Counter(key(name) for name in contacts.values())
    found: dict[str, list[int]] = {}
    for owner, role, content in boxes:
        if owner != "/Div" or not BOX_HEADS.fullmatch(role) or not content:
            continue
        head = key("".join(texts.get(piece, "") for piece in content))
        if head in wanted:
            found.setdefault(head, []).append(content[0][0])
    for fact, name in contacts.items():
        pages = found.get(key(name), [])
        if len(pages) == wanted[key(name)]:
            continue
        if not pages:
            yield error(path, "structure", f"{fact} {name!r} heads no contact box (no Div "
                        "headed by the contact's name in the structure tree): every contact "
                        "is given once", "pdf-contact-once")
        else:
            shown = ", ".join(str(page) for page in pages)
            yield error(path, f"page {pages[1] if len(pages) > 1 else pages[0]}",
                        f"{fact} {name!r} heads {len(pages)} contact boxes (pages {shown}): "
                        "each contact is given once (STANDARDS.md)", "pdf-contact-once")


_NO_MARKS = dict.fromkeys(map(ord, MARKS))


def _key(text: str) -> str:
    return "".join(text.split())


def _set_key(text: str) -> str:
    return "".join(sorted(bidi_key(text).translate(_NO_MARKS)))


def first_page(path: Path, pages: list[str], manifest: Manifest) -> Iterator[Finding]:
    """Yield an error for each of the main contact's number and hours that page 1 does not
    print as the leaflet does (``pages``: the first pages' text, their running artifacts left
    out, ``content_text``).

    Hours too long to share page 1 with the contact's name and number may start page 2: the
    writer breaks the box after the number (``pdf_layout.split_boxes``), the number never
    parted from whose it is, and the rest of the box goes on at the top of the next page.
    """
    want = expected(manifest, "hours unbroken")
    if want is None or not pages:
        return
    right_to_left = rtl(manifest)

    def key(text: str, printed: bool = False) -> str:
        if right_to_left:
            return pdf_footer.rtl_key(text if printed else plain_logical_text(text))
        return " ".join(text.split())

    first, then = key(pages[0]), key(pages[1]) if len(pages) > 1 else ""
    number = next((key(p, True) for n, p in want.required.items() if not n.endswith(".hours")),
                  None)
    for fact, printed in want.required.items():
        wanted = key(printed, True)
        if wanted in first or (fact.endswith(".hours") and number is not None
                               and number in first and then.startswith(wanted)):
            continue
        yield error(path, "page 1", f"{fact} {printed!r} is not on the first page (its "
                    "running footer aside): the title page gives the main contact's number "
                    "and hours", "pdf-first-page")


def content_text(page: pdfium.PdfPage, text: pdfium.PdfTextPage) -> str:
    """Return a page's text as pdfium reads it, without the text of its ``/Artifact`` marked
    content (the running footer, the page label)."""
    raw = text.raw
    artifacts = {ctypes.cast(obj, ctypes.c_void_p).value
                 for obj in _text_objects(page.raw) if pdf_footer.is_artifact(obj)}
    kept = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        obj = pdfium_c.FPDFText_GetTextObject(raw, index)
        if obj and ctypes.cast(obj, ctypes.c_void_p).value in artifacts:
            continue
        kept.append(chr(pdfium_c.FPDFText_GetUnicode(raw, index)))
    return "".join(kept)


def _text_objects(page: Any) -> Iterator[Any]:
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
            yield obj
