"""The audio writer: the leaflet narrated, as one MP3 with chapters and one track per chapter.

A recipe: choose the engine → script → speak every segment (cache first) → say how long it
lasts → one mastered track per chapter (each made as soon as its chapter is spoken, while
the next ones are said: ``chapters``) → MP3s, playlist, transcript → measure what was
written. The opening states the real duration: the script is spoken without that sentence
first, the total is measured, and only the sentence is added (rounded to the minute, a
second's error in the estimate cannot change what it says). An estimate from the word
count was 15-25 % short for espeak-ng (pauses), and Google's voice has no rate setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmets_docs.errors import NarrationError
from lmets_docs.listen.nearmiss import near_misses
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.sound.samples import silence
from lmets_docs.speech.base import Engine
from lmets_docs.speech.cache import SpeechCache
from lmets_docs.speech.choose import choose
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult
from lmets_docs.writers.audio.chapters import LEAD_S, TAIL_S, Tracks
from lmets_docs.writers.audio.facts import fact_clips, placed
from lmets_docs.writers.audio.mp3 import Track, playlist, write_narration, write_track
from lmets_docs.writers.audio.narrate import Narrator, Ready
from lmets_docs.writers.audio.script import PAUSE_S, Chapter, Script, build_script, transcript_lines
from lmets_docs.writers.audio.timing import TIMINGS, Timings, TrackTiming, place_clips
from lmets_docs.writers.audio.tracks import Made, TrackCache, summary

log = logging.getLogger(__name__)

ENCODER_SLACK_S = 0.11
"""How much longer than its sound an MP3 track may decode (encoder delay and padding)."""
DURATION_SENTENCE_S = 2.5
"""About how long "It lasts about N minutes." takes, for the estimate before it is said."""


@dataclass(frozen=True)
class AudioWriter:
    """Narrate a leaflet with gTTS, Piper or espeak-ng into MP3s, a playlist and a transcript."""

    name: str = "audio"
    version: str = "1"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the narration of ``leaflet`` into ``out_dir/audio``."""
        engine, warnings = choose(options.tts, leaflet.lang, options.speech_rate, options.voice)
        return narrate(leaflet, out_dir, options, engine, warnings)


WRITER = AudioWriter()


def narrate(
    leaflet: Leaflet,
    out_dir: Path,
    options: BuildOptions,
    engine: Engine,
    warnings: list[str] | None = None,
) -> WriterResult:
    """Narrate ``leaflet`` with ``engine`` and write every audio file; return what was made."""
    # --jobs is the number of cores the build may use: --jobs 1 narrates on one thread too.
    narrator = Narrator(engine, SpeechCache(options.cache / "speech"), jobs=options.jobs)
    with Tracks(narrator, TrackCache(options.cache / "tracks")) as making:
        script = spoken_script(leaflet, options, narrator, making.early)
        made = making.made(script.chapters)
    tracks = placed_tracks(script, made, narrator.engine.sample_rate)
    files = write_files(leaflet, out_dir, tracks, engine.about())
    files["timings"] = TIMINGS
    (out_dir / TIMINGS).write_text(
        timings(script, narrator, tracks, files["narration"]).dumps(), encoding="utf-8"
    )
    details = summary(files["narration"], tracks, [m.measured for m in made])
    check_duration(details["duration_s"], script_seconds(script, narrator), len(tracks))
    details |= word_rates(script, narrator, details["duration_s"])
    details |= {
        "synthesized": narrator.synthesized,
        "cached": narrator.cached,
        "tracks_encoded": sum(not m.cached for m in made),
        "tracks_cached": sum(m.cached for m in made),
        "speech_rate": options.speech_rate,
        "voice": engine.about(),
        "spoken_facts": spoken_facts(leaflet, script, narrator, tracks),
    }
    problems: list[str] = details.pop("problems")
    for problem in problems:
        log.warning("%s (%s): %s", leaflet.id, leaflet.lang, problem)
    return WriterResult(
        files=files,
        engines={"tts": engine.label},
        warnings=[*(warnings or []), *problems],
        details=details,
    )


def spoken_script(leaflet: Leaflet, options: BuildOptions, narrator: Narrator,
                  ready: Ready | None = None) -> Script:
    """Return the script with its real duration in the opening, every segment spoken.

    ``ready`` is given each chapter as soon as it is spoken, but the opening (which says
    how long the whole lasts) only once it is said in full.
    """
    draft = build_script(leaflet, options.today, None, options.templates)
    narrator.prepare(draft.chapters, None if ready is None else _after_opening(draft, ready))
    estimate = script_seconds(draft, narrator) + DURATION_SENTENCE_S + PAUSE_S["sentence"]
    script = build_script(leaflet, options.today, estimate, options.templates)
    narrator.prepare(script.chapters)
    return script


def _after_opening(draft: Script, ready: Ready) -> Ready:
    """Return ``ready`` for every chapter of the draft but its opening (said without its length)."""
    opening = draft.chapters[0]

    def told(chapter: Chapter) -> None:
        if chapter is not opening:
            ready(chapter)

    return told


