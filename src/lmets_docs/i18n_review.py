"""Say once, before a build, which languages print and say words no translator has reviewed.

The package ships draft catalogues for some languages (Welsh, Urdu, Arabic): written by
developers to keep English out of those leaflets, not yet reviewed by a speaker. A draft is
marked the way gettext marks an unfinished catalogue: its header entry is flagged
``#, fuzzy`` (Poedit, Lokalize and Weblate show it so; ``msgfmt`` accepts it). Its entries are
used, since English words in an Urdu leaflet help nobody, but clinic staff who cannot read
the language must know that a speaker should check them before the leaflets reach patients.
So the build warns once per language whose words come, even in part, from a draft: how many
strings, which files, and how to replace them (a reviewed project catalogue overrides the
package's string by string; removing the header's fuzzy flag marks a file reviewed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from lmets_docs import i18n
from lmets_docs.fact_words import FACT_DOMAIN
from lmets_docs.i18n_report import language_name


def review_warnings(langs: Iterable[str], templates: Path | None) -> list[str]:
    """Return one warning per language whose words come in part from a draft catalogue."""
    return [warning for lang in dict.fromkeys(langs)
            if not i18n.is_english(lang) and (warning := _review_warning(lang, templates))]


def _review_warning(lang: str, templates: Path | None) -> str | None:
    drafts: dict[Path, int] = {}
    for path, count in (*_fixed_word_drafts(lang, templates).items(), *_fact_drafts(lang)):
        drafts[path] = count
    if not drafts:
        return None
    name = language_name(lang)
    base = lang.split("-", maxsplit=1)[0]
    own = (templates or Path("templates")) / "locale" / base / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    files = "; ".join(f"{path}, {count} strings" for path, count in drafts.items())
    return (f"{name} ({lang}): the {name} fixed words (labels, page numbers, the narration's "
            f"opening and closing) and words inside facts are a draft no translator has "
            f"reviewed ({files}): have someone who reads {name} check them before the "
            f"leaflets reach patients; put reviewed words in {own} (build --templates), or "
            f"clear the draft's '#, fuzzy' header flag once it is reviewed")


def _fixed_word_drafts(lang: str, templates: Path | None) -> dict[Path, int]:
    """Return each draft catalogue of the fixed words with how many of its strings are used
    (those a later, reviewed catalogue does not override)."""
    source: dict[str, Path | None] = {}
    for path in i18n.catalogue_paths(lang, templates):
        catalog = _catalog(path, lang)
        if catalog is not None:
            draft = path if catalog.fuzzy else None
            source.update({msgid: draft for msgid in _translated_ids(catalog)})
    return dict(Counter(draft for draft in source.values() if draft is not None))


def _fact_drafts(lang: str) -> list[tuple[Path, int]]:
    """Return the package's draft fact catalogues for ``lang`` (a project cannot override
    them), with how many phrases each gives."""
    base = lang.split("-", maxsplit=1)[0]
    found = []
    for tag in dict.fromkeys((base, lang, lang.replace("-", "_"))):
        path = i18n.LOCALE_DIR / tag / "LC_MESSAGES" / f"{FACT_DOMAIN}.po"
        catalog = _catalog(path, lang) if path.is_file() else None
        if catalog is not None and catalog.fuzzy:
            found.append((path, len(_translated_ids(catalog))))
    return found


def _translated_ids(catalog: Catalog) -> list[str]:
    return [str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog
            if m.id and not m.fuzzy
            and any(m.string if isinstance(m.string, tuple) else (m.string,))]


@cache
def _catalog(path: Path, lang: str) -> Catalog | None:
    """Return a catalogue as babel reads it; None if it cannot (``i18n`` warns about that)."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=i18n.babel_locale(lang).language)
    except (OSError, PoFileError, ValueError):
        return None
