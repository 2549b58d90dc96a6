"""``check --listen`` hears every hyphen and dot of an email and a web address.

The near misses of an address are the address with one of its marks left out, said the same
way ("ward7 day dot unit at example dot org" for "ward7-day.unit@example.org"): what a
listener would type after a voice that says nothing for the hyphen, the braille user test's
finding 3. The fixture's narration (espeak-ng) must be heard with each address as expected;
the contact line's email re-said without "hyphen" inside the real narration must be caught.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs.listen.nearmiss import near_misses
from lmets_docs.source import load_leaflet
from tests import audio_tamper as tamper
from tests.conftest import DATA
from tests.listen.test_listen import build, heard_lines, listen, listen_findings, narration

MARKS = DATA / "address-marks"
EMAIL = "ward7 hyphen day dot unit at example dot org"


@pytest.fixture(scope="module")
def marks_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of the fixture's English narration (espeak-ng)."""
    out = tmp_path_factory.mktemp("marks") / "out"
    (source := tmp_path_factory.mktemp("marks-source") / "address-marks").mkdir()
    for name in ("leaflet.yaml", "en-GB.md"):
        shutil.copy(MARKS / name, source / name)
    code, _, stderr = build(source, out, "espeak")
    assert code == 0, stderr
    return out


def test_the_near_misses_of_an_address_leave_out_one_mark_each() -> None:
    misses = near_misses(load_leaflet(MARKS, "en-GB"))
    assert misses["contacts.ward.email"] == [
        "ward7day dot unit at example dot org",
        "ward7 hyphen dayunit at example dot org",
        "ward7 hyphen day dot unit at exampleorg",
    ]
    assert "www dot example dot org slash services slash cancer slash ward7" in misses[
        "contacts.ward.web"]
    assert len(misses["contacts.ward.web"]) == 3


def test_every_address_is_heard_with_its_hyphen_and_dots(marks_built: Path) -> None:
    code, report = listen(marks_built)
    facts = [line for line in heard_lines(report) if line.startswith(("heard", "HEARD"))]
    assert code == 0 and report["errors"] == 0, report["findings"]
    addresses = [line for line in facts if "contacts.ward.email" in line
                 or "contacts.ward.web" in line]
    assert len(addresses) == 4, facts  # each in the text and in the contacts
    assert all(line.startswith("heard as expected: ") for line in addresses)


def test_an_email_said_without_its_hyphen_is_caught(marks_built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(marks_built, out, ignore=shutil.ignore_patterns(".cache", ".stamps"))
    mp3, details = narration(out)
    clip = [c for c in details["spoken_facts"] if c["fact"] == "contacts.ward.email"][-1]
    assert EMAIL in clip["text"]
    samples = tamper.replace_end(tamper.decode_mp3(mp3), clip["end_ms"] + 50, clip["text"],
                                 clip["text"].replace("hyphen ", ""), False)
    tamper.rewrite(mp3, samples)
    code, report = listen(out)
    wrong = [f for f in listen_findings(report) if f["code"] == "listen-fact"]
    assert code == 1 and [f["place"].split(" at ")[0] for f in wrong] == [
        "contacts.ward.email"], wrong
    assert "'ward7day dot unit at example dot org'" in wrong[0]["message"]
