"""A contact's number with an extension, printed, linked and said in every format, and proved.

One real build of ``tests/data/switchboard`` (English, Welsh, Urdu and Arabic; PDF, DOCX, web page,
EPUB and narration with espeak-ng), read back from the files: pdftotext, the PDF's link
annotations (pikepdf), the DOCX's XML, the web page's links and the narration's transcript.
``check`` must pass on it, and must fail when any format gives another extension.
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
import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.cli import cli
from lmets_docs.facts import FactValue, contact_facts, has_extension
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.scan import phone_numbers
from lmets_docs.schema import Contact
from tests.conftest import DATA

TODAY = dt.date(2026, 6, 1)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LANGS = ("en-GB", "cy", "ur", "ar")
NBSP = "\u00a0"
PRINTED = {"en-GB": "0161 496 0123 ext. 48215", "cy": "0161 496 0123 est. 48215"}
SAID = {"en-GB": "0 1 6 1, 4 9 6, 0 1 2 3, extension 4 8 2 1 5",
        "cy": "0 1 6 1, 4 9 6, 0 1 2 3, estyniad 4 8 2 1 5",
        "ur": "0 1 6 1, 4 9 6, 0 1 2 3، ایکسٹینشن 4 8 2 1 5",
        "ar": "0 1 6 1, 4 9 6, 0 1 2 3، تحويلة 4 8 2 1 5"}
LINK = "tel:+441614960123;ext=48215"
WARD_LINK = "tel:+441134960456;ext=2301"


def _options(root: Path, **changes: object) -> BuildOptions:
    options = BuildOptions(out=root / "output", tts="espeak", jobs=2, today=TODAY,
                           templates=None, cache_dir=root / "cache")
    return dataclasses.replace(options, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the switchboard leaflet in every language and format; return its output."""
    root = tmp_path_factory.mktemp("switchboard")
    shutil.copytree(DATA / "switchboard", root / "switchboard")
    build([root / "switchboard"], _options(root, langs=LANGS))
    return root / "output" / "switchboard"


@pytest.fixture(scope="module")
def giant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the leaflet's PDFs in giant print (English and Welsh); return the output."""
    root = tmp_path_factory.mktemp("switchboard-giant")
    build([DATA / "switchboard"], _options(root, langs=("en-GB", "cy"), formats=("pdf",),
                                           profile="giant"))
    return root / "output" / "switchboard"


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def pdf_of(folder: Path) -> Path:
    return next(folder.glob("*-print.pdf"))


def docx_xml(folder: Path, part: str) -> str:
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as package:
        return "\n".join(package.read(name).decode() for name in package.namelist()
                         if re.fullmatch(part, name))


def test_check_passes_in_every_language_and_format(built: Path) -> None:
    for lang in LANGS:  # the build installs nothing that fails its own check
        made = {p.relative_to(built / lang).parts[0] for p in (built / lang).rglob("*.*")}
        assert {"manifest.json", "switchboard-large-print.pdf", "switchboard-leaflet.docx",
                "audio", "html", "epub"} <= made, (lang, made)
    report = check([built], TODAY)
    assert not report.errors, report.text()


@pytest.mark.parametrize("lang", list(PRINTED))
def test_the_pdf_prints_the_number_and_its_extension_on_one_line(built: Path, lang: str) -> None:
    lines = pdftotext(pdf_of(built / lang)).replace(NBSP, " ").splitlines()
    with_number = [line for line in lines if "48215" in line or "0161" in line]
    assert len(with_number) >= 4  # contact box, running footer, text, closing contacts
    assert all(PRINTED[lang] in line for line in with_number), with_number


@pytest.mark.parametrize("lang", list(PRINTED))
def test_the_giant_footer_gives_the_extension(giant: Path, lang: str) -> None:
    pdf = pdf_of(giant / lang)
    pages = pdftotext(pdf).replace(NBSP, " ").split("\f")
    footers = [page.strip().splitlines()[-3:] for page in pages if page.strip()]
    assert footers and all(any(PRINTED[lang] in line for line in footer) for footer in footers)
    assert not check([giant], TODAY).errors


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_links_dial_the_extension(built: Path, lang: str) -> None:
    with pikepdf.open(pdf_of(built / lang)) as pdf:
        targets = {str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                   if "/A" in annot and "/URI" in annot.A}
    assert {LINK, WARD_LINK} <= targets
    assert not any(t.startswith("tel:") and ";ext=" not in t for t in targets)


