# ruff: noqa: RUF001  (the Urdu full stop is what Urdu leaflets write)
"""Times in words and single times that speak of opening hours, in en-GB, Welsh, Urdu, Arabic.

Times in words are found as ranges like times in digits (and refused, as typed hours are);
a single time after an opening or closing word ("call before 5pm", "ffoniwch cyn 5 y
prynhawn") that is none of the contacts' opening or closing times is warned about when the
real leaflet is loaded (and by ``validate``), at its line; one that is a contact's is not.
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.cli import cli
from lmets_docs.errors import LmetsError
from lmets_docs.options import BuildOptions
from lmets_docs.scan_hours import single_times, time_ranges
from lmets_docs.source import load_leaflet
from tests.conftest import BEFORE_DUE, DATA

USERTEST = DATA / "usertest"

IN_WORDS = [
    ("en-GB", "Open nine am to five pm.", "nine am to five pm", "09:00", "17:00"),
    ("en-GB", "We answer from nine thirty a.m. until four thirty p.m.",
     "nine thirty a.m. until four thirty p.m.", "09:30", "16:30"),
    ("en-GB", "From nine o\u2019clock to five o\u2019clock.",
     "nine o\u2019clock to five o\u2019clock", "09:00", "17:00"),
    ("en-GB", "Open eight in the morning to 8 pm", "eight in the morning to 8 pm", "08:00",
     "20:00"),
    ("cy", "Ffoniwch o naw y bore tan bump y prynhawn.", "naw y bore tan bump y prynhawn",
     "09:00", "17:00"),
    ("cy", "Ar agor o ddeg y bore tan un ar ddeg yr hwyr", "ddeg y bore tan un ar ddeg yr hwyr",
     "10:00", "23:00"),
    # Urdu (draft words): the period before the hour and "بجے" (o'clock) after it
    ("ur", "ہم صبح نو بجے سے شام پانچ بجے تک کھلے ہیں۔", "صبح نو بجے سے شام پانچ بجے",
     "09:00", "17:00"),
    ("ur", "صبح کے آٹھ بجے سے رات کے آٹھ بجے تک فون کریں۔", "صبح کے آٹھ بجے سے رات کے آٹھ بجے",
     "08:00", "20:00"),
    ("ur", "نو بجے صبح سے چار بجے شام تک", "نو بجے صبح سے چار بجے شام", "09:00", "16:00"),
    ("ur", "ہم صبح 9 بجے سے شام ۵ بجے تک کھلے ہیں۔", "صبح 9 بجے سے شام ۵ بجے", "09:00",
     "17:00"),
    ("ur", "دس بجے سے چار بجے تک", "دس بجے سے چار بجے", "10:00", "16:00"),
    ("ur", "صبح ساڑھے آٹھ بجے سے شام پانچ بجے تک", "صبح ساڑھے آٹھ بجے سے شام پانچ بجے",
     "08:30", "17:00"),
]


@pytest.mark.parametrize(("lang", "text", "raw", "opens", "closes"), IN_WORDS,
                         ids=[case[2] for case in IN_WORDS])
def test_a_range_of_times_in_words_is_found(lang: str, text: str, raw: str, opens: str,
                                            closes: str) -> None:
    assert list(time_ranges(text, lang)) == [(raw, opens, closes)]


SINGLE = [
    ("en-GB", "Call before 5pm, or after nine thirty am. We open from 9am.",
     [("5pm", "17:00"), ("nine thirty am", "09:30"), ("9am", "09:00")]),
    ("en-GB", "The line closes at 4.30 pm and opens at midday.",
     [("4.30 pm", "16:30"), ("midday", "12:00")]),
    ("cy", "Ffoniwch cyn 5 y prynhawn, neu ar \u00f4l naw y bore.",
     [("5 y prynhawn", "17:00"), ("naw y bore", "09:00")]),
    ("cy", "Mae'r llinell yn cau am bedwar o'r gloch.", [("bedwar o'r gloch", "16:00")]),
    ("ar", "اتصل قبل 5 م، أو بعد الساعة 9:30 ص. نفتح من ٩ ص.",
     [("5 م", "17:00"), ("9:30 ص", "09:30"), ("٩ ص", "09:00")]),
    ("ur", "5 شام سے پہلے فون کریں، یا 9:30 صبح کے بعد۔ ہم 9 صبح سے کھلے ہیں، جمعہ کو 4 شام تک۔",
     [("5 شام", "17:00"), ("9:30 صبح", "09:30"), ("9 صبح", "09:00"), ("4 شام", "16:00")]),
    ("ur", "شام پانچ بجے سے پہلے فون کریں، یا صبح کے نو بجے کے بعد۔ جمعہ کو شام 4 بجے تک۔",
     [("شام پانچ بجے", "17:00"), ("صبح کے نو بجے", "09:00"), ("شام 4 بجے", "16:00")]),
    ("ur", "ہم گیارہ بجے سے کھلے ہیں اور تین بجے تک۔", [("گیارہ بجے", "11:00"),
                                                   ("تین بجے", "15:00")]),
    # half past, quarter past, quarter to five; half past one, half past two
    ("ur", "ساڑھے پانچ بجے سے پہلے، سوا پانچ بجے تک، پونے پانچ بجے کے بعد فون کریں۔",
     [("ساڑھے پانچ بجے", "17:30"), ("سوا پانچ بجے", "17:15"), ("پونے پانچ بجے", "16:45")]),
    ("ur", "ڈیڑھ بجے تک، دوپہر ڈھائی بجے کے بعد، شام کے ساڑھے 5 بجے تک۔",
     [("ڈیڑھ بجے", "13:30"), ("دوپہر ڈھائی بجے", "14:30"), ("شام کے ساڑھے 5 بجے", "17:30")]),
    # typed on an Arabic keyboard: Arabic heh for heh goal (the places found are the text's)
    ("ur", "گیاره بجے سے پہلے، دوپهر باره بجے کے بعد۔",
     [("گیاره بجے", "11:00"), ("دوپهر باره بجے", "12:00")]),
]


@pytest.mark.parametrize(("lang", "text", "found"), SINGLE, ids=[case[1] for case in SINGLE])
def test_a_single_time_after_an_opening_or_closing_word_is_found(
    lang: str, text: str, found: list[tuple[str, str]]
) -> None:
    assert list(single_times(text, lang)) == found


@pytest.mark.parametrize(("lang", "text"), [
    ("en-GB", "Take 2 tablets at 8 am and 8 pm."),  # no opening or closing word
    ("en-GB", "Take one in the morning and one at night."),
    ("en-GB", "Open from 8am to 8pm."),  # a range, refused as hours, not warned twice
    ("en-GB", "Wait until 2 tablets have dissolved, from 5 to 10 minutes, by 2030."),
    ("cy", "Cymerwch 2 dabled am 8 y bore."),
    ("cy", "Ar agor o 9 y bore tan 5 y prynhawn."),
    ("ar", "نفتح من 9 ص إلى 5 م. خذ حبتين 8 ص و8 م. واحد من 3، قبل 5 دقائق."),
    ("ur", "9 صبح سے 5 شام تک کھلا ہے۔ 8 صبح اور 8 شام 2 گولیاں لیں۔ 5 سے 10 منٹ تک۔"),
    ("ur", "صبح آٹھ بجے اور رات آٹھ بجے دو گولیاں لیں۔ دو سے تین دن تک۔"),
    ("ur", "25 بجے سے پہلے، 0 بجے تک، 10.5 بجے کے بعد۔"),  # no hour of a clock
])
def test_doses_ranges_and_numbers_are_no_single_times(lang: str, text: str) -> None:
    assert list(single_times(text, lang)) == []


HOSTILE = ["nine " * 3000 + "am", "before " * 3000 + "5pm", "o " * 4000 + "naw y bore",
           "nine thirty " * 2000, "bump o'r gloch " * 1500, "tan " * 4000,
           "قبل الساعة " * 2000 + "5 م", "5 شام " * 2000 + "سے پہلے", "5 سے " * 3000,
           "شام کے " * 2000 + "پانچ بجے", "ساڑھے " * 3000 + "پانچ بجے", "پانچ بجے " * 3000,
           "شام " * 3000 + "5 بجے سے پہلے"]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("lang", ["en-GB", "cy", "ur", "ar"])
def test_hostile_input_is_read_in_linear_time(text: str, lang: str) -> None:
    list(single_times("warm up", lang))
    start = time.process_time()
    list(single_times(text, lang))
    list(time_ranges(text, lang))
    assert time.process_time() - start < 5.0


def test_random_words_and_times_are_read_quickly() -> None:
    pieces = ["nine", "naw", "bump", " ", "am", "pm", "y bore", "before", "cyn", "o'r gloch",
              "o'clock", "thirty", "to", "tan", "5", ":", "-"]
    rng = random.Random(28)
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(2000))
        start = time.process_time()
        for lang in ("en-GB", "cy"):
            list(single_times(text, lang))
            list(time_ranges(text, lang))
        assert time.process_time() - start < 5.0


def test_random_urdu_words_and_times_are_read_quickly() -> None:
    pieces = ["پانچ", "نو", "بارہ", " ", "بجے", "شام", "صبح", "کے", "سے", "تک", "پہلے",
              "ساڑھے", "سوا", "5", "۵", "25", ":", ".", "am", "\u0640"]
    rng = random.Random(29)
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(2000))
        start = time.process_time()
        for found, when in single_times(text, "ur"):
            assert found in text and len(when) == 5
        for found, opens, closes in time_ranges(text, "ur"):
            assert found in text and len(opens) == len(closes) == 5
        assert time.process_time() - start < 5.0


ENGLISH = """
## Calling us

