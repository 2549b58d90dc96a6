"""``check`` finds a contact's line cut by a page break inside a box, and only lets a box's
whole lines part at one.

A contact's box that would leave a page more than a third empty breaks between its lines,
each line whole (``tests/writers/pdf/test_pdf_contact_boxes.py``): two of its paragraphs
across a page break are then two lines, not one paragraph cut in two (the Welsh hours start
in lower case, "rhwng"). That exemption once covered every pair of paragraphs in any ``Div``
headed by a heading, the title page's too, and a line really cut in a box went unseen.

A house style sheet that lets the box and its paragraphs break (``.helpline, .helpline p {
break-inside: auto; orphans: 1; widows: 1 }``: the box is then never moved, so the writer
never breaks it between its lines itself, which would put its break first) cuts the user
test's day unit's hours in giant print across pages 4 and 5 (seen as PNG with pdftoppm:
"9 am to midday," ends page 4 inside the open box, "Saturday; closed Sunday" starts page 5).
The writer merges the two pieces into one ``P``
on two pages, which ``check`` now fails (a line of a box printed on two pages); a PDF whose
pieces were left as two ``P``s (the writer's merge stopped one level short: a PDF not
finished by this writer) fails too. Two paragraphs of a box across a page break pass only
when each holds a whole fact of that box's contact: a line cut after a ";" (the number set a
little apart, so that page 4 ends "Monday to Thursday;"), which a paragraph's test lets pass,
fails, also where the pieces happen to be another contact's facts; the built-in sheet's box,
broken by the writer after its number, passes. A line that runs onto two more pages (a long
note) is named with every page it runs onto.

A box is known by its contact's name, not by the name's exact letters: a house sheet that
prints the names in capitals keeps the cut hours failing and a Welsh box broken between whole
lines passing, and an older house ``leaflet.html`` that names each box by a bold paragraph
(no heading) keeps its boxes boxes.

A right-to-left line is read in order from its glyphs, as ``pdf_links_rtl`` reads a page:
the Arabic and Urdu boxes' lines are whole lines, and their hours with the two parts swapped
about the comma (the same letters, in another order) are not.

Built for real (WeasyPrint, ``--templates``) and read back: pdftotext's pages, the structure
tree (pikepdf, pdfplumber's marked content) and ``check``'s findings.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import lmets_docs
from lmets_docs.build import build
from lmets_docs.check import check, pdf_contacts, pdf_tags
from lmets_docs.check.bidi import bidi_key
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.writers.pdf import tags as writer_tags
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
BREAKING = ".helpline, .helpline p { break-inside: auto; orphans: 1; widows: 1; }"
CUT = ("9 am to midday,", "Saturday; closed Sunday")
"""The day unit's hours, "…; 9 am to midday, Saturday; closed Sunday", where page 4 ends."""


def _build(root: Path, sheet: str = BREAKING, leaflet: str | None = None,
           data: str = "chemo-fever", lang: str = "en-GB", profile: Profile = "giant",
           edit: Callable[[str], str] | None = None) -> Path:
    """Build a test leaflet (by default the user test's in giant print) with the house sheet
    (and the house ``leaflet.html``, if given; its ``leaflet.yaml`` changed by ``edit``, if
    given); return its PDF."""
    templates = root / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "leaflet.css").write_text(
        '{% include "builtin/leaflet.css" %}\n' + sheet + "\n", encoding="utf-8")
    if leaflet is not None:
        (templates / "pdf" / "leaflet.html").write_text(leaflet, encoding="utf-8")
    folder = Path(shutil.copytree(DATA / data, root / data))
    if edit is not None:
        source = folder / "leaflet.yaml"
        source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    report = build([folder], BuildOptions(out=root / "out", formats=("pdf",), langs=(lang,),
                                          profile=profile, jobs=1, today=TODAY,
                                          templates=templates, cache_dir=root / "cache",
                                          check=False))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out" / data / lang / f"{data}-{profile}-print.pdf"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def _split_errors(pdf: Path) -> list[str]:
    return [f.line() for f in check([pdf.parents[2]], TODAY, formats={"pdf"}).errors
            if f.code == "pdf-split-element"]


