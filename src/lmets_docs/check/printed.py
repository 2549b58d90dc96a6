"""What a PDF's pages print, read as a reader reads it: across line and page breaks.

- **Addresses across their line breaks.** The writer breaks an email or web address that is
  longer than its line only before its ``@``, after a ``/`` or before a ``.``, and adds no
  character there (``writers.pdf.template``). pdftotext gives each piece on its own line;
  ``join_addresses`` reads such a line break as no break, so the address is read (and
  scanned for stray emails) whole, as printed.
- **Facts the page prints.** A link's description (``/Contents``) is made from the fact,
  not from what is printed under it: a contact's number, email or web address found only
  there, and not whole in the pages' text (``bounds``: "0113 496 0321" is not printed in
  "10113 496 03211", which phonenumbers' matcher finds neither valid nor invalid), is an
  error (``fact-not-printed``): the page may print a typo.
- **Pages read on.** A fact that a page break splits (long hours in giant print) has the
  running footer and page label between its halves in each page's text;
  ``continuous_pages`` reads the pages again without their running artifacts (a copy of the
  PDF without its ``/Artifact`` marked content, read by pdftotext), joined, for the facts
  not found otherwise. It costs a second reading, so only a leaflet that misses a fact pays.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf

from lmets_docs.check import bounds
from lmets_docs.check.bidi import fact_key, logical_text
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import Passage
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

ADDRESSES = (".email", ".web")
"""The addresses a link carries, which the writer may break over lines (``join_addresses``)."""
LINKED = (".phone", *ADDRESSES)
"""The facts a link also carries (in its description), which the page must print itself."""
_NOT_BIDI = "[^\\s\u202a-\u202e\u2066-\u2069]"
_ADDRESS_BREAK = re.compile(f"(?<=/)\n(?={_NOT_BIDI})|(?<={_NOT_BIDI})\n(?=[.@]{_NOT_BIDI})")
"""A line break after a ``/``, or before a ``.`` or ``@`` that a letter follows."""


def join_addresses(page: str, addresses: list[Address] | None = None) -> str:
    """Return a page's text with each line break inside an address taken out: in a
    contact's own address (``address_patterns``), and elsewhere at the writer's break points."""
    for pattern, address in addresses or []:
        page = pattern.sub(address.replace("\\", "\\\\"), page)  # as written, not a template
    return _ADDRESS_BREAK.sub("", page)


Address = tuple[re.Pattern[str], str]
"""A contact's address as it may be read from a page (``address_patterns``), and as written."""


def address_patterns(manifest: Manifest) -> list[Address]:
    """Return, for each contact's email and web address, a pattern that finds it printed with
    line breaks between its letters: a break inside a word is found here and reported by
    ``check.pdf_links`` (``pdf-address-break``), as pdfium reads the link's lines.

    A line that ends with the address's own hyphen (the writer's last resort, ``Loose``) is
    joined to the next by pdftotext, which drops the hyphen (poppler's dehyphenation:
    "ward-" / "12" reads "ward12"); so a hyphen may be missing here, and pdfium, which keeps
    it, proves it is printed (``pdf-link-text``).
    """
    return [(re.compile("\n?".join(f"(?:{re.escape(char)}\n?)?" if char == "-"
                                   else re.escape(char) for char in entry.printed)), entry.printed)
            for name, entry in manifest.facts.items()
            if name.startswith("contacts.") and name.endswith(ADDRESSES) and entry.printed]


def unprinted(path: Path, pages: list[str], passages: list[Passage], manifest: Manifest,
              continuous: Callable[[], str] | None = None) -> Iterator[Finding]:
    """Yield an error for each contact's number, email or web address that no page prints
    whole, though a link's description or another passage says it (``fact-missing`` covers
    the rest); one a page break splits is looked for in the pages read on (``continuous``)."""
    rtl = manifest.lang.split("-")[0] in RTL_LANGUAGES
    holds = bounds.within if rtl else bounds.holds  # a key bounds its numbers, not its words
    shown, elsewhere = _key("\n".join(pages), rtl), _key("\n".join(p.text for p in passages), rtl)
    for name, entry in manifest.facts.items():
        if not (name.startswith("contacts.") and name.endswith(LINKED)):
            continue
        printed = _key(entry.printed, rtl, fact=True)
        if holds(shown, printed) or not holds(elsewhere, printed):
            continue
        if continuous is None or not holds(_key(continuous(), rtl), printed):
            yield error(path, "", f"{name} is not printed on any page: expected "
                        f"{entry.printed!r}; only a link's description or the document's other "
                        "texts say it, and the page may print it wrong", "fact-not-printed")


def _key(text: str, rtl: bool, fact: bool = False) -> str:
    """Return a text as ``check.facts`` compares it: whitespace folded, or in a right-to-left
    language its letters and whole numbers in logical order."""
    if rtl:
        return fact_key(text if fact else logical_text(text))
    return " ".join(text.split())


def continuous_pages(path: Path, read: Callable[[Path], list[str]],
                     addresses: list[Address]) -> str:
    """Return the PDF's pages read without their running artifacts and joined, addresses
    read across their line breaks (``read``: the pages' reader, pdftotext)."""
    with pikepdf.open(path) as pdf, tempfile.TemporaryDirectory() as folder:
        for page in pdf.pages:
            page.obj.Contents = pdf.make_stream(_without_artifacts(page))
        copy = Path(folder) / "content.pdf"
        pdf.save(copy)
        return join_addresses("\n".join(page.rstrip("\n") for page in read(copy)), addresses)


def _without_artifacts(page: pikepdf.Page) -> bytes:
    """Return a page's content without its text shown inside ``/Artifact`` marked content
    (the running header and footer); everything else is kept, graphics state included."""
    kept: list[Any] = []
    marks: list[bool] = []
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(getattr(instruction, "operator", ""))
        if operator in ("BDC", "BMC"):
            marks.append(str(instruction.operands[0]) == "/Artifact" or any(marks))
        elif operator == "EMC" and marks:
            marks.pop()
        elif any(marks) and operator in SHOWING:
            continue
        kept.append(instruction)
    return pikepdf.unparse_content_stream(kept)


SHOWING = frozenset({"Tj", "TJ", "'", '"'})
