"""``check --listen`` and ``build --listen``: the real recogniser hears real narrations.

The seed leaflet is narrated once with Piper and once with espeak-ng, and each must be
heard with every fact as expected. The attacks are made on the short copy of the seed
(same facts, a quarter of the sound, so each listening costs little): a pronunciation
entry that says another number in hyphenated number words (which validate lets through),
a chapter from another leaflet, one digit of the helpline said wrong inside the real
narration, a review date a day off (these three re-said with espeak-ng, whose speech is the
same each time, so the replaced piece fits its place exactly). Each must be caught, at its
place, and nothing else flagged.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.errors import CheckError
from lmets_docs.listen import recogniser, words
from lmets_docs.listen.nearmiss import digit_changes, near_misses
from lmets_docs.manifest import read_manifest
from lmets_docs.source import load_leaflet
from tests import audio_tamper as tamper
from tests.conftest import DATA, SEED, run_cli

SHORT = DATA / "short-leaflet"
TODAY = "2022-06-01"
FACTS = {"contacts.helpline.phone", "contacts.helpline.hours", "review.last_reviewed",
         "review.next_review_due"}


run = run_cli
"""Run the command line in-process (``tests.conftest.run_cli``)."""


def build(source: Path, out: Path, tts: str, *extra: str) -> tuple[int, str, str]:
    """Build a leaflet's audio into ``out``."""
    return run(["build", str(source), "--format", "audio", "--tts", tts, "--jobs", "1",
                "--out", str(out), "--templates", str(out / "none"), "--today", TODAY, *extra])


def listen(out: Path) -> tuple[int, dict[str, Any]]:
    """Run ``check --listen --json`` on a built folder; return the exit status and report."""
    code, stdout, stderr = run(["check", str(out), "--listen", "--json", "--today", TODAY])
    assert "Traceback" not in stderr
    return code, json.loads(stdout)


def heard_lines(report: dict[str, Any]) -> list[str]:
    """Return every line of what the recogniser heard."""
    return [line for lines in report["heard"].values() for line in lines]


def listen_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the findings of listening (their codes start with ``listen-``)."""
    return [f for f in report["findings"] if f["code"].startswith("listen-")]


@pytest.fixture(scope="module")
def seed_espeak(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of the seed leaflet narrated with espeak-ng."""
    out = tmp_path_factory.mktemp("seed-espeak") / "out"
    code, _, stderr = build(SEED, out, "espeak")
    assert code == 0, stderr
    return out


@pytest.fixture(scope="module")
def seed_piper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of the seed leaflet narrated with Piper."""
    out = tmp_path_factory.mktemp("seed-piper") / "out"
    code, _, stderr = build(SEED, out, "piper")
    assert code == 0, stderr
    return out


@pytest.fixture(scope="module")
def short_heard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the short leaflet narrated with espeak-ng by ``build --listen`` (it passed)."""
    out = tmp_path_factory.mktemp("short") / "out"
    code, _, stderr = build(SHORT, out, "espeak", "--listen")
    assert code == 0, stderr
    return out


@pytest.fixture
def short_copy(short_heard: Path, tmp_path: Path) -> Path:
    """Return a copy of the short leaflet's output that a test may tamper with."""
    out = tmp_path / "out"
    shutil.copytree(short_heard, out, ignore=shutil.ignore_patterns(".cache", ".stamps"))
    return out


def narration(out: Path) -> tuple[Path, dict[str, Any]]:
    """Return the narration MP3 of the only leaflet in ``out``, and its audio details."""
    (folder,) = (p.parent for p in out.rglob("manifest.json"))
    entry = read_manifest(folder).artifacts["audio"]
    return folder / entry.files["narration"], entry.details


# --- both voices: every fact of the seed is heard as expected ---------------------------------


