"""The DOCX writer's styles by name (``styles._ByName``): python-docx's own, each read once."""

from __future__ import annotations

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from lmets_docs.writers.docx.styles import _ByName


def test_each_name_finds_the_style_python_docx_finds() -> None:
    styles = docx.Document().styles
    named = _ByName(styles)
    names = [style.name for style in styles if style.name is not None]
    assert len(names) > 100 and "Heading 1" in names  # Word's template, by its UI names
    for name in names:
        assert named[name].element is styles[name].element
    with pytest.raises(KeyError):
        named["No such style"]


def test_a_new_style_is_the_one_add_style_makes_and_a_second_of_a_name_is_refused() -> None:
    ours, theirs = docx.Document(), docx.Document()
    named = _ByName(ours.styles)
    made = named.add("Helpline box", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    added = theirs.styles.add_style("Helpline box", WD_STYLE_TYPE.PARAGRAPH)
    added.base_style = theirs.styles["Normal"]
    assert made.element.xml == added.element.xml
    assert named["Helpline box"].element is ours.styles["Helpline box"].element
    for name in ("Helpline box", "Normal", "Heading 1"):  # as add_style refuses them
        with pytest.raises(ValueError, match="already contains style"):
            named.add(name, WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
        with pytest.raises(ValueError, match="already contains style"):
            ours.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
