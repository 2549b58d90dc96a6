"""Fixed words of the templates, per language, from gettext catalogues (via babel).

Catalogues live in ``lmets_docs/locale/<lang>/LC_MESSAGES/lmets_docs.po``; a project's
templates folder may carry its own in ``<templates>/locale/<lang>/LC_MESSAGES/lmets_docs.po``,
whose entries override the package's one by one. ``locale/lmets_docs.pot`` is the template
a translator starts from (refresh it with ``python -m lmets_docs.i18n_extract``).

A language without a catalogue, or a catalogue without a string, falls back to the English
text. ``fallback_warnings`` says so once per language before a build (how many strings, and
the file to add them to); each string that falls back is logged at debug level.
A translation whose ``{fields}`` differ from the English is not used (it would break the page):
that is logged as a warning. Messages that depend on a number (``1 section``, ``2 sections``)
go through ``Messages.ngettext``: gettext's plural forms, as many as the language has (Welsh
has six), chosen by the catalogue's ``Plural-Forms`` rule or, without one, CLDR's via babel.
"""

from __future__ import annotations

import gettext
import io
import logging
import re
import string
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "lmets_docs"
log = logging.getLogger(__name__)


@cache
def babel_locale(lang: str) -> Locale:
    """Return the babel locale for a BCP 47 tag such as ``en-GB``; raise ValueError if unknown.

    Cached per tag: the text scans ask for it for every piece of text they read.
    """
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


def left_to_right(text: str) -> bool:
    """Say whether a text is written left to right: it has Latin (or other left-to-right)
    letters and no right-to-left ones. Such a text inside right-to-left text is isolated."""
    classes = {unicodedata.bidirectional(char) for char in text}
    return "L" in classes and not classes & {"R", "AL"}


def latin_lead(text: str) -> str:
    """Return the left-to-right words ``text`` begins with, up to their last left-to-right
    letter and before any right-to-left one (" NHS" of " NHS شكرا."); "" if it has none.

    In right-to-left text these words after an isolated address belong in its isolate:
    two left-to-right runs either side of an isolate's edge are set from right to left, so
    a reader reading the Latin words as one would read "NHS name@example.org".
    """
    end = 0
    for i, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            break
        if kind == "L":
            end = i + 1
    return text[:end]


def right_to_left(text: str) -> bool:
    """Say whether a text has right-to-left letters (Arabic, Hebrew …)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


class Messages:
    """Translate fixed template strings for one language, with English as the fallback."""

    def __init__(
        self, lang: str, catalogue: dict[str, str], plurals: gettext.NullTranslations | None = None,
        plural_ids: frozenset[str] = frozenset(),
    ) -> None:
        self.lang = lang
        self._catalogue = catalogue
        self._plurals = plurals or gettext.NullTranslations()
        self._plural_ids = plural_ids
        self._missing: set[str] = set()

    def __call__(self, msgid: str, **values: object) -> str:
        """Return ``msgid`` in this language, with ``{name}`` fields filled from ``values``."""
        text = self._catalogue.get(msgid)
        if not text:
            text = msgid
            if self._catalogue is not _EMPTY and msgid not in self._missing:
                self._missing.add(msgid)
                log.debug("no %s translation for %r; using English", self.lang, msgid)
        return text.format(**values) if values else text

    def has(self, msgid: str) -> bool:
        """Say whether ``msgid`` (a plural's singular too) has a translation here."""
        return bool(self._catalogue.get(msgid)) or msgid in self._plural_ids

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """Return the form of a message for ``count`` (``{count}`` and ``values`` filled in)."""
        text = self._plurals.ngettext(singular, plural, count)
        if text in (singular, plural) and self._catalogue is not _EMPTY \
                and singular not in self._missing:
            self._missing.add(singular)
            log.debug("no %s translation for %r; using English", self.lang, singular)
        return text.format(count=count, **values)


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
    plurals = Catalog(locale=_catalog_locale(lang))
    paths = catalogue_paths(lang, templates)
    for path in paths:
        catalog = _read_po(path, lang)
        table.update(_singulars(path, catalog))
        if catalog is not None and _same_plural_rule(path, catalog, plurals):
            for message in _plural_messages(path, catalog):
                plurals[message.id] = message
    if paths:
        ids = frozenset(str(message.id[0]) for message in plurals if message.id)
        return Messages(lang, table, _translations(plurals), ids)
    if not is_english(lang):
        log.debug("no message catalogue for %s; fixed words are in English", lang)
        return Messages(lang, {})
    return Messages(lang, _EMPTY)


def is_english(lang: str) -> bool:
    """Say whether a language tag is English (``en``, ``en-GB``), whose words are the msgids."""
    return lang.split("-", maxsplit=1)[0].lower() == "en"


def read_catalogue(path: Path, lang: str) -> dict[str, str]:
    """Return a ``.po`` file's usable translations: not fuzzy, with the English's fields."""
    return _singulars(path, _read_po(path, lang))


def _read_po(path: Path, lang: str) -> Catalog | None:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=_catalog_locale(lang), abort_invalid=True)
    except PoFileError as exc:  # babel counts its lines from 0
        log.warning("%s:%d: cannot read the message catalogue (%s); using English", path,
                    exc.lineno + 1, str(exc).removesuffix(f" on {exc.lineno}"))
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read the message catalogue (%s); using English", path, exc)
        return None


