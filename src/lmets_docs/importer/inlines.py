"""Turn a DOCX paragraph's runs back into the model's inlines: text, bold, links, glossary terms
and facts (from their locked content controls).

Word splits text into runs at will (a spelling mark, a retyped word), so the result is
normalised: neighbouring pieces of the same kind are merged, spaces folded, and spaces at the
edges of bold text, links and terms moved outside them, where Markdown needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lmets_docs.importer.factbox import EMBEDDINGS, FactBoxes
from lmets_docs.model import FactRef, GlossaryTerm, Inline, Link, Strong, Text
from lmets_docs.ooxml.names import LINK_ADDRESS_TAG, R, W
from lmets_docs.ooxml.package import Element
from lmets_docs.ooxml.styles import GLOSSARY_STYLE, STRONG_STYLE
from lmets_docs.text import printed_address

SPACES = re.compile(r"[ \t\r\n\f\v]+")
OFF = frozenset({"0", "false", "off"})
RUN_TEXT: Mapping[str, str | None] = MappingProxyType({
    f"{W}t": None, f"{W}tab": " ", f"{W}br": " ", f"{W}cr": " ", f"{W}noBreakHyphen": "-",
    f"{W}softHyphen": "",
})
"""What each run child adds to the text: its own text (None) or a fixed string."""


@dataclass(frozen=True)
class RunStyles:
    """The character style ids that mean bold and glossary term in this document."""

    strong: frozenset[str]
    glossary: frozenset[str]

    @classmethod
    def from_names(cls, names: Mapping[str, str]) -> RunStyles:
        """Return the ids of the styles named Strong and Glossary term (any case)."""
        def ids(name: str) -> frozenset[str]:
            return frozenset(i for i, n in names.items() if n == name.lower())

        return cls(ids(STRONG_STYLE), ids(GLOSSARY_STYLE))


def clean_text(text: str) -> str:
    """Drop bidi embeddings; fold runs of whitespace (but not no-break spaces) to one space."""
    return SPACES.sub(" ", EMBEDDINGS.sub("", text))


class InlineReader:
    """Read paragraphs' runs, links and content controls into model inlines."""

    def __init__(self, links: Mapping[str, str], styles: RunStyles, facts: FactBoxes) -> None:
        self.links = links
        self.styles = styles
        self.facts = facts
        self.handlers: Mapping[str, Callable[[Element], list[Inline]]] = MappingProxyType({
            f"{W}r": self._run, f"{W}hyperlink": self._link, f"{W}sdt": self._sdt,
            f"{W}sdtContent": self._children, f"{W}smartTag": self._children,
            f"{W}customXml": self._children, f"{W}fldSimple": self._children,
            f"{W}dir": self._children, f"{W}bdo": self._children,
        })

    def read(self, p: Element) -> tuple[Inline, ...]:
        """Return a paragraph's content as clean inlines."""
        return clean(self._children(p))

    def _children(self, parent: Element) -> list[Inline]:
        out: list[Inline] = []
        for child in parent:
            handler = self.handlers.get(child.tag) if isinstance(child.tag, str) else None
            if handler is not None:
                out += handler(child)
        return out

    def _run(self, run: Element) -> list[Inline]:
        text = clean_text("".join(_run_text(run)))
        if not text:
            return []
        props = run.find(f"{W}rPr")
        style = props.find(f"{W}rStyle") if props is not None else None
        style_id = str(style.get(f"{W}val")) if style is not None else ""
        item: Inline = GlossaryTerm(text) if style_id in self.styles.glossary else Text(text)
        return [Strong((item,))] if self._bold(props, style_id) else [item]

    def _bold(self, props: Element | None, style_id: str) -> bool:
        bold = props.find(f"{W}b") if props is not None else None
        direct = bold is not None and str(bold.get(f"{W}val", "1")).lower() not in OFF
        return direct or style_id in self.styles.strong

    def _link(self, link: Element) -> list[Inline]:
        children = self._children(link)
        if link.get(f"{W}anchor") is not None:
            # A link inside the document is a glossary term's first use, which the writer
            # prints bold: its mark, not the author's (the XLIFF route never has it).
            return [_unbolded_term(item) for item in children]
        url = self.links.get(str(link.get(f"{R}id", "")))
        if url:
            children = without_address(children, url)
            if _address_only(link, children):
                return []
        return [Link(tuple(children), url)] if url and children else children

    def _sdt(self, sdt: Element) -> list[Inline]:
        if _tag(sdt) == LINK_ADDRESS_TAG:  # the writer's, for print: not the author's text
            return []
        name = self.facts.name(sdt)
        if name is not None:
            return [FactRef(name)]
        content = sdt.find(f"{W}sdtContent")
        return self._children(content) if content is not None else []


def _address_only(link: Element, children: list[Inline]) -> bool:
    """Say whether a link held only the address the writer printed after a fact (its space
    and its locked ``link-address`` control: ``writers.docx.body._fact_address``)."""
    return all(isinstance(c, Text) and not c.text.strip() for c in children) and any(
        _tag(sdt) == LINK_ADDRESS_TAG for sdt in link.iter(f"{W}sdt"))


