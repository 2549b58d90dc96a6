"""The package's Welsh, Urdu and Arabic catalogues: complete, well formed, and loaded whole.

Every message of ``locale/lmets_docs.pot`` is translated in cy, ur and ar, with the English's
``{fields}`` and as many plural forms as CLDR gives the language (through babel: Welsh 6,
Arabic 6, Urdu 2). Two checkers this project did not write read them too: GNU ``msgfmt
--check`` (it knows which plural form stands for one number only, where a translation may
leave ``{count}`` out) and translate-toolkit's ``pofilter``. And the project's own loading
keeps every translation: none is dropped for its fields.
"""

from __future__ import annotations

import gettext
import logging
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from lxml import etree

from lmets_docs import i18n
from lmets_docs.build import build
from lmets_docs.fact_words import FACT_DOMAIN
from lmets_docs.i18n import fields, messages
from lmets_docs.i18n_report import fallback_warnings
from lmets_docs.options import BuildOptions
from tests.conftest import DATA

LANGS = ("cy", "ur", "ar")
NPLURALS = {"cy": 6, "ur": 2, "ar": 6}
LOCALE = i18n.LOCALE_DIR
MSGFMT = shutil.which("msgfmt")
POFILTER = Path(sys.executable).with_name("pofilter")
FIELD_TESTS = ("variables", "pythonbraceformat", "printf", "untranslated", "blank", "isfuzzy",
               "brackets", "xmltags")


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _template(domain: str = i18n.DOMAIN) -> list[Message]:
    return [m for m in _read(LOCALE / f"{domain}.pot") if m.id]


def _po(lang: str, domain: str = i18n.DOMAIN) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def _ids(found: list[Message]) -> set[str]:
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in found}


def _one_number_forms(catalog: Catalog) -> set[int]:
    """Return the plural forms the language's rule picks for one count only (0..9999)."""
    rule = gettext.c2py(catalog.plural_expr)
    seen: dict[int, set[int]] = {}
    for count in range(10000):
        seen.setdefault(rule(count), set()).add(count)
    return {form for form, counts in seen.items() if len(counts) == 1}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_template_is_translated_with_its_fields(lang: str) -> None:
    catalog = _read(_po(lang), lang)
    assert catalog.num_plurals == NPLURALS[lang]
    assert catalog.plural_forms == Catalog(locale=lang).plural_forms  # CLDR's, via babel
    single = _one_number_forms(catalog)
    translated = {m.id: m for m in catalog if m.id}
    for wanted in _template():
        message = translated.get(wanted.id)
        assert message is not None and not message.fuzzy, (lang, wanted.id)
        if isinstance(wanted.id, tuple):
            english = (fields(str(wanted.id[0])) or set()) | (fields(str(wanted.id[1])) or set())
            assert isinstance(message.string, tuple)
            assert len(message.string) == NPLURALS[lang], (lang, wanted.id)
            for form, text in enumerate(message.string):
                found = fields(str(text))
                assert text and found is not None and found <= english, (lang, wanted.id, form)
                # {count} may be left out only where the form stands for one number ("two")
                assert "count" in found or form in single, (lang, wanted.id, form)
        else:
            assert message.string and fields(str(message.string)) == fields(str(wanted.id)), \
                (lang, wanted.id, message.string)


@pytest.mark.parametrize("lang", LANGS)
def test_each_catalogue_says_it_awaits_a_translators_review(lang: str) -> None:
    head = _po(lang).read_text(encoding="utf-8").split('msgid ""')[0]
    assert "NOT YET REVIEWED by a" in head
    assert "have a translator review it before giving" in head


