"""The number and date finders read what people write: every CLDR date pattern, numbers in words."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from lmets_docs import scan_dates
from lmets_docs.i18n import babel_locale
from lmets_docs.scan import as_seen, dates, phone_numbers
from lmets_docs.scan_words import number_words, ordinal_suffixes, rbnf_engine, spelled_numbers

LANGUAGES = ("en-GB", "en-US", "cy", "ur", "fr", "de", "es", "pl", "ja", "ar", "zh", "hi", "ru")
DAYS = (dt.date(2025, 11, 22), dt.date(2019, 3, 1), dt.date(2022, 5, 9))


def _date_patterns(lang: str) -> list[str]:
    """Return the language's CLDR date patterns: the four standard lengths and every skeleton
    with a year, a month and a day (``ddd`` skeletons are left out: babel prints them as
    zero-padded numbers, "022 Nov 2025", which CLDR means as an ordinal day)."""
    locale = babel_locale(lang)
    patterns = [str(locale.date_formats[w].pattern) for w in ("short", "medium", "long", "full")]
    patterns += [str(getattr(p, "pattern", p)) for skeleton, p in locale.datetime_skeletons.items()
                 if {"y", "M", "d"} <= set(skeleton) <= set("yMdEL")]
    return [p for p in dict.fromkeys(patterns) if "ddd" not in p]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_cldr_date_pattern_is_found(lang: str) -> None:
    missed = []
    for pattern in _date_patterns(lang):
        for day in DAYS:
            written = format_date(day, pattern, locale=babel_locale(lang))
            if day not in [found for _raw, found in dates(f"Due {written}.", lang)]:
                missed.append((pattern, written))
    assert missed == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Nov 22, 2025", dt.date(2025, 11, 22)),
        ("November 22nd, 2025", dt.date(2025, 11, 22)),
        ("22nd of November 2025", dt.date(2025, 11, 22)),
        ("Sat 22 Nov. 2025", dt.date(2025, 11, 22)),
        ("22 Nov \u201925", dt.date(2025, 11, 22)),
        ("2025-11-22", dt.date(2025, 11, 22)),
        ("30 February 2025", None),
    ],
)
def test_dates_in_any_order_and_with_ordinals(text: str, day: dt.date | None) -> None:
    assert [found for _raw, found in dates(text, "en-GB")] == [day]


@pytest.mark.parametrize("text", ["version 1.2.3", "0808.800.4040", "May we help?", "Page 2 of 8"])
def test_things_that_are_not_dates(text: str) -> None:
    assert list(dates(text, "en-GB")) == []


def test_ordinal_endings_come_from_cldr() -> None:
    assert set(ordinal_suffixes("en-GB")) == {"st", "nd", "rd", "th"}
    assert "er" in ordinal_suffixes("fr")
    assert [d for _raw, d in dates("le 1er mars 2019", "fr")] == [dt.date(2019, 3, 1)]


@pytest.mark.parametrize(
    ("lang", "words", "digits"),
    [
        ("en-GB", "oh two oh seven nine four six one two three four", "02079461234"),
        ("en-GB", "Zero eight zero eight, eight hundred, forty forty", "08088004040"),
        ("en-GB", "oh two oh seven nine four six double one two three", "02079461123"),
        ("en-GB", "double oh two oh seven nine four six", "00207946"),  # a run begun by "double"
        ("cy", "dim wyth dim wyth, wyth dim dim, pedwar dim pedwar dim", "08088004040"),
        ("fr", "zéro un quatre deux trois quatre cinq six sept huit", "0142345678"),
    ],
)
def test_numbers_spelled_out_in_words(lang: str, words: str, digits: str) -> None:
    assert list(spelled_numbers(f"Ring {words} today.", lang)) == [(words, digits)]


def test_a_wrong_number_in_words_is_a_phone_number() -> None:
    found = phone_numbers("Ring oh two oh seven nine four six one two three four.", "GB",
                          lang="en-GB")
    assert [m.number.national_number for m in found] == [2079461234]
    assert phone_numbers("Ring oh two oh seven nine four six one two three four.", "GB") == []


@pytest.mark.parametrize("text", ["one or two times", "three, four or five days",
                                  "one two three four five"])
def test_short_runs_of_number_words_are_left_alone(text: str) -> None:
    assert list(spelled_numbers(text, "en-GB")) == []


def test_oh_is_cldr_year_zero_and_urdu_has_the_draft_words() -> None:
    assert number_words("en-GB")[("oh",)] == "0"
    assert rbnf_engine("ur") is None  # the packaged CLDR rules have no Urdu: the draft stands in
    assert number_words("ur")[("آٹھ",)] == "8"
    assert ("پچیس",) not in number_words("ur")  # 25: the draft has 0-20 and the tens only
    assert list(spelled_numbers("صفر آٹھ صفر آٹھ آٹھ صفر صفر", "ur")) == [
        ("صفر آٹھ صفر آٹھ آٹھ صفر صفر", "0808800")]


def test_an_urdu_date_with_its_day_in_the_draft_words_is_found() -> None:
    assert list(scan_dates.month_dates("اگلی ملاقات دو دسمبر 2025 کو ہے", "ur")) == [
        ("دو دسمبر 2025", dt.date(2025, 12, 2))]
    assert list(scan_dates.month_dates("دو ہفتے بعد", "ur")) == []


@pytest.mark.parametrize(
    "text",
    ["Call O2O7 946 1234.", "Call 0207\u2009946\u20091234.", "Call 0207\u202f946\u202f1234.",
     "Call 02O7 946 l234.", "Call \u041e207 946 1234."],
    ids=["letter-o", "thin-space", "narrow-no-break-space", "o-and-l", "cyrillic-o"],
)
def test_numbers_as_a_reader_sees_them(text: str) -> None:
    assert [m.number.national_number for m in phone_numbers(text, "GB")] == [2079461234]


@pytest.mark.parametrize("text", ["Hello world", "COOL 2 go", "Oil 100 ml", "lol 123",
                                  "doi 10.1093/mdx221", "x12Ol3"])
def test_words_are_not_made_digits(text: str) -> None:
    assert as_seen(text) == text


@pytest.mark.parametrize(
    ("lang", "text", "day"),
    [
        ("en-GB", "the twenty-second of November, twenty twenty-five", dt.date(2025, 11, 22)),
        ("en-GB", "November twenty-second, two thousand and twenty-five", dt.date(2025, 11, 22)),
        ("en-GB", "22nd November twenty nineteen", dt.date(2019, 11, 22)),
        ("en-GB", "the first of March 2019", dt.date(2019, 3, 1)),
        ("cy", "dau ddeg dau Tachwedd dau mil dau ddeg pump", dt.date(2025, 11, 22)),
        ("fr", "vingt-deux novembre deux mille vingt-cinq", dt.date(2025, 11, 22)),
    ],
)
def test_dates_spelled_out_in_words(lang: str, text: str, day: dt.date) -> None:
    assert [found for _raw, found in dates(f"Due {text}.", lang)] == [day]


@pytest.mark.parametrize("text", ["twenty-two people came in November 2020",
                                  "22 November twenty people came"])
def test_number_words_that_are_no_date(text: str) -> None:
    assert list(dates(text, "en-GB")) == []


def test_a_text_without_a_month_name_builds_no_date_patterns() -> None:
    """The patterns of dates with month names are costly to build (number words in CLDR,
    large regular expressions): a text naming no month is not given to them, and a
    leaflet whose text names none never builds them."""
    scan_dates._patterns.cache_clear()
    assert list(dates("Call 0800 500 3000, Mondays from 9 to 5, day 22 or 2022.", "en-GB")) == []
    assert scan_dates._patterns.cache_info().currsize == 0
    said = "Seen on 3 may 2026, and again the twenty-second of MAY twenty twenty-six."
    assert [day for _raw, day in dates(said, "en-GB")] == [dt.date(2026, 5, 3),
                                                           dt.date(2026, 5, 22)]
    assert scan_dates._patterns.cache_info().currsize == 1
