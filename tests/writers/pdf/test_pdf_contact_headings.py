"""The PDF heads its contacts as the web page and the EPUB do.

The PDF's contact boxes had no heading: a screen-reader user moving by heading (NVDA's H, a
reader's bookmarks) went from the title to the first section and never met the contacts. The
title page gives the main contact (the running footer's helpline) under the heading
"Helpline", as an ``H2``, its name an ``H3`` heading its box; a leaflet with several contacts
gives the others after the text, in the section "Contacts" (``furniture.contacts_heading``,
as every format heads them), each name an ``H3`` (the narration's opening gives the main
contact and says the others are in its last part).
The outline gives each heading a bookmark with one bookmark under it for each contact.

Each contact's name is printed larger than the body (STANDARDS: headings larger and bold):
21 pt over the 18 pt body in large print, 25 pt over 22 pt in giant print, between the body
and the sections' headings (24 and 28 pt), in every language.

Read back from the built PDFs: the structure tree's headings with the text each holds, and
the printed size and font of each of their letters (pikepdf, and pdfplumber's marked
content), the outline (pikepdf), the first page's text in
reading order (pdftotext), the independent PDF/UA checkers the suite runs (``page`` and
``outloud``), and ``check`` (the contacts' facts proved, nothing under 16 pt, headings in
order). ``switchboard`` has two contacts (English, Welsh, Urdu, Arabic), ``glossary`` one
(English, Urdu); each in large and giant print.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import outloud
import page as page_validation
import pdfplumber
import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.i18n import messages
from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA
from tests.writers.pdf.test_pdf_tags import joining_forms

TODAY = dt.date(2026, 6, 1)
FOLDERS = {"switchboard": DATA / "switchboard", "glossary-leaflet": DATA / "glossary"}
WORDS = {  # the package's catalogues' words, as tests/writers/test_closing_heading.py has them
    ("switchboard", "en-GB"): "Contacts", ("switchboard", "cy"): "Cysylltiadau",
    ("switchboard", "ur"): "رابطے", ("switchboard", "ar"): "جهات الاتصال",
    ("glossary-leaflet", "en-GB"): "Helpline", ("glossary-leaflet", "ur"): "ہیلپ لائن",
}
PROFILES: tuple[Profile, ...] = ("large", "giant")
CASES = [(leaflet, lang, profile) for leaflet, lang in WORDS for profile in PROFILES]
RTL = {"ur", "ar"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build both leaflets' PDFs in every language, in large and then giant print."""
    root = tmp_path_factory.mktemp("contact-headings")
    options = BuildOptions(out=root / "out", formats=("pdf",), jobs=2, today=TODAY,
                           templates=None, cache_dir=root / "cache")
    folders = [Path(shutil.copytree(folder, root / name)) for name, folder in FOLDERS.items()]
    for profile in PROFILES:
        report = build(folders, dataclasses.replace(options, profile=profile))
        assert not report.rejected, [str(f) for f in report.findings]
    return root / "out"


def pdf_of(built: Path, leaflet: str, lang: str, profile: Profile) -> Path:
    return built / leaflet / lang / f"{leaflet}-{profile}-print.pdf"


def names(leaflet: str, lang: str) -> list[str]:
    """Return the contacts' names as the leaflet prints them, the main contact first."""
    facts = formatter(load_leaflet(FOLDERS[leaflet], lang))
    return [facts.printed(f"contacts.{cid}.name") for cid in facts.contact_ids()]


def _kids(element: Any) -> list[Any]:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def _elements(node: Any) -> Iterator[Any]:
    for kid in _kids(node):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _content(element: Any, pages: dict[tuple[int, int], int]) -> Iterator[tuple[int, int]]:
    for kid in _kids(element):
        if isinstance(kid, int):
            yield pages[element.Pg.objgen], kid
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _content(kid, pages)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.get("/Pg", element.Pg).objgen], int(kid.MCID)


