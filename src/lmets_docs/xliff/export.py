"""Export a leaflet for translation tools: ``lmets-docs export-xliff LEAFLET --to LANG``.

Recipe: load the language to translate from → load the existing translation, if any, and the
fingerprints of the source it was made from → write one unit per translatable unit, with the
existing translation as its target, marked ``translated`` where its source has not changed
since and ``initial`` where it has (or where there is none) → write the file atomically.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lmets_docs.errors import ContentError, ExportError
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import babel_locale
from lmets_docs.importer.provenance import fingerprint, read_front_matter, unit_key
from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import Unit, units
from lmets_docs.source import load_folder
from lmets_docs.source.loader import languages
from lmets_docs.source.stale import recorded_alignment
from lmets_docs.xliff.codes import Element, UnitCodes
from lmets_docs.xliff.names import (
    FILE_ID,
    INITIAL,
    KIND_NOTE,
    LMETS_NS,
    TRANSLATED,
    VERSION,
    XLIFF_NS,
    XML_SPACE,
    L,
    X,
)
from lmets_docs.xliff.units import KIND_NAMES, Content, LeafletUnit, contents, leaflet_units

log = logging.getLogger(__name__)
NEW_FILE_MODE = 0o644
ABOUT = ("Translate each unit's source into its target. The grey placeholders are facts (phone "
         "numbers, hours, dates, names) that lmets-docs writes in each language: keep each one, "
         "once, where it belongs in the sentence, and never type a fact. Keep bold and links "
         "around the words they belong to. Units marked 'initial' need translating; 'translated' "
         "ones already are. Import the file with: lmets-docs import-xliff FILE")


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: the file, its languages, how many units and how many to do."""

    path: Path
    source_lang: str
    target_lang: str
    units: int
    to_translate: int


@dataclass(frozen=True)
class Previous:
    """An existing translation: its content, and what it was translated from."""

    contents: Mapping[tuple[str, str], Content]
    fingerprints: Mapping[str, str]
    same_source: bool


def export_xliff(folder: Path, to_lang: str, out: Path | None = None,
                 from_lang: str | None = None) -> ExportReport:
    """Write an XLIFF 2.0 file to translate a leaflet into ``to_lang``; return what it holds."""
    _check_language(to_lang)
    source = _load(folder, from_lang or original_language(folder))
    if to_lang == source.lang:
        raise ExportError(f"--to: {to_lang} is the language the file is made from; name another")
    previous = previous_translation(folder, to_lang, source)
    units = leaflet_units(source)
    root = document(source, to_lang, units, previous)
    path = out or Path(f"{source.id}-{to_lang}.xlf")
    write_file(path, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True))
    todo = sum(1 for s in root.iter(f"{X}segment") if s.get("state") == INITIAL)
    log.info("export-xliff: wrote %s (%d units, %d to translate)", path, len(units), todo)
    return ExportReport(path, source.lang, to_lang, len(units), todo)


def _check_language(lang: str) -> None:
    try:
        babel_locale(lang)
    except ValueError as exc:
        raise ExportError(f"--to: {exc}") from exc


def _load(folder: Path, lang: str) -> Leaflet:
    if not (folder / f"{lang}.md").is_file():
        raise ExportError(f"{folder}: the leaflet has no {lang}.md to translate from")
    return load_folder(folder, [lang])[0]


def original_language(folder: Path) -> str:
    """Return the one language of a leaflet folder that is not a translation."""
    if not (folder / LEAFLET_FILE).is_file():
        raise ExportError(f"{folder}: not a leaflet folder: it has no {LEAFLET_FILE}")
    if not languages(folder):
        raise ExportError(f"{folder}: the leaflet has no language file (e.g. en-GB.md) to "
                          "translate from")
    originals = [lang for lang in languages(folder)
                 if not read_front_matter(folder / f"{lang}.md").get("translated_from")]
    if len(originals) != 1:
        found = ", ".join(originals) or "none"
        raise ExportError(f"{folder}: cannot tell which language to translate from (not "
                          f"translated: {found}); name it with --from")
    return originals[0]


def previous_translation(folder: Path, lang: str, source: Leaflet) -> Previous | None:
    """Return the existing translation into ``lang`` (None if there is none)."""
    path = folder / f"{lang}.md"
    if not path.is_file():
        return None
    try:
        translation = load_folder(folder, [lang])[0]
    except ContentError as exc:
        raise ExportError(f"{path}: the existing translation has problems; fix them first "
                          f"(lmets-docs validate):\n{exc}") from exc
    front = read_front_matter(path)
    recorded = front.get("source_units")
    same = front.get("source_hash") == source.source_hash
    if not isinstance(recorded, dict) or not recorded:
        return Previous(contents(translation), {}, same)
    return realigned(source, contents(translation), {str(k): str(v) for k, v in recorded.items()},
                     same)


