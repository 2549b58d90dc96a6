"""A clinic leaflet with three contacts, built in English, Welsh and Urdu (every paragraph
translated) and read back: every contact's number, hours, email and web address, printed in
the PDF and the DOCX and said in the narration, in each language's own words.

The leaflet is ``tests/data/clinic-contacts``, a fixture (its Welsh and Urdu are neutral test
sentences, not reviewed translations).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from lmets_docs import furniture
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.bidi import bidi_key, logical_text
from lmets_docs.cli import cli
from lmets_docs.i18n import messages
from lmets_docs.manifest import Manifest, read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold, formatter
from lmets_docs.writers.audio.script import as_printed, printed_forms
from tests import pdfread
from tests.conftest import DATA

LANGS = ("en-GB", "cy", "ur")
TODAY = dt.date(2026, 6, 1)
PROVED = ("contacts.triage.phone", "contacts.triage.hours", "contacts.advice.phone",
          "contacts.advice.hours", "contacts.ward.phone", "contacts.ward.hours",
          "contacts.ward.email", "contacts.ward.web", "review.last_reviewed",
          "review.next_review_due")
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = f"{{{NS['w']}}}"
ENGLISH = re.compile(r"\b(?:to|am|pm|a\.m\.|p\.m\.)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the clinic leaflet in every language and format; return the output folder."""
    root = tmp_path_factory.mktemp("clinic")
    folder = root / "clinic-contacts"
    shutil.copytree(DATA / "clinic-contacts", folder)
    options = BuildOptions(out=root / "output", tts="espeak", jobs=2, today=TODAY,
                           templates=None, cache_dir=root / "cache")
    build([folder], dataclasses.replace(options, langs=LANGS))
    return root / "output" / "clinic-contacts"


def manifest(built: Path, lang: str) -> Manifest:
    """Return one language's manifest."""
    return read_manifest(built / lang)


def artifact(built: Path, lang: str, fmt: str, role: str | None = None) -> Path:
    """Return a built file of one format."""
    return built / lang / manifest(built, lang).artifacts[fmt].files[role or fmt]


def test_each_language_says_the_hours_in_its_own_words(built: Path) -> None:
    facts = {lang: manifest(built, lang).facts for lang in LANGS}
    assert facts["en-GB"]["contacts.triage.hours"].printed == "24 hours a day, 7 days a week"
    assert facts["en-GB"]["contacts.advice.hours"].printed == (
        "8 am to 8 pm, Monday to Friday; 10 am to 4 pm, Saturday and Sunday, "
        "except bank holidays")
    assert facts["cy"]["contacts.triage.hours"].spoken == "24 awr y dydd, 7 diwrnod yr wythnos"
    assert facts["cy"]["contacts.advice.hours"].spoken.startswith(
        "rhwng Dydd Llun a Dydd Gwener, 8 y bore tan 8 yr hwyr")
    assert facts["ur"]["contacts.advice.hours"].spoken.startswith(
        "پیر سے جمعہ تک، 8 صبح سے 8 رات تک")
    assert facts["ur"]["contacts.ward.hours"].printed.endswith("ہفتہ اور اتوار بند")
    for lang in ("cy", "ur"):
        for name in PROVED:
            if not name.endswith((".email", ".web")):
                entry = facts[lang][name]
                assert not ENGLISH.search(entry.printed + " " + entry.spoken), (lang, name)


@pytest.mark.parametrize("lang", LANGS)
def test_every_contact_is_printed_in_the_pdf(built: Path, lang: str) -> None:
    facts = manifest(built, lang).facts
    path = artifact(built, lang, "pdf")
    if lang == "ur":  # poppler gives logical order; compare letters and digits (check/bidi.py)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                             capture_output=True, text=True, timeout=60).stdout
        text = bidi_key(logical_text(out))
        missing = [n for n in PROVED if bidi_key(facts[n].printed) not in text]
    else:
        text = fold(" ".join(pdfread.page_texts(path)))
        missing = [n for n in PROVED if fold(facts[n].printed) not in text]
    assert not missing
    assert "1 March 2027" in text if lang == "en-GB" else True


@pytest.mark.parametrize("lang", LANGS)
def test_every_contact_is_a_locked_fact_in_the_docx(built: Path, lang: str) -> None:
    facts = manifest(built, lang).facts
    with zipfile.ZipFile(artifact(built, lang, "docx")) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        footer = etree.fromstring(package.read("word/footer1.xml"))
    controls: dict[str, list[str]] = {}
    for sdt in body.iter(f"{W}sdt"):
        tag = sdt.find("w:sdtPr/w:tag", NS).get(f"{W}val").removeprefix("fact:")
        controls.setdefault(tag, []).append("".join(t.text or "" for t in sdt.iter(f"{W}t")))
    for name in PROVED:
        assert controls.get(name), name
        assert set(controls[name]) == {facts[name].printed}, name
    footer_text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
    assert facts["contacts.triage.phone"].printed in footer_text  # the main contact


