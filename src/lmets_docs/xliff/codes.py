"""Write a unit's inline content as XLIFF 2 inline codes, and read it back, checked.

Bold is ``<pc type="fmt" subType="xlf:b">``, a link ``<pc type="link">`` whose address is the
unit's original data, a glossary term ``<mrk type="term">``, and a fact an empty, protected
``<ph canCopy="no" canDelete="no">`` whose original data is ``{{ name }}``. A target's
placeholder must be one of its source's, with exactly the source's attributes, once each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from lxml import etree

from lmets_docs.importer.inlines import clean, clean_text
from lmets_docs.model import FactRef, GlossaryEntry, GlossaryTerm, Inline, Link, Strong, Text
from lmets_docs.xliff.names import BOLD_SUBTYPE, FACT_NOTE, FACT_SUBTYPE, TERM_NOTE, X

Element = Any
"""An lxml element (lxml ships no type stubs)."""
FACT_DATA = re.compile(r"\{\{ ([A-Za-z0-9_.\-]+) \}\}")
DISPLAY_ONLY = frozenset({"disp", "equiv"})
"""Placeholder attributes only shown to the translator, which some tools leave out."""


def append_text(parent: Element, text: str) -> None:
    """Append text after an element's last child (or as its text)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


@dataclass
class UnitCodes:
    """Write one unit's source, then its target, numbering the codes; collect data and notes."""

    printed: Mapping[str, str]
    source_lang: str
    definitions: Mapping[str, GlossaryEntry] = field(default_factory=dict)
    """The source's glossary, by term key."""
    data: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    fact_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    target: bool = False
    seen: Counter[str] = field(default_factory=Counter)

    def write(self, parent: Element, inlines: tuple[Inline, ...], target: bool = False) -> None:
        """Write inlines into a ``<source>`` or ``<target>``."""
        self.target, self.seen = target, Counter()
        self._inlines(parent, inlines)

    def _inlines(self, parent: Element, inlines: tuple[Inline, ...]) -> None:
        for item in inlines:
            WRITERS[type(item)](self, parent, item)

    def new_id(self, prefix: str) -> str:
        """Return the next code id with ``prefix`` (``b1``, ``l1``, ``f1`` …)."""
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def datum(self, code_id: str, value: str) -> str:
        """Store original data for a code; return its id."""
        data_id = f"d{code_id}"
        self.data[data_id] = value
        return data_id

    def text(self, parent: Element, item: Text) -> None:
        """Write plain text."""
        append_text(parent, item.text)

    def strong(self, parent: Element, item: Strong) -> None:
        """Write bold as a paired formatting code."""
        pc = etree.SubElement(parent, f"{X}pc", id=self.new_id("b"), type="fmt",
                              subType=BOLD_SUBTYPE)
        self._inlines(pc, item.children)

    def link(self, parent: Element, item: Link) -> None:
        """Write a link as a paired link code whose original data is the address."""
        code = self.new_id("l")
        pc = etree.SubElement(parent, f"{X}pc", id=code, type="link",
                              dataRefStart=self.datum(code, item.url))
        self._inlines(pc, item.children)

    def term(self, parent: Element, item: GlossaryTerm) -> None:
        """Write a glossary term as a term annotation, explained in a note (source only)."""
        mrk = etree.SubElement(parent, f"{X}mrk", id=self.new_id("t"), type="term")
        mrk.text = item.text
        entry = self.definitions.get(item.key)
        if not self.target:
            meaning = (f": {entry.definition} (the leaflet's glossary explains it; the "
                       "definitions in your language are in the language file)") if entry \
                else " (the source's glossary does not define it)"
            self.notes.append((TERM_NOTE, f"Glossary term “{item.text}”{meaning}"))

    def fact(self, parent: Element, item: FactRef) -> None:
        """Write a fact as a protected placeholder; its name and English form as a note."""
        code = self._fact_id(item.name)
        shown = self.printed.get(item.name, "")
        ref = self.datum(code, f"{{{{ {item.name} }}}}")
        etree.SubElement(parent, f"{X}ph", id=code, dataRef=ref, canCopy="no", canDelete="no",
                         type="other", subType=FACT_SUBTYPE, disp=shown, equiv=shown)

    def _fact_id(self, name: str) -> str:
        # The n-th occurrence of a fact in the target is the n-th one of the source.
        self.seen[name] += 1
        key = (name, self.seen[name])
        if self.target and key in self.fact_ids:
            return self.fact_ids[key]
        code = self.fact_ids[key] = self.new_id("f")
        self.notes.append((FACT_NOTE, f"{code} is the fact {{{{ {name} }}}}, in "
                                      f"{self.source_lang} “{self.printed.get(name, '')}”: "
                                      "lmets-docs writes it in each language. Keep the "
                                      "placeholder; never type the fact."))
        return code


