"""The audio writer, with the real offline engine: decode what was written and check it.

Most tests share one narration of a short copy of the seed leaflet; the full seed leaflet is
narrated once, through the build. Loudness and true peak are measured here on the decoded
MP3s, the true peak with scipy's polyphase resampler rather than the writer's FFT.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import logging
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import miniaudio
import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
from mutagen.id3 import ID3, CTOCFlags
from scipy.signal import resample_poly  # type: ignore[import-untyped]  # pyloudnorm's dependency

from lmets_docs.build import build
from lmets_docs.errors import NarrationError
from lmets_docs.manifest import read_manifest
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions, SpeechRate
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.text import body_texts, fold, formatter, sentences
from lmets_docs.writers import WriterResult
from lmets_docs.writers.audio import WRITER, chapters, check_duration, mp3
from lmets_docs.writers.audio import mp3 as audio_mp3
from lmets_docs.writers.audio.script import (
    Speech,
    as_printed,
    build_script,
    printed_forms,
    split_phone,
    spoken_duration,
)
from tests.conftest import BEFORE_DUE, DATA, SEED

SHORT = DATA / "short-leaflet"
RATE = 22050
Audio = npt.NDArray[np.float32]


@dataclass
class Narration:
    """One narration written by the writer, and what the engine was given to say."""

    leaflet: Leaflet
    folder: Path
    result: WriterResult
    engine_inputs: list[str]

    def path(self, role: str) -> Path:
        return self.folder / self.result.files[role]

    def transcript(self) -> str:
        return self.path("transcript").read_text(encoding="utf-8")

    def tracks(self) -> list[Path]:
        return [self.folder / rel for role, rel in sorted(self.result.files.items())
                if role.startswith("track")]


def audio_options(tmp: Path, rate: SpeechRate = "normal") -> BuildOptions:
    return BuildOptions(out=tmp / "out", tts="espeak", speech_rate=rate, today=BEFORE_DUE,
                        templates=None, cache_dir=tmp / "cache")


def narrate(leaflet: Leaflet, tmp: Path, rate: SpeechRate = "normal") -> Narration:
    """Narrate with the real espeak-ng, recording the text it was given, piece by piece."""
    inputs: list[str] = []
    real = espeak._synthesize

    def spy(voice: str, wpm: int, text: str) -> Any:
        inputs.append(text)
        return real(voice, wpm, text)

    folder = tmp / f"w{len(list(tmp.glob('w*')))}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(espeak, "_synthesize", spy)
        result = WRITER.write(leaflet, folder, audio_options(tmp, rate))
    return Narration(leaflet, folder, result, inputs)


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> Narration:
    """Return the short leaflet narrated at the normal rate (shared: it takes a second)."""
    return narrate(load_leaflet(SHORT, "en-GB"), tmp_path_factory.mktemp("short"))


def decode(path: Path) -> Audio:
    decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32,
                                    nchannels=1, sample_rate=RATE)
    return np.frombuffer(decoded.samples, dtype=np.float32)


def lufs(samples: Audio) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64)))


def true_peak_db(samples: Audio) -> float:
    peak = float(np.max(np.abs(resample_poly(samples.astype(np.float64), 4, 1))))
    return 20 * float(np.log10(peak))


def read_tags(path: Path) -> Any:
    """Return a file's ID3 tag (mutagen is untyped)."""
    return ID3(path)  # type: ignore[no-untyped-call]


def chapter_titles(leaflet: Leaflet) -> list[str]:
    return ["Introduction", *(s.title for s in leaflet.sections), "Helpline and review dates"]


# --- the files and their tags ------------------------------------------------------------------


def test_narration_decodes_with_a_chapter_per_section(short: Narration) -> None:
    samples = decode(short.path("narration"))
    tags = read_tags(short.path("narration"))
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == chapter_titles(short.leaflet)
    assert chaps[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in itertools.pairwise(chaps))
    assert abs(chaps[-1].end_time - samples.size * 1000 / RATE) <= 1
    assert [c["title"] for c in short.result.details["chapters"]] == chapter_titles(short.leaflet)


def test_ctoc_lists_the_chapters_in_order_at_the_top_level(short: Narration) -> None:
    tags = read_tags(short.path("narration"))
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    by_id = {c.element_id: c for c in tags.getall("CHAP")}
    starts = [by_id[element].start_time for element in toc.child_element_ids]
    assert len(starts) == len(by_id) and starts == sorted(starts)


