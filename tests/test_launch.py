"""The unchanged build's shortcut (``launch``): what ``cli`` says, without click; else ``cli``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmets_docs import launch
from lmets_docs.cli import cli

from .conftest import DATA

DUE_SOON = "2027-12-15"  # the minimal leaflet is due for review in 31 days: a warning to say
OVERDUE = "2028-02-01"  # overdue then: an error, which ``cli`` says (the shortcut does not)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """Return a copy of the minimal leaflet and an output folder it was built into (DOCX)."""
    leaflet = Path(shutil.copytree(DATA / "minimal", tmp_path / "content" / "minimal-leaflet"))
    out = tmp_path / "out"
    first = CliRunner(mix_stderr=False).invoke(cli, ["build", *_args(leaflet, out)])
    assert first.exit_code == 0, first.stderr
    return leaflet, out


def _args(leaflet: Path, out: Path) -> list[str]:
    return [str(leaflet), "--format", "docx", "--out", str(out), "--templates",
            str(out / "none"), "--today", DUE_SOON]


def _by_cli(argv: list[str]) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(cli, argv)
    return result.exit_code, result.stdout, result.stderr


def _by_shortcut(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[bool, str, str]:
    capsys.readouterr()
    took = launch.shortcut(argv)
    said = capsys.readouterr()
    return took, said.out, said.err


@pytest.mark.parametrize("form", [
    "plain", "quiet before", "quiet after", "verbose", "-vv", "--name=value", "--lang",
])
def test_an_unchanged_build_says_what_cli_says(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str], form: str
) -> None:
    leaflet, out = built
    args = _args(leaflet, out)
    argv = {
        "plain": ["build", *args],
        "quiet before": ["-q", "build", *args],
        "quiet after": ["build", *args, "--quiet"],
        "verbose": ["--verbose", "build", *args, "-v"],
        "-vv": ["build", "-vv", *args],
        "--name=value": ["build", str(leaflet), "--format=docx", f"--out={out}",
                         f"--templates={out / 'none'}", f"--today={DUE_SOON}", "--jobs=1"],
        "--lang": ["build", *args, "--lang", "en-GB", "--tts", "espeak"],
    }[form]
    code, stdout, stderr = _by_cli(argv)
    took, out_said, err_said = _by_shortcut(argv, capsys)
    assert code == 0 and took
    assert (out_said, err_said) == (stdout, stderr)
    assert ("0 written, 1 up to date" in out_said) == ("quiet" not in form)
    assert "WARNING: " in err_said


@pytest.mark.parametrize("argv", [
    ["--help"], ["--version"], ["build", "--help"], ["check"], ["validate"], [], ["-x", "build"],
    ["build", "--voice", "v.onnx"], ["build", "--listen"], ["build", "--scheduler", "dask"],
    ["build", "--jobs", "0"], ["build", "--jobs", "two"], ["build", "--format", "nope"],
    ["build", "--out"], ["build", "--out", "--lang", "cy"], ["build", "--out="],
    ["build", "--today", "2026-13-01"], ["build", "--"], ["build", "-"],
    ["--lang", "cy", "build"],
])
def test_anything_else_goes_to_cli_without_a_word(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _by_shortcut(argv, capsys) == (False, "", "")


def test_a_changed_build_goes_to_cli_without_a_word(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    leaflet, out = built
    text = next(leaflet.glob("*.md"))
    text.write_text(text.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert _by_shortcut(["build", *_args(leaflet, out)], capsys) == (False, "", "")
    code, stdout, _ = _by_cli(["build", *_args(leaflet, out)])
    assert code == 0 and "1 written, 0 up to date" in stdout


def test_an_overdue_unchanged_build_goes_to_cli_which_gives_checks_verdict(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    leaflet, out = built
    argv = ["build", *_args(leaflet, out)[:-1], OVERDUE]
    assert CliRunner(mix_stderr=False).invoke(cli, argv).exit_code == 1  # written: an error
    assert _by_shortcut(argv, capsys) == (False, "", "")
    code, stdout, stderr = _by_cli(argv)
    assert code == 1, stderr
    assert "0 written, 1 up to date" in stdout
    assert "error: review: OUT OF DATE: the next review was due on 15 January 2028" in stdout
    assert stdout.splitlines()[-1] == "check: 1 error, 0 warnings in 1 file"
    checked = _by_cli(["check", str(out), "--today", OVERDUE])
    assert checked[0] == 1 and "[review-overdue]" in checked[1] and "check: 1 error" in checked[1]


def test_the_console_script_says_it_without_importing_click(built: tuple[Path, Path]) -> None:
    leaflet, out = built
    probe = ("import sys; sys.argv = ['lmets-docs', *sys.argv[1:]]; from lmets_docs import launch\n"
             "try:\n    launch.command()\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
             "assert 'click' not in sys.modules, 'click was imported'\n"
             "assert '_strptime' not in sys.modules, '--today was read by strptime'")
    ran = subprocess.run([sys.executable, "-c", probe, "build", *_args(leaflet, out)],
                         capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert (0, ran.stdout, ran.stderr) == _by_cli(["build", *_args(leaflet, out)])
    module = subprocess.run([sys.executable, "-m", "lmets_docs", "build", *_args(leaflet, out)],
                            capture_output=True, text=True, check=False)
    assert (module.returncode, module.stdout, module.stderr) == (0, ran.stdout, ran.stderr)



@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.dates().map(dt.date.isoformat),
                 st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}\Z"),
                 st.text(alphabet="0123456789-+ T:\u0663\uff11", max_size=12)))
def test_a_day_is_read_as_click_reads_it(value: str) -> None:
    """``--today``: the same day as ``strptime("%Y-%m-%d")`` (click's reading), or refused."""
    try:
        expected: dt.date | None = dt.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        expected = None
    try:
        read: dt.date | None = launch._day(value)
    except ValueError:
        read = None
    assert read == expected


OPTION_PAIRS = [["--lang", "en-GB"], ["--lang", "cy"], ["--lang=cy"], ["--format", "docx"],
                ["--format", "pdf"], ["--format=audio"], ["--jobs", "2"], ["--jobs=1"],
                ["--tts", "gtts"], ["--tts", "espeak"], ["--profile", "large"],
                ["--profile", "giant"], ["--speech-rate", "slow"], ["--today", "2022-06-01"],
                ["--today", OVERDUE], ["-q"], ["-v"], ["--quiet"]]
"""Well-formed options, each of which may or may not change what is up to date."""
JUNK = ["--", "-", "=", "--out", "--out=", "--format=", "--jobs", "0", "65", "two", "huge",
        "2026-02-30", "x\x00y", "\u202e", " ", "--voice", "--listen", "-x", "build", "check"]
"""Tokens that are not a well-formed option where they land."""


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(OPTION_PAIRS), st.sampled_from(JUNK).map(lambda j: [j]),
                          st.text(max_size=6).map(lambda j: [j])), max_size=5))
