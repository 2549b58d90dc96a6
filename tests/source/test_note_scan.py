"""A number typed into a contact's note (leaflet.yaml, contacts.yaml) or an hours note is
scanned as the body's text is: a stale helpline there would reach the patient unproved
(the session 28 closing note's gap). On the real command line: ``validate`` and ``build``
say ``file:line`` of the YAML, exit 1, install nothing and keep the last good outputs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lmets_docs.errors import ContentError, Problem
from lmets_docs.source.loader import load_folder
from lmets_docs.source.textfile import read_source
from tests.check.test_library import make_library
from tests.conftest import DATA

STALE = "0800 500 3000"
NOTE = ("facts.contacts.helpline.note: phone number '0800 500 3000' typed in the note belongs "
        "to no contact: add it under facts: contacts: in leaflet.yaml and write "
        "{{ contacts.<id>.phone }} (a note holds no facts, nor a {{ … }}: delete it from the "
        "note; the text or a contact of its own gives it)")


def lmets(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line."""
    return subprocess.run([sys.executable, "-m", "lmets_docs", *map(str, args)],
                          capture_output=True, text=True, check=False, timeout=600)


def build(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return lmets("build", folder, "--format", "docx", "--out", out, "--templates", "none",
                 "--today", "2026-01-01")


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(".")}


def with_note(folder: Path, note: str, after: str = "      region: GB\n") -> Path:
    """Give the minimal leaflet's helpline a note (YAML, indented as a contact's key)."""
    path = folder / "leaflet.yaml"
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + note, 1), encoding="utf-8")
    return path


