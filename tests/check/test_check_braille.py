"""``check`` on a BRF: each rule broken once in a real braille build, by editing cells."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA, SEED
from tests.writers.braille.helpers import brf_file, build_braille, cells, checked, codes

SEED_ID = "leptomeningeal-metastases"
PHONE = '#JHJH"HJJ"DJDJ'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the seed and the switchboard built in braille."""
    tmp = tmp_path_factory.mktemp("braille")
    options = BuildOptions(out=tmp / "output", jobs=1, today=BEFORE_DUE, templates=None,
                           cache_dir=tmp / "cache")
    build_braille(SEED, options)
    return build_braille(DATA / "switchboard", options)


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """Return a copy of the built outputs that a test may break."""
    return Path(shutil.copytree(built, tmp_path / "output"))


def _edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_bytes().decode("latin-1")
    changed = change(text)
    assert changed != text
    path.write_bytes(changed.encode("latin-1"))


def _seed(out: Path) -> Path:
    return brf_file(out, SEED_ID, "en-GB")


def _findings(out: Path, code: str) -> list[str]:
    return [f"{f.place}: {f.message}" for f in checked(out).errors if f.code == code]


def test_the_built_braille_passes(out: Path) -> None:
    report = checked(out, allow_edited=False)
    assert report.errors == [], report.text()


def test_one_wrong_digit_in_the_helpline_is_caught(out: Path) -> None:
    _edit(_seed(out), lambda t: t.replace(PHONE, PHONE[:-1] + "A", 1))  # 4040 -> 4041
    assert [m.split(": ", 1)[1] for m in _findings(out, "fact-phone")] == [
        "phone number '0808 800 4041' is not the helpline's '0808 800 4040'"]
    _edit(_seed(out), lambda t: t.replace(PHONE, PHONE[:-1] + "A"))  # in every place
    assert {"fact-missing", "fact-phone", "edited"} <= {f.code for f in checked(out).findings}


def test_a_wrong_year_in_a_review_date_is_caught(out: Path) -> None:
    year = cells("2022", "en-ueb-g2.ctb")
    _edit(_seed(out), lambda t: t.replace(year, cells("2023", "en-ueb-g2.ctb")))
    assert any("review.next_review_due" in m for m in
               [f.message for f in checked(out).errors if f.code == "fact-missing"])
    assert any("22 November 2023" in m for m in _findings(out, "fact-date"))


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_a_wrong_letter_in_an_email_address_is_caught(out: Path, lang: str) -> None:
    path = brf_file(out, "switchboard", lang)
    email = cells("ward7@example.org", "en-ueb-g1.ctb", uncontracted=True)
    _edit(path, lambda t: t.replace(email, email.replace("EXAMPLE", "EXAMPLF")))
    assert any("ward7@examplf.org" in m for m in _findings(out, "fact-email"))
    assert "fact-missing" in codes(checked(out))


def test_a_line_of_41_cells_is_caught(out: Path) -> None:
    _edit(_seed(out), lambda t: "A" * 41 + t[t.index("\r\n"):])
    assert _findings(out, "brf-line-length") == [
        "page 1 line 1: 41 cells: a braille line holds 40"]


def test_a_page_of_26_lines_is_caught(out: Path) -> None:
    _edit(_seed(out), lambda t: "\r\n" + t)
    assert _findings(out, "brf-page-length") == ["page 1: 26 lines: a braille page holds 25"]
    assert "brf-page-number" in codes(checked(out))  # its number is on line 2 now


def test_a_heading_alone_at_the_foot_of_a_page_is_caught(out: Path) -> None:
    def heading_last(text: str) -> str:
        first, rest = text.split("\f", 1)
        lines = first.split("\r\n")
        last = max(n for n, line in enumerate(lines[:25]) if line.strip() and n)
        lines[last] = " " * 15 + ",HELP"
        return "\r\n".join(lines) + "\f" + rest

    _edit(_seed(out), heading_last)
    assert [m.split(": ", 1)[1] for m in _findings(out, "brf-heading-alone")] == [
        "a heading is left alone at the foot of the page"]


def test_a_character_that_is_no_braille_cell_is_caught(out: Path) -> None:
    _edit(_seed(out), lambda t: t.replace(",", "~", 1))
    assert _findings(out, "brf-characters") == [
        "page 1 line 2: characters that are no braille cell: '~'"]


def test_page_numbers_out_of_sequence_are_caught(out: Path) -> None:
    two = "\f" + " " * 38 + "#B\r\n"
    _edit(_seed(out), lambda t: t.replace(two, "\f" + " " * 38 + "#C\r\n", 1))
    assert _findings(out, "brf-page-number") == [
        "page 2 line 1: the page number must be '#B' at the right margin, not '#C'"]


def test_a_proof_reading_copy_that_shows_other_cells_is_caught(out: Path) -> None:
    preview = _seed(out).with_name(f"{SEED_ID}-braille.txt")
    text = preview.read_text(encoding="utf-8")
    preview.write_text(text.replace("\u2801", "\u2803", 1), encoding="utf-8")
    assert len(_findings(out, "brf-preview")) == 1


def test_a_file_that_is_no_brf_is_reported_not_crashed(out: Path) -> None:
    _seed(out).write_bytes(b"\x00\xff" * 50)
    found = {f.code for f in checked(out).errors}
    assert {"brf-characters", "fact-missing", "brf-page-number"} <= found
