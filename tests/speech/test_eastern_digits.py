# ruff: noqa: RUF001, RUF002  (the Arabic decimal sign and Arabic-Indic digits are what is tested)
"""Numbers in Urdu or Arabic digits are said: the narration gives the engine ASCII digits.

espeak-ng 1.51's Urdu voice says nothing for Extended Arabic-Indic digits (``۲۴``) and its
Arabic voice reads ``٣٧٫٥`` as "thirty-seven five" (it drops the decimal sign U+066B). The
translator user test's leaflet (``tests/data/eastern-digits``) is narrated in both; the
transcript's sentence, read back from the file, is given to espeak-ng (``-x``) to prove what a
listener hears, and each MP3 lasts as long as the same leaflet written in ASCII digits. The
printed text (the web page) keeps the translator's digits.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from lmets_docs.build import build
from lmets_docs.options import BuildOptions
from lmets_docs.source.numbers import in_ascii_digits
from tests.conftest import DATA
from tests.speech.test_symbols import phonemes

LEAFLET = DATA / "eastern-digits"
ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


def narrate(tmp_path: Path, options: BuildOptions, lang: str, *, ascii_digits: bool = False
            ) -> Path:
    """Build the leaflet's narration and web page in ``lang``; return the built folder. With
    ``ascii_digits``, the translation's digits are first rewritten as ASCII (as a translator
    typing 0-9 would)."""
    folder = tmp_path / ("ascii" if ascii_digits else "eastern") / "chemo-fever"
    shutil.copytree(LEAFLET, folder)
    if ascii_digits:
        text = (folder / f"{lang}.md").read_text(encoding="utf-8")
        (folder / f"{lang}.md").write_text(text.translate(ASCII), encoding="utf-8")
    out = options.out / folder.parent.name
    build([folder], dataclasses.replace(options, out=out, langs=(lang,),
                                        formats=("audio", "html")))
    return out / "chemo-fever" / lang


def line_with(built: Path, words: str) -> str:
    lines = (built / "audio" / "transcript.txt").read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if words in line)


def seconds(mp3: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                          "-of", "csv=p=0", str(mp3)], capture_output=True, text=True,
                         check=True).stdout
    return float(out)


def same_lengths(eastern: Path, ascii_built: Path) -> None:
    for mp3 in sorted((ascii_built / "audio").glob("0*.mp3")):
        assert seconds(eastern / "audio" / mp3.name) == pytest.approx(seconds(mp3), abs=0.05)


def test_urdu_digits_are_said(tmp_path: Path, options: BuildOptions) -> None:
    built = narrate(tmp_path, options, "ur")
    doses = line_with(built, "پیراسیٹامول")
    assert doses == ("پیراسیٹامول کی 2 گولیاں ہر 4 سے 6 گھنٹے بعد لیں، 24 گھنٹوں میں 8 "
                     "گولیوں سے زیادہ نہیں۔")
    said = phonemes(doses, "ur")
    for number in ("d'o:", "c'a:R", "c#'eh", "caUb'i:s", "'a:t#"):  # 2, 4, 6, 24, 8
        assert number in said
    assert "ki g'o:lja~:" in phonemes(doses.translate(str.maketrans("2468", "۲۴۶۸")), "ur")
    fever = line_with(built, "ڈگری سیلسیس")
    assert "37.5 ڈگری سیلسیس" in fever
    assert "saINt'i:s _IS,aRI;'I;a_ p'a:Nc" in phonemes(fever, "ur")  # "37 point 5"
    page = lxml.html.parse(str(built / "html" / "index.html")).getroot().text_content()
    assert "۳۷٫۵ ڈگری سیلسیس" in page  # printed as the translator wrote it
    assert "37.5" not in page
    same_lengths(built, narrate(tmp_path, options, "ur", ascii_digits=True))


def test_the_arabic_decimal_sign_is_said(tmp_path: Path, options: BuildOptions) -> None:
    built = narrate(tmp_path, options, "ar")
    fever = line_with(built, "حرارتك")
    assert "حرارتك 37.5 درجة مئوية أو أعلى، أو أقل من 36 درجة" in fever
    said = phonemes(fever, "ar")
    assert "s'abA-,awaTal'a:Tu:n fa:s['il xamsa" in said  # "37 point 5"
    assert "fa:s['il" not in phonemes("٣٧٫٥ درجة", "ar")  # the decimal sign, unsaid
    page = lxml.html.parse(str(built / "html" / "index.html")).getroot().text_content()
    assert "حرارتك ٣٧٫٥ درجة" in page
    same_lengths(built, narrate(tmp_path, options, "ar", ascii_digits=True))


@pytest.mark.parametrize(("lang", "written", "said"), [
    ("ur", "۲۴ گھنٹوں میں ۸", "24 گھنٹوں میں 8"),
    ("ar", "حرارتك ٣٧٫٥ أو", "حرارتك 37.5 أو"),
    ("ar", "١٬٠٠٠ ملغ، ١٬٢٣٤٫٥٦", "1,000 ملغ، 1,234.56"),
    ("ar", "٢,٣ و ٢٤/٧", "2,3 و 24/7"),  # not a group: two numbers, the comma kept
    ("cy", "३७.५ a 12", "37.5 a 12"),
    ("en-GB", "37.5 and 1,000", "37.5 and 1,000"),
])
def test_numbers_are_written_in_ascii_digits(lang: str, written: str, said: str) -> None:
    assert in_ascii_digits(written, lang) == said
