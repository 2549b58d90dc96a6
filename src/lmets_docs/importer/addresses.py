"""Name the web addresses a translation has that its source has not (``import-docx`` and
``import-xliff``): a link a translator adds, or an address typed into the text, would reach
patients with no reviewer told, as a new number would (numbers are compared unit by unit;
phone numbers and email addresses are facts). A warning, not a refusal: a translator may
rightly point to a page in the language (``…/cymraeg``); the reviewer must see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lmets_docs.model import BulletList, Figure, Inline, Leaflet, Link, Paragraph, Strong, Text

WEB = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
"""A web address typed in text; a sentence's full stop after it is not part of it."""


def new_addresses(source: Leaflet, translated: Leaflet, where: str) -> list[str]:
    """Return a warning for each web address of ``translated`` not in ``source``, with the
    id of the first block it is in."""
    known = {address for _id, address in _addresses(source)}
    found: dict[str, str] = {}
    for block_id, address in _addresses(translated):
        if address not in known:
            found.setdefault(address, block_id)
    return [f"{where}: {block_id} has a web address that is not in the {source.lang} source: "
            f"{address}; have the reviewer check where it goes before patients get it"
            for address, block_id in found.items()]


def _addresses(leaflet: Leaflet) -> Iterator[tuple[str, str]]:
    for block in leaflet.all_blocks():
        if isinstance(block, Paragraph):
            yield from ((block.id, a) for a in _in_inlines(block.inlines))
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from ((item.id, a) for a in _in_inlines(item.inlines))
        elif isinstance(block, Figure):
            yield from ((block.id, a) for a in _in_text(block.alt))


def _in_inlines(items: Iterable[Inline]) -> Iterator[str]:
    for item in items:
        if isinstance(item, Link):
            if item.url.lower().startswith(("http://", "https://")):
                yield _normal(item.url)
            yield from _in_inlines(item.children)
        elif isinstance(item, Strong):
            yield from _in_inlines(item.children)
        elif isinstance(item, Text):
            yield from _in_text(item.text)


def _in_text(text: str) -> Iterator[str]:
    return (_normal(m.group().rstrip(".,;:!?")) for m in WEB.finditer(text))


def _normal(address: str) -> str:
    return address.rstrip("/")
