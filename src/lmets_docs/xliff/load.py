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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ImportXliffError
from lmets_docs.i18n import babel_locale
from lmets_docs.importer import ImportReport, find_leaflet, finish, load_source
from lmets_docs.importer.changes import stale_warning
from lmets_docs.importer.inlines import plain
from lmets_docs.importer.mapping import fact_refs
from lmets_docs.importer.read import excerpt
from lmets_docs.importer.sourcemap import Anchor, SourceMap
from lmets_docs.importer.write import refuse_existing
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
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID, TITLE_ID, source_text
from lmets_docs.xliff.codes import CodeReader
from lmets_docs.xliff.names import INITIAL
from lmets_docs.xliff.read import FileUnit, XliffFile, read_xliff
from lmets_docs.xliff.units import Content, LeafletUnit, leaflet_units

KIND = "XLIFF file"
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


def import_xliff(path: Path, folder: Path | None = None, force: bool = False,
                 content: Path = Path("content")) -> ImportReport:
    """Write ``<folder>/<trgLang>.md`` from a translated XLIFF file; raise if refused."""
    doc = read_xliff(path)
    lang = _language(doc)
    bare = SourceMap(doc.leaflet, doc.source_lang, doc.source_hash, ())
    folder = folder or find_leaflet(content, doc.leaflet, path, KIND)
    source = load_source(folder, bare, path, KIND)
    refuse_existing(folder / f"{lang}.md", force)
    reading = read_units(doc, source)
    if reading.problems:
        raise refusal(path, reading.problems)
    then = SourceMap(doc.leaflet, doc.source_lang, doc.source_hash, tuple(reading.then),
                     reading.facts | doc.facts)
    stale = stale_warning(then, source, str(path), KIND)
    translated = rebuild(source, reading.found, lang)
    return finish(path, then, source, translated, force, stale)


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
    """Read every unit against the source's: missing, extra, untranslated, placeholders, facts."""
    reading = Reading()
    wanted = {unit.key: unit for unit in leaflet_units(source)}
    given = {unit.id: unit for unit in doc.units}
    name = source.source_file.name
    reading.problems += [f"{key}: is not a unit of {name} (added, or the source lost it since); "
                         "delete it" for key in given if key not in wanted]
    reading.problems += [f"{key}: is missing from the file; {name} has {excerpt(unit.text)}"
                         for key, unit in wanted.items() if key not in given]
    for key, unit in wanted.items():
        if key in given:
            read_unit(reading, unit, given[key])
    return reading


def read_unit(reading: Reading, unit: LeafletUnit, given: FileUnit) -> None:
    """Read one unit's source and target into ``reading``."""
    source = CodeReader(unit.key, given.data)
    then = source.read(given.source)
    target = CodeReader(unit.key, given.data, reference=source.placeholders)
    got = target.read(given.target) if given.target is not None else ()
    reading.problems += source.problems + target.problems
    reading.problems += list(_placeholder_problems(unit.key, source, target, given.data))
    reading.problems += list(_unit_problems(unit, given, then, got))
    reading.then.append(Anchor(unit.kind, unit.id, "", unit.shape, source_text(then)))
    reading.facts |= {_name(given.data, attrs): attrs.get("disp", "")
                      for attrs in source.placeholders.values()}
    content: Content = " ".join(plain(got).split()) if isinstance(unit.content, str) else got
    reading.found[(unit.kind, unit.id)] = content


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


def _unit_problems(unit: LeafletUnit, given: FileUnit, then: tuple[Inline, ...],
                   got: tuple[Inline, ...]) -> list[str]:
    key, problems = unit.key, []
    if given.target is None or not plain(got).strip():
        return [f"{key}: has no translation; translate it"]
    if given.state == INITIAL:
        problems.append(f"{key}: is still marked initial (not translated, or its source "
                        "changed since); translate it and mark it translated")
    want = Counter(fact_refs(unit.content)) if not isinstance(unit.content, str) else Counter()
    if Counter(fact_refs(then)) != want:
        problems.append(f"{key}: the file's source has other facts than the leaflet's source "
                        f"now has ({excerpt(unit.text)}); export the file again")
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
            ListItem(i.id, inlines(("item", i.id), i.inlines)) for i in block.items))
    alt = found.get(("block", block.id), block.alt)
    return dataclasses.replace(block, alt=alt if isinstance(alt, str) else block.alt, line=0)

