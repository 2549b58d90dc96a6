"""Contacts and opening hours: the model, each language's words, what espeak-ng makes of them,
and every bad input refused with ``file:line: message``.

The leaflet is ``tests/data/clinic-contacts`` (a fixture: a made-up unit with a 24/7 triage
line, a weekday-and-weekend line and a ward with an email; its Welsh and Urdu are neutral test
sentences, not reviewed translations).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.fact_words import FACT_DOMAIN, PHRASES, TEMPLATE
from lmets_docs.facts import FactFormatter
from lmets_docs.hours import Hours
from lmets_docs.hours_words import hours_text
from lmets_docs.i18n import LOCALE_DIR, read_catalogue
from lmets_docs.source import load_leaflet
from tests.conftest import DATA

CLINIC = DATA / "clinic-contacts"
LANGS = ("en-GB", "cy", "ur")
ENGLISH_WORDS = re.compile(r"\b(?:to|am|pm|a\.m\.|p\.m\.|and|closed|hours|days?|every)\b", re.I)


def hours(*rows: tuple[str, str, str], **extra: object) -> Hours:
    """Return hours from (days, opens, closes) rows."""
    return Hours.model_validate(
        {"open": [{"days": d, "opens": o, "closes": c} for d, o, c in rows], **extra})


WEEK_AND_WEEKEND = hours(("mon-fri", "08:00", "20:00"), ("sat-sun", "10:00", "16:00"))
LUNCH = hours(("mon-fri", "08:30", "12:30"), ("mon-fri", "13:30", "17:00"), closed="sat-sun")
ALWAYS = Hours(always=True)


@pytest.mark.parametrize(("value", "lang", "printed", "spoken"), [
    (ALWAYS, "en-GB", "24 hours a day, 7 days a week", "24 hours a day, 7 days a week"),
    (ALWAYS, "cy", "24 awr y dydd, 7 diwrnod yr wythnos", "24 awr y dydd, 7 diwrnod yr wythnos"),
    (ALWAYS, "ur", "دن کے 24 گھنٹے، ہفتے کے 7 دن", "دن کے 24 گھنٹے، ہفتے کے 7 دن"),
    (Hours.model_validate("24/7"), "en-GB", "24 hours a day, 7 days a week",
     "24 hours a day, 7 days a week"),
    (hours(("mon-sun", "00:00", "24:00")), "en-GB", "24 hours a day, 7 days a week",
     "24 hours a day, 7 days a week"),
    (WEEK_AND_WEEKEND, "en-GB",
     "8 am to 8 pm, Monday to Friday; 10 am to 4 pm, Saturday and Sunday",
     "8 a.m. to 8 p.m., Monday to Friday; 10 a.m. to 4 p.m., Saturday and Sunday"),
    (WEEK_AND_WEEKEND, "cy",
     "rhwng Dydd Llun a Dydd Gwener, 08:00\u2009\u2013\u200920:00; "
     "Dydd Sadwrn a Dydd Sul, 10:00\u2009\u2013\u200916:00",
     "rhwng Dydd Llun a Dydd Gwener, 8 y bore tan 8 yr hwyr; "
     "Dydd Sadwrn a Dydd Sul, 10 y bore tan 4 y prynhawn"),
    (WEEK_AND_WEEKEND, "ur",
     "پیر سے جمعہ تک، 8 صبح \u2013 8 رات؛ ہفتہ اور اتوار، 10 صبح \u2013 4 سہ پہر",
     "پیر سے جمعہ تک، 8 صبح سے 8 رات تک؛ ہفتہ اور اتوار، 10 صبح سے 4 سہ پہر تک"),
    (LUNCH, "en-GB",
     "8:30 am to 12:30 pm and 1:30 pm to 5 pm, Monday to Friday; closed Saturday and Sunday",
     "8:30 a.m. to 12:30 p.m. and 1:30 p.m. to 5 p.m., Monday to Friday; "
     "closed Saturday and Sunday"),
    (Hours.model_validate({"open": [{"days": "fri", "opens": "20:00", "closes": "08:00",
                                     "overnight": True}]}),
     "en-GB", "8 pm to 8 am, Friday", "8 p.m. to 8 a.m., Friday"),
    (hours(("mon, wed, fri", "09:00", "24:00")), "en-GB",
     "9 am to midnight, Monday, Wednesday and Friday",
     "9 a.m. to midnight, Monday, Wednesday and Friday"),
])
def test_hours_in_each_language(value: Hours, lang: str, printed: str, spoken: str) -> None:
    assert hours_text(value, lang, spoken=False) == printed
    assert hours_text(value, lang, spoken=True) == spoken


def test_a_note_follows_the_hours_in_the_language() -> None:
    noted = hours(("mon-fri", "09:00", "17:00"))
    assert hours_text(noted, "en-GB", False, "except bank holidays") == (
        "9 am to 5 pm, Monday to Friday, except bank holidays")
    assert hours_text(noted, "ur", False, "چھٹیوں کے علاوہ").endswith("، چھٹیوں کے علاوہ")


def test_a_language_without_fact_words_gets_cldr_not_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("INFO", logger="lmets_docs"):
        text = hours_text(WEEK_AND_WEEKEND, "de", spoken=True)
    assert not ENGLISH_WORDS.search(text), text
    assert "Montag\u2009\u2013\u2009Freitag" in text  # CLDR's interval, thin spaces and all
    assert "no de words for the fact phrase '{start} to {end}'" in caplog.text


@pytest.fixture(scope="module")
def clinic_facts() -> dict[str, FactFormatter]:
    """Return the clinic leaflet's facts in every language."""
    out = {}
    for lang in LANGS:
        leaflet = load_leaflet(CLINIC, lang)
        out[lang] = FactFormatter(leaflet.facts, leaflet.publisher, lang)
    return out