def headings(path: Path) -> list[tuple[str, str]]:
    """Return each heading of the structure tree, in order: its role and the text it holds
    (the characters of its marked content, as drawn, without spaces)."""
    return [(role, "".join(char["text"] for char in chars)) for role, chars in lettered(path)]


def lettered(path: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """Return each heading of the structure tree, in order: its role and its characters as
    pdfplumber reads them (text, size, font), as drawn."""
    chars: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    with pdfplumber.open(path) as plumber:
        for number, page in enumerate(plumber.pages):
            for char in page.chars:
                if char.get("mcid") is not None and char.get("tag") != "Artifact":
                    chars[(number, int(char["mcid"]))].append(char)
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        return [(str(e.S), [c for r in _content(e, pages) for c in chars.get(r, [])])
                for e in _elements(pdf.Root.StructTreeRoot) if re.fullmatch(r"/H\d", str(e.S))]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(path: Path) -> list[tuple[str, list[str]]]:
    """Return the bookmarks: each top-level title with its children's titles."""
    with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
        return [(item.title, [kid.title for kid in item.children]) for item in tree.root]


def helpline(lang: str) -> str:
    """Return the title page's heading over the main contact, in the package's catalogue."""
    return str(messages(lang)("Helpline"))


@pytest.mark.parametrize(("leaflet", "lang", "profile"), CASES)
def test_the_contacts_are_headed_in_the_structure_tree(
        built: Path, leaflet: str, lang: str, profile: Profile) -> None:
    found = headings(pdf_of(built, leaflet, lang, profile))
    contacts = names(leaflet, lang)
    roles = [role for role, _ in found]

    # pdfplumber gives right-to-left text as drawn: there, compare the letters
    def read(text: str) -> str:
        return "".join(sorted(squeeze(text))) if lang in RTL else squeeze(text)

    texts = [read(text) for _, text in found]
    # the title, "Helpline" over the main contact's name; then the sections' H2s
    assert roles[:3] == ["/H1", "/H2", "/H3"]
    assert texts[1:3] == [read(helpline(lang)), read(contacts[0])]
    if len(contacts) == 1:
        assert set(roles[3:]) == {"/H2"}
        return
    # several: the section "Contacts" after the text, one H3 per other contact under it
    at = texts.index(read(WORDS[leaflet, lang]))
    assert at > 3 and roles[at] == "/H2"
    assert roles[at + 1:at + len(contacts)] == ["/H3"] * (len(contacts) - 1)
    assert texts[at + 1:at + len(contacts)] == [read(name) for name in contacts[1:]]
    assert roles.count("/H3") == len(contacts)  # each contact once


@pytest.mark.parametrize(("leaflet", "lang", "profile"), CASES)
def test_each_contact_name_is_larger_than_the_body_and_bold(
        built: Path, leaflet: str, lang: str, profile: Profile) -> None:
    sizes = PRINT_PROFILES[profile]
    found = lettered(pdf_of(built, leaflet, lang, profile))
    names_ = [chars for role, chars in found if role == "/H3"]
    assert len(names_) == len(names(leaflet, lang))
    for chars in names_:
        letters = [c for c in chars if not c["text"].isspace()]
        assert {round(c["size"], 2) for c in letters} == {sizes.h3_pt}
        assert all(re.search(r"Bold", c["fontname"]) for c in letters)
    # between the body and the sections' headings, as every other heading is larger still
    assert sizes.body_pt < sizes.h3_pt < sizes.h2_pt
    others = [c["size"] for role, chars in found if role != "/H3" for c in chars]
    assert min(others) >= sizes.h2_pt - 0.01


@pytest.mark.parametrize(("leaflet", "lang", "profile"), CASES)
def test_the_contacts_have_bookmarks_under_their_heading(
        built: Path, leaflet: str, lang: str, profile: Profile) -> None:
    bookmarks = outline(pdf_of(built, leaflet, lang, profile))
    sections = [s.title for s in load_leaflet(FOLDERS[leaflet], lang).sections]
    contacts = names(leaflet, lang)
    assert bookmarks[0] == (helpline(lang), contacts[:1])
    assert [title for title, _ in bookmarks[1:1 + len(sections)]] == sections
    # several contacts: the section "Contacts" right after the text, a bookmark each
    assert len([kids for _, kids in bookmarks if kids]) == (1 if len(contacts) == 1 else 2)
    if len(contacts) > 1:
        assert bookmarks[1 + len(sections)] == (WORDS[leaflet, lang], contacts[1:])


@pytest.mark.parametrize(("leaflet", "lang", "profile"),
                         [case for case in CASES if case[1] not in RTL])
def test_the_first_page_reads_the_heading_before_the_contacts(
        built: Path, leaflet: str, lang: str, profile: Profile) -> None:
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout",
                           str(pdf_of(built, leaflet, lang, profile)), "-"],
                          capture_output=True, check=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    contacts = names(leaflet, lang)
    heading = lines.index(helpline(lang))
    assert lines[heading + 1] == contacts[0]
    phone = formatter(load_leaflet(FOLDERS[leaflet], lang)).printed("helpline.phone")
    assert squeeze(phone) in squeeze("".join(lines[heading + 2:heading + 4]))  # may wrap


