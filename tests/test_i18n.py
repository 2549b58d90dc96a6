"""Message catalogues: the package's, a project's overriding them, the English fallback, and
the ``lmets_docs.pot`` template kept up to date with the code and templates."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lmets_docs import i18n, i18n_extract
from lmets_docs.i18n import fields, messages, script

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n')


def catalogue(root: Path, lang: str, entries: str) -> Path:
    """Write ``root/<lang>/LC_MESSAGES/lmets_docs.po`` with a header and ``entries``."""
    path = root / lang / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + entries, encoding="utf-8")
    return path


def entry(msgid: str, msgstr: str, fuzzy: bool = False) -> str:
    """Return one catalogue entry."""
    return ("#, fuzzy\n" if fuzzy else "") + f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


@pytest.fixture
def package_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the package's catalogues at an empty folder; clear the cache around the test."""
    folder = tmp_path / "package-locale"
    folder.mkdir()
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    messages.cache_clear()
    yield folder
    messages.cache_clear()


def test_a_project_catalogue_overrides_the_package_string_by_string(
    package_locale: Path, tmp_path: Path
) -> None:
    catalogue(package_locale, "cy", entry("Helpline", "Llinell gymorth")
              + entry("References", "Cyfeiriadau (pecyn)"))
    catalogue(tmp_path / "templates" / "locale", "cy", entry("References", "Cyfeiriadau"))
    project = messages("cy", tmp_path / "templates")
    assert project("Helpline") == "Llinell gymorth"
    assert project("References") == "Cyfeiriadau"
    assert messages("cy")("References") == "Cyfeiriadau (pecyn)"  # callers without templates


def test_a_regional_tag_uses_the_base_language_and_its_own(package_locale: Path) -> None:
    catalogue(package_locale, "cy", entry("Helpline", "Llinell gymorth")
              + entry("References", "Cyfeiriadau"))
    catalogue(package_locale, "cy_GB", entry("References", "Cyfeiriadau (GB)"))
    regional = messages("cy-GB")
    assert (regional("Helpline"), regional("References")) == ("Llinell gymorth",
                                                               "Cyfeiriadau (GB)")