def _hours_cut(pdf: Path) -> None:
    """Assert the hours really end page 4 and go on at the top of page 5."""
    pages = _pages(pdf)
    before_footer = pages[3].rsplit("Helpline:", 1)[0].strip()
    assert before_footer.casefold().endswith(
        f"Day Unit Call 0113 496 0321 8 am to 6 pm, Monday to Thursday; 8 am to 4:30 pm, "
        f"Friday; {CUT[0]}".casefold()), pages[3]
    after_footer = pages[4].split("Page 5 of 5", 1)[-1].strip()
    assert after_footer.startswith(CUT[1]), pages[4]


def test_a_line_cut_in_a_box_and_merged_fails(tmp_path: Path) -> None:
    pdf = _build(tmp_path)
    _hours_cut(pdf)
    found = _split_errors(pdf)
    assert len(found) == 1, found
    assert "page 4: a line of a contact's box is cut in two by the break to page 5" in found[0]
    assert f"{CUT[0]} ' / '{CUT[1]}'" in found[0]


def _left_in_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have the writer leave a cut paragraph's pieces two ``P``s (its merge one level short)."""
    merge = writer_tags.merge_cut

    def short(document: Any, after: Any, depth: int, tree: Any) -> None:
        merge(document, after, depth - 1, tree)  # the cut paragraph's pieces stay two

    monkeypatch.setattr(writer_tags, "merge_cut", short)