def ffprobe_chapters(path: Path) -> list[dict[str, Any]]:
    """Return the chapters as ffprobe lists them: in the order the CHAP frames are stored."""
    shown = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        check=True, capture_output=True, text=True,
    )
    chapters: list[dict[str, Any]] = json.loads(shown.stdout)["chapters"]
    return chapters


def test_chapters_are_stored_in_time_order_for_tools_that_read_file_order(
    short: Narration, tmp_path: Path
) -> None:
    # Titles of very different lengths: mutagen on its own stores frames by size.
    titles = ["Introduction", "A", "A much longer chapter title than the others", "Be", "End"]
    silence = audio_mp3.encode(bytes(2 * 4608), RATE)
    length = audio_mp3.decoded_samples(silence)
    tracks = [audio_mp3.Track(n, title, f"{n:02d}.mp3", silence, (n - 1) * length, n * length,
                              RATE, title) for n, title in enumerate(titles, start=1)]
    path = tmp_path / "narration.mp3"
    audio_mp3.write_narration(path, short.leaflet, tracks, "transcript")
    chapters = ffprobe_chapters(path)
    assert [c["tags"]["title"] for c in chapters] == titles
    assert [int(c["start"]) for c in chapters] == [t.start_ms for t in tracks]
    stored = [c.element_id for c in read_tags(path).getall("CHAP")]
    assert stored == [f"ch{n:02d}" for n in range(1, len(titles) + 1)]
    written = ffprobe_chapters(short.path("narration"))
    assert [c["tags"]["title"] for c in written] == chapter_titles(short.leaflet)


def test_tracks_and_playlist_match_the_chapters(short: Narration) -> None:
    tracks = short.tracks()
    lines = short.path("playlist").read_text(encoding="utf-8").splitlines()
    entries = [(line, lines[i + 1]) for i, line in enumerate(lines) if line.startswith("#EXTINF")]
    assert lines[0] == "#EXTM3U"
    assert len(tracks) == len(entries) == len(short.leaflet.sections) + 2
    chaps = short.result.details["chapters"]
    rows = zip(tracks, entries, chaps, strict=True)
    for number, (track, (info, name), chap) in enumerate(rows, start=1):
        assert name == track.name and track.name.startswith(f"{number:02d}-")
        seconds = decode(track).size / RATE
        assert info == f"#EXTINF:{round(seconds)},Cancer Research UK - {chap['title']}"
        assert read_tags(track)["TRCK"].text[0] == f"{number}/{len(tracks)}"
        assert read_tags(track)["TIT2"].text[0] == chap["title"]
        assert abs(seconds * 1000 - (chap["end_ms"] - chap["start_ms"])) <= 1


def test_tags_give_title_publisher_language_review_dates_and_transcript(short: Narration) -> None:
    for path in [short.path("narration"), *short.tracks()]:
        tags = read_tags(path)
        assert tags["TPE1"].text == tags["TPUB"].text == ["Cancer Research UK"]
        assert tags["TLAN"].text == ["eng"] and tags["TXXX:LANGUAGE"].text == ["en-GB"]
        assert tags["TXXX:LAST_REVIEWED"].text == ["2019-11-22"]
        assert tags["TXXX:NEXT_REVIEW_DUE"].text == ["2022-11-22"]
        assert tags["TXXX:SOURCE_HASH"].text == [short.leaflet.source_hash]
    tags = read_tags(short.path("narration"))
    assert tags["TIT2"].text == [short.leaflet.title]
    assert tags.getall("USLT")[0].text == short.transcript()
    assert short.result.engines["tts"].startswith("espeak-ng 1.")


# --- the sound ---------------------------------------------------------------------------------


def test_loudness_and_true_peak_meet_the_standard_in_every_file(short: Narration) -> None:
    for path in [short.path("narration"), *short.tracks()]:
        samples = decode(path)
        assert abs(lufs(samples) + 19) <= 2, path.name
        assert true_peak_db(samples) <= -1.0, path.name
        assert float(np.max(np.abs(samples))) < 0.99, path.name  # nothing near clipping
    details = short.result.details
    assert abs(details["loudness_lufs"] + 19) <= 2 and details["true_peak_dbtp"] <= -1


