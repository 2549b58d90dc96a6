"""Prove an SVG picture harmless before any writer sees it: no code, no network, no bomb.

A leaflet's SVG goes verbatim into the web folder, the EPUB and the DOCX (Word's picture),
and WeasyPrint draws it into the PDF, so ``validate`` (and ``build``, which loads the source
the same way) reads it with lxml, never resolving an entity, loading a DTD or touching the
network, and refuses, at the SVG's own line:

- a DOCTYPE (entities, external or not) or a processing instruction (``xml-stylesheet``);
- code: ``<script>``, an event attribute (``onload``, ``onclick``…), a ``javascript:`` link;
- other documents inside it: ``<foreignObject>`` (HTML: an ``<iframe>``), ``<iframe>``,
  ``<embed>``, ``<object>``, ``<audio>``, ``<video>``, and animation (``<set>``,
  ``<animate>``…, which can set a link, and which WCAG 2.2.2 asks a reader to be able to stop);
- a reference (``href``, ``src``, CSS ``url()``) to anything but a part of the picture itself
  (``#arrow``) or an image inline as ``data:image/png|jpeg|gif`` (a file beside it would be
  missing from the web folder, the EPUB and the DOCX, which get the SVG alone: EPUBCheck
  RSC-007); CSS ``@import``; ``xml:base``;
- a ``<use>`` bomb: each ``<use>`` draws the element it names again, so ten nested groups of
  ten uses draw 10^9 shapes from 6 KB and WeasyPrint draws for ever. The picture's elements
  are counted as drawn, each ``<use>`` expanded: at most ``MAX_DRAWN`` of them and
  ``MAX_USE_DEPTH`` uses inside one another, and a ``<use>`` that draws itself is refused.

Refusing is the whole rule (nothing is rewritten): what passes is drawn and published as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MAX_DRAWN = 20_000
"""Elements a picture may draw, each ``<use>`` counted as the elements it draws again: a
detailed diagram has a few thousand (the seed's thermometer 5). A build of the minimal leaflet
whose picture draws 19,200 took 3.4 s (load 3.6 on 2 cores), one drawing 37,449 16 s (load 9)."""
MAX_USE_DEPTH = 8
"""``<use>`` elements drawing one another, one inside the other (a symbol's part: 2 or 3)."""
FORBIDDEN = {
    "script": "a script",
    "foreignObject": "a <foreignObject> (another document inside the picture)",
    "iframe": "an <iframe>", "embed": "an <embed>", "object": "an <object>",
    "audio": "an <audio>", "video": "a <video>", "handler": "a script", "listener": "a script",
    "set": "animation", "animate": "animation", "animateMotion": "animation",
    "animateTransform": "animation", "animateColor": "animation", "discard": "animation",
}
UNDRAWN = ("defs", "symbol")
"""Elements whose content is drawn only where a ``<use>`` names a part of it."""
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif)[;,]", re.IGNORECASE)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_SPACE = re.compile(r"[\s\x00-\x1f]+")


@dataclass
class _Found:
    """The first problem found (``line``: the SVG's line), and the elements by id."""

    problem: str | None = None
    line: int | None = None
    ids: dict[str, Any] = field(default_factory=dict)

    def refuse(self, line: int | None, problem: str) -> None:
        if self.problem is None:
            self.problem, self.line = problem, line


def svg_problem(path: Path) -> str | None:
    """Return what is wrong with the SVG file at ``path`` (``line N: …``), or None."""
    from lxml import etree  # noqa: PLC0415 (most leaflets have no SVG)

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"is not a well-formed SVG file ({exc})"
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        return "is not an SVG file (its root element is not <svg>)"
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return ("has a DOCTYPE: an SVG needs none, and its entities could read files; "
                "remove it")
    found = _Found()
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in [*outside, *tree.iter()]:
        if isinstance(node, etree._ProcessingInstruction):
            found.refuse(node.sourceline, f"has a processing instruction <?{node.target} …?>")
        elif isinstance(node.tag, str):
            _element(node, found)
    if found.problem is None:
        _count_drawn(root, found)
    return None if found.problem is None else f"line {found.line}: {found.problem}"


def _element(node: Any, found: _Found) -> None:
    from lxml import etree  # noqa: PLC0415

    name, line = etree.QName(node).localname, node.sourceline
    if name in FORBIDDEN:
        found.refuse(line, f"has {FORBIDDEN[name]} (<{name}>): a picture may only draw")
    if node.get("id") is not None:
        found.ids.setdefault(node.get("id"), node)
    for attribute, value in node.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            found.refuse(line, f"has an event attribute {local}=\"…\" (a script)")
        elif local == "base":
            found.refuse(line, "has xml:base (it moves where the picture's links point)")
        elif local in ("href", "src"):
            _reference(value, name, line, found)
        if "url(" in value.lower():
            _css(value, line, found)
    if name == "style" and node.text:
        _css(node.text, line, found)


def _css(text: str, line: int | None, found: _Found) -> None:
    if _IMPORT.search(text):
        found.refuse(line, "has a CSS @import (a style sheet from elsewhere)")
    for match in _URL.finditer(text):
        _reference(match.group(2), "url()", line, found)


def _reference(value: str, name: str, line: int | None, found: _Found) -> None:
    """Refuse a reference that is not a part of the picture or an inline raster image."""
    target = _SPACE.sub("", value)
    if target.startswith("#"):
        return
    if name != "use" and _DATA_IMAGE.match(target):
        return
    parts = urlsplit(target)
    shown = value if len(value) <= 60 else value[:57] + "…"
    if parts.scheme.lower() == "javascript":
        found.refuse(line, f"has a javascript: link ({shown!r}): a script")
    elif parts.scheme or parts.netloc:
        found.refuse(line, f"refers to {shown!r}: a picture may use only its own parts and "
                           "inline PNG, JPEG or GIF images, never the network")
    elif name == "use":
        found.refuse(line, f"has a <use> of another file ({shown!r}): a <use> may draw only "
                           "a part of the picture itself (#id)")
    else:
        found.refuse(line, f"refers to the file {shown!r}: the web page, the EPUB and the "
                           "DOCX get the SVG alone, so what it draws from a file would be "
                           "missing there; put it inside the SVG (data:image/png;base64,…)")


def _count_drawn(root: Any, found: _Found) -> None:
    """Count the elements drawn, each ``<use>`` expanded, and the deepest chain of uses;
    refuse past the limits. Each element is counted once (its count kept), so a bomb costs
    what its file's size does."""
    from lxml import etree  # noqa: PLC0415

    kept: dict[Any, tuple[int, int]] = {}
    busy: set[Any] = set()

    def drawn(node: Any) -> tuple[int, int]:
        """Return how many elements ``node`` draws and how many uses deep it goes."""
        if node in kept:
            return kept[node]
        if node in busy:
            found.refuse(node.sourceline, "has a <use> that draws itself (a loop)")
            return 0, 0
        busy.add(node)
        total, deepest = 1, 0
        if isinstance(node.tag, str) and etree.QName(node).localname == "use":
            href = _use_target(node)
            target = found.ids.get(href[1:]) if href and href.startswith("#") else None
            if target is not None:
                count, below = drawn(target)
                total, deepest = total + count, below + 1
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname in UNDRAWN:
                continue  # drawn only through a <use> (counted there)
            count, below = drawn(child)
            total, deepest = total + count, max(deepest, below)
        busy.discard(node)
        kept[node] = total, deepest
        return total, deepest

    total, deepest = drawn(root)
    if total > MAX_DRAWN:
        found.refuse(root.sourceline, f"draws {total:,} elements once its <use> elements are "
                     f"expanded (at most {MAX_DRAWN:,}: a <use> bomb)")
    if deepest > MAX_USE_DEPTH:
        found.refuse(_deepest_use(root, kept), f"has <use> elements {deepest} deep, each "
                     f"drawing the next again (at most {MAX_USE_DEPTH})")


def _deepest_use(root: Any, kept: dict[Any, tuple[int, int]]) -> int | None:
    """Return the line of the outermost <use> of the deepest chain."""
    uses = [node for node in root.iter() if node in kept and isinstance(node.tag, str)
            and node.tag.rsplit("}", 1)[-1] == "use"]
    line: int | None = (max(uses, key=lambda node: kept[node][1]) if uses else root).sourceline
    return line


def _use_target(node: Any) -> str | None:
    for attribute, value in node.attrib.items():
        if attribute.rsplit("}", 1)[-1] == "href":
            return _SPACE.sub("", str(value))
    return None
