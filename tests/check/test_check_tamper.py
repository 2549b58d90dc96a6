"""``check`` is not fooled: real built files, tampered with python-docx and pikepdf.

Each test changes one thing a reader would see or hear (a comment, a footnote, a link's
target, a date spelled another way, a footer redrawn as shapes …) and asserts that check
reports it *at that place*, so that removing the reader or finder that sees it fails the test.
The control tests prove the tools' own round trip leaves nothing for check to report.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mutagen.id3 import COMM, WXXX

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf as pdf_checker
from lmets_docs.check.findings import Finding, Report
from lmets_docs.cli import cli
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests import tamper, zips
from tests.conftest import BEFORE_DUE, DATA, SEED

LANG_DIR = Path("leptomeningeal-metastases") / "en-GB"
DOCX = "leptomeningeal-metastases-leaflet.docx"
PDF = "leptomeningeal-metastases-large-print.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the seed's PDF and DOCX once for this module."""
    root = tmp_path_factory.mktemp("built")
    options = BuildOptions(out=root / "output", formats=("pdf", "docx"), jobs=2,
                           today=BEFORE_DUE, templates=None, cache_dir=root / "cache",
                           tts="espeak")
    build([SEED], options)
    return root / "output" / LANG_DIR


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder to tamper with."""
    target = tmp_path / "output" / LANG_DIR
    shutil.copytree(built, target)
    return target


def _check(out: Path) -> Report:
    """Check with edits allowed, so that only what the tampering says is an error."""
    return check([out], BEFORE_DUE, allow_edited=True)


def _errors(report: Report, code: str, place: str = "") -> list[Finding]:
    return [f for f in report.errors if f.code == code and place in f.place]


def _docx(out: Path, edit: Callable[[Any], None]) -> Report:
    tamper.edit_docx(out / DOCX, edit)
    return _check(out)


def test_round_trips_alone_leave_nothing_to_report(out: Path) -> None:
    tamper.edit_docx(out / DOCX, lambda _document: None)
    tamper.edit_pdf(out / PDF, lambda _pdf: None)
    report = _check(out)
    assert report.errors == [], report.text()
    assert {f.code for f in report.warnings} == {"edited"}


@pytest.mark.parametrize(
    ("edit", "place"),
    [
        (tamper.comment, "comment 0"),
        (tamper.footnote, "footnote 1"),
        (tamper.endnote, "endnote 1"),
        (tamper.picture_alt_text, "image 1 alternative text"),
        (tamper.alt_chunk, "imported part word/afchunk1.htm"),
        (tamper.field_code, "field code"),
        (tamper.tracked_deletion(tamper.WRONG), "tracked deletion"),
        (tamper.tel_hyperlink, "link to tel:+442079461234"),
        (tamper.text_box, "paragraph"),
        (tamper.header, "header 1"),
        (tamper.docx_subject, "properties subject"),
        (tamper.bound_control, "bound content control"),
        (tamper.chart, "chart 1 (word/charts/chart1.xml)"),
        (tamper.table_description, "image"),
    ],
    ids=["comment", "footnote", "endnote", "alt-text", "altchunk", "field-code",
         "tracked-deletion", "tel-link", "text-box", "header", "subject", "data-binding",
         "chart", "table-alt-text"],
)
def test_wrong_number_hidden_in_the_docx(out: Path, edit: Callable[[Any], None],
                                         place: str) -> None:
    report = _docx(out, edit)
    found = _errors(report, "fact-phone", place)
    assert found, report.text()
    assert all(f.file == out / DOCX for f in found)
    assert "'0808 800 4040'" in found[0].message


def test_docx_picture_told_as_a_number_cannot_be_proved(out: Path) -> None:
    report = _docx(out, tamper.picture_alt_text)
    found = _errors(report, "docx-unseen-text", "image 1 alternative text")
    assert found and "0207 946 1234" in found[0].message, report.text()


def test_text_box_number_is_read_from_inside_the_box(out: Path) -> None:
    report = _docx(out, tamper.text_box)
    assert any("Urgent" not in f.message and "0207 946 1234" in f.message
               for f in _errors(report, "fact-phone", "paragraph")), report.text()


def test_tracked_deletion_of_the_helpline_is_an_error(out: Path) -> None:
    report = _docx(out, tamper.tracked_deletion("0808 800 4040"))
    deletion = _errors(report, "docx-tracked-deletion", "tracked deletion")
    assert deletion and "'0808 800 4040'" in deletion[0].message, report.text()
    assert not _errors(report, "fact-phone")


def test_field_code_dialling_a_wrong_number_is_reported_twice_over(out: Path) -> None:
    report = _docx(out, tamper.field_code)
    assert _errors(report, "fact-phone", "field code")
    assert "+442079461234" in _errors(report, "fact-phone", "field code")[0].message


def test_tel_link_to_no_valid_number(out: Path) -> None:
    report = _docx(out, tamper.tel_hyperlink_to("tel:0808"))
    link = _errors(report, "link-target", "paragraph")
    assert link and "'tel:0808'" in link[0].message, report.text()


def test_mailto_link_to_an_address_that_is_no_fact(out: Path) -> None:
    report = _docx(out, tamper.mailto_hyperlink)
    link = _errors(report, "fact-email", "link to mailto:help@example.org")
    assert link and "'help@example.org'" in link[0].message, report.text()


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("oh two oh seven nine four six, one two three four", "02079461234"),
        ("zero eight zero eight eight zero zero four zero four one", "08088004041"),
        ("oh eight oh eight, eight hundred, forty forty-one", "08088004041"),
        ("oh two oh seven nine four six double one two three", "02079461123"),
    ],
    ids=["oh", "zero", "grouped", "double"],
)
def test_wrong_number_spelled_out_in_words(out: Path, words: str, digits: str) -> None:
    report = _docx(out, tamper.text_paragraph(f"Or ring {words}."))
    found = _errors(report, "fact-phone", "paragraph")
    assert found and digits.lstrip("0")[:6] in found[0].message.replace(" ", ""), report.text()


@pytest.mark.parametrize("written", ["O2O7 946 1234", "0207\u202f946\u202f1234"],
                         ids=["letter-o", "narrow-space"])
def test_wrong_number_as_a_reader_sees_it(out: Path, written: str) -> None:
    report = _docx(out, tamper.text_paragraph(f"Or ring {written}."))
    assert _errors(report, "fact-phone", "paragraph"), report.text()


def test_helpline_spelled_out_in_words_is_allowed(out: Path) -> None:
    report = _docx(out, tamper.text_paragraph(
        "Or ring zero eight zero eight, eight zero zero, four zero four zero."))
    assert report.errors == [], report.text()


@pytest.mark.parametrize(
    "written",
    ["Nov 22, 2025", "November 22, 2025", "22 Nov 2025", "22nd of November 2025",
     "Saturday, 22 November 2025", "the 22nd of November, 2025", "22/11/2025",
     "the twenty-second of November, twenty twenty-five"],
)
def test_wrong_date_in_any_spelling(out: Path, written: str) -> None:
    report = _docx(out, tamper.text_paragraph(f"Next review: {written}."))
    found = _errors(report, "fact-date", "paragraph")
    assert found, report.text()
    assert "is not one of the review dates" in found[0].message
    assert "2025" in found[0].message or "twenty-five" in found[0].message


def test_review_date_in_another_spelling_is_allowed(out: Path) -> None:
    report = _docx(out, tamper.text_paragraph("Next review: Nov 22nd, 2022."))
    assert report.errors == [], report.text()


def test_pdf_tel_link_to_a_wrong_number(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.pdf_tel_uri)
    report = _check(out)
    found = _errors(report, "fact-phone", "link to tel:+442079461234")
    assert found and found[0].file == out / PDF, report.text()
    assert found[0].place.startswith("page 1")


def test_pdf_mailto_link_to_an_address_that_is_no_fact(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.pdf_mailto_uri)
    report = _check(out)
    link = _errors(report, "fact-email", "link to mailto:help@example.org")
    assert link and link[0].place.startswith("page "), report.text()


def _page_text(path: Path, page: int) -> str:
    result = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                            capture_output=True, check=True, text=True)
    return result.stdout


@pytest.mark.parametrize("where", ["marked-content", "structure"])
def test_pdf_footer_drawn_as_shapes_with_the_number_in_alt_text(out: Path, where: str) -> None:
    tamper.edit_pdf(out / PDF, tamper.footer_as_paths(where))
    assert "0808 800 4040" not in _page_text(out / PDF, 2)  # the tampering took
    report = _check(out)
    unseen = _errors(report, "pdf-unseen-text")
    assert unseen and "0808 800 4040" in unseen[0].message, report.text()
    assert unseen[0].place.startswith("page 2" if where == "marked-content" else "structure")


def test_pdf_invisible_text_is_reported(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.invisible_text)
    report = _check(out)
    found = _errors(report, "pdf-invisible-text", "page 1")
    assert found, report.text()


def test_pdf_invisible_text_inside_a_form_is_reported(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.invisible_text_in_a_form)
    assert "Treatment for" in _page_text(out / PDF, 1)  # still there for a screen reader
    report = _check(out)
    found = _errors(report, "pdf-invisible-text", "page 1")
    assert found, report.text()


def test_pdf_text_in_a_hidden_layer_is_reported(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.hidden_layer)
    report = _check(out)
    found = _errors(report, "pdf-invisible-text", "page 1")
    assert found and "layer" in found[0].message, report.text()


def test_pdf_attachment_check_cannot_read(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.attachment)
    report = _check(out)
    assert _errors(report, "pdf-attachment", "document"), report.text()


def test_pdf_form_field_with_a_wrong_number(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.form_field)
    report = _check(out)
    found = _errors(report, "fact-phone", "page 1, Widget")
    assert found and found[0].place.endswith("value"), report.text()


def test_edited_after_the_build_exits_1_unless_allowed(out: Path) -> None:
    tamper.edit_docx(out / DOCX, lambda _document: None)  # same words, other bytes
    runner = CliRunner(mix_stderr=False)
    args = ["check", str(out), "--today", BEFORE_DUE.isoformat()]
    strict = runner.invoke(cli, args)
    assert strict.exit_code == 1, strict.output
    assert "changed since the build" in strict.output and "[edited]" in strict.output
    allowed = runner.invoke(cli, [*args, "--allow-edited"])
    assert allowed.exit_code == 0, allowed.output
    assert "warning: changed since the build" in allowed.output


# Hostile files: what check cannot read is a finding, never a traceback or a hang.


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


def test_docx_zip_bomb_is_refused_unread(out: Path) -> None:
    zips.bomb(out / DOCX, mebibytes=256)
    report = _check(out)
    unreadable = _errors(report, "unreadable")
    assert unreadable and unreadable[0].file == out / DOCX, report.text()
    assert "zip bomb" in unreadable[0].message


def test_docx_with_a_malformed_comments_part(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.comment)
    tamper.replace_part(out / DOCX, "word/comments.xml", b"<w:comments><w:comment>")
    report = _check(out)
    found = _errors(report, "unreadable")
    assert found and "comments.xml" in found[0].message, report.text()


def test_docx_comments_part_with_a_doctype_is_refused(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.comment)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>')
    tamper.replace_part(out / DOCX, "word/comments.xml", laughs)
    report = _check(out)
    found = _errors(report, "unreadable")
    assert found and "document type declaration" in found[0].message, report.text()


def test_docx_imported_part_check_cannot_read(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.alt_chunk_of("application/rtf", b"{\\rtf1 0207 946 1234}"))
    report = _check(out)
    found = _errors(report, "docx-imported-part")
    assert found and "application/rtf" in found[0].message, report.text()


def test_docx_imported_html_part_that_is_empty(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.alt_chunk_of("text/html", b"   "))
    report = _check(out)
    assert _errors(report, "docx-imported-part", "afchunk1.htm"), report.text()
    assert not _errors(report, "unreadable")


def test_pdf_structure_tree_that_loops_is_read_once(out: Path) -> None:
    tamper.edit_pdf(out / PDF, tamper.looping_structure)
    manifest = read_manifest(out)
    text = pdf_checker.read(out / PDF, manifest.artifacts["pdf"], manifest)
    told = [p for p in text.passages if p.text == "The whole leaflet"]
    assert len(told) == 1 and told[0].place == "structure Document Alt"
    assert _check(out).errors  # a finding (the file cannot be read as a whole), no traceback


def test_docx_part_named_in_other_letter_case_is_found(out: Path) -> None:
    tamper.edit_docx(out / DOCX, tamper.footnote)
    tamper.edit_part(out / DOCX, "word/_rels/document.xml.rels",
                     lambda xml: xml.replace(b'Target="footnotes.xml"', b'Target="FootNotes.xml"'))
    assert b"FootNotes.xml" in zipfile.ZipFile(out / DOCX).read("word/_rels/document.xml.rels")
    report = _check(out)
    assert _errors(report, "fact-phone", "footnote 1"), report.text()


def test_docx_embedded_object_check_cannot_read(out: Path) -> None:
    report = _docx(out, tamper.embedded_object)
    found = _errors(report, "docx-embedded-object", "oleObject1.bin")
    assert found and "cannot read" in found[0].message, report.text()


def test_docx_binding_to_custom_xml_that_is_not_there(out: Path) -> None:
    def unbind(document: Any) -> None:
        tamper.bound_control(document)
        binding = document.element.body.find(".//{*}dataBinding")
        binding.set(f"{{{tamper.W_NS}}}storeItemID", "{00000000-0000-0000-0000-000000000000}")

    report = _docx(out, unbind)
    found = _errors(report, "docx-data-binding", "bound content control")
    assert found and "cannot find or read" in found[0].message, report.text()


def test_audio_tags_a_player_shows_are_read(options: BuildOptions) -> None:
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    folder = next(options.out.glob("*/en-GB"))
    track = sorted((folder / "audio").glob("01-*.mp3"))[0]
    narration = next((folder / "audio").glob("*-narration.mp3"))
    comment = COMM(encoding=3, lang="eng", desc="", text=f"Call {tamper.WRONG}")  # type: ignore[no-untyped-call]
    link = WXXX(encoding=3, desc="helpline", url=f"tel:{tamper.WRONG_E164}")  # type: ignore[no-untyped-call]
    tamper.edit_id3(track, comment)
    tamper.edit_id3(narration, link)
    report = check([folder], BEFORE_DUE, allow_edited=True)
    places = {f.place for f in _errors(report, "fact-phone")}
    assert any(p.startswith(f"{track.name} tag COMM") for p in places), report.text()
    assert any("tag WXXX:helpline, link to tel:" in p for p in places), report.text()


def _retyped_footer(fact: str, text: bytes) -> Callable[[bytes], bytes]:
    """Return an edit of footer1.xml that puts plain ``text`` where the fact's locked box was
    (no box left for ``fact-box`` to compare)."""
    def edit(xml: bytes) -> bytes:
        box = re.compile(rb"<w:sdt><w:sdtPr>(?:(?!</w:sdt>).)*fact:" + fact.encode()
                         + rb"\"(?:(?!</w:sdt>).)*</w:sdt>", re.S)
        assert len(box.findall(xml)) == 1
        return box.sub(b"<w:r><w:t>" + text + b"</w:t></w:r>", xml)
    return edit


@pytest.mark.parametrize(("fact", "text", "codes"), [
    ("contacts.helpline.hours", b"9 am to 6 pm, Monday to Friday",
     {"docx-footer-helpline", "fact-hours"}),
    ("contacts.helpline.phone", b"0808 800 4041", {"docx-footer-helpline", "fact-phone"}),
], ids=["hours", "number"])
def test_docx_footer_retyped_wrong_is_an_error(out: Path, fact: str, text: bytes,
                                               codes: set[str]) -> None:
    tamper.edit_part(out / DOCX, "word/footer1.xml", _retyped_footer(fact, text))
    report = _check(out)
    assert {f.code for f in report.errors} == codes, report.text()
    said = _errors(report, "docx-footer-helpline", "footer")
    assert len(said) == 1
    expected = ("'9 am to 5 pm, Monday to Friday' is not in the footer" if "hours" in fact
                else "the helpline '0808 800 4040' is not in the footer")
    assert expected in said[0].message


def test_manifest_phone_link_no_number_is_a_finding_not_a_crash(out: Path) -> None:
    """A ``tel:`` link in ``manifest.json`` that is no phone number: ``check`` (the command,
    run as a user runs it) says which fact and exits 1, with no traceback."""
    path = out / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    phone = next(name for name in data["facts"] if name.endswith(".phone"))
    data["facts"][phone]["link"] = "tel:not-a-number"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lmets_docs", "check", "-q", "--today",
                             BEFORE_DUE.isoformat(), str(out)],
                            capture_output=True, text=True, timeout=120, check=False)
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "Traceback" not in said, said
    assert (f"{path}: unreadable manifest: facts.{phone}.link: Value error, the link "
            "'tel:not-a-number' is no phone number") in said, said
