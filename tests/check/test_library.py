"""A library of leaflets: shared contacts rebuilt where named, and what ``check`` says of a library.

Findings H1, M3, M4, M7 and M8 of the charity's user test: a helpline written in every
leaflet.yaml, a build whose check disagreed with ``check``, a stale-source warning that
depended on the directory ``check`` ran from, a withdrawn leaflet and a language folder
without a manifest both passed.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import DATA
from tests.test_cli import run

OLD, NEW = "020 7946 0000", "020 7946 0123"
TODAY = "2026-01-01"
SHARED = f"""contacts:
  helpline:
    name: Example support line
    phone: "{OLD}"
    hours:
      open:
        - {{days: mon-thu, opens: "10:00", closes: "16:30"}}
"""
OWN = """    own:
      name: Another line
      phone: "0113 496 0000"
      hours:
        open:
          - {days: mon-thu, opens: "10:00", closes: "16:30"}
"""


def build(content: Path, out: Path, *more: str) -> Result:
    return run("build", str(content), "--format", "docx", "--out", str(out), "--templates",
               str(out / "none"), "--today", TODAY, *more)


def check(out: Path, *more: str) -> Result:
    return run("check", str(out), "--today", TODAY, *more)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())


def leaflet(content: Path, name: str, contacts: str) -> Path:
    """Copy the minimal leaflet into the library as ``name``, with these contacts."""
    folder = Path(shutil.copytree(DATA / "minimal", content / name))
    text = (folder / "leaflet.yaml").read_text(encoding="utf-8")
    text = text.replace("id: minimal-leaflet", f"id: {name}")
    start, end = text.index("    helpline:\n"), text.index("  review:")
    (folder / "leaflet.yaml").write_text(text[:start] + contacts + text[end:], encoding="utf-8")
    return folder


def make_library(root: Path) -> Path:
    """Return a library of three leaflets: a and b name the shared helpline, c has its own."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "contacts.yaml").write_text(SHARED, encoding="utf-8")
    leaflet(content, "a", "    helpline: helpline\n")
    leaflet(content, "b", "    helpline: helpline\n")
    leaflet(content, "c", OWN)
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    result = build(make_library(root), root / "out")
    assert result.exit_code == 0, result.output + result.stderr
    return root


