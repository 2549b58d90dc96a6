"""WeasyPrint's C declarations are parsed once per machine and kept; the PDFs are the same."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import cffi  # type: ignore[import-untyped]
import pytest

from lmets_docs.writers.pdf import declarations

PRINT = """
import json, sys, weasyprint, weasyprint.text.ffi as ffi
pdf = weasyprint.HTML(string="<html lang=en><h1>Café</h1><p>Ring 0808 800 4040.</p>",
                      ).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
sys.stdout.buffer.write(pdf)
said = {"ffi": type(ffi.ffi).__name__, "pycparser": "pycparser" in sys.modules}
sys.stderr.write(json.dumps(said))
"""


def printed(cache: Path, first: str = "import lmets_docs.writers.pdf"
            ) -> tuple[bytes, dict[str, object]]:
    """Print a small page in a fresh process after ``first``, caching under ``cache``."""
    done = subprocess.run([sys.executable, "-c", first + "\n" + PRINT], check=True,
                          capture_output=True, env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    said: dict[str, object] = json.loads(done.stderr.decode().splitlines()[-1])
    return done.stdout, said


def kept(cache: Path) -> list[Path]:
    """Return the files under the cache's folder of tables (hidden ones too)."""
    folder = cache / "lmets-docs" / "cffi"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_pdf_is_the_same_byte_for_byte_and_the_tables_are_kept(tmp_path: Path) -> None:
    usual, said = printed(tmp_path / "unused", first="")
    assert said == {"ffi": "FFI", "pycparser": True}
    made, said = printed(tmp_path)  # the first time: parsed, and kept
    assert said == {"ffi": "Declared", "pycparser": True}
    assert [p.suffix for p in kept(tmp_path)] == [".tables"]
    again, said = printed(tmp_path)  # then read: cffi's parser is never even imported
    assert said == {"ffi": "Declared", "pycparser": False}
    assert usual == made == again


def test_the_kept_tables_are_what_cffi_makes_of_weasyprints_declarations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printed(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = weasyprint_declarations()
    path = declarations.cache_file(source, OPTIONS)
    assert path is not None and path.parent == tmp_path / "lmets-docs" / "cffi"
    assert declarations.read_tables(path) == declarations.make_tables(source, OPTIONS)


OPTIONS = {"override": False, "packed": False, "pack": None}


def weasyprint_declarations() -> str:
    """Return the text WeasyPrint gives ``ffi.cdef``, read from its source."""
    import weasyprint.text.ffi  # noqa: PLC0415

    tree = ast.parse(Path(weasyprint.text.ffi.__file__).read_text(encoding="utf-8"))
    [text] = [node.args[0] for node in ast.walk(tree) if isinstance(node, ast.Call)
              and getattr(node.func, "attr", "") == "cdef"]
    assert isinstance(text, ast.Constant) and isinstance(text.value, str)
    return text.value


@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty"])
def test_a_damaged_file_is_never_read_but_made_again(tmp_path: Path, damage: str) -> None:
    good, _ = printed(tmp_path)
    [path] = kept(tmp_path)
    data = path.read_bytes()
    path.write_bytes({"flipped": data[:-1] + bytes([data[-1] ^ 1]), "truncated": data[:-100],
                      "empty": b""}[damage])
    pdf, said = printed(tmp_path)
    assert pdf == good and said["ffi"] == "Declared"
    assert path.read_bytes() == data  # kept whole again


def test_tables_that_cffi_refuses_fall_back_to_the_ordinary_import(tmp_path: Path) -> None:
    good, _ = printed(tmp_path)
    [path] = kept(tmp_path)
    payload = __import__("marshal").dumps({"_version": 1})  # its own SHA-256: read, then refused
    path.write_bytes(hashlib.sha256(payload).digest() + payload)
    pdf, said = printed(tmp_path)
    assert pdf == good and said["ffi"] == "FFI"


def test_a_cache_that_cannot_be_written_costs_the_parse_only(tmp_path: Path) -> None:
    (tmp_path / "lmets-docs").write_text("a file where the folder should be", encoding="utf-8")
    usual, _ = printed(tmp_path / "unused", first="")
    pdf, said = printed(tmp_path)
    assert pdf == usual and said["ffi"] == "Declared"


def test_a_failed_write_leaves_no_file_behind(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    path = tmp_path / "cffi" / "x.tables"
    declarations.keep_tables(path, {"_version": 1, "_types": b"\0\0"})
    assert list(path.parent.iterdir()) == []


def test_no_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(Path, "home", lambda: (_ for _ in ()).throw(RuntimeError()))
    assert declarations.cache_file("int f(int);", OPTIONS) is None


def test_any_other_caller_gets_cffis_own_ffi() -> None:
    with declarations.declared():
        ffi = cffi.FFI()
        ffi.cdef("int abs(int);")
    assert type(ffi) is cffi.FFI and cffi.FFI is declarations._REAL_FFI
    assert ffi.dlopen(None).abs(-3) == 3
