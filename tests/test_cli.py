"""The command line as a user meets it: options anywhere, warnings said once, right plurals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from lmets_docs.cli import cli

from .conftest import DATA, ROOT

MINIMAL = DATA / "minimal"
# 52 days before the seed's next review (22 November 2022): due soon, a warning.
DUE_SOON = "2022-10-01"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """Return a copy of the minimal leaflet that a test may edit."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "content" / "minimal-leaflet"))


def run(*args: str) -> Result:
    """Run the command line in-process, stdout and stderr apart."""
    return CliRunner(mix_stderr=False).invoke(cli, list(args))


def said(result: Result) -> str:
    """Return everything the command said, on stdout and stderr."""
    return result.output + result.stderr


def build_args(leaflet: Path, out: Path, *more: str) -> list[str]:
    return [str(leaflet), "--format", "docx", "--out", str(out), "--templates", str(out / "no"),
            *more]


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_before_or_after_the_command_leaves_only_warnings_and_errors(
    minimal: Path, tmp_path: Path, where: str
) -> None:
    args = build_args(minimal, tmp_path / "out")
    result = run("-q", "build", *args) if where == "before" else run("build", *args, "-q")
    assert result.exit_code == 0, said(result)
    assert said(result) == ""
    validated = run("validate", str(minimal), "-q") if where == "after" else run(
        "-q", "validate", str(minimal))
    assert validated.exit_code == 0 and said(validated) == ""


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_before_or_after_the_command_says_each_step(
    minimal: Path, tmp_path: Path, where: str
) -> None:
    args = build_args(minimal, tmp_path / "out")
    result = run("-v", "build", *args) if where == "before" else run("build", *args, "-v")
    assert result.exit_code == 0, said(result)
    assert "docx: minimal-leaflet (en-GB) written in" in result.stderr
    assert "built " in result.output


def test_quiet_still_says_every_warning(leaflet_dir: Path, tmp_path: Path) -> None:
    result = run("build", *build_args(leaflet_dir, tmp_path / "out", "--today", DUE_SOON), "-q")
    assert result.exit_code == 0, said(result)
    assert "the next review is due on 22 November 2022, in 52 days" in said(result)
    assert "built " not in said(result) and "written" not in said(result)


def test_build_says_the_text_of_each_warning_once(leaflet_dir: Path, tmp_path: Path) -> None:
    result = run("build", *build_args(leaflet_dir, tmp_path / "out", "--today", DUE_SOON))
    assert result.exit_code == 0, said(result)
    assert said(result).count("the next review is due on 22 November 2022, in 52 days") == 1
    assert "check: 0 errors, 1 warning in 2 files" in result.output


def test_an_overdue_build_gives_checks_verdict_and_installs_the_leaflet(
        leaflet_dir: Path, tmp_path: Path) -> None:
    # The low-vision user test's finding 8: the build said "0 errors, 1 warning", check
    # "1 error" of the same output. Both now say it is an error and exit 1; the build still
    # writes and installs the leaflet, whose first page says it is out of date.
    out = tmp_path / "out"
    result = run("build", *build_args(leaflet_dir, out, "--today", "2026-11-23"))
    assert result.exit_code == 1, said(result)
    assert result.stderr.count("OUT OF DATE") == 1  # the source's warning, with what to do
    assert "(1462 days ago); have the information reviewed" in result.stderr
    verdict = "error: review: OUT OF DATE: the next review was due on 22 November 2022 " \
        "(1462 days ago) [review-overdue]"
    assert verdict in result.output
    assert result.output.splitlines()[-1] == "check: 1 error, 0 warnings in 2 files"
    folder = out / "leptomeningeal-metastases" / "en-GB"
    notice = docx.Document(str(next(folder.glob("*.docx")))).paragraphs[1]
    assert notice.style is not None and notice.style.name == "Out of date notice"
    checked = run("check", str(out), "--today", "2026-11-23")
    assert checked.exit_code == 1, said(checked)
    assert verdict in checked.output
    assert checked.output.splitlines()[-1] == "check: 1 error, 0 warnings in 2 files"
    again = run("build", *build_args(leaflet_dir, out, "--today", "2026-11-23"))  # up to date
    assert again.exit_code == 1, said(again)
    assert "0 written, 1 up to date" in again.output and verdict in again.output
    # The next day the stamp is old, so the full build runs and reuses every format: the
    # first nightly build of each day must give the same verdict (it exited 0).
    next_day = run("build", *build_args(leaflet_dir, out, "--today", "2026-11-24"))
    assert next_day.exit_code == 1, said(next_day)
    assert "0 written, 1 up to date" in next_day.output
    assert verdict.replace("1462", "1463") in next_day.output
    shutil.rmtree(out / ".stamps", ignore_errors=True)  # the stamp lost: the full build too
    lost = run("build", *build_args(leaflet_dir, out, "--today", "2026-11-24"))
    assert lost.exit_code == 1, said(lost)
    assert "0 written, 1 up to date" in lost.output


