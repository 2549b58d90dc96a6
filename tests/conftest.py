"""Shared fixtures: the seed leaflet, copies of it to break, and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import shutil
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
