"""Add the leaflet's furniture: out-of-date notice, helpline, references, review dates, footer.

The words are fixed and come from the message catalogue; the facts in them are set like
every other fact (locked content controls), never retyped.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from docx.section import Section

from lmets_docs import furniture
from lmets_docs.i18n import left_to_right
from lmets_docs.model import BulletList, GlossaryEntry, Inline, Link, Strong, Text
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID
from lmets_docs.ooxml.styles import (
    HELPLINE_BOX_STYLE,
    HELPLINE_NUMBER_STYLE,
    NOTICE_STYLE,
    REVIEW_DATES_STYLE,
)
from lmets_docs.schema import Reference
from lmets_docs.text import reference_text
from lmets_docs.writers.docx import xml as x
from lmets_docs.writers.docx.body import (
    MARK,
    Context,
    close_bookmark,
    fixed_paragraph,
    glossary_bookmark,
    heading,
    left_to_right_span,
    message,
    open_bookmark,
    paragraph,
    render_inlines,
)
from lmets_docs.writers.docx.numbering import number, restart


def overdue_notice(ctx: Context, today: dt.date) -> bool:
    """Add the out-of-date notice if the next review date has passed; say whether it was."""
    notice = furniture.overdue_notice(ctx.messages, ctx.leaflet, today)
    if notice is None:
        return False
    fixed_paragraph(ctx, ctx.document, NOTICE_STYLE, notice.inlines)
    return True


def glossary(ctx: Context) -> None:
    """Add the glossary: each defined term in bold, then its definition, in its bookmark."""
    entries = list(ctx.leaflet.glossary.values())
    if not entries:
        return
    heading(ctx, ctx.messages("Glossary"), 2)
    for entry in entries:
        p = paragraph(ctx, ctx.document, "Normal")._p
        mark = next(ctx.ids)
        p.append(x.bookmark_start(mark, glossary_bookmark(entry.anchor)))
        render_inlines(ctx, p, _entry_inlines(ctx, entry))
        close_bookmark(p, mark)


def _entry_inlines(ctx: Context, entry: GlossaryEntry) -> tuple[Inline, ...]:
    words: dict[str, Inline] = {"term": Strong((Text(entry.term),)),
                                "definition": Text(entry.definition)}
    marked = ctx.messages("{term}: {definition}", term=f"{MARK}term{MARK}",
                          definition=f"{MARK}definition{MARK}")
    parts = zip(itertools.cycle((False, True)), marked.split(MARK), strict=False)
    return tuple(words[part] if odd else Text(part) for odd, part in parts if part)


def helpline(ctx: Context) -> None:
    """Add what the large-print PDF's first page gives under the title: the helpline box
    (every contact's name, number, hours, email, web and note) and the review dates.

    It is headed "Helpline" for one contact (a leaflet's usual one line) and "Contacts" for
    several (a triage line, a dietitian, a ward), as every format heads them. The box is real
    paragraphs in styles of its own (``Helpline box``, its number in ``Helpline box number``,
    the dates in ``Review dates``), so a translator sees and can restyle them, and an import
    knows them for furniture; the facts are locked like every other.
    """
    heading(ctx, furniture.contacts_heading(ctx.messages, ctx.facts), 2)
    for lines in furniture.contacts(ctx.messages, ctx.facts):
        for line in lines:
            style = HELPLINE_NUMBER_STYLE if line.kind == "phone" else HELPLINE_BOX_STYLE
            fixed_paragraph(ctx, ctx.document, style, line.inlines)
    for line in furniture.review_dates(ctx.messages):
        fixed_paragraph(ctx, ctx.document, REVIEW_DATES_STYLE, line.inlines)


def references(ctx: Context) -> None:
    """Add the references: the note on sources, then one list item per reference."""
    leaflet = ctx.leaflet
    if not (leaflet.references or leaflet.references_note):
        return
    heading(ctx, ctx.messages("References"), 2)
    if leaflet.references_note:
        p = paragraph(ctx, ctx.document, "Normal")._p
        mark = open_bookmark(ctx, p, ("note", REFERENCES_NOTE_ID))
        render_inlines(ctx, p, (Text(leaflet.references_note),))
        close_bookmark(p, mark)
    # Beside numbered lists, which share List Number's definition, the references restart at 1.
    num_id = restart(ctx.document, 1) if any(
        isinstance(b, BulletList) and b.numbered for b in leaflet.all_blocks()) else 0
    for ref in leaflet.references:
        p = paragraph(ctx, ctx.document, "List Number")._p
        if num_id:
            number(p, num_id)
        if left_to_right(reference_text(ref)):  # one embedding: its link stays after its words
            with left_to_right_span(ctx, p):
                render_inlines(ctx, p, reference_inlines(ref))
        else:
            render_inlines(ctx, p, reference_inlines(ref))


def reference_inlines(ref: Reference) -> tuple[Inline, ...]:
    """Return a reference as the PDF gives it: "Authors. Title. Source." and its address."""
    text = reference_text(ref)
    if ref.url:
        return (Text(text + " "), Link((Text(ref.url),), ref.url))
    return (Text(text),)


def review_dates(ctx: Context) -> None:
    """Add who published the information (as the PDF does), and its review dates."""
    heading(ctx, ctx.messages("About this information"), 2)
    fixed_paragraph(ctx, ctx.document, "Normal", message(
        ctx, "Published by {publisher}", publisher="publisher.name"))
    for line in furniture.review_dates(ctx.messages):
        fixed_paragraph(ctx, ctx.document, "Normal", line.inlines)


def footer(ctx: Context, section: Section) -> None:
    """Put the helpline and "Page N of M" in the footer of every page."""
    container = section.footer
    container.is_linked_to_previous = False
    first = container.paragraphs[0]
    first._p.style = ctx.styles.paragraph["Footer"]
    if ctx.rtl:
        x.set_bidi(first._p)
    render_inlines(ctx, first._p, furniture.helpline(ctx.messages, ctx.facts).inlines)
    page_numbers(ctx, paragraph(ctx, container, "Footer")._p)


def page_numbers(ctx: Context, p: Any) -> None:
    """Fill a paragraph with "Page N of M" made of PAGE and NUMPAGES fields."""
    marked = ctx.messages("Page {page} of {pages}", page=f"{MARK}PAGE{MARK}",
                          pages=f"{MARK}NUMPAGES{MARK}")
    for index, part in enumerate(marked.split(MARK)):
        if index % 2:
            p.append(x.field(part, "1", ctx.rtl))
        elif part:
            p.append(x.run(part, rtl=ctx.rtl))