def test_a_line_cut_in_a_box_left_in_two_fails(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _left_in_two(monkeypatch)
    pdf = _build(tmp_path)
    _hours_cut(pdf)
    found = [f for f in _split_errors(pdf) if "error: page 4:" in f]
    assert len(found) == 1, found
    assert ("a paragraph (P) is split into two structure elements at the break to page 5: "
            f"'0 pm, Friday; {CUT[0]} ' / '{CUT[1]}'") in found[0]


APART = ".helpline p.call { margin-bottom: 0.8em; }"
"""A house rule that sets each box's number a little apart from its hours: with ``BREAKING``,
page 4 ends on the day unit's hours' first line, "8 am to 6 pm, Monday to Thursday;"."""
REST = "8 am to 4:30 pm, Friday; 9 am to midday, Saturday; closed Sunday"
WHOLE_LINE = " (each line of a contact's box holds a whole fact of its contact)"


def test_a_line_cut_in_a_box_after_a_semicolon_fails(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces, left two ``P``s, neither end on a comma nor go on in lower case, which a
    paragraph's test lets pass; in a box each must be a whole line of its contact's."""
    _left_in_two(monkeypatch)
    pdf = _build(tmp_path, BREAKING + "\n" + APART)
    pages = _pages(pdf)
    assert pages[3].rsplit("Helpline:", 1)[0].strip().endswith(
        "Oncology Day Unit Call 0113 496 0321 8 am to 6 pm, Monday to Thursday;"), pages[3]
    assert pages[4].split("Page 5 of 5", 1)[-1].strip().startswith(REST), pages[4]
    found = [f for f in _split_errors(pdf) if "error: page 4:" in f]
    assert len(found) == 1, found
    assert ("error: page 4: a paragraph (P) is split into two structure elements at the break "
            f"to page 5: ' to 6 pm, Monday to Thursday; ' / '{REST[:30]}'{WHOLE_LINE}") in found[0]
    # the pieces are another contact's whole facts: still not lines of the day unit's
    contacts, walk, chars = _read_back(pdf)
    other = contacts | {"contacts.other.name": "Radiotherapy",
                        "contacts.other.hours": "8 am to 6 pm, Monday to Thursday",
                        "contacts.other.note": REST}
    found = [f.line() for f in pdf_tags.cut(pdf, walk, chars.texts, chars.glyphs, other,
                                                 rtl=False)
             if f.place == "page 4"]
    assert len(found) == 1 and WHOLE_LINE in found[0], found


def test_a_box_broken_by_the_writer_between_its_lines_passes(tmp_path: Path) -> None:
    """The built-in sheet: the writer breaks the day unit's box after its number, and its
    hours start page 5, two whole lines of its own."""
    pdf = _build(tmp_path, sheet="")
    pages = _pages(pdf)
    assert pages[3].rsplit("Helpline:", 1)[0].strip().endswith(
        "Oncology Day Unit Call 0113 496 0321"), pages[3]
    assert "Oncology Day Unit (continued) 8 am to 6 pm, Monday to Thursday;" in pages[4]
    assert _split_errors(pdf) == []


NOTE = "Bring your appointment letter, your medicines and a list of your questions."


def test_a_line_cut_over_three_pages_names_each(tmp_path: Path) -> None:
    """A note of 25 sentences in giant print: the box runs from page 5 to page 7, the note
    on all three."""
    email = "      email: oncology.dayunit@example.org\n"
    note = f'      note: {{en-GB: "{" ".join([NOTE] * 25)}"}}\n'

    def noted(text: str) -> str:
        assert text.count(email) == 1
        return text.replace(email, email + note)

    pdf = _build(tmp_path, edit=noted)
    pages = _pages(pdf)
    assert [n for n, page in enumerate(pages, start=1) if NOTE[:40] in page] == [5, 6, 7]
    found = [line for line in _split_errors(pdf) if "error: page 5:" in line]
    assert len(found) == 1, found
    assert ("page 5: a line of a contact's box is cut in 3 by the breaks to pages 6 and 7: "
            "'ent letter, your medicines and' / 'a list of your questions. Brin'") in found[0]


def test_only_the_contacts_boxes_are_boxes(tmp_path: Path) -> None:
    """The title page's ``Div`` (headed by the title) is no contact's box; each contact's is."""
    headed = [(role, box) for role, box, _ in _lines_whole(_build(tmp_path))]
    assert sorted(headed) == [("/H1", False), ("/H3", True), ("/H3", True)], headed


UPPER = ".helpline h3, .helpline h3 * { text-transform: uppercase; }"
"""A house rule that prints the contacts' names in capitals (the built-in sheet sets
``text-transform: none`` on everything, hence the ``*``)."""


def test_a_line_cut_in_a_box_named_in_capitals_fails(tmp_path: Path) -> None:
    """The names printed in capitals are still the contacts' names: the box is still a box."""
    pdf = _build(tmp_path, BREAKING + "\n" + UPPER)
    _hours_cut(pdf)
    assert "ONCOLOGY DAY UNIT" in " ".join(_pages(pdf))
    found = _split_errors(pdf)
    assert len(found) == 1, found
    assert "page 4: a line of a contact's box is cut in two by the break to page 5" in found[0]


def test_a_box_split_between_its_lines_named_in_capitals_passes(tmp_path: Path) -> None:
    """busy-clinic in Welsh, large print, the names in capitals (set a little closer, so that
    the acute line's name keeps to one line): the writer breaks the day unit's box between
    its number and its hours, which start in lower case ("rhwng"), two whole lines."""
    pdf = _build(tmp_path, UPPER + "\n.helpline h3 { letter-spacing: -0.04em; }",
                 data="busy-clinic", lang="cy", profile="large")
    pages = [page.split("Tudalen 4 o 4")[-1] for page in _pages(pdf)]
    assert "UNED DDYDD HAEMATOLEG AC ONCOLEG Ffoniwch 0113 496 0456 Llinell" in pages[2], pages[2]
    after = pages[3].strip().removeprefix("Uned Ddydd Haematoleg ac Oncoleg (parhad) ")
    assert after.startswith("rhwng Dydd Llun a Dydd Gwener,"), pages[3]  # (the name, continued)
    assert _split_errors(pdf) == []


def test_a_line_cut_in_a_box_named_by_a_bold_paragraph_fails(tmp_path: Path) -> None:
    """A house ``leaflet.html`` copied from an older one calls ``contact_boxes`` with no
    heading, so each name after the text is a bold paragraph, not an ``h3``: the box is still
    a box, and its cut hours fail."""
    builtin = (Path(lmets_docs.__file__).parent / "templates" / "pdf"
               / "leaflet.html").read_text(encoding="utf-8")
    assert builtin.count("named=true") == 1  # the boxes after the text
    pdf = _build(tmp_path, leaflet=builtin.replace("named=true", "named=false"))
    with pikepdf.open(pdf) as document:
        roles = [str(kid.get("/S")) for kid in _elements(document.Root.StructTreeRoot)]
    assert roles.count("/H3") == 1, roles  # the title page's box only
    _hours_cut(pdf)
    found = _split_errors(pdf)
    assert len(found) == 1, found
    assert "page 4: a line of a contact's box is cut in two by the break to page 5" in found[0]


def _elements(node: Any) -> list[Any]:
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *_elements(kid)]
    return found


def _read_back(pdf: Path) -> tuple[dict[str, str], pdf_tags.Walk, pdf_tags.Chars]:
    """Return the PDF's contact facts as printed, its structure tree walked
    (``pdf_tags.Walk``) and its tagged letters (``read_chars``)."""
    contacts = {name: fact.printed for name, fact in read_manifest(pdf.parent).facts.items()
                if name.startswith("contacts.")}
    with pikepdf.open(pdf) as document:
        tree = document.Root.StructTreeRoot
        numbers = {page.obj.objgen: n for n, page in enumerate(document.pages, start=1)}
        walk = pdf_tags.Walk(numbers, tree.get("/RoleMap", pikepdf.Dictionary()))
        walk.visit(tree)
    return contacts, walk, pdf_tags.read_chars(pdf)


def _own_facts(contacts: dict[str, str], name: str | None) -> set[str]:
    """Return the keys of the facts the contact named ``name`` gives a line each."""
    return pdf_tags._line_facts(contacts, pdf_tags.contact_names(contacts).get(name or "", []))


def _lines_whole(pdf: Path) -> list[tuple[str, bool, list[bool]]]:
    """Return each ``Div`` headed by a heading: the heading's role, whether it is a contact's
    box, and for a box whether each of its paragraphs holds a whole fact of its contact."""
    contacts, walk, chars = _read_back(pdf)
    rtl = pdf_contacts.rtl(read_manifest(pdf.parent))
    named = pdf_tags.contact_names(contacts)
    found = []
    for family, owner in zip(walk.families, walk.owners, strict=True):
        if owner == "/Div" and family and family[0][0].startswith("/H"):
            name = pdf_tags.contact_box(owner, family, chars.texts, named, rtl=rtl)
            own = _own_facts(contacts, name)
            found.append((family[0][0], name is not None,
                          [pdf_tags._whole(content, chars.texts, chars.glyphs, own, rtl=rtl)
                           for role, content, _ in family[1:]
                           if name is not None and role == "/P"]))
    return found


@pytest.fixture(scope="module", params=["ar", "ur"])
def switchboard(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the switchboard's PDF in Arabic and in Urdu, giant print (the built-in page)."""
    lang = str(request.param)
    root = tmp_path_factory.mktemp(f"switchboard-{lang}")
    folder = Path(shutil.copytree(DATA / "switchboard", root / "switchboard"))
    report = build([folder], BuildOptions(out=root / "out", formats=("pdf",), langs=(lang,),
                                          profile="giant", jobs=1, today=TODAY,
                                          cache_dir=root / "cache", templates=None))
    assert not report.rejected, [str(f) for f in report.findings]
    return root / "out" / "switchboard" / lang / "switchboard-giant-print.pdf"


def test_a_right_to_left_boxs_lines_are_whole_lines(switchboard: Path) -> None:
    """The switchboard's boxes in Arabic and Urdu (giant print: the Urdu ward's box breaks
    after its hours): pdfplumber gives each isolated piece of the hours as WeasyPrint draws
    it, out of reading order, so a right-to-left line is read from its glyphs in order; each
    line holds its whole fact, the title page is no box."""
    found = _lines_whole(switchboard)
    assert found == [("/H3", True, [True, True]), ("/H1", False, []),
                     ("/H3", True, [True, True])], found


def _unit(pdf: Path) -> tuple[dict[str, str], list[tuple[str, list[tuple[int, int]], Any]],
                              pdf_tags.Chars, str]:
    """Return the PDF's contact facts, the chemotherapy unit's box (its family: name, number,
    hours), the tagged letters and the unit's hours fact's name."""
    contacts, walk, chars = _read_back(pdf)
    box = next(family for family, owner in zip(walk.families, walk.owners, strict=True)
               if owner == "/Div" and family[0][0] == "/H3")
    name = pdf_tags.contact_box("/Div", box, chars.texts, pdf_tags.contact_names(contacts),
                                rtl=True)
    assert name is not None
    [unit] = pdf_tags.contact_names(contacts)[name]
    return contacts, box, chars, f"{unit}.hours"


def _moved(chars: pdf_tags.Chars, pieces: list[tuple[int, int]]
           ) -> tuple[list[tuple[int, int]], dict[tuple[int, int], str],
                      dict[tuple[int, int], list[Any]]]:
    """Return ``pieces`` moved to the next page (new marked-content ids), and the tagged
    letters and glyphs with them there too, as a page break before them gives them."""
    moved = {piece: (piece[0] + 1, 100 + n) for n, piece in enumerate(pieces)}
    texts = dict(chars.texts) | {moved[piece]: chars.texts[piece] for piece in moved}
    glyphs = dict(chars.glyphs) | {moved[piece]: chars.glyphs[piece] for piece in moved}
    return list(moved.values()), texts, glyphs


def _box_walk(*family: tuple[str, list[tuple[int, int]], Any]) -> pdf_tags.Walk:
    walk = pdf_tags.Walk({}, pikepdf.Dictionary())
    walk.families, walk.owners = [list(family)], ["/Div"]
    return walk


def test_a_right_to_left_boxs_line_cut_in_two_fails(switchboard: Path) -> None:
    """A line read in order still tells a piece of a line from a whole one. The
    switchboard's chemotherapy unit's box in Arabic and Urdu (giant print), read back; each of
    its lines cut between any two of its drawn pieces leaves no two whole lines. Its hours
    cut in two at the Arabic comma, as a PDF whose writer left a cut line's pieces as two
    ``P``s on two pages gives them, fail."""
    contacts, box, chars, hours_fact = _unit(switchboard)
    facts = pdf_tags._line_facts(contacts, [hours_fact.removesuffix(".hours")])
    texts, glyphs = chars.texts, chars.glyphs
    hours = box[2][1]
    assert pdf_tags._whole(hours, texts, glyphs, facts, rtl=True), [texts[piece] for piece in hours]
    for role, line, _ in box[1:]:
        for at in range(1, len(line)):
            one, two = line[:at], line[at:]
            assert not (pdf_tags._whole(one, texts, glyphs, facts, rtl=True)
                        and pdf_tags._whole(two, texts, glyphs, facts, rtl=True)), (role, at)
    comma = next(at for at, piece in enumerate(hours, start=1) if texts[piece].strip() == "،")
    rest, split, split_glyphs = _moved(chars, hours[comma:])
    walk = _box_walk(box[0], box[1], ("/P", hours[:comma], None), ("/P", rest, None))
    found = [f.line() for f in pdf_tags.cut(switchboard, walk, split, split_glyphs, contacts,
                                                       rtl=True)]
    assert len(found) == 1, found
    assert "page 1: a paragraph (P) is split into two structure elements at the break to page 2" \
        in found[0]


def test_a_right_to_left_boxs_fact_in_another_order_fails(switchboard: Path) -> None:
    """The chemotherapy unit's box with its hours on the next page, as the writer breaks a
    box between its number and its hours: two whole lines, which pass. Its hours fact with
    its two parts swapped about the comma (the same letters and digits, in another order:
    what matching the letters in any order let pass) is no line of the box's, and fails."""
    contacts, box, chars, fact = _unit(switchboard)
    hours, rest = box[2][1], box[3:]
    on_next, texts, glyphs = _moved(chars, hours)
    walk = _box_walk(box[0], box[1], ("/P", on_next, None), *rest)
    assert list(pdf_tags.cut(switchboard, walk, texts, glyphs, contacts, rtl=True)) == []
    parts = contacts[fact].split("، ")
    assert len(parts) == 2, contacts[fact]
    swapped = contacts | {fact: "، ".join(reversed(parts))}
    assert Counter(bidi_key(swapped[fact])) == Counter(bidi_key(contacts[fact]))
    found = [f.line() for f in pdf_tags.cut(switchboard, walk, texts, glyphs, swapped, rtl=True)]
    assert len(found) == 1, found
    assert ("page 1: a paragraph (P) is split into two structure elements at the break to "
            "page 2: ") in found[0] and WHOLE_LINE in found[0]

