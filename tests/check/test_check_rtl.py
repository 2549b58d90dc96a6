# ruff: noqa: RUF001  (Urdu letters and the en dash of its hours are what is tested)
"""``check`` reads right-to-left PDFs back in logical order, and stays strict doing it.

The Urdu glossary leaflet is built for real in large and giant print, with a project
catalogue that keeps the footer's label in English (as a house style may: the package's
Urdu catalogue says it in Urdu). In giant print its "Helpline: …, hours" line wraps inside
the Urdu hours, on a page where pdftotext gives every
line in visual order (more Latin letters than Arabic); the check must join the hours across
the wrap, and still see a wrong digit, a changed hour, hours in the wrong order or a fact
missing. The reading itself (``check.bidi``) is fuzzed, and tried on real pages laid out by
WeasyPrint and read by pdftotext.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.bidi import LRE, POP, RLE, bidi_key, logical_text
from lmets_docs.check.findings import Finding
from lmets_docs.check.pdf_fonts import read_to_unicode
from lmets_docs.errors import BuildError
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers import pdf as pdf_writer
from lmets_docs.writers.pdf import (
    fonts,
    libs,  # noqa: F401  (before weasyprint, as the writer does)
)

# isort: split
import weasyprint

from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
HOURS = "contacts.helpline.hours"
PROFILES: tuple[Profile, ...] = ("large", "giant")
FILES = {"large": "glossary-leaflet-large-print.pdf", "giant": "glossary-leaflet-giant-print.pdf"}


ENGLISH_FOOTER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Helpline: {phone}, {hours}"\nmsgstr "Helpline: {phone}, {hours}"\n')


def _build(source: Path, out: Path) -> Path:
    """Build the Urdu PDF of ``source`` in large and giant print; return its language folder."""
    templates = out.parent / "templates"
    po = templates / "locale" / "ur" / "LC_MESSAGES" / "lmets_docs.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(ENGLISH_FOOTER, encoding="utf-8")
    for profile in PROFILES:
        build([source], BuildOptions(out=out, formats=("pdf",), langs=("ur",), profile=profile,
                                     jobs=1, today=TODAY, templates=templates, tts="espeak"))
    return out / "glossary-leaflet" / "ur"


@pytest.fixture(scope="module")
def urdu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the Urdu glossary leaflet's folder, built in large and giant print."""
    return _build(DATA / "glossary", tmp_path_factory.mktemp("urdu") / "out")


