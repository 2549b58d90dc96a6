"""``check`` finds a fact only whole: never inside a longer number or word.

"1 June" was found inside "21 June", and "0113 496 0321" inside "10113 496 03211": a PDF that
printed every contact's number with a digit more (a house style sheet's ``::after``) passed
``check`` with no error, since phonenumbers' matcher finds such a run neither a valid number
nor an invalid one, and each fact was found inside it (or in its link's description). Now a
fact's edge digit may not touch another digit, of any script the leaflets use, and its edge
letter may not touch a letter, mark or digit (``check/bounds.py``); a right-to-left text's
key bounds its numbers itself (``bidi.fact_key``), and a contact box's lines are keyed so too
(``pdf_tags._line_key``).

Built for real (WeasyPrint, ``--templates``) and read back by ``check``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import bounds, check, pdf_tags
from lmets_docs.options import BuildOptions, Profile
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
JUNE_21 = "\u0662\u0661 \u064a\u0648\u0646\u064a\u0648"
"""21 June in Arabic, in Arabic-Indic digits."""
ONE_MORE = 'bdi.phone::after { content: "1"; }\n.running-footer bdi.phone::after { content: none; }'
"""A house rule that prints every contact's number with a "1" after it, but in the footer."""


@pytest.mark.parametrize(("text", "fact", "whole"), [
    ("Last reviewed: 21 June 2025", "1 June 2025", False),
    ("Last reviewed: 1 June 2025.", "1 June 2025", True),
    ("Last reviewed: 1 June 20251", "1 June 2025", False),
    ("Call 10800 1234 now", "0800 123", False),
    ("Call 0800 123 4567.", "0800 123 4567", True),
    ("Call 0800 123 45678", "0800 123 4567", False),
    ("(0800 123 4567)", "0800 123 4567", True),
    ("Open 9am to 5pm, Monday to Friday", "9am to 5pm", True),
    ("8 am to 6 pm, Monday to Thursday; closed Sundays", "closed Sunday", False),
    ("Email help@example.org2 today", "help@example.org", False),
    ("Email: help@example.org, or call", "help@example.org", True),
    ("Email joann@example.org", "ann@example.org", False),
    (f"\u0661{JUNE_21}", JUNE_21, False),
    (JUNE_21, JUNE_21, True),
    ("\u06f1\u06f2\u06f1 \u062c\u0648\u0646", "\u06f2\u06f1 \u062c\u0648\u0646", False),
    ("\u0967\u0968\u0967 \u091c\u0942\u0928", "\u0968\u0967 \u091c\u0942\u0928", False),
    ("\u0968\u0967 \u091c\u0942\u0928\u0940", "\u0968\u0967 \u091c\u0942\u0928", False),
    ("\u0a67\u0a68\u0a67 \u0a1c\u0a42\u0a28", "\u0a68\u0a67 \u0a1c\u0a42\u0a28", False),
    ("\u09e7\u09e8\u09e7 \u099c\u09c1\u09a8", "\u09e8\u09e7 \u099c\u09c1\u09a8", False),
    ("\u09e8\u09e7 \u099c\u09c1\u09a8", "\u09e8\u09e7 \u099c\u09c1\u09a8", True),
])
def test_a_fact_is_found_only_whole(text: str, fact: str, whole: bool) -> None:
    """Latin, Arabic-Indic, extended Arabic-Indic (Urdu), Devanagari, Gurmukhi and Bengali
    digits; a Devanagari word with a vowel sign after it is another word."""
    assert bounds.holds(text, fact) is whole


def test_a_fact_found_after_a_longer_one_is_found() -> None:
    assert bounds.find("10800 1234 or 0800 123", "0800 123") == 14
    assert bounds.starts("9 am to 5 pm, Monday", "9 am to 5 pm")
    assert not bounds.starts("9 am to 5 pm1", "9 am to 5 pm")


def test_a_box_lines_key_bounds_its_numbers_in_every_script() -> None:
    """``_whole`` compares the keys of a box's line and of its contact's facts (letters and
    digits in order, spaces aside): each number is whole in both."""
    key = pdf_tags._line_key
    assert key("0113 496 0321") in key("Call 0113 496 0321")
    assert key("0113 496 0321") not in key("Call 10113 496 03211")
    assert key("1 June") not in key("21 June")
    arabic = "\u0669 \u0635\u0628\u0627\u062d\u064b\u0627"  # 9 am, in Arabic-Indic digits
    assert key(arabic) in key(f"\u0645\u0646 {arabic}")
    assert key(arabic) not in key(f"\u0661{arabic}")


def _build(root: Path, sheet: str, profile: Profile) -> Path:
    """Build the user test's leaflet in English with a house style sheet adding ``sheet``;
    return its output folder."""
    templates = root / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "leaflet.css").write_text(
        '{% include "builtin/leaflet.css" %}\n' + sheet + "\n", encoding="utf-8")
    folder = Path(shutil.copytree(DATA / "chemo-fever", root / "chemo-fever"))
    report = build([folder], BuildOptions(out=root / "out", formats=("pdf",), langs=("en-GB",),
                                          profile=profile, jobs=1, today=TODAY,
                                          templates=templates, cache_dir=root / "cache",
                                          check=False))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def test_a_number_printed_with_a_digit_more_fails(tmp_path: Path) -> None:
    """Every number printed "0113 496 03211", "0113 496 07771" (the footer's aside): both
    facts were found inside them, or in their links' descriptions, and no scan saw a number
    there, so ``check`` passed the PDF. Now the day unit's number is printed nowhere whole,
    the main contact's is not on the first page, and each misprint is named where it stands
    (phonenumbers split them: ``scan_runs.misdialled`` reads them whole)."""
    out = _build(tmp_path, ONE_MORE, "large")
    pdf = out / "chemo-fever" / "en-GB" / "chemo-fever-large-print.pdf"
    found = [(f.file, f.line()) for f in check([out], TODAY, formats={"pdf"}).errors]
    misprint = ("  error: page {}: '0113 496 0{}' looks like a phone number but is not a valid "
                "one for GB: check its digits [fact-phone]")
    assert found == [
        (pdf, "  error: contacts.dayunit.phone is not printed on any page: expected "
         "'0113 496 0321'; only a link's description or the document's other texts say it, "
         "and the page may print it wrong [fact-not-printed]"),
        *[(pdf, misprint.format(page, number))
          for page, number in ((1, 7771), (2, 7771), (3, 3211), (3, 3211), (4, 7771))],
        (pdf, "  error: page 1: contacts.triage.phone '0113 496 0777' is not on the first page "
         "(its running footer aside): the title page gives the main contact's number and "
         "hours [pdf-first-page]")], found


def test_a_boxs_line_with_a_digit_more_is_no_whole_line(tmp_path: Path) -> None:
    """The day unit's box in giant print, broken by the writer after its number, its hours
    starting page 5, with the boxes' numbers printed with a digit more ("Call 0113 496
    03211"): the number's line holds no whole fact of the box's contact, so the two lines
    across the break are no two whole lines (the text's own mention of the number, outside
    the box, is printed right)."""
    out = _build(tmp_path, '.helpline bdi.phone::after { content: "1"; }', "giant")
    found = [f.line() for f in check([out], TODAY, formats={"pdf"}).errors
             if f.code == "pdf-split-element"]
    assert len(found) == 1, found
    assert ("page 4: a paragraph (P) is split into two structure elements at the break to page "
            "5: 'Call 0113 496 03211' / '8 am to 6 pm, Monday to Thursd' (each line of a "
            "contact's box holds a whole fact of its contact)") in found[0], found