@pytest.fixture
def library(built: Path, tmp_path: Path) -> Path:
    """Return a fresh copy of the built library (``content/`` and ``out/`` in it)."""
    shutil.copytree(built / "content", tmp_path / "content")
    shutil.copytree(built / "out", tmp_path / "out")
    for manifest in (tmp_path / "out").rglob("manifest.json"):  # the copy names its own source
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["source_folder"] = str(tmp_path / "content" / manifest.parent.parent.name)
        manifest.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_a_shared_number_changed_rebuilds_exactly_the_leaflets_that_name_it(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    assert OLD in docx_text(out / "a" / "en-GB" / "a-leaflet.docx")
    manifest = json.loads((out / "a" / "en-GB" / "manifest.json").read_text(encoding="utf-8"))
    assert "../contacts.yaml" in manifest["source_files"]
    untouched = (out / "c" / "en-GB" / "c-leaflet.docx").read_bytes()
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    stale = check(out)
    assert stale.exit_code == 1
    assert stale.output.count("[source-facts-changed]") == 2, stale.output
    assert f"built from an older {shared.resolve()} than is there now" in stale.output
    rebuilt = build(content, out)
    assert rebuilt.exit_code == 0, rebuilt.output + rebuilt.stderr
    assert "2 written, 1 up to date" in rebuilt.output
    for name in ("a", "b"):
        text = docx_text(out / name / "en-GB" / f"{name}-leaflet.docx")
        assert NEW in text and OLD not in text
    assert (out / "c" / "en-GB" / "c-leaflet.docx").read_bytes() == untouched
    assert check(out).exit_code == 0


HALF_EDITED = {"en-GB.md": "\nCall {{ contacts.nope.phone }}.\n",
               "leaflet.yaml": "colour: red\n"}
"""An author's edit in progress: the leaflet's own source does not load (ut-library 1)."""


@pytest.mark.parametrize("name", HALF_EDITED)
def test_a_half_edited_leaflet_after_a_shared_change_gives_an_old_fact_said_as_an_error(
        library: Path, name: str) -> None:
    content, out = library / "content", library / "out"
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    with (content / "a" / name).open("a", encoding="utf-8") as half_edited:
        half_edited.write(HALF_EDITED[name])
    built = build(content, out)
    assert built.exit_code == 1
    [line] = [line for line in built.stderr.splitlines() if line.startswith("not built")]
    assert line == (
        f"not built {content / 'a'} (en-GB): a problem in its content (above); its previous "
        f"outputs in {out / 'a' / 'en-GB'} are kept, and give an OLD FACT "
        f"(contacts.helpline.phone: {OLD}, now {NEW}): its source changed since they were "
        "built; fix the problem and build again")
    assert OLD in docx_text(out / "a" / "en-GB" / "a-leaflet.docx")  # kept, as said
    assert NEW in docx_text(out / "b" / "en-GB" / "b-leaflet.docx")
    checked = check(out)
    assert checked.exit_code == 1
    [error] = [line for line in checked.output.splitlines() if "[source-facts-changed]" in line]
    assert f"{out / 'a' / 'en-GB'}" in checked.output.split(error)[0].splitlines()[-1]
    assert (f"this leaflet gives the old ones (contacts.helpline.phone: {OLD}, now {NEW}; its "
            "own source does not load now, so only the shared contacts were compared)") in error
    assert "[source-changed]" not in checked.output


def test_a_half_edited_leaflet_whose_shared_facts_did_not_change_is_a_warning(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    with (content / "a" / "en-GB.md").open("a", encoding="utf-8") as half_edited:
        half_edited.write(HALF_EDITED["en-GB.md"])
    built = build(content, out)
    assert built.exit_code == 1
    assert "its previous outputs, if any, are kept\n" in built.stderr
    assert "OLD FACT" not in built.stderr
    checked = check(out)
    assert checked.exit_code == 0
    assert checked.output.count("[source-changed]") == 1, checked.output


def test_any_other_change_of_the_source_is_a_warning(library: Path) -> None:
    path = library / "content" / "a" / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    checked = check(library / "out")
    assert checked.exit_code == 0
    assert checked.output.count("[source-changed]") == 1 and "[source-facts" not in checked.output


def test_the_library_rule_warns_of_one_contact_given_two_ways(library: Path) -> None:
    content, out = library / "content", library / "out"
    same = OWN.replace("Another line", "Example support line")
    path = content / "c" / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        OWN, same.replace("0113 496 0000", OLD.replace(" ", ""))), encoding="utf-8")
    assert "differently" not in run("validate", str(content)).stderr  # one number, two spellings
    path.write_text(path.read_text(encoding="utf-8").replace(OLD.replace(" ", ""),
                                                             "020 7946 0999"), encoding="utf-8")
    validated = run("validate", str(content))
    assert validated.exit_code == 0
    assert ("the contact 'Example support line' (en-GB) is given differently by the leaflets "
            "of this library") in validated.stderr
    assert (f"{OLD}, with hours in {content / 'a'}, {content / 'b'}; 020 7946 0999, with hours "
            f"in {content / 'c'}") in validated.stderr
    assert build(content, out).exit_code == 0
    checked = check(out)
    assert checked.exit_code == 0
    [line] = [line for line in checked.output.splitlines() if "[library-contact-differs]" in line]
    assert f"{OLD}, 10 am to 4:30 pm, Monday to Thursday in a, b" in line, line
    assert "020 7946 0999, 10 am to 4:30 pm, Monday to Thursday in c" in line