def test_any_argument_list_is_said_as_cli_says_it_or_left_to_cli(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str], extra: list[list[str]]
) -> None:
    """Fuzz: the shortcut never raises, and either stays silent or says exactly what cli says."""
    leaflet, out = built
    argv = ["build", *_args(leaflet, out), *(token for chunk in extra for token in chunk)]
    took, out_said, err_said = _by_shortcut(argv, capsys)
    if not took:
        assert (out_said, err_said) == ("", "")
        return
    assert _by_cli(argv) == (0, out_said, err_said)


@pytest.mark.parametrize("where", ["leaflet", "templates"])
def test_a_file_named_in_bytes_that_are_not_utf8_is_stamped_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    leaflet = Path(shutil.copytree(DATA / "minimal", tmp_path / "content" / "minimal-leaflet"))
    out = tmp_path / "out"
    folder = {"leaflet": leaflet, "templates": out / "none"}[where]  # --templates (_args)
    folder.mkdir(parents=True, exist_ok=True)
    os.close(os.open(os.fsencode(folder) + b"/notes-\xff.txt", os.O_CREAT | os.O_WRONLY))
    first = CliRunner(mix_stderr=False).invoke(cli, ["build", *_args(leaflet, out)])
    assert (first.exit_code, first.exception) == (0, None), first.stderr
    took, said, _ = _by_shortcut(["build", *_args(leaflet, out)], capsys)
    assert took
    assert "1 up to date" in said


LEAVING = """
import atexit, sys, threading, time
from lmets_docs import launch
class Torn:
    def __del__(self):
        sys.stderr.write("torn down\\n")
kept = Torn()
atexit.register(lambda: sys.stdout.write("handler ran\\n"))
if sys.argv[2] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), print("thread done"))).start()
sys.stdout.write("said ")  # a pipe: block-buffered, so only the flush writes it
launch.leave(3) if sys.argv[1] == "leave" else sys.exit(3)
"""


def _leaving(how: str, thread: str = "") -> subprocess.CompletedProcess[str]:
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", LEAVING, how, thread or "none"],
                          capture_output=True, text=True, check=False, env=buffered)


def test_leaving_runs_the_exit_handlers_flushes_and_skips_the_teardown() -> None:
    """The console script ends with ``leave``: the kernel frees the process at once."""
    left, exited = _leaving("leave"), _leaving("exit")
    assert (exited.returncode, exited.stdout, exited.stderr) == (3, "said handler ran\n",
                                                                "torn down\n")
    assert (left.returncode, left.stdout, left.stderr) == (3, "said handler ran\n", "")


def test_leaving_waits_for_a_running_thread_as_python_does() -> None:
    left = _leaving("leave", "thread")
    assert left.returncode == 3
    assert left.stdout.splitlines() == ["said thread done", "handler ran"]


def _exits(code: object) -> None:
    sys.exit(code)  # type: ignore[arg-type]  # any object, as sys.exit takes


@pytest.mark.parametrize(("run", "code", "said"), [
    (lambda: None, 0, ""), (lambda: _exits(None), 0, ""), (lambda: _exits(0), 0, ""),
    (lambda: _exits(4), 4, ""), (lambda: _exits("no such folder"), 1, "no such folder\n")])
def test_status_is_what_python_would_exit_with(
    run: Callable[[], None], code: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert launch.status(run) == code
    assert capsys.readouterr().err == said


def test_any_other_exception_goes_on() -> None:
    def fail() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        launch.status(fail)


def test_the_console_script_s_status_and_words(tmp_path: Path) -> None:
    """Bad input through the real entry point: its message, status 1, nothing written."""
    ran = subprocess.run([sys.executable, "-m", "lmets_docs", "build", str(tmp_path / "none"),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True,
                         check=False)
    assert ran.returncode == 1
    assert "no such leaflet folder" in ran.stderr and "nothing was written" in ran.stderr
    assert not (tmp_path / "out").exists()
