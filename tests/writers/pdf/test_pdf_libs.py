"""WeasyPrint imported without its library probes loads the same libraries, and starts nothing."""

from __future__ import annotations

import json
import subprocess
import sys

MAPPED = """
import json, sys
{imports}
with open("/proc/self/maps", encoding="utf-8") as maps:
    paths = {{line.split()[-1] for line in maps if ".so" in line.split()[-1]}}
wanted = ("pango", "harfbuzz", "fontconfig", "gobject", "glib", "freetype")
print(json.dumps(sorted(p for p in paths if any(w in p for w in wanted))))
"""


def libraries(imports: str) -> list[str]:
    """Return the shared libraries of pango & co. mapped by a fresh process after ``imports``."""
    out = subprocess.run([sys.executable, "-c", MAPPED.format(imports=imports)], check=True,
                         capture_output=True, text=True).stdout
    found: list[str] = json.loads(out)
    return found


def test_the_same_libraries_are_loaded_as_by_the_ordinary_import() -> None:
    fast = libraries("import lmets_docs.writers.pdf")
    usual = libraries("import weasyprint")
    assert fast == usual
    assert any("libpango-1.0" in p for p in fast) and any("libharfbuzz" in p for p in fast)


def test_no_program_is_started_to_find_them() -> None:
    trace = subprocess.run(
        ["strace", "-f", "-e", "trace=execve", "-qq", sys.executable, "-c",
         "import lmets_docs.writers.pdf"], check=True, capture_output=True, text=True).stderr
    started = [line for line in trace.splitlines() if "execve(" in line]
    assert len(started) == 1, started  # Python itself, nothing else
    usual = subprocess.run(
        ["strace", "-f", "-e", "trace=execve", "-qq", sys.executable, "-c", "import weasyprint"],
        check=True, capture_output=True, text=True).stderr
    assert usual.count("execve(") > 10  # what is saved: ldconfig, gcc, ld … for each name


def test_find_library_is_itself_again_afterwards() -> None:
    import ctypes.util  # noqa: PLC0415

    from lmets_docs.writers.pdf import libs as pdf_libs  # noqa: PLC0415

    real = ctypes.util.find_library
    with pdf_libs.no_probes():
        assert ctypes.util.find_library("c") is None
    assert ctypes.util.find_library is real and real("c") is not None
