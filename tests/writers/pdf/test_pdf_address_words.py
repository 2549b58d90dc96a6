"""An address is never broken inside a word, and a link's address is printed (the user test's
M3 and M4), read back from real PDFs.

The fresh-eyes user test's leaflet (``tests/data/usertest``) has a ward whose web address
ends with a part longer than a giant-print contact box ("ward-12-information-for-patients-
and-carers"): main broke it inside a word ("…-and-care" / "rs") and ``check`` passed it. Now
such a part breaks after one of the address's own hyphens, as a last resort, and ``check``
reports a break inside a word (``pdf-address-break``, read with pdfium, which gives a hyphen
ending a line as ``\\x02``; pdftotext drops that hyphen and joins the lines). Its "Read more
on the NHS website." prints the link's address after its words, inside the link, and
``pdf-link-text`` proves that address is the link's target.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from lmets_docs.build import build
from lmets_docs.check import check, pdf_links, printed
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.text import fold
from lmets_docs.writers.pdf import template
from tests.conftest import DATA

TODAY = dt.date(2026, 1, 1)
WARD = ("www.northshire-hospitals.example.nhs.uk/our-services/cancer-services/"
        "haematology-and-oncology-day-unit/ward-12-information-for-patients-and-carers")
NHS = "www.nhs.uk/conditions/chemotherapy/side-effects"


def usertest(root: Path) -> Path:
    """Return the user test's leaflet (its current English text) in a folder of its own."""
    folder = root / "src" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(DATA / "usertest" / name, folder / name)
    shutil.copy(DATA / "usertest" / "en-GB.v2.md", folder / "en-GB.md")
    return folder


def _build(source: Path, out: Path, profile: Profile) -> Path:
    build([source], BuildOptions(out=out, formats=("pdf",), profile=profile, jobs=1,
                                 today=TODAY, templates=None, tts="espeak", check=False))
    return next(out.rglob("*.pdf"))


def _errors(out: Path) -> list[Finding]:
    report = check([out], TODAY, formats={"pdf"})
    return [f for f in report.findings if f.severity is Severity.ERROR]