def test_the_source_is_found_wherever_check_runs_and_when_moved(
        library: Path, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = library / "content" / "a" / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert check(library / "out").output.count("[source-changed]") == 1
    moved = tmp_path_factory.mktemp("moved") / "library"
    shutil.move(library, moved)  # the absolute path is gone; the relative one finds it
    assert check(moved / "out").output.count("[source-changed]") == 1
    shutil.rmtree(moved / "content")
    shutil.move(moved / "out", moved.parent / "alone")
    alone = check(moved.parent / "alone")
    assert alone.exit_code == 0
    assert alone.output.count("[source-not-found]") == 3
    assert "cannot find the leaflet folder it was built from" in alone.output


def test_a_withdrawn_leaflet_is_an_error_and_its_outputs_are_never_removed(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    shutil.rmtree(content / "b")
    said = (f"WARNING: {out / 'b'}: the leaflet folder it was built from, {content / 'b'}, is "
            "gone from the library (withdrawn, or moved), yet its outputs are still in the "
            f"output folder, and published with it: remove {out / 'b'}")
    for again in ("built", "up to date (the stamp)"):
        built = build(content, out)
        assert built.exit_code == 0, again
        assert built.stderr.count(said) == 1, (again, built.stderr)
    assert "0 written, 2 up to date" in built.output
    assert (out / "b" / "en-GB" / "b-leaflet.docx").is_file()  # published outputs stay
    checked = check(out)
    assert checked.exit_code == 1
    [line] = [line for line in checked.output.splitlines() if "[source-withdrawn]" in line]
    assert f"the leaflet folder it was built from, {(content / 'b').resolve()}, is gone" in line
    assert f"remove {out / 'b'}" in line
    shutil.rmtree(out / "b")
    assert check(out).exit_code == 0
    assert "WARNING" not in build(content, out).stderr


def test_a_language_folder_without_a_manifest_is_an_error(library: Path) -> None:
    out = library / "out"
    (out / "a" / "en-GB" / "manifest.json").unlink()
    checked = check(out)
    assert checked.exit_code == 1
    assert (f"{out / 'a' / 'en-GB'}\n  error: outputs but no manifest.json: nothing checks these "
            "files") in checked.output
    assert checked.output.count("[no-manifest]") == 1


def test_today_is_documented() -> None:
    for command in ("build", "check", "watch"):
        assert "--today YYYY-MM-DD" in run(command, "--help").output


def test_a_leaflet_built_on_its_own_is_rebuilt_when_the_shared_file_changes(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    assert "0 written, 1 up to date" in build(content / "a", out).output  # the stamp
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    rebuilt = build(content / "a", out)
    assert "1 written, 0 up to date" in rebuilt.output, rebuilt.output + rebuilt.stderr
    assert NEW in docx_text(out / "a" / "en-GB" / "a-leaflet.docx")


def test_watching_one_leaflet_builds_it_again_when_its_library_file_changes(
        library: Path) -> None:
    from tests.test_watch import Watching  # noqa: PLC0415 (its helpers, only here)

    content, out = library / "content", library / "out"
    watching = Watching(content / "a", "--format", "docx", "--out", out, "--templates",
                        out / "none", cwd=library)
    try:
        watching.until("done in")
        shared = content / "contacts.yaml"
        shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
        assert watching.until("changed:") == [f"changed: {shared}"]
        assert "1 written, 0 up to date" in "\n".join(watching.until("done in"))
        assert NEW in docx_text(out / "a" / "en-GB" / "a-leaflet.docx")
        assert watching.stop()[0] == 0
    finally:
        watching.kill()


def test_a_contact_differing_only_in_a_withdrawn_leaflet_says_to_remove_its_outputs(
        library: Path) -> None:
    """ut-library 4: the contact is written once; the other way is a withdrawn leaflet's old
    outputs, so "write it once in contacts.yaml" would send the manager the wrong way."""
    content, out = library / "content", library / "out"
    shutil.rmtree(content / "b")
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert build(content, out).exit_code == 0
    checked = check(out)
    assert checked.exit_code == 1  # source-withdrawn
    [line] = [line for line in checked.output.splitlines() if "[library-contact-differs]" in line]
    assert (f"{NEW}, 10 am to 4:30 pm, Monday to Thursday in a; {OLD}, 10 am to 4:30 pm, "
            "Monday to Thursday in b (withdrawn); the leaflets still in the library agree; the "
            "others were withdrawn (their leaflet folders are gone) and their outputs give the "
            f"contact as it was when they were built: remove {out / 'b'} from the output folder "
            "(and wherever it is published) [library-contact-differs]") in line, line
    assert "contacts.yaml" not in line
    shutil.rmtree(out / "b")
    assert "[library-contact-differs]" not in check(out).output


def test_a_contact_differing_in_the_library_and_a_withdrawn_leaflet_says_both_cures(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    shutil.rmtree(content / "b")
    path = content / "c" / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Another line", "Example support "
                                                             "line"), encoding="utf-8")
    assert build(content, out).exit_code == 0
    [line] = [line for line in check(out).output.splitlines()
              if "[library-contact-differs]" in line]
    assert (f"in a, b (withdrawn); 0113 496 0000, 10 am to 4:30 pm, Monday to Thursday in c; a "
            "contact with one name should be the same everywhere: write it once in the "
            "library's contacts.yaml and name it in each leaflet.yaml, or give the different "
            f"ones different names (and remove the withdrawn leaflets' outputs, {out / 'b'})"
            ) in line, line


def test_a_contact_differing_only_among_withdrawn_leaflets_says_every_one_was(
        library: Path) -> None:
    content, out = library / "content", library / "out"
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    shutil.rmtree(content / "b")
    assert build(content, out).exit_code == 0  # a is built with the new number; b is gone
    shutil.rmtree(content / "a")  # and now a is withdrawn too
    (content / "c").rename(content / "c-kept")  # a leaflet that does not give the contact
    lines = [line for line in check(out).output.splitlines()
             if "[library-contact-differs]" in line]
    assert lines and all("every leaflet that gives it was withdrawn" in line and
                         "still in the library agree" not in line for line in lines), lines
