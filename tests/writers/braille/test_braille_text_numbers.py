"""The braille user test's findings, read back from real BRFs (liblouis, no fakes): a link's
address, the text's numbers in Welsh braille, Welsh phone numbers and lines kept whole.

The leaflet is the user test's own (``tests/data/braille-numbers``: English and Welsh).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.check.braille import reading, text_blocks, text_lines
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA
from tests.writers.braille.helpers import brf_file, brf_pages, build_braille, checked

LEAFLET = "braille-numbers"
OPTIONS = BuildOptions(out=Path("output"), jobs=1, today=BEFORE_DUE, templates=None)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the user test's leaflet in English and Welsh braille; return the output."""
    tmp = tmp_path_factory.mktemp("braille-numbers")
    folder = Path(shutil.copytree(DATA / LEAFLET, tmp / LEAFLET))
    return build_braille(folder, dataclasses.replace(OPTIONS, out=tmp / "output",
                                                     cache_dir=tmp / "cache"))


def lines(out: Path, lang: str) -> list[str]:
    """Return every line of the BRF, in Braille ASCII."""
    return [line for page in brf_pages(brf_file(out, LEAFLET, lang)) for line in page]


def read(out: Path, lang: str, table: str) -> list[str]:
    """Return the BRF's blocks read back with ``table``, whitespace folded."""
    return [" ".join(reading(block, table).split()) for block in text_blocks(
        text_lines(brf_pages(brf_file(out, LEAFLET, lang))))]


@pytest.mark.parametrize(("lang", "words"), [("en-GB", "NHS website"),
                                             ("cy", "wefan y GIG")])
def test_a_links_address_follows_its_words_uncontracted(out: Path, lang: str,
                                                        words: str) -> None:
    # The print gives "NHS website (www.nhs.uk/conditions/chemotherapy)."; so must braille,
    # the address letter for letter (UEB grade 1), as a contact's address is written.
    address = "www.nhs.uk/conditions/chemotherapy"
    found = [n for n, b in enumerate(read(out, lang, "en-ueb-g1.ctb")) if f"({address})" in b]
    tables = brf.tables_for(lang)
    assert tables is not None
    said = [n for n, b in enumerate(read(out, lang, tables.main)) if words.lower() in b.lower()]
    assert found == said and len(said) == 1, (found, said)  # in the link's own paragraph
    ueb = brf.to_ascii(brf.translate(address, "en-ueb-g1.ctb", [True] * len(address))[0])
    joined = "".join(line.strip().removesuffix('"') for line in lines(out, lang))
    assert ueb.replace("_/", "") in joined.replace("_/", ""), joined


def test_check_passes_the_built_braille(out: Path) -> None:
    assert checked(out, allow_edited=False).errors == []
