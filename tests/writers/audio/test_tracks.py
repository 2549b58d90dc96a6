"""The cache of finished tracks, through real builds: an edit re-encodes one chapter only.

A cached track must give exactly what encoding it again gives, and a damaged one (changed
bytes, another chapter's track, a broken record) is caught, said, and encoded again.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lmets_docs.build import build
from lmets_docs.errors import NarrationError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.sound.files import decode_file
from lmets_docs.sound.samples import TRIMMING, Samples, decode, trimmed
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.speech.cache import SpeechCache
from lmets_docs.writers.audio import encode_tracks
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import Script, Segment, build_script
from lmets_docs.writers.audio.tracks import TrackCache, measure_track
from tests.conftest import BEFORE_DUE, DATA

SHORT = DATA / "short-leaflet"
NARRATE = sys.modules[Narrator.__module__]
"""The module (``writers.audio.narrate`` is also the writer's function of that name)."""


@dataclass
class Built:
    """One build of the narration: its folder, the manifest's details, the track log lines."""

    folder: Path
    details: dict[str, Any]
    files: dict[str, str]
    log: list[str]

    def mp3s(self) -> dict[str, bytes]:
        return {rel: (self.folder / rel).read_bytes() for rel in self.files.values()
                if rel.endswith(".mp3")}

    def frames(self) -> dict[str, bytes]:
        """Return each track's MP3 frames (the tags say which source, so they all change)."""
        return {rel: _frames(self.folder / rel) for rel in self.mp3s() if "narration" not in rel}


def build_audio(source: Path, out: Path, cache: Path, caplog: pytest.LogCaptureFixture) -> Built:
    """Build the narration alone with espeak-ng, in this process; collect its track log."""
    options = BuildOptions(out=out, formats=("audio",), tts="espeak", jobs=1, today=BEFORE_DUE,
                           templates=None, cache_dir=cache)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lmets_docs"):
        build([source], options)
    folder = out / "short-leaflet" / "en-GB"
    entry = read_manifest(folder).artifacts["audio"]
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("track ")]
    return Built(folder, entry.details, entry.files, lines)


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
         ) -> pytest.LogCaptureFixture:
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    return caplog


def test_an_edit_re_encodes_exactly_the_chapter_it_touched(
        tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "short-leaflet"
    shutil.copytree(SHORT, source)
    first = build_audio(source, tmp_path / "out", tmp_path / "cache", logs)
    before = first.frames()
    chapters = len(first.details["chapters"])
    assert first.details["tracks_encoded"] == chapters and first.details["tracks_cached"] == 0
    assert all(line.endswith(": encoded") for line in first.log) and len(first.log) == chapters

    text = source / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("usually", "often"),
                    encoding="utf-8")
    edited = build_audio(source, tmp_path / "out", tmp_path / "cache", logs)
    assert edited.details["synthesized"] == 1
    assert edited.details["tracks_encoded"] == 1
    assert edited.details["tracks_cached"] == chapters - 1
    [encoded] = [line for line in edited.log if line.endswith(": encoded")]
    touched = [rel for rel, frames in edited.frames().items() if frames != before[rel]]
    assert len(touched) == 1 and encoded.split()[1].rstrip(":") in touched[0]

    # Exactly what a cold build of the edited leaflet makes, with nothing cached.
    cold = build_audio(source, tmp_path / "cold", tmp_path / "empty-cache", logs)
    assert cold.details["tracks_encoded"] == chapters
    assert cold.mp3s() == edited.mp3s()
    assert cold.details["chapters"] == edited.details["chapters"]
    assert cold.details["loudness_lufs"] == edited.details["loudness_lufs"]


def _garble(tracks: list[Path]) -> None:
    data = bytearray(tracks[0].read_bytes())
    data[500:900] = bytes(400)
    tracks[0].write_bytes(bytes(data))


def _truncate(tracks: list[Path]) -> None:
    tracks[0].write_bytes(tracks[0].read_bytes()[:1000])


def _swap(tracks: list[Path]) -> None:
    """Swap two tracks with their records: each intact, but another chapter's."""
    for suffix in (".mp3", ".json"):
        first, second = tracks[0].with_suffix(suffix), tracks[1].with_suffix(suffix)
        a, b = first.read_bytes(), second.read_bytes()
        first.write_bytes(b)
        second.write_bytes(a)


