"""``check`` reads each page's running footer and proves it prints the form the manifest names.

Real builds (WeasyPrint) of the busy clinic (``tests/data/busy-clinic``: "hours wrapped" in
large print, "number only" in giant print) pass; house templates (``--templates``) whose
footer prints other hours, no number, or another contact's number besides the helpline's
fail with ``pdf-footer`` on every page, read back from the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import check, pdf_footer
from lmets_docs.check import pdf as check_pdf
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.manifest import Manifest, read_manifest
from lmets_docs.options import BuildOptions, Profile
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
BUSY = DATA / "busy-clinic"
TEMPLATE = Path(__file__).parents[2] / "src/lmets_docs/templates/pdf/leaflet.html"
FOOTER = '<p class="running-footer">{{ helpline_footer }}</p>'


def _build(out: Path, profile: Profile, footer: str | None = None) -> Path:
    """Build the busy clinic's PDFs, with a house template whose footer is ``footer``."""
    templates = None
    if footer is not None:
        templates = out.parent / f"{out.name}-templates"
        (templates / "pdf").mkdir(parents=True)
        html = TEMPLATE.read_text(encoding="utf-8")
        assert FOOTER in html
        (templates / "pdf" / "leaflet.html").write_text(
            html.replace(FOOTER, f'<p class="running-footer">{footer}</p>'), encoding="utf-8")
    build([BUSY], BuildOptions(out=out, formats=("pdf",), profile=profile, jobs=1, today=TODAY,
                               templates=templates, tts="espeak", check=False))
    return out / "busy-clinic" / "en-GB"


def _errors(folder: Path) -> list[Finding]:
    return [f for f in check([folder], TODAY).findings if f.severity is Severity.ERROR]


def _pages(folder: Path) -> int:
    return int(read_manifest(folder).artifacts[_key(folder)].details["pages"])


def _key(folder: Path) -> str:
    return next(iter(read_manifest(folder).artifacts))


@pytest.mark.parametrize(("profile", "form"), [("large", "hours wrapped"),
                                               ("giant", "number only")])
def test_the_builtin_footer_passes_in_each_form(tmp_path: Path, profile: Profile,
                                               form: str) -> None:
    folder = _build(tmp_path / "out", profile)
    assert read_manifest(folder).artifacts[_key(folder)].details["footer"] == form
    assert _errors(folder) == []
    pdf = next(folder.glob("*.pdf"))
    footers = [" ".join(p.footer.split()) for p in check_pdf.page_chars(pdf)]
    expected = "Helpline: 0161 496 0123"
    if form == "hours wrapped":
        expected += (", 8 am to 8 pm, Monday to Friday; 10 am to 4 pm, Saturday and Sunday, "
                     "except bank holidays")
    assert footers == [expected] * _pages(folder)


def test_a_footer_with_other_hours_fails_on_every_page(tmp_path: Path) -> None:
    folder = _build(tmp_path / "out", "large", '{{ helpline_footer | replace("8 pm", "9 pm") }}')
    errors = [f for f in _errors(folder) if f.code == "pdf-footer"]
    assert [f.place for f in errors] == [f"page {n}" for n in range(1, _pages(folder) + 1)]
    assert all("8 am to 9 pm" in f.message and "without contacts.advice.hours" in f.message
               and "'hours wrapped'" in f.message for f in errors)
    # Nothing else in the leaflet is wrong; the footer's hours are also stray hours.
    assert {f.code for f in _errors(folder)} == {"pdf-footer", "fact-hours"}
    assert all("8 am to 9 pm" in f.message for f in _errors(folder))


def test_a_footer_without_the_number_fails_on_every_page(tmp_path: Path) -> None:
    folder = _build(tmp_path / "out", "giant", "Helpline: see page 2")
    errors = [f for f in _errors(folder) if f.code == "pdf-footer"]
    assert len(errors) == _pages(folder)
    assert all("without contacts.advice.phone '0161 496 0123'" in f.message for f in errors)


def test_another_contacts_number_in_the_footer_fails(tmp_path: Path) -> None:
    """The triage line's number is a contact's (no ``fact-phone``), but not the helpline's."""
    folder = _build(tmp_path / "out", "giant", "{{ helpline_footer }} or 0808 157 0192")
    errors = _errors(folder)
    assert {f.code for f in errors} == {"pdf-footer"}
    assert len(errors) == _pages(folder)
    assert all("other numbers (0808, 157, 0192)" in f.message for f in errors)


def test_a_footer_missing_from_a_page_fails(tmp_path: Path) -> None:
    folder = _build(tmp_path / "out", "large", "")
    errors = _errors(folder)
    assert {f.code for f in errors} == {"pdf-footer"}
    assert all(f.message.startswith("no running footer") for f in errors)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """Return the manifest of the busy clinic built in large print."""
    return read_manifest(_build(tmp_path_factory.mktemp("footer") / "out", "large"))


def _said(manifest: Manifest, footers: list[str | None], form: str | None) -> list[str]:
    return [f.message for f in pdf_footer.findings(Path("x.pdf"), footers, manifest, form)]


HOURS = ("8 am to 8 pm, Monday to Friday; 10 am to 4 pm, Saturday and Sunday, "
         "except bank holidays")


def test_the_hours_in_a_number_only_footer_are_an_error(manifest: Manifest) -> None:
    footer = f"Helpline: 0161 496 0123, {HOURS}"
    assert _said(manifest, [footer], "hours unbroken") == []
    said = _said(manifest, [footer], "number only")
    assert len(said) == 1
    assert "other numbers (8, 10, 4) than the helpline's number and hours" in said[0]


def test_the_page_number_and_count_may_be_in_the_footer(manifest: Manifest) -> None:
    footers: list[str | None] = [f"Helpline: 0161\u00a0496 0123 Page {n} of 2" for n in (1, 2)]
    assert _said(manifest, footers, "number only") == []
    assert _said(manifest, ["Helpline: 0161 496 0123 Page 3 of 2", None], "number only") == [
        "the running footer reads 'Helpline: 0161 496 0123 Page 3 of 2', which prints other "
        "numbers (3) than the helpline's number and hours (the manifest says the footer is "
        "'number only')",
        "no running footer (text marked /Artifact in the lower half of the page): the "
        "helpline must be printed at the foot of every page (the manifest says the footer is "
        "'number only')"]
