"""YAML mistakes said in a clinic's words, with the line (finding M7 of the fresh-eyes test)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.source.test_every_problem import edit
from tests.test_cli import run

CASES = [  # (what, old, new, line, the plain words)
    ("a tab indents a line", '      phone: "0808', '\t\tphone: "0808', 12,
     "a tab indents this line: indent with spaces, never tabs"),
    ("a tab after a key", '      region: GB', '      region:\tGB\t# x', 13,
     "a tab stands in this line outside quotes: use a space instead"),
    ("a key indented less than its neighbours", "      region: GB", "    region: GB", 14,
     "this line is indented more than line 13, which already has a value: line it up with "
     "the keys it belongs with (or is line 13 indented too little?)"),
    ("a key indented more than its neighbours", "      region: GB", "        region: GB", 13,
     "this line's indentation (8 spaces; line 12 has 6) does not match the lines above it: "
     "keys of one mapping, and the '-' items of one list, start in the same column"),
    ("a colon in a value", "name: Cancer Research UK information nurses",
     "name: Cancer Research UK: information nurses", 11,
     "a value holds ': ' (a colon and a space), which YAML reads as a new key: put the whole "
     "value in quotes"),
    ("a key without its colon", "      region: GB", "      region GB", 13,
     "this line has no ':' after its key: write key: value"),
    ("indentation that matches nothing", "  review:\n    last_reviewed: 2019-11-22\n",
     "  review:\n      last_reviewed: 2019-11-22\n", 22,
     "this line's indentation (4 spaces; line 21 has 6) does not match the lines above it"),
    ("a quote left open", 'phone: "0808 800 4040"', 'phone: "0808 800 4040', 12,
     "a quote opened on this line is never closed"),
    ("a bracket left open", '{days: mon-fri, opens: "09:00", closes: "17:00"}',
     '{days: mon-fri, opens: "09:00", closes: "17:00"', 16,
     "a '{' opened on this line is not closed with '}'"),
    ("a value starting with @", "name: Cancer Research UK information nurses",
     "name: '@nurses' and @more", 11, "this line goes on after its value's closing quote"),
    ("a plain value starting with @", "name: Cancer Research UK information nurses",
     "name: @nurses", 11, "a value cannot start with '@' in YAML"),
]


@pytest.mark.parametrize(("what", "old", "new", "line", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_a_yaml_mistake_is_said_in_plain_words_at_its_line(
        leaflet_dir: Path, tmp_path: Path, what: str, old: str, new: str, line: int, words: str
) -> None:
    out = tmp_path / "output"
    built = run("build", str(leaflet_dir), "--format", "docx", "--out", str(out),
                "--templates", str(tmp_path / "none"), "--today", "2022-06-01")
    assert built.exit_code == 0, built.stderr
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()}
    edit(leaflet_dir / "leaflet.yaml", old, new)
    result = run("build", str(leaflet_dir), "--format", "docx", "--out", str(out),
                 "--templates", str(tmp_path / "none"), "--today", "2022-06-01")
    assert result.exit_code == 1, what
    assert f"{leaflet_dir / 'leaflet.yaml'}:{line}: {words}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "malformed YAML" not in result.stderr
    after = {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()}
    assert after == before  # the last good outputs, byte for byte


def test_a_tab_in_the_front_matter_is_said_at_its_line_in_the_language_file(
        leaflet_dir: Path) -> None:
    text = leaflet_dir / "en-GB.md"
    edit(text, "references_note: >-\n  The", "references_note: >-\n\tThe")
    result = run("validate", str(leaflet_dir))
    assert result.exit_code == 1
    assert (f"{text}:5: a tab indents this line: indent with spaces, never tabs"
            in result.stderr), result.stderr


@pytest.mark.parametrize("hostile", [
    "\t" * 100_000, "a:\n" + "\t" * 50_000 + "b: 1\n", "a: [" * 15 + "\n\t",
    "a:\n  b: 1\n" + " " * 9_000 + "c: 2\n", "a: 'x\n" + "y\n" * 20_000,
    "a:\n  - b\n  c: 1\n", "\ufeff\ta: 1\n", "a: b: c: d\n",
])
def test_hostile_yaml_gets_words_and_a_line_and_no_crash(leaflet_dir: Path, hostile: str
                                                         ) -> None:
    (leaflet_dir / "leaflet.yaml").write_text(hostile, encoding="utf-8")
    result = run("validate", str(leaflet_dir))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert f"{leaflet_dir / 'leaflet.yaml'}:" in result.stderr
