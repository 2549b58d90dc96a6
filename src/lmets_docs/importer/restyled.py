"""Say where a translated DOCX changed a paragraph's style or outline level around a heading.

A translation keeps the source's structure: a section heading stays a section heading, a
paragraph a paragraph, whatever Word's style box says. A translator who restyles a heading
(Heading 2 to Heading 3), gives it another outline level, or makes a paragraph a heading is
told so with the paragraph's place, and the import goes on: the change is not imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from lmets_docs.importer.read import DocParagraph
from lmets_docs.ooxml.ids import Unit
from lmets_docs.ooxml.names import W

SHAPES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "title": ("the title", "heading 1"), "heading": ("a section heading", "heading 2"),
    "item": ("a list item", "list bullet"), "paragraph": ("a paragraph", "normal"),
    "figure": ("a picture", "normal"),
})
"""What each shape of unit is called, and the style the DOCX writer gives it."""


def restyled(units: list[Unit], located: Mapping[tuple[str, str], DocParagraph],
             allowed: Mapping[str, tuple[str, ...]]) -> Iterator[str]:
    """Yield a warning for each unit whose paragraph was restyled to or from a heading, or
    given an outline level of its own; ``allowed``: the styles each shape may have."""
    for unit in units:
        paragraph = located.get(unit.key)
        if paragraph is None or unit.shape not in SHAPES:
            continue
        what, style = SHAPES[unit.shape]
        kept = f"it is imported as {what} ({style.title()}), as in the source"
        changed = paragraph.style not in allowed.get(unit.shape, (style,))
        if changed and heading_involved(paragraph.style, unit.shape):
            yield (f"{paragraph.place(unit.id)}: its style was changed to "
                   f"{paragraph.style.title()} in the DOCX; {kept}")
        elif (level := outline_level(paragraph)) is not None:
            yield (f"{paragraph.place(unit.id)}: was given outline level {level + 1} in the "
                   f"DOCX; {kept}")


def heading_involved(style: str, shape: str) -> bool:
    """Say whether a change of style touches a heading: to one, or from a title or heading."""
    return style.startswith("heading") or style == "title" or shape in ("title", "heading")


def outline_level(paragraph: DocParagraph) -> int | None:
    """Return the outline level set on the paragraph itself (0 is level 1), if any."""
    found = paragraph.element.find(f"{W}pPr/{W}outlineLvl")
    if found is None:
        return None
    value = found.get(f"{W}val")
    return int(value) if value is not None and value.isdigit() else None
