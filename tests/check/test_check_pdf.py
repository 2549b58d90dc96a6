"""``check`` proves the PDF's lists, link descriptions, ToUnicode maps and page geometry."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pypdfium2.raw
import pytest

from lmets_docs.build import build
from lmets_docs.check import aside, check, check_artifact, pdf_pictures
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.findings import Finding, Report
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.writers.pdf.template import print_profile
from tests.conftest import BEFORE_DUE, SEED

LANG_DIR = Path("leptomeningeal-metastases") / "en-GB"
PDF = "leptomeningeal-metastases-large-print.pdf"
RULES = ("pdf-list-structure", "pdf-link-description", "pdf-tounicode", "pdf-page-geometry")
LETTER = [0, 0, 612, 792]

Edit = Callable[[pikepdf.Pdf], None]


def _options(out: Path, cache: Path) -> BuildOptions:
    return BuildOptions(out=out, formats=("pdf",), jobs=1, today=BEFORE_DUE, templates=None,
                        cache_dir=cache, tts="espeak")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the seed's PDF once for this module; return its language folder."""
    root = tmp_path_factory.mktemp("built-pdf")
    build([SEED], _options(root / "output", root / "cache"))
    return root / "output" / LANG_DIR


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a private copy of the built language folder, for a test to tamper with."""
    target = tmp_path / "output" / LANG_DIR
    shutil.copytree(built, target)
    return target


def _errors(folder: Path, code: str) -> list[Finding]:
    report = check([folder], BEFORE_DUE, formats={"pdf"})
    return [f for f in report.errors if f.code == code]


def _tamper(folder: Path, edit: Edit) -> None:
    with pikepdf.open(folder / PDF, allow_overwriting_input=True) as pdf:
        edit(pdf)
        pdf.save(folder / PDF)


def _elements(node: Any) -> list[Any]:
    kids = node.get("/K")
    kids = [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]
    found: list[Any] = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *_elements(kid)]
    return found


def _first(pdf: pikepdf.Pdf, role: str) -> Any:
    return next(e for e in _elements(pdf.Root.StructTreeRoot) if str(e.S) == role)


def _drop_lbody(pdf: pikepdf.Pdf) -> None:
    item = _first(pdf, "/LI")
    item.K = pikepdf.Array([k for k in item.K if k.get("/S") != "/LBody"])


def _item_as_paragraph(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "/LI").S = pikepdf.Name("/P")


def _drop_link_contents(pdf: pikepdf.Pdf) -> None:
    page = next(p for p in pdf.pages if "/Annots" in p.obj)
    del page.obj.Annots[0].Contents


def _drop_to_unicode(pdf: pikepdf.Pdf) -> None:
    font = next(iter(pdf.pages[0].resources.Font.values()))
    del font.ToUnicode


def _letter_page(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].mediabox = pikepdf.Array(LETTER)


def _shift_page(pdf: pikepdf.Pdf) -> None:
    # Still A4, but moved so the text is 10 mm (28.3 pt) closer to the left edge.
    box = [float(v) for v in pdf.pages[2].mediabox]
    pdf.pages[2].mediabox = pikepdf.Array([box[0] + 28.35, box[1], box[2] + 28.35, box[3]])


def test_a_built_pdf_passes_every_rule(built: Path) -> None:
    report = check([built], BEFORE_DUE, formats={"pdf"})
    assert [f for f in report.errors if f.code in RULES] == [], report.text()
    assert report.errors == [], report.text()


def test_links_are_described_by_their_words_not_their_urls(built: Path) -> None:
    with pikepdf.open(built / PDF) as pdf:
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", [])
                 if a.Subtype == "/Link"]
        descriptions = {str(a.A.URI): str(a.Contents) for a in links}
    assert descriptions["tel:+448088004040"] == "0808 800 4040"
    assert all(not d.startswith(("tel:", "http")) for d in descriptions.values()), descriptions


@pytest.mark.parametrize(
    ("edit", "code", "place", "words"),
    [
        (_drop_lbody, "pdf-list-structure", "list item 1", "no /LBody"),
        (_item_as_paragraph, "pdf-list-structure", "list 1", "child 1 is /P, not a list item"),
        (_drop_link_contents, "pdf-link-description", "page 1", "has no description"),
        (_drop_to_unicode, "pdf-tounicode", "page 1", "has no /ToUnicode map"),
        (_letter_page, "pdf-page-geometry", "page 2", "612.0 by 792.0 pt, not A4 portrait"),
        (_shift_page, "pdf-page-geometry", "page 3", "closer than 20 mm to the edge: left"),
    ],
    ids=["lbody", "li-role", "link-contents", "tounicode", "letter", "margin"],
)
def test_a_tampered_pdf_breaks_the_rule(
    out: Path, edit: Edit, code: str, place: str, words: str
) -> None:
    _tamper(out, edit)
    found = _errors(out, code)
    assert any(f.place == place and words in f.message for f in found), found
    assert all(f.file.name == PDF for f in found)


def test_an_undescribed_link_annotation_leaves_its_link_element_undescribed(out: Path) -> None:
    _tamper(out, _drop_link_contents)
    places = [f.place for f in _errors(out, "pdf-link-description")]
    assert places == ["page 1", "link 1"]


def test_clear_print_is_raised_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    options = dataclasses.replace(_options(tmp_path / "output", tmp_path / "cache"),
                                  profile="clear")
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        profile, warning = print_profile(options)
    assert profile.name == "large"
    assert warning is not None and "'clear' profile (14 pt) is too small" in warning
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    build([SEED], options)
    entry = read_manifest(tmp_path / "output" / LANG_DIR).artifacts["pdf"]
    assert entry.details["profile"] == "large"
    assert entry.warnings == [f"leptomeningeal-metastases (en-GB) pdf: {warning}"]


def test_pdftotext_reads_the_pages_while_pikepdf_reads_the_rest(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    started: list[subprocess.Popen[bytes]] = []
    real_popen, real_open = subprocess.Popen, pikepdf.open

    def popen(*args: Any, **kwargs: Any) -> Any:
        events.append("pdftotext started")
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def opened(*args: Any, **kwargs: Any) -> Any:
        running = [p for p in started if p.poll() is None]
        events.append("pikepdf opened" + (" (pdftotext running)" if running else ""))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(pikepdf, "open", opened)
    manifest = read_manifest(built)
    text = check_pdf.read(built / PDF, manifest.artifacts["pdf"], manifest)
    assert events[:2] == ["pdftotext started", "pikepdf opened (pdftotext running)"]
    assert [p.place for p in text.passages[:3]] == ["page 1", "page 2", "page 3"]
    assert text.passages[0].text.startswith("Page 1 of 7\n\nTreatment for leptomeningeal")
    assert all(p.returncode == 0 for p in started)


def test_pdftotext_is_ended_when_pikepdf_fails_first(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> Any:
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise pikepdf.PdfError("injected: cannot open")

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(pikepdf, "open", broken)
    manifest = read_manifest(built)
    with pytest.raises(pikepdf.PdfError, match="injected"):
        check_pdf.read(built / PDF, manifest.artifacts["pdf"], manifest)
    assert started and all(p.returncode is not None for p in started)  # waited for, not left


def _findings_of(folder: Path, profile: str = "giant") -> list[Finding]:
    """Return what the build's check finds in the PDF, its manifest claiming ``profile``."""
    manifest = read_manifest(folder)
    entry = manifest.artifacts["pdf"]
    entry = entry.model_copy(update={"details": {**entry.details, "profile": profile}})
    return check_artifact(folder, "pdf", entry, manifest, Report(), thorough=False)


