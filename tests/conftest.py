"""Shared fixtures: the seed leaflet, copies of it to break, and a fixed 'today'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import shutil
import signal
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _logging_as_python_made_it() -> Iterator[None]:
    """Undo what a command-line run set on the ``lmets_docs`` logger (its handler, level and
    ``propagate``), so that no test's logging depends on which tests ran before it."""
    logger = logging.getLogger("lmets_docs")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
    logger.propagate = propagate


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


# The web formats (tests/writers/test_web.py, tests/writers/test_web_checkers.py) ---------------

@dataclass(frozen=True)
class WebBuilds:
    """The web page and EPUB of the seed, the clinic (en-GB, cy, ur), glossary, a picture."""

    out: Path

    def folder(self, leaflet: str, lang: str) -> Path:
        """Return a built language folder."""
        return self.out / leaflet / lang

    def file(self, leaflet: str, lang: str, fmt: str, role: str) -> Path:
        """Return one built file by its format and role in the manifest."""
        from lmets_docs.manifest import read_manifest  # noqa: PLC0415

        entry = read_manifest(self.folder(leaflet, lang)).artifacts[fmt]
        return self.folder(leaflet, lang) / entry.files[role]


WEB_CASES = [("leptomeningeal-metastases", "en-GB"), ("clinic-contacts", "en-GB"),
             ("clinic-contacts", "cy"), ("clinic-contacts", "ur"), ("glossary-leaflet", "en-GB"),
             ("minimal-leaflet", "en-GB")]
WEB_TODAY = dt.date(2026, 1, 5)
"""A day on which the clinic's and the glossary's leaflets are not due for review."""


@pytest.fixture(scope="session")
def web_builds(tmp_path_factory: pytest.TempPathFactory) -> WebBuilds:
    """Build the web page and the EPUB (and so the narration) of every ``WEB_CASES`` leaflet."""
    from lmets_docs.build import build  # noqa: PLC0415

    root = tmp_path_factory.mktemp("web")
    options = BuildOptions(out=root / "output", tts="espeak", jobs=2, today=BEFORE_DUE,
                           templates=None, cache_dir=root / "cache", formats=("html", "epub"))
    build([SEED], options)
    build([DATA / "clinic-contacts", DATA / "glossary", DATA / "minimal"],
          dataclasses.replace(options, today=WEB_TODAY))
    return WebBuilds(root / "output")


def pytest_configure(config: pytest.Config) -> None:
    """Run the tests as from a terminal: Ctrl-C (SIGINT) not ignored.

    A test suite started in the background by a script (``scripts/test &``, nohup) inherits
    SIGINT ignored, and so would every build and watch a test starts; those honour it as a
    build started that way must (they go on through a Ctrl-C), and the tests that stop them
    with a Ctrl-C would wait for ever. Python's own handler here is reset to the default in
    each child (``exec``); the tests of an ignored SIGINT set it in the child themselves.
    """
    del config
    signal.signal(signal.SIGINT, signal.default_int_handler)


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run the command line in-process; return exit status, stdout and stderr (the package's
    logger as it was before: the command line sets its handlers)."""
    from click.testing import CliRunner  # noqa: PLC0415

    from lmets_docs.cli import cli  # noqa: PLC0415

    logger = logging.getLogger("lmets_docs")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        result = CliRunner(mix_stderr=False).invoke(cli, args)
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved
    return result.exit_code, result.stdout, result.stderr
