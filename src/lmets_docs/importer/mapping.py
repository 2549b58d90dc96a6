"""Map a translated DOCX back onto the source's units, and build the translated leaflet from it.

The DOCX's source map says which units it was made from, with their text, and which bookmark
holds each; its paragraphs are found and checked against those units. Every way they
disagree is collected and the import refused with all of them at once, in document order: a
unit missing (its paragraph deleted), a paragraph that belongs to no unit (typed in, or split
off with Enter), two units in one paragraph (joined), an empty unit, a fact missing or added
in a unit, and a locked fact whose text was changed. The current source (the language the
DOCX was made from, loaded from the leaflet folder) then takes each unit's translation from
the unit it came from (``align``: by text, so a paragraph inserted, split or moved in the
source since renumbers nothing); a unit new or changed since is reported, not refused.
"""
from __future__ import annotations

import dataclasses
import difflib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import numbered
from lmets_docs.importer.align import Alignment, Imported, align
from lmets_docs.importer.factbox import FactBoxes, box_text, resolve
from lmets_docs.importer.inlines import InlineReader, RunStyles, plain
from lmets_docs.importer.locked import fact_problems, recorded_facts
from lmets_docs.importer.read import DocParagraph, DocxText, excerpt
from lmets_docs.importer.recorded import docx_units
from lmets_docs.importer.restyled import restyled
from lmets_docs.importer.sourcemap import Anchor
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    Inline,
    Leaflet,
    Link,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Text,
)
from lmets_docs.ooxml.ids import (
    REFERENCES_NOTE_ID,
    TITLE_ID,
    Unit,
    hashed_name,
    plain_name,
    units,
)
from lmets_docs.ooxml.names import WP, W
from lmets_docs.ooxml.styles import FIRST_PAGE_STYLES, HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE

log = logging.getLogger(__name__)
Key = tuple[str, str]
FURNITURE_HEADING = "heading 2"
WP_DOCPR = f"{WP}docPr"
POSITION_STYLES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "title": ("heading 1",), "heading": ("heading 2",), "item": ("list bullet", "list number"),
    "paragraph": ("", "normal"), "figure": ("", "normal", "figure description"),
})
"""The paragraph styles a unit of each shape may have, to be matched by its place."""
CAPTION_STYLE = "caption"
"""A picture's caption paragraph (Word's built-in Caption style), by its lower-cased name."""
FACT_TEXT = re.compile(r"\{\{ ([^{}\s]+) \}\}")
"""A fact in a unit's recorded source text."""
NEAR_FACT = 0.75
"""How alike (difflib's ratio) a box's text and a fact's printed form are for the box to be
named as that fact changed: '0808 800 4142' for '0808 800 4141' is 0.92."""
KIND_NAMES = {"title": "the title", "section": "section", "block": "block", "item": "list item",
              "note": "the references note"}