@pytest.mark.parametrize("lang", LANGS)
def test_the_web_page_links_dial_the_extension(built: Path, lang: str) -> None:
    page = lxml.html.parse(str(built / lang / "html" / "index.html")).getroot()
    phones = [a for a in page.iter("a") if a.get("href", "").startswith("tel:")]
    assert {a.get("href") for a in phones} == {LINK, WARD_LINK}
    shown = {" ".join(a.text_content().split()) for a in phones if a.get("href") == LINK}
    if lang in PRINTED:
        assert shown == {PRINTED[lang]}


@pytest.mark.parametrize("lang", LANGS)
def test_the_epub_links_and_prints_the_extension_unbroken(built: Path, lang: str) -> None:
    with zipfile.ZipFile(next((built / lang / "epub").glob("*.epub"))) as book:
        pages = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".xhtml")]
    links = [a for page in pages for a in page.iter("{*}a")
             if a.get("href", "").startswith("tel:")]
    assert {a.get("href") for a in links} == {LINK, WARD_LINK}
    shown = {"".join(a.itertext()) for a in links if a.get("href") == LINK}
    assert len(shown) == 1 and "48215" in next(iter(shown)) and " " not in next(iter(shown))


@pytest.mark.parametrize("lang", list(PRINTED))
def test_the_docx_prints_the_extension_with_no_break_spaces(built: Path, lang: str) -> None:
    unbroken = PRINTED[lang].replace(" ", NBSP)
    assert docx_xml(built / lang, r"word/document\.xml").count(unbroken) >= 2  # contact box, text
    assert unbroken in docx_xml(built / lang, r"word/footer\d*\.xml")


@pytest.mark.parametrize("lang", LANGS)
def test_the_narration_says_the_digits_then_the_extension(built: Path, lang: str) -> None:
    transcript = (built / lang / "audio" / "transcript.txt").read_text(encoding="utf-8")
    clips = read_manifest(built / lang).artifacts["audio"].details["spoken_facts"]
    said = "\n".join(clip["text"] for clip in clips)  # the words said, as the voice had them
    assert said.count(SAID[lang]) >= 2  # in the text and in the closing contacts
    assert said.count("4 8 2 1 5") == said.count(SAID[lang])
    # the transcript writes it as printed (the language's word for an extension)
    printed = next(f.printed for f in read_manifest(built / lang).facts.values()
                   if f.spoken == SAID[lang])
    assert transcript.count(printed) >= 2 and "4 8 2 1 5" not in transcript


def assert_read_from_the_right(boxes: list[tuple[float, float, str]], word: str) -> None:
    """Assert the first line holding the extension reads number, word, extension from the
    right: the extension leftmost, only the word's glyphs between it and the number."""
    middle = next(mid for _left, mid, text in boxes if text == "48215")
    x = {text: left for left, mid, text in boxes if abs(mid - middle) < 8}
    assert x["48215"] < x["0161"] < x["496"] < x["0123"], x
    between = [t for t, left in x.items() if x["48215"] < left < x["0161"]]
    assert between and all(re.fullmatch(word, t) for t in between), between


