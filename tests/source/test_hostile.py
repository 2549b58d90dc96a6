"""Hostile sources: each reproducer of a crash or hang is refused quickly with ``file:line``.

Every case runs the real command line (``validate``, and ``build`` where the build read the
folder differently): exit status 1, no traceback, the problem named where it is, within a
few seconds, and nothing written.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lmets_docs.cli import cli
from lmets_docs.errors import Problem, said
from tests.conftest import DATA

MINIMAL = DATA / "minimal"
BOUND_S = 5.0
LAUGHS = 'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
"""A 600-byte billion laughs: nine levels of nine aliases each."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a copy of the minimal leaflet to break."""
    target = tmp_path / "leaflet"
    shutil.copytree(MINIMAL, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _front(folder: Path, text: str) -> None:
    md = folder / "en-GB.md"
    md.write_text(md.read_text(encoding="utf-8").replace("lang: en-GB\n", f"lang: en-GB\n{text}"),
                  encoding="utf-8")


def _run(*args: str) -> tuple[Result, float]:
    """Run the command line in this process; return its result and the CPU its thread took
    (not the wall time: a loaded machine failed 1,000 nested brackets at 5 s)."""
    start = time.thread_time()
    result = CliRunner(mix_stderr=False).invoke(cli, list(args))
    return result, time.thread_time() - start


def _refused(folder: Path, pattern: str, tmp_path: Path) -> None:
    """Assert validate and build refuse the folder, naming the problem, quickly."""
    for args in (["validate", str(folder)],
                 ["build", str(folder), "--format", "docx", "--out", str(tmp_path / "out")]):
        result, seconds = _run(*args)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.stderr
        assert re.search(pattern, result.stderr), result.stderr
        assert seconds < BOUND_S, f"{args[0]} took {seconds:.1f} s"
    assert not (tmp_path / "out").exists()


def _replace_with_link(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "billion laughs in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", LAUGHS),
        r"leaflet\.yaml:21: malformed YAML: an alias \(\*a\) is not allowed"),
    "billion laughs in the front matter": (
        lambda f: _front(f, LAUGHS),
        r"en-GB\.md:5: malformed YAML: an alias \(\*a\) is not allowed"),
    "1,000 nested brackets in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", "deep: " + "[" * 1000 + "]" * 1000 + "\n"),
        r"leaflet\.yaml:20: malformed YAML: nested more than 16 levels deep"),
    "1,000 nested mappings in the front matter": (
        lambda f: _front(f, "deep: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n"),
        r"en-GB\.md:4: malformed YAML: nested more than 16 levels deep"),
    "NUL in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", "note: a\x00b\n"),
        r"leaflet\.yaml:20: this line has a control character, NUL \(U\+0000\) at column 8"),
    "ESC written as an escape in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", 'note: "a\\x1bb"\n'),
        r"leaflet\.yaml:20: this line has a control character, ESC \(U\+001B\): invisible"),
    "!!binary smuggling NUL, ESC and an override into the front matter (finding 4, s28)": (
        lambda f: _front(f, "references_note: !!binary RXZpbAAbWzMxbSB0aXRsZSDigK4wODA4\n"),
        r"en-GB\.md:4: malformed YAML: a YAML tag \(!!binary\) is not allowed in a leaflet"),
    "!!int in leaflet.yaml (a crash without a line before)": (
        lambda f: _append(f / "leaflet.yaml", 'note: !!int "0808"\n'),
        r"leaflet\.yaml:20: malformed YAML: a YAML tag \(!!int\) is not allowed"),
    "!!python/object/apply in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", "note: !!python/object/apply:os.system [id]\n"),
        r"leaflet\.yaml:20: malformed YAML: a YAML tag \(!!python/object/apply:os\.system\)"),
    "a local tag on a mapping in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", "note: !custom {a: 1}\n"),
        r"leaflet\.yaml:20: malformed YAML: a YAML tag \(!custom\) is not allowed"),
    "form feed in the Markdown": (
        lambda f: _append(f / "en-GB.md", "\nA form feed \x0c here.\n"),
        r"en-GB\.md:22: this line has a control character, form feed \(U\+000C\) at column 13"),
    "DEL in the front matter": (
        lambda f: _front(f, "references_note: a\x7fb\n"),
        r"en-GB\.md:4: this line has a control character, DEL \(U\+007F\)"),
    "ESC in a heading": (
        lambda f: _append(f / "en-GB.md", "\n## Bad \x1b heading\n\nText.\n"),
        r"en-GB\.md:22: this line has a control character, ESC \(U\+001B\)"),
    "a tab inside a heading (found by the fuzz test)": (
        lambda f: _append(f / "en-GB.md", "\n## Third\tpart\n\nText.\n"),
        r"en-GB\.md:22: a tab inside the text: use a space"),
    "an 800 KB line of links": (
        lambda f: _append(f / "en-GB.md", "\n" + "[link](https://example.org/a) " * 27_000 + "\n"),
        r"en-GB\.md:22: line is too long \(810000 characters; at most 10000\)"),
    "a file over the size limit": (
        lambda f: _append(f / "en-GB.md", ("\nWords. " * 1000 + "\n") * 200),
        r"en-GB\.md: file is too large"),
    "duplicate key in leaflet.yaml": (
        lambda f: _append(f / "leaflet.yaml", "id: other-leaflet\n"),
        r"leaflet\.yaml:20: id: this key is given twice \(first on line 2\)"),
    "duplicate key in the front matter": (
        lambda f: _front(f, "title: Another title\n"),
        r"en-GB\.md:4: title: this key is given twice \(first on line 2\)"),
    "a section id with a slash": (
        lambda f: _append(f / "en-GB.md", '\n{id="a/b"}\n## Third\n\nText.\n'),
        r"en-GB\.md:23: section id 'a/b' may hold only letters, digits"),
    "a section id that could not be read": (
        lambda f: _append(f / "en-GB.md", "\n{#a/b}\n## Third\n\nText.\n"),
        r"en-GB\.md:22: this section id could not be read"),
    "a dangling symbolic link": (
        lambda f: os.symlink("nowhere", f / "notes.md.bak"),
        r"leaflet/notes\.md\.bak: a symbolic link to nothing \(nowhere\)"),
    "a symbolic link out of the folder": (
        lambda f: os.symlink("/etc/hostname", f / "notes.txt"),
        r"leaflet/notes\.txt: a symbolic link leading out of the leaflet folder"),
    "a symbolic link to /dev/zero": (
        lambda f: os.symlink("/dev/zero", f / "zero"),
        r"leaflet/zero: a symbolic link leading out of the leaflet folder \(to /dev/zero\)"),
    "an image that is /dev/zero": (
        lambda f: _replace_with_link(f / "diagram.png", "/dev/zero"),
        r"leaflet/diagram\.png: a symbolic link leading out"),
    "a FIFO": (
        lambda f: os.mkfifo(f / "pipe"),
        r"leaflet/pipe: a FIFO \(named pipe\) has no place in a leaflet folder"),
    "a language file that is a FIFO": (
        lambda f: os.mkfifo(f / "cy.md"),
        r"leaflet/cy\.md: a FIFO"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_source_is_refused_with_its_place(folder: Path, tmp_path: Path, case: str) -> None:
    break_it, pattern = CASES[case]
    break_it(folder)
    _refused(folder, pattern, tmp_path)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_path_that_is_a_symbolic_link_loop_is_no_leaflet_folder(tmp_path: Path,
                                                                  command: str) -> None:
    """A PATH through a loop of links is named, not a traceback (Python 3.11's ``resolve``
    raises RuntimeError for a loop: the build's stamp resolved every PATH first)."""
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    out = tmp_path / "out"
    args = [command, str(loop)] + (["--format", "docx", "--out", str(out)]
                                   if command == "build" else [])
    result, _ = _run(*args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert f"{loop}: no such leaflet folder" in result.stderr, result.stderr
    assert not out.exists()


def test_a_long_file_of_long_lines_validates_in_linear_time(folder: Path, tmp_path: Path) -> None:
    """Four times the text takes at most 1.25 times four times the CPU (quadratic: 16 times).

    CPU time of this process only, the fastest of three runs of each size, taken in turn
    after a first run that loads the caches: load from other processes can slow a run
    down but not speed one up, so the fastest is the least disturbed.
    """
    line = "[link](https://example.org/a) " * 300  # 9,000 characters, 300 links
    large = tmp_path / "large"
    shutil.copytree(folder, large)
    _append(folder / "en-GB.md", "\n" + "\n\n".join([line] * 10) + "\n")
    _append(large / "en-GB.md", "\n" + "\n\n".join([line] * 40) + "\n")
    _cpu_seconds("validate", str(folder))
    times: dict[Path, list[float]] = {folder: [], large: []}
    for _ in range(3):
        for path, seconds in times.items():
            seconds.append(_cpu_seconds("validate", str(path)))
    ratio = min(times[large]) / min(times[folder])
    assert ratio < 5, f"4 times the text took {ratio:.1f} times as long ({times})"


def _cpu_seconds(*args: str) -> float:
    """Return the CPU time of one in-process command's thread (not disturbed by other
    processes, nor by threads earlier tests left running in this one)."""
    start = time.thread_time()
    result = CliRunner(mix_stderr=False).invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return time.thread_time() - start


def test_everything_validate_accepts_build_accepts_with_control_free_ids(
    folder: Path, tmp_path: Path
) -> None:
    _append(folder / "en-GB.md", "\n{#third_part-3}\n## Third part\n\nText.\n")
    assert _run("validate", str(folder))[0].exit_code == 0
    result, _ = _run("build", str(folder), "--format", "docx", "--format", "audio",
                     "--tts", "espeak", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output + result.stderr
    audio = tmp_path / "out" / "minimal-leaflet" / "en-GB" / "audio"
    assert any(p.name.endswith("-third_part-3.mp3") for p in audio.iterdir())


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
<rect width="50" height="50" fill="blue"/><image href="{href}" width="10" height="10"/></svg>"""


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("href", ["file:///etc/passwd", "https://example.org/x.png"])
def test_an_svg_whose_resources_are_refused_fails_the_build(
    folder: Path, tmp_path: Path, href: str, fmt: str
) -> None:
    """Refused when the build loads the source (``source.svg``), at the picture's line in
    ``leaflet.yaml`` and the SVG's own line, the last good outputs kept; the writers'
    fetcher (the DOCX draws the SVG with the PDF's) would refuse it too."""
    out = tmp_path / "out"
    args = ["build", str(folder), "--format", fmt, "--out", str(out), "--templates",
            str(tmp_path / "none")]
    assert _run(*args)[0].exit_code == 0
    pdf = next(out.rglob(f"*.{fmt}"))
    before = pdf.read_bytes()
    (folder / "pic.svg").write_text(SVG.format(href=href), encoding="utf-8")
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("diagram.png", "pic.svg"),
                    encoding="utf-8")
    result, _ = _run(*args)
    assert result.exit_code == 1
    assert re.search(rf"leaflet\.yaml:19: images\.diagram: 'pic\.svg' line 2: refers to "
                     rf"'{re.escape(href)}'", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert pdf.read_bytes() == before


DEEP_MARKDOWN = {
    "brackets": "[" * 1000 + "x" + "]" * 1000,
    "links in links": "[" * 1000 + "x" + "](https://example.org)" * 1000,
    "emphasis": "*" * 1000 + "x" + "*" * 1000,
    "bold in bold": "**" * 500 + "x" + "**" * 500,
    "block quotes": ">" * 1000 + " x",
    "lists": "".join("  " * i + "- x\n" for i in range(1000)),
    "placeholders": "{{" * 1000 + "}}" * 1000,
    # found by the fuzz test: emphasis inside a picture's description, inside pictures
    "emphasis in pictures": "![" * 3 + "*" * 900 + "x" + "*" * 900 + "](image:diagram)" * 3,
}


@pytest.mark.parametrize("case", list(DEEP_MARKDOWN))
def test_deep_markdown_is_read_or_refused_never_a_recursion_error(
    folder: Path, tmp_path: Path, case: str
) -> None:
    _append(folder / "en-GB.md", "\n" + DEEP_MARKDOWN[case] + "\n")
    result, seconds = _run("validate", str(folder))
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert seconds < BOUND_S
    if result.exit_code == 0:  # what validate accepts, build accepts
        built, _ = _run("build", str(folder), "--format", "docx", "--out", str(tmp_path / "o"))
        assert built.exit_code == 0, built.stderr


BOMB_PNG_SIDE = 20_000
"""400 megapixels: over twice Pillow's limit, so a decompression bomb, in a tiny file."""


def _bomb(path: Path) -> None:
    from PIL import Image  # noqa: PLC0415 (only this test makes an image)

    Image.new("1", (BOMB_PNG_SIDE, BOMB_PNG_SIDE)).save(path, optimize=True)


IMAGES: dict[str, tuple[Callable[[Path], object], str]] = {
    "garbage named .png": (lambda p: p.write_bytes(os.urandom(300)),
                           r"'diagram\.png' is not a picture that can be read"),
    "a truncated PNG": (lambda p: p.write_bytes(p.read_bytes()[:60]),
                        r"'diagram\.png' is not a picture that can be read"),
    "a decompression bomb": (_bomb, r"'diagram\.png' is not a picture that can be read"),
}


@pytest.mark.parametrize("case", list(IMAGES))
def test_an_image_the_writers_cannot_read_is_refused_by_validate(
    folder: Path, tmp_path: Path, case: str
) -> None:
    make, pattern = IMAGES[case]
    make(folder / "diagram.png")
    _refused(folder, r"leaflet\.yaml:\d+: images\.diagram: " + pattern, tmp_path)


def test_a_broken_svg_is_refused_by_validate(folder: Path, tmp_path: Path) -> None:
    (folder / "pic.svg").write_text("<svg><rect></svg>", encoding="utf-8")
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("diagram.png", "pic.svg"),
                    encoding="utf-8")
    _refused(folder, r"images\.diagram: 'pic\.svg' is not a well-formed SVG file", tmp_path)


def test_an_image_name_too_long_for_the_file_system_is_refused(
    folder: Path, tmp_path: Path
) -> None:
    """Found by the fuzz test: a 300-character file name raised ENAMETOOLONG."""
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "diagram.png", "d" * 300 + ".png"), encoding="utf-8")
    _refused(folder, r"leaflet\.yaml:\d+: images\.diagram: 'd{300}\.png' cannot be read "
             r"\(File name too long\)", tmp_path)


def test_runs_of_spaces_in_a_heading_build_as_validate_said(folder: Path, tmp_path: Path) -> None:
    """Found by the fuzz test: validate said ok, the DOCX's own check missed the heading."""
    _append(folder / "en-GB.md", "\n## Third" + " " * 120 + "part\n\nText.\n")
    assert _run("validate", str(folder))[0].exit_code == 0
    result, _ = _run("build", str(folder), "--format", "docx", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_a_str_tag_on_a_value_is_the_one_tag_accepted(folder: Path) -> None:
    """``!!str`` only keeps a value text (as quotes do); every other tag is refused above."""
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        'phone: "020 7946 0000"', 'phone: !!str 020 7946 0000'), encoding="utf-8")
    result, _seconds = _run("validate", str(folder))
    assert result.exit_code == 0, result.stderr


