"""Property-based fuzzing of every input a user hands the tool: never a traceback, never a hang.

Hypothesis mutates the minimal leaflet's ``leaflet.yaml``, its front matter and its Markdown,
and a real DOCX for ``import-docx`` (its document.xml, its source map part as text and value
by value, its zip structure, its bytes), with the characters that break parsers (YAML and
Markdown syntax, brackets, control characters, long runs). The invariant, for every input:
the command exits 0 or 1 (never a traceback: any other exception fails the test) within
``BOUND_S`` seconds. The runs are derandomized (the same examples on every machine) and small,
so the whole file stays under a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import warnings
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lmets_docs.cli import cli
from tests.conftest import DATA

MINIMAL = DATA / "minimal"
BOUND_S = 5.0
EXAMPLES = int(os.environ.get("LMETS_FUZZ_EXAMPLES", "60"))
RANDOM = bool(os.environ.get("LMETS_FUZZ_RANDOM"))
"""For a longer hunt:
``LMETS_FUZZ_EXAMPLES=1000 LMETS_FUZZ_RANDOM=1 pytest tests/source/test_fuzz.py``."""
PHASES = (tuple(Phase) if not os.environ.get("LMETS_FUZZ_NO_SHRINK")
          else (Phase.explicit, Phase.generate))
"""``LMETS_FUZZ_NO_SHRINK=1``: report the first failing input as found (shrinking can take
minutes on long inputs)."""
FUZZ = settings(max_examples=EXAMPLES, derandomize=not RANDOM, database=None, deadline=None,
                phases=PHASES,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SYNTAX = [*"&*[]{}:!|>-#'\"%@`,?\\<\n\t ", "{{", "}}", "](", "![", "**", "_", "\x00", "\x1b",
          "\x0c", "\x7f", "\u202e", "\ufeff", "&#0;", "&#x1b;", "{#", "---\n", "## ",
          "!!binary ", "!!int ", "!!str ", "!x ", "\u200c", "\u200f", "\u00ad", "&#x202E;"]
PAIRS = [("*", "*"), ("**", "**"), ("_", "_"), ("[", "]"), ("[", "](https://a.org)"),
         ("![", "](image:diagram)"), ("{{", "}}"), ("> ", ""), ("- ", ""), ("`", "`"), ("{", "}")]
NESTED = st.builds(lambda pair, n: pair[0] * n + "x" + pair[1] * n,
                   st.sampled_from(PAIRS), st.integers(1, 1000))
"""Things inside each other, up to 1,000 deep: where recursive parsers and trees break."""
PIECES = st.one_of(st.sampled_from(SYNTAX), st.text(max_size=8), NESTED,
                   st.builds(lambda s, n: s * n, st.sampled_from(SYNTAX), st.integers(1, 300)))


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Return ``text`` with a few insertions, deletions and replacements."""
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = "".join(draw(st.lists(PIECES, min_size=1, max_size=4)))
        end = min(len(text), at + draw(st.integers(0, 40)))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[end:]
        else:
            text = text[:at] + piece + text[end:]
    return text


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder for the fuzzed copies."""
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def docx(workspace: Path) -> bytes:
    """Return the bytes of the minimal leaflet's real DOCX, to mutate."""
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["build", str(MINIMAL), "--format", "docx", "--out", str(workspace / "built"),
              "--templates", str(workspace / "none")])
    assert result.exit_code == 0, result.stderr
    return next((workspace / "built").rglob("*.docx")).read_bytes()


def _invoke(*args: str) -> tuple[int, float]:
    start = time.perf_counter()
    result = CliRunner(mix_stderr=False).invoke(cli, list(args), catch_exceptions=True)
    seconds = time.perf_counter() - start
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "Traceback" not in result.stderr
    return result.exit_code, seconds


def _leaflet(workspace: Path, name: str) -> Iterator[Path]:
    folder = workspace / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(MINIMAL, folder)
    yield folder


def _split(md: str) -> tuple[str, str]:
    end = md.index("---\n", 4) + 4
    return md[:end], md[end:]


YAML = (MINIMAL / "leaflet.yaml").read_text(encoding="utf-8")
FRONT, BODY = _split((MINIMAL / "en-GB.md").read_text(encoding="utf-8"))


@FUZZ
@given(text=mutated(YAML))
def test_fuzzed_leaflet_yaml(workspace: Path, text: str) -> None:
    for folder in _leaflet(workspace, "yaml"):
        (folder / "leaflet.yaml").write_text(text, encoding="utf-8")
        assert _invoke("validate", str(folder))[1] < BOUND_S


@FUZZ
@given(front=mutated(FRONT))
def test_fuzzed_front_matter(workspace: Path, front: str) -> None:
    for folder in _leaflet(workspace, "front"):
        (folder / "en-GB.md").write_text(front + BODY, encoding="utf-8")
        assert _invoke("validate", str(folder))[1] < BOUND_S