Call the dietitians before 5pm on a weekday.

They answer from 8.30 am, and on Fridays until 4 pm.
"""
WELSH = """---
title: Bwyta'n dda yn ystod cemotherapi
lang: cy
translated_from: en-GB
---

## Ffonio

Ffoniwch y dietegwyr cyn pump o'r gloch.

Maen nhw'n ateb o 8:30 y bore, a than 4 y prynhawn ar ddydd Gwener.
"""


def leaflet(tmp_path: Path, welsh: str = WELSH) -> Path:
    """Return a copy of the user test's leaflet with a section that gives single times."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    english = (USERTEST / "en-GB.v2.md").read_text(encoding="utf-8")
    (folder / "en-GB.md").write_text(english + ENGLISH, encoding="utf-8")
    (folder / "cy.md").write_text(welsh, encoding="utf-8")
    return folder


def hour_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [warning for warning in warnings if "opening or closing times" in warning]


def test_a_single_time_that_is_none_of_the_contacts_is_warned_at_its_line(
    tmp_path: Path
) -> None:
    folder = leaflet(tmp_path)
    english = (folder / "en-GB.md").read_text(encoding="utf-8").splitlines()
    line = english.index("Call the dietitians before 5pm on a weekday.") + 1
    assert hour_warnings(load_leaflet(folder, "en-GB").warnings) == [
        f"{folder / 'en-GB.md'}:{line}: time '5pm' typed in the text is none of the contacts' "
        "opening or closing times (08:30, 16:00, 16:30): if it speaks of a contact's hours, "
        "they have likely changed since it was written; write {{ contacts.<id>.hours }} "
        "instead"]
    welsh = hour_warnings(load_leaflet(folder, "cy").warnings)
    assert [warning.split(": ", 1)[0] for warning in welsh] == [f"{folder / 'cy.md'}:9"]
    assert "time \"pump o'r gloch\" typed in the text" in welsh[0]


