"""Read each numbered list's numbers back from the files: the PDF's labels, Word's numbering,
the web page's ``<ol>``.

The writers record, in each artifact's ``details.numbered``, every numbered list of the
leaflet (its id, first number and labels as printed, in the language's digits). Each format
is read for what a reader gets from it, not from the manifest's claims:

- the PDF: the text of every list item's label (``/Lbl``) in the structure tree, read with
  pdfplumber, list by list;
- the DOCX: the paragraphs Word numbers (``w:numPr``, directly or through their style), list
  by numbering instance, each label made as Word makes it (the level's start or the
  instance's ``w:startOverride``, its ``w:numFmt`` and ``w:lvlText``);
- the web page and the EPUB: the ``<ol>`` of the list's id, its ``start`` and its items.

A numbered list no list in the file numbers so (numbers lost, typed, restarted wrongly or
in other digits) is the error ``numbered-list``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pikepdf
from lxml.html import HtmlElement

from lmets_docs.check import pdf_tags
from lmets_docs.check.findings import Finding, error
from lmets_docs.numbering import word_label
from lmets_docs.ooxml.names import W

Labels = tuple[str, ...]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b"
                               "\u202c\u202d\u202e"))
"""Direction marks, which a label may carry in a right-to-left PDF but do not number it."""


def expected(details: Mapping[str, Any]) -> list[tuple[str, Labels]]:
    """Return (id, labels) of each numbered list an artifact's details name."""
    found = details.get("numbered") or []
    return [(str(each["id"]), tuple(str(x) for x in each["labels"])) for each in found]


def compare(path: Path, wanted: list[tuple[str, Labels]], read: Sequence[Labels],
            where: str) -> Iterator[Finding]:
    """Yield an error per numbered list that no list read from the file numbers alike.

    The lists are matched in order: each wanted list is looked for after the last one found.
    """
    after = 0
    for list_id, labels in wanted:
        hit = next((n for n in range(after, len(read)) if read[n] == labels), None)
        if hit is not None:
            after = hit + 1
            continue
        shown = "; ".join(" ".join(each) for each in read if any(each)) or "none"
        yield error(path, list_id, f"the numbered list {' '.join(labels)} is not numbered so "
                    f"in the {where} (its numbered lists read: {shown})", "numbered-list")


# PDF -----------------------------------------------------------------------------------------


