"""Read WeasyPrint's laid-out pages: where a page break cuts an element, and where sections start.

WeasyPrint forgets, once the PDF is written, which structure elements on two pages are pieces of
one HTML element; the boxes of the laid-out pages still know (a box keeps its HTML element on
every page it reaches). ``cut_depths`` says, for each page break, how many nested elements it
cuts (``main``, ``section``, ``p``: 3), which is what ``pdf_tags`` needs to merge them.
``late_sections`` finds the major sections whose heading starts in the bottom fifth of a page.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

TRANSPARENT = frozenset({"html", "body"})
"""Elements WeasyPrint does not tag: their children sit at the top of the structure tree."""
BOTTOM_FIFTH = 0.8
"""A section whose heading starts below this fraction of the page's text area starts too late."""


def flow_root(page_box: Any) -> Any:
    """Return the page's box of the root element (the page's margin boxes left aside)."""
    return next(c for c in page_box.children if not isinstance(c, boxes.MarginBox))


def path(page_box: Any, pick: Callable[[list[Any]], Any]) -> list[Any]:
    """Return the boxes from the top of the structure tree down, choosing a child with ``pick``.

    The path stops at a box holding lines (a paragraph's text), as the structure tree does at
    a paragraph's spans.
    """
    box, found = flow_root(page_box), []
    while isinstance(box, boxes.ParentBox) and box.children:
        if isinstance(box.children[0], boxes.LineBox):
            break
        box = pick(box.children)
        if box.element_tag not in TRANSPARENT:
            found.append(box)
    return found


def shared(before: Sequence[Any], after: Sequence[Any]) -> int:
    """Return how many leading boxes of two paths belong to the same HTML elements."""
    count = 0
    for one, two in zip(before, after, strict=False):
        if one.element is None or one.element is not two.element:
            break
        if one.element_tag != two.element_tag:
            break
        count += 1
    return count


def cut_depths(pages: Sequence[Any]) -> tuple[int, ...]:
    """Return, for each page break, how many nested elements it cuts in two."""
    boxes_ = [page._page_box for page in pages]
    return tuple(shared(path(a, lambda kids: kids[-1]), path(b, lambda kids: kids[0]))
                 for a, b in itertools.pairwise(boxes_))


def descendants(box: Any) -> Iterator[Any]:
    """Yield a box and every box inside it."""
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


def text_area(page_box: Any) -> tuple[float, float]:
    """Return the top and the height of a page's text area, in CSS pixels."""
    return page_box.content_box_y(), page_box.height


def late_sections(pages: Sequence[Any]) -> list[str]:
    """Return the ids of sections whose heading starts in the bottom fifth of a page."""
    seen: set[int] = set()
    late = []
    for page in pages:
        top, height = text_area(page._page_box)
        for box in descendants(flow_root(page._page_box)):
            if box.element_tag != "section" or id(box.element) in seen:
                continue
            seen.add(id(box.element))
            line = next((d for d in descendants(box) if isinstance(d, boxes.LineBox)), box)
            if box.element.get("id") and line.position_y > top + BOTTOM_FIFTH * height:
                late.append(str(box.element.get("id")))
    return late


MOST_EMPTY = 1 / 3
"""Large print: no page more than about a third empty (the last page aside)."""


def empty_share(page_box: Any) -> float:
    """Return how much of a page's text area lies below its last line or picture."""
    top, height = text_area(page_box)
    ends = [box.position_y + box.margin_height() for box in descendants(flow_root(page_box))
            if isinstance(box, boxes.LineBox | boxes.ReplacedBox)]
    return 1.0 if not ends or height <= 0 else max(0.0, 1 - (max(ends) - top) / height)


def too_empty(pages: Sequence[Any]) -> list[tuple[int, float]]:
    """Return (page number, empty share) of each page but the last more than a third empty."""
    shares = [empty_share(page._page_box) for page in pages[:-1]]
    return [(n, share) for n, share in enumerate(shares, start=1) if share > MOST_EMPTY]


CONTACT = "data-contact"
"""The attribute that numbers each contact's box (``common/furniture.html``), from 1."""