def test_every_track_starts_and_ends_in_silence(short: Narration) -> None:
    half_second = RATE // 2
    for path in [short.path("narration"), *short.tracks()]:
        samples = decode(path)
        assert float(np.max(np.abs(samples[:half_second]))) < 10 ** (-50 / 20), path.name
        assert float(np.max(np.abs(samples[-half_second:]))) < 10 ** (-50 / 20), path.name


def test_duration_is_plausible_for_the_words_at_the_rate(short: Narration) -> None:
    details = short.result.details
    seconds = decode(short.path("narration")).size / RATE
    assert details["duration_s"] == pytest.approx(seconds, abs=0.01)
    speaking = details["words"] / 155 * 60  # the words at about 155 a minute, no pauses
    assert speaking < seconds < speaking * 1.5
    assert 135 <= details["speech_wpm"] <= 170
    assert f"It lasts about {spoken_duration(seconds, 'en-GB')}." in short.transcript()


def test_slow_rate_gives_a_longer_narration(short: Narration, tmp_path: Path) -> None:
    slow = narrate(short.leaflet, tmp_path, "slow")
    assert slow.result.details["duration_s"] > short.result.details["duration_s"] * 1.15
    assert 110 <= slow.result.details["speech_wpm"] <= 135


# --- what is said ------------------------------------------------------------------------------


def test_transcript_holds_every_sentence_and_the_helpline_three_times(short: Narration) -> None:
    transcript = fold(short.transcript())
    written = printed_forms(formatter(short.leaflet))  # the number and hours as printed
    missing = [s for text in body_texts(short.leaflet, spoken=True)
               for s in sentences(as_printed(text, written)) if fold(s) not in transcript]
    assert missing == []
    phone = formatter(short.leaflet).printed("helpline.phone")
    assert phone == "0808 800 4040"
    assert transcript.count(phone) == 3  # the opening, "Help and support" and the closing
    assert "The printed leaflet lists 5 sources for this information." in transcript
    assert short.leaflet.references[0].title not in transcript
    assert transcript.index("22nd November 2019") < transcript.index("## 2.")
    assert "The next review is due by 22nd November 2022." in transcript
    assert "out of date" not in transcript


def test_transcript_marks_each_chapter(short: Narration) -> None:
    headings = re.findall(r"^## (\d+)\. (.+) \[\d+:\d\d\]$", short.transcript(), re.MULTILINE)
    assert [title for _, title in headings] == chapter_titles(short.leaflet)


def test_lexicon_reaches_the_engine_but_not_the_transcript(short: Narration) -> None:
    said = "\n".join(short.engine_inputs)
    assert "lepto-meh-NIN-jee-al meh-TASS-ta-seez" in said and "C S F" in said
    assert "leptomeningeal" not in said and "(CSF)" not in said
    transcript = short.transcript()
    assert "leptomeningeal metastases" in transcript and "(CSF)" in transcript
    assert "lepto-meh" not in transcript


def test_helpline_is_said_slowly_on_its_own(short: Narration) -> None:
    phone = formatter(short.leaflet).spoken("helpline.phone")
    assert any(text.startswith(phone) for text in short.engine_inputs)
    texts = [seg.text for seg in build_script(short.leaflet, BEFORE_DUE, 60).segments() if seg.slow]
    assert texts == [f"{phone}.", f"{phone}.", f"{phone}."]  # opening, text, closing


def test_split_phone_keeps_the_sentence_whole() -> None:
    phone = "0 8 0 8, 8 0 0, 4 0 4 0"
    parts = split_phone(f"Call us on {phone}. We are open.", phone)
    assert parts == [("Call us on", False), (f"{phone}.", True), ("We are open.", False)]
    assert " ".join(text for text, _ in parts) == f"Call us on {phone}. We are open."


def test_an_overdue_leaflet_says_so_in_the_opening(seed_leaflet: Leaflet) -> None:
    script = build_script(seed_leaflet, dt.date(2023, 1, 1), 300)
    opening = " ".join(seg.text for seg in script.chapters[0].segments)
    # The same sentence as the printed notice (lmets_docs.furniture).
    assert "This information is out of date: its review was due on 22nd November 2022." \
        in opening


# --- the cache ---------------------------------------------------------------------------------


