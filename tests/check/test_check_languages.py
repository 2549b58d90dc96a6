"""``check`` compares the facts of a leaflet's languages, and ``build --lang``'s check does too.

Finding H3 of the fresh-eyes test: after the helpline's number changed and only English was
rebuilt, ``check`` said 0 errors though the Welsh outputs still gave the old number.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from lmets_docs.check.languages import differences, read_built
from tests.test_cli import run

from ..conftest import DATA

OLD, NEW = "0808 157 0192", "0808 157 0456"


def build(source: Path, out: Path, *more: str) -> Result:
    return run("build", str(source), "--format", "docx", "--out", str(out), "--templates",
               str(out / "none"), "--today", "2026-01-01", *more)


def sums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a copy of the three-language clinic leaflet and its DOCX outputs, all built."""
    root = tmp_path_factory.mktemp("languages")
    source = Path(shutil.copytree(DATA / "clinic-contacts", root / "content" / "clinic-contacts"))
    result = build(source, root / "output")
    assert result.exit_code == 0, result.output + result.stderr
    return source, root / "output"


@pytest.fixture
def leaflet(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """Return a fresh copy of the built leaflet (source, outputs) that a test may change."""
    source = Path(shutil.copytree(built[0], tmp_path / "content" / "clinic-contacts"))
    out = Path(shutil.copytree(built[1], tmp_path / "output"))
    for manifest in out.rglob("manifest.json"):  # the copy names its own source folder
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["source_folder"] = str(source)
        manifest.write_text(json.dumps(data), encoding="utf-8")
    return source, out


def change(source: Path, old: str, new: str) -> None:
    path = source / "leaflet.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_number_built_in_one_language_is_an_error_of_check(
        leaflet: tuple[Path, Path]) -> None:
    source, out = leaflet
    change(source, OLD, NEW)
    kept = {lang: sums(out / "clinic-contacts" / lang) for lang in ("cy", "ur")}
    rebuilt = build(source, out, "--lang", "en-GB")
    checked = run("check", str(out), "--today", "2026-01-01")
    assert "1 written" in rebuilt.output, rebuilt.output + rebuilt.stderr
    error = (f"contacts.triage.phone differs between the languages of clinic-contacts: {OLD} in "
             f"cy and ur, {NEW} in en-GB; every language must give the same facts: rebuild cy "
             f"and ur (lmets-docs build {source} --lang cy --lang ur) [languages-differ]")
    for result in (rebuilt, checked):  # the build's own check gives check's verdict (M3)
        assert result.exit_code == 1, result.output
        assert error in result.output
        assert result.output.count("[languages-differ]") == 1
    for lang in ("cy", "ur"):  # built from the old number: an error too
        assert f"built from an older {source / 'leaflet.yaml'} than is there now" in checked.output
        assert sums(out / "clinic-contacts" / lang) == kept[lang]  # nothing written by check
    assert checked.output.count("[source-facts-changed]") == 2


def test_rebuilding_every_language_mends_it(leaflet: tuple[Path, Path]) -> None:
    source, out = leaflet
    change(source, OLD, NEW)
    assert build(source, out, "--lang", "en-GB").exit_code == 1
    again = build(source, out)
    assert again.exit_code == 0 and "languages" not in again.output
    checked = run("check", str(out), "--today", "2026-01-01")
    assert checked.exit_code == 0, checked.output
    assert "languages" not in checked.output


@pytest.mark.parametrize(("fact", "old", "new", "shown"), [
    ("contacts.advice.hours", '{days: mon-fri, opens: "08:00", closes: "20:00"}',
     '{days: mon-fri, opens: "08:00", closes: "18:00"}', "8 am to 6 pm"),
    ("review.next_review_due", "next_review_due: 2028-06-01", "next_review_due: 2028-05-01",
     "2028-05-01 in en-GB"),
    ("dates.service_moves", "service_moves: 2027-03-01", "service_moves: 2027-04-01",
     "2027-04-01 in en-GB"),
    ("contacts.ward.email", "ward7@example.org", "ward-7@example.org", "ward-7@example.org in"),
    ("contacts.ward.web", "https://www.example.org/ward-7", "https://www.example.org/ward7",
     "www.example.org/ward7 in en-GB"),
])
def test_each_language_neutral_fact_is_compared(
        leaflet: tuple[Path, Path], fact: str, old: str, new: str, shown: str) -> None:
    source, out = leaflet
    change(source, old, new)
    assert build(source, out, "--lang", "en-GB").exit_code == 1
    checked = run("check", str(out), "--today", "2026-01-01")
    assert checked.exit_code == 1
    [line] = [line for line in checked.output.splitlines() if "[languages-differ]" in line]
    assert f"{fact} differs between the languages of clinic-contacts" in line
    assert shown in line and "rebuild cy and ur" in line


