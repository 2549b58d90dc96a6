"""Hostile input and faults on the braille write path: long words and addresses, a title
alone, a character no table has, a full disk while writing; the last good outputs stay."""

from __future__ import annotations

import dataclasses
import errno
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lmets_docs import brf
from lmets_docs.build import build
from lmets_docs.errors import BuildError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.writers.braille import layout
from lmets_docs.writers.braille.cells import Word
from tests.conftest import BEFORE_DUE, DATA
from tests.writers.braille.helpers import brf_file, brf_pages, cells, checked, codes
from tests.writers.braille.test_braille import _readings

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisandmorelettersstill"
LONG_WEB = "https://www.example.org/services/chemotherapy/day-unit/visiting-and-parking/"


def _leaflet(tmp_path: Path, body: str | None = None, yaml_edit: tuple[str, str] | None = None
             ) -> Path:
    """Return a copy of the minimal leaflet, its body or its facts changed."""
    folder = Path(shutil.copytree(DATA / "minimal", tmp_path / "minimal"))
    if body is not None:
        text = (folder / "en-GB.md").read_text(encoding="utf-8")
        front = text[: text.index("---", 3) + 3]
        (folder / "en-GB.md").write_text(front + "\n" + body, encoding="utf-8")
    if yaml_edit is not None:
        yaml = folder / "leaflet.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace(*yaml_edit), encoding="utf-8")
    return folder


def _build(folder: Path, options: BuildOptions) -> Path:
    build([folder], dataclasses.replace(options, formats=("braille",), jobs=1))
    return brf_file(options.out, "minimal-leaflet", "en-GB")


def test_a_word_longer_than_a_line_is_divided_with_a_hyphen(
    tmp_path: Path, options: BuildOptions
) -> None:
    path = _build(_leaflet(tmp_path, f"They call it {LONG_WORD} in the textbooks.\n"), options)
    lines = [line for page in brf_pages(path) for line in page]
    word = cells(LONG_WORD, "en-ueb-g2.ctb")
    assert len(word) > brf.CELLS_PER_LINE
    divided = [n for n, line in enumerate(lines) if line.endswith("-") and
               line.split()[-1][:-1] in word]
    assert divided, lines[:12]
    assert all(len(line) <= brf.CELLS_PER_LINE for line in lines)
    n = divided[0]
    assert line_join(lines[n][:-1].split()[-1], lines[n + 1].split()[0]) in word
    assert checked(tmp_path / "output").errors == []


def line_join(first: str, second: str) -> str:
    """Return two pieces of a divided word as one."""
    return first + second


def test_an_address_longer_than_a_line_goes_on_after_dot_5_and_check_reads_it_whole(
    tmp_path: Path, options: BuildOptions
) -> None:
    edit = ('      region: GB\n', f'      region: GB\n      web: "{LONG_WEB}"\n')
    path = _build(_leaflet(tmp_path, yaml_edit=edit), options)
    lines = [line for page in brf_pages(path) for line in page]
    printed = read_manifest(path.parent).facts["contacts.helpline.web"].printed
    assert printed == LONG_WEB.removeprefix("https://").removesuffix("/")
    address = cells(printed, "en-ueb-g1.ctb", uncontracted=True)
    continued = [n for n, line in enumerate(lines) if line.endswith('"')
                 and line.split()[-1][:-1] in address]
    assert len(continued) >= 1
    # Divided at logical points only: after "/" (dots 456, 34) or ".".
    assert all(lines[n].endswith(('_/"', '4"')) for n in continued), [lines[n] for n in continued]
    assert printed in _readings(path, "en-ueb-g1.ctb")
    report = checked(tmp_path / "output")
    assert report.errors == [], report.text()
    # Without the join, the address is not there: the continuation is what check reads.
    text = path.read_bytes()
    for n in continued:
        text = text.replace(lines[n].encode() + b"\r\n", lines[n][:-1].encode() + b"\r\n", 1)
    path.write_bytes(text)
    assert "fact-missing" in codes(checked(tmp_path / "output"))


def test_a_leaflet_of_only_a_title(tmp_path: Path, options: BuildOptions) -> None:
    folder = _leaflet(tmp_path, "")
    (folder / "en-GB.md").write_text("---\ntitle: " + "A title and nothing else " * 3
                                     + "\nlang: en-GB\n---\n", encoding="utf-8")
    path = _build(folder, options)
    pages = brf_pages(path)
    assert pages[0][1].startswith("   ") and pages[0][2].startswith("   ")  # centred, 2 lines
    readings = _readings(path, "en-ueb-g2.ctb")
    assert readings.startswith("A title and nothing else A title")
    assert "020 7946 0000" in readings and "Helpline" in readings
    assert checked(tmp_path / "output").errors == []


def test_a_character_no_table_has_is_refused_with_its_file_and_line(
    tmp_path: Path, options: BuildOptions
) -> None:
    folder = _leaflet(tmp_path, "First line.\n\nA snowman \u2603 here.\n")
    with pytest.raises(BuildError, match=r"en-GB\.md:7: liblouis's table en-ueb-g2\.ctb has "
                                         r"no braille for '\u2603' \(U\+2603\)"):
        _build(folder, options)
    assert not (options.out / "minimal-leaflet" / "en-GB").exists()


