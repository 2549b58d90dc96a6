"""The DOCX's contacts section (the user test's L5): its heading says "Contacts" for several,
"Helpline" for one, in each language's catalogue word; and a long web address, as
LibreOffice lays it out and as a person copies it.

A non-breaking hyphen (``w:noBreakHyphen``) would keep LibreOffice from breaking an address
at its hyphens, but it changes what a person copies: LibreOffice gives it as U+2011 (its text
export and PDF read back here), Word as character 30 (0x1E) in plain text, so a pasted
address is another one; and with no hyphen to break at, LibreOffice breaks a long address
inside its words ("our-se" / "rvices"). So the DOCX keeps the address's own hyphens: it may
break after one, never inside a word, and copies as it is written.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
from pathlib import Path

import pytest
from docx import Document

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check.findings import Severity
from lmets_docs.options import BuildOptions
from tests.conftest import DATA
from tests.importer.test_libreoffice import SOFFICE
from tests.writers.pdf.test_pdf_address_words import WARD, usertest

TODAY = dt.date(2026, 1, 1)


def _docx(source: Path, out: Path, langs: tuple[str, ...] = ()) -> list[Path]:
    build([source], BuildOptions(out=out, formats=("docx",), jobs=1, today=TODAY,
                                 langs=langs, templates=None, tts="espeak", check=False))
    return sorted(out.rglob("*.docx"))


def soffice(path: Path, target: str, tmp: Path) -> Path:
    """Convert one file with LibreOffice (``target``: "pdf", "txt:Text"); return the result."""
    assert SOFFICE is not None, "LibreOffice is not installed: run scripts/setup"
    out = tmp / target.split(":", maxsplit=1)[0]
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                    "--headless", "--convert-to", target, "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    converted = out / f"{path.stem}.{target.split(':', maxsplit=1)[0]}"
    assert converted.is_file(), list(out.iterdir())
    return converted


def _contacts_heading(path: Path) -> str:
    headings = [p.text for p in Document(str(path)).paragraphs
                if p.style is not None and p.style.name == "Heading 2"]
    return next(h for h in headings if h in ("Helpline", "Contacts", "Cysylltiadau",
                                             "Llinell gymorth", "رابطے", "ہیلپ لائن"))


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ward")
    return _docx(usertest(root), root / "out")[0]


def test_several_contacts_are_headed_contacts_one_helpline(ward: Path, tmp_path: Path) -> None:
    assert _contacts_heading(ward) == "Contacts"
    one = _docx(DATA / "minimal", tmp_path / "one")[0]
    assert _contacts_heading(one) == "Helpline"


def test_each_language_has_its_word_for_contacts(tmp_path: Path) -> None:
    docs = {p.parent.name: p for p in _docx(DATA / "clinic-contacts", tmp_path)}
    assert {lang: _contacts_heading(p) for lang, p in docs.items()} == {
        "en-GB": "Contacts", "cy": "Cysylltiadau", "ur": "رابطے"}


@pytest.fixture(scope="module")
def laid_out(ward: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return LibreOffice's PDF of the DOCX read by pdftotext -raw (which keeps a hyphen at
    a line end), and its plain-text export (what a person copies)."""
    tmp = tmp_path_factory.mktemp("lo")
    pdf, txt = soffice(ward, "pdf", tmp), soffice(ward, "txt:Text", tmp)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return {"pdf": raw, "txt": txt.read_text(encoding="utf-8-sig")}


def test_libreoffice_breaks_the_address_only_at_its_own_breaks(laid_out: dict[str, str]) -> None:
    lines = [line.strip() for line in laid_out["pdf"].splitlines()]
    start = next(i for i, line in enumerate(lines)
                 if len(line.split(" ")[-1]) > 8 and WARD.startswith(line.split(" ")[-1]))
    run = [lines[start].split(" ")[-1]]
    while "".join(run) != WARD and WARD.startswith("".join(run)):
        run.append(lines[start + len(run)].split(" ")[0].rstrip(","))
    assert "".join(run) == WARD, run
    assert all(a.endswith(("/", "-")) or b.startswith(".") for a, b in itertools.pairwise(run)), run


def test_the_address_copies_as_it_is_written(laid_out: dict[str, str], ward: Path) -> None:
    assert WARD in laid_out["txt"]
    assert "\u2011" not in laid_out["txt"] and "\x1e" not in laid_out["txt"]
    report = check([ward.parent], TODAY, formats={"docx"})
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


def test_a_non_breaking_hyphen_would_change_what_is_copied(tmp_path: Path) -> None:
    """Why the DOCX keeps plain hyphens: LibreOffice gives ``w:noBreakHyphen`` as U+2011."""
    document = Document()
    run = document.add_paragraph().add_run("ward")
    run._r.append(run._r.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}noBreakHyphen", {}))
    document.add_paragraph().add_run("12")
    document.save(str(tmp_path / "nbh.docx"))
    txt = soffice(tmp_path / "nbh.docx", "txt:Text", tmp_path)
    assert "ward\u2011" in txt.read_text(encoding="utf-8-sig")