def realigned(source: Leaflet, old: Mapping[tuple[str, str], Content],
              recorded: Mapping[str, str], same: bool) -> Previous:
    """Return the translation's units and fingerprints under the current source's ids.

    The translation has the structure of the source it was made from; a paragraph inserted
    or split in the source since renumbers the later ones, which are matched by fingerprint.
    """
    now = [Unit(u.kind, u.id, "", fingerprint(u.text)) for u in units(source)
           if u.shape != "list"]
    alignment = recorded_alignment(now, recorded)
    by_key = {unit_key(*key): value for key, value in old.items()}
    moved: dict[tuple[str, str], Content] = {}
    prints: dict[str, str] = {}
    for unit in now:
        then = alignment.then_of.get(unit.key)
        if then is not None and unit_key(then.kind, then.id) in by_key:
            moved[unit.key] = by_key[unit_key(then.kind, then.id)]
            prints[unit_key(*unit.key)] = then.text
    return Previous(moved, prints, same)


# The document ---------------------------------------------------------------------------------


def document(source: Leaflet, to_lang: str, units: list[LeafletUnit],
             previous: Previous | None) -> Element:
    """Return the XLIFF document: one file, its facts as printed (an extension, for the diff
    when the source changes), a note for translators, one unit per unit."""
    root = etree.Element(f"{X}xliff", nsmap={None: XLIFF_NS, "lmets": LMETS_NS},
                         version=VERSION, srcLang=source.lang, trgLang=to_lang)
    file = etree.SubElement(root, f"{X}file", {
        "id": FILE_ID, "original": f"{source.id}/{source.lang}.md", "canResegment": "no",
        f"{L}leaflet": source.id, f"{L}sourceHash": source.source_hash, XML_SPACE: "preserve"})
    printed = {name: v.printed for name, v in
               FactFormatter(source.facts, source.publisher, source.lang).values.items()}
    facts = etree.SubElement(file, f"{L}facts")
    for name, value in sorted(printed.items()):
        etree.SubElement(facts, f"{L}fact", name=name).text = value
    _notes(file, [("lmets:about", ABOUT)])
    for unit in units:
        try:
            _unit(file, unit, source, printed, previous)
        except ValueError as exc:  # lxml refuses control characters, which XML cannot hold
            raise ExportError(f"{source.source_file}: {unit.key}: has a character that XML "
                              f"cannot hold ({exc}); remove it") from exc
    return root


def _unit(file: Element, unit: LeafletUnit, source: Leaflet, printed: Mapping[str, str],
          previous: Previous | None) -> None:
    element = etree.SubElement(file, f"{X}unit", id=unit.key)
    codes = UnitCodes(printed, source.lang, source.glossary)
    codes.notes.append((KIND_NOTE, KIND_NAMES.get(unit.shape, unit.shape)))
    segment = etree.Element(f"{X}segment", state=INITIAL)
    _content(etree.SubElement(segment, f"{X}source"), unit.content, codes)
    old = previous.contents.get((unit.kind, unit.id)) if previous else None
    if old is not None and previous is not None:
        _content(etree.SubElement(segment, f"{X}target"), old, codes, target=True)
        segment.set("state", TRANSLATED if unchanged(unit, previous) else INITIAL)
    _notes(element, codes.notes)
    if codes.data:
        data = etree.SubElement(element, f"{X}originalData")
        for data_id, value in codes.data.items():
            etree.SubElement(data, f"{X}data", id=data_id).text = value
    element.append(segment)


def _content(parent: Element, content: Content, codes: UnitCodes, target: bool = False) -> None:
    if isinstance(content, str):
        parent.text = content
    else:
        codes.write(parent, content, target)


def unchanged(unit: LeafletUnit, previous: Previous) -> bool:
    """Say whether a unit's source is the one its translation was made from."""
    if previous.fingerprints:
        return previous.fingerprints.get(unit.key) == fingerprint(unit.text)
    return previous.same_source


def _notes(parent: Element, notes: list[tuple[str, str]]) -> None:
    if not notes:
        return
    holder = etree.SubElement(parent, f"{X}notes")
    for category, text in notes:
        etree.SubElement(holder, f"{X}note", category=category).text = text


def write_file(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file beside it and one rename."""
    try:
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                           suffix=".tmp")
    except OSError as exc:
        if not path.parent.is_dir():
            raise ExportError(f"{path}: the folder {path.parent} does not exist; make it "
                              "first, or give --out a file in a folder that exists") from exc
        raise ExportError(f"{path}: cannot write here ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(scratch, NEW_FILE_MODE)
        os.replace(scratch, path)
    except OSError as exc:
        Path(scratch).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write it ({exc.strerror or exc})") from exc
