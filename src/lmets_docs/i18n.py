"""Fixed words of the templates, per language, from gettext catalogues (via babel).

Catalogues live in ``lmets_docs/locale/<lang>/LC_MESSAGES/lmets_docs.po``. A language without
a catalogue, or a catalogue without a string, falls back to the English text, and the
fallback is logged once so that a translator can see what is missing.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
log = logging.getLogger(__name__)


def babel_locale(lang: str) -> Locale:
    """Return the babel locale for a BCP 47 tag such as ``en-GB``; raise ValueError if unknown."""
    try:
        return Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown language tag {lang!r}") from exc


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


@cache
def messages(lang: str) -> Messages:
    """Return the messages for ``lang`` (``cy``, ``ur-PK`` …), trying the base language too."""
    for tag in (lang, lang.split("-", maxsplit=1)[0]):
        path = LOCALE_DIR / tag / "LC_MESSAGES" / "lmets_docs.po"
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=tag.replace("-", "_"))
            table = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
            return Messages(lang, table)
    if lang.split("-", maxsplit=1)[0] != "en":
        log.info("no message catalogue for %s; fixed words are in English", lang)
        return Messages(lang, {})
    return Messages(lang, _EMPTY)
