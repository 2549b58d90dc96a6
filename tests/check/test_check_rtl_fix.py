# ruff: noqa: RUF001, RUF002  (Urdu and Arabic letters and the en dash of their hours are tested)
"""``check`` finds a right-to-left fact only as whole numbers, and scans its dates in order.

A fact's key once ran its digits into the letters around them, so a wrong date or hour that
only lacked the digits in front of the true one passed: "5 جنوری، 2025" was found in
"15 جنوری، 2025", and an opening hour after a phone number on a page pdftotext reads in
visual order was found in the phone number's last digit. The stray-date scan read the raw
page, where pdftotext's direction controls cut every Urdu date apart. Both are tried on real
PDFs built from the Urdu glossary and from an Arabic variant of the fixture, and the seed's
left-to-right check is shown unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.bidi import RLE, bidi_key, fact_key, logical_text, plain_logical_text
from lmets_docs.check.findings import Finding
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.scan import dates
from lmets_docs.writers.pdf import libs  # noqa: F401  (before weasyprint, as the writer does)

# isort: split
import weasyprint

from tests.conftest import BEFORE_DUE, DATA, SEED

TODAY = dt.date(2026, 1, 1)
PROFILES: tuple[Profile, ...] = ("large", "giant")
ENGLISH = ("Please read the Example Cancer Centre leaflet about chemotherapy treatment, "
           "visiting hours, parking, transport and the support that family members and "
           "friends can find at the centre. ")
VIS_HOURS = "9 ص – 5 بعد الظهر، من الاثنين إلى الجمعة"


def _build(source: Path, out: Path, lang: str) -> None:
    for profile in PROFILES:
        build([source], BuildOptions(out=out, formats=("pdf",), langs=(lang,), profile=profile,
                                     jobs=1, today=TODAY, templates=None, tts="espeak",
                                     check=False))


@pytest.fixture(scope="module")
def urdu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the Urdu glossary leaflet's folder (reviewed 15 جنوری، 2025), both profiles."""
    out = tmp_path_factory.mktemp("urdu") / "out"
    _build(DATA / "glossary", out, "ur")
    return out / "glossary-leaflet" / "ur"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an Arabic variant of the fixture: reviewed on 21 June 2025, its helpline
    0808 157 0198, and a paragraph of English; in the closing section the helpline's hours
    ("9 ص …") come right after the number, which pdftotext gives as one left-to-right run on a
    page it reads left to right (the English paragraph, long enough to spill onto that page:
    since the title page gives only the main contact, the text starts a page sooner)."""
    source = tmp_path_factory.mktemp("arabic") / "arabic"
    shutil.copytree(DATA / "arabic", source)
    yaml = source / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8")
                    .replace('"0808 157 0192"', '"0808 157 0198"')
                    .replace("last_reviewed: 2025-06-01", "last_reviewed: 2025-06-21"),
                    encoding="utf-8")
    body = source / "ar.md"
    text = body.read_text(encoding="utf-8")
    helpline = next(line for line in text.splitlines() if "contacts.helpline.hours" in line)
    body.write_text(text.replace(helpline, f"{helpline}\n\n{ENGLISH * 4}"), encoding="utf-8")
    _build(source, source.parent / "out", "ar")
    return source.parent / "out" / "arabic-clinic" / "ar"


def _pdfs(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.pdf")}


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def _expect(built: Path, tmp_path: Path, name: str, printed: str, day: str | None) -> Path:
    """Copy the built folder; make its manifest expect ``printed`` (and ``day``, a review
    fact's date) for the fact ``name``."""
    folder = tmp_path / built.name
    shutil.copytree(built, folder)
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["facts"][name]["printed"] = printed
    if day is not None:
        data["facts"][name]["value"] = day
        data["review"][name.removeprefix("review.")] = day
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def _found(folder: Path, code: str) -> list[Finding]:
    report = check([folder], TODAY, formats={"pdf"}, allow_edited=True)
    return [f for f in report.errors if f.code == code]


def test_both_builds_pass_their_own_check(urdu: Path, arabic: Path) -> None:
    for folder in (urdu, arabic):
        assert len(_pdfs(folder)) == 2
        report = check([folder], TODAY, formats={"pdf"})
        assert not report.errors, report.text()


def test_the_arabic_page_gives_the_hours_right_after_the_phone_number(arabic: Path) -> None:
    """The case of the fault: "9 ،0808 157 0198" is one run, and without number bounds the
    phone's last digit is read where the hour is."""
    text = logical_text(_pdftotext(arabic / "arabic-clinic-large-print.pdf"))
    assert any(RLE in line and "0198" in line and " 9 " in f" {line} "
               for line in _pdftotext(arabic / "arabic-clinic-large-print.pdf").splitlines())
    wrong = VIS_HOURS.replace("9", "8", 1)
    assert bidi_key(wrong) in bidi_key(text)  # what the unbounded key let pass
    assert fact_key(wrong) not in fact_key(text)
    assert fact_key(VIS_HOURS) in fact_key(text)


@pytest.mark.parametrize(("name", "wrong", "day"), [
    ("review.last_reviewed", "5 جنوری، 2025", "2025-01-05"),      # the PDF says 15
    ("review.next_review_due", "5 جنوری، 2028", "2028-01-05"),
    ("review.last_reviewed", "5 جنوری، 2025", None),               # only the text is wrong
    ("contacts.helpline.hours", "پیر سے جمعہ تک، 0 صبح – 4 سہ پہر", None),  # it says 10
], ids=["last", "next", "text-only", "hour"])
def test_a_wrong_urdu_fact_inside_the_true_one_is_missing(
        urdu: Path, tmp_path: Path, name: str, wrong: str, day: str | None) -> None:
    folder = _expect(urdu, tmp_path, name, wrong, day)
    missing = [f for f in _found(folder, "fact-missing") if f.message.startswith(name)]
    assert {f.file.name for f in missing} == _pdfs(urdu)
    if day is not None:  # the true date, read in logical order, is now a stray date
        strays = [f for f in _found(folder, "fact-date") if "15" in f.message]
        assert {f.file.name for f in strays} == _pdfs(urdu)


@pytest.mark.parametrize(("name", "wrong", "day"), [
    ("review.last_reviewed", "1 يونيو 2025", "2025-06-01"),        # the PDF says 21
    ("review.last_reviewed", "1 يونيو 2025", None),
    ("contacts.helpline.hours", VIS_HOURS.replace("9", "8", 1), None),  # the phone ends in 8
    ("contacts.helpline.phone", "0808 157 019", None),
], ids=["date", "date-text-only", "hour-after-phone", "phone"])
def test_a_wrong_arabic_fact_inside_the_true_one_is_missing(
        arabic: Path, tmp_path: Path, name: str, wrong: str, day: str | None) -> None:
    folder = _expect(arabic, tmp_path, name, wrong, day)
    missing = [f for f in _found(folder, "fact-missing") if f.message.startswith(name)]
    assert {f.file.name for f in missing} == _pdfs(arabic)
    if day is not None:
        strays = [f for f in _found(folder, "fact-date") if "21" in f.message]
        assert {f.file.name for f in strays} == _pdfs(arabic)


def test_a_stray_urdu_date_is_found_in_logical_order() -> None:
    """pdftotext's line for "Last reviewed: 15 جنوری، 2025" on a visual-order page."""
    line = f"2025 ،{RLE} جنوری\u202cLast reviewed: 15"
    assert list(dates(line, "ur")) == []
    assert [day for _, day in dates(plain_logical_text(line), "ur")] == [dt.date(2025, 1, 15)]


# -- left to right: unchanged -------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    build([SEED], BuildOptions(out=out, formats=("pdf",), jobs=1, today=BEFORE_DUE,
                               templates=None, tts="espeak", check=False))
    return out / "leptomeningeal-metastases" / "en-GB"


