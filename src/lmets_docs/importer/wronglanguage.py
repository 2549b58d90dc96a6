"""Warn of parts of a translation left in the source's words, or in another language's script.

A paragraph left in English in the DOCX, or a unit whose target is a copy of its source (a
CAT tool's "copy source to target", then marked *translated*), would be printed in an Urdu
leaflet and read by the Urdu voice; a Welsh DOCX imported with ``--lang ur`` would be set
right to left with Urdu labels. ``refuse_untranslated`` refuses a file most of which is the
source's text; these warnings name the parts, however few:

- a part whose text is word for word its source's, of three words or more (facts and
  addresses aside): a drug's name, "MRI" or a lone fact may rightly be the same;
- a part most of whose letters are not in the script the language is written in: the
  script CLDR gives the language (babel's likely subtags: ``ur`` → ``Arab``, ``cy`` →
  ``Latn``), the letters' scripts from the ``regex`` module's ``\\p{Script=…}``. A drug's
  name or "NHS" in Latin letters inside Urdu text is not most of a part.

Arabic-script Urdu imported as Arabic shares the script, and is not found here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import regex
from babel.core import Locale, get_global

from lmets_docs.i18n import babel_locale
from lmets_docs.importer.addresses import WEB
from lmets_docs.importer.align import Imported
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import Unit, units
from lmets_docs.source.stale import unit_key

FACT = regex.compile(r"\{\{.*?\}\}")
EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LETTER = regex.compile(r"\p{L}")
MIN_LETTERS = 4
"""Fewer letters than this say nothing about a part's script (``CT``, ``A&E``)."""
MIN_WORDS = 3
"""Fewer words than this may rightly be the same in both languages (``methotrexate``)."""
SHOWN = 5
"""The most parts a warning names."""


def wrong_language(path: Path, source: Leaflet, imported: Imported) -> list[str]:
    """Return the warnings for the parts taken from the file that are the source's text
    word for word, or mostly in a script the language is not written in."""
    return language_warnings(str(path), source, imported.leaflet,
                             lambda unit: unit.key in imported.origins)


def translation_warnings(source: Leaflet, translated: Leaflet) -> list[str]:
    """Return the same warnings for a translation as loaded (``validate``): its stale
    parts, which hold the source's text or an older translation until translated (and are
    said as such), are left out."""
    stale = {unit.id for unit in translated.stale}
    return language_warnings(str(translated.source_file), source, translated,
                             lambda unit: unit_key(unit.kind, unit.id) not in stale)


def language_warnings(where: str, source: Leaflet, translated: Leaflet,
                      taken: Callable[[Unit], bool]) -> list[str]:
    """Return the warnings for the parts of ``translated`` that ``taken`` counts."""
    path = where
    if translated.lang == source.lang:
        return []
    before = {u.key: u for u in units(source)}
    same: list[str] = []
    foreign: list[str] = []
    script = language_script(translated.lang)
    for unit in units(translated):
        if unit.shape == "list" or not taken(unit):
            continue  # a list's text is its items'; a part not in the file holds the source
        was = before.get(unit.key)
        key = unit_key(unit.kind, unit.id)
        if was is not None and _folded(was.text) == _folded(unit.text) and _wordy(unit):
            same.append(key)
        elif script and _mostly_foreign(_letters(unit), script):
            foreign.append(key)
    warnings = []
    if same:
        warnings.append(
            f"{path}: {_counted(same)} word for word the {source.lang} text (left "
            f"untranslated, or the source copied into the target?): {_named(same)}; "
            f"translate {'them' if len(same) > 1 else 'it'} into {translated.lang}")
    if foreign and script:
        warnings.append(
            f"{path}: {_counted(foreign)} mostly in letters of another script than the "
            f"{_script_name(script)} script {translated.lang} is written in: "
            f"{_named(foreign)}; is this the "
            f"{translated.lang} translation (--lang, or the file's target language)?")
    return warnings


@cache
def language_script(lang: str) -> str | None:
    """Return the ISO 15924 script a language is written in (CLDR), if ``regex`` knows it."""
    locale = babel_locale(lang)
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags").get(locale.language, "")
        parts = str(likely).split("_")
        script = parts[1] if len(parts) > 2 else None
    if not script:
        return None
    try:
        regex.compile(rf"\p{{Script={script}}}")
    except regex.error:  # Hans, Jpan: a writing system, not one Unicode script
        return None
    return script


def _script_name(script: str) -> str:
    return str(Locale("en").scripts.get(script, script))


def _letters(unit: Unit) -> str:
    text = EMAIL.sub(" ", WEB.sub(" ", FACT.sub(" ", unit.text)))
    return "".join(LETTER.findall(text))


def _wordy(unit: Unit) -> bool:
    text = EMAIL.sub(" ", WEB.sub(" ", FACT.sub(" ", unit.text)))
    return sum(1 for word in text.split() if LETTER.search(word)) >= MIN_WORDS


def _mostly_foreign(letters: str, script: str) -> bool:
    if len(letters) < MIN_LETTERS:
        return False
    own = len(regex.findall(rf"\p{{Script={script}}}", letters))
    return own * 2 < len(letters)


def _folded(text: str) -> str:
    return " ".join(text.split())


def _counted(keys: list[str]) -> str:
    return "1 part is" if len(keys) == 1 else f"{len(keys)} parts are"


def _named(keys: list[str]) -> str:
    more = f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else ""
    return ", ".join(keys[:SHOWN]) + more


def wrong_language_warnings(leaflets: list[Leaflet]) -> list[str]:
    """Return ``translation_warnings`` for each translation among ``leaflets`` whose source
    (its front matter's ``translated_from``) is loaded too (``validate``)."""
    from lmets_docs.source.stale import read_front_matter  # noqa: PLC0415

    by_id = {(leaflet.id, leaflet.lang): leaflet for leaflet in leaflets}
    found = []
    for leaflet in leaflets:
        made = read_front_matter(leaflet.source_file).get("translated_from")
        source = by_id.get((leaflet.id, str(made))) if made else None
        if source is not None and source is not leaflet:
            found += translation_warnings(source, leaflet)
    return found
