"""``validate`` names every character no PDF font can draw, with its file and line (the user
test's M1): only ``build`` did, once WeasyPrint filled the page. The fonts are the build's
own stack (``fontstack``), read with fontTools and fontconfig; WeasyPrint is not imported.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lmets_docs.source.drawable import MAX_REPORTED, printed_text, undrawable
from tests.conftest import DATA
from tests.test_cli import run, said

EGG, APPLE, ARROW = "\U0001f95a", "\U0001f34e", "\u2192"


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(DATA / "minimal", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def test_validate_names_each_undrawable_character_with_its_line(leaflet: Path) -> None:
    text, yaml = leaflet / "en-GB.md", leaflet / "leaflet.yaml"
    _edit(text, "one item", f"one item {ARROW} {EGG}")
    _edit(text, "This leaflet exists for tests.", f"This leaflet exists for tests {APPLE}.")
    _edit(yaml, "name: Example support line", f"name: Example support line {EGG}")
    result = run("validate", str(leaflet))
    out = said(result)
    assert result.exit_code == 1, out
    assert f"{text}:{_line(text, 'one item')}: no font has a glyph for '{EGG}' (U+1F95A EGG)" \
        in out
    assert f"{text}:{_line(text, 'exists for tests')}: no font has a glyph for '{APPLE}'" in out
    assert f"{yaml}:{_line(yaml, 'Example support line')}: no font has a glyph for '{EGG}'" \
        in out
    assert ARROW not in out  # Noto Sans Symbols draws it
    assert "3 problems" in out and "Traceback" not in out


def test_comments_and_keys_are_not_printed_and_not_reported(leaflet: Path) -> None:
    yaml = leaflet / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"# reviewed {EGG}\n", encoding="utf-8")
    text = leaflet / "en-GB.md"
    _edit(text, "---\n", f"---\n# a note {APPLE}\n")
    result = run("validate", str(leaflet))
    assert result.exit_code == 0, said(result)


def test_undrawable_characters_are_reported_with_the_other_problems(leaflet: Path) -> None:
    _edit(leaflet / "en-GB.md", "one item", f"one item {EGG}")
    _edit(leaflet / "leaflet.yaml", "2025-01-15", "2025-02-30")
    out = said(run("validate", str(leaflet)))
    assert "February 2025 has 28 days" in out and "U+1F95A EGG" in out, out
    assert "2 problems" in out


@pytest.mark.parametrize("broken", ["key: [unclosed\n", "\t- tab: 1\n", "\x00\n", "\xff"])
def test_an_unreadable_or_broken_file_is_left_to_the_loader(tmp_path: Path, broken: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "leaflet.yaml").write_bytes(broken.encode("latin-1"))
    (folder / "en-GB.md").write_bytes(f"---\n{broken}---\n{EGG}\n".encode("latin-1", "replace")
                                      if broken != "\xff" else b"\xff\xfe" + broken.encode())
    problems = undrawable([folder])
    assert all(p.file.name == "en-GB.md" for p in problems), problems


def test_a_flood_of_emoji_is_reported_at_most_so_often(tmp_path: Path) -> None:
    folder = tmp_path / "flood"
    folder.mkdir()
    (folder / "en-GB.md").write_text("\n".join(chr(0x1F600 + n) for n in range(80)),
                                     encoding="utf-8")
    assert len(undrawable([folder])) == MAX_REPORTED


def test_only_the_values_of_front_matter_and_the_body_are_read() -> None:
    text = "---\ntitle: A \u2192 B  # c\nlang: en-GB\n---\n\nBody\n"
    assert list(printed_text(text, markdown=True)) == [
        (2, "title"), (2, "A \u2192 B"), (3, "lang"), (3, "en-GB"), (4, "---"), (5, ""),
        (6, "Body"), (7, "")]


def test_validate_does_not_import_weasyprint(leaflet: Path) -> None:
    _edit(leaflet / "en-GB.md", "one item", f"one item {EGG}")
    code = ("import sys\nfrom lmets_docs.cli import cli\n"
            "try:\n    cli(['validate', sys.argv[1]])\nexcept SystemExit as exit:\n"
            "    print('weasyprint' in sys.modules, exit.code)\n")
    done = subprocess.run([sys.executable, "-c", code, str(leaflet)], capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "False 1", done.stdout + done.stderr
    assert "U+1F95A EGG" in done.stderr
