"""The build that finds a PDF layout warning says it, once (finding M2 of the fresh-eyes test).

It used to be said only by the next, up-to-date build, which repeats the manifest's warnings.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run

TALL = ('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="760">'
        '<rect width="640" height="760" fill="#ddd"/></svg>')
EMPTY = "empty (large print: at most about a third); a picture or box too tall to share a page?"


def test_a_half_empty_page_is_said_by_the_build_that_finds_it(leaflet_dir: Path, tmp_path: Path
                                                              ) -> None:
    (leaflet_dir / "tall.svg").write_text(TALL, encoding="utf-8")
    yaml = leaflet_dir / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("file: null", "file: tall.svg"),
                    encoding="utf-8")
    args = ["build", str(leaflet_dir), "--format", "pdf", "--out", str(tmp_path / "out"),
            "--templates", str(tmp_path / "none"), "--today", "2022-06-01"]
    first = run(*args)
    assert first.exit_code == 0, first.stderr
    assert "1 written" in first.output
    manifest = json.loads(next((tmp_path / "out").rglob("manifest.json")).read_text("utf-8"))
    [found] = [w for w in manifest["warnings"] if EMPTY in w]
    assert first.stderr.count(found) == 1, first.stderr
    again = run(*args)
    assert "0 written, 1 up to date" in again.output
    assert again.stderr.count(found) == 1
