"""Each contact is printed once in the PDF, whatever a house template's title page does.

A house template written for the older leaflet.html extends the built-in page and overrides
its title page with the old call that gives every contact there (the session-32 review's
template, exactly). It used to inherit the section "Contacts" after the text too, which gave
contacts 2..n a second time (two boxes numbered 2, two bookmarks). The section now gives the
contacts no box has printed yet (``writers.pdf.template.to_print``).

Real builds of ``tests/data/switchboard`` (WeasyPrint), read back from the PDF: the structure
tree's headings and the letters they hold (pikepdf, pdfplumber), and the bookmarks (pikepdf).
``check`` proves it from the file (``pdf-contact-once``: each contact's name heads one box in
the structure tree): it passes the review's page, and fails a house page that hand-writes a
second box for a contact (English and Arabic) or leaves a contact out. ``pdf-first-page``
fails a house page whose first page gives the title alone, though its running footer gives
the main contact's number and hours (English and Arabic).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check, pdf_contacts
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.bidi import fact_key
from lmets_docs.check.findings import Severity
from lmets_docs.i18n import messages
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA
from tests.writers.pdf.test_pdf_contact_headings import headings, names, outline, squeeze

TODAY = dt.date(2026, 6, 1)
REVIEWERS_TITLE_PAGE = """\
{% extends "builtin/leaflet.html" %}
{% block title_page %}
<div class="title-page">
  <h1>{{ leaflet.title }}</h1>
  <p class="publisher">{{ publisher }}</p>
  <p class="edition">{{ _("Giant print") if profile.name == "giant" else _("Large print") }}</p>
  {% if overdue_notice %}
  <p class="overdue">{{ overdue_notice }}</p>
  {% endif %}
  {{ contact_boxes(contacts, "helpline", contacts_heading) -}}
  <p class="review">{{ reviewed[0] }}<br>
  {{ reviewed[1] }}</p>
  {% block title_page_extra %}{% endblock %}
</div>
{% endblock %}
"""
"""The review's house page (s32, finding 1): the title page of 060cb01 under the built-in page."""


def house(root: Path, page: str) -> Path:
    """Return a templates folder whose PDF page is ``page``."""
    (root / "pdf").mkdir(parents=True)
    (root / "pdf" / "leaflet.html").write_text(page, encoding="utf-8")
    return root


def options(root: Path, templates: Path | None, langs: tuple[str, ...] = ("en-GB",)
            ) -> BuildOptions:
    return BuildOptions(out=root / "out", formats=("pdf",), jobs=1, today=TODAY,
                        templates=templates, cache_dir=root / "cache", langs=langs,
                        check=False)


def built(root: Path, page: str, langs: tuple[str, ...] = ("en-GB",)) -> Path:
    """Return the output folder of the switchboard built with a house page (no check)."""
    folder = Path(shutil.copytree(DATA / "switchboard", root / "switchboard"))
    report = build([folder], options(root, house(root / "templates", page), langs))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


@pytest.fixture(scope="module")
def reviewers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the switchboard's English PDF built with the review's house page."""
    out = built(tmp_path_factory.mktemp("reviewers"), REVIEWERS_TITLE_PAGE)
    return out / "switchboard" / "en-GB" / "switchboard-large-print.pdf"


def once(out: Path) -> list[tuple[str, str, str]]:
    """Return ``check``'s pdf-contact-once errors: the language, the place and the message."""
    return [(f.file.parent.name, f.place, f.message) for f in check([out], TODAY).findings
            if f.code == "pdf-contact-once" and f.severity is Severity.ERROR]


def test_the_reviewers_house_page_gives_each_contact_once(reviewers: Path) -> None:
    contacts = names("switchboard", "en-GB")
    assert len(contacts) == 2
    found = headings(reviewers)
    # the title page: "Contacts" over every contact's name; no section of contacts after
    assert [squeeze(text) for role, text in found if role == "/H3"] == [
        squeeze(name) for name in contacts]
    assert [text for role, text in found if role == "/H2"].count("Contacts") == 1
    bookmarks = outline(reviewers)
    assert bookmarks[0] == ("Contacts", contacts)
    assert sum(kids.count(name) for _, kids in bookmarks for name in contacts) == len(contacts)


def test_the_page_numbers_each_box_once(tmp_path: Path) -> None:
    leaflet = load_leaflet(DATA / "switchboard", "en-GB")
    templates = house(tmp_path / "templates", REVIEWERS_TITLE_PAGE)
    page = render_page(leaflet, options(tmp_path, templates)).html
    assert re.findall(r'data-contact="(\d+)"', page) == ["1", "2"]
    assert 'id="leaflet-contacts"' not in page
    # the built-in page: the main contact on the title page, the other in "Contacts"
    builtin = render_page(leaflet, options(tmp_path, None)).html
    assert re.findall(r'data-contact="(\d+)"', builtin) == ["1", "2"]
    assert builtin.index('data-contact="2"') > builtin.index('id="leaflet-contacts"')


def test_check_passes_the_reviewers_house_page(reviewers: Path) -> None:
    report = check([reviewers.parents[2]], TODAY)  # thorough, as by default
    assert not report.errors, [str(f) for f in report.errors]


SECOND_BOX = """\
{% extends "builtin/leaflet.html" %}
{% block title_page_extra %}
<div class="helpline"><h3>{{ contacts[1][0][1] }}</h3><p>{{ contacts[1][1][1] }}</p></div>
{% endblock %}
"""
"""A house page that writes a second box for the ward by hand, on the title page."""


