"""The shortcut for C type names gives WeasyPrint's cffi the very types its own parse gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import cffi  # type: ignore[import-untyped]
import pytest
from cffi.cparser import Parser  # type: ignore[import-untyped]
from weasyprint.text.ffi import ffi as weasyprint_ffi

import lmets_docs.writers.pdf  # noqa: F401  (installs the shortcut)
from lmets_docs.writers.pdf import cdecl
from tests.conftest import SEED

SHAPES = ("{} *", "{} **", "{}[]", "{}[0]", "{}[49]", " {} [ 7 ] ", "{}*")


def answer(ffi: Any, parse: Any, text: str) -> tuple[str, Any]:
    """Return what cffi makes of a type string parsed by ``parse``: its type object, or error."""
    try:
        tp, quals = parse(text)
        with ffi._lock:  # as cffi's ``_typeof`` calls it
            return "type", (ffi._get_cached_btype(tp), quals)
    except Exception as exc:  # cffi's own refusal must be the same too
        return "error", exc.__class__.__name__


def test_every_declared_name_in_every_shape_is_the_type_the_parse_gives() -> None:
    parser = weasyprint_ffi._parser
    names = [n.removeprefix("typedef ") for n in parser._declarations if n.startswith("typedef ")]
    assert len(names) > 50
    assert getattr(parser.parse_type_and_quals, "lmets_shortcut", False)
    compared = 0
    for name in names:
        for shape in SHAPES:
            text = shape.format(name)
            assert cdecl.SHAPE.fullmatch(text), text
            quick = answer(weasyprint_ffi, parser.parse_type_and_quals, text)
            parsed = answer(weasyprint_ffi, lambda t: Parser.parse_type_and_quals(parser, t), text)
            assert quick[0] == parsed[0], text
            if quick[0] == "type":  # the same type object: cffi caches each type once
                assert quick[1][0] is parsed[1][0] and quick[1][1] == parsed[1][1], text
            compared += 1
    assert compared == len(names) * len(SHAPES)


@pytest.mark.parametrize("text", ["char *", "unsigned int *", "char[4]", "hb_tag_t[010]",
                                  "hb_tag_t[0x10]", "const hb_tag_t *", "hb_tag_t *[2]",
                                  "hb_tag_t", "undeclared_t *"])
def test_other_strings_are_parsed_as_before(text: str) -> None:
    parser = weasyprint_ffi._parser
    assert answer(weasyprint_ffi, parser.parse_type_and_quals, text) == answer(
        weasyprint_ffi, lambda t: Parser.parse_type_and_quals(parser, t), text)


def test_a_cffi_without_the_parts_used_is_left_alone() -> None:
    class Bare:
        _parser = object()

    assert cdecl.install(Bare()) is False
    ffi = cffi.FFI()
    ffi.cdef("typedef struct { int x; } point_t;")
    assert cdecl.install(ffi) and cdecl.install(ffi)  # twice: one shortcut
    assert ffi.sizeof("point_t[3]") == 3 * ffi.sizeof("int")
    assert ffi.typeof("point_t *").item is ffi.typeof("point_t")


COUNT = """
import json, sys
from pathlib import Path
import cffi.cparser
parsed = []
real = cffi.cparser.Parser._parse
def counted(self, csource):
    parsed.append(csource)
    return real(self, csource)
cffi.cparser.Parser._parse = counted
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import WRITER
leaflet, out = load_leaflet(Path(sys.argv[1]), "en-GB"), Path(sys.argv[2])
before = len(parsed)
WRITER.write(leaflet, out, BuildOptions(out=out, templates=None))
print(json.dumps([c.split("\\n")[-2] for c in parsed[before:]]))
"""


def test_printing_the_seed_in_a_fresh_process_parses_three_c_types(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", COUNT, str(SEED), str(tmp_path)],
                          capture_output=True, text=True, check=True)
    parsed = json.loads(done.stdout.splitlines()[-1])
    # Without the shortcut: 13, each font subset's array length among them.
    assert sorted(parsed) == ["char[4]", "char[]", "unsigned int *"]
    assert (tmp_path / "leptomeningeal-metastases-large-print.pdf").is_file()
