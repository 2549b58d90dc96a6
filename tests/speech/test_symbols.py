# ruff: noqa: RUF001, RUF002  (the en dash and the times sign are what is tested)
"""The narration says the prose's symbols in words: heard back from real narrations.

The fresh-eyes user test's leaflet (``tests/data/usertest``: "1½ to 2 hours", "2–3 hours",
"60 °C", "≥ 10 g", "37.5 °C") is narrated by espeak-ng in English and in Welsh (its
Welsh DOCX imported); each sentence is read back from the written transcript, and espeak-ng's
own phonemes (``-x``) for that line prove what a listener hears: "and a half", "degrees
Celsius", where the symbols alone give "one a half" and "degrees C" (Welsh: "(en)a half",
"Ek"). The printed formats keep the symbols; the facts are never changed.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from lmets_docs.build import build
from lmets_docs.i18n import messages
from lmets_docs.importer import import_docx
from lmets_docs.model import Text
from lmets_docs.options import BuildOptions
from lmets_docs.sentence import split
from lmets_docs.speech.symbols import SymbolWords
from tests.conftest import DATA

USERTEST = DATA / "usertest"


def phonemes(text: str, voice: str) -> str:
    """Return espeak-ng's phonemes for ``text`` (what it would say), as its ``-x`` gives them,
    its pauses (``_:``) and line breaks as single spaces."""
    out = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice, text], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.replace("_:", " ").split())


def usertest(tmp_path: Path, english: str, web: str | None = None) -> Path:
    """Return a copy of the user test's leaflet with ``english`` as its en-GB.md."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    shutil.copy(USERTEST / english, folder / "en-GB.md")
    if web is not None:
        yaml = folder / "leaflet.yaml"
        old = "https://www.northshire-hospitals.example.nhs.uk/our-services/"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace(old, web + "/x/"),
                        encoding="utf-8")
    return folder


def narrate(folder: Path, lang: str, options: BuildOptions, *more: str) -> list[str]:
    """Build the leaflet's narration and PDF (and ``more`` formats) in ``lang`` (espeak-ng);
    return the narration's transcript's lines."""
    build([folder], dataclasses.replace(options, langs=(lang,),
                                        formats=("audio", "pdf", *more)))
    transcript = options.out / "eating-well-chemo" / lang / "audio" / "transcript.txt"
    return transcript.read_text(encoding="utf-8").splitlines()


def line_with(lines: list[str], start: str) -> str:
    """Return the transcript's line that starts with ``start``."""
    return next(line for line in lines if line.startswith(start))


def test_the_english_narration_says_half_and_degrees_celsius(
    tmp_path: Path, options: BuildOptions
) -> None:
    lines = narrate(usertest(tmp_path, "en-GB.v2.md"), "en-GB", options)
    meal = line_with(lines, "Try to eat a small meal")
    assert "1 and a half to 2 hours" in meal
    assert "w'0n and a# h'A:f t@ t'u: 'aU3z" in phonemes(meal, "en-gb")
    assert "w'0n a# h'A:f" in phonemes("1½ to 2 hours", "en-gb")  # what the symbol gave
    fridge = line_with(lines, "Keep your fridge")
    assert fridge == ("Keep your fridge at 5 degrees Celsius or below. A temperature of 37.5 "
                      "degrees Celsius or above can be serious.")
    said = phonemes(fridge, "en-gb")
    assert said.count("dI2gr'i:z s'ElsI2;@s") == 2
    assert "s'i:" not in said  # not "degrees C"
    assert line_with(lines, "Step 1") == ("Step 1: eat little and often: half a sandwich every "
                                          "2 to 3 hours.")
    assert "Snacks with at least 10 grams of protein" in lines
    assert "Soups (let them cool below 60 degrees Celsius)" in lines
    assert "Call at once if your temperature is 37.5 degrees Celsius or higher." in lines


def test_the_welsh_narration_says_the_symbols_in_welsh(
    tmp_path: Path, options: BuildOptions
) -> None:
    folder = usertest(tmp_path, "en-GB.presplit.md")
    import_docx(USERTEST / "cy-good.docx", "cy", folder)
    lines = narrate(folder, "cy", options)
    meal = line_with(lines, "Ceisiwch fwyta pryd bach")
    assert "1 a hanner i 2 awr" in meal
    said = phonemes(meal, "cy")
    assert "'Yn a h'annEr I d'aY 'aUr" in said
    assert "(en)" not in said  # the symbol alone switched to English: "a half"
    infection = line_with(lines, "Os oes gennych niwtropenia")
    assert "ar 5 gradd Celsius neu\u2019n is" in infection
    assert "37.5 gradd Celsius neu uwch" in infection
    assert phonemes(infection, "cy").count("gr'A:D k'ElSYs") == 2
    assert "tr'i:D,e:gs'aIT puYnt p'Ymp 'Ek" in phonemes("37.5 °C", "cy")  # the symbol: "Ek"
    assert line_with(lines, "Cam 1").endswith("hanner brechdan bob 2 i 3 awr.")
    assert "Byrbrydau gyda o leiaf 10 gram o brotein" in lines