@pytest.mark.parametrize("voice", ["seed_piper", "seed_espeak"])
def test_check_listen_hears_every_fact_of_the_seed_as_expected(
        voice: str, request: pytest.FixtureRequest) -> None:
    code, report = listen(request.getfixturevalue(voice))
    lines = heard_lines(report)
    facts = [line for line in lines if line.startswith(("heard", "HEARD"))]
    assert code == 0 and report["errors"] == 0, report["findings"]
    assert facts and all(line.startswith("heard as expected: ") for line in facts)
    assert {line.split(": ")[1].split(" at ")[0] for line in facts} == FACTS
    assert any(line.startswith("whole narration: word error rate") for line in lines)


def test_build_listen_records_what_was_heard_in_the_manifest(short_heard: Path) -> None:
    _, details = narration(short_heard)
    listened = details["listened"]
    phone = "heard as expected: contacts.helpline.phone"
    assert sum(line.startswith(phone) for line in listened) == 3  # opening, text, closing
    assert not any(line.startswith("HEARD WRONG") for line in listened)


# --- attacks ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon_attack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the short leaflet whose lexicon makes the voice say another number.

    validate refuses digits and number words in a respelling however they are joined
    ("oh-two-oh"), and any respelling of a word that is part of a fact; but words that only
    sound like numbers get through: "owe-too-owe, sevven-nyne-foar-sicks" gives espeak-ng
    the very phonemes of "oh-two-oh, seven-nine-four-six". That is what listening is for.
    """
    source = tmp_path_factory.mktemp("attack") / "short-leaflet"
    shutil.copytree(SHORT, source)
    yaml = source / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    entry = '    someone: "someone, owe-too-owe, sevven-nyne-foar-sicks, owe-owe-owe-owe,"\n'
    yaml.write_text(text.replace("  en-GB:\n", "  en-GB:\n" + entry), encoding="utf-8")
    return source


def test_the_lexicon_attack_passes_check_but_not_check_listen(
        lexicon_attack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(lexicon_attack, out, "espeak")[0] == 0  # the transcript is right
    assert run(["check", str(out), "--today", TODAY])[0] == 0
    code, report = listen(out)
    extra = [f for f in listen_findings(report) if f["code"] == "listen-extra-number"]
    assert code == 1 and extra  # "someone" is said in the helpline's sentence: in the
    # opening (which says the main helpline) and in the closing chapter
    assert {f["place"].split(" at ")[0] for f in extra} == {
        "chapter 'Introduction'", "chapter 'Helpline and review dates'"}


def test_build_listen_refuses_the_lexicon_attack_and_installs_no_audio(
        lexicon_attack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = build(lexicon_attack, out, "espeak", "--listen")
    assert code == 1 and "heard wrong, so it is not installed" in stderr
    assert "listen-extra-number" in stderr and "Traceback" not in stderr
    installed = [p for p in out.rglob("*.mp3") if ".cache" not in p.relative_to(out).parts]
    assert not installed and not list(out.rglob("manifest.json"))  # (the caches keep tracks)


def test_a_chapter_swapped_from_another_leaflet_is_caught(
        short_copy: Path, seed_espeak: Path) -> None:
    mp3, _ = narration(short_copy)
    foreign, _ = narration(seed_espeak)
    title, start, end = tamper.chapter_spans(mp3)[1]
    _, f_start, _ = tamper.chapter_spans(foreign)[3]  # the seed's "Radiotherapy"
    samples, other = tamper.decode_mp3(mp3), tamper.decode_mp3(foreign)
    where = tamper.span(start, end)
    first = tamper.span(f_start, f_start).start
    samples[where] = other[first:first + where.stop - where.start]
    tamper.rewrite(mp3, samples)
    code, report = listen(short_copy)
    found = listen_findings(report)
    assert code == 1
    assert [f["place"].split(" at ")[0] for f in found if f["code"] == "listen-chapter"] == [
        f"chapter {title!r}"]


def test_a_chapter_over_the_bar_is_heard_again_by_beam_search_and_the_closer_reading_kept(
        short_heard: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No chapter of ours goes over the bar here; with the bar at 0 every chapter heard with
    # any error is heard again by beam search, and the closer of the two readings is kept.
    from lmets_docs.listen import hear  # noqa: PLC0415

    (folder,) = (p.parent for p in short_heard.rglob("manifest.json"))
    entry = read_manifest(folder).artifacts["audio"]
    mp3, transcript = folder / entry.files["narration"], folder / entry.files["transcript"]
    heard_by = recogniser.load()
    sound = hear._decode(mp3)
    greedy = hear.hear_chapters(heard_by, mp3, sound, transcript)
    monkeypatch.setattr(hear, "CHAPTER_WER_MAX", 0.0)
    again = hear.hear_chapters(heard_by, mp3, sound, transcript)
    assert [c.title for c in again] == [c.title for c in greedy]
    assert all(a.wer <= g.wer for a, g in zip(again, greedy, strict=True)), [
        (g.title, g.wer, a.wer) for a, g in zip(again, greedy, strict=True)]
    assert any(a.wer < g.wer for a, g in zip(again, greedy, strict=True)), [
        (g.title, g.wer, a.wer) for a, g in zip(again, greedy, strict=True)]


def test_one_digit_of_the_helpline_said_wrong_inside_the_narration_is_caught(
        short_copy: Path) -> None:
    mp3, details = narration(short_copy)
    clip = [c for c in details["spoken_facts"] if c["fact"] == "contacts.helpline.phone"][-1]
    samples = tamper.replace_end(tamper.decode_mp3(mp3), clip["end_ms"] + 50,
                                 "0 8 0 8, 8 0 0, 4 0 4 0.", "0 8 0 8, 8 0 0, 4 0 4 1.", True)
    tamper.rewrite(mp3, samples)
    code, report = listen(short_copy)
    wrong = [f for f in listen_findings(report) if f["code"] == "listen-fact"]
    assert code == 1 and len(wrong) == 1
    assert wrong[0]["place"].startswith("contacts.helpline.phone at ")
    assert "'0 8 0 8, 8 0 0, 4 0 4 1'" in wrong[0]["message"]
    assert sum(line.startswith("heard as expected") for line in heard_lines(report)) == 8


def test_one_digit_of_the_helpline_said_wrong_in_the_opening_is_caught(short_copy: Path) -> None:
    mp3, details = narration(short_copy)
    clip = next(c for c in details["spoken_facts"] if c["fact"] == "contacts.helpline.phone")
    assert clip["end_ms"] < tamper.chapter_spans(mp3)[1][1]  # said in the opening chapter
    samples = tamper.replace_end(tamper.decode_mp3(mp3), clip["end_ms"] + 50,
                                 "0 8 0 8, 8 0 0, 4 0 4 0.", "0 8 0 8, 8 0 0, 4 0 4 1.", True)
    tamper.rewrite(mp3, samples)
    code, report = listen(short_copy)
    wrong = [f for f in listen_findings(report) if f["code"] == "listen-fact"]
    assert code == 1 and len(wrong) == 1
    assert wrong[0]["place"] == f"contacts.helpline.phone at {_clock(clip['start_ms'])}"
    assert "'0 8 0 8, 8 0 0, 4 0 4 1'" in wrong[0]["message"]


def _clock(ms: int) -> str:
    """Return a time as the listening report gives it: ``0:12.3``."""
    minutes, seconds = divmod(ms / 1000, 60)
    return f"{int(minutes)}:{seconds:04.1f}"


def test_a_review_date_a_day_off_is_caught(short_copy: Path) -> None:
    mp3, details = narration(short_copy)
    (clip,) = [c for c in details["spoken_facts"] if c["fact"] == "review.next_review_due"]
    samples = tamper.replace_end(tamper.decode_mp3(mp3), clip["end_ms"] + 50, clip["text"],
                                 "The next review is due by 23rd November 2022.", False)
    tamper.rewrite(mp3, samples)
    code, report = listen(short_copy)
    wrong = [f for f in listen_findings(report) if f["code"] == "listen-fact"]
    assert code == 1 and [f["place"].split(" at ")[0] for f in wrong] == [
        "review.next_review_due"]
    assert "'23rd November 2022'" in wrong[0]["message"]


# --- the recogniser itself ------------------------------------------------------------------


def test_without_the_extra_listen_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("lmets_docs.listen.available", lambda: False)
    for args in (["check", str(tmp_path), "--listen"],
                 ["build", str(SHORT), "--listen", "--out", str(tmp_path / "o")]):
        code, _, stderr = run(args)
        assert code == 2 and "pip install" in stderr and "[listen]" in stderr
        assert not (tmp_path / "o").exists()


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    real = recogniser.model_folder()
    for name in recogniser.MODEL_FILES:
        (tmp_path / name).symlink_to(real / name)
    recogniser.verify(tmp_path)
    (tmp_path / "config.json").unlink()
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CheckError, match=r"config\.json: the recogniser's model file is not "
                                         "the one pinned"):
        recogniser.verify(tmp_path)
    (tmp_path / "config.json").unlink()
    (tmp_path / "config.json").symlink_to(real / "config.json")
    (tmp_path / "model.bin").unlink()
    with pytest.raises(CheckError, match="cannot read the recogniser's model"):
        recogniser.verify(tmp_path)


# --- near misses and words, without the recogniser -------------------------------------------


def test_near_misses_are_formatted_like_the_facts() -> None:
    misses = near_misses(load_leaflet(SEED, "en-GB"))
    assert set(misses) == FACTS
    assert len(misses["contacts.helpline.phone"]) == 99
    assert misses["review.last_reviewed"] == ["21st November 2019", "23rd November 2019"]
    assert misses["contacts.helpline.hours"] == [
        "8 a.m. to 5 p.m., Monday to Friday", "10 a.m. to 5 p.m., Monday to Friday",
        "9 a.m. to 4 p.m., Monday to Friday", "9 a.m. to 6 p.m., Monday to Friday"]


def test_digit_changes_change_one_digit_at_a_time() -> None:
    changes = list(digit_changes("0 1, 2"))
    assert len(changes) == 27 and "9 1, 2" in changes and "0 1, 3" in changes
    assert all(sum(a != b for a, b in zip(c, "0 1, 2", strict=True)) == 1 for c in changes)


def test_words_are_compared_with_digits_and_clock_times_alike() -> None:
    assert words.normalise("Call 0808 at 9 a.m.") == ["call", "0", "8", "0", "8", "at", "9", "am"]
    assert words.error_rate("0 8 0 8, 8 0 0", "0808 800") == 0.0
    assert words.error_rate("one two three", "one three") == pytest.approx(1 / 3)
    meant = words.normalise("call the nurses on 0 8 0 8 today")
    said = words.normalise("call the nurses 020 7946 on 0808")
    (extra,) = words.extra_numbers(meant, said)
    assert extra == words.ExtraNumber(("0", "2", "0", "7", "9", "4", "6"), 3, 3)
    assert words.extra_numbers(meant, words.normalise("call the nurses on 0 8 0 9")) == []
    assert words.extra_numbers(meant, ["call"]) == []  # words not heard


def test_a_looping_transcription_is_told_from_speech() -> None:
    # Whisper's greedy decoding looped like this on the short leaflet's introduction once its
    # limiter's gains moved by hundredths of a decibel (build --listen above caught it).
    from lmets_docs.listen.hear import _loops  # noqa: PLC0415

    assert _loops("Treatment for Lepto Mein" + "in" * 120)
    assert _loops("0 8 0 8 " * 12)
    assert not _loops("This is a spoken version of the printed leaflet, read by a computer "
                      "voice, in four parts. It lasts about two minutes.")
    assert not _loops("in in in")


HEARD_HELP = [("Part 3 on 4, Help and Support.", 0.0, 4.24),
              ("You can call the Cancer Research UK Information Nursing on Freephone.", 4.24, 8.5),
              *[(("008." if n % 4 else "8."), 8.5 + n, 9.5 + n) for n in range(20)]]
"""What greedy decoding made of the short leaflet's "Help and support" (2026-12-03: a 19 s
chapter heard as "008." a second at a time, on to 28.5 s; 105 % word errors)."""


def test_a_loop_said_one_short_piece_at_a_time_is_told_from_speech() -> None:
    from lmets_docs.listen.hear import _loop_start, _loops  # noqa: PLC0415

    assert not any(_loops(text) for text, _, _ in HEARD_HELP)  # each piece too short to judge
    assert _loop_start(HEARD_HELP) == 2  # from the first "008." on
    assert _loop_start(HEARD_HELP[:2]) is None
    # a chapter heard well is not a loop, its pieces judged together a window at a time
    intro = [("This is a spoken version of the printed leaflet, read by a computer voice, "
              "in four parts.", 0.0, 5.0), ("It lasts about two minutes.", 5.0, 7.0),
             ("This information was last reviewed on 22 November 2019.", 7.0, 12.0),
             ("Its next review is due on 22 November 2022.", 12.0, 17.0),
             ("Cancer Research UK information nurses: to talk to someone, call", 17.0, 21.0),
             ("0 8 0 8, 8 0 0, 4 0 4 0.", 21.0, 26.0)]
    assert _loop_start(intro) is None
    assert _loop_start([*intro[:3], ("Mein" + "in" * 60, 12.0, 30.0), *intro[3:]]) == 3
    # a piece that loops on its own is where the loop starts, though a window from the
    # pieces before it loops too (the address leaflet's closing chapter, heard again from
    # its start, was heard as "1." 28 times)
    looping = ("Word 7" + ".0" * 120, 26.0, 30.0)
    assert _loops(" ".join(text for text, _, _ in [*intro[4:], looping]))
    assert _loop_start([*intro, looping]) == len(intro)


# --- a 24-hour contact's hours are heard too (user test L8) ------------------------------------

ALWAYS = DATA / "rtl-always"
ALWAYS_HOURS = "contacts.triage.hours"


@pytest.fixture(scope="module")
def always_heard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the English narration of a leaflet whose main contact is open 24 hours."""
    out = tmp_path_factory.mktemp("always") / "out"
    code, _, stderr = build(ALWAYS, out, "espeak", "--lang", "en-GB")
    assert code == 0, stderr
    return out