def test_a_failed_braille_write_keeps_the_last_good_outputs(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _leaflet(tmp_path)
    path = _build(folder, options)
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    source = folder / "en-GB.md"
    source.write_text(source.read_text(encoding="utf-8").replace("for tests", "for testing"),
                      encoding="utf-8")
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if self.suffix == ".brf":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(BuildError, match=r"^not written: the disk is full \(.*minimal-leaflet"
                                         r"\.brf\); free some space and build again$"):
        _build(folder, options)
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before
    assert not list(path.parent.parent.glob(".tmp-*"))


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page() -> None:
    pages = layout.Pages(lambda n: "\u283c" + chr(0x2800 + n))
    pages.add(["\u2801" * 10] * (layout.TEXT_LINES - 2), blank_before=False)
    pages.add(["   \u2803\u2803"], blank_before=True, keep=2)  # heading: room for it alone
    pages.add(["\u2809" * 10], blank_before=True)
    first, second = pages.finished()
    assert first[1 + layout.TEXT_LINES - 2:] == ["", ""]
    assert second[1] == "   \u2803\u2803" and second[2] == "" and second[3] == "\u2809" * 10
    assert first[0].endswith("\u283c\u2801") and second[0].endswith("\u283c\u2802")


def test_divide_never_overflows_a_line() -> None:
    word = Word("\u2801" * 100, address=True, breaks=(3, 50, 90))
    pieces = layout.divide(word, 40, 38, "\u2824")
    assert pieces[0] == "\u2801" * 3 + brf.CONTINUATION  # the last logical point that fits
    assert all(len(p) <= 40 for p in pieces[:1]) and all(len(p) <= 38 for p in pieces[1:])
    assert "".join(p.removesuffix(brf.CONTINUATION) for p in pieces) == word.cells


def test_a_full_disk_under_a_real_build_keeps_the_last_good_braille(tmp_path: Path) -> None:
    """Every write of a real ``build --format braille`` process fails (strace injects ENOSPC):
    the installed BRF, preview and manifest stay byte for byte; the next build installs."""
    folder, out = _leaflet(tmp_path), tmp_path / "output"
    args = [sys.executable, "-m", "lmets_docs", "build", str(folder), "--format", "braille",
            "--out", str(out), "--templates", "none", "--today", BEFORE_DUE.isoformat()]
    assert subprocess.run(args, capture_output=True, check=False).returncode == 0
    installed = out / "minimal-leaflet"
    before = {p: p.read_bytes() for p in sorted(installed.rglob("*")) if p.is_file()}
    source = folder / "en-GB.md"
    source.write_text(source.read_text(encoding="utf-8").replace("for tests", "for testing"),
                      encoding="utf-8")
    log = tmp_path / "strace.log"
    strace = [shutil.which("strace") or "/usr/bin/strace", "-f", "-qq", "-o", str(log),
              "-e", "signal=none", "-e", "trace=openat,write", "-e", "inject=write:error=ENOSPC"]
    faulted = subprocess.run([*strace, *args], capture_output=True, check=False, timeout=120)
    assert faulted.returncode != 0
    # The fault landed on the BRF's own first write (the build's first write of all).
    traced = log.read_text(encoding="utf-8").splitlines()
    opened = next(n for n, line in enumerate(traced) if 'minimal-leaflet.brf", O_WRONLY' in line)
    assert re.search(r"write\(\d+, .*ENOSPC .*INJECTED", traced[opened + 1]), traced[opened + 1]
    assert {p: p.read_bytes() for p in sorted(installed.rglob("*")) if p.is_file()} == before
    assert not list(installed.glob(".tmp-*"))
    assert subprocess.run(args, capture_output=True, check=False).returncode == 0
    assert "for testing" in _readings(brf_file(out, "minimal-leaflet", "en-GB"), "en-ueb-g2.ctb")


def test_a_contact_is_kept_whole_on_its_page_and_its_heading_with_it() -> None:
    from lmets_docs.writers.braille import kept  # noqa: PLC0415
    from lmets_docs.writers.braille.content import Block  # noqa: PLC0415

    def laid(kind: str, rows: int, group: bool = True) -> tuple[Block, list[str]]:
        return Block(kind, (), group=group), ["\u2801"] * rows  # type: ignore[arg-type]

    blocks = [laid("heading", 1), laid("line", 1), laid("line", 2, group=False),
              laid("line", 1, group=False), laid("line", 1), laid("paragraph", 3)]
    assert [kept(blocks, n) for n in range(len(blocks))] == [1 + 4, 3, 0, 0, 0, 0]
    pages = layout.Pages(lambda n: "\u283c")
    pages.add(["\u2801"] * (layout.TEXT_LINES - 5), blank_before=False)
    for n, (block, lines) in enumerate(blocks):
        pages.add(lines, blank_before=block.group, keep=kept(blocks, n))
    first, second = pages.finished()
    assert first[1 + layout.TEXT_LINES - 5:] == [""] * 5  # the heading and all moved
    assert second[1:7] == ["\u2801", "", "\u2801", "\u2801", "\u2801", "\u2801"]


def test_a_contact_longer_than_a_page_flows_and_its_heading_keeps_one_line() -> None:
    from lmets_docs.writers.braille import kept  # noqa: PLC0415
    from lmets_docs.writers.braille.content import Block  # noqa: PLC0415

    blocks = [(Block("heading", ()), ["\u2803"]), (Block("line", ()), ["\u2801"] * 20),
              (Block("line", (), group=False), ["\u2801"] * 10)]
    assert [kept(blocks, n) for n in range(3)] == [2, 0, 0]
