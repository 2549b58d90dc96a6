"""Prove the web and email addresses a PDF prints over its links are the links' own.

A reader copies the address printed on the page; a screen reader and a click follow the
link. Each link to a web or email address is read from the page as pdfium prints it: the
text inside the link's box, the boxes of one link broken over several lines (or pages)
joined in order. Where that text is an address (no spaces, a dot in it), or ends with one
in brackets after the link's words, it must be the link's target, the scheme
(``https://``, ``mailto:``) and a last ``/`` apart; otherwise (a typo on the page under a
correct link, or a link to somewhere else) it is ``pdf-link-text``. Link text in words
alone is not compared, but for a fact printed as a link ("Cancer Chat (www.…/cancer-chat)",
``forum.name``), which must be its words and its address, over a link to it, and which
names the fact (``pdf-fact-link``). An address broken across lines inside a word
("…-and-care" / "rs") is ``pdf-address-break``: the writer breaks one only after a "/" or
its own hyphen, or before a "." or "@" (pdfium reads a hyphen that ends a line as ``\x02``).
A right-to-left PDF's links (Urdu, Arabic) are read in logical order from their glyphs
(``check.pdf_links_rtl``), and then compared as a left-to-right PDF's.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.links import same_address
from lmets_docs.text import printed_address

SCHEMES = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
ADDRESS = re.compile(r"^[^\s@/]+(?:@[^\s@/]+)?\.[^\s]+$|^[^\s@/]+@[^\s@/]+$")
"""A web address (a host with a dot, maybe a path) or an email address, with no spaces."""
INVISIBLE: dict[int, str | None] = {**dict.fromkeys(map(ord, "\u200b\u2060\u00ad")), 2: "-"}
"""Characters that print nothing (zero width space, word joiner, soft hyphen), and pdfium's
mark for a hyphen that ends a line (``\x02``): an address's own hyphen, which the writer
breaks after (it never adds one), read back as the hyphen it is."""
MAX_URI = 4096
"""The longest link target read, in bytes."""
Link = tuple[str, str]
"""A link's target and the text printed inside its box."""


def page_links(page: pdfium.PdfPage, text: pdfium.PdfTextPage) -> list[Link]:
    """Return each web and email link on a page, in order, with the text inside its box."""
    found: list[Link] = []
    position, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        target = _uri(page.pdf.raw, pdfium_c.FPDFLink_GetAction(link))
        box = pdfium_c.FS_RECTF()
        if SCHEMES.match(target) and pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(box)):
            found.append((target, str(text.get_text_bounded(
                box.left, box.bottom, box.right, box.top))))
    return found


def _uri(document: Any, action: Any) -> str:
    """Return a link action's URI, or "" for another action (a place in the document)."""
    if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
        return ""
    size = min(pdfium_c.FPDFAction_GetURIPath(document, action, None, 0), MAX_URI)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAction_GetURIPath(document, action, buffer, size)
    return buffer.value.decode("latin-1")


def findings(path: Path, pages: list[list[Link]], rtl: bool,
             named: Mapping[str, tuple[str, str]] | None = None,
             texts: list[str] | None = None) -> Iterator[Finding]:
    """Yield an error for each link whose printed address is not its target, or breaks
    inside a word; and for each fact printed as a link (``named``: ``forum.name``, its
    printed words and link, ``check.links.named_links``) whose link does not open the fact's
    address or is not followed by it in brackets, or whose words the page (``texts``, each
    page's characters) prints with no link over them: ``pdf-fact-link``, naming the fact.

    The address is the link's whole text, or the one its words are followed by in brackets
    ("NHS website (www.nhs.uk/…)", as the writer prints a link whose words are not its
    address). With ``rtl``, the pages are pdfium's reading of a right-to-left PDF and are
    not compared: pdfium gives an address inside right-to-left text in visual order, its
    pieces reversed ("org.example@7ward"); ``check.pdf`` reads such a PDF's links and pages
    in logical order instead (``check.pdf_links_rtl``) and passes them here, ``rtl`` false.
    """
    if rtl:
        return
    named, linked = named or {}, set()
    for number, target, pieces in _joined(pages):
        printed = "".join(pieces)
        name = next((n for n, (words, _) in named.items() if _is_fact(printed, words)), None)
        if name is not None:
            linked.add(name)
            if problem := _fact_problem(printed, target, *named[name]):
                yield error(path, f"page {number}", f"{name}: {problem}", "pdf-fact-link")
                continue
        span = _address_span(printed)
        if span is None:
            continue
        address = printed[span[0]:span[1]]
        if _bare(address) != _bare(target):
            yield error(path, f"page {number}", f"the page prints {address!r} over a link to "
                        f"{target!r}: a reader who types the printed address goes elsewhere",
                        "pdf-link-text")
        elif cut := _cut_inside_word(pieces, span):
            yield error(path, f"page {number}", f"the address {address!r} is broken across "
                        f"lines inside a word ({cut!r}): a reader copies it with a space in it",
                        "pdf-address-break")


    yield from _unlinked(path, named, linked, texts or [])


