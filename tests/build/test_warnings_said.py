"""Every build says the warnings that hold now: a writing build, one that keeps the PDF, an
up-to-date one (through ``cli`` and through ``launch``'s shortcut) and ``watch``.

The user test's leaflet in giant print has a PDF page 54 % empty (a layout warning of the PDF
writer: since the contacts other than the main one follow the text, its large print has none)
and, on 1 December 2026, its next review is due in 50 days. Before, an up-to-date build repeated
the layout warning but not the review's, and a build that kept the PDF said the review's but
not the layout's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs import launch
from lmets_docs.cli import cli
from lmets_docs.importer import import_docx
from tests.conftest import DATA
from tests.test_watch import STEP_S, Watching

TODAY = "2026-12-01"
LAYOUT = "WARNING: eating-well-chemo (en-GB) pdf: page 3 is 54% empty"
SOON = ("WARNING: eating-well-chemo (en-GB): the next review is due on 20 January 2027, "
        "in 50 days")


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    """Return a copy of the user test's leaflet (its split English)."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(DATA / "usertest" / name, folder / name)
    shutil.copy(DATA / "usertest" / "en-GB.v2.md", folder / "en-GB.md")
    return folder


def args(leaflet: Path, out: Path, *formats: str) -> list[str]:
    """Return a build's arguments: the leaflet, its formats, the day."""
    return ["build", str(leaflet), *(f"--format={name}" for name in formats), "--out", str(out),
            "--profile", "giant", "--templates", str(out / "none"), "--today", TODAY]


def warnings(said: str) -> list[str]:
    """Return the warning lines said, each cut to what the test compares."""
    return sorted(line[:len(LAYOUT)] if line.startswith(LAYOUT) else line
                  for line in said.splitlines() if line.startswith("WARNING: "))


def by_cli(argv: list[str]) -> str:
    """Return what the command line (in this process) says on stderr, asserting success."""
    result = CliRunner(mix_stderr=False).invoke(cli, argv)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def by_command(argv: list[str]) -> str:
    """Return what ``lmets-docs`` says on stderr, run as a user runs it (its writer processes
    say their own warnings on the same stderr)."""
    ran = subprocess.run([sys.executable, "-m", "lmets_docs", *argv], capture_output=True,
                         text=True, check=False, timeout=STEP_S)
    assert ran.returncode == 0, ran.stderr
    return ran.stderr


def test_every_build_says_the_warnings_that_hold_now(
    leaflet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    want = sorted([LAYOUT, SOON])
    assert warnings(by_command(args(leaflet, out, "pdf", "docx"))) == want  # written
    text = leaflet / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("a diary", "a food diary"),
                    encoding="utf-8")
    kept_pdf = by_command(args(leaflet, out, "docx"))
    assert warnings(kept_pdf) == want  # the PDF kept from the last build
    assert warnings(by_command(args(leaflet, out, "docx"))) == want  # up to date
    assert warnings(by_cli(args(leaflet, out, "docx"))) == want  # up to date, by cli
    capsys.readouterr()
    assert launch.shortcut(args(leaflet, out, "docx"))  # up to date, without click
    assert warnings(capsys.readouterr().err) == want


def test_a_writing_build_says_the_review_once_and_counts_it(leaflet: Path, tmp_path: Path
                                                            ) -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, args(leaflet, tmp_path / "out", "docx"))
    said = result.output + result.stderr
    assert said.count("the next review is due on 20 January 2027") == 1
    assert "check: 0 errors, 1 warning in 2 files" in result.output


def test_watch_says_them_at_each_build(leaflet: Path, tmp_path: Path) -> None:
    watching = Watching(leaflet, "--format", "pdf", "--profile", "giant", "--out",
                        tmp_path / "out", "--today", TODAY, cwd=tmp_path)
    try:
        first = watching.until("done in")
        text = leaflet / "en-GB.md"
        text.write_text(text.read_text(encoding="utf-8").replace("a diary", "a food diary"),
                        encoding="utf-8")
        again = watching.until("changed:") + watching.until("done in")
    finally:
        watching.kill()
    assert warnings("\n".join(first)) == sorted([LAYOUT, SOON])
    assert warnings("\n".join(again)) == sorted([LAYOUT, SOON])


def test_an_up_to_date_build_says_the_languages_warnings_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(DATA / "usertest" / name, folder / name)
    shutil.copy(DATA / "usertest" / "en-GB.presplit.md", folder / "en-GB.md")
    import_docx(DATA / "usertest" / "cy-good.docx", "cy", folder)
    out = tmp_path / "out"
    written = set(warnings(by_command(args(folder, out, "docx"))))
    assert any(line.startswith("WARNING: Welsh (cy): the Welsh fixed words") for line in written)
    assert "WARNING: eating-well-chemo (cy): the next review is due on 20 Ionawr 2027, in 50 " \
           "days" in written
    assert set(warnings(by_command(args(folder, out, "docx")))) == written  # up to date
    assert set(warnings(by_cli(args(folder, out, "docx")))) == written
    capsys.readouterr()
    assert launch.shortcut(args(folder, out, "docx"))
    assert set(warnings(capsys.readouterr().err)) == written
