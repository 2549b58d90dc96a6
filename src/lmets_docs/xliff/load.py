"""Import a translated XLIFF file: ``lmets-docs import-xliff FILE``.

Recipe: read the file safely (``read``) → find its leaflet and load the language it was made
from → read every unit's source and target (``codes``), checking that the units are the
source's, that every placeholder is its source's, once, unchanged, and that each unit's facts
are still the source's → warn when the source changed since → build the translated leaflet
and write it as ``import-docx`` does (front matter, validation, diff, ``--force``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ImportXliffError
from lmets_docs.i18n import babel_locale
from lmets_docs.importer import (
    Finish,
    ImportReport,
    find_leaflet,
    finish,
    load_source,
    refuse_missing_words,
)
from lmets_docs.importer.align import Alignment, Imported, align
from lmets_docs.importer.changes import stale_warning
from lmets_docs.importer.inlines import plain
from lmets_docs.importer.mapping import fact_refs
from lmets_docs.importer.read import excerpt
from lmets_docs.importer.recorded import record_problems
from lmets_docs.importer.sourcemap import Anchor, SourceMap
from lmets_docs.importer.write import refuse_existing, refuse_original
from lmets_docs.model import (
    Block,
    BulletList,
    Inline,
    Leaflet,
    Link,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Text,
)
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID, TITLE_ID, Unit, source_text, units
from lmets_docs.source.stale import kind_and_id
from lmets_docs.xliff.codes import CodeReader
from lmets_docs.xliff.names import INITIAL
from lmets_docs.xliff.read import FileUnit, XliffFile, read_xliff
from lmets_docs.xliff.units import KIND_NAMES, Content, LeafletUnit, leaflet_units

KIND = "XLIFF file"
SHAPES = {note: shape for shape, note in KIND_NAMES.items()}
"""A unit's shape by its ``lmets:kind`` note."""
KIND_SHAPES = {"title": "title", "section": "heading", "note": "note"}
"""The shape of a unit of each kind that has one shape."""
MAX_SHOWN = 50
"""The most problems listed; a file damaged throughout would list thousands."""
Key = tuple[str, str]


@dataclass
class Reading:
    """The units read so far, what the file says its source was, and the problems found."""

    found: dict[Key, Content] = field(default_factory=dict)
    then: list[Anchor] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    origins: dict[Key, str] = field(default_factory=dict)
    """Current unit → the source text its translation was made from."""
    alignment: Alignment = field(default_factory=lambda: Alignment({}, (), ()))


def import_xliff(path: Path, folder: Path | None = None, force: bool = False,
                 content: Path = Path("content"), accept: Collection[str] = ()) -> ImportReport:
    """Write ``<folder>/<trgLang>.md`` from a translated XLIFF file; raise if refused.

    ``accept`` names the units whose numbers may differ from the source's.
    """
    doc = read_xliff(path)
    lang = _language(doc)
    bare = SourceMap(doc.leaflet, doc.source_lang, doc.source_hash, ())
    folder = folder or find_leaflet(content, doc.leaflet, path, KIND)
    source = load_source(folder, bare, path, KIND)
    refuse_original(folder / f"{lang}.md", doc.source_lang, path)
    refuse_existing(folder / f"{lang}.md", force)
    refuse_missing_words(source, lang, path)
    reading = read_units(doc, source)
    if reading.problems:
        raise refusal(path, reading.problems)
    then = SourceMap(doc.leaflet, doc.source_lang, doc.source_hash, tuple(reading.then),
                     reading.facts | doc.facts)
    stale = stale_warning(then, source, str(path), KIND)
    translated = rebuild(source, reading.found, lang)
    imported = Imported(translated, reading.origins, reading.alignment)
    return finish(path, then, source, imported, Finish(force, stale, KIND, accept))


def _language(doc: XliffFile) -> str:
    try:
        babel_locale(doc.target_lang)
    except ValueError as exc:
        raise ImportXliffError(f"{doc.path}: trgLang: {exc}") from exc
    return doc.target_lang


def refusal(path: Path, problems: list[str]) -> ImportXliffError:
    """Return the error listing the problems as ``file: unit id: message`` (the first 50)."""
    if len(problems) == 1:
        return ImportXliffError(f"{path}: {problems[0]}")
    lines = "\n".join(f"{path}: {problem}" for problem in problems[:MAX_SHOWN])
    more = f"\n{path}: … and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
    return ImportXliffError(f"{path}: {len(problems)} problems; nothing was written\n{lines}"
                            f"{more}")


# The units --------------------------------------------------------------------------------------


def read_units(doc: XliffFile, source: Leaflet) -> Reading:
    """Read every unit against the source's: untranslated, placeholders, facts.

    The file's units are matched to the current source's by their source text (``align``):
    a unit renumbered or moved in the source since keeps its translation, and one new or
    changed in the source holds its source text, to be translated.
    """
    reading = Reading()
    current = {unit.key: unit for unit in leaflet_units(source)}
    sources = {unit.id: _read_source(reading, unit) for unit in doc.units}
    then = {unit.id: _recorded(unit, current.get(unit.id), sources[unit.id][1])
            for unit in doc.units}
    reading.problems += record_problems(list(then.values()), source, doc.source_hash)
    if reading.problems:
        return reading
    reading.then = [Anchor(u.kind, u.id, "", u.shape, u.text) for u in then.values()]
    reading.alignment = align(list(then.values()), [u for u in units(source) if u.shape != "list"])
    by_key = {unit.key: key for key, unit in then.items()}
    given = {unit.id: unit for unit in doc.units}
    for unit in current.values():
        old = reading.alignment.then_of.get((unit.kind, unit.id))
        if old is not None:
            key = by_key[old.key]
            read_unit(reading, unit, given[key], sources[key], old)
    return reading


