"""Check the locked facts of a translated DOCX: every fact's content control (see ``factbox``),
in the body, headers and footers, must still say exactly what the writer put in it.

A translator cannot type into a locked control, but a document can be unlocked, or a number
retyped; a wrong digit in a helpline number must never reach a patient.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lmets_docs.facts import FactFormatter
from lmets_docs.importer.factbox import EITHER, FactBoxes, box_text
from lmets_docs.importer.read import DocxText
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.names import W
from lmets_docs.ooxml.package import Element


def recorded_facts(doc: DocxText, source: Leaflet) -> Mapping[str, str]:
    """Return each fact's printed form as written into the DOCX.

    The source map records them; a DOCX from before it did is compared with the current
    facts, formatted in the DOCX's language.
    """
    if doc.source_map.facts:
        return doc.source_map.facts
    facts = FactFormatter(source.facts, source.publisher, doc.source_map.lang)
    return {name: value.printed for name, value in facts.values.items()}


def fact_problems(doc: DocxText, boxes: FactBoxes) -> list[str]:
    """Return a message for every fact control whose text is not the recorded fact."""
    problems, recorded = [], boxes.printed
    for place, name, text in fact_controls(doc, boxes):
        if EITHER in name:  # found by its text, which is what these facts print
            continue
        wanted = recorded.get(name)
        if wanted is None:
            problems.append(f"{place}: a content control is tagged 'fact:{name}', which is "
                            f"not a fact of this leaflet (known: {', '.join(sorted(recorded))})")
        elif text != wanted:
            problems.append(f"{place}: the locked fact {name} was changed: the DOCX has "
                            f"{text!r}, the source {wanted!r}; put the original back (facts are "
                            "written once, in leaflet.yaml, and never translated)")
    return problems


def fact_controls(doc: DocxText, boxes: FactBoxes) -> Iterator[tuple[str, str, str]]:
    """Yield (place, fact name, text) for every fact control of the document."""
    for part, root in doc.parts:
        for sdt in root.iter(f"{W}sdt"):
            name = boxes.name(sdt)
            if name is not None:
                yield _place(doc, part, sdt), name, box_text(sdt)


def _place(doc: DocxText, part: str, sdt: Element) -> str:
    holder = next(sdt.iterancestors(f"{W}p"), None)
    paragraph = doc.paragraph_of(holder) if part == "body" else None
    return paragraph.place(doc.unit_at(paragraph)) if paragraph is not None else part
