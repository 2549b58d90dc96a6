"""English leaflets are untouched by the Welsh, Urdu and Arabic fixed words and isolation.

The page WeasyPrint prints (the filled template, HTML and CSS) of three English leaflets is
compared with golden files made by main's code before these changes (stop 25, main 0389a1e),
then accepted again after the footer lane's CSS (addresses and long hours that do not fit are
set again; a blank line of the style sheet lost), once every output of the seed and the PDFs
of five English fixtures, large and giant, were shown byte-identical to 0389a1e's (42 files);
and again without the ids of the text's paragraphs, list items, bulleted lists and figures
(``template.unanchored``: the pages' pixels, text, tag tree, links and bookmarks of 48 PDFs
shown the same, only those ids' named destinations gone). The DOCX and the narration have
their own golden files (``test_golden.py``). A change meant for English is accepted with
``LMETS_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import DATA, SEED
from tests.golden import assert_golden

TODAY = dt.date(2026, 1, 5)
LEAFLETS = {"seed": SEED, "glossary": DATA / "glossary",
            "clinic-contacts": DATA / "clinic-contacts"}
PROFILES: tuple[Profile, ...] = ("large", "giant")
PACKAGES = re.compile(r'url\("file://[^"]*/site-packages/')
"""Where a font package is installed (the checkout's own .venv): not part of the page."""


def normalised_page(html: str) -> str:
    """Return the page with each font package's location (the checkout's ``.venv``, anywhere)
    replaced by ``SITE-PACKAGES/``: the package and file name stay, and are compared."""
    return PACKAGES.sub('url("file://SITE-PACKAGES/', html)


@pytest.mark.parametrize("name", list(LEAFLETS))
@pytest.mark.parametrize("profile", PROFILES)
def test_the_english_page_is_byte_for_byte_mains(
        name: str, profile: Profile, tmp_path: Path) -> None:
    leaflet = load_leaflet(LEAFLETS[name], "en-GB")
    options = BuildOptions(out=tmp_path, today=TODAY, templates=None, profile=profile)
    page = normalised_page(render_page(leaflet, options).html)
    assert "/.venv/" not in page
    assert_golden(f"english-page/{name}-{profile}.html", page)
