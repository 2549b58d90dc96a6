"""The ``docx`` writer: an editable Word document that translators can work in safely.

Structure: the leaflet title is Heading 1, then, as on the large-print PDF's first page, the
out-of-date notice (when overdue), the Helpline (Heading 2) with its box of contacts and the
review dates. Each section, like the fixed Glossary, References and About this information
sections at the end, is Heading 2, so headings start
at level 1, skip none and match the HTML and PDF editions (one H1). Facts sit in locked
content controls tagged ``fact:<name>``; each translatable unit sits in a bookmark named from
its source id, listed in a custom XML part; the leaflet id, language and source hash are
custom properties.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.shared import Length, Mm

from lmets_docs import __version__
from lmets_docs.errors import BuildError, raise_if_disk_full
from lmets_docs.i18n import messages
from lmets_docs.model import Leaflet
from lmets_docs.numbering import numbered_details
from lmets_docs.ooxml.ids import TITLE_ID, anchors
from lmets_docs.options import BuildOptions, PrintProfile
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult
from lmets_docs.writers.docx import furniture as furniture
from lmets_docs.writers.docx import package as package
from lmets_docs.writers.docx.body import Context, heading, render_blocks
from lmets_docs.writers.docx.styles import setup_styles

log = logging.getLogger(__name__)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_WIDTH = Length(PAGE_WIDTH - 2 * MARGIN)


@dataclass(frozen=True)
class Built:
    """A finished document and what the manifest should say about it."""

    document: Document
    details: dict[str, Any]


def build_document(leaflet: Leaflet, options: BuildOptions, profile: PrintProfile) -> Built:
    """Build the whole document in memory: page, styles, body, furniture, properties."""
    document = docx.Document()
    section = document.sections[0]
    _page_setup(section)
    styles = setup_styles(document, profile, leaflet.lang, leaflet.rtl)
    units = anchors(leaflet)
    words = messages(leaflet.lang, options.templates)
    ctx = Context(document, leaflet, formatter(leaflet), words, styles, units, TEXT_WIDTH,
                  caption_pt=profile.body_pt)
    overdue = _body(ctx, options)
    furniture.footer(ctx, section)
    _package(ctx, options, profile, units.values())
    details = {"profile": profile.name, "body_pt": profile.body_pt, "overdue": overdue,
               "helpline_box": True,
               "bookmarks": len(units), "facts": dict(sorted(ctx.facts_written.items()))
               } | numbered_details(leaflet)
    return Built(document, details)


def _page_setup(section: Any) -> None:
    # A4 portrait with 20 mm margins, as the large-print rules ask.
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(10)


def _body(ctx: Context, options: BuildOptions) -> bool:
    leaflet = ctx.leaflet
    heading(ctx, leaflet.title, 1, ("title", TITLE_ID))
    overdue = furniture.overdue_notice(ctx, options.today)
    furniture.helpline(ctx)  # the helpline box and review dates, as on the PDF's first page
    render_blocks(ctx, leaflet.intro)
    for section in leaflet.sections:
        heading(ctx, section.title, 2, ("section", section.id))
        render_blocks(ctx, section.blocks)
    furniture.glossary(ctx)
    furniture.references(ctx)
    furniture.review_dates(ctx)
    return overdue


def _package(ctx: Context, options: BuildOptions, profile: PrintProfile, units: Any) -> None:
    leaflet = ctx.leaflet
    package.drop_template_leftovers(ctx.document)
    package.set_core_properties(ctx.document, leaflet, ctx.messages("Patient information"),
                                options.today)
    package.add_custom_properties(ctx.document, {
        "lmets:leaflet": leaflet.id, "lmets:lang": leaflet.lang,
        "lmets:source_hash": leaflet.source_hash, "lmets:profile": profile.name,
        "lmets:generator": f"lmets-docs {__version__}",
    })
    printed = {name: value.printed for name, value in ctx.facts.values.items()}
    package.add_source_map(ctx.document, leaflet, units, printed)


class DocxWriter:
    """Write ``<id>-leaflet.docx``: built-in styles, locked facts, ids for translation."""

    name = "docx"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the DOCX of one leaflet language into ``out_dir``."""
        profile = options.print_profile(default="clear")
        path = out_dir / f"{leaflet.id}-leaflet.docx"
        built = build_document(leaflet, options, profile)
        try:
            package.save(built.document, path)
        except OSError as exc:
            raise_if_disk_full(exc, path)
            raise BuildError(f"{path}: cannot write the DOCX ({exc.strerror or exc})") from exc
        log.info("docx: wrote %s (%s print, %s pt)", path.name, profile.name, profile.body_pt)
        return WriterResult(files={"docx": path.name},
                            engines={"docx": f"python-docx {docx.__version__}"},
                            details=built.details)


WRITER = DocxWriter()