URDU = """---
title: کیموتھراپی کے دوران اچھا کھانا
lang: ur
translated_from: en-GB
---

## فون کرنا

ماہرین غذائیت کو 5 شام سے پہلے فون کریں۔

وہ جمعہ کو 4 شام تک جواب دیتے ہیں۔
"""


def test_an_urdu_single_time_is_warned_at_its_line_and_a_contacts_is_not(
    tmp_path: Path
) -> None:
    folder = leaflet(tmp_path)
    (folder / "ur.md").write_text(URDU, encoding="utf-8")
    urdu = hour_warnings(load_leaflet(folder, "ur").warnings)
    assert [warning.split(": ", 1)[0] for warning in urdu] == [f"{folder / 'ur.md'}:9"]
    assert "time '5 شام' typed in the text" in urdu[0]  # 4 شام is Friday's closing time


def test_an_urdu_single_time_in_words_is_warned_at_its_line(tmp_path: Path) -> None:
    folder = leaflet(tmp_path)
    (folder / "ur.md").write_text(URDU.replace("5 شام سے پہلے", "شام کے پانچ بجے سے پہلے")
                                  .replace("4 شام تک", "شام چار بجے تک"), encoding="utf-8")
    urdu = hour_warnings(load_leaflet(folder, "ur").warnings)
    assert [warning.split(": ", 1)[0] for warning in urdu] == [f"{folder / 'ur.md'}:9"]
    assert "time 'شام کے پانچ بجے' typed in the text" in urdu[0]  # چار بجے: Friday's 16:00