def test_a_hand_written_second_box_fails(tmp_path: Path) -> None:
    out = built(tmp_path, SECOND_BOX, ("en-GB", "ar"))
    said = once(out)
    assert [(lang, place) for lang, place, _ in said] == [("ar", "page 2"), ("en-GB", "page 2")]
    assert said[1][2] == ("contacts.ward.name 'Ward 7' heads 2 contact boxes (pages 1, 2): "
                          "each contact is given once (STANDARDS.md)")
    assert said[0][2].startswith("contacts.ward.name 'الجناح 7' heads 2 contact boxes")


def test_a_contact_left_out_fails(tmp_path: Path) -> None:
    out = built(tmp_path, '{% extends "builtin/leaflet.html" %}\n'
                          "{% block contacts %}{% endblock %}\n")
    assert once(out) == [("en-GB", "structure", (
        "contacts.ward.name 'Ward 7' heads no contact box (no Div headed by the contact's "
        "name in the structure tree): every contact is given once"))]


BARE_TITLE_PAGE = """\
{% extends "builtin/leaflet.html" %}
{% block head_extra %}<style>main { break-before: page; }</style>{% endblock %}
{% block title_page %}<div class="title-page"><h1>{{ leaflet.title }}</h1></div>{% endblock %}
"""
"""A house page whose first page gives the title alone (and the running footer: the main
contact's number and hours); the main contact's box comes after the text."""


def test_the_footer_does_not_give_the_first_page_its_contact(tmp_path: Path) -> None:
    out = built(tmp_path, BARE_TITLE_PAGE, ("en-GB", "ar"))
    for lang in ("en-GB", "ar"):
        pdf = out / "switchboard" / lang / "switchboard-large-print.pdf"
        [first, *_] = check_pdf.page_chars(pdf)
        facts = read_manifest(pdf.parent).facts
        phone, hours = (facts[f"contacts.unit.{part}"].printed for part in ("phone", "hours"))
        footer = " ".join(first.footer.split())
        assert fact_key(phone) in fact_key(footer) and fact_key(hours) in fact_key(footer)
        said = [(f.place, f.message) for f in check([pdf.parent], TODAY).findings
                if f.code == "pdf-first-page"]
        assert said == [("page 1", f"contacts.unit.{part} {printed!r} is not on the first page "
                         "(its running footer aside): the title page gives the main "
                         "contact's number and hours")
                        for part, printed in (("phone", phone), ("hours", hours))], lang
        assert fact_key(phone) not in fact_key(first.content().text)
    assert once(out) == []  # the main contact's box after the text: each contact once


@pytest.fixture(scope="module")
def latin_named(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the Arabic PDF of the low-vision user test's repro, whose main contact has an
    English name: its number, isolated left to right, sits in a line pdfium turns round."""
    root = tmp_path_factory.mktemp("latin-named")
    folder = Path(shutil.copytree(DATA / "fact-link", root / "fact-link"))
    report = build([folder], options(root, None, ("ar",)))
    assert not report.rejected, [str(f) for f in report.findings]
    return next((root / "out").glob("*/ar/*.pdf"))


def test_a_number_pdfium_turns_round_is_read_again_in_logical_order(
        latin_named: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = read_manifest(latin_named.parent)
    phone = manifest.facts["contacts.helpline.phone"].printed
    pages = [page.content for page in check_pdf.page_chars(latin_named)[:2]]
    assert phone == "020 7946 0000" and "0000 7946 020" in pages[0]().text  # pdfium's order
    assert list(pdf_contacts.first_page(latin_named, pages, manifest)) == []  # pdftotext's
    assert not [f for f in check([latin_named.parent], TODAY).findings
                if f.code == "pdf-first-page"]
    # page 1 read again gives the number once, in the box: the running footer and the page
    # label ("الصفحة 1 من 2") are left out
    label = str(messages("ar")("Page {page} of {pages}")).split()[0]
    again = pdf_contacts.read_again(latin_named, [page() for page in pages])[0]
    assert again.count(phone) == 1 and label not in again
    monkeypatch.setattr(shutil, "which", lambda _: None)  # no poppler: glyphs
    again = pdf_contacts.read_again(latin_named, [page() for page in pages])[0]
    assert phone in again and label not in again
    assert list(pdf_contacts.first_page(latin_named, pages, manifest)) == []


CAPITALS = ".helpline h3, .helpline h3 * { text-transform: uppercase; }"
"""A house sheet that prints the contacts' names in capitals (the PDF's letters are capitals)."""


def test_names_printed_in_capitals_are_still_each_given_once(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "leaflet.css").write_text(
        '{% include "builtin/leaflet.css" %}\n' + CAPITALS + "\n", encoding="utf-8")
    (templates / "pdf" / "leaflet.html").write_text(SECOND_BOX, encoding="utf-8")
    folder = Path(shutil.copytree(DATA / "switchboard", tmp_path / "switchboard"))
    report = build([folder], options(tmp_path, templates))
    assert not report.rejected, [str(f) for f in report.findings]
    out = tmp_path / "out"
    pdf = out / "switchboard" / "en-GB" / "switchboard-large-print.pdf"
    assert [squeeze(text) for role, text in headings(pdf) if role == "/H3"] == [
        squeeze(name.upper()) for name in names("switchboard", "en-GB")] + [
        squeeze(names("switchboard", "en-GB")[1].upper())]
    # the hand-written second box is found though its name is in capitals, and only it
    said = once(out)
    assert len(said) == 1 and "heads 2 contact boxes" in said[0][2], said
    (templates / "pdf" / "leaflet.html").unlink()  # the built-in page: each contact once
    shutil.rmtree(out)
    report = build([folder], options(tmp_path, templates))
    assert not report.rejected, [str(f) for f in report.findings]
    assert not check([out], TODAY).errors