def test_a_missing_string_falls_back_to_english_logged_once_at_debug_level(
    package_locale: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalogue(package_locale, "cy", entry("Helpline", "Llinell gymorth"))
    words = messages("cy")
    with caplog.at_level(logging.DEBUG, logger="lmets_docs"):
        first = words("Page {page} of {pages}", page=1, pages=2)
        again = words("Page {page} of {pages}", page=2, pages=2)
    assert (first, again) == ("Page 1 of 2", "Page 2 of 2")
    assert caplog.text.count("no cy translation for 'Page {page} of {pages}'") == 1


def test_a_language_without_a_catalogue_is_english_and_says_so(
    package_locale: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="lmets_docs"):
        assert messages("ur")("Helpline") == "Helpline"
    assert "no message catalogue for ur" in caplog.text
    assert "no ur translation for 'Helpline'" in caplog.text


def test_fuzzy_and_broken_translations_are_not_used(
    package_locale: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalogue(package_locale, "cy", entry("Helpline", "Llinell?", fuzzy=True)
              + entry("Call {phone}", "Ffoniwch {ffon}")
              + entry("Last reviewed: {date}", "Adolygwyd: {date")
              + entry("Large print", "Print bras"))
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        words = messages("cy")
    assert words("Helpline") == "Helpline"
    assert words("Call {phone}", phone="0808") == "Call 0808"
    assert words("Last reviewed: {date}", date="22") == "Last reviewed: 22"
    assert words("Large print") == "Print bras"
    assert "the translation of 'Call {phone}' has fields ['ffon'], the English ['phone']" \
        in caplog.text


def test_an_unreadable_catalogue_is_english_with_a_warning(
    package_locale: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = catalogue(package_locale, "cy", 'Helpline = Llinell gymorth\n')
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        assert messages("cy")("Helpline") == "Helpline"
    assert f"{path}:5: cannot read the message catalogue" in caplog.text  # file:line


def test_the_shipped_template_is_up_to_date() -> None:
    assert i18n_extract.run(["--check"]) == 0, (
        "src/lmets_docs/locale/lmets_docs.pot is out of date: run "
        "python -m lmets_docs.i18n_extract")


def test_the_template_holds_the_fixed_words_of_code_and_templates() -> None:
    with (i18n.LOCALE_DIR / "lmets_docs.pot").open("rb") as handle:
        template = {str(m.id): m for m in read_po(handle) if m.id}
    for msgid in ("Page {page} of {pages}", "Large print", "Helpline", "Lines are open {hours}.",
                  "This information is out of date: its review was due on {date}.",
                  "Email: {email}"):
        assert msgid in template
    # The furniture's words are defined once, for every format, with one message id each.
    for msgid in ("Last reviewed: {date}", "Next review due: {date}", "Call {phone}",
                  "This information is out of date: its review was due on {date}.",
                  "Helpline: {phone}, {hours}", "That number again: {phone}."):
        assert {f for f, _ in template[msgid].locations} == {"furniture.py"}, msgid
    for variant in ("{name}: {phone}", "The information was last reviewed on {date}.",
                    "Warning: this information is out of date. It should have been reviewed "
                    "again by {date}."):
        assert variant not in template
    assert all(fields(msgid) is not None for msgid in template)


def test_a_project_template_is_extracted_into_its_own_locale(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "leaflet.html").write_text(
        '{% extends "builtin/leaflet.html" %}{% block title_page_extra %}'
        '<p>{{ _("Ask your nurse for {thing}", thing="help") }}</p>{% endblock %}')
    assert i18n_extract.run(["--templates", str(templates)]) == 0
    assert i18n_extract.run(["--templates", str(templates), "--check"]) == 0
    with (templates / "locale" / "lmets_docs.pot").open("rb") as handle:
        assert [str(m.id) for m in read_po(handle) if m.id] == ["Ask your nurse for {thing}"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en-GB", "Latn"), ("cy", "Latn"), ("ur", "Arab"), ("ar", "Arab"), ("bn", "Beng"),
    ("pa", "Guru"), ("pa-Arab", "Arab"), ("hi", "Deva"),
])
def test_the_script_of_a_language(lang: str, expected: str) -> None:
    assert script(lang) == expected


def plural_entry(singular: str, plural: str, forms: list[str]) -> str:
    """Return one plural catalogue entry."""
    strings = "".join(f'msgstr[{n}] "{form}"\n' for n, form in enumerate(forms))
    return f'msgid "{singular}"\nmsgid_plural "{plural}"\n{strings}\n'


def test_plurals_follow_the_language_rule_through_ngettext(package_locale: Path) -> None:
    # Welsh has six plural forms (CLDR, through babel, when the catalogue does not say).
    forms = ["{count} rhan (0)", "{count} rhan (1)", "{count} ran (2)", "{count} rhan (3)",
             "{count} rhan (6)", "{count} rhan (other)"]
    catalogue(package_locale, "cy", plural_entry("{count} part", "{count} parts", forms))
    welsh = messages("cy")
    said = [welsh.ngettext("{count} part", "{count} parts", n) for n in (0, 1, 2, 3, 6, 7)]
    assert said == ["0 rhan (0)", "1 rhan (1)", "2 ran (2)", "3 rhan (3)", "6 rhan (6)",
                    "7 rhan (other)"]
    english = messages("en-GB")
    assert english.ngettext("{count} part", "{count} parts", 1) == "1 part"
    assert english.ngettext("{count} part", "{count} parts", 2) == "2 parts"
    assert messages("ur").ngettext("{count} part", "{count} parts", 1) == "1 part"


def test_a_plural_form_with_foreign_fields_is_not_used(
    package_locale: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalogue(package_locale, "cy", plural_entry(
        "{count} part", "{count} parts", ["{count} rhan", "{count} {oops}", "x", "x", "x", "x"]))
    assert messages("cy").ngettext("{count} part", "{count} parts", 2) == "2 parts"
    assert "has fields the English does not" in caplog.text
