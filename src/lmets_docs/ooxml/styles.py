"""Name the DOCX styles that carry meaning: the writer makes them, the importers read them.

A translator's Word keeps style names, so the importers tell a fact, a glossary term or the
out-of-date notice by its style name; the writer (``writers.docx.styles``) defines them.
"""

from __future__ import annotations

FACT_STYLE = "Fact - do not translate"
FIGURE_STYLE = "Figure description"
NOTICE_STYLE = "Out of date notice"
HYPERLINK_STYLE = "Hyperlink"
GLOSSARY_STYLE = "Glossary term"
STRONG_STYLE = "Strong"