@pytest.fixture(scope="module")
def eleven(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the same leaflet built with the helpline opening at 11:00, not 10:00."""
    source = tmp_path_factory.mktemp("eleven") / "glossary"
    shutil.copytree(DATA / "glossary", source)
    yaml = source / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('"10:00"', '"11:00"'),
                    encoding="utf-8")
    return _build(source, source.parent / "out")


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def _missing(folder: Path, name: str = HOURS, allow_edited: bool = False) -> list[Finding]:
    report = check([folder], TODAY, formats={"pdf"}, allow_edited=allow_edited)
    return [f for f in report.errors if f.message.startswith(f"{name} is missing")]


def _expected(folder: Path) -> str:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return str(data["facts"][HOURS]["printed"])


def _copy(urdu: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ur"
    shutil.copytree(urdu, target)
    return target


def _expect(folder: Path, name: str, printed: str) -> None:
    """Make the manifest expect ``printed`` for the fact ``name`` (a new fact if need be)."""
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = dict(data["facts"][HOURS], printed=printed)
    data["facts"][name] = entry
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# -- the real leaflet ------------------------------------------------------------------------

def test_both_profiles_pass_their_own_check(urdu: Path) -> None:
    assert {p.name for p in urdu.glob("*.pdf")} == set(FILES.values())
    report = check([urdu], TODAY)
    assert not report.errors, report.text()


def test_in_giant_print_the_hours_wrap_on_a_page_read_in_visual_order(urdu: Path) -> None:
    """The case the check must read: no one line holds the hours; joined in order, they are."""
    key = bidi_key(_expected(urdu))
    lines = [line for line in _pdftotext(urdu / FILES["giant"]).splitlines()
             if "Helpline" in line]
    wrapped = [line for line in lines if key[:4] in bidi_key(line) and key not in
               bidi_key(logical_text(line))]
    assert wrapped, lines
    assert not any(line.strip().startswith(RLE) and line.strip().endswith(POP)
                   and key in bidi_key(line) for line in lines)
    assert key in bidi_key(logical_text(_pdftotext(urdu / FILES["giant"])))


def _swapped(hours: str) -> str:
    return hours.replace("10", "@").replace("4", "10").replace("@", "4")


@pytest.mark.parametrize("change", [
    lambda h: h.replace("10", "11"),             # a wrong digit
    lambda h: h.replace("4 ", "5 "),             # a changed hour
    _swapped,                                    # the two times the other way round
    lambda h: h.replace("پیر", "منگل"),          # another day
    lambda h: h.replace("صبح", "شام"),           # evening, not morning
], ids=["digit", "hour", "swapped", "day", "period"])
def test_a_changed_hour_is_still_missing(urdu: Path, tmp_path: Path, change: object) -> None:
    folder = _copy(urdu, tmp_path)
    expected = _expected(urdu)
    wrong = change(expected)  # type: ignore[operator]
    assert wrong != expected
    _expect(folder, HOURS, wrong)
    assert {f.file.name for f in _missing(folder)} == set(FILES.values())


def test_a_fact_not_in_the_pdf_is_missing(urdu: Path, tmp_path: Path) -> None:
    folder = _copy(urdu, tmp_path)
    _expect(folder, "contacts.evening.hours", "پیر سے جمعہ تک، 6 شام – 9 رات")
    found = _missing(folder, "contacts.evening.hours")
    assert {f.file.name for f in found} == set(FILES.values())


def test_a_pdf_printed_with_another_hour_fails(urdu: Path, eleven: Path, tmp_path: Path) -> None:
    """A real PDF with 11 for 10 in its hours, put in place of the built one, is caught."""
    folder = _copy(urdu, tmp_path)
    assert "11" in _expected(eleven)
    assert bidi_key(_expected(eleven)) in bidi_key(logical_text(
        _pdftotext(eleven / FILES["giant"])))
    for name in FILES.values():
        shutil.copyfile(eleven / name, folder / name)
    assert {f.file.name for f in _missing(folder, allow_edited=True)} == set(
        FILES.values())


# -- pdftotext's lines, as it gives them -----------------------------------------------------

@pytest.mark.parametrize(("line", "logical"), [
    # a page read in visual order, an Urdu line whose leftmost word is Urdu
    (f"{RLE} سہ پہر{POP}4 – {RLE} صبح{POP}10 ،{RLE}پیر سے جمعہ تک{POP}",
     "پیرسےجمعہتک10صبح4سہپہر"),
    (f"{RLE} صبح{POP}10 ،{RLE} پیر سے جمعہ تک{POP},020 7946 0000 :Helpline",
     "02079460000Helplineپیرسےجمعہتک10صبح"),
    # a page read in logical order: each line one run, left as it is
    (f"{RLE}پیر سے جمعہ تک{LRE} 10 ،{POP}صبح – {LRE} 4{POP}سہ پہر{POP}",
     "پیرسےجمعہتک10صبح4سہپہر"),
    ("Page 1 of 2", "Page1of2"),
    # a tanwin on a word's last letter, visually just left of the word, outside its run
    (f"{RLE} ص{POP}1 \u064b{RLE}مساء{POP}", "مساء\u064b1ص"),
    # an Arabic comma between a Latin name and a number: one left-to-right run (rule W7)
    (f"{RLE}اتصل بـ {LRE}Example Support Line، 0808 157 0192{POP} الآن{POP}",
     "اتصلبـExampleSupportLine08081570192الآن"),
], ids=["visual-urdu-first", "visual-label-first", "logical", "latin", "mark", "name-comma"])
def test_each_line_is_read_in_logical_order(line: str, logical: str) -> None:
    assert bidi_key(logical_text(line)) == logical


def test_a_fact_is_joined_across_a_wrap_in_visual_order() -> None:
    text = (f"{RLE} صبح{POP}10 ،{RLE} پیر سے جمعہ تک{POP},020 7946 0000 :Helpline\n"
            f"{RLE} سہ پہر{POP}4 –\n")
    assert bidi_key("پیر سے جمعہ تک، 10 صبح – 4 سہ پہر") in bidi_key(logical_text(text))


LETTERS = st.sampled_from([*"پیرسےجمعہتکصبح", *"abcXYZ", *"0123456789", *" ،,.:–-\t",
                           RLE, LRE, POP, "\u202d", "\u202e", "\n", "\u2067", "\u2069"])


@given(st.text(LETTERS, max_size=200))
@settings(max_examples=300, derandomize=True, database=None, deadline=None)
def test_reading_any_text_loses_and_invents_nothing(text: str) -> None:
    """Hostile input (unbalanced embeddings, stray pops): no error, the same lines, and each
    line's letters and digits all kept, only reordered."""
    logical = logical_text(text)
    assert logical.count("\n") == text.count("\n")
    for before, after in zip(text.split("\n"), logical.split("\n"), strict=True):
        assert Counter(bidi_key(before)) == Counter(bidi_key(after))


@given(st.text(LETTERS.filter(lambda c: c != "\n"), max_size=60))
@settings(max_examples=200, derandomize=True, database=None, deadline=None)
def test_a_line_that_is_one_embedded_run_is_kept_as_it_is(inner: str) -> None:
    line = f"{RLE}{inner.replace(POP, '').replace(RLE, '').replace(LRE, '')}{POP}"
    assert logical_text(line) == line


# -- real pages: WeasyPrint lays out, pdftotext reads ----------------------------------------

URDU_WORDS = ["پیر", "سے", "جمعہ", "تک،", "صبح", "سہ", "پہر", "جنوری،", "دن", "کے", "گھنٹے"]
ENGLISH = ["Helpline:", "Call", "the", "clinic", "Opening", "hours", "Example", "Charity"]


@st.composite
def urdu_fact(draw: st.DrawFn) -> str:
    """Return a fact as the Urdu formats write one: numbers always between words."""
    parts = [draw(st.sampled_from(URDU_WORDS))]
    for _ in range(draw(st.integers(1, 4))):
        parts += [str(draw(st.integers(1, 2030))), draw(st.sampled_from(URDU_WORDS))]
    if draw(st.booleans()):
        parts.insert(len(parts) // 2, "–")
    return " ".join(parts)


def _pdf(fact: str, before: str, after: str, width: int, family: str = "sans-serif") -> bytes:
    """Return a PDF of one right-to-left paragraph ``width`` mm wide holding the fact."""
    html = (f'<html lang="ur" dir="rtl"><body style="font-size:20pt; font-family:{family!r}">'
            f'<p style="width:{width}mm">{before} <span>{fact}</span> {after}</p></body></html>')
    return bytes(weasyprint.HTML(string=html).write_pdf())


def _page(fact: str, before: str, after: str, width: int) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"],
                            input=_pdf(fact, before, after, width), check=True,
                            capture_output=True, timeout=60)
    return str(result.stdout.decode("utf-8"))


@given(urdu_fact(), st.lists(st.sampled_from(ENGLISH + URDU_WORDS), max_size=14),
       st.lists(st.sampled_from(ENGLISH), max_size=14), st.integers(40, 170))
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_a_fact_laid_out_by_weasyprint_is_read_back_whole(
        fact: str, before: list[str], after: list[str], width: int) -> None:
    """Wherever the line wraps, and whichever order pdftotext gives the page in, the fact is
    found; with one digit changed, it is not."""
    text = bidi_key(logical_text(_page(fact, " ".join(before), " ".join(after), width)))
    assert bidi_key(fact) in text
    at = next(i for i, c in enumerate(fact) if c.isdigit())
    for digit in set("0123456789") - {fact[at]}:
        assert bidi_key(fact[:at] + digit + fact[at + 1:]) not in text


ARABIC_WORDS = ["ص", "مساءً", "ظهرًا", "بعد", "الظهر", "الاثنين", "–", "الجمعة;", "مجانًا"]


@st.composite
def arabic_fact(draw: st.DrawFn) -> str:
    """Return a fact as the Arabic formats write one, with its tanwin marks: a number or a
    word first, a word between two numbers and at the end."""
    parts = [str(draw(st.integers(1, 12)))] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 4))):
        parts += [draw(st.sampled_from(ARABIC_WORDS[:6])), str(draw(st.integers(1, 12)))]
    return " ".join([*parts, draw(st.sampled_from(ARABIC_WORDS[:6]))])


