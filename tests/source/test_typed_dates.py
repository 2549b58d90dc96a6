"""A date typed into the text names the fact that holds it, as a typed phone number does.

The user test's leaflet (``tests/data/usertest``) holds three dates: ``dates.clinic_opens``
(1 February 2027) and its review dates (last reviewed 1 February 2024, next review due 20
January 2027). A date typed into the text is refused with the placeholder to write instead;
a date no fact holds says how to make it one, with the date as leaflet.yaml writes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from tests.conftest import DATA

PLACE = "Our new clinic opens on {{ dates.clinic_opens }}."


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    """Return a copy of the user test's leaflet (its split English)."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(DATA / "usertest" / name, folder / name)
    shutil.copy(DATA / "usertest" / "en-GB.v2.md", folder / "en-GB.md")
    return folder


def refused(leaflet: Path, sentence: str) -> list[str]:
    """Put ``sentence`` in place of the clinic's opening; return what validate says of it."""
    path = leaflet / "en-GB.md"
    text = path.read_text(encoding="utf-8")
    assert PLACE in text
    path.write_text(text.replace(PLACE, sentence), encoding="utf-8")
    line = text.splitlines().index(PLACE) + 1
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(leaflet)])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    return [said.removeprefix(f"{path}:{line}: ") for said in result.stderr.splitlines()
            if said.startswith(f"{path}:{line}: ")]


@pytest.mark.parametrize(("sentence", "message"), [
    ("Our new clinic opens on 1 February 2027.",
     "date '1 February 2027' typed in the text: it is dates.clinic_opens in leaflet.yaml, "
     "written here as {{ dates.clinic_opens }}"),
    ("Our new clinic opens on 01/02/2027.",
     "date '01/02/2027' typed in the text: it is dates.clinic_opens in leaflet.yaml, "
     "written here as {{ dates.clinic_opens }}"),
    ("This leaflet is reviewed again by 20 January 2027.",
     "date '20 January 2027' typed in the text: it is the leaflet's next review date, written "
     "here as {{ review.next_review_due }}"),
    ("We last checked it on 2024-02-01.",
     "date '2024-02-01' typed in the text: it is the leaflet's last review date, written here "
     "as {{ review.last_reviewed }}"),
    ("The clinic moves on 3 March 2027.",
     "date '3 March 2027' typed in the text belongs to no fact: add it under facts: dates: in "
     "leaflet.yaml (<name>: 2027-03-03) and write {{ dates.<name> }}"),
    ("The clinic moves on 31/02/2027.",
     "date '31/02/2027' typed in the text belongs to no fact: add it under facts: dates: in "
     "leaflet.yaml (<name>: YYYY-MM-DD) and write {{ dates.<name> }}"),
])
def test_a_typed_date_names_the_fact_that_holds_it(leaflet: Path, sentence: str,
                                                    message: str) -> None:
    assert refused(leaflet, sentence) == [message]


def test_a_date_two_facts_hold_names_both(leaflet: Path) -> None:
    yaml = leaflet / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "clinic_opens: 2027-02-01", "clinic_opens: 2027-02-01\n    ward_moves: 2027-01-20"),
        encoding="utf-8")
    assert refused(leaflet, "It moves on 20 January 2027.") == [
        "date '20 January 2027' typed in the text: it is the leaflet's next review date and "
        "dates.ward_moves in leaflet.yaml, written here as {{ review.next_review_due }} or "
        "{{ dates.ward_moves }}"]