@dataclass
class Matcher:
    """The DOCX, the source it must match, and the problems found so far.

    ``then`` are the units the DOCX was made from (its source map), which its paragraphs
    hold; ``alignment`` says which of them each unit of the current source came from.
    """

    doc: DocxText
    source: Leaflet
    reader: InlineReader
    then: list[Unit]
    alignment: Alignment
    located: dict[Key, DocParagraph] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    origins: dict[Key, str] = field(default_factory=dict)
    """Current unit key → the source text its imported translation was made from."""

    def found(self, key: Key) -> tuple[DocParagraph, Unit] | None:
        """Return the paragraph holding a current unit's translation, and its unit then."""
        then = self.alignment.then_of.get(key)
        paragraph = self.located.get(then.key) if then is not None else None
        return (paragraph, then) if paragraph is not None and then is not None else None

    def at(self, key: Key) -> DocParagraph | None:
        """Return the paragraph that holds a current unit's translation (None if none)."""
        hit = self.found(key)
        if hit is not None:
            self.origins[key] = hit[1].text
        return hit[0] if hit else None

    def _retyped(self, paragraph: DocParagraph, need: Counter[str]) -> dict[str, str]:
        """Return, for each fact the unit needs, the text of a content control in its
        paragraph that is no fact but reads nearly as that fact is printed: its box, with a
        digit or a word changed (after a LibreOffice save, which drops the tag and the alias,
        only its exact text marks a box as a fact's)."""
        boxes, found = self.reader.facts, {}
        texts = [box_text(sdt) for sdt in paragraph.element.iter(f"{W}sdt")
                 if boxes.name(sdt) is None]
        for name in need:
            printed = boxes.printed.get(name, "")
            near = [t for t in texts if t.strip() and
                    difflib.SequenceMatcher(None, t, printed).ratio() >= NEAR_FACT]
            if printed and near:
                found[name] = near[0]
        return found

    def inlines(self, key: Key, want: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Return a unit's translated inlines, checked: not empty, the same facts, no ``{{``.

        A translation made from a source text with other facts than the current one keeps
        the current source's text until it is translated again.
        """
        hit = self.found(key)
        if hit is None:
            return want
        paragraph, then = hit
        need = Counter(FACT_TEXT.findall(then.text))
        got = resolve(self.reader.read(paragraph.element), need)
        place = paragraph.place(then.id)
        if not plain(got).strip():
            self.problems.append(f"{place}: is empty; translate it (or undo the deletion)")
        self.problems.extend(fact_changes(place, got, need, then.text,
                                          self._retyped(paragraph, need)))
        if "{{" in _texts(got) or "}}" in _texts(got):
            self.problems.append(f"{place}: has '{{{{' or '}}}}' in its text, which the source "
                                 "format keeps for facts; remove them")
        if need != Counter(fact_refs(want)):
            return want
        self.origins[key] = then.text
        return got

    def text(self, key: Key, want: str) -> str:
        """Return a unit's translated plain text (headings, the note), checked."""
        hit = self.found(key)
        if hit is None:
            return want
        paragraph, then = hit
        got = self.reader.read(paragraph.element)
        place = paragraph.place(then.id)
        if any(isinstance(item, FactRef) for item in got):
            self.problems.append(f"{place}: a heading cannot hold a fact; delete the fact")
        text = " ".join(plain(got).split())
        if not text:
            self.problems.append(f"{place}: is empty; translate it (or undo the deletion)")
        self.origins[key] = then.text
        return text or want


def translate(doc: DocxText, source: Leaflet, lang: str) -> Imported:
    """Return the leaflet in ``lang`` read from the DOCX; raise ImportDocxError on any problem."""
    boxes = FactBoxes(recorded_facts(doc, source))
    reader = InlineReader(doc.links, RunStyles.from_names(doc.styles), boxes)
    then = docx_units(doc.source_map, source, doc.path)
    alignment = align([u for u in then if u.shape != "list"],
                      [u for u in units(source) if u.shape != "list"])
    m = Matcher(doc, source, reader, then, alignment)
    m.problems += fact_problems(doc, boxes)
    locate(m)
    m.problems += stray_paragraphs(doc, m.located)
    translated = build(m, lang)
    if m.problems:
        raise refusal(doc, m.problems)
    warnings = [f"{doc.path}: {w}" for w in restyled(m.then, m.located, POSITION_STYLES)]
    for warning in warnings:
        log.warning("%s", warning)
    return Imported(translated, m.origins, alignment, tuple(warnings))


PLACE = re.compile(r"(after )?paragraph (\d+)\b|at the start\b")


def in_document_order(problems: list[str]) -> list[str]:
    """Return the problems sorted by the paragraph they are about (headers and footers last)."""
    def position(problem: str) -> float:
        match = PLACE.match(problem)
        if match is None:
            return float("inf")
        return int(match.group(2)) + (0.5 if match.group(1) else 0) if match.group(2) else 0
    return sorted(problems, key=position)


def refusal(doc: DocxText, problems: list[str]) -> ImportDocxError:
    """Return the error listing every problem as ``file: place: message``, in document order."""
    if len(problems) == 1:
        return ImportDocxError(f"{doc.path}: {problems[0]}")
    lines = "\n".join(f"{doc.path}: {problem}" for problem in in_document_order(problems))
    return ImportDocxError(f"{doc.path}: {len(problems)} problems; nothing was written\n{lines}")


# Where each unit is -------------------------------------------------------------------------


def label(kind: str, unit_id: str) -> str:
    """Return how a message names a unit: ``block chemotherapy.3``, ``the title``."""
    name = KIND_NAMES.get(kind, kind)
    return name if unit_id in (TITLE_ID, REFERENCES_NOTE_ID) else f"{name} {unit_id}"


def locate(m: Matcher) -> None:
    """Find the paragraph of every unit the DOCX was made from; record the missing (unless
    the source no longer has it either), the extra and the joined."""
    wanted = {u.key: u for u in m.then}
    changed = _by_bookmark(m, wanted)
    _by_position(m, list(wanted.values()))
    dropped = {u.key for u in m.alignment.dropped}
    m.problems += [missing(m, unit) for key, unit in wanted.items()
                   if key not in m.located and key not in changed and key not in dropped]
    m.problems += list(_gone(m, wanted.keys()))
    m.problems += list(_joined(m, wanted))
    m.problems += list(_out_of_order(m, wanted))


def _by_bookmark(m: Matcher, wanted: Mapping[Key, Unit]) -> set[Key]:
    marks, changed = m.doc.source_map.by_key(), set()
    for key, unit in wanted.items():
        mapped = marks.get(key)
        paragraph = m.doc.holders.get(mapped.bookmark) if mapped else None
        if mapped is None or paragraph is None:
            continue
        problem = _map_problem(unit, mapped, paragraph)
        if problem:
            changed.add(key)
            m.problems.append(problem)
        else:
            m.located[key] = paragraph
    return changed


def _map_problem(unit: Unit, mapped: Anchor, paragraph: DocParagraph) -> str | None:
    """Return why a bookmarked paragraph cannot hold its unit: a misnamed bookmark, a new shape."""
    key = (unit.kind, unit.id)
    if mapped.bookmark not in (plain_name(*key), hashed_name(*key)):
        return (f"{paragraph.place(unit.id)}: the DOCX's source map ties {label(*key)} to "
                f"bookmark {mapped.bookmark!r}, which is named for another part: the map was "
                "edited, so no paragraph can be trusted to hold its unit; translate a DOCX made "
                "by 'lmets-docs build'")
    if mapped.shape and mapped.shape != unit.shape:
        return (f"{paragraph.place(unit.id)}: was a {mapped.shape} when the DOCX was made, and "
                f"the source now has a {unit.shape}")
    return None


def _by_position(m: Matcher, wanted: list[Unit]) -> None:
    """Give units whose bookmark Word dropped the unclaimed paragraphs in their place.

    Typing over the whole of a paragraph in Word deletes its bookmark. Between two units that
    were found, the unclaimed paragraphs go to the missing units in order, but only when there
    are exactly as many of them and each has the style its unit needs.
    """
    gap: list[Unit] = []
    start = 0
    for unit in (u for u in wanted if u.shape not in ("list", "note")):
        paragraph = m.located.get((unit.kind, unit.id))
        if paragraph is None:
            gap.append(unit)
            continue
        _fill(m, gap, start, paragraph.number)
        gap, start = [], paragraph.number
    _fill(m, gap, start, furniture_start(m.doc, start))
    for unit in (u for u in wanted if u.shape == "list" and (u.kind, u.id) not in m.located):
        first = m.located.get(("item", f"{unit.id}.1"))
        if first is not None:
            m.located[(unit.kind, unit.id)] = first


def _fill(m: Matcher, gap: list[Unit], start: int, end: int) -> None:
    used = {p.number for p in m.located.values()}
    free = [p for p in m.doc.paragraphs if start < p.number < end and p.number not in used
            and _has_content(p) and not first_page(m.doc, p)]
    if not gap or len(free) != len(gap) or any(
            p.style not in POSITION_STYLES[u.shape] for u, p in zip(gap, free, strict=True)):
        return
    for unit, paragraph in zip(gap, free, strict=True):
        m.located[(unit.kind, unit.id)] = paragraph
        log.info("import-docx: %s has lost its bookmark; matched to %s by its place",
                 paragraph.place(), label(unit.kind, unit.id))


def furniture_start(doc: DocxText, after: int) -> int:
    """Return the number of the first fixed heading (Helpline …) after paragraph ``after``."""
    return next((p.number for p in doc.paragraphs if p.number > after
                 and p.style == FURNITURE_HEADING and doc.unit_at(p) is None
                 and not first_page(doc, p)),
                len(doc.paragraphs) + 1)


FIRST_PAGE = frozenset(style.lower() for style in FIRST_PAGE_STYLES)
BOXED = frozenset(style.lower() for style in (HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE))


def first_page(doc: DocxText, paragraph: DocParagraph) -> bool:
    """Say whether a paragraph is the furniture under the title: the out-of-date notice, the
    helpline box (and the Heading 2 over it, which holds no unit) or the review dates.

    Their words are the catalogue's and their facts locked, so an import takes nothing from
    them (the locked facts are still checked, as everywhere).
    """
    if paragraph.style in FIRST_PAGE:
        return True
    if paragraph.style != FURNITURE_HEADING or doc.unit_at(paragraph) is not None:
        return False
    after = next((p for p in doc.paragraphs if p.number > paragraph.number and _has_content(p)),
                 None)
    return after is not None and after.style in BOXED


def missing(m: Matcher, unit: Unit) -> str:
    """Return the message for a unit that has no paragraph in the DOCX, after the paragraph
    of the unit before it."""
    before = [u.key for u in m.then[:m.then.index(unit)] if u.key in m.located]
    after = f"after paragraph {m.located[before[-1]].number}: " if before else "at the start: "
    return (f"{after}{label(unit.kind, unit.id)} is missing from the DOCX (its paragraph was "
            f"deleted); the DOCX was made from {excerpt(unit.text)}: undo the deletion")


def _gone(m: Matcher, wanted: Any) -> Iterator[str]:
    for key, mapped in m.doc.source_map.by_key().items():
        paragraph = m.doc.holders.get(mapped.bookmark)
        if key not in wanted and paragraph is not None and paragraph.text.strip():
            yield (f"{paragraph.place(mapped.id)}: {label(*key)} is not in "
                   f"{m.source.source_file.name} any more; delete its paragraph")


def _joined(m: Matcher, wanted: Mapping[Key, Unit]) -> Iterator[str]:
    by_paragraph: dict[int, list[str]] = {}
    for key, paragraph in m.located.items():
        if wanted[key].shape != "list":
            by_paragraph.setdefault(paragraph.number, []).append(label(*key))
    for number, names in sorted(by_paragraph.items()):
        if len(names) > 1:
            yield (f"paragraph {number}: holds {' and '.join(names)}, which were joined into "
                   "one paragraph; split them again (Enter between them)")


def _out_of_order(m: Matcher, wanted: Mapping[Key, Unit]) -> Iterator[str]:
    """Yield a message for each unit found before a unit that comes before it in the source.

    The bookmarks and the source map must agree with the source's order: two ids swapped in
    the map (or two bookmarks renamed) would otherwise swap two translations silently.
    """
    previous: tuple[Key, DocParagraph] | None = None
    for key, unit in wanted.items():
        paragraph = m.located.get(key)
        if paragraph is None or unit.shape in ("list", "note"):
            continue
        if previous is not None and paragraph.number < previous[1].number:
            yield (f"{paragraph.place(unit.id)}: holds {label(*key)}, which comes after "
                   f"{label(*previous[0])} in the source but stands before it (paragraph "
                   f"{previous[1].number}): the DOCX's bookmarks or source map were changed, "
                   "so its paragraphs cannot be matched safely; translate a DOCX made by "
                   "'lmets-docs build'")
        previous = (key, paragraph)


def stray_paragraphs(doc: DocxText, located: Mapping[Key, DocParagraph]) -> list[str]:
    """Return a message for every paragraph with content that belongs to no unit.

    The fixed sections at the end (glossary, references, review dates; a DOCX made before
    the helpline box moved to the top has its helpline section there too) start at the first
    Heading 2 after the leaflet's own text that holds no unit; only the text before counts,
    less the furniture under the title (``first_page``).
    """
    # Where a list and its first item share a paragraph, name the item.
    used = {p.number: key for key, p in sorted(located.items(), key=lambda kv: kv[0][0] == "item")}
    last = max((p.number for k, p in located.items() if k[0] != "note"), default=0)
    end = furniture_start(doc, last)
    notes = [p.number for k, p in located.items() if k[0] == "note"]
    if notes:  # the references' own list follows their note: fixed words, never a unit's
        end = min(end, min(notes) + 1)
    problems, previous = [], "the start"
    for paragraph in doc.paragraphs[:end - 1]:
        if paragraph.number in used:
            previous = used[paragraph.number][1]
        elif paragraph.style == CAPTION_STYLE and paragraph.number - 1 in used:
            continue  # a picture's caption: its figure's description (``description``)
        elif not _has_content(paragraph) or first_page(doc, paragraph):
            continue
        elif _before_fixed(doc, paragraph, notes):
            problems.append(f"{paragraph.place()}: stands where a fixed heading goes "
                            "(Helpline, Contacts or References) but is not a Heading 2 (its "
                            f"style: {paragraph.style or 'normal'}); give it the style Heading 2 "
                            "again (its words are the catalogue's, and not imported)")
        else:
            problems.append(f"{paragraph.place()}: belongs to no part of the source (typed in, "
                            f"or split from {previous} with Enter?); join it to a neighbouring "
                            "paragraph or delete it")
    return problems


def _before_fixed(doc: DocxText, paragraph: DocParagraph, notes: list[int]) -> bool:
    """Say whether a paragraph that holds no unit stands where the writer puts a fixed
    heading: right before the helpline box, or before the references' note, with no such
    heading before it (else it was typed in under the heading)."""
    after = next((p for p in doc.paragraphs if p.number > paragraph.number and _has_content(p)),
                 None)
    before = next((p for p in reversed(doc.paragraphs)
                   if p.number < paragraph.number and _has_content(p)), None)
    heading_before = before is not None and before.style == FURNITURE_HEADING \
        and doc.unit_at(before) is None
    return after is not None and (after.style in BOXED or after.number in notes) \
        and not heading_before


def _has_content(paragraph: DocParagraph) -> bool:
    boxes = paragraph.element.iter(f"{W}txbxContent")
    return bool(paragraph.text.strip()) or paragraph.has_picture() or any(
        "".join(box.itertext()).strip() for box in boxes)


# The translated leaflet ---------------------------------------------------------------------


def build(m: Matcher, lang: str) -> Leaflet:
    """Return the source leaflet with every translatable unit taken from the DOCX."""
    source = m.source
    sections = tuple(Section(s.id, m.text(("section", s.id), s.title), blocks(m, s.blocks))
                     for s in source.sections)
    note = m.text(("note", REFERENCES_NOTE_ID), source.references_note) \
        if source.references_note else None
    return dataclasses.replace(
        source, lang=lang, title=m.text(("title", TITLE_ID), source.title),
        intro=blocks(m, source.intro), sections=sections, references_note=note,
        source_file=source.source_dir / f"{lang}.md", source_hash="")


def blocks(m: Matcher, items: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return translated blocks: one small function per block type."""
    return tuple(BLOCKS[type(block)](m, block) for block in items)


def _paragraph(m: Matcher, block: Paragraph) -> Block:
    return Paragraph(block.id, m.inlines(("block", block.id), block.inlines))


def _bullets(m: Matcher, block: BulletList) -> Block:
    items = tuple(ListItem(item.id, m.inlines(("item", item.id), item.inlines))
                  for item in block.items)
    if block.numbered:
        m.problems.extend(_unnumbered(m, block))
    return BulletList(block.id, items, start=block.start)


def _unnumbered(m: Matcher, block: BulletList) -> Iterator[str]:
    """Say which items of a numbered list lost their numbering or had a number typed in."""
    for item in block.items:
        hit = m.found(("item", item.id))
        if hit is not None and (found := numbered.problem(hit[0], hit[1].id)) is not None:
            yield found


def _figure(m: Matcher, block: Figure) -> Block:
    key = ("block", block.id)
    paragraph, hit = m.at(key), m.found(key)
    if paragraph is None or hit is None:
        return block
    alt = description(m.doc, paragraph, hit[1].text) if block.path else fold(paragraph.text)
    if not alt:
        m.problems.append(f"{paragraph.place(block.id)}: the figure has no description; "
                          "write it (in Word: right-click the picture, View Alt Text)")
    return dataclasses.replace(block, alt=alt or block.alt, line=0)


def description(doc: DocxText, paragraph: DocParagraph, source: str) -> str:
    """Return a picture's translated description: its caption's or its alternative text's.

    The caption (the paragraph in the Caption style under the picture) is what a translator
    sees and types over; the alternative text hides behind a dialog. So the caption wins,
    unless only the alternative text was translated (the caption left as the source's
    ``source``, or deleted, or a DOCX made before captions); when both were changed to
    different texts, the caption wins and a warning says the alternative text was dropped.
    """
    alt, caption = fold(picture_description(paragraph) or ""), caption_of(doc, paragraph)
    if not caption or caption == alt:
        return alt
    if alt != fold(source) and caption != fold(source):
        log.warning("%s: the picture's caption and its alternative text were translated "
                    "differently; the caption is kept as its description (%s), the "
                    "alternative text dropped (%s)", paragraph.place(), excerpt(caption),
                    excerpt(alt))
    return alt if caption == fold(source) and alt else caption


def caption_of(doc: DocxText, paragraph: DocParagraph) -> str | None:
    """Return the text of the caption right under a picture's paragraph (None if none)."""
    following = doc.paragraphs[paragraph.number:paragraph.number + 1]
    if following and following[0].style == CAPTION_STYLE:
        return fold(following[0].text)
    return None


def fold(text: str) -> str:
    """Fold runs of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def picture_description(paragraph: DocParagraph) -> str | None:
    """Return the alternative text of the first picture in a paragraph."""
    props = next(paragraph.element.iter(WP_DOCPR), None)
    return str(props.get("descr", "")) if props is not None else None


BLOCKS: Mapping[type, Callable[[Matcher, Any], Block]] = MappingProxyType({
    Paragraph: _paragraph,
    BulletList: _bullets,
    Figure: _figure,
})


# Facts inside units -------------------------------------------------------------------------


def fact_changes(place: str, got: tuple[Inline, ...], need: Counter[str],
                 text: str, retyped: Mapping[str, str] | None = None) -> list[str]:
    """Return a message for each fact the translation lost or gained in one unit, whose
    source (``text``, facts as ``{{ name }}``) has the facts ``need``; ``retyped``: the text
    of a box in its paragraph that reads nearly as a lost fact (a digit changed), by name."""
    have, retyped = Counter(fact_refs(got)), retyped or {}
    source = excerpt(text)
    lost = [f"{place}: the fact {{{{ {name} }}}} is missing"
            + (f" (a box here reads {retyped[name]!r}: was it changed?)"
               if name in retyped else "")
            + f"; the source has it ({source}): copy its locked box back from the original DOCX"
            for name in need - have]
    added = [f"{place}: has the fact {{{{ {name} }}}}, which the source does not have here "
             f"({source}); delete it" for name in have - need]
    return lost + added


def fact_refs(items: tuple[Inline, ...]) -> Iterator[str]:
    """Yield the name of every fact in inline content, nested ones included."""
    for item in items:
        if isinstance(item, FactRef):
            yield item.name
        elif isinstance(item, Strong | Link):
            yield from fact_refs(item.children)


def _texts(items: tuple[Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, Text) else _texts(i.children)
                   if isinstance(i, Strong | Link) else "" for i in items)
