"""``check`` proves that the name heading the rest of a broken contact box is an artifact
(``pdf-continued-artifact``), and the writer makes it one under a house template whose box
gives its lines as a bulleted list.

Where a page break carries a contact's box on, the writer heads the rest with the contact's
name, "continued", in the leaflet's language ("(parhad)", "(جاری)"), an ``/Artifact``: the
name's heading is once in the tree, and a screen reader reads on from the number to the box's
lines. A house ``leaflet.html`` whose box gives the lines after the number as a list (``<ul>``
of ``<li>``, bulleted) got that name read as text: WeasyPrint lays the list's ``::before`` out
in an anonymous block of its own, one level below the list, where the writer did not look for
it (an ``/L`` inside the ``/L``, holding the name). Built so (session 34, before the fix), the
user test's leaflet in giant print read "Oncology Day Unit (continued)" as tagged content on
page 5, and ``check`` said only that its lists held an ``/L`` and a ``/NonStruct``.

The rule is read back from the PDFs built for real (WeasyPrint, ``--templates``): pdfplumber's
marked content, each letter an artifact or tagged. A PDF whose writer leaves the name in the
tree (``pdf_layout.continued`` finding no name, as it did for the bulleted box) fails it, in
English, Welsh, Urdu and Arabic (right to left), and in a house catalogue's words; the writer's own
PDFs, the built-in template's broken boxes (``tests/writers/pdf/test_pdf_contact_boxes.py``
runs ``check`` on each) and the bulleted house template's, pass. The writer records each
marker it printed (the manifest's ``details.continued``), and ``check`` looks for exactly
that at the top of exactly that page: text quoting a marker passes, a name inside another
contact's name is not taken for it, and a record the page does not bear out fails.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from lmets_docs import furniture
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.i18n import messages
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.writers.pdf import layout as pdf_layout
from tests.conftest import DATA
from tests.writers.pdf.test_pdf_contact_boxes import _drawn_and_tagged, _holds
from tests.writers.pdf.test_pdf_contact_headings import RTL, squeeze

TODAY = dt.date(2026, 1, 1)
ARABIC_UNIT = "وحدة الأورام النهارية"
"""The user test's day unit, in Arabic: its box breaks in giant and in large print."""

HOUSE_BULLETS = """{% extends "builtin/leaflet.html" %}
{% block contacts %}
<section id="leaflet-contacts" class="contacts"><h2>{{ contacts_heading }}</h2>
{% for lines in contacts[1:] %}
<div class="helpline" data-contact="{{ 2 + loop.index0 }}">
{% for kind, line in lines %}{% if kind == "name" %}<h3>{{ line }}</h3>\
{% elif kind == "phone" %}<p class="call">{{ line }}</p>{% endif %}{% endfor %}
<ul class="lines">
{% for kind, line in lines %}{% if kind not in ("name", "phone") %}<li>{{ line }}</li>{% endif %}
{% endfor %}</ul>
</div>
{% endfor %}
</section>
{% endblock %}
"""
"""A house page whose contacts' boxes give the name (a heading), the number, then the other
lines as a bulleted list: the box breaks after its number, and the rest starts with the list."""

BROKEN: dict[str, tuple[str, str, Profile, int, str]] = {
    "chemo-fever-en-GB-giant": ("chemo-fever", "en-GB", "giant", 5, "Oncology Day Unit"),
    "busy-clinic-cy-large": ("busy-clinic", "cy", "large", 4,
                             "Uned Ddydd Haematoleg ac Oncoleg"),
    "switchboard-ur-giant": ("switchboard", "ur", "giant", 3, "وارڈ 7"),
}
"""Each leaflet whose box breaks under the bulleted house template: its language and print,
the page the rest of the box starts, and the contact's name (as printed)."""


