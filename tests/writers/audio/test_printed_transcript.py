"""The transcript, the captions and the MP3's lyrics write the number and hours as printed.

The voice is given "0 2 0, 7 9 4 6, 0 0 0 0" and "10 a.m. to 4:30 p.m." (said slowly, digit
by digit); a reader of the captions or the transcript sees "020 7946 0000" and "10 am to
4:30 pm", as on the page (user test ut-lowvision, finding 6). A real build with espeak-ng;
the VTT files, ``transcript.txt``, the MP3s' USLT frames (mutagen) and the manifest are read
back, and each number's cue is shown to cover the very stretch of sound the number is said in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from lmets_docs.build import build
from lmets_docs.cli import cli
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from lmets_docs.writers.audio.script import as_printed, build_script
from lmets_docs.writers.audio.timing import ENCODER_DELAY
from tests.conftest import BEFORE_DUE, DATA

LEAFLET = DATA / "minimal"
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)$",
                 re.MULTILINE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal leaflet's web page (and so its narration) with espeak-ng."""
    root = tmp_path_factory.mktemp("printed")
    build([LEAFLET], BuildOptions(out=root / "output", formats=("html",), tts="espeak", jobs=2,
                                  today=BEFORE_DUE, templates=None, cache_dir=root / "cache"))
    return root / "output" / "minimal-leaflet" / "en-GB"


def forms() -> dict[str, tuple[str, str]]:
    """Return the helpline's number and hours, (said, printed)."""
    facts = formatter(load_leaflet(LEAFLET, "en-GB"))
    return {name: (facts.spoken(name), facts.printed(name))
            for name in ("helpline.phone", "helpline.hours")}


def tags(mp3: Path) -> Any:
    """Return an MP3's ID3 tag as mutagen reads it."""
    return ID3(mp3)  # type: ignore[no-untyped-call]


def cues(vtt: Path) -> list[tuple[float, float, str]]:
    """Return a WebVTT file's cues: start and end in seconds, and text."""
    found = []
    for match in CUE.finditer(vtt.read_text(encoding="utf-8")):
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups()[:8])
        found.append((h1 * 3600 + m1 * 60 + s1 + ms1 / 1000,
                      h2 * 3600 + m2 * 60 + s2 + ms2 / 1000, match.group(9)))
    return found


def test_the_transcript_and_every_lyrics_tag_write_the_printed_forms(folder: Path) -> None:
    entry = read_manifest(folder).artifacts["audio"]
    transcript = (folder / entry.files["transcript"]).read_text(encoding="utf-8")
    lyrics = {rel: "\n".join(str(frame) for frame in tags(folder / rel).getall("USLT"))
              for rel in entry.files.values() if rel.endswith(".mp3")}
    (said_phone, phone), (said_hours, hours) = forms().values()
    assert (said_phone, said_hours) == ("0 2 0, 7 9 4 6, 0 0 0 0",
                                        "10 a.m. to 4:30 p.m., Monday to Thursday")
    assert transcript.count(f"call {phone}.") == 2  # the opening and the closing
    assert transcript.count(f"{hours}.") == 3  # the opening, the text, the closing
    for text in (transcript, *lyrics.values()):
        assert said_phone not in text and "a.m." not in text and "p.m." not in text
    assert lyrics[entry.files["narration"]] == transcript
    tracks = [text for rel, text in sorted(lyrics.items()) if rel != entry.files["narration"]]
    assert all(line in transcript for text in tracks for line in text.splitlines())
    assert sum(text.count(phone) for text in tracks) == 3


def test_the_captions_write_the_printed_forms_over_the_sound_of_the_number(
        folder: Path) -> None:
    entry = read_manifest(folder).artifacts["audio"]
    (said_phone, phone), (_, hours) = forms().values()
    vtts = sorted((folder / "html" / "captions").glob("*.vtt"))
    assert len(vtts) == len([r for r in entry.files.values() if r.endswith(".mp3")])
    for vtt in vtts:
        text = vtt.read_text(encoding="utf-8")
        assert said_phone not in text and "a.m." not in text
    whole = cues(folder / "html" / "captions" / "minimal-leaflet-narration.vtt")
    numbers = [(start, end) for start, end, text in whole if text == f"{phone}."]
    starts = [start for start, _, _ in whole]
    assert any(text.startswith(f"Lines are open {hours}") for _, _, text in whole)
    clips = [c for c in entry.details["spoken_facts"] if c["fact"] == "contacts.helpline.phone"]
    assert len(numbers) == len(clips) == 3
    delay_s = ENCODER_DELAY / 22050
    for (start, end), clip in zip(numbers, clips, strict=True):
        # the clip (the manifest's, from the words said) is the line the number is heard in:
        # a cue starts where it starts, and the number's cue lies inside it
        assert clip["expected"] == said_phone and said_phone in clip["text"]
        assert min(abs(clip["start_ms"] / 1000 + delay_s - at) for at in starts) <= 0.002
        assert clip["start_ms"] / 1000 - 0.002 <= start - delay_s
        assert end - delay_s <= clip["end_ms"] / 1000 + 0.002

def test_the_engine_is_still_given_the_number_as_said() -> None:
    leaflet = load_leaflet(LEAFLET, "en-GB")
    (said_phone, phone), (said_hours, hours) = forms().values()
    slow = [seg for seg in build_script(leaflet, BEFORE_DUE, 60.0).segments() if seg.slow]
    assert [(s.text, s.speech, s.written) for s in slow] == [
        (f"{said_phone}.", f"{said_phone}.", f"{phone}.")] * 3
    hours_said = [s for s in build_script(leaflet, BEFORE_DUE, 60.0).segments()
                  if said_hours in s.speech]
    assert hours_said and all(hours in s.written for s in hours_said)


@pytest.mark.parametrize(("text", "written"), [
    ("Lines are open 9 a.m. to 5 p.m.", "Lines are open 9 am to 5 pm."),
    ("9 a.m. to 5 p.m.", "9 am to 5 pm."),
    ("From 9 a.m. to 5 p.m. we answer.", "From 9 am to 5 pm we answer."),
    ("Call 0 8 0 8, 8 0 0, 4 0 4 0 or 0 8 0 8, 8 0 0, 4 0 4 0.",
     "Call 0808 800 4040 or 0808 800 4040."),
    ("No facts here.", "No facts here."),
])
def test_as_printed_keeps_the_sentences_own_full_stop(text: str, written: str) -> None:
    said: Any = [("0 8 0 8, 8 0 0, 4 0 4 0", "0808 800 4040"),
                 ("9 a.m. to 5 p.m.", "9 am to 5 pm")]
    assert as_printed(text, said) == written


def test_check_finds_every_fact_in_the_printed_transcript(folder: Path) -> None:
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["check", str(folder.parent.parent), "--json", "--today", BEFORE_DUE.isoformat()])
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["errors"] == 0, report["findings"]
    audio = [f for f in report["findings"] if "narration" in f["file"] or "audio" in f["file"]]
    assert audio == []
