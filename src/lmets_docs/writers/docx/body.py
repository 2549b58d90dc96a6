"""Render the leaflet's blocks and inlines into a python-docx document.

One small function per block type and per inline type, found through read-only mappings.
Facts go into locked content controls in the fact style; every translatable unit sits inside
a bookmark named from its source id (see ``docx_ids``).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph as DocxParagraph

from lmets_docs import furniture
from lmets_docs.errors import BuildError
from lmets_docs.facts import FactFormatter, has_extension
from lmets_docs.i18n import Messages, left_to_right, right_to_left
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Leaflet,
    Link,
    Paragraph,
    Strong,
    Text,
)
from lmets_docs.numbering import word_format
from lmets_docs.ooxml.ids import Anchor
from lmets_docs.ooxml.names import LINK_ADDRESS_TAG
from lmets_docs.ooxml.styles import FIGURE_STYLE
from lmets_docs.text import inline_text, latin_joined, printed_address
from lmets_docs.writers.docx import xml as x
from lmets_docs.writers.docx.numbering import number, restart
from lmets_docs.writers.docx.styles import StyleIds, caption_style
from lmets_docs.writers.docx.svg import add_svg_picture

LTR_FACTS = (".phone", ".email", ".web")
"""Facts kept left to right inside right-to-left text (a phone number's groups keep order)."""
LRI, PDI = "\u2066", "\u2069"
"""Bidi isolates (Unicode 6.3): what is inside keeps its own order, and the text around it
sees one neutral character, so a number after it never joins a number inside it (which an
embedding, LRE … PDF, lets happen: LibreOffice drew an hour between a label and its phone)."""
MARK = "\x00"
"""Brackets a fact or field name inside a formatted message, so it can be split out again."""


@dataclass(frozen=True)
class Format:
    """How plain text is set: a character style and direct bold (for bold inside a link)."""

    style: str | None = None
    bold: bool = False


@dataclass
class Context:
    """What rendering needs: the document, the leaflet's facts and words, and counters."""

    document: Document
    leaflet: Leaflet
    facts: FactFormatter
    messages: Messages
    styles: StyleIds
    anchors: Mapping[tuple[str, str], Anchor]
    text_width: Length
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    facts_written: Counter[str] = field(default_factory=Counter)
    images: int = 0
    caption_pt: float = 0.0
    """The size of a picture's caption (the body's); its style is set up at the first one."""
    marked: set[str] = field(default_factory=set)
    """Glossary terms already marked: only a term's first use is (bold, linked to its entry)."""
    in_ltr: bool = False
    """Inside a left-to-right embedding of right-to-left text (``left_to_right_span``)."""

    @property
    def rtl(self) -> bool:
        """Say whether text runs right to left here (not inside a left-to-right embedding)."""
        return self.leaflet.rtl and not self.in_ltr


def fold_spaces(text: str) -> str:
    """Fold runs of whitespace to one space: layout is never made of spaces."""
    return re.sub(r"\s+", " ", text)


def paragraph(ctx: Context, container: Any, style: str) -> DocxParagraph:
    """Add an empty paragraph in the style named ``style`` to a document, header or footer."""
    para: DocxParagraph = container.add_paragraph()
    style_id = ctx.styles.paragraph[style]
    if style_id:  # set by id: python-docx looks names up by scanning every style
        para._p.style = style_id
    if ctx.rtl:
        x.set_bidi(para._p)
    return para


def open_bookmark(ctx: Context, p: Any, key: tuple[str, str]) -> int:
    """Start the bookmark of a source unit in paragraph element ``p``; return its id."""
    bookmark_id = next(ctx.ids)
    p.append(x.bookmark_start(bookmark_id, ctx.anchors[key].bookmark))
    return bookmark_id


def close_bookmark(p: Any, bookmark_id: int) -> None:
    """End bookmark ``bookmark_id`` at the end of paragraph element ``p``."""
    p.append(x.bookmark_end(bookmark_id))


# Inlines -------------------------------------------------------------------------------------


def render_inlines(ctx: Context, parent: Any, inlines: tuple[Inline, ...],
                   fmt: Format = Format()) -> None:
    """Append runs for ``inlines`` to a paragraph or hyperlink element.

    In right-to-left text the Latin words right after a left-to-right island (an address, a
    Latin link) are isolated with it (``latin_lead``), so that they read in their order.
    """
    for item, lead in latin_joined(inlines, lambda item: _island(ctx, item)):
        if lead and isinstance(item, Link) and _address_ends(ctx, item):
            # the link's address opens an isolate that its Latin words close (``_link``)
            _link(ctx, parent, item, fmt, isolate_open=True)
            parent.append(x.run(fold_spaces(lead), fmt.style, fmt.bold))
            parent.append(x.run(PDI))
        elif lead:
            with left_to_right_span(ctx, parent):
                INLINES[type(item)](ctx, parent, item, fmt)
                parent.append(x.run(fold_spaces(lead), fmt.style, fmt.bold))
        else:
            INLINES[type(item)](ctx, parent, item, fmt)


def _island(ctx: Context, item: Inline) -> bool:
    """Say whether ``item`` is isolated left to right in right-to-left text here."""
    if not ctx.rtl:
        return False
    if isinstance(item, FactRef):
        return ltr_fact(ctx, ctx.facts.canonical(item.name))
    return isinstance(item, Link) and (left_to_right(inline_text(item.children, ctx.facts))
                                       or _address_ends(ctx, item))


def _address_ends(ctx: Context, item: Link) -> bool:
    """Say whether a link in right-to-left text ends with its printed address (left to
    right) after words that are not left to right (``_address_control``)."""
    words = inline_text(item.children, ctx.facts)
    return ctx.rtl and not left_to_right(words) and bool(printed_address(item.url, words))


def _text(ctx: Context, parent: Any, item: Text | GlossaryTerm, fmt: Format) -> None:
    text_run(ctx, parent, fold_spaces(item.text), fmt)


def text_run(ctx: Context, parent: Any, text: str, fmt: Format = Format()) -> None:
    """Append a run of text: right to left in right-to-left text, unless it is Latin (or
    other left-to-right) text, which is embedded left to right (``left_to_right_span``)."""
    if text and ctx.rtl and left_to_right(text):
        with left_to_right_span(ctx, parent):
            parent.append(x.run(text, fmt.style, fmt.bold))
    elif text:
        parent.append(x.run(text, fmt.style, fmt.bold, ctx.rtl))


@contextlib.contextmanager
def left_to_right_span(ctx: Context, parent: Any) -> Iterator[None]:
    """Isolate what is written inside left to right (LRI … PDI, runs without ``w:rtl``).

    Word and LibreOffice then keep a Latin name, reference or address in its own order in a
    right-to-left paragraph: its full stop stays at its end, its link after its words.
    """
    if not ctx.rtl:
        yield
        return
    parent.append(x.run(LRI))
    ctx.in_ltr = True
    try:
        yield
    finally:
        ctx.in_ltr = False
        parent.append(x.run(PDI))


def _term(ctx: Context, parent: Any, item: GlossaryTerm, fmt: Format) -> None:
    # The term's own style marks it for import; inside bold it keeps its bold directly. The
    # first use of a defined term is bold and links to its glossary entry (an internal link,
    # which an import reads as the term alone).
    entry = ctx.leaflet.definition(item)
    bold = fmt.bold or fmt.style == ctx.styles.strong
    if entry is None or item.key in ctx.marked:
        _text(ctx, parent, item, Format(ctx.styles.glossary, bold))
        return
    ctx.marked.add(item.key)
    link = x.make("w:hyperlink", anchor=glossary_bookmark(entry.anchor))
    _text(ctx, link, item, Format(ctx.styles.glossary, bold=True))
    parent.append(link)


def glossary_bookmark(anchor: str) -> str:
    """Return the DOCX bookmark name of a glossary entry's anchor (letters, digits, ``_``)."""
    return anchor.replace("-", "_")


def _strong(ctx: Context, parent: Any, item: Strong, fmt: Format) -> None:
    inner = Format(fmt.style or ctx.styles.strong, bold=fmt.style is not None)
    render_inlines(ctx, parent, item.children, inner)


def _link(ctx: Context, parent: Any, item: Link, fmt: Format, isolate_open: bool = False) -> None:
    # A link whose words are not its address prints the address after them, inside the
    # link, as the PDF does: a clinic that prints the DOCX keeps it. With ``isolate_open``
    # the address's isolate is left open for the Latin words after the link to close.
    rel_id = ctx.document.part.relate_to(item.url, RT.HYPERLINK, is_external=True)
    link = x.make("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    bold = fmt.bold or fmt.style == ctx.styles.strong
    render_inlines(ctx, link, item.children, Format(ctx.styles.hyperlink, bold))
    address = printed_address(item.url, inline_text(item.children, ctx.facts))
    if address:
        link.append(_address_control(ctx, address, Format(ctx.styles.hyperlink, bold),
                                     isolate_open))
    parent.append(link)


def _address_control(ctx: Context, address: str, fmt: Format, isolate_open: bool = False,
                     space: str = " ") -> Any:
    """Return a link's printed address, " (address)" (``space`` before its bracket), in a
    locked content control tagged ``link-address``: no translator types over it, and an
    import leaves it out.

    In right-to-left text the address is isolated left to right with its brackets,
    " LRI (address) PDI" (the PDI left to the caller with ``isolate_open``): LibreOffice drew
    an opening bracket outside the isolate, where a line ended after it, unmirrored in the
    Latin words' run before it ("موقع NHS (" / "…chemotherapy)"), whatever the runs' ``w:rtl``.
    """
    holder = x.make("w:r")  # collects the runs: the control takes them as its content
    if ctx.rtl:
        text_run(ctx, holder, space, fmt)
        holder.append(x.run(LRI))
        holder.append(x.run(f"({address})", fmt.style, fmt.bold))
        if not isolate_open:
            holder.append(x.run(PDI))
    else:
        text_run(ctx, holder, f"{space}(", fmt)
        holder.append(x.run(address, fmt.style, fmt.bold))
        text_run(ctx, holder, ")", fmt)
    return x.content_control(
        tag=LINK_ADDRESS_TAG, alias=ctx.messages("Link address: do not translate"),
        sdt_id=next(ctx.ids), runs=list(holder), style=fmt.style or "")


def _fact(ctx: Context, parent: Any, item: FactRef, fmt: Format) -> None:
    write_fact(ctx, parent, item.name)
    link = ctx.facts[item.name].link or ""
    address = printed_address(link, ctx.facts.printed(item.name))
    in_body = parent.getroottree().getroot().tag == qn("w:document")
    if address and in_body and not in_hyperlink(parent):
        _fact_address(ctx, parent, link, address, fmt)


def _fact_address(ctx: Context, parent: Any, url: str, address: str, fmt: Format) -> None:
    """Append a fact's address after it, as a written link's (``_link``): for a fact whose
    link opens an address its words do not say (``forum.name``: "Cancer Chat"), " (address)"
    in its locked ``link-address`` control, in a link to that address right after the fact.

    The fact's words are not linked, and the link starts with the space before the address,
    outside its control: LibreOffice 7.4 saves as XML that does not parse (an ``sdtContent``
    or a ``hyperlink`` left open) a hyperlink that holds the fact's control and the
    address's, one inside the fact's control beside the address's to the same address, and
    one that starts with a control right after the fact's control.
    """
    link = x.make("w:hyperlink")
    link.set(qn("r:id"), ctx.document.part.relate_to(url, RT.HYPERLINK, is_external=True))
    style = Format(ctx.styles.hyperlink, fmt.bold or fmt.style == ctx.styles.strong)
    text_run(ctx, link, " ", style)
    link.append(_address_control(ctx, address, style, space=""))
    parent.append(link)


def write_fact(ctx: Context, parent: Any, name: str) -> None:
    """Append a fact's printed form as a locked content control tagged ``fact:<name>``.

    In right-to-left text a phone number, an address or Latin text is isolated left to right
    (LRI … PDI), so that no number around it joins it. A right-to-left fact (hours, a date)
    is not isolated: LibreOffice 7.4 draws the word after an RLI or FSI isolate over the
    fact's last letter ("السرطاهو"); the fixed words around it can hold no bidi control
    (``i18n`` refuses such a translation). A number whose extension follows a word in
    right-to-left letters is not isolated left to right (the number, the word and the
    extension then read from the right; its no-break spaces keep each run of digits whole).
    """
    name = ctx.facts.canonical(name)
    text = ctx.facts.printed(name)
    ltr_island = ctx.rtl and ltr_fact(ctx, name)
    runs = [x.run(text, ctx.styles.fact, rtl=ctx.rtl and not ltr_island)]
    control = x.content_control(
        tag=f"fact:{name}", alias=ctx.messages("Fact: {name}", name=name), sdt_id=next(ctx.ids),
        runs=_dialled(ctx, parent, name, runs), style=ctx.styles.fact,
    )
    if ltr_island:  # isolated outside the control, so that its text stays the fact
        parent.append(x.run(LRI))
    parent.append(control)
    if ltr_island:
        parent.append(x.run(PDI))
    ctx.facts_written[name] += 1


LINKED_FACTS = (".phone", ".email", ".web")
"""The facts the DOCX body links inside their control, each showing what its link opens; a
named link such as ``forum.name`` ("Cancer Chat") is followed by its address in a link of its
own instead (``_fact_address``)."""
LINKS = ("tel:", "mailto:", "https:", "http:")


def _dialled(ctx: Context, parent: Any, name: str, runs: list[Any]) -> list[Any]:
    """Return a phone number's, an email's or a web address's runs inside its ``tel:``,
    ``mailto:`` or ``https:`` link, as the web page gives it.

    The link sits inside the fact's locked control (Word and LibreOffice keep a hyperlink
    there). Not in a footer (its part would need a link of its own; the number is in the
    body's contacts) nor inside another link, which a hyperlink cannot hold.
    """
    link = ctx.facts[name].link or ""
    in_body = parent.getroottree().getroot().tag == qn("w:document")
    if (not name.endswith(LINKED_FACTS) or not link.startswith(LINKS) or not in_body
            or in_hyperlink(parent)):
        return runs
    hyperlink = x.make("w:hyperlink", runs)
    hyperlink.set(qn("r:id"), ctx.document.part.relate_to(link, RT.HYPERLINK, is_external=True))
    return [hyperlink]


def in_hyperlink(parent: Any) -> bool:
    """Say whether ``parent`` is a hyperlink or inside one (which can hold no other link)."""
    return bool(parent.tag == qn("w:hyperlink") or next(
        parent.iterancestors(qn("w:hyperlink")), None) is not None)


def ltr_fact(ctx: Context, name: str) -> bool:
    """Say whether fact ``name`` is isolated left to right in right-to-left text (``write_fact``).
    """
    text = ctx.facts.printed(name)
    if has_extension(ctx.facts[name]):  # "… ایکسٹینشن 48215" reads right to left
        return not right_to_left(text) and (name.endswith(LTR_FACTS) or left_to_right(text))
    return name.endswith(LTR_FACTS) or left_to_right(text)


INLINES: Mapping[type, Callable[[Context, Any, Any, Format], None]] = MappingProxyType({
    Text: _text,
    GlossaryTerm: _term,
    Strong: _strong,
    Link: _link,
    FactRef: _fact,
})


# Blocks --------------------------------------------------------------------------------------


def render_blocks(ctx: Context, blocks: tuple[Block, ...]) -> None:
    """Add paragraphs for ``blocks``, each inside the bookmark of its source id."""
    for block in blocks:
        BLOCKS[type(block)](ctx, block)


def _paragraph(ctx: Context, block: Paragraph) -> None:
    p = paragraph(ctx, ctx.document, "Normal")._p
    mark = open_bookmark(ctx, p, ("block", block.id))
    render_inlines(ctx, p, block.inlines)
    close_bookmark(p, mark)


def _bullets(ctx: Context, block: BulletList) -> None:
    # The list's bookmark spans its items; each item also has its own. A numbered list's
    # items are numbered by Word, from a numbering instance that restarts at its start.
    outer, p = 0, None
    lang = ctx.leaflet.lang
    num_id = 0 if block.start is None else restart(ctx.document, block.start, word_format(lang))
    for item in block.items:
        p = paragraph(ctx, ctx.document, "List Number" if num_id else "List Bullet")._p
        if num_id:
            number(p, num_id)
        outer = outer or open_bookmark(ctx, p, ("block", block.id))
        inner = open_bookmark(ctx, p, ("item", item.id))
        render_inlines(ctx, p, item.inlines)
        close_bookmark(p, inner)
    if p is not None:
        close_bookmark(p, outer)


def _figure(ctx: Context, block: Figure) -> None:
    style = FIGURE_STYLE if block.path is None else "Normal"
    para = paragraph(ctx, ctx.document, style)
    mark = open_bookmark(ctx, para._p, ("block", block.id))
    if block.path is None:
        text_run(ctx, para._p, fold_spaces(block.alt))
    else:
        _picture(ctx, para, block)
    close_bookmark(para._p, mark)
    if block.path is not None:
        _caption(ctx, para, block)


def _caption(ctx: Context, picture: DocxParagraph, block: Figure) -> None:
    # The description printed under the picture, as the PDF, web page and EPUB do; an import
    # knows it as the paragraph in the Caption style right after the figure's.
    picture.paragraph_format.keep_with_next = True
    style_id = caption_style(ctx.document.styles, ctx.caption_pt)
    para = paragraph(ctx, ctx.document, "Normal")
    para._p.style = style_id
    text_run(ctx, para._p, fold_spaces(block.alt))


def _picture(ctx: Context, para: DocxParagraph, block: Figure) -> None:
    path = block.path or Path()  # (a figure without a file is its description instead)
    try:
        if path.suffix.lower() == ".svg":  # drawn as a PNG, the SVG kept beside it
            shape = add_svg_picture(para.add_run(), path, [ctx.leaflet.source_dir])
        else:
            shape = para.add_run().add_picture(str(path))
    except BuildError:
        raise
    except Exception as exc:  # python-docx raises plain exceptions for unreadable images
        raise BuildError(f"{block.path}: cannot insert the image of figure {block.id!r} "
                         f"(not a PNG, JPEG, GIF, BMP or TIFF file?): {exc}") from exc
    if shape.width > ctx.text_width:
        shape.height = Length(int(shape.height * ctx.text_width / shape.width))
        shape.width = ctx.text_width
    ctx.images += 1
    name = f"Figure {ctx.images}"
    for props in (shape._inline.docPr, *shape._inline.iter(qn("pic:cNvPr"))):
        props.set("name", name)
        props.set("descr", block.alt)


BLOCKS: Mapping[type, Callable[[Context, Any], None]] = MappingProxyType({
    Paragraph: _paragraph,
    BulletList: _bullets,
    Figure: _figure,
})


# Headings and fixed words ---------------------------------------------------------------------


def heading(ctx: Context, text: str, level: int, key: tuple[str, str] | None = None) -> None:
    """Add a heading in the built-in style ``Heading <level>``, bookmarked if it has an id."""
    p = paragraph(ctx, ctx.document, f"Heading {level}")._p
    mark = open_bookmark(ctx, p, key) if key else 0
    text_run(ctx, p, fold_spaces(text))
    if mark:
        close_bookmark(p, mark)


def message(ctx: Context, msgid: str, **facts: str) -> tuple[Inline, ...]:
    """Return a fixed sentence in the leaflet's language with named facts left as FactRefs."""
    return furniture.message(ctx.messages, msgid, **facts)


def fixed_paragraph(ctx: Context, container: Any, style: str, inlines: tuple[Inline, ...]) -> Any:
    """Add a paragraph of furniture (no source id) and return its element."""
    p = paragraph(ctx, container, style)._p
    render_inlines(ctx, p, inlines)
    return p
