"""Money, abbreviations and blood pressure readings, said in words in real narrations.

The user test's leaflet gets a section with "140/90", "£9.90", "approx. £5", "50p" and "e.g.";
espeak-ng narrates it in English (and in Welsh for the same words in Welsh), the transcript
is read back, espeak-ng's phonemes prove what is said where the symbols alone give "pound
five", "slash" and a stop after "approx", and the recogniser of ``--listen`` (Whisper tiny.en,
offline) hears "140 over 90" rather than "140 slash 90" in the sentence's own clip.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.speech.test_symbols import line_with, narrate, phonemes

USERTEST = DATA / "usertest"
ENGLISH = """
## Blood pressure and costs

Your blood pressure should be below 140/90. A prescription costs £9.90, and parking is
approx. £5 a day. A leaflet is 50p.

Bring your tablets, e.g. your inhaler, and your diary, etc.
"""
WELSH = """---
title: Bwyta'n dda yn ystod cemotherapi
lang: cy
translated_from: en-GB
---

## Pwysedd gwaed a chostau

Dylai eich pwysedd gwaed fod yn is na 140/90. Mae presgripsiwn yn costio £2.50, a pharcio £5.

Dewch â'ch tabledi, e.e. eich anadlydd.
"""


def leaflet(tmp_path: Path, lang: str) -> Path:
    """Return a copy of the user test's leaflet with the section on money and readings."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    english = (USERTEST / "en-GB.v2.md").read_text(encoding="utf-8")
    (folder / "en-GB.md").write_text(english + ENGLISH if lang == "en-GB" else
                                     english.split("\n## ", 1)[0] + "\n", encoding="utf-8")
    if lang == "cy":
        (folder / "cy.md").write_text(WELSH, encoding="utf-8")
    return folder


def test_the_english_narration_says_money_abbreviations_and_readings(
    tmp_path: Path, options: BuildOptions
) -> None:
    lines = narrate(leaflet(tmp_path, "en-GB"), "en-GB", options)
    pressure = line_with(lines, "Your blood pressure")
    assert pressure == ("Your blood pressure should be below 140 over 90. A prescription costs "
                        "9 pounds 90 pence, and parking is approximately 5 pounds a day. A "
                        "leaflet is 50 pence.")
    said = phonemes(pressure, "en-gb")
    assert ",oUv3 n'aInti" in said
    assert "sl'aS" in phonemes("140/90", "en-gb")  # what the symbol gave
    assert "n'aIn p'aUndz n'aInti p'Ens" in said and "br'ItIS" not in said
    assert "p'aUnd f'aIv" in phonemes("£5", "en-gb")  # "pound five"
    assert "pOInt n'aIn z'i@roU" in phonemes("£9.90", "en-gb")  # "pound nine point nine zero"
    assert "f'Ifti p'i:" in phonemes("50p", "en-gb")  # "fifty pee"
    assert "a#pr'0ksIm@tli f'aIv p'aUndz" in said and "f'Ifti p'Ens" in said
    assert line_with(lines, "Bring your tablets") == ("Bring your tablets, for example your "
                                                      "inhaler, and your diary, et cetera.")
    timings = json.loads((options.out / "eating-well-chemo" / "en-GB" / "audio" /
                          "timings.json").read_text(encoding="utf-8"))
    refs = [clip["ref"] for track in timings["tracks"] for clip in track["clips"]
            if clip["ref"].startswith("blood-pressure-and-costs.")]
    assert refs == ["blood-pressure-and-costs.1.s1", "blood-pressure-and-costs.1.s2",
                    "blood-pressure-and-costs.1.s3",
                    "blood-pressure-and-costs.2"]  # no sentence cut after "approx." or "e.g."


def test_the_welsh_narration_says_them_in_welsh(tmp_path: Path, options: BuildOptions) -> None:
    lines = narrate(leaflet(tmp_path, "cy"), "cy", options)
    pressure = line_with(lines, "Dylai eich pwysedd")
    assert pressure == ("Dylai eich pwysedd gwaed fod yn is na 140 dros 90. Mae presgripsiwn yn "
                        "costio 2 bunt 50 ceiniog, a pharcio 5 punt.")
    said = phonemes(pressure, "cy")
    assert "d'aY b'Ynt p'YmD,e:g k'@InjOg" in said and "p'Ymp p'Ynt" in said
    assert "pr'VdaIn" not in said
    assert "p'Ymp" in phonemes("£5", "cy") and "p'Ynt" not in phonemes("£5", "cy")
    assert "(en)" not in said
    assert line_with(lines, "Dewch") == "Dewch â'ch tabledi, er enghraifft eich anadlydd."


@pytest.mark.parametrize(("ref", "said", "before"), [
    ("blood-pressure-and-costs.1.s1", "Your blood pressure should be below 140 over 90.",
     "Your blood pressure should be below 140 slash 90."),
    ("blood-pressure-and-costs.1.s2", "A prescription costs 9 pounds 90 pence, and parking is "
     "approximately 5 pounds a day.", "A prescription costs 9.90 British pounds, and parking "
     "is approximately 5 British pounds a day."),  # what the narration said before
    ("blood-pressure-and-costs.1.s3", "A leaflet is 50 pence.", "A leaflet is 50 p."),
])
def test_the_recogniser_hears_the_words_and_not_the_symbols(
    tmp_path: Path, options: BuildOptions, ref: str, said: str, before: str
) -> None:
    pytest.importorskip("faster_whisper")
    from lmets_docs.listen import recogniser  # noqa: PLC0415 (the optional extra)
    from lmets_docs.sound.files import decode_file  # noqa: PLC0415

    narrate(leaflet(tmp_path, "en-GB"), "en-GB", options)
    audio = options.out / "eating-well-chemo" / "en-GB" / "audio"
    timings = json.loads((audio / "timings.json").read_text(encoding="utf-8"))
    track, clip = next((track, clip) for track in timings["tracks"] for clip in track["clips"]
                       if clip["ref"] == ref)
    sound = decode_file(audio.parent / track["file"], 16_000)
    rate = timings["rate"]
    heard = recogniser.load()
    encoded = heard.encode(sound[clip["begin"] * 16_000 // rate:clip["end"] * 16_000 // rate])
    right, wrong = heard.score(encoded, [said, before])
    assert right > wrong + 1.0, (right, wrong)