def test_a_stale_number_in_a_note_is_refused_and_the_last_good_outputs_stay(
        tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    out = tmp_path / "out"
    assert build(folder, out).returncode == 0
    before = outputs(out)
    path = with_note(folder, f'      note: "Out of hours, call {STALE}."\n')
    for said in (lmets("validate", folder), build(folder, out)):
        assert said.returncode == 1, said.stderr
        assert f"{path}:11: {NOTE}\n" in said.stderr
        assert "Traceback" not in said.stderr
    assert outputs(out) == before


@pytest.mark.parametrize(("note", "line", "message"), [
    # a per-language note: the line of its language's words
    (f'      note:\n        en-GB: Our nurses.\n        cy: "Ffoniwch {STALE}."\n', 13,
     "facts.contacts.helpline.note.cy: phone number '0800 500 3000' typed in the note"),
    # a block scalar: the number on its third line, said at the note's key
    (f"      note: |\n        Out of hours\n        you may call\n        {STALE}.\n", 11,
     "facts.contacts.helpline.note: phone number '0800 500 3000' typed in the note"),
    # the contact's own number, an email and a date: each said
    ('      note: "Or 020 7946 0000."\n', 11, "typed in the note: it is a contact's number, "
     "written in the leaflet's text as {{ contacts.helpline.phone }}"),
    ('      note: "Or write to help@example.org."\n', 11,
     "email address 'help@example.org' typed in the note"),
    ('      note: "Closed on 1 March 2027."\n', 11, "date '1 March 2027' typed in the note"),
    ('      note: "Open 9am to 5pm."\n', 11, "opening hours '9am to 5pm' typed in the note"),
    # spelled out, as the narration would say it
    ('      note: "Ring oh eight oh oh five oh oh three oh oh oh."\n', 11,
     "phone number '08005003000' typed in the note"),
], ids=["per-language", "block", "own-number", "email", "date", "hours", "words"])
def test_each_fact_typed_in_a_note_is_said_at_its_line(
        tmp_path: Path, note: str, line: int, message: str) -> None:
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    if "cy:" in note:  # a Welsh text, so that the cy note is read
        (folder / "cy.md").write_text((folder / "en-GB.md").read_text(encoding="utf-8")
                                      .replace("lang: en-GB", "lang: cy"), encoding="utf-8")
    path = with_note(folder, note)
    said = lmets("validate", folder)
    assert said.returncode == 1, said.stderr
    assert f"{path}:{line}: " in said.stderr and message in said.stderr, said.stderr
    assert "Traceback" not in said.stderr


def test_a_number_in_an_hours_note_is_refused(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    path = with_note(folder, f'        note: "except bank holidays: then call {STALE}"\n',
                     after='          - {days: mon-thu, opens: "10:00", closes: "16:30"}\n')
    said = lmets("validate", folder)
    assert said.returncode == 1
    assert (f"{path}:14: facts.contacts.helpline.hours.note: phone number '{STALE}' typed in "
            "the note belongs to no contact") in said.stderr


def test_a_single_time_in_a_note_is_a_warning(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    path = with_note(folder, '      note: "Please call before 6pm."\n')
    said = lmets("validate", folder)
    assert said.returncode == 0, said.stderr
    assert f"WARNING: {path}:11: facts.contacts.helpline.note: " in said.stderr, said.stderr
    assert "'6pm'" in said.stderr


def test_a_stale_number_in_a_shared_contacts_note_is_said_in_contacts_yaml(
        tmp_path: Path) -> None:
    content = make_library(tmp_path)
    out = tmp_path / "out"
    assert build(content, out).returncode == 0
    before = {name: outputs(out / name) for name in ("a", "b")}  # c names its own contact
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(
        "    phone:", f'    note: "Out of hours: {STALE}"\n    phone:'), encoding="utf-8")
    said = build(content, out)
    assert said.returncode == 1, said.stderr
    message = (f"{shared}:4: contacts.helpline.note: phone number '{STALE}' typed in the note "
               "belongs to no contact")
    assert said.stderr.count(message) == 1, said.stderr  # once, though a and b name it
    assert f"not built {content / 'c'} " not in said.stderr and "Traceback" not in said.stderr
    assert {name: outputs(out / name) for name in ("a", "b")} == before


@pytest.mark.parametrize(("note", "message"), [
    ("      note: [0800, 500, 3000]\n", "Input should be a valid string"),
    ("      note: {en-GB: [a]}\n", "Input should be a valid string"),
    ("      note: !!python/object/apply:os.system [echo hi]\n", "tag"),
    ('      note: "call \\t0800 500 3000"\n', "typed in the note"),
    ("      note: &n 0800 500 3000\n      web: *n\n", "an alias (*n) is not allowed"),
    ('      note: "call\\a 0800 500 3000"\n', "control"),
    ("\tnote: x\n", "tab"),
], ids=["list", "list-in-language", "python-tag", "tab-escape", "anchor", "control", "tab"])
def test_a_bad_or_hostile_note_is_refused_with_its_line_and_no_traceback(
        tmp_path: Path, note: str, message: str) -> None:
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    path = with_note(folder, note)
    said = lmets("validate", folder)
    assert said.returncode == 1, said.stderr
    assert f"{path}:" in said.stderr and message in said.stderr, said.stderr
    assert "Traceback" not in said.stderr


@pytest.mark.parametrize("saved", [
    lambda text: "# saved since\n" * 3 + text,  # every line three further down
    lambda text: "id: minimal-leaflet\nfacts: [a, b]\n",  # no contact at all any more
], ids=["lines-moved", "facts-a-list"])
def test_a_note_is_said_at_its_line_in_the_leaflet_yaml_the_loader_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: Callable[[str], str]) -> None:
    """The author saves leaflet.yaml (under a watch) just after the loader has read it: the
    note is scanned in the text that was read and checked, not in the file as saved since
    (where its line moved, or where it is gone with its contact)."""
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    path = with_note(folder, f'      note: "Out of hours, call {STALE}."\n')
    saves: list[Path] = []

    def read_then_saved(file: Path) -> tuple[str | None, bytes, list[Problem]]:
        text, raw, problems = read_source(file)
        if file == path and text is not None and not saves:
            path.write_text(saved(text), encoding="utf-8")
            saves.append(file)
        return text, raw, problems

    monkeypatch.setattr("lmets_docs.source.loader.read_source", read_then_saved)
    with pytest.raises(ContentError) as refused:
        load_folder(folder)
    assert saves == [path]
    assert [str(p) for p in refused.value.problems] == [f"{path}:11: {NOTE}"]
