"""Each contact in the contacts box is reachable on its own by a screen reader.

The braille user test's finding 6: the web page's contacts box was one region of paragraphs,
each contact's name a bold paragraph, so NVDA's H, L and I did not move from the triage line
to the next contact. The web page and the EPUB now give the contacts as a list, each item a
contact whose name is a heading (``h3``, under the box's ``h2``). Proved from Chromium's
accessibility tree (``tests/js/a11y_tree.mjs``: what a screen reader is told), of the web
page and of the EPUB's closing document, in English and Urdu. (axe-core and EPUBCheck on the
same builds: ``tests/writers/test_web_checkers.py``.) An email or web address is isolated left
to right in a ``bdi`` of the class ``address`` (it was ``phone``), which ``check`` holds to
left to right as it does a number.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, ROOT
from tests.node import run_node

CLINIC = DATA / "clinic-contacts"
NAMES = {
    "en-GB": ["Chemotherapy triage line", "Cancer information line", "Ward 7"],
    "ur": ["کیموتھراپی ٹرائج لائن", "کینسر معلوماتی لائن", "وارڈ 7"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the clinic's web page and EPUB (3 contacts) in English and Urdu."""
    tmp = tmp_path_factory.mktemp("contacts-a11y")
    build([CLINIC], BuildOptions(out=tmp / "out", tts="espeak", jobs=1,
                                 today=dt.date(2026, 1, 5), templates=None,
                                 cache_dir=tmp / "cache", formats=("html", "epub"),
                                 check=False))
    return tmp / "out" / "clinic-contacts"


def tree_of(page: Path, tmp_path: Path) -> dict[str, Any]:
    """Return Chromium's accessibility tree of a page (puppeteer-core)."""
    tree = tmp_path / f"{page.stem}-tree.json"
    run_node([ROOT / "tests" / "js" / "a11y_tree.mjs", page, tree], timeout=300, cwd=ROOT)
    result: dict[str, Any] = json.loads(tree.read_text(encoding="utf-8"))
    return result


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield a node and every node under it, in document order."""
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def contacts_box(tree: dict[str, Any], region: str) -> dict[str, Any]:
    """Return the node of the contacts box: the region (or section) of that name."""
    return next(n for n in walk(tree) if n.get("name") == region
                and n.get("role") in {"region", "generic", "section"})


def contacts_told(box: dict[str, Any]) -> list[tuple[int, str]]:
    """Return, for the one list in the box, each item's heading (level, name)."""
    (contact_list,) = [n for n in walk(box) if n.get("role") == "list"]
    items = [n for n in contact_list.get("children", []) if n.get("role") == "listitem"]
    told = []
    for item in items:
        (heading,) = [n for n in walk(item) if n.get("role") == "heading"]
        told.append((int(heading["level"]), str(heading["name"])))
    return told


@pytest.mark.parametrize("lang", NAMES)
def test_the_web_pages_contacts_are_a_list_of_headed_contacts(
        built: Path, tmp_path: Path, lang: str) -> None:
    page = built / lang / "html" / "index.html"
    tree = tree_of(page, tmp_path)
    box = contacts_box(tree, "Contacts and review dates" if lang == "en-GB"
                       else str(_region_name(page)))
    assert contacts_told(box) == [(3, name) for name in NAMES[lang]]
    headings = [(n["level"], n["name"]) for n in walk(tree) if n.get("role") == "heading"]
    assert [level for level, _ in headings].count(1) == 1
    # every contact heading sits under the box's h2, before the next h2
    at = headings.index((3, NAMES[lang][0]))
    assert headings[at - 1][0] == 2 and headings[at:at + 3] == [
        (3, name) for name in NAMES[lang]]


@pytest.mark.parametrize("lang", NAMES)
def test_the_epubs_contacts_are_the_same_list(built: Path, tmp_path: Path, lang: str) -> None:
    entry = read_manifest(built / lang).artifacts["epub"]
    book = built / lang / entry.files["book"]
    with zipfile.ZipFile(book) as epub:
        name = max(n for n in epub.namelist() if n.endswith(".xhtml") and "/c" in n)
        (tmp_path / "book").mkdir()
        closing = Path(epub.extract(name, tmp_path / "book"))
        for other in epub.namelist():
            if other.endswith(".css"):
                epub.extract(other, tmp_path / "book")
    tree = tree_of(closing, tmp_path)
    (box,) = [n for n in walk(tree) if n.get("role") in {"region", "section", "generic"}
              and any(c.get("role") == "list" for c in n.get("children", []))]
    assert contacts_told(box) == [(3, name) for name in NAMES[lang]]


def _region_name(page: Path) -> str:
    """Return the contacts box's heading as the page gives it (the language's words)."""
    root = lxml.html.parse(str(page)).getroot()
    return str(root.get_element_by_id("contacts-heading").text_content())


# --- the isolates' class names (the braille user test's finding 8) ----------------------------


@pytest.mark.parametrize("lang", NAMES)
def test_phones_are_in_phone_isolates_and_addresses_in_address_isolates(
        built: Path, lang: str) -> None:
    root = lxml.html.parse(str(built / lang / "html" / "index.html")).getroot()
    kinds = {}
    for bdi in root.iter("bdi"):
        link = bdi.find("a")
        if link is not None and bdi.get("class"):
            kinds[link.get("href")] = (bdi.get("class"), bdi.get("dir"))
    phones = {href: kind for href, kind in kinds.items() if href.startswith("tel:")}
    addresses = {href: kind for href, kind in kinds.items() if not href.startswith("tel:")}
    assert phones and set(phones.values()) == {("phone", "ltr")}
    assert {h.split(":")[0] for h in addresses} == {"mailto", "https"}
    assert set(addresses.values()) == {("address", "ltr")}


def test_check_finds_an_address_set_right_to_left(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ur"
    shutil.copytree(built / "ur", folder)
    page = folder / "html" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<bdi class="address" dir="ltr">',
                                 '<bdi class="address" dir="rtl">', 1), encoding="utf-8")
    found = [f for f in check([folder], dt.date(2026, 1, 5), formats={"html"}).errors
             if f.code == "dir"]
    assert [f.message for f in found] == ["an email or web address is not set left to right"]
