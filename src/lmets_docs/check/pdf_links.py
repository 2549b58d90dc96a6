"""Prove the web and email addresses a PDF prints over its links are the links' own.

A reader copies the address printed on the page; a screen reader and a click follow the
link. Each link to a web or email address is read from the page as pdfium prints it: the
text inside the link's box, the boxes of one link broken over several lines (or pages)
joined in order. Where that text is an address (no spaces, a dot in it), it must be the
link's target, the scheme (``https://``, ``mailto:``) and a last ``/`` apart; otherwise
(a typo on the page under a correct link, or a link to somewhere else) it is
``pdf-link-text``. Link text in words ("Cancer Chat") is not compared.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lmets_docs.check.findings import Finding, error

SCHEMES = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
ADDRESS = re.compile(r"^[^\s@/]+(?:@[^\s@/]+)?\.[^\s]+$|^[^\s@/]+@[^\s@/]+$")
"""A web address (a host with a dot, maybe a path) or an email address, with no spaces."""
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad"))
"""Characters that print nothing (zero width space, word joiner, soft hyphen)."""
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


def findings(path: Path, pages: list[list[Link]], rtl: bool) -> Iterator[Finding]:
    """Yield an error for each link whose printed address is not its target.

    A right-to-left page is not compared: pdfium gives an address inside right-to-left text
    in visual order, its pieces reversed ("org.example@7ward"); there the printed address is
    proved in pdftotext's logical order (``check.printed``) for a contact's.
    """
    if rtl:
        return
    for number, target, printed in _joined(pages):
        if ADDRESS.match(printed) and _bare(printed) != _bare(target):
            yield error(path, f"page {number}", f"the page prints {printed!r} over a link to "
                        f"{target!r}: a reader who types the printed address goes elsewhere",
                        "pdf-link-text")


def _joined(pages: list[list[Link]]) -> Iterator[tuple[int, str, str]]:
    """Yield each link once with its page number (its first) and its boxes' text joined:
    boxes of one target in a row are one link broken over lines or pages, until their text
    is the whole address."""
    current: tuple[int, str, str] | None = None
    for number, links in enumerate(pages, start=1):
        for target, printed in links:
            shown = "".join(printed.split()).translate(INVISIBLE)
            if current is not None and current[1] == target and not _whole(current):
                current = (current[0], target, current[2] + shown)
                continue
            if current is not None:
                yield current
            current = (number, target, shown)
    if current is not None:
        yield current


def _whole(link: tuple[int, str, str]) -> bool:
    return _bare(link[2]) == _bare(link[1])


def _bare(address: str) -> str:
    """Return an address without its scheme and a last ``/``, for comparing."""
    return SCHEMES.sub("", address).rstrip("/")
