"""``check`` reports opening hours that are no contact's, and numbers that look like a phone
number but are not a valid one, in the real built files: the PDF, the DOCX and the transcript.

``validate`` refuses both in the source, so each test puts one into a built file the way it
reaches a patient: a PDF built before the contact's hours changed, a DOCX edited in Word, a
transcript edited by hand. The control proves a clean build has none.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.findings import Finding
from lmets_docs.options import BuildOptions
from tests import tamper
from tests.conftest import BEFORE_DUE, DATA

CLINIC = DATA / "clinic-contacts"
PDF = "clinic-contacts-large-print.pdf"
DOCX = "clinic-contacts-leaflet.docx"


def _options(root: Path) -> BuildOptions:
    return BuildOptions(out=root / "output", formats=("pdf", "docx", "audio"), jobs=2,
                        today=BEFORE_DUE, templates=None, cache_dir=root / "cache",
                        tts="espeak", langs=("en-GB",))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the clinic leaflet's English PDF, DOCX and narration once for this module."""
    root = tmp_path_factory.mktemp("built")
    build([CLINIC], _options(root))
    return root / "output" / "clinic-contacts" / "en-GB"


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder to tamper with."""
    return Path(shutil.copytree(built, tmp_path / "output" / "clinic-contacts" / "en-GB"))


def _found(out: Path, code: str, words: str) -> list[Finding]:
    return [f for f in check([out], BEFORE_DUE, allow_edited=True).errors
            if f.code == code and words in f.message]


def test_a_clean_build_has_no_stray_hours_or_broken_numbers(out: Path) -> None:
    report = check([out], BEFORE_DUE)
    assert not [f for f in report.errors if f.code in ("fact-hours", "fact-phone")], report.text()


def test_hours_typed_into_the_docx_are_reported(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("We are open 9 am to 5 pm."))
    found = _found(out, "fact-hours", "opening hours '9 am to 5 pm' are not a contact's")
    assert [f.file.name for f in found] == [DOCX]
    assert "'8 am to 8 pm, Monday to Friday" in found[0].message


def test_a_contacts_hours_typed_into_the_docx_are_not_stray(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("We are open 8am to 8pm."))
    assert _found(out, "fact-hours", "") == []


def test_a_broken_number_typed_into_the_docx_is_reported(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("Out of hours, ring 0113 496 078."))
    found = _found(out, "fact-phone", "'0113 496 078' looks like a phone number but is not "
                   "a valid one for GB")
    assert [f.file.name for f in found] == [DOCX]


def test_a_number_with_a_digit_too_many_typed_into_the_docx_is_reported(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("Out of hours, ring 0113 496 03211."))
    found = _found(out, "fact-phone", "'0113 496 03211' looks like a phone number but is not "
                   "a valid one for GB")
    assert [f.file.name for f in found] == [DOCX]


def test_a_wrong_number_with_the_hours_after_it_typed_into_the_docx_is_reported(
        out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("Out of hours, ring 0113 496 0999 24 "
                                                       "hours a day."))
    found = _found(out, "fact-phone", "phone number '0113 496 0999' is not any contact's")
    assert [f.file.name for f in found] == [DOCX]


def test_a_contacts_number_printed_with_a_digit_more_in_the_docx_fails(out: Path) -> None:
    """The ward's number printed "0113 496 04561" wherever the DOCX gives it (a house style
    gone wrong, or a translator's slip): the fact is found nowhere whole, and each misprint is
    named where it stands."""
    tamper.edit_part(out / DOCX, "word/document.xml",
                     lambda xml: xml.replace(b"0113 496 0456<", b"0113 496 04561<"))
    errors = check([out], BEFORE_DUE, allow_edited=True).errors
    missing = [f for f in errors if f.code == "fact-missing" and f.file.name == DOCX]
    assert missing and "contacts.ward.phone" in missing[0].message, missing
    misprints = [f for f in errors if f.code == "fact-phone" and f.file.name == DOCX]
    assert misprints and all("'0113 496 04561' looks like a phone number but is not a valid "
                             "one for GB" in f.message for f in misprints), misprints


def test_a_short_contact_number_with_the_hours_after_it_is_no_stray_number(
        tmp_path: Path) -> None:
    """Childline's "0800 1111", then "24 hours a day": "0800 1111 24" is a valid number too,
    which phonenumbers' matcher finds; its first whole groups are the contact's, so it is
    the contact's number and the hours, in print and in the narration."""
    clinic = Path(shutil.copytree(CLINIC, tmp_path / "clinic-contacts"))
    yaml, text = clinic / "leaflet.yaml", clinic / "en-GB.md"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('"0113 496 0456"', '"0800 1111"'),
                    encoding="utf-8")
    text.write_text(text.read_text(encoding="utf-8").replace(
        "on {{ contacts.ward.phone }},", "on {{ contacts.ward.phone }} 24 hours a day,", 1),
        encoding="utf-8")
    build([clinic], _options(tmp_path))
    out = tmp_path / "output" / "clinic-contacts" / "en-GB"
    assert (out / PDF).exists()  # installed: the build's own check passed
    assert "24 hours a day" in (out / "audio" / "transcript.txt").read_text(encoding="utf-8")
    report = check([out], BEFORE_DUE)
    assert not [f for f in report.errors if f.code == "fact-phone"], report.text()


def test_hours_and_a_broken_number_said_in_the_transcript_are_reported(out: Path) -> None:
    transcript = out / "audio" / "transcript.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text + "Open 9 a.m. to 5 p.m. Ring 0 1 1 3, 4 9 6, 0 7 8.\n",
                          encoding="utf-8")
    hours = _found(out, "fact-hours", "'9 a.m. to 5 p.m.'")
    number = _found(out, "fact-phone", "'0113 496 078' looks like a phone number")
    assert hours and "transcript.txt line" in hours[0].place
    assert number and "transcript.txt line" in number[0].place


def test_a_pdf_built_before_the_hours_changed_is_reported(out: Path, tmp_path: Path) -> None:
    changed = Path(shutil.copytree(CLINIC, tmp_path / "changed"))
    yaml = changed / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        'opens: "08:00", closes: "20:00"', 'opens: "08:00", closes: "18:00"'), encoding="utf-8")
    options = dataclasses.replace(_options(tmp_path / "stale"), formats=("pdf",))
    build([changed], options)
    stale = options.out / "clinic-contacts" / "en-GB" / PDF
    shutil.copyfile(stale, out / PDF)
    found = _found(out, "fact-hours", "opening hours '8 am to 6 pm' are not a contact's")
    assert found and found[0].file.name == PDF and found[0].place.startswith("page ")


def _warned(out: Path, words: str) -> list[Finding]:
    return [f for f in check([out], BEFORE_DUE, allow_edited=True).warnings
            if f.code == "fact-hours" and words in f.message]


def test_a_single_time_typed_into_the_docx_that_is_no_contacts_is_warned(out: Path) -> None:
    assert _warned(out, "") == []  # the clean build
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("Call the nurses before 6pm."))
    found = _warned(out, "time '6pm' is none of the contacts' opening or closing times")
    assert [f.file.name for f in found] == [DOCX]
    assert "'8 am to 8 pm, Monday to Friday" in found[0].message


def test_a_single_time_that_is_a_contacts_is_not_warned(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("Call the nurses before 8pm."))
    assert _warned(out, "") == []
