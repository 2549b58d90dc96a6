"""Edits an author makes to the seed's English after a translator got the file, and what an
import must then do: keep every translation whose source text is unchanged (under its new
id), and list only the parts that are new or changed, to translate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lmets_docs.importer import ImportReport
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import units
from lmets_docs.source import load_leaflet

DRUG = "The drug you have depends on your type of primary cancer.\n\n"
BEVACIZUMAB = "Bevacizumab (Avastin) can sometimes help people with lung cancer that have " \
              "leptomeningeal\nmetastases.\n"


@dataclass(frozen=True)
class SourceEdit:
    """One edit of en-GB.md, and the parts an import must then list to translate."""

    edit: Callable[[str], str]
    todo: tuple[str, ...]
    moved: bool


EDITS = {
    "inserted": SourceEdit(lambda t: t.replace("side effects.\n\n", "side effects.\n\nA new "
                                               "paragraph.\n\n", 1),
                           ("the introduction paragraph 2",), True),
    "deleted": SourceEdit(lambda t: t.replace("The aim of treatment is usually to control the "
                                              "growth of the cancer and relieve symptoms.\n\n", ""),
                          (), True),
    "moved": SourceEdit(lambda t: t.replace(DRUG, "", 1).replace(BEVACIZUMAB,
                                                                 f"{BEVACIZUMAB}\n{DRUG}"),
                        (), True),
    "split": SourceEdit(lambda t: t.replace("spinal cord. The CSF supports",
                                            "spinal cord.\n\nThe CSF supports", 1),
                        ("the introduction paragraph 2", "the introduction paragraph 3"), True),
}


def edit_source(folder: Path, case: str) -> None:
    """Make one of ``EDITS`` in a leaflet folder's en-GB.md (and check it took)."""
    english = folder / "en-GB.md"
    before = english.read_text(encoding="utf-8")
    after = EDITS[case].edit(before)
    assert after != before, case
    english.write_text(after, encoding="utf-8")


def translations(source: Leaflet, translated: Leaflet) -> dict[str, str]:
    """Return each source unit's text → its translation's text (the same structure)."""
    return {a.text: b.text for a, b in zip(units(source), units(translated), strict=True)
            if a.shape != "list"}


def assert_kept(folder: Path, before: dict[str, str], report: ImportReport, case: str) -> None:
    """Assert an import after ``case`` kept every unchanged unit's translation and listed only
    the new or changed parts (each of them holding the older translation or the English)."""
    source, welsh = load_leaflet(folder, "en-GB"), load_leaflet(folder, report.path.stem)
    now = translations(source, welsh)
    for text, translation in now.items():
        if text in before:
            assert translation == before[text], (case, text)
    todo = EDITS[case].todo
    listed = [line for line in "\n".join(report.warnings).splitlines()
              if line.startswith("  ") and "(en-GB.md:" in line]
    assert [line.split(" (en-GB.md:")[0].strip() for line in listed] == list(todo), listed
    assert ("renumbered or moved in the source kept their translation" in
            "\n".join(report.warnings)) == EDITS[case].moved
    assert [s.place for s in welsh.stale] == list(todo)