def _is_fact(printed: str, words: str) -> bool:
    """Say whether a link's text is the fact's words, alone or before its address in brackets
    (not other words that begin the same: "Cancer Chat rules")."""
    bare = _bare_words(words)
    return printed.startswith(bare) and printed[len(bare):len(bare) + 1] in ("", "(")


def _bare_words(words: str) -> str:
    """Return words as ``_joined`` reads a link's text: without whitespace or invisibles."""
    return "".join(words.split()).translate(INVISIBLE)


def _fact_problem(printed: str, target: str, words: str, link: str) -> str:
    """Return what is wrong with a fact printed as a link (``printed``, its text read from
    the page; ``target``, where it goes), or "" when it is the fact's words, its address in
    brackets after them, over a link to that address."""
    address = printed_address(link, "")
    if not same_address(target, link):
        return (f"the link over {words!r} opens {target!r}, not the fact's address {link!r}: "
                "a reader who follows it goes elsewhere")
    shown = printed.removeprefix(_bare_words(words))
    if shown != f"({_bare_words(address)})":
        said = f"prints {shown!r} after it" if shown else "prints no address after it"
        return (f"the link over {words!r} {said}, not its address ({address}): a reader of "
                "the paper cannot find it")
    return ""


def _unlinked(path: Path, named: Mapping[str, tuple[str, str]], linked: set[str],
              texts: list[str]) -> Iterator[Finding]:
    """Yield an error for each fact printed as a link whose words are on a page with no
    link over them (its address then printed nowhere: a reader of the paper cannot find it)."""
    for name, (words, link) in named.items():
        page = next((n for n, text in enumerate(texts, start=1)
                     if _bare_words(words) in _bare_words(text)), None)
        if name not in linked and page is not None:
            yield error(path, f"page {page}", f"{name}: {words!r} is printed with no link, "
                        f"and without its address ({printed_address(link, '')})",
                        "pdf-fact-link")


def _address_span(printed: str) -> tuple[int, int] | None:
    """Return where the address is in a link's text: all of it, or the end in brackets."""
    bracketed = BRACKETED.search(printed)
    if bracketed and ADDRESS.match(bracketed.group(1)):
        return bracketed.span(1)
    return (0, len(printed)) if ADDRESS.match(printed) else None


BRACKETED = re.compile(r"\(([^()\s]+)\)$")
"""An address in brackets at the end of a link's words."""


def _cut_inside_word(pieces: list[str], span: tuple[int, int]) -> str:
    """Return the two pieces of a word that a line break parts inside the address (the
    letters either side of the cut), or "" when every break is at a chosen point: after a
    "/" or the address's own hyphen, before a "." or "@" (``writers.pdf.template``), or
    inside a word longer than a whole line (the line before holds nothing else)."""
    printed, at = "".join(pieces), 0
    for piece in pieces[:-1]:
        start, at = at, at + len(piece)
        if span[0] < at < span[1] and not (printed[at - 1] in "/-" or printed[at] in ".@"
                                           or _one_word(printed[max(start, span[0]) + 1:at])):
            return f"{printed[max(span[0], at - 12):at]} / {printed[at:min(span[1], at + 12)]}"
    return ""


def _one_word(line: str) -> bool:
    """Say whether a line of an address (its first letter apart, which may follow a "/" or
    come before a "." on the line before) holds no chosen break point: one word, longer
    than the line."""
    return not any(char in "/-.@" for char in line)


def _joined(pages: list[list[Link]]) -> Iterator[tuple[int, str, list[str]]]:
    """Yield each link once with its page number (its first) and its boxes' texts in order
    (whitespace and invisible characters taken out): boxes of one target in a row are one
    link broken over lines or pages, until their text is the whole address. A box that is
    the whole address by itself is a link of its own: in right-to-left text a link whose
    words are right to left and which Latin words follow is printed as two links to one
    target, its words, then its address (``writers.html._link_then_latin``)."""
    current: tuple[int, str, list[str]] | None = None
    for number, links in enumerate(pages, start=1):
        for target, printed in links:
            shown = "".join(printed.split()).translate(INVISIBLE)
            if (current is not None and current[1] == target and not _whole(current)
                    and _bare(shown) != _bare(target)):
                current[2].append(shown)
                continue
            if current is not None:
                yield current
            current = (number, target, [shown])
    if current is not None:
        yield current


def _whole(link: tuple[int, str, list[str]]) -> bool:
    """Say whether a link's text so far ends with its whole address."""
    printed = "".join(link[2])
    span = _address_span(printed)
    return span is not None and _bare(printed[span[0]:span[1]]) == _bare(link[1])


def _bare(address: str) -> str:
    """Return an address without its scheme and a last ``/``, for comparing."""
    return SCHEMES.sub("", address).rstrip("/")
