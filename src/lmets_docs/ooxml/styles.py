"""Name the DOCX styles that carry meaning: the writer makes them, the importers read them.

A translator's Word keeps style names, so the importers tell a fact, a glossary term or the
out-of-date notice by its style name; the writer (``writers.docx.styles``) defines them.
"""

from __future__ import annotations

FACT_STYLE = "Fact - do not translate"
FIGURE_STYLE = "Figure description"
NOTICE_STYLE = "Out of date notice"
HELPLINE_BOX_STYLE = "Helpline box"
"""The first page's contacts, in a bordered box (each contact's name, hours, email …)."""
HELPLINE_NUMBER_STYLE = "Helpline box number"
"""The "Call …" line of a contact in that box: as large as a section heading."""
REVIEW_DATES_STYLE = "Review dates"
"""The review dates under that box, as the PDF's first page gives them."""
FIRST_PAGE_STYLES = (NOTICE_STYLE, HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE, REVIEW_DATES_STYLE)
"""The furniture at the top of the document: fixed words and facts, never a source unit."""
HYPERLINK_STYLE = "Hyperlink"
GLOSSARY_STYLE = "Glossary term"
STRONG_STYLE = "Strong"
