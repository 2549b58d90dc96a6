"""``validate`` refuses opening hours typed into the text and numbers that look like a phone
number but are not a valid one, each with ``file:line`` and what to write instead.

The leaflet is ``tests/data/clinic-contacts`` (three contacts with hours, in English, Welsh
and Urdu); each case adds one sentence as its own paragraph at the end of one language's file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from tests.conftest import DATA

CLINIC = DATA / "clinic-contacts"

REFUSED = [
    ("en-GB", "Our nurses are there from 8am to 8pm, Monday to Friday.",
     "opening hours '8am to 8pm' typed in the text: they are the hours of contact 'advice', "
     "written here as {{ contacts.advice.hours }}"),
    ("en-GB", "The ward answers between 08:30 and 12:30.",
     "opening hours 'between 08:30 and 12:30' typed in the text: they are the hours of "
     "contact 'ward', written here as {{ contacts.ward.hours }}"),
    ("en-GB", "Our helpline is open 9 am to 5 pm on weekdays.",
     "opening hours '9 am to 5 pm' typed in the text: hours are facts: add them to a "
     "contact's hours: in leaflet.yaml and write {{ contacts.<id>.hours }}"),
    ("cy", "Ffoniwch 8 y bore tan 8 yr hwyr.",
     "opening hours '8 y bore tan 8 yr hwyr' typed in the text: they are the hours of "
     "contact 'advice'"),
    ("ur", "ہم 10:00 \u2013 16:00 کھلے ہیں\u06d4",
     "opening hours '10:00 \u2013 16:00' typed in the text: they are the hours of "
     "contact 'advice'"),
    ("en-GB", "If you cannot get through, call our nurses on 0808 157 030.",
     "'0808 157 030' looks like a phone number but is not a valid one for GB: check its "
     "digits"),
    ("en-GB", "Out of hours, ring 0113 496 078.",
     "'0113 496 078' looks like a phone number but is not a valid one for GB"),
    ("en-GB", "Text us on 07700 900123.",
     "'07700 900123' looks like a phone number but is not a valid one for GB"),
    ("cy", "Ffoniwch 0113 496 078.",
     "'0113 496 078' looks like a phone number but is not a valid one for GB"),
    ("en-GB", "Out of hours, call the ward on 0113 496 03211.",
     "'0113 496 03211' looks like a phone number but is not a valid one for GB"),
]


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """Return a private copy of the clinic-contacts leaflet."""
    return Path(shutil.copytree(CLINIC, tmp_path / "clinic-contacts"))


def _add(path: Path, sentence: str) -> int:
    """Add a paragraph at the end of ``path`` and return its line."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + sentence + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.splitlines())


@pytest.mark.parametrize(("lang", "sentence", "message"), REFUSED,
                         ids=[case[1][:40] for case in REFUSED])
def test_typed_hours_and_broken_numbers_are_refused(
        clinic: Path, lang: str, sentence: str, message: str) -> None:
    path = clinic / f"{lang}.md"
    line = _add(path, sentence)
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(clinic)])
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert f"{path}:{line}: {message}" in result.stderr, result.stderr


ALLOWED = [
    "Take 2 tablets at 8 am and 8 pm, with food.",
    "Take your first tablet at 8 am.",
    "About 1 in 10,000 people get this; the dose is 2.5 to 3.0 mg.",
    "Your NHS number (for example 943 476 5919) is on your letters.",
    "In an emergency call 999.",
    "Score your pain 0 1 2 3 4 5 6 7 8 9 10.",
]


@pytest.mark.parametrize("sentence", ALLOWED)
def test_doses_and_other_numbers_are_not_refused(clinic: Path, sentence: str) -> None:
    _add(clinic / "en-GB.md", sentence)
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(clinic)])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("leaflet", sorted(p.name for p in DATA.iterdir() if p.is_dir()))
def test_no_fixture_holds_typed_hours_or_broken_numbers(leaflet: str) -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(DATA / leaflet)])
    assert "opening hours" not in result.stderr
    assert "looks like a phone number" not in result.stderr
