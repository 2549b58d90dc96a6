"""The built-in template keeps major sections off the foot of a page in one WeasyPrint layout.

Read back from the PDF: where each section's heading stands on its page (pdfplumber), and the
structure tree (pikepdf); the layouts are counted on the real WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
import weasyprint

from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import WRITER
from tests.conftest import BEFORE_DUE, DATA

GLOSSARY = DATA / "glossary"
MM = 72 / 25.4


def heading_tops(path: Path, titles: list[str]) -> dict[str, tuple[int, float]]:
    """Return, for each heading text, the page (from 1) and its glyphs' top in points."""
    found = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for line in page.extract_text_lines():
                if line["text"].strip() in titles:
                    found[line["text"].strip()] = (number, float(line["top"]))
    return found


def first_kids(pdf: pikepdf.Pdf) -> list[str]:
    """Return the role of each section's first child element, in document order."""
    roles = []

    def visit(node: Any) -> None:
        children = node.get("/K")
        children = list(children) if isinstance(children, pikepdf.Array) else [children]
        elements = [k for k in children if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        if str(node.get("/S")) == "/Sect" and elements:
            roles.append(str(elements[0].S))
        for element in elements:
            visit(element)

    visit(pdf.Root.StructTreeRoot)
    return roles


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_no_section_starts_in_a_page_bottom_fifth_after_one_layout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: Profile) -> None:
    layouts = []
    real = weasyprint.HTML.render

    def counted(self: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
        layouts.append(kwargs.get("stylesheets"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    leaflet = load_leaflet(GLOSSARY, "en-GB")
    options = BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE, profile=profile)
    result = WRITER.write(leaflet, tmp_path, options)
    # Without the template's rule, this leaflet has sections pushed and laid out again.
    assert len(layouts) == 1
    assert result.details["sections_on_new_page"] == []
    path = tmp_path / result.files["pdf"]
    titles = [s.title for s in leaflet.sections] + ["Glossary", "References",
                                                     "About this information"]
    tops = heading_tops(path, titles)
    assert set(tops) == set(titles)
    sizes = PRINT_PROFILES[profile]
    top, bottom = (22 + sizes.min_pt * 0.5) * MM, 297 * MM - (25 + sizes.min_pt * 0.92) * MM
    # A glyph's top stands below its line's top by up to the heading's leading (line height
    # 1.25): the layout's rule is on the line.
    leading = 0.25 * sizes.h2_pt
    late = {t: p for t, (p, y) in tops.items() if y - leading > top + 0.8 * (bottom - top)}
    assert late == {}
    with pikepdf.open(path) as pdf:  # the empty box before each heading leaves no tag
        assert first_kids(pdf) == ["/H2"] * len(titles)


def test_a_late_section_is_moved_to_the_next_page(tmp_path: Path) -> None:
    leaflet = load_leaflet(GLOSSARY, "en-GB")
    options = BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE, profile="large")
    result = WRITER.write(leaflet, tmp_path, options)
    tops = heading_tops(tmp_path / result.files["pdf"], ["What is a daily planner?",
                                                          "Try it today!"])
    # The first section ends high on page 1, and the next would start in its bottom fifth.
    assert tops["What is a daily planner?"][0] == 1
    assert tops["Try it today!"][0] == 2
