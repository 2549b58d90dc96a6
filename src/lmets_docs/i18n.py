"""Fixed words of the templates, per language, from gettext catalogues (via babel).

Catalogues live in ``lmets_docs/locale/<lang>/LC_MESSAGES/lmets_docs.po``; a project's
templates folder may carry its own in ``<templates>/locale/<lang>/LC_MESSAGES/lmets_docs.po``,
whose entries override the package's one by one. ``locale/lmets_docs.pot`` is the template
a translator starts from (refresh it with ``python -m lmets_docs.i18n_extract``).

A language without a catalogue, or a catalogue without a string, falls back to the English
text, and the fallback is logged once per string so that a translator can see what is missing.
A translation whose ``{fields}`` differ from the English is not used (it would break the page):
that is logged as a warning.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "lmets_docs"
log = logging.getLogger(__name__)


def babel_locale(lang: str) -> Locale:
    """Return the babel locale for a BCP 47 tag such as ``en-GB``; raise ValueError if unknown."""
    try:
        return Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown language tag {lang!r}") from exc


def script(lang: str) -> str:
    """Return the ISO 15924 script a language is usually written in: ``ur`` → ``Arab``."""
    locale = babel_locale(lang)
    if locale.script:
        return str(locale.script)
    likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
    return likely[1] if len(likely) > 2 else "Latn"


class Messages:
    """Translate fixed template strings for one language, with English as the fallback."""

    def __init__(self, lang: str, catalogue: dict[str, str]) -> None:
        self.lang = lang
        self._catalogue = catalogue
        self._missing: set[str] = set()

    def __call__(self, msgid: str, **values: object) -> str:
        """Return ``msgid`` in this language, with ``{name}`` fields filled from ``values``."""
        text = self._catalogue.get(msgid)
        if not text:
            text = msgid
            if self._catalogue is not _EMPTY and msgid not in self._missing:
                self._missing.add(msgid)
                log.info("no %s translation for %r; using English", self.lang, msgid)
        return text.format(**values) if values else text


_EMPTY: dict[str, str] = {}


def catalogue_paths(lang: str, templates: Path | None = None) -> list[Path]:
    """Return the catalogue files for ``lang`` that exist, the weakest first.

    The base language comes before the regional one (``cy`` before ``cy-GB``) and the
    package's catalogues before the project's, so that later files override earlier ones.
    """
    roots = [LOCALE_DIR] + ([templates / "locale"] if templates is not None else [])
    return [path for root in roots for tag in _tags(lang)
            if (path := root / tag / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()]


def _tags(lang: str) -> Iterator[str]:
    base = lang.split("-", maxsplit=1)[0]
    yield base
    if lang != base:
        yield lang
        yield lang.replace("-", "_")


@cache
def messages(lang: str, templates: Path | None = None) -> Messages:
    """Return the messages for ``lang`` (``cy``, ``ur-PK`` …), trying the base language too.

    The package's catalogues come first; when ``templates`` is given, the project's
    catalogues in ``<templates>/locale`` override them string by string.
    """
    table: dict[str, str] = {}
    paths = catalogue_paths(lang, templates)
    for path in paths:
        table.update(read_catalogue(path, lang))
    if paths:
        return Messages(lang, table)
    if lang.split("-", maxsplit=1)[0] != "en":
        log.info("no message catalogue for %s; fixed words are in English", lang)
        return Messages(lang, {})
    return Messages(lang, _EMPTY)


def read_catalogue(path: Path, lang: str) -> dict[str, str]:
    """Return a ``.po`` file's usable translations: not fuzzy, with the English's fields."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"), abort_invalid=True)
    except (OSError, PoFileError, ValueError) as exc:
        log.warning("%s: cannot read the message catalogue (%s); using English", path, exc)
        return {}
    return {msgid: text for msgid, text in _translated(catalog) if _usable(path, msgid, text)}


def _translated(catalog: Catalog) -> Iterator[tuple[str, str]]:
    for message in catalog:
        msgid, text = message.id, message.string
        if isinstance(msgid, str) and isinstance(text, str) and msgid and text \
                and not message.fuzzy:
            yield msgid, text


def _usable(path: Path, msgid: str, text: str) -> bool:
    if fields(text) == fields(msgid):
        return True
    log.warning("%s: the translation of %r has fields %s, the English %s; using English",
                path, msgid, sorted(fields(text) or ()), sorted(fields(msgid) or ()))
    return False


def fields(text: str) -> frozenset[str] | None:
    """Return the names of a message's ``{fields}``, or None if its braces are unbalanced."""
    try:
        return frozenset(name for _lit, name, _spec, _conv in string.Formatter().parse(text)
                         if name is not None)
    except ValueError:
        return None
