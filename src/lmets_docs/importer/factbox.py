"""Recognise the content control that holds a locked fact, even when a program dropped its tag.

The DOCX writer tags each fact's control ``fact:<name>`` and gives it an alias that names the
fact ("Fact: helpline.phone", in the document's language). LibreOffice 7 drops the tag and the
lock when it saves a DOCX; it keeps the alias of a plain-text control (as lmets-docs wrote them
before) but not of a rich-text one (as it writes them now), and keeps the text and its style.
So a control is a fact's when its tag says so; failing a tag, when its alias names a fact of
the leaflet; failing both, when its text is exactly one fact's printed form. A control
recognised by its alias whose text was changed is still a fact, and is refused as a changed
fact; one recognised by nothing leaves its unit without the fact, which is refused too. Text
that several facts print alike (two contacts' hours) names them all, ``a|b``; the unit that
holds it says which one it is (``resolve``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from lmets_docs.model import FactRef, Inline, Link, Strong
from lmets_docs.ooxml.names import W
from lmets_docs.ooxml.package import Element

FACT_TAG = "fact:"
EMBEDDINGS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidi embeddings and isolates: the writer isolates each fact in RTL text (LRI or RLI …
PDI; before stop 25 it embedded phone numbers, LRE … PDF). The source never holds them."""
NAME_TOKENS = re.compile(r"[\w.]+")
EITHER = "|"
"""Separates the names of facts printed alike, until the unit that holds the box decides."""


@dataclass(frozen=True)
class FactBoxes:
    """The leaflet's facts as printed in the DOCX, by name: what a fact's control may hold."""

    printed: Mapping[str, str]

    def name(self, sdt: Element) -> str | None:
        """Return the name of the fact a content control holds, or None if it holds none."""
        tag = _value(sdt, "tag")
        if tag.startswith(FACT_TAG):
            return tag.removeprefix(FACT_TAG)
        if tag:  # someone else's control
            return None
        return self.by_alias(_value(sdt, "alias")) or self.by_text(box_text(sdt))

    def by_alias(self, alias: str) -> str | None:
        """Return the fact an alias names ("Fact: helpline.phone"), if it names one."""
        named = [token for token in NAME_TOKENS.findall(alias) if token in self.printed]
        return named[-1] if named else None

    def by_text(self, text: str) -> str | None:
        """Return the fact printed exactly as ``text`` (``a|b`` if several are), or None."""
        found = sorted(name for name, printed in self.printed.items() if text and printed == text)
        return EITHER.join(found) or None


def resolve(items: tuple[Inline, ...], wanted: Counter[str]) -> tuple[Inline, ...]:
    """Return inlines with each ``a|b`` fact made the one of them the unit wants (in order)."""
    left = Counter(wanted)
    return tuple(_resolve(item, left) for item in items)


def _resolve(item: Inline, left: Counter[str]) -> Inline:
    if isinstance(item, FactRef) and EITHER in item.name:
        names = item.name.split(EITHER)
        name = next((n for n in names if left[n] > 0), names[0])
        left[name] -= 1
        return FactRef(name)
    if isinstance(item, Strong):
        return Strong(tuple(_resolve(child, left) for child in item.children))
    if isinstance(item, Link):
        return Link(tuple(_resolve(child, left) for child in item.children), item.url)
    return item


def _value(sdt: Element, prop: str) -> str:
    node = sdt.find(f"{W}sdtPr/{W}{prop}")
    return str(node.get(f"{W}val", "")) if node is not None else ""


def box_text(sdt: Element) -> str:
    """Return the text of a content control, bidi embeddings removed."""
    content = sdt.find(f"{W}sdtContent")
    runs = content.iter(f"{W}t") if content is not None else ()
    return EMBEDDINGS.sub("", "".join(t.text or "" for t in runs))