class Tall(NamedTuple):
    """A contact box to let break (``split_boxes``): its number (``data-contact``), how many
    of its lines after its name the space left holds (0: none, it can only move whole), and
    its name and the name's size in CSS pixels (to head the rest of the box with)."""

    contact: str
    kept: int
    name: str
    size: float
    gap: float = 0.0
    """The box's bottom margin, in CSS pixels: a broken box gives it to the box after it
    instead (``broken_boxes``)."""
    marked: bool = True
    """Whether the rest of the box is headed by the contact's name, continued: not where
    that heading cuts one of its lines (``cut_lines``)."""


def split_boxes(pages: Sequence[Any]) -> list[Tall]:
    """Return the contact boxes (``data-contact``) kept whole at the top of a page whose page
    before is more than a third empty (under their section's heading, if any), each with how
    many of its lines the space left holds: a box too tall for that space may break between
    its lines instead (``lay_out``).

    The first piece of a broken box keeps the contact's name with as many lines as the
    space left holds, the box closed under them (its border's bottom drawn): at
    least the number to call (the number is never parted from whose it is), and one line
    fewer than the box has; a box whose name and number do not fit can only move whole (0),
    and is not laid out again for nothing.
    """
    found = []
    for before, page in itertools.pairwise(pages):
        if empty_share(before._page_box) <= MOST_EMPTY:
            continue
        box = next((b for b in descendants(flow_root(page._page_box))
                    if b.element is not None and b.element.get(CONTACT) is not None), None)
        if (box is None or _started_before(box, before._page_box)
                or not _only_headings_above(box, page._page_box)):
            continue
        space, gap = _free(before._page_box, page._page_box)
        # the margins between what ends the page and what comes up to it collapse into one
        lead = _lead(page._page_box)
        lines = [kid for kid in box.children if isinstance(kid, boxes.BlockBox)]
        # the lines on this page (a box taller than a page goes on), one of its own kept back
        own = [kid for kid in box.element if isinstance(kid.tag, str)]
        most = min(len(lines) - 1, len(own) - 2)
        fits = [kept for kept in range(most, 0, -1)
                if _first_piece(box, page._page_box, kept) + max(lead, gap) <= space]
        name = lines[0] if lines else box
        found.append(Tall(str(box.element.get(CONTACT)), max(fits, default=0),
                          " ".join("".join(name.element.itertext()).split()),
                          float(name.style["font_size"]), float(box.margin_bottom)))
    return found


def closed_breaks(pages: Sequence[Any]) -> None:
    """Close the border of each piece of a contact box that a page break cuts, under its
    last line.

    WeasyPrint stretches a box cut by a page break down to the foot of the page (css-break-3,
    box splitting), so a box broken after its number drew its border round a blank sixth of a
    page; a box let break (``box-decoration-break: clone``, ``broken_boxes``) ends where its text
    does, its padding and border drawn there (only the drawing changes: nothing moves)."""
    for page, after in itertools.pairwise(pages):
        going_on = {id(box.element) for box in descendants(flow_root(after._page_box))}
        for box in descendants(flow_root(page._page_box)):
            if (isinstance(box, boxes.BlockBox) and box.element is not None
                    and box.element.get(CONTACT) is not None and id(box.element) in going_on
                    and box.style["box_decoration_break"] == "clone" and box.children):
                last = box.children[-1]
                box.height = last.position_y + last.border_height() - box.content_box_y()


def cut_lines(pages: Sequence[Any]) -> list[str]:
    """Return the contact boxes (``data-contact``) one of whose lines a page break cuts in
    two (each line of a box is printed whole: ``check``'s ``pdf-split-element``): a box's
    rest too tall for a page, its long name heading it on several lines above long hours."""
    found: list[str] = []
    before: dict[int, str] = {}
    for page in pages:
        here = {id(line.element): str(box.element.get(CONTACT))
                for box in descendants(flow_root(page._page_box))
                if isinstance(box, boxes.BlockBox) and box.element is not None
                and box.element.get(CONTACT) is not None
                for line in box.children
                if line.element is not None and line.element is not box.element}
        found += [contact for line, contact in here.items()
                  if line in before and contact not in found]
        before = here
    return found