def test_the_seed_still_passes_and_a_wrong_digit_still_fails(seed: Path, tmp_path: Path) -> None:
    assert not check([seed], BEFORE_DUE, formats={"pdf"}).errors
    data = json.loads((seed / "manifest.json").read_text(encoding="utf-8"))
    phone = next(n for n in data["facts"] if n.endswith(".phone"))
    printed = data["facts"][phone]["printed"]
    wrong = printed[:-1] + ("1" if printed[-1] != "1" else "2")
    folder = _expect(seed, tmp_path, phone, wrong, None)
    report = check([folder], BEFORE_DUE, formats={"pdf"}, allow_edited=True)
    # missing, and so not on the first page either
    assert [f.code for f in report.errors if f.message.startswith(phone)] == [
        "fact-missing", "pdf-first-page"]


# -- a number right beside a fact ------------------------------------------------------------

URDU_WORDS = ["پیر", "سے", "جمعہ", "تک،", "صبح", "سہ", "پہر", "جنوری،"]


@st.composite
def number_fact(draw: st.DrawFn) -> str:
    """Return a fact as the right-to-left formats write one, beginning with a number."""
    parts = [str(draw(st.integers(0, 2030)))]
    for _ in range(draw(st.integers(1, 3))):
        parts += [draw(st.sampled_from(URDU_WORDS)), str(draw(st.integers(0, 2030)))]
    return " ".join(parts)


@given(number_fact(), st.integers(1, 99), st.sampled_from(["", " ", "، ", " – ", "\n"]))
@settings(max_examples=300, derandomize=True, database=None, deadline=None)
def test_a_number_beside_a_fact_is_no_part_of_it(fact: str, number: int, gap: str) -> None:
    """Digits run onto the fact's first or last number make another number: the fact is
    not found; a gap of any neutral keeps it whole."""
    before, after = f"{number}{gap}{fact}", f"{fact}{gap}{number}"
    for text in (before, after):
        assert (fact_key(fact) in fact_key(text)) is (gap != "")


@given(st.integers(0, 9), st.integers(1, 12), st.integers(40, 170))
@settings(max_examples=12, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_the_digit_before_an_hour_is_never_read_as_the_hour(
        last: int, hour: int, width: int) -> None:
    """WeasyPrint lays out "… على 0808 157 019<last>، <hour> ص – 5 بعد الظهر" (the phone
    isolated as the templates write it) after English, pdftotext reads it in visual order:
    neither the phone's last digit nor any other hour is found as the hour.

    (Where the phone and the hour share a line, pdftotext gives "9 ،0808 157 0198" as one
    run, and the true hours are not found either: the check fails safe.)"""
    hours = "ص – 5 بعد الظهر"
    body = (f'اتصل على <bdi class="phone" dir="ltr">0808 157 019{last}</bdi>، '
            f"{hour} {hours}، الاثنين")
    html = (f'<html lang="ar" dir="rtl"><body style="font-size:20pt; font-family:'
            f"'Noto Naskh Arabic'\"><p>{ENGLISH * 2}</p><p style=\"width:{width}mm\">"
            f"{body}</p></body></html>")
    pdf = bytes(weasyprint.HTML(string=html).write_pdf())
    page = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    key = fact_key(logical_text(page))
    assert fact_key(hours) in key
    for other in {last, hour + 1, hour - 1} - {hour}:
        assert fact_key(f"{other} {hours}") not in key