@pytest.mark.parametrize("lang", ["cy", "ur"])
def test_no_english_inside_a_welsh_or_urdu_fact(
    clinic_facts: dict[str, FactFormatter], lang: str
) -> None:
    made = [v for n, v in clinic_facts[lang].values.items()
            if n.endswith((".hours", ".email", ".web")) or n.startswith(("review.", "dates."))]
    assert len(made) == 8
    for value in made:  # the facts whose words lmets-docs makes (names and notes are authors')
        for form in (value.printed, value.spoken):
            assert not ENGLISH_WORDS.search(form), f"{value.name}: {form!r}"


def phonemes(text: str, voice: str) -> str:
    """Return espeak-ng's phonemes for ``text`` (``espeak-ng -v VOICE -q -x``)."""
    return subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", text], capture_output=True,
                          text=True, check=True, timeout=30).stdout


@pytest.mark.parametrize(("lang", "zero", "said"), [
    # "09:00" read by espeak-ng is "naw nwl nwl" in Welsh and "nau sifar sifar" in Urdu
    ("cy", "n'Ul", ["b'OrE", "pr'VnhaUn", "d'y:D l#'y:n", "gw'EnEr", "t'an"]),
    ("ur", "s'IfaR", ["s.,@b'aH", "p'e:R", "J'Uma:", "t'Vk"]),
])
def test_espeak_reads_the_spoken_hours_in_the_language(
    clinic_facts: dict[str, FactFormatter], lang: str, zero: str, said: list[str]
) -> None:
    spoken = " ".join(clinic_facts[lang].spoken(f"contacts.{c}.hours")
                      for c in ("triage", "advice", "ward"))
    out = phonemes(spoken, lang)
    assert zero not in out, out  # no "zero zero" for a time
    assert "(en)" not in out, out  # espeak-ng never switched to English
    for word in said:
        assert word in out, (word, out)
    assert phonemes("09:00", lang).count(zero) == 2  # the oracle: it would catch "09:00"


def test_the_seed_helpline_is_said_as_before() -> None:
    seed = load_leaflet(DATA / "short-leaflet", "en-GB")
    facts = FactFormatter(seed.facts, seed.publisher, "en-GB")
    assert facts.printed("helpline.hours") == "9 am to 5 pm, Monday to Friday"
    assert facts.spoken("contacts.helpline.hours") == "9 a.m. to 5 p.m., Monday to Friday"


def test_email_and_web_are_said_in_the_language(clinic_facts: dict[str, FactFormatter]) -> None:
    assert clinic_facts["en-GB"].spoken("contacts.ward.email") == "ward7 at example dot org"
    assert clinic_facts["ur"].spoken("contacts.ward.email") == "ward7 ایٹ example ڈاٹ org"
    assert clinic_facts["cy"].spoken("contacts.ward.web") == (
        "www dot example dot org blaen slaes ward cysylltnod 7")
    assert clinic_facts["en-GB"]["contacts.ward.email"].link == "mailto:ward7@example.org"
    assert clinic_facts["en-GB"].printed("dates.service_moves") == "1 March 2027"


