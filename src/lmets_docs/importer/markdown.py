"""Write a leaflet back as a language file: YAML front matter, then CommonMark as the loader
reads it (``{#id}`` before each ``## `` heading, one line per paragraph and list item).

One small function per block and inline type. Text is escaped so that the translator's words
are only ever text: ``*``, ``_``, brackets and the like get a backslash, and so does anything
at the start of a line that Markdown would read as structure (``#``, ``-``, ``1.`` …).
The writer proves nothing itself: the importer reads the file back with the loader and
compares it with what it meant to write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import yaml

from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Leaflet,
    Link,
    Paragraph,
    Strong,
    Text,
)

INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
ENTITY = re.compile(r"&(?=#?\w+;)")
LINE_START = re.compile(r"^(?:[#>+=~{|-]|\d{1,9}(?=[.)]))")
DESTINATION_SPECIAL = re.compile(r"([()\\])")
POINTY_SPECIAL = re.compile(r"([<>\\])")
YAML_WIDTH = 100


def render(leaflet: Leaflet, front: Mapping[str, Any]) -> str:
    """Return the whole language file: front matter, intro, then each section."""
    parts = [front_matter(front), *blocks(leaflet.intro)]
    for section in leaflet.sections:
        parts.append(f"{{#{section.id}}}\n## {heading(section.title)}")
        parts += blocks(section.blocks)
    return "\n\n".join(parts) + "\n"


def front_matter(values: Mapping[str, Any]) -> str:
    """Return the front matter block (YAML between ``---`` lines), keys in the given order."""
    text = yaml.safe_dump(dict(values), allow_unicode=True, sort_keys=False, width=YAML_WIDTH)
    return f"---\n{text}---"


def blocks(items: tuple[Block, ...]) -> list[str]:
    """Return one Markdown block per model block (two lists in a row use different bullets)."""
    out, bullet = [], "*"
    for index, block in enumerate(items):
        follows_list = index > 0 and isinstance(items[index - 1], BulletList)
        bullet = ("*" if bullet == "-" else "-") if follows_list else "-"
        out.append(BLOCKS[type(block)](block, bullet))
    return out


def _paragraph(block: Paragraph, _bullet: str) -> str:
    return line(inlines(block.inlines))


def _bullets(block: BulletList, bullet: str) -> str:
    # A numbered list keeps its numbers from its start; after a list it takes the other
    # delimiter, as bullets do, so that the two stay two lists.
    marks = [f"{n}{DELIMITERS[bullet]}" for n in block.numbers()] or [bullet] * len(block.items)
    return "\n".join(f"{mark} {line(inlines(item.inlines))}"
                     for mark, item in zip(marks, block.items, strict=True))


def _figure(block: Figure, _bullet: str) -> str:
    return f"![{escape(block.alt)}](image:{block.image})"


DELIMITERS = {"-": ".", "*": ")"}
"""A numbered list's delimiter for each bullet: ``1.`` where a bullet list would take ``-``."""
BLOCKS: Mapping[type, Callable[[Any, str], str]] = MappingProxyType({
    Paragraph: _paragraph,
    BulletList: _bullets,
    Figure: _figure,
})


def inlines(items: tuple[Inline, ...]) -> str:
    """Return inline content as Markdown."""
    return "".join(INLINES[type(item)](item) for item in items)


def _text(item: Text) -> str:
    return escape(item.text)


def _strong(item: Strong) -> str:
    return f"**{inlines(item.children)}**"


def _fact(item: FactRef) -> str:
    return f"{{{{ {item.name} }}}}"


def _term(item: GlossaryTerm) -> str:
    return f"[{escape(item.text)}](glossary:)"


def _link(item: Link) -> str:
    return f"[{inlines(item.children)}]({destination(item.url)})"


INLINES: Mapping[type, Callable[[Any], str]] = MappingProxyType({
    Text: _text,
    Strong: _strong,
    FactRef: _fact,
    GlossaryTerm: _term,
    Link: _link,
})


def escape(text: str) -> str:
    """Return text with every character Markdown could read as markup backslash-escaped."""
    escaped = ENTITY.sub("\\&", INLINE_SPECIAL.sub(r"\\\1", text))
    # A "!" just before a link's "[" would make it an image.
    return escaped[:-1] + "\\!" if escaped.endswith("!") else escaped


def line(text: str) -> str:
    """Return a paragraph's text with a start that Markdown would read as structure escaped.

    That is a heading, quote, list, rule, code fence or attribute block (``{#id}``).
    """
    match = LINE_START.match(text)
    if match is None:
        return text
    end = match.end()
    return f"{text[:end]}\\{text[end:]}" if text[0].isdigit() else f"\\{text}"


def heading(text: str) -> str:
    """Return a heading's text escaped, ``#`` included (a trailing one would close it)."""
    return escape(text).replace("#", "\\#")


def destination(url: str) -> str:
    """Return a link address as a Markdown link destination."""
    if re.search(r"[\s<>]", url):
        return "<" + POINTY_SPECIAL.sub(r"\\\1", url) + ">"
    return DESTINATION_SPECIAL.sub(r"\\\1", url)