def test_names_and_notes_are_words_of_each_language_not_compared(
        leaflet: tuple[Path, Path]) -> None:
    source, out = leaflet
    change(source, "cy: Am gyngor brys yn ystod cemotherapi.", "cy: Am gyngor brys.")
    assert build(source, out, "--lang", "cy").exit_code == 0
    checked = run("check", str(out), "--today", "2026-01-01")
    assert checked.exit_code == 0, checked.output
    assert "[languages-differ]" not in checked.output  # a note is each language's own words
    # en-GB and ur were built before it, but the Welsh note is not a fact they give
    assert checked.output.count("[source-changed]") == 2, checked.output


def test_one_language_checked_alone_is_not_compared(leaflet: tuple[Path, Path]) -> None:
    source, out = leaflet
    change(source, OLD, NEW)
    assert build(source, out, "--lang", "en-GB").exit_code == 1  # it checks every language
    checked = run("check", str(out / "clinic-contacts" / "en-GB"), "--today", "2026-01-01")
    assert checked.exit_code == 0, checked.output


def test_a_source_moved_away_or_a_manifest_of_an_older_version_is_no_crash(
        leaflet: tuple[Path, Path], tmp_path: Path) -> None:
    source, out = leaflet
    change(source, OLD, NEW)
    assert build(source, out, "--lang", "en-GB").exit_code == 1
    shutil.rmtree(source)  # the folder is gone: no "older source" to say
    welsh = out / "clinic-contacts" / "cy" / "manifest.json"
    data = json.loads(welsh.read_text(encoding="utf-8"))
    for key in ("hours", "source_folder", "source_files"):  # as an older version wrote it
        del data[key]
    welsh.write_text(json.dumps(data), encoding="utf-8")
    checked = run("check", str(out), "--today", "2026-01-01", "--allow-edited")
    assert "contacts.triage.phone differs" in checked.output
    assert "hours differs" not in checked.output and "built from an older" not in checked.output
    assert "(lmets-docs build " in checked.output and "Traceback" not in checked.stderr


@pytest.mark.parametrize("garbage", [b"", b"\xff\xfe", b"[]", b'{"lang": 3}', b"{" * 100_000])
def test_a_damaged_manifest_is_left_to_the_check_of_its_own(garbage: bytes, tmp_path: Path
                                                            ) -> None:
    (tmp_path / "manifest.json").write_bytes(garbage)
    assert read_built(tmp_path) is None


def test_languages_built_at_the_same_moment_name_no_one_to_rebuild_wrongly() -> None:
    phone = {"contacts.a.phone": {"printed": OLD, "link": "tel:+448081570192"}}
    moved = {"contacts.a.phone": {"printed": NEW, "link": "tel:+448081570456"}}
    found = differences({"en-GB": {"built": "2026-01-02", "facts": moved},
                         "cy": {"built": "2026-01-01", "facts": phone}})
    assert [(d.fact, d.stale) for d in found] == [("contacts.a.phone", ("cy",))]
    assert found[0].words() == f"{NEW} in en-GB, {OLD} in cy"


def test_a_language_just_built_is_the_newest_even_within_the_same_second() -> None:
    old = {"contacts.a.phone": {"printed": OLD, "link": "tel:+448081570192"}}
    new = {"contacts.a.phone": {"printed": NEW, "link": "tel:+448081570456"}}
    same = "2026-01-01T00:00:00+00:00"
    builts = {"cy": {"built": same, "facts": old}, "en-GB": {"built": same, "facts": new}}
    assert [d.stale for d in differences(builts, "en-GB")] == [("cy",)]
    assert [d.stale for d in differences(builts, "cy")] == [("en-GB",)]
