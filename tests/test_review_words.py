"""Clinic staff are told when a leaflet's own-language words are a draft nobody has reviewed.

The package's Welsh, Urdu and Arabic catalogues are drafts: their header entry is flagged
``#, fuzzy``, as gettext marks an unfinished catalogue. A real build through the command line
warns once per such language (not once per format), naming the files and how many strings,
and says nothing for English or for words a reviewed project catalogue gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lmets_docs import i18n
from lmets_docs.fact_words import FACT_DOMAIN, PHRASES
from lmets_docs.i18n_review import review_warnings
from tests.conftest import DATA
from tests.test_fallback_words import HEADER, lmets

DRAFT = re.compile(r"WARNING: (\w+) \((\w+)\): the \1 fixed words .* are a draft no translator "
                   r"has reviewed \((.*?)\): have someone who reads \1 check them")


def _strings(lang: str) -> int:
    """How many translated strings the package's catalogue for ``lang`` gives (babel)."""
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as handle:
        return sum(1 for m in read_po(handle) if m.id and m.string and not m.fuzzy)


def _drafts(stderr: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in DRAFT.finditer(stderr)]


@pytest.mark.parametrize("lang", ["cy", "ur", "ar"])
@pytest.mark.parametrize("domain", [i18n.DOMAIN, FACT_DOMAIN])
def test_every_shipped_catalogue_is_marked_a_draft(lang: str, domain: str) -> None:
    """Marking one reviewed is an explicit act: clearing its header's fuzzy flag."""
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        assert read_po(handle).fuzzy, path


def test_a_welsh_build_warns_once_naming_both_drafts(tmp_path: Path) -> None:
    result = lmets("build", DATA / "clinic-contacts", "--lang", "cy", "--format", "pdf",
                   "--format", "docx", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    [(name, lang, files)] = _drafts(result.stderr)
    assert (name, lang) == ("Welsh", "cy")
    assert files == (f"{i18n.LOCALE_DIR}/cy/LC_MESSAGES/lmets_docs.po, {_strings('cy')} strings; "
                     f"{i18n.LOCALE_DIR}/cy/LC_MESSAGES/lmets_facts.po, {len(PHRASES)} strings")


def test_english_says_nothing_of_drafts(tmp_path: Path) -> None:
    result = lmets("build", DATA / "clinic-contacts", "--lang", "en-GB", "--format", "docx",
                   "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "draft" not in result.stderr


def _project_catalogue(templates: Path, lang: str, fuzzy: bool) -> Path:
    """Copy the package's catalogue into a project's, as a reviewer would after reviewing."""
    path = templates / "locale" / lang / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True)
    text = (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "lmets_docs.po").read_text(encoding="utf-8")
    path.write_text(text if fuzzy else text.replace('#, fuzzy\nmsgid ""', 'msgid ""', 1),
                    encoding="utf-8")
    return path


def test_a_reviewed_project_catalogue_leaves_only_the_fact_words_named(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    _project_catalogue(templates, "ur", fuzzy=False)
    [warning] = review_warnings(["ur"], templates)
    assert "lmets_docs.po, " not in warning  # every fixed word is the reviewed project's
    assert f"{i18n.LOCALE_DIR}/ur/LC_MESSAGES/lmets_facts.po, {len(PHRASES)} strings" in warning


def test_a_reviewed_project_catalogue_covering_some_words_counts_the_rest(
        tmp_path: Path) -> None:
    path = tmp_path / "templates" / "locale" / "ur" / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + 'msgid "Call {phone}"\nmsgstr "فون کریں: {phone}"\n',
                    encoding="utf-8")
    [warning] = review_warnings(["ur"], tmp_path / "templates")
    rest = _strings("ur") - 1  # the one the project's catalogue gives
    assert f"{i18n.LOCALE_DIR}/ur/LC_MESSAGES/lmets_docs.po, {rest} strings" in warning


def test_a_draft_project_catalogue_is_named_too(tmp_path: Path) -> None:
    path = _project_catalogue(tmp_path / "templates", "ar", fuzzy=True)
    [warning] = review_warnings(["ar"], tmp_path / "templates")
    count = _strings("ar")
    assert f"{path}, {count} strings" in warning and f"lmets_docs.po, {count} strings;" in warning
    assert f"{i18n.LOCALE_DIR}/ar/LC_MESSAGES/lmets_docs.po" not in warning  # overridden


@pytest.mark.parametrize("junk", [b"\x00\xff not a catalogue", b'msgid "a"\nmsgstr ', b""])
def test_an_unreadable_project_catalogue_does_not_break_the_warning(
        junk: bytes, tmp_path: Path) -> None:
    path = tmp_path / "templates" / "locale" / "cy" / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(junk)
    [warning] = review_warnings(["cy", "cy"], tmp_path / "templates")
    assert f"lmets_docs.po, {_strings('cy')} strings" in warning


def test_a_region_and_an_unknown_language() -> None:
    [warning] = review_warnings(["ur-PK"], None)
    assert warning.startswith("Urdu (Pakistan) (ur-PK): ")
    assert review_warnings(["xx-unknown", "en-GB", "fa"], None) == []