WRITERS: Mapping[type, Callable[[UnitCodes, Element, Any], None]] = MappingProxyType({
    Text: UnitCodes.text,
    Strong: UnitCodes.strong,
    Link: UnitCodes.link,
    GlossaryTerm: UnitCodes.term,
    FactRef: UnitCodes.fact,
})


# Reading ---------------------------------------------------------------------------------------


@dataclass
class CodeReader:
    """Read a ``<source>`` or ``<target>`` back into inlines, collecting what is wrong.

    ``reference`` is None for a source (whose placeholders are then recorded in
    ``placeholders``) and the source's placeholders for a target.
    """

    unit: str
    data: Mapping[str, str]
    reference: Mapping[str, dict[str, str]] | None = None
    placeholders: dict[str, dict[str, str]] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def read(self, parent: Element) -> tuple[Inline, ...]:
        """Return the content of ``parent`` as clean inlines."""
        return clean(self._children(parent))

    def _children(self, parent: Element) -> list[Inline]:
        out: list[Inline] = [Text(clean_text(parent.text))] if parent.text else []
        for child in parent:
            if isinstance(child.tag, str):
                out += self._code(child)
            if child.tail:
                out.append(Text(clean_text(child.tail)))
        return out

    def _code(self, element: Element) -> list[Inline]:
        name = etree.QName(element).localname if element.tag.startswith(X) else element.tag
        handler = READERS.get(name) if element.tag.startswith(X) else None
        if handler is None:
            self.problems.append(f"{self.unit}: has <{name}>, which lmets-docs cannot read back "
                                 "(only its own codes: pc, ph, mrk); undo the change")
            return []
        return handler(self, element)

    def pc(self, element: Element) -> list[Inline]:
        """Read a paired code: bold or a link."""
        children = tuple(self._children(element))
        kind = (element.get("type"), element.get("subType"))
        if kind == ("fmt", BOLD_SUBTYPE):
            return [Strong(children)]
        url = self.data.get(element.get("dataRefStart", "")) if kind[0] == "link" else None
        if url:
            return [Link(children, url)]
        self.problems.append(f"{self.unit}: the paired code {element.get('id')!r} is neither "
                             "bold nor a link of the source; undo the change")
        return list(children)

    def mrk(self, element: Element) -> list[Inline]:
        """Read an annotation: a glossary term, or another tool's (its content counts)."""
        if element.get("type") != "term":
            return self._children(element)
        if len(element):
            self.problems.append(f"{self.unit}: the glossary term {element.get('id')!r} holds "
                                 "other codes; a term is plain text")
        return [GlossaryTerm(clean_text("".join(element.itertext())))]

    def ph(self, element: Element) -> list[Inline]:
        """Read a fact's placeholder, checked against the source's."""
        code, attrs = str(element.get("id", "")), dict(element.attrib)
        if self.reference is None:
            self.placeholders[code] = attrs
        elif not same_placeholder(self.reference.get(code), attrs):
            self.problems.append(f"{self.unit}: placeholder {code!r} was altered or is not the "
                                 "source's; copy it from the source unchanged")
            return []
        self.used.append(code)
        match = FACT_DATA.fullmatch(self.data.get(attrs.get("dataRef", ""), ""))
        if match is None or len(element) or element.text:
            self.problems.append(f"{self.unit}: placeholder {code!r} is not a fact of "
                                 "lmets-docs (its data was changed); export the file again")
            return []
        return [FactRef(match.group(1))]

    def marker(self, _element: Element) -> list[Inline]:
        """Skip a standalone marker (``<sm/>``, ``<em/>``): an annotation's ends."""
        return []

    def cp(self, element: Element) -> list[Inline]:
        """Refuse a code point XML cannot hold: a control character, which no leaflet needs."""
        self.problems.append(f"{self.unit}: has a control character (<cp hex="
                             f"{element.get('hex')!r}>), which a leaflet cannot hold; remove it")
        return []


def same_placeholder(source: Mapping[str, str] | None, target: Mapping[str, str]) -> bool:
    """Say whether a target's placeholder is its source's: every attribute the same, but a
    tool may leave out the display-only ``disp`` and ``equiv`` (never change them)."""
    if source is None:
        return False
    kept = {key: value for key, value in source.items()
            if key in target or key not in DISPLAY_ONLY}
    return kept == dict(target)


READERS: Mapping[str, Callable[[CodeReader, Element], list[Inline]]] = MappingProxyType({
    "pc": CodeReader.pc,
    "mrk": CodeReader.mrk,
    "ph": CodeReader.ph,
    "sm": CodeReader.marker,
    "em": CodeReader.marker,
    "cp": CodeReader.cp,
})
