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

from lmets_docs import scan
from lmets_docs.build import build
from lmets_docs.check import audio_id3, audio_tags, check, facts
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count mutagen's parses of an ID3 tag made by the check (the real parser, counted)."""
    calls: list[str] = []

    def counted(source: Any, **options: Any) -> Any:
        calls.append(str(source))
        return ID3(source, **options)  # type: ignore[no-untyped-call]

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


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def _tag(version: int, frames: list[tuple[str, bytes]]) -> bytes:
    """Return an ID3v2 tag of raw frames, followed by bytes standing for MP3 frames."""
    body = b""
    for name, data in frames:
        if version == 2:
            body += name.encode() + len(data).to_bytes(3, "big") + data
        else:
            size = _syncsafe(len(data)) if version == 4 else len(data).to_bytes(4, "big")
            body += name.encode() + size + b"\x00\x00" + data
    body += b"\x00" * 64  # padding
    return b"ID3" + bytes((version, 0, 0)) + _syncsafe(len(body)) + body + b"\x00" * 600


BOM = b"\xff\xfe"
END = b"\x00\x00"
ODD_TEXTS = {
    "a NUL pair at an odd offset": (3, "USLT", b"\x01eng" + BOM + END + BOM
                                    + "A\u4200B".encode("utf-16-le") + END),
    "a lone surrogate": (3, "USLT", b"\x01eng" + BOM + END + BOM + b"\x00\xd8A\x00" + END),
    "no end": (3, "USLT", b"\x01eng" + BOM + END + BOM + "hello".encode("utf-16-le")),
    "no BOM": (3, "USLT", b"\x01eng" + END + "hello".encode("utf-16-le") + END),
    "an odd length": (3, "USLT", b"\x01eng" + BOM + END + BOM + b"A\x00B" + END),
    "a big-endian BOM": (3, "TIT2", b"\x01\xfe\xff" + "A\u4200".encode("utf-16-be") + END),
    "UTF-16BE in 2.4": (4, "TIT2", b"\x02" + "x\u4200y".encode("utf-16-be") + END),
    "several values in 2.3": (3, "TXXX", b"\x01" + BOM + b"D\x00" + END + BOM + b"a\x00" + END
                              + BOM + b"b\x00" + END + END * 3),
    "several values in 2.4": (4, "TXXX", b"\x01" + BOM + b"D\x00" + END + BOM + b"a\x00" + END
                              + END * 3),
    "empty texts": (3, "USLT", b"\x01eng" + END + END),
    "Latin-1": (3, "TIT2", b"\x00caf\xe9\x00"),
    "UTF-8 in 2.4": (4, "TIT2", b"\x03caf\xc3\xa9\x00"),
    "a chapter's title": (3, "CHAP", b"ch1\x00" + bytes(16) + b"TIT2" + (11).to_bytes(4, "big")
                          + b"\x00\x00\x01" + BOM + "Ab".encode("utf-16-le") + END + b"\x00"),
    "ID3v2.2": (2, "TT2", b"\x01" + BOM + "hello".encode("utf-16-le") + END),
}


def _everything(read: Any, path: Path) -> str:
    """Return all a parse holds, by the frames' own reprs and classes' names; or its error."""
    try:
        tags = read(path)
    except Exception as exc:  # comparing what each way raises, whatever it is
        return f"{type(exc).__name__}"
    frames = [(key, type(frame).__name__, repr(frame)) for key, frame in tags.items()]
    return repr((tags.version, frames, tags.unknown_frames, tags.pprint()))


@pytest.mark.parametrize("case", sorted(ODD_TEXTS))
def test_odd_texts_are_read_as_mutagen_reads_them(case: str, tmp_path: Path) -> None:
    version, name, data = ODD_TEXTS[case]
    path = tmp_path / "odd.mp3"
    path.write_bytes(_tag(version, [(name, data), ("TALB", b"\x01" + BOM + b"x\x00" + END)]))
    audio_tags._parsed.clear()
    assert _everything(audio_tags.id3, path) == _everything(ID3, path)


def test_a_utf16_text_ends_at_its_first_nul_code_unit() -> None:
    """Not at a NUL pair across two characters (odd offset), which mutagen's reading would
    then have to take over (the text before an odd offset never decodes)."""
    text = BOM + "A\u4200B".encode("utf-16-le")  # 41 00 | 00 42 | 42 00: NUL pairs at 3, 7
    assert audio_id3.text_end(text + END + b"C\x00" + END) == len(text)
    assert audio_id3.text_end(END + b"A\x00") == 0
    assert audio_id3.text_end(text) == -1


def test_the_seed_s_tags_are_read_as_mutagen_reads_them(options: BuildOptions) -> None:
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    mp3s = sorted(options.out.glob("*/en-GB/audio/*.mp3"))
    audio_tags._parsed.clear()
    assert mp3s
    for mp3 in mp3s:
        assert _everything(audio_tags.id3, mp3) == _everything(ID3, mp3), mp3.name
        assert len(audio_tags.id3(mp3).getall("USLT")[0].text) > 20


def _wrong_number_in_lyrics(mp3: Path) -> None:
    tags: Any = ID3(mp3)  # type: ignore[no-untyped-call]
    lyrics = tags.getall("USLT")[0]
    assert "800 4040" in lyrics.text
    lyrics.text = lyrics.text.replace("800 4040", "800 4041")
    tags.save(mp3, v2_version=3)


def test_a_line_said_in_three_files_is_scanned_once_and_reported_in_each(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """The narration's transcript is in its tag, transcript.txt and its tracks' tags: the
    same lines, scanned for facts once each (its numbers read as digits once for both the
    valid numbers and the broken ones); a wrong number in all three is found in all three."""
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    folder = next(options.out.glob("*/en-GB"))
    transcript = folder / "audio" / "transcript.txt"
    transcript.write_text(transcript.read_text(encoding="utf-8").replace("800 4040", "800 4041"),
                          encoding="utf-8")
    narration = next(folder.glob("audio/*-narration.mp3"))
    track = next(t for t in sorted(folder.glob("audio/0*.mp3"))
                 if "800 4040" in str(ID3(t).getall("USLT")[0]))  # type: ignore[no-untyped-call]
    _wrong_number_in_lyrics(narration)
    _wrong_number_in_lyrics(track)
    scanned: list[str] = []

    def counted(text: str, *args: Any) -> Any:
        scanned.append(text)
        return scan.as_digits(text, *args)

    monkeypatch.setattr(facts, "as_digits", counted)
    report = check([folder], BEFORE_DUE, allow_edited=True, thorough=False)
    places = [f.place for f in report.errors if f.code == "fact-phone" and "4041" in f.message]
    in_tag = [p for p in places if "transcript tag" in p]
    assert in_tag and [p.replace("transcript tag", "transcript.txt") for p in in_tag] == [
        p for p in places if "transcript.txt" in p], report.text()
    assert any(p.startswith(f"{track.name} tag USLT") for p in places), places
    assert len(scanned) == len(set(scanned))  # every line once, though each is in three files