def test_the_24_hour_hours_have_one_digit_near_misses() -> None:
    misses = near_misses(load_leaflet(ALWAYS, "en-GB"))[ALWAYS_HOURS]
    assert len(misses) == 27
    assert {"23 hours a day, 7 days a week", "24 hours a day, 6 days a week"} <= set(misses)


def test_check_listen_hears_the_24_hour_hours(always_heard: Path) -> None:
    _, report = listen(always_heard)
    # (The chapters of addresses are read "at … dot …" and heard as written: word errors.)
    assert [f for f in listen_findings(report) if f["code"] == "listen-fact"] == []
    heard = [line for line in heard_lines(report) if ALWAYS_HOURS in line]
    assert len(heard) == 3, heard_lines(report)  # the opening, the text, the closing
    assert all(line.startswith("heard as expected") for line in heard), heard


def test_24_hours_said_as_5_days_a_week_is_caught(always_heard: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(always_heard, out, ignore=shutil.ignore_patterns(".cache", ".stamps"))
    mp3, details = narration(out)
    clip = [c for c in details["spoken_facts"] if c["fact"] == ALWAYS_HOURS][-1]
    assert clip["text"] == "Lines are open 24 hours a day, 7 days a week."
    samples = tamper.replace_end(tamper.decode_mp3(mp3), clip["end_ms"] + 50, clip["text"],
                                 "Lines are open 24 hours a day, 5 days a week.", False)
    tamper.rewrite(mp3, samples)
    code, report = listen(out)
    wrong = [f for f in listen_findings(report) if f["code"] == "listen-fact"]
    assert code == 1 and [f["place"].split(" at ")[0] for f in wrong] == [ALWAYS_HOURS], wrong
    assert "'24 hours a day, 5 days a week'" in wrong[0]["message"]