@pytest.mark.parametrize(("leaflet", "lang", "profile"),
                         [("switchboard", "en-GB", "large"), ("switchboard", "ar", "giant"),
                          ("glossary-leaflet", "ur", "large")])
def test_the_pdf_ua_checkers_find_nothing(
        built: Path, leaflet: str, lang: str, profile: Profile) -> None:
    path = pdf_of(built, leaflet, lang, profile)
    report = page_validation.validate_pdf(str(path))
    assert report.rules.failed == 0, report.to_json()
    result = outloud.check(str(path))
    assert result.error is None
    problems = [f for f in result.findings if f.severity in ("error", "warning")]
    assert [f"{f.rule} p.{f.page}: {f.message}" for f in problems if f.rule != "TXT-004"] == []
    # In Arabic script outloud warns, as before the headings, that a Naskh font's joining
    # forms of one letter share its code (TXT-004): right, as test_pdf_tags proves.
    collided = {m.group(1) for f in problems if (m := re.search(r"map to U\+\S+ '(.)'",
                                                                    f.message))}
    assert collided <= joining_forms(path)


def test_check_passes(built: Path) -> None:
    report = check([built], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]


def test_an_older_house_template_still_prints_its_boxes(tmp_path: Path) -> None:
    """A copy of the older leaflet.html calls ``contact_boxes`` without the heading: its
    boxes print as before (no heading, each name a bold paragraph), and the build passes."""
    builtin = (Path(render_page.__code__.co_filename).parents[2] / "templates" / "pdf"
               / "leaflet.html").read_text(encoding="utf-8")
    new = 'contact_boxes(contacts[:1], "helpline", helpline_heading)'
    assert new in builtin
    folder = tmp_path / "templates" / "pdf"
    folder.mkdir(parents=True)
    # the older copy: every contact's box on the title page, no section of contacts after
    older = re.sub(r"\{% block contacts %\}.*?\{% endblock %\}", "",
                   builtin.replace(new, 'contact_boxes(contacts, "helpline")'), flags=re.S)
    assert "leaflet-contacts" not in older
    (folder / "leaflet.html").write_text(older, encoding="utf-8")
    options = BuildOptions(out=tmp_path / "out", formats=("pdf",), jobs=1, today=TODAY,
                           templates=tmp_path / "templates", cache_dir=tmp_path / "cache")
    leaflet = load_leaflet(FOLDERS["glossary-leaflet"], "en-GB")
    page = render_page(leaflet, options).html
    assert 'class="contacts-heading"' not in page and "<h3>" not in page
    assert f"<p><strong>{names('glossary-leaflet', 'en-GB')[0]}" in re.sub(
        r"<span[^>]*>|</span>", "", page)
    report = build([FOLDERS["glossary-leaflet"]], dataclasses.replace(options, langs=("en-GB",)))
    assert not report.rejected and not check([tmp_path / "out"], TODAY, formats={"pdf"}).errors
