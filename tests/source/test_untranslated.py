"""A translation warns of each one-text contact name or note it would give in the source's words.

Finding H6 of the fresh-eyes test: "Call at once if your temperature is 37.5°C or higher."
stayed English in the Welsh leaflet, read by the Welsh voice, and nothing said so.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from tests.test_cli import run

from ..conftest import DATA

NOTE = "For urgent advice during chemotherapy."


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """Return the clinic leaflet with the triage note in English only, Welsh translated from it."""
    folder = Path(shutil.copytree(DATA / "clinic-contacts", tmp_path / "clinic-contacts"))
    yaml = folder / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    start = text.index("      note:\n        en-GB: For urgent")
    end = text.index("    advice:")
    yaml.write_text(text[:start] + f"      note: {NOTE}\n" + text[end:], encoding="utf-8")
    welsh = folder / "cy.md"
    welsh.write_text(welsh.read_text(encoding="utf-8").replace(
        "lang: cy\n", "lang: cy\ntranslated_from: en-GB\n", 1), encoding="utf-8")
    return folder


def warned(result: Result, what: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if what in line]


def test_validate_says_the_line_of_an_english_only_note_for_the_welsh_file(clinic: Path) -> None:
    result = run("validate", str(clinic))
    assert result.exit_code == 0, result.stderr
    [line] = warned(result, "contacts.triage.note")
    assert line == (
        f"WARNING: {clinic / 'leaflet.yaml'}:14: contacts.triage.note is one text for every "
        f"language, so the cy leaflet prints and reads it in en-GB: '{NOTE}'. Give it per "
        "language: note: {en-GB: ..., cy: ...} (the translator cannot change it in the DOCX or "
        "XLIFF; if it is the same in cy, write it for both)")
    assert not warned(result, "contacts.advice")  # given per language: nothing to say
    assert "ur leaflet" not in result.stderr  # ur.md says no translated_from: written in Urdu


def test_names_and_hours_notes_are_words_too(clinic: Path) -> None:
    yaml = clinic / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = text.replace("name: {en-GB: Ward 7, cy: Ward 7, ur: وارڈ 7}", "name: Ward 7")
    text = text.replace("note: {en-GB: except bank holidays, cy: heblaw gwyliau banc, ur: "
                        "بینک کی چھٹیوں کے علاوہ}", "note: except bank holidays")
    yaml.write_text(text, encoding="utf-8")
    result = run("validate", str(clinic))
    assert [line.split(": ")[1] for line in warned(result, "is one text for every")] == [
        f"{yaml}:14", f"{yaml}:22", f"{yaml}:24"]
    assert "contacts.advice.hours.note is one text" in result.stderr
    assert "contacts.ward.name is one text" in result.stderr


def test_the_build_says_it_once_and_the_manifest_keeps_it(clinic: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    args = ["build", str(clinic), "--lang", "cy", "--format", "docx", "--out", str(out),
            "--templates", str(tmp_path / "none"), "--today", "2026-01-01"]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert len(warned(result, "contacts.triage.note is one text")) == 1
    again = run(*args)  # up to date: the manifest's warnings, said again, once
    assert "0 written" in again.output and len(warned(again, "contacts.triage.note")) == 1


def test_given_per_language_or_not_translated_it_says_nothing(clinic: Path) -> None:
    welsh = clinic / "cy.md"
    welsh.write_text(welsh.read_text(encoding="utf-8").replace("translated_from: en-GB\n", ""),
                     encoding="utf-8")
    assert "is one text" not in run("validate", str(clinic)).stderr
    shutil.copy(DATA / "clinic-contacts" / "leaflet.yaml", clinic / "leaflet.yaml")
    welsh.write_text(welsh.read_text(encoding="utf-8").replace(
        "lang: cy\n", "lang: cy\ntranslated_from: en-GB\n", 1), encoding="utf-8")
    assert "is one text" not in run("validate", str(clinic)).stderr


def test_a_translation_of_itself_or_a_hostile_translated_from_says_nothing_odd(
        clinic: Path) -> None:
    english = clinic / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "lang: en-GB\n", "lang: en-GB\ntranslated_from: en-GB\n", 1), encoding="utf-8")
    welsh = clinic / "cy.md"
    source = welsh.read_text(encoding="utf-8")
    welsh.write_text(source.replace(
        "translated_from: en-GB", "translated_from: \"x<b>{{ y }}\" "), encoding="utf-8")
    result = run("validate", str(clinic))
    assert result.exit_code == 0, result.stderr
    assert "en-GB leaflet" not in result.stderr
    [line] = warned(result, "contacts.triage.note")
    assert "reads it in x<b>{{ y }}:" in line  # said as written, nothing resolved
    welsh.write_text(source.replace(  # a bidi override, even as an escape, is refused
        "translated_from: en-GB", "translated_from: \"x\\u202e{{ y }}\" "), encoding="utf-8")
    result = run("validate", str(clinic))
    assert result.exit_code == 1
    assert re.search(r"cy\.md:\d+: this line has an invisible character, U\+202E", result.stderr)


def test_export_xliff_names_the_words_that_are_not_in_the_file(clinic: Path, tmp_path: Path
                                                                ) -> None:
    result = run("export-xliff", str(clinic), "--to", "de", "--from", "en-GB", "--out",
                 str(tmp_path / "de.xlf"))
    assert result.exit_code == 0, result.stderr
    [line] = warned(result, "is one text for every language")
    assert line.startswith(f"WARNING: {clinic / 'leaflet.yaml'}:14: contacts.triage.note is one "
                           "text for every language, so the de leaflet prints and reads it in "
                           "en-GB")
    assert (tmp_path / "de.xlf").is_file()