def test_the_arabic_fact_catalogue_is_complete_like_the_urdu_one() -> None:
    for lang in ("ur", "ar"):
        catalog = {m.id: m.string for m in _read(_po(lang, FACT_DOMAIN), lang) if m.id}
        for wanted in _template(FACT_DOMAIN):
            text = catalog.get(wanted.id)
            assert isinstance(text, str) and text and fields(text) == fields(str(wanted.id)), \
                (lang, wanted.id)
        assert "NOT YET REVIEWED" in _po(lang, FACT_DOMAIN).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_the_project_loads_every_translation_and_drops_none(
    lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    messages.cache_clear()
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        words = messages(lang)
    assert not caplog.records, caplog.text
    assert all(words.has(msgid) for msgid in _ids(_template())), lang
    assert fallback_warnings([lang], None) == []
    # ngettext picks the language's own forms, never the English
    parts = [words.ngettext("{count} file", "{count} files", n) for n in (1, 2, 11)]
    assert not any("file" in part for part in parts), parts


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt (Debian: gettext)")
@pytest.mark.parametrize("domain", [i18n.DOMAIN, FACT_DOMAIN])
def test_msgfmt_checks_every_catalogue(domain: str) -> None:
    for lang in LANGS:
        path = _po(lang, domain)
        if path.is_file():
            result = subprocess.run([str(MSGFMT), "--check", "-o", "/dev/null", str(path)],
                                    check=False, capture_output=True, text=True,
                                    timeout=60)
            assert result.returncode == 0, result.stderr


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt (Debian: gettext)")
def test_msgfmt_refuses_a_catalogue_with_a_wrong_field_or_a_lost_count(tmp_path: Path) -> None:
    text = _po("ar").read_text(encoding="utf-8")
    for broken in (text.replace("الصفحة {page} من {pages}", "الصفحة {page} من {pagez}"),
                   text.replace('msgstr[3] "{count} ملفات"', 'msgstr[3] "ملفات"')):
        assert broken != text
        path = tmp_path / "ar.po"
        path.write_text(broken, encoding="utf-8")
        result = subprocess.run([str(MSGFMT), "--check", "-o", "/dev/null", str(path)],
                                check=False, capture_output=True, text=True,
                                    timeout=60)
        assert result.returncode == 1 and "ar.po:" in result.stderr


def _pofilter(path: Path, lang: str, out: Path, tests: tuple[str, ...]) -> list[Message]:
    """Return the units pofilter flags in ``path``."""
    args = [str(POFILTER), "--progress=none", f"--language={lang}", str(path), "-o", str(out)]
    subprocess.run(args + [f"--test={test}" for test in tests], check=True,
                   capture_output=True, timeout=120)
    return [m for m in _read(out) if m.id] if out.is_file() else []


@pytest.mark.parametrize("lang", LANGS)
def test_pofilter_finds_no_field_fault(lang: str, tmp_path: Path) -> None:
    """pofilter compares each plural form with the English singular or plural, so it flags a
    form that leaves ``{count}`` out where the language's rule gives it one number only
    (Arabic "ملفان", two files); every such form is proved so above and by msgfmt. Anything
    else it flags is a fault."""
    flagged = _pofilter(_po(lang), lang, tmp_path / "flagged.po", FIELD_TESTS)
    assert all(isinstance(m.id, tuple) for m in flagged), [m.id for m in flagged]
    plurals = {m.id for m in _read(_po(lang), lang) if isinstance(m.id, tuple)}
    assert {m.id for m in flagged} <= plurals


def test_pofilter_counts_the_plural_forms_of_urdu_and_arabic(tmp_path: Path) -> None:
    # translate-toolkit's own table gives Welsh 2 forms (not CLDR's 6), so Welsh is counted
    # against CLDR above instead.
    for lang in ("ur", "ar"):
        assert _pofilter(_po(lang), lang, tmp_path / f"{lang}.po", ("nplurals",)) == []


def test_pofilter_would_see_a_wrong_field(tmp_path: Path) -> None:
    path = tmp_path / "ur.po"
    path.write_text(_po("ur").read_text(encoding="utf-8").replace(
        "صفحہ {page} از {pages}", "صفحہ {page} از {pagez}"), encoding="utf-8")
    flagged = _pofilter(path, "ur", tmp_path / "flagged.po", FIELD_TESTS)
    assert "Page {page} of {pages}" in _ids(flagged)


WELSH_PARTS = ("This is a spoken version of the printed leaflet, read by a computer voice, in "
               "{count} part.")


@pytest.mark.parametrize(("count", "numeral", "said"), [(2, "dwy ran", "duY r'an"),
                                                        (3, "tair rhan", "t'aIr hr'an")])
def test_welsh_says_the_feminine_numeral_of_rhan(count: int, numeral: str, said: str) -> None:
    words = i18n.messages("cy").ngettext(WELSH_PARTS, WELSH_PARTS.replace("part.", "parts."),
                                         count)
    assert words.endswith(f"mewn {numeral}.")  # not "mewn 2 ran", which is read "dau ran"
    phonemes = subprocess.run(["espeak-ng", "-v", "cy", "-q", "-x", words], check=True,
                              capture_output=True, text=True, timeout=60).stdout
    assert said in phonemes and "d'aY r'an" not in phonemes and "tr'i: hr'an" not in phonemes


@pytest.mark.parametrize(("lang", "label"), [("ar", "أقسام الصفحة الرئيسية"),
                                             ("cy", "Prif rannau'r dudalen"),
                                             ("ur", "صفحے کے اہم حصے")])
def test_landmarks_is_the_list_of_the_main_parts_not_places(
        lang: str, label: str, tmp_path: Path) -> None:
    leaflet = {"ar": "arabic", "cy": "clinic-contacts", "ur": "glossary"}[lang]
    build([DATA / leaflet], BuildOptions(out=tmp_path, formats=("epub",), langs=(lang,), jobs=1,
                                         templates=None, tts="espeak"))
    with zipfile.ZipFile(next(tmp_path.rglob("*.epub"))) as book:
        nav = etree.fromstring(next(book.read(name) for name in book.namelist()
                                    if name.endswith("nav.xhtml")))
    [landmarks] = [e for e in nav.iter() if e.get("id") == "landmarks"]
    assert landmarks.get("aria-label") == label


def test_the_epubs_narration_line_names_the_message_the_narration_says() -> None:
    # The EPUB marks its narration line English when this message has no translation: a
    # msgid changed in the narration alone would mark every translated book's line English.
    from lmets_docs.writers.epub import NARRATION_MSGID  # noqa: PLC0415

    assert NARRATION_MSGID in _ids(_template())
