"""Read HTML and XHTML back (the web page, the EPUB's documents): text, links, page rules.

Shared by ``check.html`` and ``check.epub``. Pages are parsed with lxml's HTML parser, so
an XHTML document and a web page are read alike (tags without namespaces).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import Passage
from lmets_docs.i18n import right_to_left
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

SOURCE_HASH_META = "lmets-source-hash"
TEXT_TAGS = ("h1", "h2", "h3", "p", "li", "dt", "dd", "figcaption", "footer")


def parse(data: bytes) -> HtmlElement:
    """Return the parsed document (bytes: the page's own encoding declaration is honoured)."""
    return lxml.html.document_fromstring(data)


def passages(page: HtmlElement, where: str = "") -> list[Passage]:
    """Return the page's text, one passage per heading, paragraph, item or definition."""
    out: list[Passage] = []
    for element in page.iter(*TEXT_TAGS):
        if _holder(element):
            continue  # a contact's item: its heading and paragraphs are passages of their own
        if any(a.tag in TEXT_TAGS and not _holder(a) for a in element.iterancestors()):
            continue  # its text is already in its ancestor's passage
        text = " ".join(element.text_content().split())
        if text:
            place = element.get("id") or element.tag
            out.append(Passage(f"{where}#{place}" if where else f"#{place}", text))
    title = page.find(".//title")
    if title is not None and title.text:
        out.insert(0, Passage(f"{where} <title>", title.text))
    return out


def _holder(element: HtmlElement) -> bool:
    """Say whether an element only holds passages (a list item of a heading and paragraphs,
    as each contact of the contacts box is): it has children, all of them passages, and no
    text of its own between them."""
    children = list(element)
    return bool(children) and all(
        child.tag in TEXT_TAGS and not (child.tail or "").strip() for child in children
    ) and not (element.text or "").strip()


def source_hash(page: HtmlElement) -> str | None:
    """Return the source hash the page carries in its ``<meta>``, if any."""
    for meta in page.iter("meta"):
        if meta.get("name") == SOURCE_HASH_META:
            return str(meta.get("content"))
    return None


def tel_findings(
    page: HtmlElement, manifest: Manifest, file: Path, where: str = ""
) -> Iterator[Finding]:
    """Return a finding for every ``tel:``/``mailto:`` link whose target is not the fact shown."""
    links = {f.link: " ".join(f.printed.split()) for f in manifest.facts.values() if f.link}
    for link in page.iter("a"):
        href = link.get("href", "")
        if not href.startswith(("tel:", "mailto:")):
            continue
        shown = " ".join(link.text_content().split())
        place = f"{where}link {shown!r}"
        if href not in links:
            yield error(file, place, f"link target {href!r} is no contact of the leaflet", "tel")
        elif links[href] != shown:
            yield error(file, place, f"link target {href!r} is {links[href]!r}, not the number "
                        "shown", "tel")


def _phone_dir(bdi: HtmlElement) -> str:
    """Return the direction a phone number is set in: left to right, or right to left if
    its extension follows a word in right-to-left letters ("… ایکسٹینشن 48215")."""
    return "rtl" if right_to_left(bdi.text_content()) else "ltr"


def page_findings(
    page: HtmlElement, manifest: Manifest, file: Path, where: str = ""
) -> Iterator[Finding]:
    """Return the page rules broken: language and direction, one ``h1``, no script."""
    root = page.getroottree().getroot()
    lang = root.get("lang")
    if lang != manifest.lang:
        yield error(file, where, f"the page's lang is {lang!r}, not {manifest.lang!r}", "lang")
    rtl = manifest.lang.split("-")[0] in RTL_LANGUAGES
    if root.get("dir") != ("rtl" if rtl else "ltr"):
        yield error(file, where, f"the page's dir is {root.get('dir')!r}", "dir")
    for bdi in page.iter("bdi"):
        kind = set((bdi.get("class") or "").split()) & {"phone", "address"}
        if kind and bdi.get("dir") != _phone_dir(bdi):
            what = "a phone number" if "phone" in kind else "an email or web address"
            yield error(file, where, f"{what} is not set left to right", "dir")
    for element in page.xpath("//bdo | //*[contains(@style, 'unicode-bidi')]"):
        yield error(file, where, f"a <{element.tag}> overrides the direction of its text, "
                    "which shows it otherwise than it is read (a number reversed); the "
                    "writers never write one", "hidden-text")
    if next(page.iter("script"), None) is not None:
        yield error(file, where, "the page has a script; it must read without one", "script")
