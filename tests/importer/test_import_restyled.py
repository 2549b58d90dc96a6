"""import-docx says where a translator restyled a heading, and keeps the source's structure.

The user test's Welsh DOCX (``tests/data/usertest/cy-good.docx``, a real translation of the
presplit English) is edited with python-docx as a translator would in Word: a section
heading set to Heading 3, a paragraph made a Heading 2, another heading given an outline
level of its own. The import writes the Welsh all the same, as the source has it, and says
each change with the paragraph's place.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from lmets_docs.cli import cli
from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.model import Paragraph
from lmets_docs.source import load_leaflet
from tests.conftest import DATA, SEED
from tests.docx_edit import pseudo, translate_docx
from tests.importer.test_import_docx import build_docx

USERTEST = DATA / "usertest"


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    """Return the user test's leaflet with the English its Welsh DOCX was made from."""
    folder = tmp_path / "content" / "eating-well-chemo"
    folder.mkdir(parents=True)
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    shutil.copy(USERTEST / "en-GB.presplit.md", folder / "en-GB.md")
    return folder


def restyle(target: Path) -> Path:
    """Save the Welsh DOCX with three paragraphs restyled, as Word would; return it."""
    document = docx.Document(str(USERTEST / "cy-good.docx"))
    by_text = {p.text: p for p in document.paragraphs}
    by_text["Cyn eich triniaeth"].style = document.styles["Heading 3"]
    by_text["Mewn argyfwng ffoniwch 999."].style = document.styles["Heading 2"]
    ppr = by_text["Bwydydd i\u2019w dewis"]._p.get_or_add_pPr()
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "2")
    ppr.append(level)
    document.save(str(target))
    return target


def test_a_restyled_heading_is_said_and_the_structure_kept(leaflet: Path, tmp_path: Path
                                                          ) -> None:
    edited = restyle(tmp_path / "cy-restyled.docx")
    report = import_docx(edited, "cy", leaflet)
    restyled = [w.removeprefix(f"{edited}: ") for w in report.warnings if "in the DOCX" in w]
    assert restyled == [
        "paragraph 3 (before-your-treatment, 'Cyn eich triniaeth'): its style was changed to "
        "Heading 3 in the DOCX; it is imported as a section heading (Heading 2), as in the "
        "source",
        "paragraph 8 (foods-to-choose, 'Bwydydd i\u2019w dewis'): was given outline level 3 "
        "in the DOCX; it is imported as a section heading (Heading 2), as in the source",
        "paragraph 24 (getting-help.3, 'Mewn argyfwng ffoniwch 999.'): its style was changed "
        "to Heading 2 in the DOCX; it is imported as a paragraph (Normal), as in the source",
    ]
    welsh = load_leaflet(leaflet, "cy")
    english = load_leaflet(leaflet, "en-GB")
    assert [s.id for s in welsh.sections] == [s.id for s in english.sections]
    assert welsh.sections[0].title == "Cyn eich triniaeth"
    helping = next(s for s in welsh.sections if s.id == "getting-help")
    assert [type(b) for b in helping.blocks] == [type(b) for b in next(
        s for s in english.sections if s.id == "getting-help").blocks]
    assert isinstance(helping.blocks[2], Paragraph)
    text = (leaflet / "cy.md").read_text(encoding="utf-8")
    assert "\n## Cyn eich triniaeth\n" in text and "\n### " not in text


def test_the_command_line_says_it_as_a_warning(leaflet: Path, tmp_path: Path) -> None:
    edited = restyle(tmp_path / "cy-restyled.docx")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["import-docx", str(edited), "--lang", "cy", "--leaflet", str(leaflet)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("in the DOCX; it is imported as") == 3
    assert f"WARNING: {edited}: paragraph 3 (before-your-treatment" in result.stderr


def test_an_untouched_docx_says_nothing_of_styles(leaflet: Path) -> None:
    report = import_docx(USERTEST / "cy-good.docx", "cy", leaflet)
    assert not [w for w in report.warnings if "in the DOCX" in w]


# The fixed headings (Helpline, References): their words are the catalogue's -----------------


@pytest.fixture(scope="module")
def seed_cy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the seed's English DOCX pseudo-translated, every run outside the facts."""
    tmp = tmp_path_factory.mktemp("seed")
    english = build_docx(load_leaflet(SEED, "en-GB"), tmp / "en")
    return translate_docx(english, tmp / "cy.docx", pseudo)


def _fixed_heading(document: Any, words: str) -> Any:
    """Return the Heading 2 paragraph whose English words were ``words``."""
    return next(p for p in document.paragraphs
                if p.style.name == "Heading 2" and p.text == pseudo(words))


@pytest.mark.parametrize(("words", "number"), [("Helpline", 2), ("References", 43)])
def test_a_fixed_heading_made_normal_is_named_as_such(
    seed_cy: Path, leaflet_dir: Path, tmp_path: Path, words: str, number: int
) -> None:
    """Session 36: the References heading made Normal gave six "belongs to no part of the
    source (typed in, or split … with Enter?)", one for it and one for each reference."""
    document = docx.Document(str(seed_cy))
    _fixed_heading(document, words).style = document.styles["Normal"]
    edited = tmp_path / "restyled.docx"
    document.save(str(edited))
    with pytest.raises(ImportDocxError) as caught:
        import_docx(edited, "cy", leaflet_dir)
    assert str(caught.value) == (
        f"{edited}: paragraph {number} ({pseudo(words)!r}): stands where a fixed heading goes "
        "(Helpline, Contacts or References) but is not a Heading 2 (its style: normal); give "
        "it the style Heading 2 again (its words are the catalogue's, and not imported)")
    assert not (leaflet_dir / "cy.md").exists()


def test_a_paragraph_typed_under_a_fixed_heading_is_still_a_stray(
    seed_cy: Path, leaflet_dir: Path, tmp_path: Path
) -> None:
    document = docx.Document(str(seed_cy))
    heading = _fixed_heading(document, "Helpline")
    typed = copy.deepcopy(heading._p)
    heading._p.addnext(typed)
    extra = DocxParagraph(typed, heading._parent)
    extra.style = document.styles["Normal"]
    extra.runs[0].text = "Typed in."
    edited = tmp_path / "typed.docx"
    document.save(str(edited))
    with pytest.raises(ImportDocxError) as caught:
        import_docx(edited, "cy", leaflet_dir)
    said = str(caught.value)
    assert f"{edited}: paragraph 3 ('Typed in.'): belongs to no part of the source" in said
    assert "stands where a fixed heading goes" not in said
