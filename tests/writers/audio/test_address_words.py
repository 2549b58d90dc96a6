"""Email and web addresses said mark by mark (the braille user test's finding 3).

"ward7-day.unit@example.org" was said "ward seven day dot unit at example dot org": espeak-ng
says nothing for a hyphen, so a listener typed "ward7day", and the Welsh voice said "pwynt"
for the dot in the name but "dot" for the one in the domain. Every hyphen and dot of an
address is now said in the fact catalogue's word, in the name as in the domain and the path,
and the transcript shows those words. Proved on a real espeak-ng narration: the transcript
read back, and espeak-ng's own phonemes (``-x``) for its lines.
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from lmets_docs.build import build
from lmets_docs.facts import email_spoken, web_spoken
from lmets_docs.options import BuildOptions
from tests.conftest import DATA

MARKS = DATA / "address-marks"
TODAY = dt.date(2026, 12, 1)
SAID = {
    "en-GB": ("ward7 hyphen day dot unit at example dot org",
              "www dot example dot org slash services slash cancer slash ward hyphen 7"),
    "cy": ("ward7 cysylltnod day dot unit at example dot org",
           "www dot example dot org blaen slaes services blaen slaes cancer blaen slaes "
           "ward cysylltnod 7"),
}


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return the transcript of each language of the fixture, narrated by espeak-ng."""
    out = tmp_path_factory.mktemp("marks") / "out"
    build([MARKS], BuildOptions(out=out, formats=("audio",), jobs=1, today=TODAY,
                                templates=None, tts="espeak", check=False))
    return {lang: (out / "address-marks" / lang / "audio" / "transcript.txt")
            .read_text(encoding="utf-8") for lang in SAID}


def phonemes(text: str, voice: str) -> str:
    """Return espeak-ng's phonemes for ``text`` (``espeak-ng -v VOICE -q -x``)."""
    return subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", text], capture_output=True,
                          text=True, check=True).stdout


def said_line(transcript: str, start: str) -> str:
    """Return the transcript's line that starts with ``start`` (the contact's email line)."""
    return next(line for line in transcript.splitlines() if line.startswith(start))


@pytest.mark.parametrize("lang", SAID)
def test_the_transcript_says_every_hyphen_and_dot(transcripts: dict[str, str],
                                                  lang: str) -> None:
    text = transcripts[lang]
    email, web = SAID[lang]
    assert text.count(email) == 2, text  # in the text and in the contacts
    assert text.count(web) == 2, text
    assert "ward7-day" not in text and "ward-7" not in text and "unit." not in text


def test_espeak_says_hyphen_and_one_word_for_every_dot_in_english(
        transcripts: dict[str, str]) -> None:
    line = said_line(transcripts["en-GB"], "Ward 7 day unit: email")
    said = phonemes(line, "en-gb")
    assert said.count("h'aIf@n") == 1, said  # "hyphen"
    assert said.count("d'0t") == 2, said  # "dot" in the name and in the domain
    web = phonemes(SAID["en-GB"][1], "en-gb")
    assert web.count("h'aIf@n") == 1 and web.count("sl'aS") == 3, web
    # the oracle: the address as it was said before (the hyphen silent)
    assert "h'aIf@n" not in phonemes("ward7-day.unit at example dot org", "en-gb")


def test_the_welsh_voice_says_cysylltnod_and_dot_never_pwynt(
        transcripts: dict[str, str]) -> None:
    line = said_line(transcripts["cy"], "Uned ddydd Ward 7: e-bost")
    said = phonemes(line, "cy")
    assert said.count("kVs'Vl#tnOd") == 1, said  # "cysylltnod"
    assert said.count("d'Ot") == 2 and "p'uYnt" not in said, said
    # the oracle: a dot left in the name was "pwynt"
    assert "p'uYnt" in phonemes("ward7-day.unit at example dot org", "cy")


@pytest.mark.parametrize(("lang", "email", "web"), [
    ("ur", "ward7 ڈیش day ڈاٹ unit ایٹ example ڈاٹ org",
     "www ڈاٹ example ڈاٹ org سلیش ward ڈیش 7"),
    ("ar", "ward7 شرطة day نقطة unit آت example نقطة org",
     "www نقطة example نقطة org شرطة مائلة ward شرطة 7"),
])
def test_urdu_and_arabic_say_the_marks_in_their_draft_words(lang: str, email: str,
                                                             web: str) -> None:
    assert email_spoken("ward7-day.unit@example.org", lang) == email
    assert web_spoken("www.example.org/ward-7", lang) == web


def test_a_language_without_the_words_keeps_the_address_as_written() -> None:
    assert email_spoken("ward7-day.unit@example.org", "de") == "ward7-day.unit@example.org"
    assert web_spoken("www.example.org/ward-7", "de") == "www.example.org/ward-7"
