"""Shared fixtures: the seed leaflet, copies of it to break, and a fixed 'today'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
DATA = Path(__file__).resolve().parent / "data"
# A day before the seed leaflet's next review date, so builds are not overdue unless a test says.
BEFORE_DUE = dt.date(2022, 6, 1)


@pytest.fixture(scope="session")
def seed_leaflet() -> Leaflet:
    """Return the seed leaflet in English, loaded from content/."""
    return load_leaflet(SEED, "en-GB")


@pytest.fixture
def leaflet_dir(tmp_path: Path) -> Path:
    """Return a fresh copy of the seed leaflet folder that a test may edit."""
    target = tmp_path / "content" / "leptomeningeal-metastases"
    shutil.copytree(SEED, target)
    return target


@pytest.fixture
def options(tmp_path: Path) -> BuildOptions:
    """Return build options writing under the test's temporary folder, offline speech."""
    return BuildOptions(
        out=tmp_path / "output",
        tts="espeak",
        jobs=2,
        today=BEFORE_DUE,
        templates=None,
        cache_dir=tmp_path / "cache",
    )


# The web formats (tests/test_web.py, tests/test_web_checkers.py) ----------------------------

WELSH_SHORT = """---
title: Dyma frawddeg brawf
lang: cy
---

Mae'r dŵr yn oer.

{#chemotherapy}
## Mae'r tŷ yn fawr

Mae hi'n braf heddiw. Mae'r dŵr yn oer:

- Mae'r tŷ yn fawr
- Dyma frawddeg brawf

![Mae'r tŷ yn fawr](image:ventricular-access-device)

{#help-and-support}
## Dyma frawddeg brawf

{{ helpline.name }}: {{ helpline.phone }}, {{ helpline.hours }}.
"""
"""A Welsh file for the short leaflet, from the neutral sentences of data/sentences.yaml."""


@dataclass(frozen=True)
class WebBuilds:
    """The web page and EPUB of the seed (en-GB), a Welsh leaflet and the glossary (en-GB, ur)."""

    out: Path

    def folder(self, leaflet: str, lang: str) -> Path:
        """Return a built language folder."""
        return self.out / leaflet / lang

    def file(self, leaflet: str, lang: str, fmt: str, role: str) -> Path:
        """Return one built file by its format and role in the manifest."""
        from lmets_docs.manifest import read_manifest  # noqa: PLC0415

        entry = read_manifest(self.folder(leaflet, lang)).artifacts[fmt]
        return self.folder(leaflet, lang) / entry.files[role]


WEB_CASES = [("leptomeningeal-metastases", "en-GB"), ("short-leaflet", "cy"),
             ("glossary-leaflet", "en-GB"), ("glossary-leaflet", "ur")]


@pytest.fixture(scope="session")
def web_builds(tmp_path_factory: pytest.TempPathFactory) -> WebBuilds:
    """Build the web page and the EPUB (and so the narration) of every ``WEB_CASES`` leaflet."""
    from lmets_docs.build import build  # noqa: PLC0415

    root = tmp_path_factory.mktemp("web")
    welsh = root / "content" / "short-leaflet"
    shutil.copytree(DATA / "short-leaflet", welsh)
    (welsh / "cy.md").write_text(WELSH_SHORT, encoding="utf-8")
    options = BuildOptions(out=root / "output", tts="espeak", jobs=2, today=BEFORE_DUE,
                           templates=None, cache_dir=root / "cache", formats=("html", "epub"))
    build([SEED], dataclasses.replace(options, langs=("en-GB",)))
    build([welsh], dataclasses.replace(options, langs=("en-GB", "cy")))
    build([DATA / "glossary"], dataclasses.replace(options, today=dt.date(2026, 1, 5)))
    return WebBuilds(root / "output")
