"""Import a translated DOCX back into the leaflet's source: ``lmets-docs import-docx``.

Recipe: open the DOCX safely (``package``) → read its source map and body (``read``) → find
the leaflet folder and load the language the DOCX was made from; refuse to write over the
leaflet's source language (``write``) → warn when that source has changed since
(``changes``) → map every paragraph back to the unit it was made from, match those to the
current source's units by their text (``align``) and check the locked facts (``mapping``,
``locked``) → write ``<lang>.md`` (``markdown``) → validate it with the loader, prove it reads
back as imported and move it into place (``write``) → say which parts are new or changed in
the source since, to translate (``changes``). Any problem refuses the whole import, and then
nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lmets_docs.errors import ContentError, ImportDocxError
from lmets_docs.i18n import babel_locale
from lmets_docs.importer.addresses import new_addresses
from lmets_docs.importer.align import Imported
from lmets_docs.importer.changes import stale_warning, to_translate_warning
from lmets_docs.importer.mapping import translate
from lmets_docs.importer.markdown import render
from lmets_docs.importer.numbers import accepted_numbers
from lmets_docs.importer.provenance import front_matter
from lmets_docs.importer.read import read_document
from lmets_docs.importer.sourcemap import NoSourceMapError, SourceMap, made_from, rebuilt
from lmets_docs.importer.unchanged import unchanged_since_stale
from lmets_docs.importer.write import refuse_existing, refuse_original, write_language_file
from lmets_docs.importer.wronglanguage import wrong_language
from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.document import Document
from lmets_docs.ooxml.ids import units
from lmets_docs.ooxml.package import Package, open_package
from lmets_docs.source import discover, load_folder
from lmets_docs.source.factcheck import missing_words
from lmets_docs.source.loader import load_data
from lmets_docs.text import body_texts

__all__ = ["Finish", "ImportReport", "import_docx"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: the file, whether it replaced one (and the diff), the warnings."""

    path: Path
    replaced: bool
    diff: str
    warnings: tuple[str, ...]
    sections: int
    blocks: int


def import_docx(
    docx: Path,
    lang: str,
    folder: Path | None = None,
    force: bool = False,
    content: Path = Path("content"),
    accept: Collection[str] = (),
) -> ImportReport:
    """Write ``<folder>/<lang>.md`` from a translated DOCX; raise ImportDocxError if refused.

    ``accept`` names the units whose numbers may differ from the source's (``numbers``).
    """
    check_language(lang)
    with open_package(docx) as package:
        try:
            doc = read_document(package)
        except NoSourceMapError:
            properties = _properties(package)
            leaflet_id, made_lang, _hash = made_from(docx, properties)
            folder = folder or find_leaflet(content, leaflet_id, docx)
            lost = load_source(folder, SourceMap(leaflet_id, made_lang, "", ()), docx)
            doc = read_document(package, rebuilt(docx, properties, lost))
    for comment in doc.comments:
        log.warning("%s: %s (comments are not imported: send it to whoever it is for)",
                    docx, comment)
    folder = folder or find_leaflet(content, doc.source_map.leaflet, docx)
    source = load_source(folder, doc.source_map, docx)
    refuse_original(folder / f"{lang}.md", doc.source_map.lang, docx)
    refuse_existing(folder / f"{lang}.md", force)
    refuse_missing_words(source, lang, docx)
    stale = stale_warning(doc.source_map, source, str(docx))
    imported = translate(doc, source, lang)
    return finish(docx, doc.source_map, source, imported, Finish(force, stale, accept=accept))


@dataclass(frozen=True)
class Finish:
    """How an import ends: replace a translation or not, the stale warning, the acceptances."""

    force: bool
    stale: str | None
    kind: str = "DOCX"
    accept: Collection[str] = ()


def finish(path: Path, source_map: SourceMap, source: Leaflet, imported: Imported,
           how: Finish) -> ImportReport:
    """Write the translated leaflet as its language file (DOCX and XLIFF imports end so)."""
    translated, force, stale, kind = imported.leaflet, how.force, how.stale, how.kind
    refuse_missing_words(source, translated.lang, path)
    refuse_untranslated(source, imported, path, force)
    target = translated.source_file
    front = front_matter(translated, source_map, target, imported.origins)
    accepted = accepted_numbers(source, imported, path, target, how.accept)
    front = front | ({"numbers_accepted": accepted} if accepted else {})
    text = render(translated, front)
    confirmed = unchanged_since_stale(path, source, imported)
    written = write_language_file(target, text, translated, force)
    log.info("import: wrote %s from %s", target, path)
    if written.diff:
        log.info("import: what changed in %s:\n%s", target, written.diff)
    todo = to_translate_warning(imported, source, target, kind)
    added = [*confirmed, *wrong_language(path, source, imported),
             *new_addresses(source, translated, str(path))]
    for warning in added:
        log.warning("%s", warning)
    warnings = (*(w for w in (stale, todo) if w), *imported.warnings, *added)
    return ImportReport(target, written.replaced, written.diff, warnings,
                        len(translated.sections), len(translated.all_blocks()))