def script_seconds(script: Script, narrator: Narrator) -> float:
    """Return how long the script lasts: speech, pauses, and each track's lead-in and tail."""
    rate = narrator.engine.sample_rate
    speech = sum(narrator.size(seg) / rate + seg.pause for seg in script.segments())
    return speech + len(script.chapters) * (LEAD_S + TAIL_S)


def check_duration(measured: float, pieces: float, tracks: int) -> None:
    """Raise NarrationError unless the narration lasts as long as its pieces add up to.

    Each MP3 track may add up to two frames of encoder delay and padding (0.11 s at 22 kHz).
    """
    allowed = ENCODER_SLACK_S * tracks + 0.05
    if abs(measured - pieces) > allowed:
        raise NarrationError(f"the narration lasts {measured:.2f} s but its pieces of speech, "
                             f"pauses and silences add up to {pieces:.2f} s; the speech cache "
                             "or the encoder gave something wrong")


def encode_tracks(script: Script, narrator: Narrator, cache: TrackCache) -> list[Made]:
    """Return every chapter's track, mastered, encoded and measured (or from the cache)."""
    with Tracks(narrator, cache) as making:
        return making.made(script.chapters)


def placed_tracks(script: Script, made: list[Made], rate: int) -> list[Track]:
    """Return the tracks with their exact places in the narration (counted in samples)."""
    tracks: list[Track] = []
    start = 0
    for number, (chapter, track) in enumerate(zip(script.chapters, made, strict=True), start=1):
        end = start + track.measured.samples
        tracks.append(
            Track(
                number,
                chapter.title,
                f"audio/{number:02d}-{chapter.slug}.mp3",
                track.mp3,
                start,
                end,
                rate,
                "\n".join(transcript_lines(chapter)),
            )
        )
        start = end
    return tracks


def spoken_facts(leaflet: Leaflet, script: Script, narrator: Narrator,
                 tracks: list[Track]) -> list[dict[str, Any]]:
    """Return where each fact is said (for ``check --listen``), with its near misses."""
    rate = narrator.engine.sample_rate
    misses = near_misses(leaflet)
    facts = formatter(leaflet)
    spoken = {name: facts.spoken(name) for name in misses}
    clips: list[dict[str, Any]] = []
    for chapter, track in zip(script.chapters, tracks, strict=True):
        sizes = [narrator.size(seg) for seg in chapter.segments]
        pauses = [silence(seg.pause, rate).size for seg in chapter.segments]
        segments = placed(chapter, track.start, silence(LEAD_S, rate).size, sizes, pauses)
        clips += fact_clips(segments, spoken, misses, rate)
    return clips


def timings(script: Script, narrator: Narrator, tracks: list[Track], narration: str) -> Timings:
    """Return where every segment is heard, for the formats that show text with the audio."""
    rate = narrator.engine.sample_rate
    return Timings(rate, narration, tuple(
        TrackTiming(track.number, track.title, track.file, track.start, track.end, place_clips(
            [(s.ref, s.written, narrator.size(s), s.pause) for s in chapter.segments],
            rate, LEAD_S))
        for chapter, track in zip(script.chapters, tracks, strict=True)
    ))


def write_files(leaflet: Leaflet, out_dir: Path, tracks: list[Track],
                voice: dict[str, str] | None = None) -> dict[str, str]:
    """Write the tracks, the whole narration, the playlist and the transcript; return roles."""
    (out_dir / "audio").mkdir(parents=True, exist_ok=True)
    files = {
        "narration": f"audio/{leaflet.id}-narration.mp3",
        "playlist": "audio/playlist.m3u8",
        "transcript": "audio/transcript.txt",
    }
    text = transcript(tracks)
    write_narration(out_dir / files["narration"], leaflet, tracks, text, voice)
    for track in tracks:
        files[f"track{track.number:02d}"] = track.file
        write_track(out_dir / track.file, leaflet, track, len(tracks), voice)
    (out_dir / files["playlist"]).write_text(playlist(leaflet, tracks), encoding="utf-8")
    (out_dir / files["transcript"]).write_text(text, encoding="utf-8")
    return files


def transcript(tracks: list[Track]) -> str:
    """Return exactly what was said, each chapter under a marked heading with its start time."""
    return "\n".join(
        f"## {t.number}. {t.title} [{_clock(t.start_ms)}]\n\n{t.transcript}\n" for t in tracks
    )


def _clock(ms: int) -> str:
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}:{seconds:02d}"


def word_rates(script: Script, narrator: Narrator, duration_s: float) -> dict[str, Any]:
    """Return the words said, and words per minute over the whole and over speech alone."""
    words = sum(len(seg.text.split()) for seg in script.segments())
    rate = narrator.engine.sample_rate
    speech_s = sum(narrator.size(seg) for seg in script.segments()) / rate
    return {
        "words": words,
        "wpm": round(words * 60 / duration_s, 1),
        "speech_wpm": round(words * 60 / speech_s, 1),
    }