def _break_record(tracks: list[Path]) -> None:
    tracks[0].with_suffix(".json").write_text("{not json", encoding="utf-8")
    record = json.loads(tracks[1].with_suffix(".json").read_bytes())
    del record["measured"]["blocks"]
    tracks[1].with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")


CORRUPTIONS: dict[str, tuple[Callable[[list[Path]], None], int]] = {
    "garbled": (_garble, 1), "truncated": (_truncate, 1), "swapped": (_swap, 2),
    "broken records": (_break_record, 2)}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_a_damaged_cached_track_is_caught_and_encoded_again(
        tmp_path: Path, logs: pytest.LogCaptureFixture, how: str) -> None:
    first = build_audio(SHORT, tmp_path / "out", tmp_path / "cache", logs)
    tracks = sorted((tmp_path / "cache" / "tracks").rglob("*.mp3"))
    assert len(tracks) == len(first.details["chapters"])
    corrupt, count = CORRUPTIONS[how]
    corrupt(tracks)
    logs.clear()
    with logs.at_level(logging.WARNING, logger="lmets_docs"):
        again = build_audio(SHORT, tmp_path / "again", tmp_path / "cache", logs)
    assert again.details["tracks_encoded"] == count
    assert logs.text.count("encoding it again") == count
    assert again.mp3s() == first.mp3s()
    # The cache is whole again.
    third = build_audio(SHORT, tmp_path / "third", tmp_path / "cache", logs)
    assert third.details["tracks_encoded"] == 0 and third.mp3s() == first.mp3s()


def test_a_track_is_measured_as_the_written_file_decodes(tmp_path: Path,
                                                        logs: pytest.LogCaptureFixture) -> None:
    built = build_audio(SHORT, tmp_path / "out", tmp_path / "cache", logs)
    rate = built.details["sample_rate"]
    first = built.folder / built.files["track01"]
    measured = measure_track(_frames(first), rate)
    assert measured.samples == decode_file(first, rate).size
    assert round(measured.loudness_lufs, 2) == built.details["chapters"][0]["loudness_lufs"]


def _frames(mp3: Path) -> bytes:
    """Return an MP3 file's frames without its ID3 tag."""
    data = mp3.read_bytes()
    size = 0
    for byte in data[6:10]:  # a syncsafe integer: seven bits a byte
        size = size << 7 | byte & 0x7F
    return data[10 + size:]


# --- the narration is never held whole ---------------------------------------------------------


def _narrator(tmp_path: Path, source: Path) -> tuple[Narrator, Script]:
    leaflet = load_leaflet(source, "en-GB")
    narrator = Narrator(espeak.create("en-GB", "normal"), SpeechCache(tmp_path / "speech"))
    script = build_script(leaflet, BEFORE_DUE, 600.0)
    narrator.prepare(script.chapters)
    return narrator, script


KEPT = 1 << 20
"""The narrator's audio kept for a long narration in the test below: a thirtieth of its sound."""


def test_a_long_narration_is_never_held_in_memory_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The narrator keeps the engine's audio up to KEPT_BYTES (the seed's whole narration);
    # here 1 MB, a thirtieth of this one's sound: the rest is read back when mastered.
    monkeypatch.setattr(NARRATE, "KEPT_BYTES", KEPT)
    # What any narration loads once (babel's locale data, 4 MB; the voice's library) is
    # loaded first, untraced: how much of it an earlier test loaded is not this narration's.
    _narrator(tmp_path / "first", SHORT)
    tracemalloc.start()
    try:
        narrator, script = _narrator(tmp_path, DATA / "long-leaflet")
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        made = encode_tracks(script, narrator, TrackCache(tmp_path / "tracks"))
        peak = tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()
    whole = sum(narrator.size(s) for s in script.segments()) * 4  # as float32
    longest = max(sum(narrator.size(s) for s in c.segments) for c in script.chapters) * 4
    assert len(made) == len(script.chapters)
    assert 0 < narrator.kept_bytes <= NARRATE.KEPT_BYTES
    assert narrator.kept == {}  # each kept piece was taken when its chapter was mastered
    # Only lengths, hashes and the first pieces (1 MB) are kept once every piece is said:
    # its pieces all kept would be 6.4 MB (each said once), its sound 34 MB as float32.
    assert held < 2 * KEPT, f"{held / 1e6:.1f} MB held for {whole / 1e6:.0f} MB of sound"
    # and mastering (one chapter at a time) beside another chapter's encoding and measuring
    # need a number of times the longest chapter (13 when measured), whatever the whole.
    assert peak < 20 * longest, f"{peak / 1e6:.0f} MB for a chapter of {longest / 1e6:.0f} MB"


