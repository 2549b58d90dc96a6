"""Say once, before a build, which languages print and say fixed words in English.

A leaflet in a language whose catalogue lacks some of the template's messages
(``locale/lmets_docs.pot``) falls back to English for those (``i18n.Messages``). Clinic
staff would not notice an English "Page 1 of 2" in an Urdu leaflet until a patient did, so the
build warns once per language: which language, how many strings, a few of them, and the
project catalogue to add them to (it overrides the package's string by string). English
leaflets say nothing. The command line's own words (said in English) are not counted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from lmets_docs import i18n

log = logging.getLogger(__name__)


def fallback_warnings(langs: Iterable[str], templates: Path | None) -> list[str]:
    """Return one warning per language whose fixed words are not all translated.

    English says nothing. The warning names the language, says how many of the template's
    messages fall back to English (with a few of them), and where to add them: the project's
    catalogue, which overrides the package's string by string.
    """
    return [warning for lang in dict.fromkeys(langs)
            if not i18n.is_english(lang) and (warning := _fallback_warning(lang, templates))]


def _fallback_warning(lang: str, templates: Path | None) -> str | None:
    words = i18n.messages(lang, templates)
    wanted = template_ids(templates)
    missing = [msgid for msgid in wanted if not words.has(msgid)]
    if not missing:
        return None
    where = (templates or Path("templates")) / "locale" / lang.split("-", maxsplit=1)[0] / \
        "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    shown = ", ".join(repr(msgid) for msgid in missing[:3]) + (", …" if len(missing) > 3 else "")
    name = language_name(lang)
    return (f"{name} ({lang}): {len(missing)} of the {len(wanted)} fixed strings (labels, page "
            f"numbers, the narration's opening and closing) have no {name} translation, so "
            f"they are printed and said in English ({shown}); translate them in {where} "
            f"(build --templates), starting from {i18n.LOCALE_DIR / f'{i18n.DOMAIN}.pot'}")


def language_name(lang: str) -> str:
    """Return the language's name in English (``Urdu``), or the tag if babel has none."""
    try:
        return str(i18n.babel_locale(lang).get_display_name("en"))
    except ValueError:
        return lang


def template_ids(templates: Path | None = None) -> list[str]:
    """Return the message ids (a plural's singular) of the package's template and a project's
    that a leaflet may print or say (not the command line's own)."""
    paths = [i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"]
    if templates is not None and (templates / "locale" / f"{i18n.DOMAIN}.pot").is_file():
        paths.append(templates / "locale" / f"{i18n.DOMAIN}.pot")
    return list(dict.fromkeys(msgid for path in paths for msgid in _template_ids(path)))


COMMAND_LINE_ONLY = ("cli.py", "check/", "review.py")
"""Where the command line's own words come from: said in English (``messages("en")``), never
in a leaflet, so a language's catalogue needs them only for completeness."""


@cache
def _template_ids(path: Path) -> tuple[str, ...]:
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle)
    except (OSError, PoFileError, ValueError) as exc:
        log.warning("%s: cannot read the message template (%s)", path, exc)
        return ()
    return tuple(str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog
                 if m.id and not all(file.startswith(COMMAND_LINE_ONLY)
                                     for file, _line in m.locations or [("", 0)]))
