"""Prove each page's running footer prints the helpline in the form the manifest names.

The writer puts the main contact (the first) at the foot of every page, in one of three
forms (``details.footer`` in the manifest): ``hours unbroken`` and ``hours wrapped`` print
"Helpline: <number>, <hours>" (on one line, or wrapped over two), ``number only`` prints the
number alone. A main contact without a number is given by its name. The footer is read from
the page as printed: the text WeasyPrint marks ``/Artifact`` in the lower half of the page
(its bottom margin boxes), read by pdfium in reading order, its lines joined.

Each page's footer must hold the number (or name) and, in the two hours forms, the hours
exactly as the leaflet prints them; any other number there (another phone number, other
hours, the hours in a number-only footer) is an error. A page's own number and the page
count may be printed there too ("Page 2 of 7" in a house template's footer).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lmets_docs.check import bounds
from lmets_docs.check.bidi import MARKS, NUMBER, fact_key, plain_logical_text
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.footer import Expected, expected
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

CODE = "pdf-footer"


def findings(path: Path, footers: list[str | None], manifest: Manifest,
             form: str | None) -> Iterator[Finding]:
    """Yield an error for each page whose running footer is not the one the manifest names."""
    want = expected(manifest, form)
    if want is None:
        return
    rtl = manifest.lang.split("-")[0] in RTL_LANGUAGES
    said = f" (the manifest says the footer is {form!r})" if form else ""
    for number, footer in enumerate(footers, start=1):
        for problem in _page(footer, want, rtl, (number, len(footers))):
            yield error(path, f"page {number}", problem + said, CODE)


def _page(footer: str | None, want: Expected, rtl: bool, page: tuple[int, int]
          ) -> Iterator[str]:
    """Yield what is wrong with one page's footer, in words."""
    if not footer or not footer.strip():
        yield ("no running footer (text marked /Artifact in the lower half of the page): "
               "the helpline must be printed at the foot of every page")
        return
    shown = " ".join(footer.split())
    read = _Read(rtl_key(plain_logical_text(footer)) if rtl else shown, rtl)
    missing = [(n, p) for n, p in want.required.items() if not read.take(p)]
    if missing:
        facts = " and ".join(f"{name} {printed!r}" for name, printed in missing)
        yield f"the running footer reads {shown!r}, without {facts}"
    for printed in want.allowed.values():
        read.take(printed)
    stray = [n for n in dict.fromkeys(NUMBER.findall(read.text)) if int(n) not in page]
    if stray and not missing:
        yield (f"the running footer reads {shown!r}, which prints other numbers "
               f"({', '.join(stray)}) than the helpline's number and hours")


def rtl_key(text: str) -> str:
    """Return ``fact_key`` of right-to-left text without its Arabic marks: pdfium reads a mark
    WeasyPrint draws raised (the tanwin of "مساءً") before its word; letters and whole
    numbers are still compared in order."""
    return fact_key(text).translate(_NO_MARKS)


_NO_MARKS = dict.fromkeys(map(ord, MARKS))


class _Read:
    """A footer's text, from which each expected fact is taken once it is found."""

    def __init__(self, text: str, rtl: bool) -> None:
        self.text, self.rtl = text, rtl

    def take(self, printed: str) -> bool:
        """Take a fact's printed form out of the text; say whether it was there, whole
        (``bounds``: "0113 496 0321" is not in "10113 496 0321"; a right-to-left key bounds
        its numbers itself, ``rtl_key``)."""
        key = rtl_key(printed) if self.rtl else " ".join(printed.split())
        at = self.text.find(key) if self.rtl else bounds.find(self.text, key)
        if at < 0:
            return False
        self.text = f"{self.text[:at]} {self.text[at + len(key):]}"
        return True




def footer_text(page: pdfium.PdfPage, text: pdfium.PdfTextPage) -> str:
    """Return a page's running footer: its text in the area of the running artifacts
    (``_text_objects``) in the lower half of the page, read by pdfium (lines in reading
    order, right-to-left ones in logical order), or "" without one."""
    _, bottom, _, top = page.get_mediabox()
    middle = (bottom + top) / 2
    boxes = [box for _, box in _text_objects(page.raw) if box[3] < middle]
    if not boxes:
        return ""
    return str(text.get_text_bounded(
        min(b[0] for b in boxes) - BOX_SLACK, min(b[1] for b in boxes) - BOX_SLACK,
        max(b[2] for b in boxes) + BOX_SLACK, max(b[3] for b in boxes) + BOX_SLACK))


BOX_SLACK = 1.0
"""Points added around the footer's text objects, so that no letter at their edge is lost."""
Box = tuple[float, float, float, float]


def _text_objects(page: Any) -> Iterator[tuple[Any, Box]]:
    """Yield the text objects a page draws after its last text that is content, last first,
    with their boxes (left, bottom, right, top): its running artifacts.

    WeasyPrint paints the page's margin boxes (header, footer) after its content, so the
    walk stops at the first text from the end that is not an artifact; a footer painted
    among the content is not found, and said missing (an error, never a pass).
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in reversed(range(pdfium_c.FPDFPage_CountObjects(page))):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        if not is_artifact(obj):
            return
        if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            yield obj, (left.value, bottom.value, right.value, top.value)


def is_artifact(obj: Any) -> bool:
    """Say whether a page object lies in marked content named ``/Artifact``."""
    return any(_mark_name(pdfium_c.FPDFPageObj_GetMark(obj, index)) == "Artifact"
               for index in range(pdfium_c.FPDFPageObj_CountMarks(obj)))


def _mark_name(mark: Any) -> str:
    buffer, length = (ctypes.c_ushort * MARK_NAME)(), ctypes.c_ulong()
    if not pdfium_c.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer),
                                            ctypes.byref(length)):
        return ""
    return bytes(buffer)[:length.value].decode("utf-16-le", "replace").rstrip("\0")


MARK_NAME = 64
"""The longest marked-content tag read, in UTF-16 units ("Artifact" is 8)."""