@FUZZ
@given(body=mutated(BODY))
def test_fuzzed_markdown(workspace: Path, body: str) -> None:
    for folder in _leaflet(workspace, "body"):
        (folder / "en-GB.md").write_text(FRONT + body, encoding="utf-8")
        assert _invoke("validate", str(folder))[1] < BOUND_S


SOURCE_MAP = b"urn:lmets-docs:source-map"
ANCHOR_ATTRIBUTES = ("id", "bookmark", "kind", "shape", "leaflet", "lang", "sourceHash")
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@st.composite
def mutated_docx(draw: st.DrawFn, original: bytes) -> bytes:
    """Return the DOCX with its document.xml or its source map part mutated, its zip
    structure broken (parts dropped, doubled, renamed, compressed oddly, junk around it), or
    its bytes flipped or cut."""
    with zipfile.ZipFile(BytesIO(original)) as source:
        parts = [(name, source.read(name)) for name in source.namelist()]
    kind = draw(st.sampled_from(["document", "source map", "source map values", "zip",
                                 "bytes"]))
    if kind == "bytes":
        return _flipped(draw, original)
    if kind == "zip":
        return draw(broken_zip(parts))
    names = [n for n, data in parts if (SOURCE_MAP in data) == (kind != "document")
             and (kind != "document" or n == "word/document.xml")]
    name = names[0]
    data = dict(parts)[name]
    if kind == "source map values":
        new = draw(_new_values(data.decode("utf-8")))
    else:
        new = draw(mutated(data.decode("utf-8")))
    return _zip([(n, new.encode("utf-8") if n == name else d) for n, d in parts])


@st.composite
def _new_values(draw: st.DrawFn, xml: str) -> str:
    """Return the source map with a few attribute values replaced: swapped ids and
    bookmarks, other kinds, odd text."""
    values = [(m.start(2), m.end(2)) for m in
              re.finditer(rf'\b({"|".join(ANCHOR_ATTRIBUTES)})="([^"]*)"', xml)]
    for _ in range(draw(st.integers(1, 4))):
        start, end = draw(st.sampled_from(values))
        other = draw(st.one_of(
            st.sampled_from([xml[a:b] for a, b in values]),
            st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"&<'),
                    max_size=12)))
        xml = xml[:start] + other + xml[end:]
        values = [(m.start(2), m.end(2)) for m in
                  re.finditer(rf'\b({"|".join(ANCHOR_ATTRIBUTES)})="([^"]*)"', xml)]
    return xml


@st.composite
def broken_zip(draw: st.DrawFn, parts: list[tuple[str, bytes]]) -> bytes:
    """Return the parts zipped again with a few of them dropped, doubled or renamed, odd
    compression, or junk before or after the zip."""
    parts = list(parts)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(parts) - 1))
        change = draw(st.sampled_from(["drop", "double", "rename", "empty"]))
        name, data = parts[at]
        if change == "drop" and len(parts) > 1:
            parts.pop(at)
        elif change == "double":
            parts.append((name, draw(st.sampled_from([b"", data[: len(data) // 2], b"<x/>"]))))
        elif change == "rename":
            parts[at] = (draw(st.sampled_from(["", "../" + name, name.upper(), name + "/",
                                               "/" + name, name.replace("/", "\\")])), data)
        else:
            parts[at] = (name, b"")
    packed = _zip(parts, draw(st.sampled_from(COMPRESSIONS)))
    junk = draw(st.binary(max_size=64))
    return draw(st.sampled_from([packed, junk + packed, packed + junk]))


def _zip(parts: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = BytesIO()
    with warnings.catch_warnings():  # zipfile warns of a name given twice: that is the point
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(out, "w", compression) as target:
            for name, data in parts:
                target.writestr(name or "unnamed", data)
    return out.getvalue()


def _flipped(draw: st.DrawFn, original: bytes) -> bytes:
    flipped = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        flipped[draw(st.integers(0, len(flipped) - 1))] = draw(st.integers(0, 255))
    return bytes(flipped[: draw(st.integers(0, len(flipped)))])


def test_fuzzed_docx_import(workspace: Path, docx: bytes) -> None:
    @FUZZ
    @given(data=mutated_docx(docx))
    def run(data: bytes) -> None:
        for folder in _leaflet(workspace, "import"):
            path = workspace / "translated.docx"
            path.write_bytes(data)
            status, seconds = _invoke("import-docx", str(path), "--lang", "cy",
                                      "--leaflet", str(folder), "--force")
            assert seconds < BOUND_S
            if status == 0:  # what the import wrote must itself be a source that loads
                _invoke("validate", str(folder))

    run()


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(body=mutated(BODY))
def test_what_validate_accepts_the_docx_build_accepts(workspace: Path, body: str) -> None:
    for folder in _leaflet(workspace, "accepted"):
        (folder / "en-GB.md").write_text(FRONT + body, encoding="utf-8")
        if _invoke("validate", str(folder))[0] == 0:
            status, _ = _invoke("build", str(folder), "--format", "docx", "--out",
                                str(workspace / "accepted-out"), "--templates",
                                str(workspace / "none"))
            assert status == 0
