# ruff: noqa: RUF001  (the Urdu full stop is what Urdu leaflets write)
"""``check`` reads Urdu times in words in a built Urdu DOCX, as it reads English ones.

The Urdu DOCX of the clinic leaflet (``tests/data/clinic-contacts``) is built with the real
writer, then a paragraph is typed into it with python-docx, as a translator would in Word:
opening hours in Urdu words ("صبح نو بجے سے شام پانچ بجے تک", nine to five) are no contact's,
an error; a single time after a closing word ("شام کے چھ بجے سے پہلے", before six) is a
warning; the information line's own closing time ("رات آٹھ بجے تک", until 8 pm) is neither.
The words are the draft of ``scan_words.DRAFT_WORDS`` and ``scan_times`` (for review).
"""

from __future__ import annotations

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
DOCX = "clinic-contacts-leaflet.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the clinic leaflet's Urdu DOCX once for this module."""
    root = tmp_path_factory.mktemp("built")
    build([CLINIC], BuildOptions(out=root / "output", formats=("docx",), jobs=1,
                                 today=BEFORE_DUE, templates=None, cache_dir=root / "cache",
                                 langs=("ur",)))
    return root / "output" / "clinic-contacts" / "ur"


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder to type into."""
    return Path(shutil.copytree(built, tmp_path / "output" / "clinic-contacts" / "ur"))


def _hours(out: Path) -> tuple[list[Finding], list[Finding]]:
    report = check([out], BEFORE_DUE, allow_edited=True)
    return ([f for f in report.errors if f.code == "fact-hours"],
            [f for f in report.warnings if f.code == "fact-hours"])


def test_a_clean_urdu_build_has_no_stray_hours(out: Path) -> None:
    assert _hours(out) == ([], [])


def test_urdu_hours_in_words_typed_into_the_docx_are_reported(out: Path) -> None:
    typed = "ہم صبح نو بجے سے شام پانچ بجے تک کھلے ہیں۔"
    tamper.edit_docx(out / DOCX, tamper.text_paragraph(typed))
    errors, _warnings = _hours(out)
    assert [f.file.name for f in errors] == [DOCX]
    assert "opening hours 'صبح نو بجے سے شام پانچ بجے' are not a contact's" in errors[0].message


def test_an_urdu_single_time_in_words_is_warned_and_a_contacts_is_not(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("شام کے چھ بجے سے پہلے فون کریں۔"))
    tamper.edit_docx(out / DOCX, tamper.text_paragraph("ہم رات آٹھ بجے تک جواب دیتے ہیں۔"))
    errors, warnings = _hours(out)
    assert errors == []
    assert [f.file.name for f in warnings] == [DOCX]
    assert "time 'شام کے چھ بجے' is none of the contacts' opening or closing times" in (
        warnings[0].message)