def _read_source(reading: Reading, given: FileUnit) -> tuple[CodeReader, tuple[Inline, ...]]:
    """Read a file unit's source: the text it was made from, and its placeholders."""
    source = CodeReader(given.id, given.data)
    then = source.read(given.source)
    reading.problems += source.problems
    reading.facts |= {_name(given.data, attrs): attrs.get("disp", "")
                      for attrs in source.placeholders.values()}
    return source, then


def _recorded(given: FileUnit, current: LeafletUnit | None, then: tuple[Inline, ...]) -> Unit:
    """Return the unit a file unit says it was made from: kind and id by its own id, the
    shape its kind note names (a heading, a list item …), its source text."""
    kind, unit_id = kind_and_id(given.id)
    shape = KIND_SHAPES.get(kind) or SHAPES.get(given.kind) or (
        current.shape if current else "paragraph")
    if kind == "block" and shape in ("item", "title", "heading", "note"):
        kind = "item" if shape == "item" else kind
        shape = "item" if shape == "item" else "paragraph"
    return Unit(kind, unit_id, shape, source_text(then))


def read_unit(reading: Reading, unit: LeafletUnit, given: FileUnit,
              source_read: tuple[CodeReader, tuple[Inline, ...]], old: Unit) -> None:
    """Read the target of the file unit ``given`` (made from ``old``) as ``unit``'s."""
    source, then = source_read
    target = CodeReader(given.id, given.data, reference=source.placeholders)
    got = target.read(given.target) if given.target is not None else ()
    reading.problems += target.problems
    reading.problems += list(_placeholder_problems(given.id, source, target, given.data))
    reading.problems += list(_unit_problems(given, then, got))
    want = Counter(fact_refs(unit.content)) if not isinstance(unit.content, str) else Counter()
    if Counter(fact_refs(then)) != want:  # the source's facts changed: it holds them till then
        return
    content: Content = " ".join(plain(got).split()) if isinstance(unit.content, str) else got
    reading.found[(unit.kind, unit.id)] = content
    reading.origins[(unit.kind, unit.id)] = old.text


def _name(data: Mapping[str, str], attrs: Mapping[str, str]) -> str:
    return data.get(attrs.get("dataRef", ""), "").strip("{} ")


def _placeholder_problems(key: str, source: CodeReader, target: CodeReader,
                          data: Mapping[str, str]) -> list[str]:
    used = Counter(target.used)
    problems = []
    for code, attrs in source.placeholders.items():
        fact = data.get(attrs.get("dataRef", ""), "?")
        if used[code] == 0:
            problems.append(f"{key}: placeholder {code!r} ({fact}) was removed; put it back "
                            "where the fact belongs in the sentence")
        elif used[code] > 1:
            problems.append(f"{key}: placeholder {code!r} ({fact}) is in the target "
                            f"{used[code]} times; a fact may not be copied: keep it once")
    return problems


def _unit_problems(given: FileUnit, then: tuple[Inline, ...],
                   got: tuple[Inline, ...]) -> list[str]:
    key, problems = given.id, []
    if given.target is None or not plain(got).strip():
        return [f"{key}: has no translation; translate it ({excerpt(source_text(then))})"]
    if given.state == INITIAL:
        problems.append(f"{key}: is still marked initial (not translated, or its source "
                        "changed since); translate it and mark it translated")
    if "{{" in _texts(got) or "}}" in _texts(got):
        problems.append(f"{key}: has '{{{{' or '}}}}' in its text, which the source format "
                        "keeps for facts; remove them")
    return problems


def _texts(items: tuple[Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, Text) else _texts(i.children)
                   if isinstance(i, Strong | Link) else "" for i in items)


# The translated leaflet ------------------------------------------------------------------------


def rebuild(source: Leaflet, found: Mapping[Key, Content], lang: str) -> Leaflet:
    """Return the source leaflet with every unit's content taken from the file."""
    def text(key: Key, default: str) -> str:
        value = found.get(key, default)
        return value if isinstance(value, str) else default

    sections = tuple(Section(s.id, text(("section", s.id), s.title), blocks(s.blocks, found))
                     for s in source.sections)
    note = text(("note", REFERENCES_NOTE_ID), source.references_note or "") or None
    return dataclasses.replace(
        source, lang=lang, title=text(("title", TITLE_ID), source.title),
        intro=blocks(source.intro, found), sections=sections, references_note=note,
        source_file=source.source_dir / f"{lang}.md", source_hash="")


def blocks(items: tuple[Block, ...], found: Mapping[Key, Content]) -> tuple[Block, ...]:
    """Return translated blocks."""
    return tuple(_block(block, found) for block in items)


def _block(block: Block, found: Mapping[Key, Content]) -> Block:
    def inlines(key: Key, default: tuple[Inline, ...]) -> tuple[Inline, ...]:
        value = found.get(key, default)
        return default if isinstance(value, str) else value

    if isinstance(block, Paragraph):
        return Paragraph(block.id, inlines(("block", block.id), block.inlines))
    if isinstance(block, BulletList):
        return BulletList(block.id, tuple(
            ListItem(i.id, inlines(("item", i.id), i.inlines)) for i in block.items),
            start=block.start)
    alt = found.get(("block", block.id), block.alt)
    return dataclasses.replace(block, alt=alt if isinstance(alt, str) else block.alt, line=0)