def test_speech_changed_in_the_cache_during_a_narration_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NARRATE, "KEPT_BYTES", 0)  # every piece is read back when mastered
    narrator, script = _narrator(tmp_path, SHORT)
    first, second = script.segments()[0], script.segments()[1]
    cache = narrator.cache
    other = cache.get(narrator.key(second), "wav")
    assert other is not None
    cache.put(narrator.key(first), "wav", other.audio, other.samples)  # intact, other words
    with pytest.raises(NarrationError, match="changed in the cache"):
        narrator.clip(first)


def test_a_kept_piece_is_the_sound_that_was_measured(tmp_path: Path) -> None:
    """A piece kept from speaking it to mastering it is not read from the cache again."""
    narrator, script = _narrator(tmp_path, SHORT)
    first, second = script.segments()[0], script.segments()[1]
    said = decode_clip(narrator, first)
    other = narrator.cache.get(narrator.key(second), "wav")
    assert other is not None and narrator.key(first) in narrator.kept
    narrator.cache.put(narrator.key(first), "wav", other.audio, other.samples)
    clip = narrator.clip(first)
    assert np.array_equal(clip, said) and clip.size == narrator.size(first)
    assert narrator.key(first) not in narrator.kept  # given once: a second time, from the cache
    with pytest.raises(NarrationError, match="changed in the cache"):
        narrator.clip(first)


def decode_clip(narrator: Narrator, segment: Segment) -> Samples:
    """Return a kept piece decoded and cut as the narrator measured it (independently)."""
    piece = narrator.kept[narrator.key(segment)]
    samples = decode(piece.audio, narrator.engine.sample_rate, "kept")
    start, stop = trimmed(samples, narrator.engine.sample_rate)
    assert stop - start == narrator.size(segment)
    return samples[start:stop]


# --- a piece's length from its record ----------------------------------------------------------


def _decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the pieces the narrator decodes (the real decoder, counted)."""
    calls: list[int] = []

    def counted(audio: bytes, rate: int, what: str) -> Samples:
        calls.append(len(audio))
        return decode(audio, rate, what)

    monkeypatch.setattr(NARRATE, "decode", counted)
    return calls


def test_a_rebuild_knows_each_piece_s_length_without_decoding_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, script = _narrator(tmp_path, SHORT)
    decoded = _decodes(monkeypatch)
    again, _ = _narrator(tmp_path, SHORT)
    assert again.synthesized == 0 and again.sizes == first.sizes
    assert again.digests == first.digests
    assert decoded == []  # from the records: each says where its piece is cut, and by what rule
    segment = script.segments()[0]
    assert np.array_equal(again.clip(segment), decode_clip(first, segment))
    assert len(decoded) == 1  # decoded when heard


@pytest.mark.parametrize("record", ["older, no cut", "another rule", "a cut out of range"])
def test_a_record_without_a_usable_cut_is_decoded_once_and_written_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: str) -> None:
    first, _ = _narrator(tmp_path, SHORT)
    records = sorted((tmp_path / "speech").rglob("*.json"))
    for path in records:
        kept = json.loads(path.read_bytes())
        if record == "older, no cut":
            del kept["cut"], kept["cut_by"]
        elif record == "another rule":
            kept["cut_by"] = "-60 dBFS, 0.03 s kept, miniaudio 1.71"
        else:
            kept["cut"] = [0, kept["samples"] + 1]
        path.write_text(json.dumps(kept), encoding="utf-8")
    decoded = _decodes(monkeypatch)
    again, _ = _narrator(tmp_path, SHORT)
    assert again.synthesized == 0 and again.sizes == first.sizes
    assert len(decoded) == len(records)
    assert all(json.loads(path.read_bytes())["cut_by"] == TRIMMING for path in records)
    decoded.clear()
    third, _ = _narrator(tmp_path, SHORT)
    assert third.sizes == first.sizes and decoded == []