def _build(root: Path, leaflet: str, lang: str, profile: Profile,
           templates: Path | None) -> Path:
    """Build one PDF (not checked: the tests check it) and return its path."""
    folder = root / "src" / leaflet
    if not folder.exists():
        shutil.copytree(DATA / leaflet, folder)
    report = build([folder], BuildOptions(
        out=root / "out", formats=("pdf",), profile=profile, jobs=1, langs=(lang,),
        today=TODAY, templates=templates, cache_dir=root / "cache", check=False))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out" / leaflet / lang / f"{leaflet}-{profile}-print.pdf"


def _marker(lang: str, name: str) -> str:
    """Return the name, continued, in the catalogue's words for ``lang``."""
    return furniture.continued(messages(lang)).format(name=name)


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bulleted house template's folder."""
    folder = tmp_path_factory.mktemp("house-bullets")
    (folder / "pdf").mkdir()
    (folder / "pdf" / "leaflet.html").write_text(HOUSE_BULLETS, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", BROKEN)
def test_a_bulleted_boxs_rest_is_headed_by_its_name_as_an_artifact(
        tmp_path: Path, house: Path, case: str) -> None:
    """The name, continued, heads the list on the rest's page, every letter of it an
    artifact; the list holds its bulleted items only (``/L`` → ``/LI``); ``check`` (thorough)
    finds nothing."""
    leaflet, lang, profile, page, name = BROKEN[case]
    path = _build(tmp_path, leaflet, lang, profile, house)
    drawn, tagged = _drawn_and_tagged(path)

    def read(text: str) -> str:  # pdfplumber gives right-to-left letters as drawn
        return "".join(sorted(squeeze(text))) if lang in RTL else squeeze(text)

    marker = _marker(lang, name)
    assert [n for n, text in enumerate(drawn, start=1) if _holds(read(text), read(marker))] \
        == [page]
    words = read("(" + marker.rsplit("(", 1)[1])
    assert not any(_holds(read(text), words) for text in tagged)
    with pikepdf.open(path) as pdf:
        lists = [element for element in _elements(pdf.Root.StructTreeRoot)
                 if str(element.S) == "/L"]
        assert lists and all(str(kid.S) == "/LI" for element in lists
                             for kid in _kids(element))
    report = check([path.parent], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]


FORGOTTEN: dict[str, tuple[str, str, Profile, str | None, int, str]] = {
    "chemo-fever-en-GB-giant": ("chemo-fever", "en-GB", "giant", None, 5, "Oncology Day Unit"),
    "chemo-fever-en-GB-giant-bullets": ("chemo-fever", "en-GB", "giant", "house", 5,
                                        "Oncology Day Unit"),
    "switchboard-ur-giant": ("switchboard", "ur", "giant", None, 3, "وارڈ 7"),
    "chemo-fever-ar-giant": ("chemo-fever", "ar", "giant", None, 5, ARABIC_UNIT),
    "chemo-fever-ar-large": ("chemo-fever", "ar", "large", None, 4, ARABIC_UNIT),
    "busy-clinic-cy-large-bullets": ("busy-clinic", "cy", "large", "house", 4,
                                     "Uned Ddydd Haematoleg ac Oncoleg"),
}
"""The PDFs built by a writer that leaves the name heading a box's rest in the tree: the
built-in template's or the bulleted house template's, the page the rest starts (Welsh: its
boxes break only under the bulleted page, "(parhad)")."""


@pytest.mark.parametrize("case", FORGOTTEN)
def test_a_name_heading_a_boxs_rest_read_as_text_fails(
        tmp_path: Path, house: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """The writer as it was for the bulleted box: the layout names no line to take out of
    the tree, so the name, continued, is tagged content. ``check`` fails it, once, on the
    rest's page, naming the marker in the leaflet's words; no other rule says so."""
    leaflet, lang, profile, templates, page, name = FORGOTTEN[case]
    monkeypatch.setattr(pdf_layout, "continued", lambda pages: [])
    path = _build(tmp_path, leaflet, lang, profile, house if templates else None)
    report = check([path.parent], TODAY, formats={"pdf"})
    found = [f for f in report.errors if f.code == "pdf-continued-artifact"]
    marker = _marker(lang, name)
    assert [(f.file, f.place) for f in found] == [(path, f"page {page}")]
    assert f"{marker!r}, is read as text" in found[0].message
    assert [(m["page"], m["text"]) for m in _recorded(path)] == [(page, marker)]
    assert f"letters are tagged content ({marker!r})" in found[0].message  # whole, uncut
    if templates is None:  # the built-in template's box: nothing else notices
        assert {f.code for f in report.errors} == {"pdf-continued-artifact"}


@pytest.mark.parametrize(("profile", "page"), [("giant", 5), ("large", 4)])
def test_an_arabic_boxs_rest_headed_by_its_name_passes(tmp_path: Path, profile: Profile,
                                                       page: int) -> None:
    """The user test's leaflet in Arabic, built-in template: the day unit's box breaks, the
    writer records the name, continued ("(تابع)"), heading its rest, and ``check`` finds it
    at the top of that page, every letter an artifact: no error, no warning ("not proved")."""
    path = _build(tmp_path, "chemo-fever", "ar", profile, None)
    marker = _marker("ar", ARABIC_UNIT)
    assert [(m["page"], m["text"]) for m in _recorded(path)] == [(page, marker)]
    drawn, _ = _drawn_and_tagged(path)
    words = "".join(sorted(squeeze(marker)))  # pdfplumber gives the letters as drawn
    assert _holds("".join(sorted(squeeze(drawn[page - 1]))), words)  # an artifact
    report = check([path.parent], TODAY, formats={"pdf"})
    assert not report.errors and not report.warnings, \
        [f.line() for f in [*report.errors, *report.warnings]]


def test_a_wrapped_name_with_a_line_left_tagged_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review s33b, finding 1, as ``check`` sees it: the busy clinic's day unit in large print
    heads its rest with its name, continued, on two lines; a writer that takes only the first
    out of the tree leaves "(continued)" read as text. Found though its first line is an
    artifact: the rule reads the letters line by line down the page."""
    laid_out = pdf_layout.continued

    def first_line_only(pages: Any) -> list[tuple[int, int, int]]:
        found = laid_out(pages)
        assert [lines for _, _, lines in found] == [2]
        return [(number, depth, 1) for number, depth, _ in found]

    monkeypatch.setattr(pdf_layout, "continued", first_line_only)
    path = _build(tmp_path, "busy-clinic", "en-GB", "large", None)
    drawn, _ = _drawn_and_tagged(path)
    assert "HaematologyandOncologyDayUnit" in squeeze(drawn[3])  # line 1 an artifact
    report = check([path.parent], TODAY, formats={"pdf"})
    found = [f for f in report.errors if f.code == "pdf-continued-artifact"]
    assert [f.place for f in found] == ["page 4"]
    marker = "Haematology and Oncology Day Unit (continued)"
    assert f"{marker!r}, is read as text: 11 of its 40 letters are tagged content " \
           "('(continued)')" in found[0].message


HOUSE_WORDS = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

msgid "{name} (continued)"
msgstr "{name}, continued"
"""
"""A house catalogue that rewords the name heading a box's rest."""


def test_a_house_catalogues_words_read_as_text_fail(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review s34, finding 1: a house catalogue (``<templates>/locale``) rewords the marker,
    "Oncology Day Unit, continued", which the package catalogue does not know. The writer
    records the words it printed; a writer that leaves them in the tree fails, naming them.
    A manifest that records them on a page that does not start with them is warned of: nothing
    is proved there."""
    house = tmp_path / "house"
    catalogue = house / "locale" / "en" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "lmets_docs.po").write_text(HOUSE_WORDS, encoding="utf-8")
    monkeypatch.setattr(pdf_layout, "continued", lambda pages: [])
    path = _build(tmp_path, "chemo-fever", "en-GB", "giant", house)
    marker = "Oncology Day Unit, continued"
    assert [(m["page"], m["text"]) for m in _recorded(path)] == [(5, marker)]
    _, tagged = _drawn_and_tagged(path)
    assert squeeze(marker) in squeeze(tagged[4])  # read as text, on page 5
    report = check([path.parent], TODAY, formats={"pdf"})
    found = [f for f in report.errors if f.code == "pdf-continued-artifact"]
    assert [f.place for f in found] == ["page 5"]
    assert f"{marker!r}, is read as text: 25 of its 25 letters are tagged content" \
        in found[0].message

    manifest = path.parent / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["artifacts"]["pdf-giant"]["details"]["continued"][0]["page"] = 4
    manifest.write_text(json.dumps(data), encoding="utf-8")
    report = check([path.parent], TODAY, formats={"pdf"})
    assert not [f for f in report.errors if f.code == "pdf-continued-artifact"]
    found = [f for f in report.warnings if f.code == "pdf-continued-artifact"]
    assert [f.place for f in found] == ["page 4"]
    assert f"headed by {marker!r}, but the page's text starts" in found[0].message


QUOTE = ("It can hide a fever.", 'See "Oncology Day Unit (continued)".')
"""A sentence of the user test's text, and one quoting the name heading its box's rest in
its place (the box still breaks, its rest on page 5)."""


def test_body_text_quoting_the_marker_passes(tmp_path: Path) -> None:
    """Review s34, finding 3: a sentence of the text that quotes the name, continued, is
    tagged text, as it should be; only the top of the page the writer records is looked at,
    so ``check`` passes the real writer's PDF (the rule read every line of every page for
    every contact's marker, and failed it)."""
    folder = tmp_path / "src" / "chemo-fever"
    shutil.copytree(DATA / "chemo-fever", folder)
    text = folder / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(*QUOTE), encoding="utf-8")
    path = _build(tmp_path, "chemo-fever", "en-GB", "giant", None)
    marker = "Oncology Day Unit (continued)"
    assert [(m["page"], m["text"]) for m in _recorded(path)] == [(5, marker)]
    drawn, tagged = _drawn_and_tagged(path)
    assert [n for n, text in enumerate(tagged, start=1) if squeeze(marker) in squeeze(text)] \
        and squeeze(marker) not in squeeze(tagged[4]) and squeeze(marker) in squeeze(drawn[4])
    report = check([path.parent], TODAY, formats={"pdf"})
    assert not report.errors, [str(f) for f in report.errors]


def test_a_name_inside_another_names_the_contact_whose_box_broke(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review s34, finding 3: the triage line renamed "Day Unit", a name inside "Oncology
    Day Unit". With the name heading the day unit's rest left tagged, ``check`` gives one
    error, naming the day unit's marker, not a second for "Day Unit (continued)"."""
    folder = tmp_path / "src" / "chemo-fever"
    shutil.copytree(DATA / "chemo-fever", folder)
    facts = folder / "leaflet.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "en-GB: 24-hour chemotherapy triage line", "en-GB: Day Unit"), encoding="utf-8")
    monkeypatch.setattr(pdf_layout, "continued", lambda pages: [])
    path = _build(tmp_path, "chemo-fever", "en-GB", "giant", None)
    [record] = _recorded(path)
    assert record["text"] == "Oncology Day Unit (continued)"
    report = check([path.parent], TODAY, formats={"pdf"})
    found = [f for f in report.errors if f.code == "pdf-continued-artifact"]
    assert [f.place for f in found] == [f"page {record['page']}"]
    assert "'Oncology Day Unit (continued)', is read as text: 26 of its 26" in found[0].message


def _recorded(path: Path) -> list[dict[str, Any]]:
    """Return the names heading a box's rest that the manifest records for a PDF."""
    manifest = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [entry for entry in manifest["artifacts"].values()
               if path.name in entry["files"].values()]
    found: list[dict[str, Any]] = entry["details"].get("continued", [])
    return found


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    found = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in found if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _elements(element: pikepdf.Object) -> list[pikepdf.Object]:
    return [found for kid in _kids(element) for found in (kid, *_elements(kid))]