def _lines(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [fold(line["text"]) for page in pdf.pages for line in page.extract_text_lines()]


def _address_lines(lines: list[str], address: str) -> list[str]:
    """Return the run of printed lines that together give ``address`` (the first one)."""
    for start, line in enumerate(lines):
        tail = line.split(" ")[-1]
        if tail and address.startswith(tail):
            run, joined = [tail], tail
            for following in lines[start + 1:]:
                if not address.startswith(joined + following.split(" ")[0]):
                    break
                run.append(following.split(" ")[0])
                joined += run[-1]
                if joined == address:
                    return run
    return []


def _cuts_inside_words(run: list[str]) -> list[str]:
    return [f"{a} / {b}" for a, b in itertools.pairwise(run)
            if not (a.endswith(("/", "-")) or b.startswith((".", "@")))]


@pytest.fixture(scope="module")
def giant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("giant")
    _build(usertest(root), root / "out", "giant")
    return root / "out"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    _build(usertest(root), root / "out", "large")
    return root / "out"


def test_a_part_longer_than_a_giant_box_breaks_after_its_own_hyphen(giant: Path) -> None:
    lines = _lines(next(giant.rglob("*.pdf")))
    run = _address_lines(lines, WARD)
    assert run, lines
    assert _cuts_inside_words(run) == [], run
    assert any(piece.endswith("-") for piece in run), run  # the last resort was needed
    assert "care" not in [piece[-4:] for piece in run], run
    assert _errors(giant) == []


def test_a_hyphen_is_only_a_last_resort(large: Path) -> None:
    """In large print every part of the address fits a line: no line ends at a hyphen."""
    run = _address_lines(_lines(next(large.rglob("*.pdf"))), WARD)
    assert len(run) > 1, run
    assert _cuts_inside_words(run) == [] and not [p for p in run if p.endswith("-")], run
    assert _errors(large) == []


def test_pdftotext_drops_the_hyphen_pdfium_keeps_it_and_check_reads_both(giant: Path) -> None:
    """What the two readers make of a line that ends with the address's own hyphen."""
    path = next(giant.rglob("*.pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "/ward12-information" in text  # poppler joined "…/ward-" and "12-…", hyphen lost
    manifest = read_manifest(path.parent)
    joined = printed.join_addresses(text, printed.address_patterns(manifest))
    assert "/ward12-information" not in joined
    assert joined.count(WARD) == text.replace("\n", "").count(WARD) + 1
    dropped = WARD.replace("ward-12", "ward12")
    assert printed.join_addresses(dropped, printed.address_patterns(manifest)) == WARD


def test_check_fails_an_address_broken_inside_a_word(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Main's behaviour, once: no break at a hyphen, so the part breaks where the line ends."""
    old = template.break_address
    monkeypatch.setattr(template, "break_address",
                        lambda address, email, hyphens=False, dots=True: old(address, email))
    path = _build(usertest(tmp_path), tmp_path / "out", "giant")
    assert [p[-4:] if i == 0 else p for i, p in enumerate(
        _address_lines(_lines(path), WARD)[-2:])] == ["care", "rs"]
    found = [(f.code, f.message) for f in _errors(tmp_path / "out")]
    assert [rule for rule, _ in found] == ["pdf-address-break"], found
    assert "'nts-and-care / rs'" in found[0][1]


@pytest.mark.parametrize(("pieces", "cut"), [
    (["www.example.org/", "ward-12-information-for-patients-and-care", "rs"], True),
    (["www.example.org/", "ward-12-", "information-for-patients-and-carers"], False),
    (["www.example.org/", "abcdefghijabcdefghij", "abcdefghij"], False),  # one word, too long
    (["www.example", ".org/", "ward-7"], False),
    (["ward.seven@example", ".nhs.uk"], False),
])
def test_pdf_address_break_tells_a_cut_inside_a_word(pieces: list[str], cut: bool) -> None:
    target = "https://" + "".join(pieces)
    if "@" in target:
        target = "mailto:" + "".join(pieces)
    found = list(pdf_links.findings(Path("x.pdf"), [[(target, p) for p in pieces]], False))
    assert [f.code for f in found] == (["pdf-address-break"] if cut else [])


def test_a_links_address_is_printed_after_its_words_inside_the_link(large: Path) -> None:
    path = next(large.rglob("*.pdf"))
    text = " ".join(_lines(path))
    assert f"Read more on the NHS website ({NHS})." in text.replace(
        "/ ", "/").replace(" .", "."), text
    with pdfplumber.open(path) as pdf:
        links = [link for page in pdf.pages for link in page.hyperlinks
                 if "nhs.uk/conditions" in link["uri"]]
        words = [page.crop((link["x0"], link["top"], link["x1"], link["bottom"])).extract_text()
                 for page in pdf.pages for link in page.hyperlinks if link in links]
    assert "".join("".join(words).split()).endswith(f"({NHS})"), words
    assert _errors(large) == []


def test_check_fails_a_printed_link_address_that_is_not_the_target(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template, "link_address",
                        lambda url, hyphens=False, rtl=False: "www.nhs.uk/conditions/chemotherapy")
    _build(usertest(tmp_path), tmp_path / "out", "large")
    found = _errors(tmp_path / "out")
    assert [f.code for f in found] == ["pdf-link-text"], found
    assert "'www.nhs.uk/conditions/chemotherapy'" in found[0].message


def test_a_links_address_reads_left_to_right_in_urdu(tmp_path: Path) -> None:
    """Isolated by controls, which WeasyPrint drops at a line break: broken before a ".", the
    next line showed "nhs.uk/…/side-effects." with the dot at its right. It breaks after a
    "/" only there, and reads whole, left to right, in its brackets."""
    source = tmp_path / "src" / "glossary"
    shutil.copytree(DATA / "glossary", source)
    (source / "en-GB.md").unlink()
    stop = "\u06d4"  # the Urdu full stop
    diary = f"ہر صبح اپنی ڈائری میں لکھیں{stop}"
    link = f"مزید [این ایچ ایس کی ویب سائٹ](https://{NHS}/) پر پڑھیں{stop}"
    text = (source / "ur.md").read_text(encoding="utf-8")
    assert diary in text
    (source / "ur.md").write_text(text.replace(diary, f"{diary} {link}"), encoding="utf-8")
    path = _build(source, tmp_path / "out", "large")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert NHS in text, text  # on one line, left to right (pdftotext gives the line visually)
    assert _errors(tmp_path / "out") == []
