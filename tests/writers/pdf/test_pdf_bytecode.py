"""The page's templates are compiled once per user and kept; a changed template is compiled anew."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers.pdf import template
from tests.conftest import BEFORE_DUE, SEED
from tests.writers.pdf.test_pdf import extending, user_templates

RENDER = f"""
import json, sys
import jinja2
from pathlib import Path
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf.template import render_page
compiled = []
real = jinja2.Environment.compile
def compile(self, *args, **kwargs):
    compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
    return real(self, *args, **kwargs)
jinja2.Environment.compile = compile
leaflet = load_leaflet(Path({str(SEED)!r}), "en-GB")
html = render_page(leaflet, BuildOptions(out=Path("."), templates=None)).html
print(json.dumps({{"compiled": sorted(compiled), "html": html}}))
"""


def rendered(cache: Path) -> dict[str, object]:
    """Fill the seed's page in a fresh process, caching under ``cache``; say what it compiled."""
    out = subprocess.run([sys.executable, "-c", RENDER], check=True, capture_output=True,
                         text=True, env={**os.environ, "XDG_CACHE_HOME": str(cache)}).stdout
    found: dict[str, object] = json.loads(out.splitlines()[-1])
    return found


def kept(cache: Path) -> list[Path]:
    """Return the files kept under the cache's Jinja folder."""
    return sorted(p for p in (cache / "lmets-docs" / "jinja").rglob("*") if p.is_file())


def test_the_second_process_compiles_nothing_and_fills_the_same_page(tmp_path: Path) -> None:
    first = rendered(tmp_path)
    assert first["compiled"] == ["furniture.html", "leaflet.css", "leaflet.html"]
    assert len(kept(tmp_path)) == 3
    second = rendered(tmp_path)
    assert second == {"compiled": [], "html": first["html"]}


@pytest.mark.parametrize("damage", ["flipped", "empty"])
def test_a_damaged_file_is_compiled_again(tmp_path: Path, damage: str) -> None:
    first = rendered(tmp_path)
    path = kept(tmp_path)[0]
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]) if damage == "flipped" else b"")
    again = rendered(tmp_path)
    assert len(again["compiled"]) == 1 and again["html"] == first["html"]  # type: ignore[arg-type]
    assert path.read_bytes() == data


def test_a_cache_that_cannot_be_written_only_compiles(tmp_path: Path) -> None:
    (tmp_path / "lmets-docs").write_text("a file where the folder should be", encoding="utf-8")
    usual = rendered(tmp_path / "elsewhere")
    found = rendered(tmp_path)
    assert found["html"] == usual["html"] and len(found["compiled"]) == 3  # type: ignore[arg-type]


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the user's cache at the test's folder, with no environment kept from before."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template._environment.cache_clear()
    yield tmp_path / "cache"
    template._environment.cache_clear()


def test_a_changed_user_template_is_compiled_again_in_a_new_process(
        own_cache: Path, seed_leaflet: Leaflet, tmp_path: Path) -> None:
    templates = user_templates(tmp_path, extending("title_page_extra", "<p>First issue</p>"))
    options = BuildOptions(out=tmp_path, templates=templates, today=BEFORE_DUE)
    assert "First issue" in template.render_page(seed_leaflet, options).html
    assert len(kept(own_cache)) == 4  # the user's page too
    page = templates / "pdf" / "leaflet.html"
    page.write_text(extending("title_page_extra", "<p>Second issue</p>"), encoding="utf-8")
    template._environment.cache_clear()  # as a new process would
    second = template.render_page(seed_leaflet, options).html
    assert "Second issue" in second and "First issue" not in second


def test_a_failed_write_leaves_no_file_behind(own_cache: Path, seed_leaflet: Leaflet,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    options = BuildOptions(out=own_cache, templates=None, today=BEFORE_DUE)
    assert "<h1>" in template.render_page(seed_leaflet, options).html
    folder = own_cache / "lmets-docs" / "jinja"
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_another_jinja_keeps_its_code_apart(own_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    place = template.KeptBytecode().place
    assert place is not None and place.parent == own_cache / "lmets-docs" / "jinja"
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    assert template.KeptBytecode().place not in (place, None)