def test_a_message_repeated_on_thousands_of_lines_is_said_five_times(folder: Path,
                                                                     tmp_path: Path) -> None:
    """Finding 9 of the hostile-input user test (session 28): a 99,000-row table was 99,002
    lines of "tables are not supported". Each message is said for its first five lines in a
    file, then once with how many more and where; the count is every problem."""
    _append(folder / "en-GB.md", "\n| a | b |\n|---|---|\n" + "| x | y |\n" * 3000)
    for args in (["validate", str(folder)],
                 ["build", str(folder), "--format", "docx", "--out", str(tmp_path / "out")]):
        result, _seconds = _run(*args)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        tables = [line for line in lines if "tables are not supported" in line]
        assert [line.split(":")[1] for line in tables] == ["22", "23", "24", "25", "26"]
        assert f"{folder / 'en-GB.md'}: and 2997 more like it (lines 27 to 3023)" in lines
        assert "Error: 3002 problems in the content" in result.stderr
        assert len(lines) < 12, lines


def test_said_keeps_the_order_and_counts_per_file_and_message() -> None:
    a, b = Path("a.md"), Path("b.md")
    problems = [Problem(a, n, "same") for n in (1, 2, 3)] + [Problem(b, 4, "same"),
                                                              Problem(a, 9, "other")]
    assert said(problems, first=2) == ["a.md:1: same", "a.md:2: same",
                                       "a.md: and 1 more like it (lines 3 to 3)",
                                       "b.md:4: same", "a.md:9: other"]
    assert said([Problem(a, None, "x")] * 3, first=1) == ["a.md: x", "a.md: and 2 more like it"]
