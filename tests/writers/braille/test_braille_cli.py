"""The braille edition from the command line: on request only, and what a build says."""

from __future__ import annotations

import shutil
from pathlib import Path

from lmets_docs import formats
from tests.conftest import DATA
from tests.test_cli import run, said


def test_braille_is_built_only_when_asked_for() -> None:
    assert "braille" in formats.FORMATS and "braille" not in formats.available()
    assert {"pdf", "docx", "audio", "html", "epub"} <= set(formats.available())
    help_text = " ".join(run("build", "--help").output.split())
    assert "Default: every format but braille, built only when asked for." in help_text


def test_build_and_check_from_the_command_line(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "switchboard", tmp_path / "switchboard"))
    out = tmp_path / "output"
    result = run("build", str(folder), "--format", "braille", "--format", "docx",
                 "--out", str(out))
    assert result.exit_code == 0, said(result)
    assert (f"WARNING: {folder / 'ur.md'}: braille is not built in ur: liblouis's Urdu "
            "tables") in result.stderr
    assert sorted(p.name for p in out.rglob("*.brf")) == ["switchboard.brf"] * 3
    assert (out / "switchboard" / "ur" / "switchboard-leaflet.docx").is_file()
    checked = run("check", str(out))
    assert checked.exit_code == 0, said(checked)
    assert "check: 0 errors" in checked.output


def test_a_language_nothing_can_be_made_in_is_left_alone(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "switchboard", tmp_path / "switchboard"))
    out = tmp_path / "output"
    result = run("build", str(folder), "--lang", "ur", "--format", "braille", "--out", str(out))
    assert result.exit_code == 0, said(result)
    assert "braille is not built in ur" in result.stderr
    assert not (out / "switchboard" / "ur").exists()
