"""What the translator user test found in ``import-docx`` (its DOCXs, saved by LibreOffice):
a link the translator adds keeps the space before it, and a web address the source does not
have is named on import for the reviewer, as a new number is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs.importer import import_docx
from lmets_docs.importer.inlines import clean
from lmets_docs.model import Inline, Link, Strong, Text
from tests.conftest import DATA

UT = DATA / "ut-translator"


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(UT / "leptomeningeal-metastases", folder)
    return folder


def test_an_added_link_keeps_its_space_and_its_address_is_named(
    leaflet: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docx = UT / "leaflet-cy-added-link.docx"
    report = import_docx(docx, "cy", leaflet)
    welsh = (leaflet / "cy.md").read_text(encoding="utf-8")
    assert ("roi cynnig ar gwnsela. [Gwybodaeth yn Gymraeg]"
            "(https://www.macmillan.org.uk/cymraeg)") in welsh
    assert "gwnsela.[" not in welsh
    said = (f"{docx}: help-and-support.4 has a web address that is not in the en-GB source: "
            "https://www.macmillan.org.uk/cymraeg; have the reviewer check where it goes")
    assert any(w.startswith(said) for w in report.warnings), report.warnings
    assert said in caplog.text
    assert sum("web address that is not in" in w for w in report.warnings) == 1


def test_a_translation_without_new_addresses_is_not_warned(
    leaflet: Path, tmp_path: Path
) -> None:
    docx = UT / "leaflet-cy-comment.docx"
    report = import_docx(docx, "cy", leaflet)
    assert not any("web address" in w for w in report.warnings), report.warnings


@pytest.mark.parametrize(("runs", "markdown"), [
    ([Text("gwnsela."), Link((Text(" Gwybodaeth "),), "https://x.example")],
     (Text("gwnsela. "), Link((Text("Gwybodaeth"),), "https://x.example"))),
    ([Text("a"), Strong((Text(" bold "),)), Text("b")],
     (Text("a "), Strong((Text("bold"),)), Text(" b"))),
    ([Text("a"), Strong((Text(" "),)), Text("b")], (Text("a b"),)),
])
def test_spaces_at_the_edges_of_bold_and_links_stay_between_the_words(
    runs: list[Inline], markdown: tuple[Inline, ...]
) -> None:
    assert clean(runs) == markdown
