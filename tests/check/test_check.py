"""``check`` reads the built files back and catches the ways people break them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import docx as check_docx
from lmets_docs.check.findings import Report
from lmets_docs.cli import cli
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA, SEED

LANG_DIR = Path("leptomeningeal-metastases") / "en-GB"
DOCX = "leptomeningeal-metastases-leaflet.docx"
PDF = "leptomeningeal-metastases-large-print.pdf"


def _build(source: Path, out: Path, cache: Path) -> Path:
    options = BuildOptions(
        out=out,
        formats=("pdf", "docx"),
        jobs=2,
        today=BEFORE_DUE,
        templates=None,
        cache_dir=cache,
        tts="espeak",
    )
    build([source], options)
    return out / LANG_DIR


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the seed's PDF and DOCX once for this module."""
    root = tmp_path_factory.mktemp("built")
    return _build(SEED, root / "output", root / "cache")


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder, for a test to tamper with."""
    target = tmp_path / "output" / LANG_DIR
    shutil.copytree(built, target)
    return target


def _codes(report: Report) -> list[str]:
    return [f.code for f in report.errors]


def _rewrite_docx(path: Path, part: str, edit: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            new = edit(data.decode("utf-8")).encode("utf-8") if info.filename == part else data
            archive.writestr(info, new)


def test_untampered_build_passes(out: Path) -> None:
    report = check([out], BEFORE_DUE)
    assert report.errors == [], report.text()
    assert {p.name for p in report.files} == {"manifest.json", PDF, DOCX}


def test_phone_number_edited_inside_the_docx(out: Path) -> None:
    def edit(xml: str) -> str:
        return xml.replace("0808 800 4040", "0808 800 4041", 1)

    _rewrite_docx(out / DOCX, "word/document.xml", edit)
    report = check([out], BEFORE_DUE)
    phone = [f for f in report.errors if f.code == "fact-phone"]
    assert phone and all(f.file == out / DOCX for f in phone)
    assert re.fullmatch(r"paragraph \d+", phone[0].place)
    assert "'0808 800 4041' is not the helpline's '0808 800 4040'" in phone[0].message
    assert "edited" in _codes(report)


def test_allow_edited_says_the_edit_is_accepted_not_to_pass_the_flag_given(out: Path) -> None:
    """The braille user test's finding 8: with --allow-edited, the warning still said "pass
    --allow-edited to accept edits"."""
    with (out / PDF).open("ab") as pdf:
        pdf.write(b"\n% an edit\n")
    args = ["check", str(out.parent.parent), "--today", BEFORE_DUE.isoformat()]
    strict = CliRunner(mix_stderr=False).invoke(cli, args)
    allowed = CliRunner(mix_stderr=False).invoke(cli, [*args, "--allow-edited"])
    assert strict.exit_code == 1 and allowed.exit_code == 0, allowed.output
    edited = [line for line in allowed.output.splitlines() if "[edited]" in line]
    assert len(edited) == 1 and edited[0].lstrip().startswith("warning:"), allowed.output
    assert "changed since the build" in edited[0]
    assert "accepted as an edit (--allow-edited)" in edited[0]
    assert "pass --allow-edited" not in allowed.output
    assert "rebuild it, or pass --allow-edited to accept edits" in strict.output


def test_pdf_swapped_for_one_with_another_number(out: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SEED, other)
    yaml = other / "leaflet.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("0808 800 4040", "0800 500 3000"), encoding="utf-8"
    )
    other_out = _build(other, tmp_path / "other-out", tmp_path / "cache")
    shutil.copyfile(other_out / PDF, out / PDF)
    report = check([out], BEFORE_DUE)
    on_pdf = {f.code for f in report.errors if f.file == out / PDF}
    assert {"source-hash", "fact-phone", "fact-missing"} <= on_pdf
    message = next(f for f in report.errors if f.code == "fact-phone").message
    assert "'0800 500 3000'" in message and "'0808 800 4040'" in message
    assert next(f for f in report.errors if f.code == "fact-phone").place.startswith("page ")


def test_review_date_changed_in_the_docx(out: Path) -> None:
    def edit(xml: str) -> str:
        return xml.replace("22 November 2019", "22 November 2020")

    _rewrite_docx(out / DOCX, "word/document.xml", edit)
    report = check([out], BEFORE_DUE)
    dates = [f for f in report.errors if f.code == "fact-date"]
    assert dates and "'22 November 2020' is not one of the review dates" in dates[0].message


def test_heading_replaced_by_bold_normal_text(out: Path) -> None:
    def edit(xml: str) -> str:
        # what an editor does by hand: the heading becomes Normal text made bold
        heading = re.compile(
            r'<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>(<w:bookmarkStart [^>]*/>)'
            r"<w:r><w:t>Radiotherapy</w:t>"
        )
        edited, count = heading.subn(r"\1<w:r><w:rPr><w:b/></w:rPr><w:t>Radiotherapy</w:t>", xml)
        assert count == 1
        return edited

    _rewrite_docx(out / DOCX, "word/document.xml", edit)
    report = check([out], BEFORE_DUE)
    style = [f for f in report.errors if f.code == "docx-heading-style"]
    assert style and "'Radiotherapy'" in style[0].message and style[0].file == out / DOCX


def test_overdue_leaflet_is_an_error_and_due_soon_a_warning(out: Path) -> None:
    assert "review-overdue" in _codes(check([out], dt.date(2022, 11, 23)))
    soon = check([out], dt.date(2022, 10, 1))
    assert "review-due-soon" in [f.code for f in soon.warnings] and not soon.errors