def test_rebuild_says_nothing_again_and_an_edit_only_what_changed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    folder = tmp_path / "leaflet"
    shutil.copytree(SHORT, folder)
    with caplog.at_level(logging.INFO, logger="lmets_docs"):
        first = narrate(load_leaflet(folder, "en-GB"), tmp_path)
    assert "narrating 1/4: Introduction" in caplog.text  # progress, per chapter, off a TTY
    again = narrate(load_leaflet(folder, "en-GB"), tmp_path)
    assert first.result.details["synthesized"] == len(first.engine_inputs) > 0
    assert again.result.details["synthesized"] == 0 and again.engine_inputs == []
    assert again.path("narration").read_bytes() == first.path("narration").read_bytes()

    text = folder / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("usually", "often"), encoding="utf-8")
    edited = narrate(load_leaflet(folder, "en-GB"), tmp_path)
    assert edited.result.details["synthesized"] == 1
    assert edited.engine_inputs == [
        "The aim of treatment is often to control the growth of lepto-meh-NIN-jee-al "
        "meh-TASS-ta-seez and relieve symptoms."]
    total = first.result.details["synthesized"] + first.result.details["cached"]
    assert edited.result.details["cached"] == total - 1


def _corrupt_truncate(pieces: list[Path]) -> None:
    data = pieces[0].read_bytes()
    pieces[0].write_bytes(data[: len(data) // 2])


def _corrupt_garble(pieces: list[Path]) -> None:
    data = bytearray(pieces[0].read_bytes())
    rng = np.random.default_rng(7)
    data[200:4000] = rng.integers(0, 256, 3800, dtype=np.uint8).tobytes()
    pieces[0].write_bytes(bytes(data))


def _corrupt_swap(pieces: list[Path]) -> None:
    """Swap two pieces with their records: each is intact, but says other words."""
    for suffix in (".wav", ".json"):
        first, second = pieces[0].with_suffix(suffix), pieces[1].with_suffix(suffix)
        a, b = first.read_bytes(), second.read_bytes()
        first.write_bytes(b)
        second.write_bytes(a)


def _corrupt_wrong_format(pieces: list[Path]) -> None:
    """Empty one piece; give another text and a third a shorter WAV, each with a record to match.

    The records' hashes then agree with the bytes: only decoding and the length catch them.
    """
    pieces[0].write_bytes(b"")
    for piece, audio in ((pieces[1], b"this is not audio"), (pieces[2], pieces[3].read_bytes())):
        record = json.loads(piece.with_suffix(".json").read_bytes())
        record["sha256"] = hashlib.sha256(audio).hexdigest()
        piece.write_bytes(audio)
        piece.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")


CORRUPTIONS = {"truncated": (_corrupt_truncate, 1), "garbled": (_corrupt_garble, 1),
               "swapped": (_corrupt_swap, 2), "emptied or not WAV": (_corrupt_wrong_format, 3)}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_a_corrupt_speech_cache_is_caught_and_the_narration_is_right(
        short: Narration, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    shutil.copytree(short.folder.parent / "cache", tmp_path / "cache")
    pieces = sorted((tmp_path / "cache").rglob("*.wav"), key=lambda p: -p.stat().st_size)
    corrupt, count = CORRUPTIONS[how]
    corrupt(pieces)
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        rebuilt = narrate(short.leaflet, tmp_path)
    assert rebuilt.result.details["synthesized"] == count == len(rebuilt.engine_inputs)
    # One record each: pytest also captures a logger that does not propagate (after a CLI run),
    # so with propagate forced on, the same record can reach its handler twice.
    said = {id(r) for r in caplog.records if "synthesizing it again" in r.getMessage()}
    assert len(said) == count
    # Right again: the same sound (decoded, sample for sample), length and transcript.
    assert rebuilt.result.details["duration_s"] == short.result.details["duration_s"]
    assert np.array_equal(decode(rebuilt.path("narration")), decode(short.path("narration")))
    assert rebuilt.transcript() == short.transcript()
    # and the cache is whole again: a third build synthesizes nothing.
    assert narrate(short.leaflet, tmp_path).result.details["synthesized"] == 0


def test_a_narration_shorter_than_its_pieces_is_refused() -> None:
    check_duration(102.3, 102.05, 4)
    with pytest.raises(NarrationError, match=r"lasts 51\.00 s but .* add up to 102\.05 s"):
        check_duration(51.0, 102.05, 4)


# --- the whole seed leaflet, through the build -------------------------------------------------


def test_seed_leaflet_narrated_through_the_build(tmp_path: Path, seed_leaflet: Leaflet) -> None:
    options = BuildOptions(out=tmp_path / "out", formats=("audio",), tts="espeak", jobs=1,
                           today=BEFORE_DUE, templates=None, cache_dir=tmp_path / "cache")
    build([SEED], options)
    folder = tmp_path / "out" / seed_leaflet.id / "en-GB"
    entry = read_manifest(folder).artifacts["audio"]
    assert entry.engines["tts"].startswith("espeak-ng")
    assert entry.warnings == []
    assert [c["title"] for c in entry.details["chapters"]] == chapter_titles(seed_leaflet)
    transcript = fold((folder / entry.files["transcript"]).read_text(encoding="utf-8"))
    assert transcript.count("0808 800 4040") == 3 and "0 8 0 8" not in transcript
    written = printed_forms(formatter(seed_leaflet))
    assert all(fold(s) in transcript for text in body_texts(seed_leaflet, spoken=True)
               for s in sentences(as_printed(text, written)))
    narration = decode(folder / entry.files["narration"])
    assert abs(lufs(narration) + 19) <= 2 and true_peak_db(narration) <= -1
    assert 145 <= entry.details["speech_wpm"] <= 165
    chapters = read_tags(folder / entry.files["narration"]).getall("CHAP")
    assert len(chapters) == len(seed_leaflet.sections) + 2


def test_punctuation_alone_is_not_said(seed_leaflet: Leaflet) -> None:
    speech = Speech(seed_leaflet, formatter(seed_leaflet))
    assert speech.say(" … ", 0.5) == []
    (segment,) = speech.say("An Ommaya.", 0.5)
    assert segment.speech == "An omiah." and segment.text == "An Ommaya." and segment.pause == 0.5
    assert speech.respell("Ommayas and ommaya") == "Ommayas and ommaya"  # whole words, as given


def test_the_closing_repeats_the_number_itself_when_the_body_never_says_it(
        seed_leaflet: Leaflet) -> None:
    without = dataclasses.replace(seed_leaflet, sections=seed_leaflet.sections[:1])
    script = build_script(without, BEFORE_DUE, 60)
    transcript = " ".join(seg.text for seg in script.segments())
    assert transcript.count("0 8 0 8, 8 0 0, 4 0 4 0") == 3  # the opening, and twice at the end
    assert "That number again: 0 8 0 8, 8 0 0, 4 0 4 0." in transcript
    assert [c.title for c in script.chapters] == chapter_titles(without)


@pytest.mark.parametrize("jobs", [1, 2])
def test_jobs_is_how_many_threads_the_narration_uses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    # --jobs is the number of cores a build may use; a batch at --jobs 1 must not narrate
    # on two threads behind its back (nor a Dask worker's single-threaded task).
    most = {"speak": 0, "encode": 0}
    now = dict.fromkeys(most, 0)
    lock = threading.Lock()
    real_speak, real_encode = espeak._synthesize, mp3.encode

    def at_once(kind: str, work: Any, pause: float) -> Any:
        with lock:
            now[kind] += 1
            most[kind] = max(most[kind], now[kind])
        time.sleep(pause)  # long enough for a second thread, if there is one, to start too
        try:
            return work()
        finally:
            with lock:
                now[kind] -= 1

    monkeypatch.setattr(espeak, "_synthesize", lambda voice, wpm, text: at_once(
        "speak", lambda: real_speak(voice, wpm, text), 0.02))
    monkeypatch.setattr(chapters, "encode", lambda pcm, rate: at_once(
        "encode", lambda: real_encode(pcm, rate), 0.1))
    options = dataclasses.replace(audio_options(tmp_path), jobs=jobs)
    WRITER.write(load_leaflet(SHORT, "en-GB"), tmp_path / "w", options)
    assert most == {"speak": jobs, "encode": jobs}


@pytest.mark.parametrize("mark", ["\u06d4", "\u060c", "\u061f", "\u061b", ")", "\u201d"])
def test_split_phone_keeps_every_scripts_mark_after_the_number(mark: str) -> None:
    # An Urdu sentence ending in the number lost its full stop (U+06D4): it was split off after
    # the number, and a piece with nothing to say is dropped.
    phone = "0 8 0 8, 1 5 7, 0 1 9 2"
    call = "\u0641\u0648\u0646 \u06a9\u0631\u06cc\u06ba:"  # Urdu "call:"
    line = "\u06cc\u06c1 \u0644\u0627\u0626\u0646"  # Urdu "this line"
    parts = split_phone(f"{call} {phone}{mark} {line}", phone)
    assert parts == [(call, False), (f"{phone}{mark}", True), (line, False)]
