"""Import WeasyPrint without its library probes: the pdf writer imports this first.

WeasyPrint opens pango, harfbuzz, fontconfig and GObject trying several names for each, in
order; for a name without a dot, cffi asks ``ctypes.util.find_library``, which on Linux runs
``ldconfig -p`` and then gcc and ld for each name it cannot place (about 0.2 s of CPU in
every build that prints, measured). Each list of names also holds the Linux soname
(``libpango-1.0.so.0``), which the dynamic loader opens directly. So while WeasyPrint is
imported here, ``find_library`` answers "not found" at once, and the sonames are what load:
the same files (tests/writers/pdf/test_pdf_libs.py compares the libraries mapped both ways). Should
that fail, WeasyPrint is imported the ordinary way.

WeasyPrint and the other libraries the writer uses (pikepdf, Jinja, fontTools) are imported
here together, with the garbage collector paused (``collector.no_collections``), with cffi's
declarations parsed once per machine (``declarations``) and without fontTools' subsetter and
instancer, which our fonts never need (``deferred``). Should the quick import fail in any way,
WeasyPrint is imported the ordinary way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import logging
import sys
from collections.abc import Iterator

from lmets_docs.collector import no_collections
from lmets_docs.writers.pdf.declarations import declared
from lmets_docs.writers.pdf.deferred import stand_ins

log = logging.getLogger(__name__)

LIBRARIES = ("pikepdf", "jinja2", "fontTools.ttLib", "lxml.html")
"""The writer's other libraries, imported with WeasyPrint while the collector is paused."""


@contextlib.contextmanager
def no_probes() -> Iterator[None]:
    """Make ``ctypes.util.find_library`` answer "not found" without looking, meanwhile."""
    real = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        yield
    finally:
        ctypes.util.find_library = real


def _not_found(name: str) -> str | None:
    """Answer as ``find_library`` does for a library it cannot place."""
    return None


def load() -> None:
    """Import WeasyPrint quickly (Linux), and the writer's other libraries."""
    with no_collections(), stand_ins():
        if sys.platform.startswith("linux"):
            load_weasyprint()
        for name in ("weasyprint", *LIBRARIES):
            importlib.import_module(name)


def load_weasyprint() -> None:
    """Import WeasyPrint without probes, its declarations pre-parsed; else leave it to later."""
    if "weasyprint" in sys.modules:
        return
    try:
        with no_probes(), declared():
            importlib.import_module("weasyprint")
        return
    except Exception as exc:  # the ordinary import that follows says what is wrong
        log.debug("quick import of WeasyPrint failed (%s: %s)", exc.__class__.__name__, exc)
    for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
        del sys.modules[name]  # half imported: the ordinary import starts again


load()
