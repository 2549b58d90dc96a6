"""The LibreOffice route: a DOCX opened and saved by LibreOffice (headless, the real program)
comes back with ``import-docx``, and its facts show as grey boxes there as they do in Word.

LibreOffice is slow to start, so every conversion of this module happens in two runs of
``soffice`` (one to DOCX, one to PDF), each with a private user profile so that parallel test
runs never share one. A translator's edits are made with python-docx, on the saved files.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.model import Leaflet
from lmets_docs.source import load_leaflet
from tests.conftest import SEED
from tests.docx_edit import W, edit_docx, pseudo
from tests.importer.test_import_docx import build_docx, comparable

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
"""LibreOffice is required (scripts/setup installs it): a missing one fails, never skips."""
DOCUMENT = "word/document.xml"
GREY_MAX = 0.95
"""The lightest fill that counts as a grey box (1 is white)."""


def soffice(files: list[Path], target: str, out: Path, profile: Path) -> list[Path]:
    """Convert ``files`` with LibreOffice in one run; return the converted files."""
    assert SOFFICE is not None, "LibreOffice is not installed: run scripts/setup"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    converted = [out / f"{path.stem}.{target}" for path in files]
    assert all(path.is_file() for path in converted), list(out.iterdir())
    return converted


def plain_text_controls(root: Any) -> None:
    """Make every fact control a plain-text one, as lmets-docs wrote them before (a number
    then had no ``tel:`` link in it: a plain-text control holds runs only)."""
    for props in root.iter(f"{W}sdtPr"):
        props.append(props.makeelement(f"{W}text"))
    for link in [h for h in root.iter(f"{W}hyperlink") if h.getparent().tag == f"{W}sdtContent"]:
        link.getparent().replace(link, link[0])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the built DOCX, LibreOffice's saves of it (rich and plain-text controls), and
    LibreOffice's PDF of it."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    built = build_docx(load_leaflet(SEED, "en-GB"), tmp / "built")
    plain = edit_docx(built, tmp / "plain.docx", {DOCUMENT: plain_text_controls})
    profile = tmp / "profile"
    saved, saved_plain = soffice([built, plain], "docx", tmp / "saved", profile)
    [pdf] = soffice([built], "pdf", tmp / "pdf", profile)
    return {"built": built, "saved": saved, "saved_plain": saved_plain, "pdf": pdf}


def translate_with_python_docx(source: Path, target: Path,
                               fact_edit: Callable[[Any], None] | None = None) -> Path:
    """Translate every run outside the fact controls, as a translator's edits would."""
    document = docx.Document(str(source))
    for paragraph in document.paragraphs:
        for item in paragraph.iter_inner_content():
            for run in getattr(item, "runs", [item]):
                if run.text.strip():
                    run.text = pseudo(run.text)
    if fact_edit is not None:
        fact_edit(document.element.body)
    document.save(str(target))
    return target


def controls(root: Any) -> list[Any]:
    """Return every content control under an element."""
    return list(root.iter(f"{W}sdt"))


def control_text(sdt: Any) -> str:
    """Return the text a content control shows."""
    return "".join(t.text or "" for t in sdt.iter(f"{W}t"))


# What LibreOffice does to the controls -----------------------------------------------------


def test_libreoffice_drops_the_fact_tags(made: dict[str, Path]) -> None:
    for name in ("saved", "saved_plain"):
        body = docx.Document(str(made[name])).element.body
        assert controls(body), name
        assert not body.xpath(".//w:sdtPr/w:tag"), name
    aliases = docx.Document(str(made["saved_plain"])).element.body.xpath(".//w:sdtPr/w:alias")
    # the forum's printed address is in a control of its own (its link's, not a fact)
    assert aliases and all(a.get(f"{W}val").startswith(("Fact: ", "Link address: "))
                           for a in aliases)


# The round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("saved", ["saved", "saved_plain"])
def test_a_docx_saved_by_libreoffice_imports_as_the_original_would(
    saved: str, made: dict[str, Path], leaflet_dir: Path, tmp_path: Path, seed_leaflet: Leaflet
) -> None:
    original = translate_with_python_docx(made["built"], tmp_path / "original.docx")
    via_libreoffice = translate_with_python_docx(made[saved], tmp_path / "libreoffice.docx")
    import_docx(original, "cy", leaflet_dir)
    want = load_leaflet(leaflet_dir, "cy")
    (leaflet_dir / "cy.md").unlink()
    report = import_docx(via_libreoffice, "cy", leaflet_dir)
    got = load_leaflet(leaflet_dir, "cy")
    assert comparable(got) == comparable(want)
    assert got.title == pseudo(seed_leaflet.title)
    text = report.path.read_text(encoding="utf-8")
    assert text.count("{{ ") == (leaflet_dir / "en-GB.md").read_text(encoding="utf-8").count("{{ ")


def _retype_first_fact(body: Any) -> None:
    # The first in the leaflet's text (a paragraph with its unit's bookmark), not the helpline
    # box's under the title: an import takes nothing from the box.
    sdt = next(s for s in controls(body) if any(ch.isdigit() for ch in control_text(s))
               and next(s.iterancestors(f"{W}p")).find(f".//{W}bookmarkStart") is not None)
    first = next(t for t in sdt.iter(f"{W}t") if t.text)
    first.text = first.text[:-1] + ("1" if first.text[-1] != "1" else "2")


@pytest.mark.parametrize(("saved", "message"), [
    # LibreOffice's rich-text control keeps neither tag nor alias: the box is named by its text
    ("saved", r"the fact \{\{ contacts\.helpline\.phone \}\} is missing \(a box here reads "
              r"'0808 800 4041': was it changed\?\); the source has it"),
    ("saved_plain", "was changed: the DOCX has"),
])
def test_a_fact_changed_after_libreoffice_is_still_refused(
    saved: str, message: str, made: dict[str, Path], leaflet_dir: Path, tmp_path: Path
) -> None:
    edited = translate_with_python_docx(made[saved], tmp_path / "edited.docx", _retype_first_fact)
    with pytest.raises(ImportDocxError, match=message):
        import_docx(edited, "cy", leaflet_dir)
    assert not (leaflet_dir / "cy.md").exists()


# How the facts look ----------------------------------------------------------------------------


def test_facts_are_bold_on_a_grey_box_in_libreoffice(made: dict[str, Path]) -> None:
    body = docx.Document(str(made["built"])).element.body
    facts = {control_text(sdt) for sdt in controls(body)
             if sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val").startswith("fact:")}  # not a link's
    seen: set[str] = set()
    with pdfplumber.open(made["pdf"]) as pdf:
        for page in pdf.pages:
            boxes = [r for r in page.rects if _grey(r.get("non_stroking_color"))]
            for fact in facts:
                for found in page.search(fact, regex=False):
                    assert any(_covers(box, found) for box in boxes), (page.page_number, fact)
                    chars = found["chars"]
                    assert all("Bold" in ch["fontname"] for ch in chars), (fact, chars[0])
                    seen.add(fact)
    assert seen == facts


def _grey(color: Any) -> bool:
    values = color if isinstance(color, (list, tuple)) else (color,)
    return bool(values) and all(isinstance(v, (int, float)) and v < GREY_MAX for v in values) \
        and max(values) - min(values) < 0.02 and min(values) > 0.5


def _covers(box: dict[str, Any], found: dict[str, Any]) -> bool:
    middle = (found["top"] + found["bottom"]) / 2
    return bool(box["x0"] <= found["x0"] + 1 and box["x1"] >= found["x1"] - 1
                and box["top"] <= middle <= box["bottom"])

