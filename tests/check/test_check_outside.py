"""``check`` reads only files inside the leaflet language's folder (finding 6 of the
hostile-input user test, session 28).

A manifest is a file anyone can edit; ``check`` once followed ``"pdf": "../../../etc/passwd"``
and a PDF replaced by a symbolic link, handing the file to pdftotext. Each path below names a
FIFO outside the folder: had ``check`` opened it, the test would hang instead of failing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE, DATA

DOCX = "minimal-leaflet-leaflet.docx"
BOUND_S = 20


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """Build the minimal leaflet's DOCX; return its language folder, a FIFO beside the output."""
    build([DATA / "minimal"], BuildOptions(out=tmp_path / "out", formats=("docx",), jobs=1,
                                           today=BEFORE_DUE, templates=None, tts="espeak",
                                           cache_dir=tmp_path / "cache"))
    os.mkfifo(tmp_path / "fifo")
    return tmp_path / "out" / "minimal-leaflet" / "en-GB"


def _name_in_manifest(name: Callable[[Path], str]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        manifest = folder / "manifest.json"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["artifacts"]["docx"]["files"]["docx"] = name(folder)
        manifest.write_text(json.dumps(data), encoding="utf-8")
    return edit


def _docx_a_link(folder: Path) -> None:
    (folder / DOCX).unlink()
    (folder / DOCX).symlink_to(folder.parents[2] / "fifo")


def _folder_a_link(folder: Path) -> None:
    (folder / "inner").symlink_to(folder.parents[2], target_is_directory=True)
    _name_in_manifest(lambda _f: "inner/fifo")(folder)


CASES = {
    "a path up and out": (_name_in_manifest(lambda _f: "../../../fifo"),
                          r"'\.\./\.\./\.\./fifo' names a file outside the output folder"),
    "an absolute path": (_name_in_manifest(lambda f: str(f.parents[2] / "fifo")),
                         r"names a file outside the output folder"),
    "a path out and back in": (_name_in_manifest(lambda _f: "../en-GB/../../../fifo"),
                               r"names a file outside the output folder"),
    "the DOCX a symbolic link": (_docx_a_link, r"'minimal-leaflet-leaflet\.docx' is a symbolic "
                                 r"link \(or inside one\): check never follows one"),
    "a folder a symbolic link": (_folder_a_link, r"'inner/fifo' is a symbolic link"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_outside_the_folder_is_named_and_never_read(built: Path, case: str) -> None:
    tamper, said = CASES[case]
    tamper(built)
    try:  # in a child, so that a check that opens the FIFO fails the test rather than hang
        result = subprocess.run([sys.executable, "-m", "lmets_docs", "check", str(built)],
                                capture_output=True, text=True, timeout=BOUND_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"check opened the FIFO outside the folder ({case}): it hung")
    assert result.returncode == 1, result.stdout
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert re.search(r"manifest\.json\n.*artifacts\.docx\.files\.docx: .*" + said, out), out
