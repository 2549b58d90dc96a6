"""fontTools' subsetter and instancer are imported only when WeasyPrint first uses them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lmets_docs.writers.pdf import deferred

DEFERRED = tuple(deferred.DEFERRED)


def run(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh process that imported the writer; return the JSON it prints."""
    out = subprocess.run([sys.executable, "-c", "import lmets_docs.writers.pdf\n" + code],
                         check=True, capture_output=True, text=True).stdout
    found: dict[str, object] = json.loads(out.splitlines()[-1])
    return found


def test_importing_the_writer_imports_neither_and_leaves_no_stand_in_behind() -> None:
    found = run(f"""
import json, sys
import weasyprint.pdf.fonts as fonts
print(json.dumps({{"imported": [m for m in {DEFERRED!r} if m in sys.modules],
                  "weasyprint_has": type(fonts.subset).__name__}}))
""")
    assert found == {"imported": [], "weasyprint_has": "StandIn"}


def test_the_fonttools_subsetter_is_imported_and_used_when_harfbuzz_cannot_subset() -> None:
    # WeasyPrint's fallback, forced: it asks the stand-in for Options and Subsetter.
    found = run("""
import json, logging, sys
import weasyprint, weasyprint.pdf.fonts as fonts
fonts.harfbuzz_subset = None
said = []
logging.getLogger("weasyprint").addHandler(type("H", (logging.Handler,), {
    "emit": lambda self, record: said.append(record.getMessage())})())
pdf = weasyprint.HTML(string='<p style="font-family: DejaVu Sans">Hello</p>').write_pdf()
print(json.dumps({"pdf": pdf[:5].decode(), "subset_by_fonttools": any(
    "fontTools instead" in s for s in said), "real": type(sys.modules["fontTools.subset"]).__name__
    == "module" and hasattr(sys.modules["fontTools.subset"], "Subsetter")}))
""")
    assert found == {"pdf": "%PDF-", "subset_by_fonttools": True, "real": True}


def test_the_instancer_called_through_weasyprint_is_the_real_one() -> None:
    found = run("""
import json, sys
import weasyprint.pdf.fonts as fonts
from fontTools.ttLib import TTFont
try:
    fonts.instantiateVariableFont(TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), {})
except ValueError as exc:
    said = str(exc)
print(json.dumps({"said": said, "now": "fontTools.varLib.instancer" in sys.modules}))
""")
    assert found == {"said": "Missing required table fvar", "now": True}


def test_a_module_imported_already_is_left_alone_and_stand_ins_go_on_failure() -> None:
    import fontTools.subset  # noqa: PLC0415

    with pytest.raises(RuntimeError), deferred.stand_ins() as placed:
        assert "fontTools.subset" not in placed
        assert sys.modules["fontTools.subset"] is fontTools.subset
        raise RuntimeError("the import failed")
    assert not any(isinstance(sys.modules.get(m), deferred.StandIn) for m in DEFERRED)


def test_the_import_system_learns_nothing_from_a_stand_in() -> None:
    module = deferred.StandIn("fontTools.subset")
    assert not hasattr(module, "__path__")  # else ``from x import y`` would import it at once