@pytest.mark.parametrize("lang", ["ur", "ar"])
def test_the_pdf_number_reads_number_word_extension_from_the_right(
        built: Path, lang: str) -> None:
    boxes = [(float(left), (float(top) + float(bottom)) / 2, text) for left, top, bottom, text
             in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]+)<',
                           pdftotext(pdf_of(built / lang), "-bbox", "-f", "1", "-l", "1"))]
    assert_read_from_the_right(boxes, r"[\u0600-\u06ff]+")
    manifest = json.loads((built / lang / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["facts"]["contacts.unit.phone"]["link"] == LINK


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice")
def test_the_urdu_docx_reads_number_word_extension_as_libreoffice_lays_it_out(
        built: Path, tmp_path: Path) -> None:
    docx = next((built / "ur").glob("*.docx"))
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / f"{docx.stem}.pdf") as pdf:
        # The first is the helpline box's bold 18 pt "Call" line, where LibreOffice gives a
        # glyph of the Nastaliq word no width and the text "5" in its PDF: not a word drawn.
        words = [w for w in pdf.pages[0].extract_words() if w["x1"] - w["x0"] > 0.5]
    # LibreOffice's PDF gives some Naskh glyphs no text ("(cid:13)"): no digit is enough
    assert_read_from_the_right([(w["x0"], (w["top"] + w["bottom"]) / 2, w["text"])
                                for w in words], r"(?!\d+$).+")


# A wrong extension in any format is an error -------------------------------------------------


def _copy(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built.parent, tmp_path / "output")
    return tmp_path / "output" / "switchboard"


def _rewrite_zip(path: Path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w") as package:
        for info, data in items:
            changed = data.decode().replace(old, new).encode() if re.fullmatch(
                part, info.filename) else data
            package.writestr(info, changed)


def _phone_errors(root: Path, lang: str = "en-GB") -> list[str]:
    report = check([root], TODAY)
    return [f"{e.file.name} {e.place}: {e.message}" for e in report.errors
            if lang in e.file.parts]


def test_check_reads_the_extension_from_the_docx(built: Path, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    docx = next((out / "en-GB").glob("*.docx"))
    _rewrite_zip(docx, r"word/document\.xml", f"ext.{NBSP}48215", f"ext.{NBSP}48216")
    errors = _phone_errors(out)
    assert any(".docx" in e and "48216" in e for e in errors), errors


def test_check_reads_the_extension_from_the_narration(built: Path, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    transcript = out / "en-GB" / "audio" / "transcript.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace(f"ext.{NBSP}48215", f"ext.{NBSP}48216", 1),
                          encoding="utf-8")
    errors = _phone_errors(out)
    assert any("48216' is not" in e for e in errors), errors


def test_check_reads_the_extension_from_the_links(built: Path, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    page = out / "en-GB" / "html" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(LINK, LINK[:-1] + "6", 1),
                    encoding="utf-8")
    errors = _phone_errors(out)
    assert any("index.html" in e and "48216" in e for e in errors), errors


def test_check_refuses_a_link_without_the_extension(built: Path, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    page = out / "en-GB" / "html" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(LINK, "tel:+441614960123", 1),
                    encoding="utf-8")
    errors = _phone_errors(out)
    assert any("index.html" in e and "+441614960123" in e for e in errors), errors


def test_check_reads_the_extension_from_the_pdf(built: Path, tmp_path: Path) -> None:
    """The manifest says another extension: the PDF's text and links give 48215, refused."""
    out = _copy(built, tmp_path)
    path = out / "cy" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    fact = manifest["facts"]["contacts.unit.phone"]
    for form in ("printed", "spoken", "link"):
        fact[form] = fact[form].replace("48215", "48216").replace("4 8 2 1 5", "4 8 2 1 6")
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    errors = check([out], TODAY).errors
    pdf = [e.message for e in errors if e.file.suffix == ".pdf"]
    assert any("48215" in message for message in pdf), [e.message for e in errors]


# The source: extensions typed in the text, hostile phone strings ------------------------------


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "switchboard"
    shutil.copytree(DATA / "switchboard", folder)
    (folder / "ur.md").unlink()
    return folder


@pytest.mark.parametrize(("lang", "typed"), [("en-GB", "0161 496 0123 ext 48215"),
                                             ("en-GB", "0161 496 0123, extension 48215"),
                                             ("cy", "0161 496 0123 est. 48215"),
                                             ("cy", "0161 496 0123 estyniad 48215")])
def test_an_extension_typed_in_the_text_is_the_contacts_number(
        leaflet: Path, lang: str, typed: str) -> None:
    path = leaflet / f"{lang}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nOr {typed}.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(leaflet)])
    assert result.exit_code == 1
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert f"{lang}.md:{line}: phone number " in result.output
    assert "it is a contact's number, written here as {{ contacts.unit.phone }}" in result.output


@pytest.mark.parametrize("typed", ["0161 496 0123 ext 48216", "0161 496 0123"])
def test_the_switchboard_typed_with_another_extension_or_none(leaflet: Path, typed: str) -> None:
    path = leaflet / "en-GB.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nOr {typed}.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(leaflet)])
    assert result.exit_code == 1
    assert (f"phone number {typed!r} typed in the text is the switchboard of "
            "contacts.unit.phone, without its extension (or with another): write "
            "{{ contacts.unit.phone }}") in " ".join(result.output.split())


HOSTILE = {
    "letters": ("0161 496 0123 ext. 48A15", "in digits"),
    "twenty digits": ("0161 496 0123 ext. 12345678901234567890", "has 20 digits"),
    "twice": ("0161 496 0123 ext. 48215 ext. 48215", "written once"),
    "on a mobile": ("07400 123456 ext. 12", "is a mobile number"),
    "bidi control": ("0161 496 0123 ext. 482\u202e15", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "zero-width space": ("0161 496 0123 ext.\u200b48215", "U+200B ZERO WIDTH SPACE"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_extension_is_refused_and_the_last_outputs_stay(
        leaflet: Path, tmp_path: Path, case: str) -> None:
    phone, said = HOSTILE[case]
    out = tmp_path / "out"
    args = ["build", str(leaflet), "--out", str(out), "--format", "docx", "--lang", "en-GB"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "." not in p.parts[-2]}
    source = leaflet / "leaflet.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '"0161 496 0123 ext. 48215"', json.dumps(phone)), encoding="utf-8")
    for command in (args, ["validate", str(leaflet)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert re.search(r"leaflet\.yaml:12: .*" + re.escape(said), result.output), result.output
    assert {p: p.read_bytes() for p in before} == before


def test_a_translated_docx_keeps_the_phone_fact(built: Path, tmp_path: Path) -> None:
    """The English DOCX, handed back as the Welsh translation: its facts stay placeholders."""
    folder = tmp_path / "switchboard"
    shutil.copytree(DATA / "switchboard", folder)
    (folder / "cy.md").unlink()
    docx = next((built / "en-GB").glob("*.docx"))
    result = CliRunner().invoke(cli, ["import-docx", str(docx), "--lang", "cy",
                                      "--leaflet", str(folder), "--force"])
    assert result.exit_code == 0, result.output
    text = (folder / "cy.md").read_text(encoding="utf-8")
    assert "{{ contacts.unit.phone }}" in text and "48215" not in text


# A link an author writes in the text: the DOCX hyperlink and the PDF annotation ------------


AUTHOR_LINK = "\nYou can also [call the unit](tel:+441614960123;ext=48215).\n"


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the English PDF and DOCX with a ``tel:`` link in the text; return the output."""
    root = tmp_path_factory.mktemp("switchboard-linked")
    folder = root / "switchboard"
    shutil.copytree(DATA / "switchboard", folder)
    with (folder / "en-GB.md").open("a", encoding="utf-8") as text:
        text.write(AUTHOR_LINK)
    build([folder], _options(root, langs=("en-GB",), formats=("pdf", "docx")))
    return root / "output" / "switchboard"


def test_an_authors_link_with_an_extension_dials_it_in_the_docx(linked: Path) -> None:
    assert f'Target="{LINK}"' in docx_xml(linked / "en-GB", r"word/_rels/document\.xml\.rels")
    assert not check([linked], TODAY).errors


@pytest.mark.parametrize("target", ["tel:+441614960123;ext=48216", "tel:+441614960123"])
def test_check_reads_the_extension_of_a_docx_hyperlink(
        linked: Path, tmp_path: Path, target: str) -> None:
    out = _copy(linked, tmp_path)
    _rewrite_zip(next((out / "en-GB").glob("*.docx")), r"word/_rels/document\.xml\.rels",
                 f'Target="{LINK}"', f'Target="{target}"')
    errors = _phone_errors(out)
    assert any(".docx" in e and f"link to {target}:" in e and "is not any contact's" in e
               for e in errors), errors


@pytest.mark.parametrize("target", ["tel:+441614960123;ext=48216", "tel:+441614960123"])
def test_check_reads_the_extension_of_a_pdf_link(
        linked: Path, tmp_path: Path, target: str) -> None:
    out = _copy(linked, tmp_path)
    path = pdf_of(out / "en-GB")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if "/A" in annot and str(annot.A.get("/URI", "")) == LINK:
                    annot.A.URI = pikepdf.String(target)
        pdf.save(path)
    errors = _phone_errors(out)
    assert any(".pdf" in e and f"link to {target}:" in e and "is not any contact's" in e
               for e in errors), errors


# Each form, in each language ------------------------------------------------------------------


def _unit(lang: str, phone: str = "0161 496 0123 ext. 48215") -> FactValue:
    contact = Contact(name="Unit", phone=phone)
    return next(v for v in contact_facts("unit", contact, lang) if v.name.endswith(".phone"))


@pytest.mark.parametrize(("lang", "printed"), [
    ("en-GB", "0161 496 0123 ext. 48215"), ("cy", "0161 496 0123 est. 48215"),
    ("ur", "0161 496 0123 ایکسٹینشن 48215"), ("ar", "0161 496 0123 تحويلة 48215"),
    ("de", "0161 496 0123 ext. 48215")])  # no German words: never dropped, English's
def test_each_language_prints_its_word_with_no_break_spaces(lang: str, printed: str) -> None:
    value = _unit(lang)
    assert value.printed == printed.replace(" ", NBSP)
    assert value.link == LINK
    assert has_extension(value)


@pytest.mark.parametrize("phone", ["0161 496 0123, extension 48215", "+44 161 496 0123 x48215",
                                   "+441614960123;ext=48215", "0161 496 0123 #48215"])
def test_every_way_of_writing_an_extension_gives_the_same_fact(phone: str) -> None:
    assert _unit("en-GB", phone) == _unit("en-GB")


def test_a_number_without_an_extension_is_unchanged() -> None:
    value = _unit("cy", "0808 157 0192")
    assert (value.printed, value.spoken, value.link) == (
        "0808 157 0192", "0 8 0 8, 1 5 7, 0 1 9 2", "tel:+448081570192")
    assert not has_extension(value)


@pytest.mark.parametrize("lang", LANGS)
def test_the_scan_reads_the_languages_word_printed_and_said(lang: str) -> None:
    printed = _unit(lang).printed
    for text, spoken in ((f"Call {printed}.", False), (f"{SAID[lang]}.", True)):
        found = phone_numbers(text, "GB", spoken, lang)
        assert [m.number.extension for m in found] == ["48215"], (text, found)


# The running footer of a busy clinic: the hours do not fit beside the extension -----------------


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the busy clinic, its main number given an extension, in giant print."""
    root = tmp_path_factory.mktemp("busy-switchboard")
    shutil.copytree(DATA / "busy-clinic", root / "busy-clinic")
    source = root / "busy-clinic" / "leaflet.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count('phone: "0161 496 0123"') == 1
    source.write_text(text.replace('phone: "0161 496 0123"',
                                   'phone: "0161 496 0123 ext. 48215"'), encoding="utf-8")
    build([root / "busy-clinic"], _options(root, langs=("en-GB", "cy"), formats=("pdf",),
                                           profile="giant"))
    return root / "output" / "busy-clinic"


@pytest.mark.parametrize("lang", list(PRINTED))
def test_a_busy_footer_falls_back_to_the_number_with_its_extension(busy: Path, lang: str) -> None:
    manifest = json.loads((busy / lang / "manifest.json").read_text(encoding="utf-8"))
    assert "number only" in json.dumps(manifest["artifacts"])
    pages = [p for p in pdftotext(pdf_of(busy / lang)).replace(NBSP, " ").split("\f")
             if p.strip()]
    assert len(pages) > 1
    assert all(PRINTED[lang] in page.strip().splitlines()[-1] for page in pages), pages
    assert not check([busy], TODAY).errors
