"""``--tts auto`` asks Google once per build, however many leaflet languages it narrates
(ut-library 3: a library's cron build waited for a dropped request once per leaflet).

The network edge is faked (as everywhere gTTS is tested): each ask of Google waits as a
dropped connection does, then fails, and is counted in a file, from whichever process asks.
The rest is real: the command line, the writer processes, espeak-ng's narration.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.check.test_library import make_library

DROPPED = """
import os, runpy, sys, time
import lmets_docs.speech.gtts as gtts
ASKED = sys.argv.pop(1)
def probe(self):
    with open(ASKED, "a") as asked:
        asked.write(f"{os.getpid()} {self.tld}\\n")
    time.sleep(1.0)  # a dropped connection: the time-out
    return "Connection to translate.google timed out"
gtts.Gtts.probe = probe
runpy.run_module("lmets_docs", run_name="__main__")
"""
"""The command line with every ask of Google dropped; each ask is a line of the file named
first."""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_google_is_asked_once_per_build_and_its_answer_said_once(
        tmp_path: Path, jobs: str) -> None:
    content = make_library(tmp_path)
    welsh = content / "a" / "cy.md"  # another language: another Google host (.com)
    welsh.write_text((content / "a" / "en-GB.md").read_text(encoding="utf-8")
                     .replace("lang: en-GB", "lang: cy"), encoding="utf-8")
    asked = tmp_path / "asked"
    built = subprocess.run(
        [sys.executable, "-c", DROPPED, str(asked), "build", str(content), "--format", "audio",
         "--tts", "auto", "--jobs", jobs, "--out", str(tmp_path / "out"), "--templates",
         str(tmp_path / "none"), "--today", "2026-01-01"],
        capture_output=True, text=True, check=False, timeout=600)
    assert built.returncode == 0, built.stderr
    assert len(asked.read_text(encoding="utf-8").splitlines()) == 1  # 4 leaflet languages
    said = [line for line in built.stderr.splitlines() if "--tts auto" in line]
    host = asked.read_text(encoding="utf-8").split()[1]  # the first to ask: en-GB's or cy's
    assert said[0] == (f"WARNING: --tts auto: gTTS cannot reach Google Translate "
                       f"(translate.google.{host}): Connection to translate.google timed out"
                       ), said  # said once, for the whole build
    voices = sorted(line.rsplit(" ", 2)[1] for line in said[1:])  # "… espeak-ng 1.51 (cy) instead"
    assert voices == ["(cy)", "(en-gb)"], said
    assert all("Google" not in line for line in said[1:]), said
    for name in ("a", "b", "c"):
        assert (tmp_path / "out" / name / "en-GB" / "audio").is_dir()
    assert (tmp_path / "out" / "a" / "cy" / "audio").is_dir()