def _properties(package: Package) -> dict[str, str | None]:
    """Return the custom properties lmets-docs writes, as the DOCX has them (None if gone)."""
    document = Document(package)
    return {name: document.custom_property(name)
            for name in ("lmets:leaflet", "lmets:lang", "lmets:source_hash")}


UNTRANSLATED_SHARE = 0.5


def refuse_untranslated(source: Leaflet, imported: Imported, docx: Path, force: bool) -> None:
    """Refuse a "translation" most of whose text is still the source language, word for word.

    Such a file would be printed as, say, Welsh and narrated in English by a Welsh voice.
    Only the parts taken from the file count: one new in the source since holds its text.
    """
    translated = imported.leaflet
    if translated.lang == source.lang:
        return
    taken = [u.key in imported.origins for u in units(source) if u.shape != "list"]
    pairs = [
        (a, b)
        for a, b, counts in zip(body_texts(source), body_texts(translated), taken, strict=False)
        if a.strip() and counts
    ]
    same = sum(1 for a, b in pairs if a == b)
    if pairs and same / len(pairs) > UNTRANSLATED_SHARE:
        message = (
            f"{docx}: {same} of {len(pairs)} paragraphs are word for word the "
            f"{source.lang} text; is this file translated into {translated.lang}?"
        )
        if not force:
            raise ImportDocxError(f"{message} (--force imports it anyway)")
        log.warning("%s", message)


def refuse_missing_words(source: Leaflet, lang: str, path: Path) -> None:
    """Refuse a language that a contact's name or note (or the publisher's name) given per
    language leaves out.

    The translation could not be built (nor proved to read back) without it; the fix is one
    line of ``leaflet.yaml``, which the message names.
    """
    missing = missing_words(source.source_dir / LEAFLET_FILE, source.facts, lang,
                            source.publisher)
    if missing:
        lines = "\n".join(str(problem) for problem in missing)
        raise ImportDocxError(
            f"{path}: leaflet.yaml gives these words per language but not in {lang}, so a "
            f"{lang} leaflet cannot be built; nothing was written. Add '{lang}: ...' to each "
            f"(ask the translator for the words) and import again:\n{lines}")


def check_language(lang: str) -> None:
    """Refuse a language tag that babel does not know."""
    try:
        babel_locale(lang)
    except ValueError as exc:
        raise ImportDocxError(f"--lang: {exc}") from exc


def find_leaflet(content: Path, leaflet_id: str, docx: Path, kind: str = "DOCX") -> Path:
    """Return the folder under ``content`` of the leaflet with ``leaflet_id``."""
    try:
        folders = discover([content])
    except ContentError as exc:
        raise ImportDocxError(
            f"{docx}: no leaflet folder under {content}; name the leaflet folder with --leaflet"
        ) from exc
    for folder in folders:
        data, _problems = load_data(folder)
        if data is not None and data.id == leaflet_id:
            return folder
    raise ImportDocxError(
        f"{docx}: the {kind} was made from leaflet {leaflet_id!r}, and no "
        f"leaflet under {content} has that id; name its folder with --leaflet"
    )


def load_source(folder: Path, source_map: SourceMap, docx: Path, kind: str = "DOCX") -> Leaflet:
    """Load the language the file was made from; refuse a file of another leaflet."""
    data, problems = load_data(folder)
    if data is None:
        found = "\n".join(str(p) for p in problems)
        raise ImportDocxError(f"{folder}: not a leaflet folder that can be read:\n{found}")
    if data.id != source_map.leaflet:
        raise ImportDocxError(
            f"{docx}: the {kind} was made from leaflet "
            f"{source_map.leaflet or '(none)'!r}, but {folder} is leaflet "
            f"{data.id!r}; import it into its own leaflet's folder"
        )
    if not (folder / f"{source_map.lang}.md").is_file():
        raise ImportDocxError(
            f"{docx}: the {kind} was made from the {source_map.lang} text, and "
            f"{folder} has no {source_map.lang}.md"
        )
    try:
        return load_folder(folder, [source_map.lang])[0]
    except ContentError as exc:
        raise ImportDocxError(
            f"{folder}: the leaflet's source has problems; fix them first "
            f"(lmets-docs validate):\n{exc}"
        ) from exc
