"""Golden braille: the minimal leaflet (English) and the switchboard (Welsh, Arabic) as BRF.

A change of layout, of a table or of liblouis shows here as a diff of Braille ASCII, which a
braille transcriber can read. ``LMETS_UPDATE_GOLDEN=1 .venv/bin/pytest
tests/writers/braille/test_braille_golden.py`` writes them afresh (review with git diff).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.braille import brf_text, tables_of, transcribe
from tests.conftest import BEFORE_DUE, DATA
from tests.golden import assert_golden


@pytest.mark.parametrize(("fixture", "lang"), [("minimal", "en-GB"), ("switchboard", "cy"),
                                               ("switchboard", "ar")])
def test_golden_brf(fixture: str, lang: str) -> None:
    leaflet = load_leaflet(DATA / fixture, lang)
    options = BuildOptions(templates=None, today=BEFORE_DUE)
    text = brf_text(transcribe(leaflet, options, tables_of(leaflet)))
    assert_golden(f"braille/{fixture}-{lang}.brf", text.replace("\r\n", "\n"))


def test_the_golden_files_are_braille_ascii() -> None:
    for path in sorted((Path(__file__).resolve().parents[2] / "golden" / "braille").iterdir()):
        assert set(path.read_text(encoding="ascii")) <= set(" \n\f" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "1234567890'@/\"^>,*<-.%[$+!&;:\\"
                                                            "(_?]#)="), path.name
