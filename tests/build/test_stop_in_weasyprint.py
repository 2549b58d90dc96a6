"""SIGTERM stops a build whose PDF writer is inside WeasyPrint drawing an SVG.

WeasyPrint catches ``BaseException`` around an SVG's drawing, so the build's ``Stopped``
was logged as "Failed to render SVG image" and the print went on (user test
``ut-hostile.md`` 2: a build drawing a ``<use>`` bomb ignored SIGTERM). A picture WeasyPrint
leaves out is an error too: the PDF never silently misses a picture.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lmets_docs.errors import BuildError
from lmets_docs.model import Figure, Leaflet
from tests.conftest import BEFORE_DUE, DATA
from tests.writers.pdf.test_pdf import write

TIMEOUT_S = 120


SLOW_DRAWING = """
import runpy, sys, time
from pathlib import Path
import weasyprint.svg
real = weasyprint.svg.SVG.draw
def slow(self, *args, **kwargs):
    Path(MARK).touch()
    for _ in range(600):  # a minute of drawing, as a <use> bomb's: Python code all along
        time.sleep(0.1)
    return real(self, *args, **kwargs)
weasyprint.svg.SVG.draw = slow
MARK = sys.argv.pop(1)
runpy.run_module("lmets_docs", run_name="__main__")
"""
"""The command line with WeasyPrint's SVG drawing made a minute long; it touches the file
named first when it starts drawing."""


def _outputs(out: Path) -> dict[str, bytes]:
    """Return every file the build installed (not its caches, stamps, lock), with its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(".")}


@pytest.mark.parametrize("built_before", [False, True], ids=["first", "rebuild"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_a_build_drawing_a_slow_svg(tmp_path: Path, stop: signal.Signals,
                                                   built_before: bool) -> None:
    """SIGTERM, and Ctrl-C (SIGINT to the terminal's whole group), which WeasyPrint swallows
    alike: the build's one format is written in its own process. The last good outputs stay
    byte for byte."""
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "leaflet"))
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
           '<rect width="{}" height="10"/></svg>')
    (folder / "pic.svg").write_text(svg.format(10), encoding="utf-8")
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("diagram.png", "pic.svg"),
                    encoding="utf-8")
    out, drawing = tmp_path / "out", tmp_path / "drawing"
    arguments = ["build", str(folder), "--format", "pdf", "--out", str(out), "--templates",
                 "none", "--today", BEFORE_DUE.isoformat()]
    if built_before:
        good = subprocess.run([sys.executable, "-m", "lmets_docs", *arguments],
                              capture_output=True, text=True, check=False)
        assert good.returncode == 0, good.stderr
        (folder / "pic.svg").write_text(svg.format(20), encoding="utf-8")  # to build again
    before = _outputs(out) if out.exists() else {}
    assert any(name.endswith(".pdf") for name in before) == built_before
    command = [sys.executable, "-c", SLOW_DRAWING, str(drawing), *arguments]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as run:
        deadline = time.monotonic() + TIMEOUT_S
        while not drawing.exists():
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(run.pid, stop) if stop == signal.SIGINT else run.send_signal(stop)
        stopped = time.monotonic()
        said = run.communicate(timeout=TIMEOUT_S)
        seconds = time.monotonic() - stopped
    text = said[0] + said[1]
    assert run.returncode == 1, text
    how = "Ctrl-C" if stop == signal.SIGINT else "SIGTERM"
    assert f"Error: stopped by {how}; the leaflet languages already installed are kept" in text
    assert seconds < 5.0, f"{seconds:.1f} s after {how}"
    print(f"stopped {seconds:.2f} s after {how}")
    assert "Traceback" not in text
    assert not list(out.rglob(".tmp-*")), list(out.rglob(".tmp-*"))
    assert _outputs(out) == before


def test_a_picture_weasyprint_cannot_draw_stops_the_pdf(seed_leaflet: Leaflet,
                                                        tmp_path: Path) -> None:
    """Past ``validate`` (a file changed after it, or a format WeasyPrint cannot read)."""
    folder = Path(shutil.copytree(seed_leaflet.source_dir, tmp_path / "leaflet"))
    broken = folder / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    sections = tuple(dataclasses.replace(s, blocks=tuple(
        dataclasses.replace(b, path=broken) if isinstance(b, Figure) else b for b in s.blocks))
        for s in seed_leaflet.sections)
    assert any(isinstance(b, Figure) for s in sections for b in s.blocks)
    leaflet = dataclasses.replace(seed_leaflet, sections=sections, source_dir=folder)
    with pytest.raises(BuildError, match=r"a picture could not be drawn, so the PDF would miss "
                                         r"it: WeasyPrint: Failed to load image at 'file://"):
        write(leaflet, tmp_path / "out")