def _catalog_locale(lang: str) -> str | None:
    try:
        return str(babel_locale(lang))
    except ValueError:
        return None


def _singulars(path: Path, catalog: Catalog | None) -> dict[str, str]:
    if catalog is None:
        return {}
    return {msgid: text for msgid, text, line in _translated(catalog)
            if _usable(f"{path}:{line}", msgid, text)}


def _same_plural_rule(path: Path, catalog: Catalog, language: Catalog) -> bool:
    """Say whether a catalogue's ``Plural-Forms`` picks the language's (CLDR's) form for every
    count up to 1000; if not, its plural messages would be read in the wrong forms (warned).

    ``language`` is a catalogue made for the language's locale only: babel gives it CLDR's
    rule (``messages`` passes the one it gathers the plural messages in, made so)."""
    if catalog.num_plurals == language.num_plurals and \
            _rule_values(catalog.plural_expr) == _rule_values(language.plural_expr):
        return True
    log.warning("%s:%d: Plural-Forms %r is not the rule of %s (%s, from CLDR); its plural "
                "messages are not used (English instead): give that rule, or leave the "
                "header out", path, _header_line(path), catalog.plural_forms.rstrip(";"),
                language.locale_identifier, language.plural_forms.rstrip(";"))
    return False


def _rule_values(expression: str) -> tuple[int, ...] | None:
    try:
        rule = gettext.c2py(expression)
        return tuple(rule(count) for count in range(1000))
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError):
        return None


def _header_line(path: Path) -> int:
    """Return the line of a catalogue's ``Plural-Forms`` header (1 if it has none)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next((n for n, line in enumerate(lines, start=1) if "Plural-Forms:" in line), 1)


def _plural_messages(path: Path, catalog: Catalog) -> Iterator[Message]:
    """Yield the usable plural messages: every form translated, with the English's fields."""
    for message in catalog:
        forms = message.string
        if not isinstance(message.id, tuple) or message.fuzzy or not isinstance(forms, tuple) \
                or not any(forms) or not _all_forms(path, catalog, message, forms) \
                or not _free_of_controls(f"{path}:{message.lineno}", message.id[0],
                                         (message.id[1], *forms)) \
                or not _no_new_numbers(f"{path}:{message.lineno}", message.id[0],
                                       message.id[0] + " " + message.id[1], forms):
            continue
        english = (fields(message.id[0]) or frozenset()) | (fields(message.id[1]) or frozenset())
        if all((found := fields(form)) is not None and found <= english for form in forms):
            if _plain_fields(f"{path}:{message.lineno}", message.id[0], forms,
                             field_forms(message.id[0]) | field_forms(message.id[1])):
                yield message
        else:
            log.warning("%s:%s: a form of %r has fields the English does not; using English",
                        path, message.lineno, message.id[0])


def _all_forms(path: Path, catalog: Catalog, message: Message, forms: tuple[str, ...]) -> bool:
    """Say whether a plural message has every form of the language (warn if it has not)."""
    filled = sum(1 for form in forms if form)
    if filled == len(forms) == catalog.num_plurals:
        return True
    log.warning("%s:%s: %r has %d of the %d plural forms of %s; using English", path,
                message.lineno, message.id[0], filled, catalog.num_plurals,
                catalog.locale_identifier)
    return False