def test_the_printed_formats_keep_the_symbols_and_the_facts_are_not_changed(
    tmp_path: Path, options: BuildOptions
) -> None:
    web = "https://www.northshire-hospitals.example.nhs.uk/2-3"
    folder = usertest(tmp_path, "en-GB.v2.md", web=web)
    lines = narrate(folder, "en-GB", options, "html")
    assert any("uk slash 2 hyphen 3 slash x slash" in line for line in lines)  # a fact: as said
    assert "Step 1: eat little and often: half a sandwich every 2 to 3 hours." in lines
    pdf = options.out / "eating-well-chemo" / "en-GB" / "eating-well-chemo-large-print.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "½ a sandwich every 2–3 hours" in text
    assert "37.5 °C" in text
    # The page shows the sentence as printed; its clip and its caption, the words said.
    built = pdf.parent
    sentence = "infection-and-food-safety.2.s2"
    page = lxml.html.parse(str(built / "html" / "index.html")).getroot()
    assert page.get_element_by_id(sentence).text_content() == (
        "A temperature of 37.5 °C or above can be serious.")
    timings = json.loads((built / "audio" / "timings.json").read_text(encoding="utf-8"))
    clips = [clip for track in timings["tracks"] for clip in track["clips"]
             if clip["ref"] == sentence]
    said = "A temperature of 37.5 degrees Celsius or above can be serious."
    assert [clip["text"] for clip in clips] == [said]
    captions = (built / "html" / "captions" / "04-infection-and-food-safety.vtt").read_text(
        encoding="utf-8")
    assert f"\n{said}\n" in captions


EN = SymbolWords("en-GB", messages("en-GB"))


@pytest.mark.parametrize(("written", "said"), [
    ("1½ to 2 hours", "1 and a half to 2 hours"),
    ("¼ of a cup, 2¾ cups", "a quarter of a cup, 2 and three quarters cups"),
    ("1½ kg", "1 and a half kilograms"),
    ("1 g, 500mg, 7 mmol/L, 5 ml, 2 cm, 3 mm", "1 gram, 500 milligrams, 7 millimoles per "
     "litre, 5 millilitres, 2 centimetres, 3 millimetres"),
    ("50% of people", "50 per cent of people"),
    ("above 100 °F", "above 100 degrees Fahrenheit"),
    ("36–37.5°C", "36 to 37.5 degrees Celsius"),
    ("aged 18-65.", "aged 18 to 65."),
    ("Pages 305 - 312", "Pages 305 to 312"),
    ("≤ 2 ml, > 38 °C, < 5, ~2 hours", "no more than 2 millilitres, more than 38 degrees "
     "Celsius, less than 5, about 2 hours"),
    ("a 10 × 15 cm dressing", "a 10 times 15 centimetres dressing"),
    ("1,000 g", "1,000 grams"),
    ("2 x 500 mg tablets", "2 times 500 milligrams tablets"),
    ("500 mg/day, 2 mg/kg, 0.5 ml/hour", "500 milligrams per day, 2 milligrams per kilogram, "
     "0.5 millilitres per hour"),
    ("call 111, open 24/7.", "call 111, open 24 hours a day, 7 days a week."),
    ("take it 3x a day", "take it 3 times a day"),
])
def test_symbols_are_said_in_words(written: str, said: str) -> None:
    assert EN.say(written) == said


@pytest.mark.parametrize("text", [
    "a 24-hour hotline", "type 2 diabetes", "call 999", "2024-02-01", "1-2-3", "Ward 12",
    "Step 1: eat", "A to B", "a g-tube", "page 3/4", "version 1.2.3-4", "24/7/365", "5 x",
    "10 mg/dl", "0x1F", "version 2.3x", "2-3rd",
])
def test_text_without_a_symbol_to_say_is_unchanged(text: str) -> None:
    assert EN.say(text) == text


def test_urdu_says_cldr_units_and_its_catalogue_words() -> None:
    urdu = SymbolWords("ur", messages("ur"))
    assert urdu.say("37.5 °C") == "37.5 ڈگری سیلسیس"
    assert urdu.say("2–3") == "2 سے 3"
    assert urdu.say("24/7") == "دن کے 24 گھنٹے، ہفتے کے 7 دن"  # as its contacts' hours say it
    assert SymbolWords("cy", messages("cy")).say("500 mg/day") == "500 miligram y diwrnod"


