"""Numbered lists in the source: CommonMark's ``1.`` and ``1)``, a start kept, one level only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs.errors import ContentError
from lmets_docs.model import BulletList, Leaflet
from lmets_docs.numbering import digits, label, numbering_system, spoken_label
from lmets_docs.source import load_leaflet
from tests.conftest import DATA

STEPS = DATA / "steps"


def lists(leaflet: Leaflet) -> list[tuple[str, int | None, int]]:
    """Return (id, start, number of items) of every list, in reading order."""
    return [(b.id, b.start, len(b.items)) for b in leaflet.all_blocks()
            if isinstance(b, BulletList)]


def test_ordered_lists_are_numbered_from_their_first_number() -> None:
    leaflet = load_leaflet(STEPS, "en-GB")
    assert lists(leaflet) == [("steps.2", None, 2), ("steps.4", 1, 3), ("more.1", 3, 2),
                              ("each-morning.2", 1, 14)]
    steps = leaflet.sections[0].blocks[3]
    assert isinstance(steps, BulletList) and steps.numbers() == (1, 2, 3)
    assert [item.id for item in steps.items] == ["steps.4.1", "steps.4.2", "steps.4.3"]


@pytest.mark.parametrize("lang", ["cy", "ar-EG"])
def test_a_translation_has_the_same_lists(lang: str) -> None:
    assert lists(load_leaflet(STEPS, lang)) == lists(load_leaflet(STEPS, "en-GB"))


def edited(tmp_path: Path, old: str, new: str) -> Path:
    """Return a copy of the steps leaflet with one edit to its English text."""
    folder = tmp_path / "steps"
    shutil.copytree(STEPS, folder)
    text = (folder / "en-GB.md").read_text(encoding="utf-8")
    assert old in text
    (folder / "en-GB.md").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("2. Put the thermometer", "   1. inside\n2. Put the thermometer", 18,
     "a list item must be one line of text (no nested lists"),
    ("2. Put the thermometer", "   - inside\n2. Put the thermometer", 18,
     "a list item must be one line of text (no nested lists"),
    ("3) Write down", "1000) Write down", 25, "a numbered list may start at 999 at most"),
])
def test_a_nested_or_huge_numbered_list_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    folder = edited(tmp_path, old, new)
    with pytest.raises(ContentError) as caught:
        load_leaflet(folder, "en-GB")
    assert f"en-GB.md:{line}: {message}" in str(caught.value)


def test_labels_are_written_in_the_languages_cldr_digits() -> None:
    """CLDR 49 (through babel) counts Arabic in Latin digits, Egyptian Arabic in
    Arabic-Indic ones and Urdu in India in extended Arabic-Indic ones."""
    assert [numbering_system(lang) for lang in ("en-GB", "cy", "ar", "ar-EG", "ur", "ur-IN")] \
        == ["latn", "latn", "latn", "arab", "latn", "arabext"]
    assert digits("ar-EG") == "٠١٢٣٤٥٦٧٨٩"
    assert [label(12, lang) for lang in ("en-GB", "ar-EG", "ur-IN")] == ["12.", "١٢.", "۱۲."]
    assert label(3, "xx-unknown") == "3."


def test_the_narration_says_each_label_in_the_languages_words() -> None:
    assert [spoken_label(3, lang) for lang in ("en-GB", "cy", "ar-EG")] == [
        "Three.", "Tri.", "ثلاثة."]
    assert spoken_label(3, "ur") == "3."  # no CLDR rules: the Urdu voice reads the digits
