"""Text inside a picture (an SVG's label) too small for large or giant print: the error names
the picture (its id, its file, its line in leaflet.yaml) and says how to fix it.

The user test's leaflet (``tests/data/chemo-fever``) prints a thermometer SVG 300 px wide
whose label "37.5" is ``font-size="36"`` (27 pt on paper); each test sets the label's size
and builds the English PDF for real (WeasyPrint draws the label as text, ``check`` reads it
back with pdfium and finds its /Figure in the structure tree).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from lmets_docs.cli import cli
from tests.conftest import BEFORE_DUE, DATA

YAML_LINE = 29
"""The line of ``thermometer: {file: thermometer.svg}`` in the leaflet's leaflet.yaml."""


def leaflet(tmp_path: Path, font_size: int) -> Path:
    """Copy the leaflet with its thermometer's label at ``font-size`` (SVG px); return it."""
    folder = tmp_path / "chemo-fever"
    shutil.copytree(DATA / "chemo-fever", folder)
    svg = folder / "thermometer.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace(
        'font-size="36"', f'font-size="{font_size}"'), encoding="utf-8")
    assert (folder / "leaflet.yaml").read_text(encoding="utf-8").splitlines()[YAML_LINE - 1] \
        .strip() == "thermometer: {file: thermometer.svg}"
    return folder


def build(folder: Path, profile: str) -> tuple[int, str]:
    """Build the English PDF in ``profile``; return the exit status and what was said."""
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(folder), "--format", "pdf", "--lang", "en-GB", "--profile", profile,
        "--out", str(folder.parent / "out"), "--templates", "none",
        "--today", BEFORE_DUE.isoformat()])
    return result.exit_code, result.stdout + result.stderr


def test_a_label_too_small_names_the_picture_and_the_fix(tmp_path: Path) -> None:
    folder = leaflet(tmp_path, 18)  # 13.5 pt on paper
    status, said = build(folder, "large")
    assert status == 1
    assert (f"4 characters under 16 pt inside the picture 'thermometer' (thermometer.svg, "
            f"{folder / 'leaflet.yaml'}:{YAML_LINE}) (smallest 13.5 pt: '37.5'): make the text "
            "in the SVG at least 16 pt at the size the picture is printed (at least 119 % of "
            "its size now), or remove the text from the picture and say it in its "
            "description [pdf-min-size]") in " ".join(said.split())
    assert "4 characters under 16 pt (smallest" not in said  # not also as the page's text


def test_giant_print_asks_for_20_pt_where_large_print_passes(tmp_path: Path) -> None:
    folder = leaflet(tmp_path, 24)  # 18 pt on paper
    assert build(folder, "large")[0] == 0
    status, said = build(folder, "giant")
    assert status == 1
    assert ("under 20 pt inside the picture 'thermometer' (thermometer.svg" in said
            and "(smallest 18.0 pt: '37.5')" in said and "at least 20 pt" in said), said


def test_the_pdfs_manifest_lists_its_pictures(tmp_path: Path) -> None:
    folder = leaflet(tmp_path, 36)
    assert build(folder, "large")[0] == 0
    manifest = json.loads(next((folder.parent / "out").rglob("manifest.json")).read_text())
    assert manifest["artifacts"]["pdf"]["details"]["pictures"] == [{
        "image": "thermometer", "file": "thermometer.svg",
        "alt": "A thermometer reading 37.5 degrees Celsius"}]


def test_small_text_outside_a_picture_is_reported_as_before(tmp_path: Path) -> None:
    folder = leaflet(tmp_path, 36)
    out = folder.parent / "out"
    assert build(folder, "large")[0] == 0
    manifest_path = next(out.rglob("manifest.json"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["artifacts"]["pdf"]["details"]["profile"] = "giant"  # claim giant: 18 pt body
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "check", str(manifest_path.parent), "--today", BEFORE_DUE.isoformat()])
    said = " ".join(result.output.split() + result.stderr.split())
    assert result.exit_code == 1
    assert "characters under 20 pt (smallest 16.0 pt:" in said  # the footer, as before
    assert "inside the picture" not in said  # the label is 27 pt
