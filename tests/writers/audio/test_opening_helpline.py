"""The narration's opening gives the main helpline, as page 1 of the print does.

A listener in a podcast player hears the number and its hours within the first half-minute,
not after four minutes of treatment detail (user test ut-lowvision, finding 4). With several
contacts the opening gives the main one and says in which part the others are. Real builds
with espeak-ng; the transcript, the MP3's tags and the manifest are read back from the files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3

from lmets_docs.build import build
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from lmets_docs.writers.audio.script import build_script
from tests.conftest import BEFORE_DUE, DATA, run_cli

TODAY = dt.date(2026, 1, 5)
"""A day on which the clinic's leaflet is not due for review."""
FIRST_40_S_MS = 40_000
"""Before this: the number and hours come after the review date and, in this overdue leaflet,
the out-of-date warning (the EPUB's first document shows them in that order); at 4:06 before
the opening said them."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Narrate the minimal leaflet (one contact) and the clinic's (three) with espeak-ng."""
    root = tmp_path_factory.mktemp("opening")
    options = BuildOptions(out=root / "output", formats=("html",), tts="espeak", jobs=2,
                           today=BEFORE_DUE, templates=None, cache_dir=root / "cache")
    build([DATA / "minimal"], options)
    build([DATA / "clinic-contacts"], dataclasses.replace(options, today=TODAY))
    return root / "output"


def audio(folder: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Return the narration's files and details from a language folder's manifest."""
    entry = read_manifest(folder).artifacts["audio"]
    return entry.files, entry.details


def opening(transcript: str) -> str:
    """Return the first chapter of a transcript (up to the second ``## 2.`` heading)."""
    return transcript.split("\n## 2. ", 1)[0]


def chapter_starts_ms(mp3: Path) -> list[int]:
    """Return where each chapter starts, from the MP3's own CHAP frames (mutagen)."""
    tags: Any = ID3(mp3)  # type: ignore[no-untyped-call]
    return sorted(int(frame.start_time) for frame in tags.getall("CHAP"))


def test_the_opening_says_the_helpline_number_and_hours_in_the_first_40_seconds(
        built: Path) -> None:
    folder = built / "minimal-leaflet" / "en-GB"
    files, details = audio(folder)
    facts = formatter(load_leaflet(DATA / "minimal", "en-GB"))
    first = opening((folder / files["transcript"]).read_text(encoding="utf-8"))
    assert "Example support line: to talk to someone, call" in first
    assert "Lines are open" in first
    tags: Any = ID3(folder / files["narration"])  # type: ignore[no-untyped-call]
    lyrics = opening(str(tags.getall("USLT")[0]))
    assert lyrics == first
    second_chapter = chapter_starts_ms(folder / files["narration"])[1]
    said = {c["fact"]: c for c in reversed(details["spoken_facts"])}  # each fact's first clip
    for name in ("contacts.helpline.phone", "contacts.helpline.hours"):
        clip = said[name]
        assert clip["end_ms"] < min(second_chapter, FIRST_40_S_MS), clip
        assert facts.spoken(name) in clip["text"]  # the same slow, spoken form as later
    assert [c["fact"] for c in details["spoken_facts"]].count("contacts.helpline.phone") == 3


def test_with_several_contacts_the_opening_gives_the_main_one_and_the_part_of_the_others(
        built: Path) -> None:
    folder = built / "clinic-contacts" / "en-GB"
    files, details = audio(folder)
    facts = formatter(load_leaflet(DATA / "clinic-contacts", "en-GB"))
    main, *others = facts.contact_ids()
    tracks: Any = ID3(folder / files["narration"])  # type: ignore[no-untyped-call]
    parts = len(tracks.getall("CHAP"))
    first = opening((folder / files["transcript"]).read_text(encoding="utf-8"))
    assert f"{facts.printed(f'contacts.{main}.name')}: to talk to someone, call" in first
    assert f"The other {len(others)} contacts are in part {parts}." in first
    heard = [c["fact"] for c in details["spoken_facts"]
             if c["end_ms"] < chapter_starts_ms(folder / files["narration"])[1]]
    assert f"contacts.{main}.phone" in heard
    assert not [n for n in heard for o in others if n.startswith(f"contacts.{o}.")]


@pytest.mark.parametrize(("lang", "pointer"), [
    ("cy", "Mae'r cysylltiad arall yn rhan 4."),
    ("ur", "دوسرا رابطہ حصہ 4 میں ہے\u06d4"),
    ("ar", "جهة الاتصال الأخرى في الجزء 4."),
])
def test_the_opening_gives_the_helpline_in_every_narrated_language(
        lang: str, pointer: str) -> None:
    leaflet = load_leaflet(DATA / "switchboard", lang)
    facts = formatter(leaflet)
    script = build_script(leaflet, TODAY, 150.0)
    said = [seg.text for seg in script.chapters[0].segments]
    number = facts.spoken("helpline.phone")
    slow = [seg for seg in script.chapters[0].segments if seg.slow]
    assert len(slow) == 1 and slow[0].text.startswith(number)
    assert any(facts.spoken("helpline.hours") in text for text in said)
    assert said[said.index(pointer) - 1].endswith(
        facts.spoken("helpline.hours") + ("." if lang != "ur" else "\u06d4"))
    assert not any("to talk to someone" in text or "other contact" in text for text in said)


run = run_cli
"""Run the command line in-process (``tests.conftest.run_cli``)."""


def test_a_wrong_digit_in_the_openings_number_fails_the_check_at_its_line(
        built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built / "minimal-leaflet", out / "minimal-leaflet")
    folder = out / "minimal-leaflet" / "en-GB"
    transcript = folder / audio(folder)[0]["transcript"]
    text = transcript.read_text(encoding="utf-8")
    printed = formatter(load_leaflet(DATA / "minimal", "en-GB")).printed("helpline.phone")
    said = formatter(load_leaflet(DATA / "minimal", "en-GB")).spoken("helpline.phone")
    shown = printed if printed in opening(text) else said
    wrong = shown[:-1] + ("1" if shown[-1] != "1" else "2")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if shown in ln)
    assert "\n## 2. " in text.split(shown, 1)[1]  # the first place is in the opening
    transcript.write_text(text.replace(shown, wrong, 1), encoding="utf-8")
    code, stdout, stderr = run(["check", str(out), "--json", "--today", BEFORE_DUE.isoformat()])
    assert "Traceback" not in stderr
    report = json.loads(stdout)
    found = [f for f in report["findings"] if f["code"] == "fact-phone"]
    assert code == 1 and len(found) == 1, report["findings"]
    assert found[0]["place"] == f"chapter 1 'Introduction', transcript.txt line {line}"
    assert "is not the helpline's" in found[0]["message"]
