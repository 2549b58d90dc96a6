"""``check`` parses each MP3's ID3 tag once, and never trusts a parse of a tag since changed.

A check reads the narration's tag for its transcript, its chapters and its review dates, and
each track's for what a player shows and its source hash: one parse each. The parses are
kept by the very bytes mutagen reads, so an edit that keeps the file's size (and lands in
the same clock tick) is still seen.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3, TXXX

from lmets_docs.build import build
from lmets_docs.check import audio_tags, check
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count mutagen's parses of an ID3 tag made by the check (the real parser, counted)."""
    calls: list[str] = []

    def counted(source: Any) -> Any:
        calls.append(str(source))
        return ID3(source)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(audio_tags, "ID3", counted)
    return calls


def test_each_tag_is_parsed_once_and_again_only_when_changed(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    folder = next(options.out.glob("*/en-GB"))
    mp3s = sorted((folder / "audio").glob("*.mp3"))
    narration = next(p for p in mp3s if p.name.endswith("-narration.mp3"))
    audio_tags._parsed.clear()
    parses = _parses(monkeypatch)
    assert check([folder], BEFORE_DUE, thorough=False).errors == []
    assert len(parses) == len(mp3s) > 2  # the narration and every track, once each

    # The same length, the same size: only the bytes differ.
    tags: Any = ID3(narration)  # type: ignore[no-untyped-call]
    due = str(tags.getall("TXXX:LAST_REVIEWED")[0].text[0])
    wrong = due[:-1] + ("1" if due[-1] != "1" else "2")
    before = narration.stat().st_size
    tags.add(TXXX(encoding=3, desc="LAST_REVIEWED", text=wrong))  # type: ignore[no-untyped-call]
    tags.save(narration, v2_version=3)
    assert narration.stat().st_size == before
    parses.clear()
    report = check([folder], BEFORE_DUE, allow_edited=True, thorough=False)
    assert len(parses) == 1, parses  # that one file, parsed again
    found = [f for f in report.errors if f.code == "fact-date" and "LAST_REVIEWED" in f.place]
    assert found and wrong in found[0].message, report.text()


def test_a_narration_with_many_tracks_is_parsed_once_a_file(
        options: BuildOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """50 tags, as a leaflet 8 times the seed's has: each parsed once however often it is read
    (a cache of 32 parses forgot each before it was read again); beyond the byte budget the
    parses are forgotten, and a tag is still read right."""
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    track = next(options.out.glob("*/en-GB/audio/01-*.mp3"))
    paths = []
    for number in range(50):
        path = tmp_path / f"{number:02d}.mp3"
        path.write_bytes(track.read_bytes())
        tags: Any = ID3(path)  # type: ignore[no-untyped-call]
        tags.add(TXXX(encoding=3, desc="NUMBER", text=str(number)))  # type: ignore[no-untyped-call]
        tags.save(path, v2_version=3)
        paths.append(path)
    audio_tags._parsed.clear()
    parses = _parses(monkeypatch)
    for _reading in range(3):
        numbers = [str(audio_tags.id3(path).getall("TXXX:NUMBER")[0]) for path in paths]
        assert numbers == [str(n) for n in range(50)]
    assert len(parses) == 50
    parses.clear()
    monkeypatch.setattr(audio_tags, "KEPT_TAG_BYTES", 10 * len(audio_tags._tag_bytes(track) or b""))
    audio_tags._parsed.clear()
    for _reading in range(2):
        numbers = [str(audio_tags.id3(path).getall("TXXX:NUMBER")[0]) for path in paths]
        assert numbers == [str(n) for n in range(50)]
    assert len(parses) == 100
    assert audio_tags._parsed.size <= audio_tags.KEPT_TAG_BYTES


def _parsed_or_error(read: Any, path: Any) -> str:
    try:
        return str(read(path).pprint())
    except Exception as exc:  # comparing what each way raises, whatever it is
        return f"{type(exc).__name__}"


def test_a_damaged_or_untagged_file_is_read_as_mutagen_reads_it(
        options: BuildOptions, tmp_path: Path) -> None:
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    narration = next(options.out.glob("*/en-GB/audio/*-narration.mp3"))
    data = narration.read_bytes()
    size = 0
    for byte in data[6:10]:  # a syncsafe integer: seven bits a byte
        size = size << 7 | byte & 0x7F
    tag_end = 10 + size
    cases = {
        "cut inside the tag": data[:5000],
        "cut just after the tag": data[:tag_end + 50],
        "no tag (frames only)": data[tag_end:],
        "tag claims more than the file": data[:6] + b"\x7f\x7f\x7f\x7f" + data[10:20000],
        "empty": b"",
        "whole": data,
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.mp3"
        path.write_bytes(content)
        audio_tags._parsed.clear()
        assert _parsed_or_error(audio_tags.id3, path) == _parsed_or_error(ID3, path), name