def _tag(sdt: Element) -> str:
    node = sdt.find(f"{W}sdtPr/{W}tag")
    return str(node.get(f"{W}val", "")) if node is not None else ""


def without_address(children: list[Inline], url: str) -> list[Inline]:
    """Return a link's content without the address the writer printed after its words
    (" (www.nhs.uk/…)"), which a program that drops content controls' tags (LibreOffice)
    leaves as plain text at the link's end."""
    address, children = printed_address(url, ""), merge(children)
    last = children[-1] if children else None
    if not address or not isinstance(last, Text):
        return children
    text = clean_text(last.text).rstrip(" ")
    suffix = f"({address})"
    if not text.endswith(suffix):
        return children
    rest = text.removesuffix(suffix).rstrip(" ")
    return children[:-1] + ([Text(rest)] if rest else [])


def _unbolded_term(item: Inline) -> Inline:
    """Return a glossary term printed bold as the term alone; anything else as it is."""
    if isinstance(item, Strong) and len(item.children) == 1 and isinstance(
            item.children[0], GlossaryTerm):
        return item.children[0]
    return item


def _run_text(run: Element) -> Iterable[str]:
    for node in run:
        if node.tag in RUN_TEXT:
            fixed = RUN_TEXT[node.tag]
            yield node.text or "" if fixed is None else fixed


# Normalising --------------------------------------------------------------------------------


def clean(items: Iterable[Inline]) -> tuple[Inline, ...]:
    """Return inlines merged, with edge spaces moved out of bold, links and terms, trimmed."""
    return _trim(_hoisted(items))


def _hoisted(items: Iterable[Inline]) -> list[Inline]:
    """Return inlines merged, with edge spaces moved out of bold, links and terms (kept at
    the edges: a link's leading space is the space before it, not nothing)."""
    return merge([piece for item in merge(items) for piece in _hoist(item)])


def merge(items: Iterable[Inline]) -> list[Inline]:
    """Merge neighbours of the same kind: texts, bold, terms, links to the same address."""
    out: list[Inline] = []
    for item in items:
        joined = _join(out[-1], item) if out else None
        if joined is None:
            out.append(item)
        else:
            out[-1] = joined
    return out


def _join(a: Inline, b: Inline) -> Inline | None:
    if isinstance(a, Text) and isinstance(b, Text):
        return Text(clean_text(a.text + b.text))
    if isinstance(a, GlossaryTerm) and isinstance(b, GlossaryTerm):
        return GlossaryTerm(a.text + b.text)
    if isinstance(a, Strong) and isinstance(b, Strong):
        return Strong(tuple(merge(a.children + b.children)))
    if isinstance(a, Link) and isinstance(b, Link) and a.url == b.url:
        return Link(tuple(merge(a.children + b.children)), a.url)
    return None


def _hoist(item: Inline) -> list[Inline]:
    if isinstance(item, Text | FactRef):
        return [item]
    if isinstance(item, GlossaryTerm):
        lead, core, trail = _edges(item.text)
        return _around(lead, [GlossaryTerm(core)] if core else [], trail)
    lead, children, trail = _peel(tuple(_hoisted(_flatten(item))))
    if not children:
        return _around(lead, [], trail)
    inner: Inline = Strong(children) if isinstance(item, Strong) else Link(children, item.url)
    return _around(lead, [inner], trail)


def _flatten(item: Strong | Link) -> list[Inline]:
    # Bold inside bold is just bold.
    if isinstance(item, Strong):
        return [c for child in item.children
                for c in (child.children if isinstance(child, Strong) else (child,))]
    return list(item.children)


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    if not core:
        return (" " if text else ""), "", ""
    return text[:len(text) - len(text.lstrip(" "))], core, text[len(text.rstrip(" ")):]


def _peel(children: tuple[Inline, ...]) -> tuple[str, tuple[Inline, ...], str]:
    items, lead, trail = list(children), "", ""
    if items and isinstance(items[0], Text) and items[0].text.startswith(" "):
        lead, items[0] = " ", Text(items[0].text.lstrip(" "))
    if items and isinstance(items[-1], Text) and items[-1].text.endswith(" "):
        trail, items[-1] = " ", Text(items[-1].text.rstrip(" "))
    kept = tuple(i for i in items if not (isinstance(i, Text) and not i.text))
    return lead, kept, trail


def _around(lead: str, middle: list[Inline], trail: str) -> list[Inline]:
    return [*([Text(lead)] if lead else []), *middle, *([Text(trail)] if trail else [])]


def _trim(items: list[Inline]) -> tuple[Inline, ...]:
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip(" "))
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip(" "))
    return tuple(i for i in items if not (isinstance(i, Text) and not i.text))


def plain(items: Iterable[Inline]) -> str:
    """Return inlines as plain text, facts as ``{{ name }}`` (for headings and messages)."""
    out = []
    for item in items:
        if isinstance(item, Strong | Link):
            out.append(plain(item.children))
        elif isinstance(item, FactRef):
            out.append(f"{{{{ {item.name} }}}}")
        else:
            out.append(item.text)
    return "".join(out)
