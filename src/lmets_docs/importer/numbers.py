"""Refuse an import whose units say other numbers than their source (a dose, a threshold).

Each unit taken from the file is compared with the source text it was translated from
(``source.samenumbers``), before anything is written. A difference is refused, all of them
listed at once, unless it is accepted: by ``--accept-numbers UNIT`` (a person has checked
it: a number written in words, a repeated one left out), or by the language file being
replaced, whose acceptance still holds (same source text, same difference). Acceptances go
into the new file's front matter, so ``validate`` and ``build`` accept them too, until the
source unit or the difference changes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.align import Imported
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import units
from lmets_docs.schema import AcceptedNumbers
from lmets_docs.source.numbercheck import unit_line
from lmets_docs.source.samenumbers import (
    Difference,
    UnitPair,
    accepted_in,
    compare,
    difference,
    entry,
)
from lmets_docs.source.stale import fingerprint, place, read_front_matter, unit_key

MAX_SHOWN = 50


def accepted_numbers(source: Leaflet, imported: Imported, path: Path, target: Path,
                     accept: Collection[str]) -> dict[str, Any]:
    """Return the front matter's ``numbers_accepted``; raise if a difference is not accepted."""
    translated = imported.leaflet
    pairs = list(import_pairs(source, imported))
    keys = {pair.key for pair in pairs}
    unknown = sorted(set(accept) - keys)
    if unknown:
        raise ImportDocxError(f"{path}: --accept-numbers {', '.join(unknown)}: no such unit "
                              f"translated in this file (units are named as in "
                              f"{target.name}'s source_units: intro.1, section:diet …)")
    given = _given(pairs, source.lang, translated.lang, accept, path) | {
        key: value for key, value in accepted_in(read_front_matter(target)).items()
        if key not in accept}
    outcome = compare(pairs, source.lang, translated.lang, given)
    if outcome.refused:
        langs = source.lang, translated.lang
        raise refusal(path, [f"{pair.key}: {pair.place}: {_said(pair, found, *langs)}"
                             for pair, found, _why in outcome.refused])
    return {a.id: given[a.id].model_dump(exclude_none=True) for a in outcome.accepted}


def import_pairs(source: Leaflet, imported: Imported) -> Iterator[UnitPair]:
    """Yield each unit the file translated, with the source text it was translated from.

    A unit whose source changed since the file was made is left out, as ``validate`` leaves
    it out: its older translation is of another text, and it is listed to translate.
    """
    mine = {u.key: u for u in units(imported.leaflet) if u.shape != "list"}
    for unit in units(source):
        ours = mine.get(unit.key)
        if ours is None or unit.shape == "list" or imported.origins.get(unit.key) != unit.text:
            continue
        yield UnitPair(unit_key(unit.kind, unit.id), place(source, unit), 0, unit.text,
                       f"{source.source_file}:{unit_line(source, unit)}", fingerprint(unit.text),
                       ours.text)


def _given(pairs: list[UnitPair], source_lang: str, lang: str, accept: Collection[str],
           path: Path) -> dict[str, AcceptedNumbers]:
    """Return an acceptance of the difference each ``--accept-numbers`` unit has now."""
    given = {}
    for pair in pairs:
        if pair.key in accept:
            found = difference(pair.source, source_lang, pair.translation, lang)
            reason = f"accepted with --accept-numbers on importing {path.name}"
            given[pair.key] = AcceptedNumbers.model_validate(entry(pair, found, reason))
    return given


def _said(pair: UnitPair, found: Difference, source_lang: str, lang: str) -> str:
    src = ", ".join(n.shown for n in found.source) or "none"
    ours = ", ".join(n.shown for n in found.translation) or "none"
    what = "; ".join(part for part in (
        f"missing {', '.join(found.missing)}" if found.missing else "",
        f"not in the source {', '.join(found.added)}" if found.added else "") if part)
    return (f"the numbers differ from its {source_lang} source ({pair.source_where}): "
            f"{source_lang} {src}; {lang} {ours} ({what})")


def refusal(path: Path, problems: list[str]) -> ImportDocxError:
    """Return the error listing every unit whose numbers differ; nothing is written."""
    lines = "\n".join(f"{path}: {problem}" for problem in problems[:MAX_SHOWN])
    more = f"\n{path}: … and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
    count = "1 unit says" if len(problems) == 1 else f"{len(problems)} units say"
    return ImportDocxError(
        f"{path}: {count} other numbers than the source; nothing was written. A wrong dose or "
        f"threshold must never reach a patient: correct the translation and import it again. "
        f"If a difference is meant (a number written in words, a repeated one left out), have "
        f"it checked and import with --accept-numbers UNIT (recorded in the language file's "
        f"front matter)\n{lines}{more}")
