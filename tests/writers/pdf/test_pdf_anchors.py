"""The page WeasyPrint prints gives ids only to what uses them, so its paragraphs share styles.

WeasyPrint makes every id an anchor, a declaration of the element's own, and gives each element
with one a computed style of its own: every property of each paragraph, and of its lines, was
computed again (``template.unanchored``). Read back from the filled page, from the real
WeasyPrint's boxes, and from the written PDF (pikepdf: its named destinations and links).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pikepdf

from lmets_docs.model import BulletList, Figure, Paragraph
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import PDF_OPTIONS, WRITER, fetcher, page_html
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import BEFORE_DUE, DATA, SEED

GLOSSARY, STEPS = DATA / "glossary", DATA / "steps"


def options(tmp_path: Path) -> BuildOptions:
    return BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE)


def test_the_page_gives_ids_to_sections_numbered_lists_and_glossary_entries_only(
        tmp_path: Path) -> None:
    for folder in (SEED, GLOSSARY, STEPS):
        leaflet = load_leaflet(folder, "en-GB")
        page = render_page(leaflet, options(tmp_path)).html
        ids = {id_: tag for tag, id_ in re.findall(r'<(\w+) id="([^"]*)"', page)}
        blocks = leaflet.all_blocks()
        numbered = {b.id for b in blocks if isinstance(b, BulletList) and b.numbered}
        wanted = {s.id: "section" for s in leaflet.sections} | dict.fromkeys(numbered, "ol") | {
            e.anchor: "p" for e in leaflet.glossary.values()}
        wanted |= {"leaflet-about": "section"} | ({"leaflet-references": "section"}
                                                  if leaflet.references else {})
        wanted |= {"leaflet-glossary": "section"} if leaflet.glossary else {}
        assert ids == wanted, folder
        assert any(isinstance(b, (Paragraph, Figure)) for b in blocks)
    assert numbered, "steps has a numbered list, whose id numbers it"


def paragraphs(box: Any, parent: Any = None) -> list[tuple[Any, Any]]:
    """Return (paragraph's box, its parent's box) for each paragraph of the intro and the
    sections under a box."""
    if box.element_tag == "p" and parent is not None and parent.element is not None and (
            parent.element.get("class") == "intro" or parent.element_tag == "section"):
        return [(box, parent)]
    return [p for child in getattr(box, "children", ()) for p in paragraphs(child, box)]


def test_weasyprint_gives_the_paragraphs_of_one_section_one_style(tmp_path: Path) -> None:
    leaflet = load_leaflet(SEED, "en-GB")
    page = render_page(leaflet, options(tmp_path))
    document = page_html(page, fetcher(page, leaflet)).render(**PDF_OPTIONS)
    found = [p for page_ in document.pages for p in paragraphs(page_._page_box)]
    by_parent: dict[str, set[int]] = {}
    for box, parent in found:
        name = str(parent.element.get("id") or parent.element.get("class"))
        by_parent.setdefault(name, set()).add(id(box.style))
    # the intro's five paragraphs are alike, and each section's: one style each (the closing
    # section's last paragraph has its own rule)
    text = ["intro", *(s.id for s in leaflet.sections)]
    assert sum(len(by_parent[name]) for name in text) == len(text), by_parent
    assert len(found) >= 20 and len(by_parent["intro"]) == 1


def named_destinations(pdf: pikepdf.Pdf) -> list[str]:
    tree = pdf.Root.Names.Dests
    names = list(tree.Names) if "/Names" in tree else [n for kid in tree.Kids for n in kid.Names]
    return [str(name) for name in names[::2]]


def test_the_pdf_keeps_the_destinations_its_links_go_to(tmp_path: Path) -> None:
    leaflet = load_leaflet(GLOSSARY, "en-GB")
    result = WRITER.write(leaflet, tmp_path, options(tmp_path))
    with pikepdf.open(tmp_path / result.files["pdf"]) as pdf:
        names = named_destinations(pdf)
        links = [str(a.Dest) for page in pdf.pages for a in page.obj.get("/Annots", [])
                 if "/Dest" in a]
        targets = {str(name): target for name, target in
                   zip(pdf.Root.Names.Dests.Names[::2], pdf.Root.Names.Dests.Names[1::2],
                       strict=True)}
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        entries = {e.anchor for e in leaflet.glossary.values()}
        assert sorted(links) == sorted(entries)
        assert set(names) == {s.id for s in leaflet.sections} | entries | {
            "leaflet-glossary", "leaflet-references", "leaflet-about"}
        # each term's link goes to its entry, in the glossary on the last pages
        assert {pages[targets[link][0].objgen] for link in links} == {len(pdf.pages) - 2}
    assert not any(b.id in names for b in leaflet.all_blocks())
