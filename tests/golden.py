"""Golden files: compare a normalised output with ``tests/golden/``, showing the diff.

``LMETS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/writers/test_golden.py`` writes the files afresh
instead of comparing (review the change with ``git diff tests/golden`` before committing).
DOCX parts are compared pretty-printed, with what changes from build to build or with every
byte of the source removed: revision ids (``w:rsid*``), ``w14:paraId``/``w14:textId``,
dates, and the source's hash.
"""

from __future__ import annotations

import difflib
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("LMETS_UPDATE_GOLDEN") == "1"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
VOLATILE = {f"{{{W14}}}paraId", f"{{{W14}}}textId", f"{{{W}}}date", "sourceHash"}
MAX_DIFF_LINES = 120


def assert_golden(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``name`` (or write it, when updating)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no golden file {path}; make it with LMETS_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = list(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                         f"golden/{name}", "built", lineterm=""))
        shown = "\n".join(diff[:MAX_DIFF_LINES])
        more = f"\n… {len(diff) - MAX_DIFF_LINES} more lines" if len(diff) > MAX_DIFF_LINES else ""
        pytest.fail(f"{name} differs from its golden file (if the change is meant, run "
                    f"LMETS_UPDATE_GOLDEN=1 pytest tests/writers/test_golden.py):\n{shown}{more}",
                    pytrace=False)


def docx_part(docx: Path, part: str) -> etree._Element:
    """Return a part of a DOCX file, parsed."""
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read(part))


def normalised(root: etree._Element) -> str:
    """Return XML pretty-printed, without the attributes that change from build to build."""
    for element in root.iter():
        for name in list(element.attrib):
            if name in VOLATILE or etree.QName(name).localname.startswith("rsid"):
                del element.attrib[name]
    etree.indent(root, space="  ")
    return str(etree.tostring(root, encoding="unicode")) + "\n"


def used_styles(styles: etree._Element, *parts: etree._Element) -> etree._Element:
    """Keep the document defaults and the styles the parts use (with what they are based on).

    python-docx's template defines some 160 styles that no leaflet uses; a golden file of them
    all would hide the few that matter.
    """
    wanted = {str(v) for part in parts for v in part.xpath(
        "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces={"w": W})}
    by_id = {s.get(f"{{{W}}}styleId"): s for s in styles.iter(f"{{{W}}}style")}
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        for ref in style.xpath("w:basedOn/@w:val | w:link/@w:val", namespaces={"w": W}) \
                if style is not None else []:
            if str(ref) not in wanted:
                wanted.add(str(ref))
                todo.append(str(ref))
    for child in list(styles):
        keep = child.tag == f"{{{W}}}docDefaults" or (
            child.tag == f"{{{W}}}style" and child.get(f"{{{W}}}styleId") in wanted)
        if not keep:
            styles.remove(child)
    return styles
