"""Numbered lists through a translation: the DOCX (Word, python-docx, LibreOffice's save) and
XLIFF round trips keep each list numbered, from its start, with one unit per item; a step a
translator made plain text, or typed a number into, is refused with a message that says how
to put it back.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.model import BulletList, Leaflet
from lmets_docs.source import load_leaflet
from lmets_docs.xliff import export_xliff, import_xliff
from tests.conftest import DATA
from tests.docx_edit import W, edit_docx, pseudo, sentences, translate_docx
from tests.importer.test_import_docx import build_docx
from tests.importer.test_libreoffice import soffice
from tests.xliff.test_xliff import tool_translate

DOCUMENT = "word/document.xml"
XLIFF = "urn:oasis:names:tc:xliff:document:2.0"


def lists(leaflet: Leaflet) -> list[tuple[str, int | None, list[str]]]:
    """Return (id, start, item ids) of every list, in reading order."""
    return [(b.id, b.start, [item.id for item in b.items]) for b in leaflet.all_blocks()
            if isinstance(b, BulletList)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a copy of the steps leaflet with no Welsh translation yet."""
    target = tmp_path / "content" / "steps"
    shutil.copytree(DATA / "steps", target)
    (target / "cy.md").unlink()
    return target


@pytest.fixture
def translated(folder: Path, tmp_path: Path) -> Path:
    """Return the English DOCX with every text put into Welsh test sentences."""
    built = build_docx(load_leaflet(folder, "en-GB"), tmp_path / "built")
    return translate_docx(built, tmp_path / "cy.docx", sentences("cy"))


def numbered_markdown(path: Path) -> list[str]:
    """Return the lines of a language file that start with a number and a delimiter."""
    return [line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line[:1].isdecimal()]


def test_a_translated_docx_keeps_each_list_numbered_from_its_start(
    folder: Path, translated: Path
) -> None:
    report = import_docx(translated, "cy", folder)
    assert lists(load_leaflet(folder, "cy")) == lists(load_leaflet(folder, "en-GB"))
    marks = numbered_markdown(report.path)
    assert marks[:5] == ["1.", "2.", "3.", "3.", "4."] and marks[-1] == "14."


def test_libreoffices_save_of_the_translation_still_imports(
    folder: Path, translated: Path, tmp_path: Path
) -> None:
    [saved] = soffice([translated], "docx", tmp_path / "saved", tmp_path / "profile")
    import_docx(saved, "cy", folder)
    assert lists(load_leaflet(folder, "cy")) == lists(load_leaflet(folder, "en-GB"))


def second_step(root: Any) -> Any:
    """Return the paragraph of the first numbered list's second item."""
    numbered = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    return numbered[1]


def unnumber(root: Any) -> None:
    """Make the second step plain text, as Word's Normal style does."""
    props = second_step(root).find(f"{W}pPr")
    props.remove(props.find(f"{W}numPr"))
    props.find(f"{W}pStyle").set(f"{W}val", "Normal")


def number_zero(root: Any) -> None:
    """Take the second step out of its list with ``w:numId 0``, as Word's "None" does."""
    second_step(root).find(f"{W}pPr/{W}numPr/{W}numId").set(f"{W}val", "0")


def type_number(root: Any) -> None:
    """Type "2. " before the second step's words."""
    first = next(t for t in second_step(root).iter(f"{W}t") if (t.text or "").strip())
    first.text = "2. " + first.text


@pytest.mark.parametrize(("edit", "message"), [
    (unnumber, "this step of a numbered list is no longer numbered; give it the style "
               "'List Number' again"),
    (number_zero, "this step of a numbered list is no longer numbered"),
    (type_number, "a number is typed before the step's words; delete it"),
])
def test_a_step_made_plain_text_or_numbered_by_hand_is_refused(
    folder: Path, translated: Path, tmp_path: Path, edit: Any, message: str
) -> None:
    edited = edit_docx(translated, tmp_path / "edited.docx", {DOCUMENT: edit})
    with pytest.raises(ImportDocxError) as caught:
        import_docx(edited, "cy", folder)
    assert "(steps.4.2, " in str(caught.value) and message in str(caught.value)
    assert not (folder / "cy.md").exists()


def test_an_xliff_translation_keeps_one_unit_per_step_and_the_numbering(
    folder: Path, tmp_path: Path
) -> None:
    exported = export_xliff(folder, "cy", tmp_path / "cy.xlf", from_lang="en-GB").path
    ids = [u.get("id") for u in etree.parse(str(exported)).iter(f"{{{XLIFF}}}unit")]
    assert [i for i in ids if i.startswith(("steps.4", "more.1"))] == [
        "steps.4.1", "steps.4.2", "steps.4.3", "more.1.1", "more.1.2"]
    import_xliff(tool_translate(exported, tmp_path / "done.xlf", pseudo), folder)
    welsh = load_leaflet(folder, "cy")
    assert lists(welsh) == lists(load_leaflet(folder, "en-GB"))
    steps = next(b for b in welsh.all_blocks() if b.id == "more.1")
    assert isinstance(steps, BulletList) and steps.numbers() == (3, 4)
