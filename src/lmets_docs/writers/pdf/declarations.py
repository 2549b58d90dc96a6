"""Give WeasyPrint its C declarations parsed once per machine (cffi's out-of-line ABI mode).

WeasyPrint declares the 300-odd functions and types of pango, HarfBuzz and fontconfig that it
calls in one ``ffi.cdef`` at import (cffi's in-line ABI mode), and cffi parses them with
pycparser in every process: 0.036 s of CPU. Worse, each C type WeasyPrint names later
(``ffi.new("char[]")``, 13 of them for the seed) is parsed again by pycparser with every
typedef of the declarations in front: 3-4 ms each, 0.05 s of a seed's 0.30 s layout and write.
cffi's documented out-of-line ABI mode (``set_source(name, None)``) parses the declarations
once into tables that ``_cffi_backend.FFI`` reads directly, and its own C parser then reads a
type in microseconds; the functions called, the libraries opened (by the same names, in the
same order) and so the PDF are the same, byte for byte.

So while WeasyPrint is imported (``declared``), ``cffi.FFI()`` called from
``weasyprint.text.ffi`` makes a ``Declared`` object, whose ``cdef`` reads the tables for
exactly that text from the user's cache (``usercache``: ``~/.cache/lmets-docs/cffi``), or makes
them with cffi and keeps them there. The file's name is a hash of the text, cffi's and
Python's versions; a damaged file is made again, never read; a cache that cannot be written
costs only the making (0.07 s, once per process). Any other caller of ``cffi.FFI`` gets cffi's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import sys
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _cffi_backend  # type: ignore[import-untyped]
import cffi  # type: ignore[import-untyped]
import cffi.recompiler  # type: ignore[import-untyped]

from lmets_docs import usercache

log = logging.getLogger(__name__)
CALLER = "weasyprint.text.ffi"
"""The one module whose ``cffi.FFI()`` gets pre-parsed declarations."""
MODULE = "lmets_weasyprint_ffi"
"""The name cffi gives the declarations (it appears only in cffi's own error messages)."""


class Declared(_cffi_backend.FFI):  # type: ignore[misc]
    """An FFI that reads its declarations from tables parsed before (``tables``)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """Return a ``Declared`` for ``weasyprint.text.ffi``, cffi's own FFI for anyone else."""
        if sys._getframe(1).f_globals.get("__name__") != CALLER or args or kwargs:
            return _REAL_FFI(*args, **kwargs)
        return super().__new__(cls)

    def __init__(self) -> None:
        """Wait for the declarations: ``cdef`` gives them."""

    def cdef(self, csource: str, override: bool = False, packed: bool = False,
             pack: int | None = None) -> None:
        """Take the declarations in ``csource``, parsed once and kept (``tables``)."""
        options = {"override": override, "packed": packed, "pack": pack}
        _cffi_backend.FFI.__init__(self, MODULE, **tables(csource, options))


_REAL_FFI = cffi.FFI


@contextlib.contextmanager
def declared() -> Iterator[None]:
    """Make ``cffi.FFI`` the ``Declared`` factory meanwhile (for ``weasyprint.text.ffi`` only)."""
    cffi.FFI = Declared
    try:
        yield
    finally:
        cffi.FFI = _REAL_FFI


def tables(csource: str, options: dict[str, Any]) -> dict[str, Any]:
    """Return cffi's tables for these declarations: from the cache, else made and kept there."""
    path = cache_file(csource, options)
    found = read_tables(path) if path is not None else None
    if found is not None:
        return found
    made = make_tables(csource, options)
    if path is not None:
        keep_tables(path, made)
    return made


def cache_file(csource: str, options: dict[str, Any]) -> Path | None:
    """Return where the tables of these declarations are kept, or None without a home."""
    key = hashlib.sha256(repr((csource, sorted(options.items()), cffi.__version__,
                               sys.version_info[:2], marshal.version)).encode()).hexdigest()
    base = usercache.folder("cffi")
    return base / f"{key[:32]}.tables" if base is not None else None


def read_tables(path: Path) -> dict[str, Any] | None:
    """Return the tables kept in ``path``, or None if it is missing, unreadable or damaged."""
    payload = usercache.read(path)
    if payload is None:
        return None
    found: dict[str, Any] = marshal.loads(payload)
    return found


def keep_tables(path: Path, found: dict[str, Any]) -> None:
    """Keep the tables in ``path`` (``usercache.keep``), if marshal can write them."""
    try:
        usercache.keep(path, marshal.dumps(found))
    except ValueError as exc:  # something marshal cannot write (cffi's ``_includes``)
        log.debug("cffi tables not kept in %s: %s", path, exc)


def make_tables(csource: str, options: dict[str, Any]) -> dict[str, Any]:
    """Parse the declarations with cffi and return the tables its out-of-line module holds."""
    builder = _REAL_FFI()
    builder.cdef(csource, **options)
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / f"{MODULE}.py"
        cffi.recompiler.make_py_source(builder, MODULE, str(module))
        code = module.read_text(encoding="utf-8")
    captured: dict[str, Any] = {}
    backend = types.SimpleNamespace(FFI=lambda name, **found: captured.update(found))
    exec(code.replace("import _cffi_backend\n", "", 1), {"_cffi_backend": backend})
    return captured