@pytest.mark.parametrize("forked", [True, False], ids=["aside", "here"])
def test_the_printed_characters_read_aside_give_the_same_findings(
        out: Path, monkeypatch: pytest.MonkeyPatch, forked: bool) -> None:
    _tamper(out, _shift_page)  # a margin finding, and (claimed giant) size findings; edited
    children: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(aside, "worth_forking", lambda: forked)
    monkeypatch.setattr(os, "fork", fork)
    found = _findings_of(out)
    codes = [f.code for f in found]
    assert codes.count("pdf-min-size") > 3 and codes.count("pdf-page-geometry") == 1
    assert codes[-1] == "pdf-page-geometry"  # sizes, then margins: last, as before
    assert codes[0] == "edited"  # what this process found comes first
    assert len(children) == (1 if forked else 0)
    monkeypatch.setattr(aside, "worth_forking", lambda: not forked)
    assert _findings_of(out) == found


@pytest.mark.parametrize("how", ["killed", "failed"])
def test_a_child_without_an_answer_leaves_the_work_to_this_process(
        out: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    expected = _findings_of(out)
    parent = os.getpid()
    real = check_pdf.page_chars

    def page_chars(path: Path) -> list[check_pdf.PageChars]:
        if os.getpid() != parent:  # in the child only
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            raise MemoryError
        return real(path)

    monkeypatch.setattr(aside, "worth_forking", lambda: True)
    monkeypatch.setattr(check_pdf, "page_chars", page_chars)
    assert _findings_of(out) == expected


def test_an_error_reading_aside_is_raised_here_in_its_own_words(
        out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = set(_children())  # the suite's own (espeak-ng servers …)
    monkeypatch.setattr(aside, "worth_forking", lambda: True)
    monkeypatch.setattr(pypdfium2.raw, "FPDFText_GetCharBox", lambda *args: False)
    [found] = _findings_of(out)
    assert (found.code, found.message) == (
        "unreadable", "cannot read the file (PdfiumError: pdfium cannot place character 0)")
    assert set(_children()) <= before


def test_the_child_is_ended_when_reading_the_text_fails_meanwhile(
        out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = set(_children())  # the suite's own (espeak-ng servers …)
    def broken(path: Path, manifest: object) -> None:
        raise ValueError("broken text")

    monkeypatch.setattr(aside, "worth_forking", lambda: True)
    monkeypatch.setattr(check_pdf, "page_chars", lambda path: time.sleep(60))  # the child's
    monkeypatch.setattr(check_pdf, "_read_rest", broken)  # this process's
    started = time.monotonic()
    [found] = _findings_of(out)
    assert found.message == "cannot read the file (ValueError: broken text)"
    assert time.monotonic() - started < 30  # the child was ended, not waited for
    assert set(_children()) <= before


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite's process may hold other tests' threads: its count is given here.
    monkeypatch.setattr("lmets_docs.build.early.idle_cores", lambda: 2.0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert aside.worth_forking()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not aside.worth_forking()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr("lmets_docs.build.early.idle_cores", lambda: 0.0)
    assert not aside.worth_forking()


def _children() -> list[str]:
    """Return this process's children still there (zombies included), from /proc."""
    found = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text(encoding="ascii")
    return found.split()


KILLED_MIDWAY = """
import os, sys, time
from pathlib import Path
from lmets_docs.check import aside
from lmets_docs.check import pdf as check_pdf
from tests.check.test_check_pdf import _findings_of
aside.worth_forking = lambda: True
def page_chars(path):
    Path(sys.argv[2]).write_text(str(os.getpid()))
    time.sleep(60)
check_pdf.page_chars = page_chars
_findings_of(Path(sys.argv[1]))
"""


def test_the_child_ends_with_a_process_killed_outright(out: Path, tmp_path: Path) -> None:
    said = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", KILLED_MIDWAY, str(out), str(said)],
                              cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 60
        while not said.exists() or not said.read_text():
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
    finally:
        parent.kill()
        parent.wait()
    child = int(said.read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and "Z" not in _state(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def _state(pid: int) -> str:
    """Return a process's state letter (R, S, Z …), or Z for one gone meanwhile."""
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_a_page_without_pictures_looks_up_no_character_in_them(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The seed's large print is all under giant print's size, which ``page_chars`` asks about;
    # its pages hold no picture, so none of its characters is looked for in one.
    looked: list[int] = []
    real = pdf_pictures.char_figure

    def char_figure(textpage: Any, index: int, figures: Any) -> str | None:
        looked.append(index)
        found: str | None = real(textpage, index, figures)
        return found

    monkeypatch.setattr(pdf_pictures, "char_figure", char_figure)
    pages = check_pdf.page_chars(next(built.glob("*.pdf")))
    assert sum(len(page.chars) for page in pages) > 1000
    assert all(page.pictures == {} for page in pages)
    assert looked == []