def _translations(catalog: Catalog) -> gettext.NullTranslations:
    """Return gettext translations (which know the language's plural rule) for a catalogue."""
    if not len(catalog):
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _translated(catalog: Catalog) -> Iterator[tuple[str, str, int | None]]:
    for message in catalog:
        msgid, text = message.id, message.string
        if isinstance(msgid, str) and isinstance(text, str) and msgid and text \
                and not message.fuzzy:
            yield msgid, text, message.lineno


def _usable(where: str, msgid: str, text: str) -> bool:
    if not _free_of_controls(where, msgid, (text,)) \
            or not _no_new_numbers(where, msgid, msgid, (text,)):
        return False
    if fields(text) == fields(msgid):
        return _plain_fields(where, msgid, (text,), field_forms(msgid))
    log.warning("%s: the translation of %r has fields %s, the English %s; using English",
                where, msgid, sorted(fields(text) or ()), sorted(fields(msgid) or ()))
    return False


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
"""Unicode's bidi controls (ALM, LRM, RLM, embeddings, overrides, isolates): in a message they
would reorder the facts filled into it (a review date read backwards); the writers set the
direction themselves."""


def bidi_controls(text: str) -> list[str]:
    """Return the bidi controls in a text, each as ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return [f"U+{ord(char):04X} {unicodedata.name(char)}"
            for char in dict.fromkeys(text) if char in BIDI_CONTROLS]


def _free_of_controls(where: object, msgid: str, texts: tuple[str, ...]) -> bool:
    """Say whether a message and its translations are free of bidi controls (warn if not)."""
    found = bidi_controls(msgid + "".join(texts))
    if not found:
        return True
    log.warning("%s: the translation of %r contains a bidi control (%s), which would reorder "
                "the text around it; not used (the package's translation or English instead)",
                where, msgid, ", ".join(found))
    return False


_NUMBER = re.compile(r"\d{3,}")
"""A run of three digits or more, in any script's digits (``020``, ``٢٠٢٥``): a phone number's
group, a year. A smaller number is a count a plural form may spell (Welsh ``2 ran``)."""


def numbers(text: str) -> set[str]:
    """Return the numbers written in a text outside its ``{fields}``, as ASCII digits."""
    words = _FIELD.sub(" ", text)
    return {"".join(str(unicodedata.digit(char)) for char in run)
            for run in _NUMBER.findall(words)}


_FIELD = re.compile(r"\{[^{}]*\}")


def _no_new_numbers(where: str, msgid: str, english: str, texts: tuple[str, ...]) -> bool:
    """Say whether a translation writes no number (of three digits or more: ``_NUMBER``) its
    English does not (warn if it does).

    The fixed words hold no facts: a number typed into one (a second phone number, another
    year) would print beside the leaflet's facts where ``check`` cannot always tell it from
    them (a right-to-left page's digit groups read in visual order). A number the English
    writes (``24 hours``) may be written in the language's own digits.
    """
    extra = sorted(set().union(*(numbers(text) for text in texts)) - numbers(english))
    if not extra:
        return True
    log.warning("%s: the translation of %r writes the number %s, which the English does not; "
                "not used (the package's translation or English instead)", where, msgid,
                ", ".join(extra))
    return False


def field_forms(text: str) -> frozenset[str]:
    """Return each ``{field}`` of a message as written, conversion and format spec included
    (``{page}``, ``{page!r}``, ``{pages:>9}``); none if its braces are unbalanced."""
    try:
        return frozenset(
            "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None)
    except ValueError:
        return frozenset()


def _plain_fields(where: str, msgid: str, texts: tuple[str, ...],
                  english: frozenset[str]) -> bool:
    """Say whether a translation writes its fields as the English does (warn if not): a
    conversion or format spec (``{page!r}``, ``{pages:>{x}}``) would print a placeholder's
    code or stop the build with no line to blame."""
    extra = sorted(set().union(*(field_forms(text) for text in texts)) - english)
    if not extra:
        return True
    log.warning("%s: the translation of %r writes %s, which the English does not; using "
                "English", where, msgid, ", ".join(extra))
    return False


def fields(text: str) -> frozenset[str] | None:
    """Return the names of a message's ``{fields}``, or None if its braces are unbalanced."""
    try:
        return frozenset(name for _lit, name, _spec, _conv in string.Formatter().parse(text)
                         if name is not None)
    except ValueError:
        return None