@given(fact=arabic_fact(), around=st.lists(st.sampled_from(ENGLISH + ARABIC_WORDS), max_size=12),
       width=st.integers(40, 170))
@settings(max_examples=20, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_a_fact_with_raised_marks_is_read_back_whole(
        fact: str, around: list[str], width: int, tmp_path: Path) -> None:
    """Marks placed with a text rise, wraps anywhere: read levelled, as check reads a page
    with rises, the fact is found, and with one digit changed it is not."""
    path = tmp_path / "page.pdf"
    # As in the leaflets, Arabic words come before a fact ("رقم … هو 0161 496 0123، 8 ص"):
    # a number right after an English word would be read with it (see check/bidi.py).
    path.write_bytes(_pdf(fact, " ".join([*around, "هو"]), " ".join(reversed(around)), width,
                          "Noto Naskh Arabic"))
    text = bidi_key(logical_text("\n".join(check_pdf.level_page_texts(path))))
    assert bidi_key(fact) in text
    at = next(i for i, c in enumerate(fact) if c.isdigit())
    for digit in set("0123456789") - {fact[at]}:
        assert bidi_key(fact[:at] + digit + fact[at + 1:]) not in text


# -- an Arabic leaflet: vowel marks drawn with a text rise, every letter's forms -------------

ARABIC = DATA / "arabic"
ARABIC_FILES = {"large": "arabic-clinic-large-print.pdf", "giant": "arabic-clinic-giant-print.pdf"}
TANWIN = "contacts.advice.hours"
RISE = re.compile(rb"\n-?[0-9.]*[1-9][0-9.]* Ts\n")


def _build_arabic(out: Path, check_it: bool = True) -> Path:
    for profile in PROFILES:
        build([ARABIC], BuildOptions(out=out, formats=("pdf",), profile=profile, jobs=1,
                                     today=TODAY, templates=None, tts="espeak", check=check_it))
    return out / "arabic-clinic" / "ar"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the Arabic fixture's folder, built (and checked) in large and giant print."""
    return _build_arabic(tmp_path_factory.mktemp("arabic") / "out")


def _fact(folder: Path, name: str) -> str:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return str(data["facts"][name]["printed"])


def test_the_arabic_leaflet_passes_its_own_check_in_both_profiles(arabic: Path) -> None:
    assert {p.name for p in arabic.glob("*.pdf")} == set(ARABIC_FILES.values())
    report = check([arabic], TODAY)
    assert not report.errors, report.text()


def test_hours_with_a_vowel_mark_are_read_on_their_line(arabic: Path) -> None:
    """pdftotext takes a tanwin drawn with a text rise (and what follows it) for another
    line; check reads the page with its rises levelled, and finds the hours whole."""
    hours = _fact(arabic, TANWIN)
    assert "\u064b" in hours  # "مساءً": fathatan
    for name in ARABIC_FILES.values():
        path = arabic / name
        with pikepdf.open(path) as pdf:
            assert any(RISE.search(page.Contents.read_bytes()) for page in pdf.pages)
        as_drawn = bidi_key(logical_text("\n".join(check_pdf.page_texts(path))))
        levelled = bidi_key(logical_text("\n".join(check_pdf.level_page_texts(path))))
        assert bidi_key(hours) not in as_drawn
        assert bidi_key(hours) in levelled


@pytest.mark.parametrize("change", [
    lambda h: h.replace("8", "9", 1), lambda h: h.replace("مساءً", "صباحًا"),
    lambda h: h.replace("\u064b", ""),
], ids=["digit", "period", "mark"])
def test_a_changed_arabic_hour_is_missing(arabic: Path, tmp_path: Path, change: object) -> None:
    folder = tmp_path / "ar"
    shutil.copytree(arabic, folder)
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    wrong = change(data["facts"][TANWIN]["printed"])  # type: ignore[operator]
    assert wrong != data["facts"][TANWIN]["printed"]
    data["facts"][TANWIN]["printed"] = wrong
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert {f.file.name for f in _missing(folder, TANWIN)} == set(ARABIC_FILES.values())


def _letter_lines() -> list[str]:
    source = (ARABIC / "ar.md").read_text(encoding="utf-8")
    return [line for line in source.split("## الحروف", 1)[1].splitlines() if line.strip()]


def test_every_letter_in_every_form_reads_back_as_written(arabic: Path) -> None:
    """What a screen reader and a search get: each word of every letter, alone, initial,
    medial and final, is the PDF's text letter for letter (the /ToUnicode maps are right)."""
    lines = _letter_lines()
    assert len(lines) > 40
    for name in ARABIC_FILES.values():
        text = bidi_key(logical_text("\n".join(check_pdf.page_texts(arabic / name))))
        assert [line for line in lines if bidi_key(line) not in text] == []


def test_a_font_that_draws_letters_in_pieces_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Noto Sans Arabic draws a dotted letter as a skeleton and a dots glyph shared between
    letters; WeasyPrint then maps glyphs to no text or to another letter (#2841). Forced on
    the leaflet, the writer refuses it; and a PDF made so anyway fails the check."""
    monkeypatch.setattr(fonts, "BY_SCRIPT", {"Arab": ("Noto Sans Arabic",)})
    monkeypatch.setattr(fonts, "FALLBACKS", ("Noto Sans Arabic",))
    out = tmp_path / "writer"
    out.mkdir()
    with pytest.raises(BuildError, match=r"Noto Sans Arabic stands for .*#2841"):
        pdf_writer.WRITER.write(load_leaflet(ARABIC, "ar"), out,
                                BuildOptions(out=out, today=TODAY, templates=None))
    monkeypatch.setattr(pdf_writer, "refuse_misread", lambda document, leaflet: None)
    folder = _build_arabic(tmp_path / "out", check_it=False)
    report = check([folder], TODAY, formats={"pdf"})
    found = [f for f in report.errors if f.code == "pdf-tounicode"]
    assert {f.file.name for f in found} == set(ARABIC_FILES.values())
    assert all("Noto-Sans-Arabic" in f.message and "#2841" in f.message for f in found)
    assert "gives" in found[0].message and "glyph(s) no text" in found[0].message


# -- the /ToUnicode reader (check.pdf_fonts) --------------------------------------------------

def _cmap(body: str) -> bytes:
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "1 begincodespacerange <0000> <ffff> endcodespacerange\n"
            f"{body}\nendcmap CMapName currentdict /CMap defineresource pop end end").encode()


def test_the_reader_takes_chars_ranges_and_arrays() -> None:
    cmap = read_to_unicode(_cmap(
        "3 beginbfchar <0003> <0020> <0167> <0643> <004b> <06440627> endbfchar\n"
        "2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<0628> <D83DDE00>] endbfrange"))
    assert cmap.texts == {3: " ", 0x167: "ك", 0x4B: "لا", 0x10: "A", 0x11: "B", 0x12: "C",
                          0x20: "ب", 0x21: "\U0001F600"}
    assert (cmap.empty, cmap.malformed) == (set(), [])


@pytest.mark.parametrize(("body", "empty", "malformed"), [
    ("2 beginbfchar <0013> <> <0014> <0628> endbfchar", {0x13}, False),   # WeasyPrint #2841
    ("1 beginbfchar <0013> <D800> endbfchar", {0x13}, False),             # a lone surrogate
    ("1 beginbfchar <0013> <062> endbfchar", set(), True),                # odd digits
    ("1 beginbfchar <0013> endbfchar", set(), True),                      # no destination
    ("1 beginbfrange <0020> <0010> <0041> endbfrange", set(), True),      # backwards
    ("1 beginbfrange <0000> <ffff> [<0041>] endbfrange", set(), True),    # array too short
    ("1 beginbfrange <0010> <0012> endbfrange", set(), True),             # cut short
])
def test_the_reader_names_what_is_not_text(body: str, empty: set[int], malformed: bool) -> None:
    cmap = read_to_unicode(_cmap(body))
    assert cmap.empty == empty
    assert bool(cmap.malformed) is malformed


CMAP_PIECES = st.sampled_from([
    "beginbfchar", "endbfchar", "beginbfrange", "endbfrange", "[", "]", "<>", "<0041>",
    "<00", "0041>", "<zz>", "<D800>", "<ffff>", "<0000>", " ", "\n", "<06440627>", "3",
    "<0 0 4 1>", "<0010>", "<0020>", "(x)", "%", "endcmap", "\x00", "<\n>"])


@given(st.lists(CMAP_PIECES, max_size=60).map(" ".join) | st.binary(max_size=300))
@settings(max_examples=400, derandomize=True, database=None, deadline=None)
def test_any_bytes_are_read_without_an_error(data: str | bytes) -> None:
    """A hostile or broken map is a finding, never an exception; no code is both text and
    no text, and no text is empty."""
    cmap = read_to_unicode(data.encode("latin-1") if isinstance(data, str) else data)
    assert all(text for text in cmap.texts.values())
    assert not set(cmap.texts) & cmap.empty


@given(st.dictionaries(st.integers(0, 0xFFFF), st.text(min_size=1, max_size=3), max_size=40))
@settings(max_examples=200, derandomize=True, database=None, deadline=None)
def test_a_map_written_as_weasyprint_writes_it_reads_back(mapping: dict[int, str]) -> None:
    body = "\n".join(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>"
                     for code, text in mapping.items())
    cmap = read_to_unicode(_cmap(f"{len(mapping)} beginbfchar\n{body}\nendbfchar"))
    assert (cmap.texts, cmap.empty, cmap.malformed) == (mapping, set(), [])


@pytest.mark.parametrize("before", [b"", b"q /F 20000 Tf Q "], ids=["plain", "size-in-q"])
def test_text_a_rise_moves_off_the_page_is_not_read_back(
        urdu: Path, tmp_path: Path, before: bytes) -> None:
    """Only a mark's small rise is levelled: a fact raised off the page stays unread, also
    when a huge font size set inside q … Q (and given back by Q) comes before it."""
    folder = _copy(urdu, tmp_path)
    path = folder / FILES["large"]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            page.contents_add(pdf.make_stream(b"q"), prepend=True)
            page.contents_add(pdf.make_stream(b"Q"))
            drawn = page.Contents[1]  # [q, WeasyPrint's content, Q]
            drawn.write(re.sub(rb"\bBT\b", before + b"BT 10000 Ts", drawn.read_bytes()))
        pdf.save(path)
    report = check([folder], TODAY, formats={"pdf"}, allow_edited=True)
    assert {f.file.name for f in report.errors if f.code == "fact-missing"} == {path.name}


def test_a_broken_form_no_page_draws_leaves_the_levelled_reading_alone(
        arabic: Path, tmp_path: Path) -> None:
    """Levelling a form that cannot be read skips it, rather than making the file unreadable
    (the Arabic fixture's tanwin is drawn with a rise, so its pages are read levelled)."""
    folder = _copy(arabic, tmp_path)
    path = folder / ARABIC_FILES["large"]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        broken = pdf.make_stream(b"not deflated", Type=pikepdf.Name.XObject,
                                 Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10],
                                 Filter=pikepdf.Name.FlateDecode)
        pdf.Root.Orphan = broken
        pdf.save(path)
    report = check([folder], TODAY, formats={"pdf"}, allow_edited=True)
    assert not [f for f in report.errors if f.code != "edited"], report.errors
