"""A translation made from an older source: ``validate`` and ``build`` say which parts changed
since (once per language file), and the manifest records them for ``check``.

The leaflet is the fresh-eyes user test's: its Welsh was imported from a DOCX of the English
before the author split a paragraph (``tests/data/usertest``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.importer import import_docx
from lmets_docs.source import load_folder, load_leaflet
from tests.conftest import DATA

USERTEST = DATA / "usertest"
SPLIT = ("section 'Infection and food safety' paragraph 1 (en-GB.md:33), section 'Infection "
         "and food safety' paragraph 2 (en-GB.md:35)")


def leaflet(folder: Path, english: str) -> Path:
    """Return a leaflet folder with the user test's yaml, picture and ``english`` as en-GB.md."""
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    shutil.copy(USERTEST / english, folder / "en-GB.md")
    return folder


@pytest.fixture
def welsh(tmp_path: Path) -> Path:
    """Return the leaflet with cy.md imported from the DOCX of the presplit English."""
    folder = leaflet(tmp_path / "content" / "eating-well-chemo", "en-GB.presplit.md")
    import_docx(USERTEST / "cy-good.docx", "cy", folder)
    return folder


def test_an_up_to_date_translation_has_no_stale_parts(welsh: Path) -> None:
    cy = load_leaflet(welsh, "cy")
    assert cy.stale == ()
    assert not [w for w in cy.warnings if "older" in w]
    yaml = welsh / "leaflet.yaml"  # a fact changed: each language formats facts itself
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("0456", "0123"), encoding="utf-8")
    assert load_leaflet(welsh, "cy").stale == ()


def test_validate_says_once_which_parts_changed_since(welsh: Path) -> None:
    shutil.copy(USERTEST / "en-GB.v2.md", welsh / "en-GB.md")  # the author split a paragraph
    result = CliRunner().invoke(cli, ["validate", str(welsh)])
    assert result.exit_code == 0
    message = (f"{welsh / 'cy.md'}: cy.md was translated from an older en-GB.md: 2 parts "
               f"changed since ({SPLIT}); the cy leaflet gives the older translation, or the "
               f"en-GB text, there. Translate them with lmets-docs export-xliff {welsh} --to cy")
    assert result.output.count(message) == 1, result.output
    assert result.output.count("was translated from an older") == 1
    assert f"{welsh / 'cy.md'}: ok" in result.output


def test_a_paragraph_changed_in_place_is_named_with_its_line(welsh: Path) -> None:
    english = welsh / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "Raw eggs: no", "Raw eggs: no. Do not eat raw or undercooked eggs."), encoding="utf-8")
    [stale] = load_folder(welsh, ["cy"])[0].stale
    assert (stale.id, stale.place, stale.file, stale.line) == (
        "infection-and-food-safety.2.2", "section 'Infection and food safety' list 2 item 2",
        "en-GB.md", 36)


def test_forged_or_duplicated_fingerprints_make_every_part_stale_and_nothing_worse(
    welsh: Path
) -> None:
    cy = welsh / "cy.md"
    text = cy.read_text(encoding="utf-8")
    cy.write_text("\n".join(line.rsplit(": ", 1)[0] + ": 'deadbeef0000'"
                            if line.startswith("  ") and ":" in line else line
                            for line in text.splitlines()) + "\n", encoding="utf-8")
    stale = load_leaflet(welsh, "cy").stale
    assert len(stale) == len([line for line in text.splitlines() if line.startswith("  ")])


def test_the_build_warns_and_the_manifest_records_the_stale_parts(
    welsh: Path, tmp_path: Path
) -> None:
    shutil.copy(USERTEST / "en-GB.v2.md", welsh / "en-GB.md")
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["build", str(welsh), "--lang", "cy", "--format", "docx",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count(f"cy.md was translated from an older en-GB.md: 2 parts changed "
                               f"since ({SPLIT})") == 1, result.output
    manifest = json.loads((out / "eating-well-chemo" / "cy" / "manifest.json").read_text())
    assert manifest["details"]["stale_translation"] == {"source_file": "en-GB.md", "units": [
        {"id": "infection-and-food-safety.1",
         "place": "section 'Infection and food safety' paragraph 1", "line": 33},
        {"id": "infection-and-food-safety.2",
         "place": "section 'Infection and food safety' paragraph 2", "line": 35}]}
    assert any("was translated from an older en-GB.md" in w for w in manifest["warnings"])