@pytest.mark.parametrize("lang", LANGS)
def test_every_contact_is_said_in_the_narration(built: Path, lang: str) -> None:
    facts = manifest(built, lang).facts
    transcript = fold(artifact(built, lang, "audio", "transcript").read_text(encoding="utf-8"))
    # a number and its hours are written as printed, the rest in the words said
    written = {n: facts[n].printed if n.endswith((".phone", ".hours")) else facts[n].spoken
               for n in PROVED}
    assert not [n for n in PROVED if fold(written[n]) not in transcript]
    assert fold(facts["dates.service_moves"].spoken) in transcript


def test_every_format_gives_the_furniture_in_the_same_words(built: Path) -> None:
    """The contacts' lines and the review dates, worded once (lmets_docs.furniture), are
    paragraphs of the PDF, the DOCX and the web page (where a contact's name is its heading),
    word for word, and said in the narration."""
    leaflet, _ = load_leaflet(DATA / "clinic-contacts", "en-GB"), messages("en-GB")
    facts = formatter(leaflet)
    lines = [*(line for lines in furniture.contacts(_, facts) for line in lines),
             *furniture.review_dates(_), furniture.helpline(_, facts)]
    printed = [fold(furniture.printed(line, facts)) for line in lines]
    pdf = fold(" ".join(pdfread.page_texts(artifact(built, "en-GB", "pdf"))))
    assert [text for text in printed if text not in pdf] == []
    assert [text for text in printed if text not in docx_paragraphs(built)] == []
    page = lxml.html.parse(str(artifact(built, "en-GB", "html", "page"))).getroot()
    web = {fold(p.text_content()) for p in page.iter("p", "h3")}  # a contact's name: h3
    assert [text for text in printed[:-1] if text not in web] == []  # no footer on the web
    transcript = fold(artifact(built, "en-GB", "audio", "transcript").read_text("utf-8"))
    said = [fold(as_printed(furniture.spoken(line, facts), printed_forms(facts)))
            for cid in facts.contact_ids() for line in furniture.said_contact(_, leaflet, cid)]
    assert [text for text in said if text not in transcript] == []


def docx_paragraphs(built: Path) -> set[str]:
    """Return the text of every paragraph of the English DOCX, its body and its footer."""
    with zipfile.ZipFile(artifact(built, "en-GB", "docx")) as package:
        parts = [etree.fromstring(package.read(name)) for name in
                 ("word/document.xml", "word/footer1.xml")]
    return {fold("".join(t.text or "" for t in p.iter(f"{W}t")))
            for part in parts for p in part.iter(f"{W}p")}


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_passes_its_own_check(built: Path, lang: str) -> None:
    report = check([built / lang], TODAY)
    assert not report.errors, report.text()
    assert {"pdf", "docx", "audio"} <= set(manifest(built, lang).artifacts)


def _tampered(built: Path, tmp_path: Path, change: dict[str, str | None]) -> Path:
    """Copy the Urdu build and rewrite its manifest's facts (None drops a fact)."""
    folder = tmp_path / "ur"
    shutil.copytree(built / "ur", folder)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, printed in change.items():
        if printed is None:
            del data["facts"][name]
        else:
            data["facts"][name]["printed"] = printed
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_urdu_check_sees_a_changed_hour(built: Path, tmp_path: Path) -> None:
    hours = manifest(built, "ur").facts["contacts.advice.hours"].printed
    folder = _tampered(built, tmp_path, {"contacts.advice.hours": hours.replace("10", "11")})
    report = check([folder], TODAY, formats={"pdf"})
    assert [f for f in report.errors if "contacts.advice.hours is missing" in f.message]


def test_a_number_of_no_contact_is_an_error(built: Path, tmp_path: Path) -> None:
    folder = _tampered(built, tmp_path, {"contacts.ward.phone": None})
    report = check([folder], TODAY, formats={"pdf"})
    assert [f for f in report.errors
            if "phone number '0113 496 0456' is not any contact's" in f.message], report.text()


def test_build_lang_ur_passes_its_own_check_from_the_command_line(tmp_path: Path) -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(DATA / "clinic-contacts"), "--lang", "ur", "--format", "pdf",
        "--format", "docx", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output + result.stderr
    assert "check: 0 errors" in result.output + result.stderr


def test_an_email_of_no_contact_is_an_error(built: Path, tmp_path: Path) -> None:
    folder = _tampered(built, tmp_path, {"contacts.ward.email": "ward8@example.org"})
    report = check([folder], TODAY, formats={"docx"})
    assert [f for f in report.errors
            if "email address 'ward7@example.org' is not a contact's" in f.message], report.text()