# --- bad inputs, each in a real copy of the clinic leaflet, through the command line ---------


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """Return a copy of the clinic leaflet that a test may edit."""
    target = tmp_path / "clinic-contacts"
    shutil.copytree(CLINIC, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


YAML_CASES = [
    # (what, old, new, marker on the reported line, expected message)
    ("unquoted time", 'opens: "08:00", closes: "20:00"', 'opens: 9:30, closes: "20:00"', "9:30",
     'advice.hours.open.0.opens: 570 is a number, not a time: an unquoted time such as '
     '9:30 is read by YAML as a number of minutes; write it in quotes as "09:30"'),
    ("integer time", 'opens: "10:00"', "opens: 540", "540",
     'opens: 540 is a number, not a time'),
    ("UTC offset", 'opens: "10:00"', 'opens: "09:00:00+05:00"', "+05:00",
     "'09:00:00+05:00' is not a local time as \"HH:MM\": leave out seconds and any UTC offset"),
    ("one-digit hour", 'opens: "10:00"', 'opens: "9:00"', '"9:00"',
     "'9:00' is not a time as \"HH:MM\""),
    ("closes before opens", 'closes: "16:00"', 'closes: "09:00"', 'closes: "09:00"',
     "closes (09:00) is not after opens (10:00)"),
    ("24:00 to open", 'opens: "10:00"', 'opens: "24:00"', '"24:00"',
     'opens cannot be "24:00"'),
    ("week wraps", "days: sat-sun", "days: sat-mon", "sat-mon",
     "'sat-mon' runs backwards through the week"),
    ("unknown day", "days: sat-sun", "days: sat-sunday", "sat-sunday",
     "'sunday' is not a day: write mon, tue, wed, thu, fri, sat or sun"),
    ("overlap", '{days: mon-fri, opens: "13:30"', '{days: mon-fri, opens: "12:00"',
     'NEXT web: https', "ward.hours: 08:30-12:30 and 12:00-17:00 overlap on mon"),
    ("open and closed", "closed: sat-sun", "closed: fri-sun", "NEXT web: https",
     "ward.hours: fri is both open and closed"),
    ("nothing open", "hours: {always: true}", "hours: {note: later}", "note: later",
     "give either always: true"),
    ("always but closed", "hours: {always: true}", "hours: {always: true, closed: sun}",
     "closed: sun", "triage.hours: always: true means every day, round the clock"),
    ("hours as text", "hours: {always: true}", "hours: weekdays", "hours: weekdays",
     "triage.hours: 'weekdays' is not opening hours: write always: true, or open:"),
    ("future review", "last_reviewed: 2025-06-01", "last_reviewed: 2099-01-01", "2099-01-01",
     "2099-01-01 is in the future: last_reviewed is the day the information was last reviewed"),
    ("impossible date", "service_moves: 2027-03-01", "service_moves: 2027-02-30", "2027-02-30",
     "dates.service_moves: 2027-02-30 is not a real date: February 2027 has 28 days"),
    ("month 13", "service_moves: 2027-03-01", "service_moves: 2027-13-01", "2027-13-01",
     "2027-13-01 is not a real date: there is no month 13"),
    ("bad email", "email: ward7@example.org", "email: ward7.example.org", "ward7.example.org",
     "'ward7.example.org' is not an email address"),
    ("no way to reach", "  review:", "    empty: {name: Nobody}\n  review:", "empty:",
     "facts.contacts.empty: a contact needs a phone number, an email or a web address"),
    ("hours without a phone", 'phone: "0161 496 0123"', "email: help@example.org",
     "    advice:",
     "facts.contacts.advice: hours belong to a phone line: this contact has no phone"),
    ("bad contact id", "    ward:", "    Ward-7:", "Ward-7",
     "facts.contacts.Ward-7: 'Ward-7' cannot name a contact or a date"),
    ("no Welsh name", "name: {en-GB: Ward 7, cy: Ward 7, ur: وارڈ 7}",
     "name: {en-GB: Ward 7, ur: وارڈ 7}", "Ward 7, ur",
     "facts.contacts.ward.name: no cy text; give one text for every language"),
    ("lexicon digits", "", "pronunciation:\n  en-GB: {Chemotherapy: keemo 3}\n", "keemo",
     "pronunciation.en-GB.Chemotherapy: the respelling 'keemo 3' says a number"),
    ("lexicon number word", "", "pronunciation:\n  en-GB: {triage: tree ahj eight}\n",
     "tree ahj", "the respelling 'tree ahj eight' says a number"),
    ("lexicon inside a fact", "", "pronunciation:\n  en-GB: {Ward: wawd}\n", "wawd",
     "pronunciation.en-GB.Ward: the word is part of the fact contacts.ward.name "
     "('Ward 7'); a lexicon must never change how a fact is said"),
]


@pytest.mark.parametrize(("what", "old", "new", "marker", "message"), YAML_CASES,
                         ids=[c[0] for c in YAML_CASES])
def test_bad_contacts_and_dates(
    clinic: Path, what: str, old: str, new: str, marker: str, message: str
) -> None:
    path = clinic / "leaflet.yaml"
    if old:
        _edit(path, old, new)
    else:  # a new top-level key at the end
        path.write_text(path.read_text(encoding="utf-8") + new, encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(clinic)])
    assert result.exit_code == 1, (what, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    line = _line_of(path, marker.removeprefix("NEXT ")) + marker.startswith("NEXT ")
    assert f"{path}:{line}: " in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


MD_CASES = [
    ("a contact's number typed in", "{{ contacts.ward.phone }}", "0113 496 0456",
     "phone number '0113 496 0456' typed in the text: it is a contact's number, written here "
     "as {{ contacts.ward.phone }}"),
    ("a number of no contact", "{{ contacts.ward.phone }}", "0113 496 0999",
     "phone number '0113 496 0999' typed in the text belongs to no contact: add it under "
     "facts: contacts: in leaflet.yaml"),
    ("a contact's number typed in, digits after it", "{{ contacts.ward.phone }}",
     "0113 496 0456 24 hours a day",
     "phone number '0113 496 0456' typed in the text: it is a contact's number, written here "
     "as {{ contacts.ward.phone }}"),
    ("two numbers side by side", "{{ contacts.ward.phone }}", "0113 496 0456 0113 496 0999",
     "phone number '0113 496 0999' typed in the text belongs to no contact"),
    ("a date typed in", "{{ dates.service_moves }}", "1 March 2027",
     "date '1 March 2027' typed in the text: it is dates.service_moves in leaflet.yaml, "
     "written here as {{ dates.service_moves }}"),
    ("a contact's email typed in", "{{ contacts.ward.email }}", "Ward7@example.org",
     "email address 'ward7@example.org' typed in the text: it is a contact's, written here "
     "as {{ contacts.ward.email }}"),
    ("an email of no contact", "{{ contacts.ward.email }}", "someone@example.org",
     "email address 'someone@example.org' typed in the text: it belongs to no contact"),
    ("unknown contact field", "{{ contacts.triage.phone }}", "{{ contacts.triage.email }}",
     "unknown fact '{{ contacts.triage.email }}'"),
    ("freephone on a paid number", "{{ contacts.triage.phone }}", "{{ contacts.ward.phone }}",
     "the text calls the helpline 'freephone' but its number is not toll-free"),
]


@pytest.mark.parametrize(("what", "old", "new", "message"), MD_CASES,
                         ids=[c[0] for c in MD_CASES])
def test_bad_contact_text(clinic: Path, what: str, old: str, new: str, message: str) -> None:
    path = clinic / "en-GB.md"
    _edit(path, old, new)
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(clinic)])
    assert result.exit_code == 1, what
    assert "Traceback" not in result.output + result.stderr
    line = _line_of(path, new.split("{{", maxsplit=1)[0] or new)
    assert f"{path}:{line}: {message}" in result.stderr, result.stderr


def test_service_numbers_and_contacts_pass() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(CLINIC)])
    assert result.exit_code == 0, result.stderr
    assert "999" in (CLINIC / "en-GB.md").read_text(encoding="utf-8")


def test_the_fact_catalogues_are_complete() -> None:
    with TEMPLATE.open("rb") as handle:
        assert [str(m.id) for m in read_po(handle) if m.id] == list(PHRASES)
    for lang in ("cy", "ur"):
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{FACT_DOMAIN}.po"
        assert set(read_catalogue(path, lang)) == set(PHRASES), lang  # all, fields intact


def test_welsh_lists_say_a_not_cldrs_a_c() -> None:
    three = hours(("mon, wed, fri", "09:00", "17:00"))
    assert hours_text(three, "cy", spoken=True) == (
        "Dydd Llun, Dydd Mercher a Dydd Gwener, 9 y bore tan 5 y prynhawn")
    assert "a(c)" not in hours_text(LUNCH, "cy", spoken=True)