def pdf_findings(path: Path, pdf: pikepdf.Pdf, details: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield an error per numbered list whose labels the PDF's list tags do not hold."""
    wanted = expected(details)
    if wanted:
        yield from compare(path, wanted, pdf_labels(path, pdf), "PDF's list tags (/Lbl)")


def pdf_labels(path: Path, pdf: pikepdf.Pdf) -> list[Labels]:
    """Return the labels (``/Lbl`` text) of each list (``/L``) of the structure tree, in order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    walk = pdf_tags.Walk(numbers, root.get("/RoleMap", pikepdf.Dictionary()))
    texts = pdf_tags.read_chars(path).texts
    found = []
    for element in _elements(root, walk, "/L"):
        items = [kid for kid in pdf_tags._kids(element)
                 if pdf_tags._is_element(kid) and walk.role(kid) == "/LI"]
        found.append(tuple(_label(item, walk, texts) for item in items))
    return found


def _elements(node: Any, walk: pdf_tags.Walk, role: str) -> Iterator[Any]:
    """Yield the structure elements of ``role`` under ``node``, in tree order."""
    for kid in pdf_tags._kids(node):
        if pdf_tags._is_element(kid):
            if walk.role(kid) == role:
                yield kid
            yield from _elements(kid, walk, role)


def _label(item: Any, walk: pdf_tags.Walk, texts: Mapping[pdf_tags.Where, str]) -> str:
    """Return a list item's label as read (a right-to-left one put back in logical order)."""
    label = next((kid for kid in pdf_tags._kids(item)
                  if pdf_tags._is_element(kid) and walk.role(kid) == "/Lbl"), None)
    if label is None:
        return ""
    text = "".join(texts.get(where, "") for where in walk.visit(label))
    text = "".join(text.translate(BIDI_MARKS).split())
    return text[1:] + text[0] if text.startswith(".") else text  # ".12": drawn right to left


# DOCX ----------------------------------------------------------------------------------------


def docx_findings(path: Path, body: Any, numbering: Any, styles: Any,
                  details: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield an error per numbered list whose numbers Word would not draw in the DOCX."""
    wanted = expected(details)
    if wanted:
        yield from compare(path, wanted, docx_labels(body, numbering, styles),
                           "DOCX's Word numbering")


def docx_labels(body: Any, numbering: Any, styles: Any) -> list[Labels]:
    """Return the labels Word draws for each numbering instance's paragraphs, in order."""
    style_nums = _style_nums(styles)
    counted: dict[str, list[str]] = {}
    for p in body.iter(f"{W}p"):
        num_id = _num_id(p, style_nums)
        if num_id and num_id != "0":
            labels = counted.setdefault(num_id, [])
            labels.append(_word_label(numbering, num_id, len(labels)))
    return [tuple(labels) for labels in counted.values()]


def _style_nums(styles: Any) -> dict[str, str]:
    """Return the numbering instance each paragraph style numbers its paragraphs with."""
    found = {}
    for style in styles.iterfind(f"{W}style") if styles is not None else ():
        num = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            found[str(style.get(f"{W}styleId"))] = str(num.get(f"{W}val"))
    return found


def _num_id(p: Any, style_nums: Mapping[str, str]) -> str | None:
    """Return the numbering instance of a paragraph: its own ``w:numPr``, else its style's."""
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    if num is not None:
        return str(num.get(f"{W}val"))
    style = p.find(f"{W}pPr/{W}pStyle")
    return style_nums.get(str(style.get(f"{W}val"))) if style is not None else None


def _word_label(numbering: Any, num_id: str, index: int) -> str:
    """Return the label of the ``index``-th paragraph (from 0) of a numbering instance."""
    num = _find(numbering, "num", "numId", num_id)
    abstract_id = num.find(f"{W}abstractNumId") if num is not None else None
    abstract = _find(numbering, "abstractNum", "abstractNumId",
                     str(abstract_id.get(f"{W}val")) if abstract_id is not None else "")
    override = num.find(f"{W}lvlOverride[@{W}ilvl='0']") if num is not None else None
    level = _level(override, abstract)
    if level is None:
        return "?"
    start = override.find(f"{W}startOverride") if override is not None else None
    first = start if start is not None else level.find(f"{W}start")
    number = _integer(first.get(f"{W}val", "1")) if first is not None else 1
    if number is None:
        return "?"
    fmt, text = level.find(f"{W}numFmt"), level.find(f"{W}lvlText")
    return word_label(number + index, str(fmt.get(f"{W}val")) if fmt is not None else "decimal",
                      str(text.get(f"{W}val")) if text is not None else "%1.")


def _integer(value: Any) -> int | None:
    """Return a number Word reads (``w:val``), or None for one it would not (a damaged file)."""
    text = str(value)
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 10 else None


def _find(numbering: Any, tag: str, key: str, value: str) -> Any:
    if numbering is None:
        return None
    return next((e for e in numbering.iterfind(f"{W}{tag}") if e.get(f"{W}{key}") == value), None)


def _level(override: Any, abstract: Any) -> Any:
    """Return level 0 as the instance defines it: its override's own level, or its definition's."""
    own = override.find(f"{W}lvl") if override is not None else None
    if own is not None:
        return own
    return abstract.find(f"{W}lvl[@{W}ilvl='0']") if abstract is not None else None


# Web page and EPUB ---------------------------------------------------------------------------


def html_findings(path: Path, pages: Sequence[HtmlElement], details: Mapping[str, Any],
                  where: str) -> Iterator[Finding]:
    """Yield an error per numbered list that is not an ``<ol>`` numbered so in the pages."""
    wanted = expected(details)
    if wanted:
        read = [(str(ol.get("id")), _ol_numbers(ol)) for page in pages for ol in page.iter("ol")
                if ol.get("id")]
        numbers = {list_id: numbers for list_id, numbers in read}
        for list_id, labels in wanted:
            want = tuple(itertools.islice(itertools.count(_start(labels)), len(labels)))
            if numbers.get(list_id) != want:
                got = numbers.get(list_id)
                shown = "no <ol>" if got is None else " ".join(map(str, got))
                yield error(path, list_id, f"the numbered list {' '.join(labels)} is not an "
                            f"<ol> numbered so in the {where} ({shown})", "numbered-list")


def _ol_numbers(ol: HtmlElement) -> tuple[int, ...]:
    """Return the numbers a browser gives an ``<ol>``'s items (``start``, ``value``)."""
    number = _html_integer(ol.get("start"), 1)
    out = []
    for item in ol.iterchildren("li"):
        number = _html_integer(item.get("value"), number)
        out.append(number)
        number += 1
    return tuple(out)


_HTML_INTEGER = re.compile(r"[\t\n\f\r ]*([+-]?[0-9]{1,9})")


def _html_integer(value: str | None, default: int) -> int:
    """Read an attribute as HTML's rules for parsing integers do (``"3abc"`` is 3); a value
    they reject leaves ``default`` (browsers ignore it)."""
    found = _HTML_INTEGER.match(value or "")
    return int(found.group(1)) if found else default


def _start(labels: Labels) -> int:
    """Return the number of a list's first label, in any script's digits (``٣.`` → 3)."""
    digits = "".join(ch for ch in labels[0] if ch.isdecimal()) if labels else ""
    return int(digits) if digits else 1