def test_seed_is_reported_overdue_today(out: Path) -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["check", str(out.parent.parent)])
    assert result.exit_code == 1
    assert "OUT OF DATE: the next review was due on 22 November 2022" in result.output
    assert re.search(r"check: 1 error, \d+ warnings? in 3 files", result.output)


def test_missing_artifact_and_corrupt_file(out: Path) -> None:
    (out / PDF).write_bytes(b"%PDF-1.7 not really")
    (out / DOCX).unlink()
    report = check([out], BEFORE_DUE)
    assert {"unreadable", "missing"} <= set(_codes(report))


def test_a_checker_bug_surfaces_as_a_bug_not_as_an_unreadable_file(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmets_docs.check import docx as check_docx  # noqa: PLC0415

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise KeyError("a bug in the checker")

    monkeypatch.setattr(check_docx, "accessibility", broken)
    with pytest.raises(KeyError, match="a bug in the checker"):
        check([out], BEFORE_DUE)


def test_json_output_and_exit_status(out: Path) -> None:
    runner = CliRunner(mix_stderr=False)
    ok = runner.invoke(cli, ["check", str(out), "--json", "--today", BEFORE_DUE.isoformat()])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["errors"] == 0
    nothing = runner.invoke(cli, ["check", str(out.parent.parent.parent / "nowhere")])
    assert nothing.exit_code == 1 and "no built leaflet here" in nothing.stderr


def test_giant_profile_minimum_size(options: BuildOptions) -> None:
    build([SEED], dataclasses.replace(options, formats=("pdf",), profile="large"))
    folder = options.out / LANG_DIR
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["artifacts"]["pdf"]["details"]["profile"] = "giant"  # claim giant; it is 18 pt
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "pdf-min-size" in _codes(check([folder], BEFORE_DUE))


def test_mp3_from_an_older_build(tmp_path: Path, options: BuildOptions) -> None:
    source = tmp_path / "short"
    shutil.copytree(DATA / "short-leaflet", source)
    options = dataclasses.replace(options, formats=("audio",))
    build([source], options)
    folder = next((options.out).glob("*/en-GB"))
    narration = next((folder / "audio").glob("*-narration.mp3"))
    assert check([folder], BEFORE_DUE).errors == []
    old = narration.read_bytes()
    yaml = source / "leaflet.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("0808 800 4040", "0800 500 3000"), encoding="utf-8"
    )
    build([source], options)
    narration.write_bytes(old)  # someone copies last year's recording back
    errors = check([folder], BEFORE_DUE).errors
    on_mp3 = {f.code for f in errors if f.file == narration}
    assert {"source-hash", "fact-phone"} <= on_mp3
    phone = next(f for f in errors if f.code == "fact-phone")
    assert "'0808 800 4040'" in phone.message and "'0800 500 3000'" in phone.message
    assert phone.place.startswith("chapter ")


def test_locked_fact_box_edited_to_another_date_format(out: Path) -> None:
    def edit(xml: str) -> str:
        # only the "Next review due" box at the end, typed the way a clinic might
        head, tail = xml.rsplit('<w:tag w:val="fact:review.next_review_due"/>', 1)
        return (
            head
            + '<w:tag w:val="fact:review.next_review_due"/>'
            + tail.replace("22 November 2022", "22/11/2025", 1)
        )

    _rewrite_docx(out / DOCX, "word/document.xml", edit)
    errors = check([out], BEFORE_DUE).errors
    box = next(f for f in errors if f.code == "fact-box")
    assert "review.next_review_due reads '22/11/2025'" in box.message
    assert "'22 November 2022'" in box.message
    assert any(f.code == "fact-date" and "'22/11/2025'" in f.message for f in errors)


def test_transcript_file_is_read_too(options: BuildOptions) -> None:
    build([DATA / "short-leaflet"], dataclasses.replace(options, formats=("audio",)))
    folder = next((options.out).glob("*/en-GB"))
    transcript = folder / "audio" / "transcript.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("800 4040", "800 4041"), encoding="utf-8")
    errors = check([folder], BEFORE_DUE).errors
    phone = [f for f in errors if f.code == "fact-phone"]
    assert phone and "transcript.txt line" in phone[0].place


def test_manifest_without_artifacts_is_an_error(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["artifacts"] = {}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "no-artifacts" in _codes(check([out], BEFORE_DUE))


def test_a_docx_is_parsed_once_per_check_and_again_once_its_bytes_change(
        out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[Path] = []
    real = check_docx.Docx.__init__

    def counted(self: check_docx.Docx, path: Path) -> None:
        parses.append(path)
        real(self, path)

    monkeypatch.setattr(check_docx.Docx, "__init__", counted)
    assert check([out], BEFORE_DUE).errors == []
    assert parses == [out / DOCX]  # its text and its rules read from one parse

    def edit(xml: str) -> str:  # the same path, other bytes: a section's heading made Normal
        tag = '<w:pStyle w:val="Heading2"/>'
        second = xml.index(tag, xml.index(tag) + 1)  # the first is the Helpline's, the box's
        return xml[:second] + xml[second + len(tag):]

    _rewrite_docx(out / DOCX, "word/document.xml", edit)
    report = check([out], BEFORE_DUE)
    assert parses == [out / DOCX] * 2
    assert "docx-heading-style" in _codes(report)
