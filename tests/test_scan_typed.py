"""The scanners for typed opening hours and mistyped phone numbers: what they find, what they
leave alone (doses, years, amounts, reference numbers), and hostile input within a time bound.
"""

from __future__ import annotations

import random
import time

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmets_docs.hours import Hours
from lmets_docs.hours_words import hours_text
from lmets_docs.scan import broken_numbers, phone_numbers
from lmets_docs.scan_hours import time_ranges

FOUND = [
    ("en-GB", "Our nurses are there from 8am to 8pm, Monday to Friday", "8am to 8pm",
     "08:00", "20:00"),
    ("en-GB", "Our helpline is open 9 am to 5 pm on weekdays.", "9 am to 5 pm", "09:00", "17:00"),
    ("en-GB", "Open 09:00\u201317:00.", "09:00\u201317:00", "09:00", "17:00"),
    ("en-GB", "Call between 10.00 and 15.00.", "between 10.00 and 15.00", "10:00", "15:00"),
    ("en-GB", "We answer 9 to 5pm.", "9 to 5pm", "09:00", "17:00"),
    ("en-GB", "8 a.m. until 6 p.m.", "8 a.m. until 6 p.m.", "08:00", "18:00"),
    ("en-GB", "from 8 am to midday", "8 am to midday", "08:00", "12:00"),
    ("en-GB", "from 6 pm to midnight", "6 pm to midnight", "18:00", "24:00"),
    ("cy", "Ffoniwch 8 y bore tan 5 y prynhawn.", "8 y bore tan 5 y prynhawn", "08:00", "17:00"),
    ("ur", "9 صبح سے 5 شام تک فون کریں", "9 صبح سے 5 شام", "09:00", "17:00"),
    ("ar", "من 9 ص إلى 5 م", "9 ص إلى 5 م", "09:00", "17:00"),
]


@pytest.mark.parametrize(("lang", "text", "raw", "opens", "closes"), FOUND,
                         ids=[case[2] for case in FOUND])
def test_a_range_of_times_is_found(lang: str, text: str, raw: str, opens: str,
                                   closes: str) -> None:
    assert list(time_ranges(text, lang)) == [(raw, opens, closes)]