def test_urdu_hours_in_words_typed_into_the_text_are_refused(tmp_path: Path) -> None:
    folder = leaflet(tmp_path)
    (folder / "ur.md").write_text(URDU + "\nہم صبح نو بجے سے شام پانچ بجے تک کھلے ہیں۔\n",
                                  encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    said = result.stdout + result.stderr
    assert f"{folder / 'ur.md'}:13: opening hours 'صبح نو بجے سے شام پانچ بجے' typed in" in said


def test_single_times_that_are_a_contacts_are_not_warned(tmp_path: Path) -> None:
    folder = leaflet(tmp_path, WELSH.replace("cyn pump o'r gloch", "cyn 4:30 y prynhawn"))
    (folder / "en-GB.md").write_text((folder / "en-GB.md").read_text(encoding="utf-8").replace(
        "before 5pm", "before half past four"), encoding="utf-8")
    assert hour_warnings(load_leaflet(folder, "en-GB").warnings) == []
    assert hour_warnings(load_leaflet(folder, "cy").warnings) == []


def test_validate_says_the_warning_and_exits_0(tmp_path: Path) -> None:
    folder = leaflet(tmp_path)
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert "time '5pm' typed in the text is none of the contacts'" in result.stderr


def test_times_in_words_typed_as_hours_are_refused(tmp_path: Path) -> None:
    folder = leaflet(tmp_path)
    english = folder / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOpen nine am to five pm.\n",
                       encoding="utf-8")
    with pytest.raises(LmetsError, match="opening hours 'nine am to five pm' typed in the text"):
        load_leaflet(folder, "en-GB")


def test_check_does_not_repeat_a_warning_the_source_gave(tmp_path: Path,
                                                         options: BuildOptions) -> None:
    folder = leaflet(tmp_path)
    build([folder], dataclasses.replace(options, langs=("en-GB",),
                                        formats=("pdf", "docx", "audio")))
    out = options.out / "eating-well-chemo" / "en-GB"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(hour_warnings(tuple(manifest["warnings"]))) == 1
    report = check([out], BEFORE_DUE)
    assert [f for f in report.findings if f.code == "fact-hours"] == [], report.text()


def test_the_scans_import_in_layers_without_a_cycle() -> None:
    """scan_clock (one time) is imported by scan_times (times in words), which scan_hours
    (ranges, single times) imports: none imports a module above it or a private name."""
    import ast  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    src = Path(__file__).parents[1] / "src" / "lmets_docs"
    below = {"scan_clock": set(), "scan_times": {"scan_clock"},
             "scan_hours": {"scan_clock", "scan_times"}}
    for name, allowed in below.items():
        tree = ast.parse((src / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lmets_docs."):
                module = (node.module or "").removeprefix("lmets_docs.")
                assert module not in below or module in allowed, (name, module)
                assert not any(a.name.startswith("_") for a in node.names), (name, module)
    code = ("import sys, lmets_docs.scan_times as t; t.as_digits('nine am', 'en-GB');"
            "print('lmets_docs.scan_hours' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
