"""A picture's description reaches a screen reader once, read from Chromium's accessibility tree.

The web page (and the EPUB, from the same markup) prints the description under the picture
for sighted readers and gives it to the picture as its alternative text; the caption that
repeats it is hidden from assistive technology, so the description is announced once, as the
picture's name, inside a figure. Chromium (Debian's, through puppeteer-core) reports what a
screen reader is told: ``tests/js/a11y_tree.mjs``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from lmets_docs.build import build
from lmets_docs.model import Figure
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from tests.conftest import DATA, ROOT
from tests.node import run_node


def nodes(tree: dict[str, Any], parents: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Yield every node of the tree as (its ancestors' roles…, its role, its name)."""
    yield (*parents, str(tree.get("role", "")), str(tree.get("name", "")))
    for child in tree.get("children", []):
        yield from nodes(child, (*parents, str(tree.get("role", ""))))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal leaflet's web page (with its picture); return the page."""
    tmp = tmp_path_factory.mktemp("figure")
    build([DATA / "minimal"], BuildOptions(
        out=tmp / "out", tts="espeak", jobs=2, today=dt.date(2026, 1, 5), templates=None,
        cache_dir=tmp / "cache", formats=("html",)))
    return tmp / "out" / "minimal-leaflet" / "en-GB" / "html" / "index.html"


def description() -> str:
    leaflet = load_leaflet(DATA / "minimal", "en-GB")
    return next(b.alt for b in leaflet.all_blocks() if isinstance(b, Figure))


def test_sighted_readers_see_the_description_under_the_picture(page: Path) -> None:
    figure = html.parse(str(page)).find(".//figure")
    assert [e.tag for e in figure] == ["img", "figcaption"]
    assert figure.find("figcaption").text_content() == description()


def test_a_screen_reader_is_told_the_description_once_as_the_pictures_name(
    page: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "tree.json"
    run_node([ROOT / "tests" / "js" / "a11y_tree.mjs", page, tree], timeout=300, cwd=ROOT)
    told = [n for n in nodes(json.loads(tree.read_text(encoding="utf-8")))
            if n[-1] == description() and n[-2] != "InlineTextBox"]
    assert [n[-3:] for n in told] == [("figure", "image", description())]
