"""A translation gives the same Markdown by the DOCX route and by the XLIFF route.

The DOCX writer prints a glossary term's first use in bold, inside a link to its entry; that
bold is the writer's mark, not the author's, so ``import-docx`` must not write it into the
Markdown (``**[term](glossary:)**``), which the XLIFF route, made from the source, never
does. The seed leaflet with a defined term, a bold phrase, a link and a fact is translated
both ways with the same pseudo-translation (python-docx-free run edits; translate-toolkit).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs.importer import import_docx
from lmets_docs.importer.markdown import escape
from lmets_docs.source import load_leaflet
from lmets_docs.xliff import export_xliff, import_xliff
from tests.docx_edit import pseudo, translate_docx
from tests.importer.test_import_docx import build_docx
from tests.xliff.test_xliff import tool_translate


@pytest.fixture
def rich_dir(leaflet_dir: Path) -> Path:
    """Return the seed leaflet with a paragraph of bold, a link, a defined term and a fact."""
    english = leaflet_dir / "en-GB.md"
    text = english.read_text(encoding="utf-8")
    added = ("Ask **your nurse** about [this page](https://example.org/a) or a "
             "[lumbar puncture](glossary:), or call {{ contacts.helpline.phone }}.\n\n")
    text = text.replace("\n## ", f"\n{added}## ", 1)
    text = text.replace("\n---\n", "\nglossary:\n  lumbar puncture: A test of the fluid "
                        "around the spine.\n---\n", 1)
    english.write_text(text, encoding="utf-8")
    return leaflet_dir


def body(markdown: Path) -> str:
    """Return a language file's text after its front matter."""
    return markdown.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_both_routes_write_the_same_markdown(rich_dir: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(rich_dir, tmp_path / "other" / rich_dir.name))
    docx = build_docx(load_leaflet(rich_dir, "en-GB"), tmp_path / "en")
    by_docx = import_docx(translate_docx(docx, tmp_path / "cy.docx", pseudo), "cy", rich_dir)
    xliff = export_xliff(other, "cy", tmp_path / "cy.xlf").path
    by_xliff = import_xliff(tool_translate(xliff, tmp_path / "cy-done.xlf"), other)
    text = body(by_docx.path)
    term = f"[{escape(pseudo('lumbar puncture'))}](glossary:)"
    assert f" {term}" in text and f"{term}*" not in text
    assert f"**{escape(pseudo('your nurse'))}**" in text  # the author's bold is kept
    assert body(by_docx.path) == body(by_xliff.path)