LEFT_ALONE = [
    "Take 2 tablets at 8 am and 8 pm.",  # a dose twice a day, not a range
    "Take your tablet at 8 am.",
    "Take 2.50 to 3.00 mg a day.",
    "It costs \u00a310.00 - \u00a315.00.",
    "About 1 in 10,000 people.",
    "In 2021-2022, and from 1 to 2 tablets, ages 5 to 12.",
    "Version 1.2.3 to 1.2.4",
    "Call 0808 800 4040 or 0113 496 0456.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_doses_amounts_and_numbers_are_not_hours(text: str) -> None:
    assert list(time_ranges(text, "en-GB")) == []


@pytest.mark.parametrize("lang", ["en-GB", "cy", "ur", "ar"])
@pytest.mark.parametrize("spoken", [False, True])
def test_a_contacts_printed_hours_are_found_as_its_rows(lang: str, spoken: bool) -> None:
    hours = Hours.model_validate({"open": [
        {"days": "mon-fri", "opens": "09:00", "closes": "17:00"},
        {"days": "sat", "opens": "10:00", "closes": "13:00"}]})
    found = {(opens, closes) for _raw, opens, closes in
             time_ranges(hours_text(hours, lang, spoken), lang)}
    assert found == {("09:00", "17:00"), ("10:00", "13:00")}


BROKEN = [
    ("If you cannot get through, call 0808 157 030.", "0808 157 030"),
    ("Out of hours, ring 0113 496 078.", "0113 496 078"),
    ("Text 07700 900123.", "07700 900123"),
    ("Ring +44 113 496 07.", "+44 113 496 07"),
]


@pytest.mark.parametrize(("text", "raw"), BROKEN, ids=[case[1] for case in BROKEN])
def test_a_number_with_a_digit_missing_is_found(text: str, raw: str) -> None:
    assert [m.raw_string for m in broken_numbers(text, "GB", lang="en-GB")] == [raw]


TOO_LONG = [
    ("Call the ward on 0113 496 03211 today.", "0113 496 03211"),
    ("Out of hours, ring 0113 4960 3219.", "0113 4960 3219"),
    ("Ring (0113) 496-03211.", "(0113) 496-03211"),
    ("From abroad, call +44 (0)113 496 03211.", "+44 (0)113 496 03211"),
    ("Call 0113 496 0321 or 0113 496 03211.", "0113 496 03211"),
    ("Call 0113.496.03211.", "0113.496.03211"),
    ("Call 0113 496 03211 7 days a week.", "0113 496 03211"),  # not the days' digit
    ("Ffoniwch 0113 496 03211 7 diwrnod yr wythnos.", "0113 496 03211"),
    # Beside a valid number (a table's row, read across): the digits left over, whole.
    ("Day unit 0113 496 0321 0113 496 03211", "0113 496 03211"),
    ("Day unit 0113 496 03211 0113 496 0321", "0113 496 03211"),
    ("Ffoniwch 0113 496 0321 0113 496 03211 24 awr y dydd.", "0113 496 03211 24"),
    ("Call 01.13.49.60.32.11.", "01.13.49.60.32.11"),  # pairs, not clock times
    ("\u0641\u0648\u0646 \u0660\u0661\u0661\u0663 \u0664\u0669\u0666 "
     "\u0660\u0663\u0662\u0661\u0661", "\u0660\u0661\u0661\u0663 \u0664\u0669\u0666 "
     "\u0660\u0663\u0662\u0661\u0661"),  # Urdu, in Arabic-Indic digits
]


@pytest.mark.parametrize(("text", "raw"), TOO_LONG, ids=[case[1] for case in TOO_LONG])
def test_a_number_with_a_digit_too_many_is_found_whole(text: str, raw: str) -> None:
    """phonenumbers' matcher splits such a run into parts no longer written as dialled
    ("0113", "496 03211"): it is read whole, and said once."""
    assert [m.raw_string for m in broken_numbers(text, "GB", lang="en-GB")] == [raw]


NOT_BROKEN = [
    "Call 0808 800 4040 or 0113 496 0456 or 0161 496 0123 ext. 48215.",  # valid numbers
    "Your NHS number is 943 476 5919.",  # a reference number does not start with 0
    "About 1 in 10,000 people; 250 mg twice a day; in 2021 and 2022.",
    "Reviewed 22/11/2022, due 2025-11-22.",
    "Call 999 or 111.",
    "Order code 01234 5.",  # too few digits
    "Call 0800 123 4567 24 hours a day.",  # a valid number, then the hours
    "Call 0113 496 0321 0113 496 0329.",  # two valid numbers, side by side
    "From abroad, call +44 (0)113 496 0321.",
    "Score your pain 0 1 2 3 4 5 6 7 8 9 10.",  # single digits: a scale
    "Numbers: " + "0113 496 03211 " * 3,  # longer than two numbers: no one number
    # Clock times written with a full stop, in a list: no number, though 0 first, 12+ digits.
    "Take your tablets at 06.00 12.00 18.00 24.00.",
    "Appointments: 08.30 10.30 13.30 15.30.",
    "\u0641\u062d\u0648\u0635 \u0660\u0669.\u0660\u0660 \u0661\u0661.\u0660\u0660 "
    "\u0661\u0664.\u0660\u0660",  # Arabic, in Arabic-Indic digits
]


@pytest.mark.parametrize("text", NOT_BROKEN)
def test_valid_numbers_and_other_digits_are_not_broken_numbers(text: str) -> None:
    assert broken_numbers(text, "GB", lang="en-GB") == []


FOLLOWED = [
    ("Call 0800 123 4567 24 hours a day.", ["0800 123 4567"]),
    ("Ring 0808 808 0000 24/7.", ["0808 808 0000"]),
    ("Call 0113 496 0321 7 days a week.", ["0113 496 0321"]),
    ("Call +44 (0)113 496 0321 24 hours a day.", ["+44 (0)113 496 0321"]),
    ("Call 0113 496 0321 0113 496 0329.", ["0113 496 0321", "0113 496 0329"]),
    ("Call 0113 496 0321, 24 hours a day.", ["0113 496 0321"]),  # phonenumbers' own
    # The number and the digits after it are a length some number may have: phonenumbers'
    # matcher took the whole run for a broken number, beside the valid one inside it.
    ("Call Childline on 0800 1111 7 days a week.", ["0800 1111"]),
    ("NHS Direct Wales: 0845 46 47 24 hours a day.", ["0845 46 47"]),
    ("From Ireland, call +353 1 234 5678 24 hours a day.", ["+353 1 234 5678"]),
]


@pytest.mark.parametrize(("text", "raws"), FOLLOWED, ids=[case[0] for case in FOLLOWED])
def test_a_valid_number_with_digits_after_it_is_found(text: str, raws: list[str]) -> None:
    """phonenumbers' matcher takes "0800 123 4567 24" as one candidate, no number, and finds
    nothing: a wrong number there would be no stray number to ``check``."""
    assert [m.raw_string for m in phone_numbers(text, "GB", lang="en-GB")] == raws
    assert broken_numbers(text, "GB", lang="en-GB") == []


def test_a_spoken_broken_number_is_found() -> None:
    found = broken_numbers("Call 0 8 0 8, 1 5 7, 0 3 0.", "GB", spoken=True, lang="en-GB")
    assert [m.raw_string for m in found] == ["0808 157 030"]
    found = broken_numbers("Ring 0 1 1 3, 4 9 6, 0 3 2 1 1.", "GB", spoken=True, lang="en-GB")
    assert [m.raw_string for m in found] == ["0113 496 03211"]


@pytest.mark.parametrize("lang", ["en-GB", "cy", "ur", "ar"])
def test_a_pain_scale_in_the_narration_is_no_number(lang: str) -> None:
    """The narration keeps a leaflet's "0 1 2 3 4 5 6 7 8 9 10" as written; read as spoken
    digits it was one run "012345678910" (the "1" of "10" with it), which ``check`` took for a
    number with digits too many: the build of a leaflet ``validate`` accepts failed."""
    text = "Score your pain 0 1 2 3 4 5 6 7 8 9 10 and tell the nurse."
    assert broken_numbers(text, "GB", spoken=True, lang=lang) == []
    assert phone_numbers(text, "GB", spoken=True, lang=lang) == []


GB_NUMBERS = [phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
              for kind in (phonenumbers.PhoneNumberType.FIXED_LINE,
                           phonenumbers.PhoneNumberType.MOBILE,
                           phonenumbers.PhoneNumberType.TOLL_FREE)
              if (example := phonenumbers.example_number_for_type("GB", kind)) is not None]


@settings(max_examples=200, deadline=None)
@given(number=st.sampled_from(GB_NUMBERS), digit=st.integers(0, 9),
       where=st.integers(1, 12), before=st.sampled_from(["Call ", "Ring us on ", "(", ""]),
       after=st.sampled_from([".", " today.", ")", ", or write to us.", ""]))
def test_fuzz_a_valid_number_with_a_digit_put_in_is_found_whole_or_is_valid(
        number: str, digit: int, where: int, before: str, after: str) -> None:
    at = [i for i, char in enumerate(number) if char.isdigit()][where % 10 + 1:][:1]
    if not at:
        return
    wrong = number[:at[0]] + str(digit) + number[at[0]:]
    found = [m.raw_string.strip("()") for m in broken_numbers(before + wrong + after, "GB")]
    if phonenumbers.is_valid_number(phonenumbers.parse(wrong, "GB")):
        assert found == []
    else:
        assert found == [wrong]
    assert broken_numbers(before + number + after, "GB") == []


HOSTILE = [
    "0" * 5000,
    "1 " * 5000,
    "8am to " * 3000,
    "9:" * 5000,
    "10.00 and " * 3000 + "between",
    "between " * 3000 + "10.00",
    "\u0669 \u0635 " * 3000,
    "8 y bore tan " * 3000,
    "-" * 5000 + "8am",
    "0808 157 030 " * 1000,
    "0113 496 03211 " * 1000,
    "0" + " 01" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("lang", ["en-GB", "cy", "ur", "ar"])
def test_hostile_input_is_scanned_in_linear_time(text: str, lang: str) -> None:
    time_ranges("warm up", lang)
    start = time.process_time()
    list(time_ranges(text, lang))
    broken_numbers(text, "GB", lang=lang)
    assert time.process_time() - start < 5.0


@pytest.mark.parametrize("text", ["0 " * 50_000, "0" + " 01" * 33_000,
                                  "0113 496 0321, " * 6_600], ids=["0", "01", "numbers"])
def test_a_long_run_of_digit_groups_is_searched_for_numbers_in_linear_time(text: str) -> None:
    """100,000 characters: the numbers found inside runs (``scan_runs.inner_numbers``) took
    40 s of CPU for single zeros (17 parses from every group), 15 s for "01"s, and each was
    compared with every number the matcher found (quadratic)."""
    phone_numbers("warm up 0113 496 0321 24", "GB")
    start = time.process_time()
    phone_numbers(text, "GB", lang="en-GB")
    assert time.process_time() - start < 5.0


def test_random_digits_times_and_scripts_are_scanned_quickly() -> None:
    pieces = ["0", "8", "am", "pm", " ", ":", ".", "to", "tan", "\u0633\u06d2", "-", "\u2013",
              "\u0635", "y bore", "between", "and", "\u0669", "+", "(", ")"]
    rng = random.Random(27)
    for _ in range(50):
        text = "".join(rng.choice(pieces) for _ in range(2000))
        start = time.process_time()
        for lang in ("en-GB", "cy", "ur", "ar"):
            list(time_ranges(text, lang))
        broken_numbers(text, "GB", lang="en-GB")
        assert time.process_time() - start < 5.0
