"""XLIFF 2.0 for translation tools: ``export-xliff`` and ``import-xliff``.

One ``<unit>`` per translatable unit of the leaflet (title, headings, paragraphs, list items,
picture descriptions), named by its source id. Bold and links are paired codes (``<pc>``),
glossary terms are term annotations (``<mrk type="term">``) with a note, and each fact is a
protected placeholder (``<ph canCopy="no" canDelete="no">``) with its name in the unit's
original data and its printed form as a note. The file records the leaflet, the source
language and the source hash. The import reads the file safely (``read``), checks every
placeholder and unit against the current source, and then goes the way of ``import-docx``:
the same front matter, validation, refusals, diff and ``--force`` rules.
"""

from __future__ import annotations

from lmets_docs.xliff.export import ExportReport, export_xliff
from lmets_docs.xliff.load import import_xliff

__all__ = ["ExportReport", "export_xliff", "import_xliff"]