@pytest.mark.parametrize("text", [
    "9" * 10_000 + " g", "1,000" * 2_000, "1-" * 5_000, "½" * 10_000, "≥ " * 5_000 + "1",
    "1 " * 5_000 + "-2", "5 mg/day" * 1_200, "1.2,3-4–5×6 g" * 800, "£" * 5_000 + "1",
    "£1-" * 3_000, "50p" * 3_000, "£1.5" * 2_000, "140/" * 2_500, "E.g. " * 2_000,
    "approx" * 1_600, "9 min." * 1_400,
])
def test_hostile_prose_is_said_without_a_failure(text: str) -> None:
    said = EN.say(text)  # a line of a leaflet is at most 10,000 characters
    assert said.startswith(text[:3]) or said.startswith(
        ("half", "at least", "1 to 1 pound", "1 pound", "pence", "140 over", "For example",
         "approximately"))
    assert len(split((Text(text),))) >= 1


def test_a_number_too_long_for_babel_keeps_its_unit_as_written() -> None:
    assert EN.say("9" * 10_000 + " g") == "9" * 10_000 + " g"


@pytest.mark.parametrize(("written", "said"), [
    ("It costs £5.", "It costs 5 pounds."),
    ("£1 a day, £2.50 each, £1,000, €10", "1 pound a day, 2 pounds 50 pence each, "
     "1,000 pounds, 10 euros"),
    ("£5–£10 or £5 - 10", "5 to 10 pounds or 5 to 10 pounds"),
    ("50p, 1p, £0.50, £0.01, £2.00, £1.05, £1,000.50", "50 pence, 1 penny, 50 pence, 1 penny, "
     "2 pounds, 1 pound 5 pence, 1,000 pounds 50 pence"),
    ("€3.20, €1, €0.99, €2.5", "3 euros 20 cents, 1 euro, 99 cents, 2 euros 50 cents"),
    ("£1.999, £2.50–£3, 5p.", "1.999 pounds, 2 pounds 50 pence to 3 pounds, 5 pence."),
    ("approx. 5 mg, approx 2 hours", "approximately 5 milligrams, approximately 2 hours"),
    ("E.g. tea, coffee, etc.", "For example tea, coffee, et cetera."),
    ("a painkiller, e.g. paracetamol, i.e. a tablet, etc., then", "a painkiller, for example "
     "paracetamol, that is a tablet, et cetera, then"),
    ("max. 4 g a day, min. 2 days", "maximum 4 grams a day, minimum 2 days"),
    ("140/90, 100/60 mmHg", "140 over 90, 100 over 60 millimetres of mercury"),
])
def test_money_abbreviations_and_readings_are_said_in_words(written: str, said: str) -> None:
    assert EN.say(written) == said


@pytest.mark.parametrize("text", [
    "1/2", "on 22/11", "page 3/4", "12/10/2024", "90/140", "140/90/80", "5/250", "wait 10 min.",
    "$5", "£", "Approximately", "the max", "exempt.", "a £5-note", "1.140/90", "p50", "5pm",
    "1.5p", "1000p", "£5p", "A4p",
])
def test_what_is_no_money_abbreviation_or_reading_is_unchanged(text: str) -> None:
    assert EN.say(text) == text


@pytest.mark.parametrize(("lang", "written", "said"), [
    ("cy", "£1, £2 a £5", "1 bunt, 2 bunt a 5 punt"),  # CLDR's plurals, GB's own currency
    ("cy", "£2.50, 1p, 50p, €3.20", "2 bunt 50 ceiniog, 1 geiniog, 50 ceiniog, 3 ewro 20 sent"),
    ("ur", "£2.50، 50p", "2 برطانوی پاؤنڈ 50 پینس، 50 پینس"),  # GBP is not Pakistan's
    ("ar", "£2.50، €3.20", "2 جنيه إسترليني و50 بنس، 3 يورو و20 سنت"),
    ("cy", "140/90, e.e. te, h.y. coffi, ayb.", "140 dros 90, er enghraifft te, hynny yw coffi, "
     "ac yn y blaen."),
    ("cy", "approx. 5", "approx. 5"),  # English abbreviations are not said in Welsh
    ("ur", "£5، 140/90", "5 برطانوی پاؤنڈ، 140 بٹا 90"),
    ("ar", "£5، 140/90 إلخ", "5 جنيه إسترليني، 140 على 90 إلى آخره"),
])
def test_other_languages_say_cldr_currency_names_and_their_own_words(
    lang: str, written: str, said: str
) -> None:
    assert SymbolWords(lang, messages(lang)).say(written) == said


def test_a_sentence_goes_on_after_an_abbreviations_full_stop() -> None:
    text = ("Take a painkiller, e.g. paracetamol. Rest, etc. Then sleep. Approx. 5 mg a day. "
            "Parking is approx. £5. Dewiswch, e.e. te.")
    assert [run[0].text for run in split((Text(text),))] == [  # type: ignore[union-attr]
        "Take a painkiller, e.g. paracetamol.", "Rest, etc.", "Then sleep.",
        "Approx. 5 mg a day.", "Parking is approx. £5.", "Dewiswch, e.e. te."]