def test_validate_counts_sections_with_the_right_plural(minimal: Path) -> None:
    text = (minimal / "en-GB.md").read_text(encoding="utf-8")
    one = tmp = minimal.parent / "one-section"
    shutil.copytree(minimal, tmp)
    (one / "en-GB.md").write_text(text.split("## Second section")[0], encoding="utf-8")
    yaml = one / "leaflet.yaml"  # its own id: two leaflets with one id are refused
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("id: minimal-leaflet",
                                                             "id: one-section"), encoding="utf-8")
    result = run("validate", str(minimal), str(one))
    assert result.exit_code == 0, said(result)
    assert "(minimal-leaflet, en-GB, 2 sections)" in result.output
    assert "(one-section, en-GB, 1 section)" in result.output


def test_validate_refusal_does_not_talk_of_writing(minimal: Path, tmp_path: Path) -> None:
    yaml = minimal / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("id: minimal-leaflet", "id: Bad"),
                    encoding="utf-8")
    result = run("validate", str(minimal))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: 1 problem in the content."
    built = run("build", *build_args(minimal, tmp_path / "out"))
    assert built.exit_code == 1
    assert built.stderr.splitlines()[-1] == (
        "Error: 1 problem in the content; nothing was written.")


def test_check_summary_plurals(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", *build_args(minimal, out)).exit_code == 0
    result = run("check", str(out))
    assert result.exit_code == 0, said(result)
    assert result.output.splitlines()[-1] == "check: 0 errors, 0 warnings in 2 files"
    assert run("check", str(out), "-q").output == ""


# --- format names where leaflet folders go (the braille user test's finding 7) ---------------


@pytest.mark.parametrize("command", ["build", "watch"])
def test_a_format_after_format_is_a_usage_error_before_anything_is_built(
    minimal: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    result = run(command, str(minimal), "--format", "pdf", "docx", "audio", "--out", str(out))
    assert result.exit_code == 2, said(result)
    assert "Error: 'docx' is a format: write --format docx for each format" in result.stderr
    assert "problem" not in said(result) and "Traceback" not in said(result)
    assert not out.exists()


def test_a_leaflet_folder_named_like_a_format_is_still_built(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(minimal, tmp_path / "docx")
    monkeypatch.chdir(tmp_path)
    result = run("build", *build_args(Path("docx"), tmp_path / "out"))
    assert result.exit_code == 0, said(result)
    assert list((tmp_path / "out").rglob("*.docx"))


def test_a_build_of_two_leaflets_says_the_tts_auto_warning_once(tmp_path: Path) -> None:
    """The braille user test's finding 8: the gTTS-unreachable warning was said once per
    leaflet. Google is made unreachable at the network's edge (a proxy that refuses), and the
    leaflets are narrated in two forked writer processes, as a real build does."""
    env = os.environ | {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
                        "NO_PROXY": "", "PYTHONPATH": str(ROOT / "src")}
    args = [sys.executable, "-m", "lmets_docs", "build", str(MINIMAL), str(DATA / "short-leaflet"),
            "--format", "audio", "--tts", "auto", "--jobs", "2", "--out", str(tmp_path / "out"),
            "--cache", str(tmp_path / "cache"), "--templates", str(tmp_path / "no"),
            "--today", DUE_SOON]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    # Google's answer once, then the voice chosen once (both leaflets are en-GB)
    assert done.stderr.count("--tts auto: ") == 2, done.stderr
    assert done.stderr.count("--tts auto: gTTS cannot reach Google Translate") == 1
    assert len(list((tmp_path / "out").rglob("transcript.txt"))) == 2