def continued(pages: Sequence[Any]) -> list[tuple[int, int, int]]:
    """Return, for each page that a contact box let break goes on to, the page's index, how
    deep in the structure tree the paragraph that carries its name (``::before``) lies, its
    first element each level down, and how many lines the name takes (a long name wraps, and
    WeasyPrint tags each line's piece of it apart): ``pdf_tags`` takes the name out of the
    tree (an artifact, not a second heading).

    The name is the ``::before`` of the line of the box that starts the page (``rest``). That
    line is a paragraph of the box's own in the built-in template; in a house template it may
    be a list of lines (``<ul>``), whose ``::before`` WeasyPrint lays out in an anonymous block
    of its own, one level further down (the name then is all that block holds). Only a box
    the writer let break (``box-decoration-break: clone``, ``broken_boxes``) is looked at."""
    found = []
    for number, page in enumerate(pages):
        down = path(page._page_box, lambda kids: kids[0])
        boxed = [at for at, box in enumerate(down[:-1]) if _let_break(box)]
        if boxed:
            rest = down[boxed[-1] + 1]
            lines = _name_lines(down[-1], f"{rest.element_tag}::before")
            if lines:
                found.append((number, len(down), lines))
    return found


def markers(pages: Sequence[Any]) -> list[dict[str, Any]]:
    """Return, for each page that a contact box let break goes on to headed by its name,
    continued, the page's number (from 1), the box's contact (``data-contact``) and the
    marker's words as printed (its lines joined by a space), for the manifest's
    ``details.continued``: ``check`` looks for exactly these words at the top of exactly
    that page (``check.pdf_continued``). Read from the layout, as ``continued`` finds the
    name's lines, but apart from it (a writer that failed to take the name out of the tree
    still records it)."""
    found = []
    for number, page in enumerate(pages, start=1):
        down = path(page._page_box, lambda kids: kids[0])
        boxed = [at for at, box in enumerate(down[:-1]) if _let_break(box)]
        if not boxed:
            continue
        rest = down[boxed[-1] + 1]
        lines = _name_line_boxes(down[-1], f"{rest.element_tag}::before")
        words = " ".join(" ".join(
            "".join(str(box.text) for box in descendants(line.children[0])
                    if isinstance(box, boxes.TextBox)) for line in lines).split())
        if words:
            found.append({"page": number, "contact": str(down[boxed[-1]].element.get(CONTACT)),
                          "text": words})
    return found


def _let_break(box: Any) -> bool:
    """Say whether a box is a contact's box let break (``broken_boxes``)."""
    return (box.element is not None and box.element.get(CONTACT) is not None
            and box.style["box_decoration_break"] == "clone")


def _name_lines(box: Any, before: str) -> int:
    """Return how many of a paragraph's first lines start with the ``before`` content
    (``p::before``: the name heading the rest of a box)."""
    return len(_name_line_boxes(box, before))


def _name_line_boxes(box: Any, before: str) -> list[Any]:
    """Return a paragraph's first lines that start with the ``before`` content."""
    return list(itertools.takewhile(
        lambda line: (isinstance(line, boxes.LineBox) and bool(line.children)
                      and str(line.children[0].element_tag) == before),
        box.children))


def _free(page_box: Any, next_box: Any) -> tuple[float, float]:
    """Return the height of a page's text area left below what ends on it (its last box's
    border; a box going on to the next page ends nowhere), and that box's bottom margin, in
    CSS pixels."""
    top, height = text_area(page_box)
    going_on = {id(box.element) for box in descendants(flow_root(next_box))}
    ends = [(box.position_y + box.margin_height() - box.margin_bottom, box.margin_bottom)
            for box in descendants(flow_root(page_box))
            if box.element_tag not in TRANSPARENT and isinstance(box, boxes.BlockLevelBox)
            and id(box.element) not in going_on]
    bottom, gap = max(ends, default=(top, 0.0))
    return top + height - bottom, gap


def _lead(page_box: Any) -> float:
    """Return the top margin of what starts a page, which the page's top drops, in CSS
    pixels (below other text it is not dropped)."""
    return max((_length(b.style["margin_top"]) for b in path(page_box, lambda kids: kids[0])),
               default=0.0)


def _first_piece(box: Any, page_box: Any, kept: int) -> float:
    """Return how tall the first piece of a broken box would be, with what stands above it
    on its page (its section's heading; its top margin aside), in CSS pixels: its name and
    the ``kept`` lines after it (the number to call, the hours ...) and its bottom padding
    and border, drawn under them."""
    lines = [kid for kid in box.children if isinstance(kid, boxes.BlockBox)]
    last = (lines[:1 + kept] or [box])[-1]
    closed = box.padding_bottom + box.border_bottom_width  # the box's bottom under its lines
    # the last line's bottom margin (0.3 em) is counted, though ``closed_breaks`` draws the
    # border under its border box: a fit 0.3 em stricter than drawn, on the safe side (a line
    # that would just fit is kept back; counted so, the layout kept is today's)
    return float(last.position_y + last.margin_height() + closed - text_area(page_box)[0])


def _length(value: Any) -> float:
    """Return a computed length in CSS pixels (0 for one in other units: a percentage)."""
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def _started_before(box: Any, page_box: Any) -> bool:
    """Say whether a box's element already has a piece on the page before."""
    return any(b.element is box.element for b in descendants(flow_root(page_box)))


def _only_headings_above(box: Any, page_box: Any) -> bool:
    """Say whether every line above a box on its page is a heading's (its section's)."""
    return all(line.element_tag in HEADINGS for line in descendants(flow_root(page_box))
               if isinstance(line, boxes.LineBox) and line.position_y < box.position_y)


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


LAST_MOST_EMPTY = 0.85
"""A last page emptier than this holds a line or two: a whole sheet for them."""


def last_too_empty(pages: Sequence[Any]) -> float | None:
    """Return the empty share of the last page if it holds only a line or two (not page 1)."""
    share = empty_share(pages[-1]._page_box) if len(pages) > 1 else 0.0
    return share if share > LAST_MOST_EMPTY else None


FRAME_PX = 20 * 96 / 25.4
"""The 20 mm at each edge of the page that no text may enter (large print), in CSS pixels."""
OVERSHOOT_PX = 0.5
"""How far a text box may reach past its margin box (rounding), in CSS pixels."""


def footer_overflows(pages: Sequence[Any]) -> list[int]:
    """Return the numbers of the pages whose running footer does not fit its box.

    The text of each bottom margin box (``@bottom-left``: the helpline) must lie across
    within the box, and its lines end above the page's bottom 20 mm: a footer of more lines
    than the bottom margin holds runs into them. A line is measured down twice: by the height
    its style gives it (a tall script's boxes, Arabic's, make the line box taller than its
    letters), and by its letters' ink, as ``check`` measures them (Naskh's descenders at
    giant size reach below that line height: ``ink_bottom``).
    """
    return [n for n, page in enumerate(pages, start=1)
            if any(not _fits(box, page._page_box) for box in page._page_box.children
                   if isinstance(box, boxes.MarginBox) and box.at_keyword.startswith("@bottom"))]


def _fits(margin_box: Any, page_box: Any) -> bool:
    """Say whether a margin box's text lies within the box and its lines above the frame."""
    bottom = page_box.margin_height() - FRAME_PX + OVERSHOOT_PX
    inside = [box for box in descendants(margin_box)
              if isinstance(box, boxes.LineBox | boxes.TextBox)]
    return all(_across(box, margin_box) and ink_bottom(box) <= bottom
               if isinstance(box, boxes.TextBox)
               else box.position_y + line_height(box) <= bottom for box in inside)


def _across(box: Any, margin_box: Any) -> bool:
    """Say whether a text box lies across within its margin box."""
    left, right = margin_box.content_box_x(), margin_box.content_box_x() + margin_box.width
    return bool(left - OVERSHOOT_PX <= box.position_x
                and box.position_x + box.width <= right + OVERSHOOT_PX)


def line_height(line: Any) -> float:
    """Return the height a line's style gives it (``line-height``), else its box's height."""
    value = line.style["line_height"]
    if isinstance(value, int | float):
        return float(value * line.style["font_size"])
    if getattr(value, "unit", None) == "px":
        return float(value.value)
    return float(line.height)


def ink_bottom(text_box: Any) -> float:
    """Return how far down a laid-out text box's letters reach (their ink), in CSS pixels.

    Pango gives the ink of the box's line below its baseline; the text is drawn with its
    baseline at the box's ``position_y + baseline``, its layout woken and put to sleep again
    as WeasyPrint does to draw it (``draw_text``).
    """
    layout = text_box.pango_layout
    layout.reactivate(text_box.style)
    try:
        line = pango.pango_layout_get_line_readonly(layout.layout, 0)
        ink = ffi.new("PangoRectangle *")
        pango.pango_layout_line_get_extents(line, ink, ffi.NULL)
        below = (ink.y + ink.height) * FROM_UNITS
    finally:
        layout.deactivate()
    return float(text_box.position_y + text_box.baseline + below)
