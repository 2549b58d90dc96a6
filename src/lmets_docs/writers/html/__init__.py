"""Render the document model to HTML fragments: one small function per block and inline type.

Every piece of leaflet text is escaped here (markupsafe); nothing from a leaflet is ever
evaluated as a template. The PDF writer puts these fragments into its Jinja templates; an HTML
edition can reuse them.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from lmets_docs import sentence
from lmets_docs.facts import FactFormatter, FactValue
from lmets_docs.furniture import Line
from lmets_docs.i18n import left_to_right, right_to_left
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryEntry,
    GlossaryTerm,
    Inline,
    Link,
    Paragraph,
    Strong,
    Text,
)
from lmets_docs.schema import Reference
from lmets_docs.text import (
    fact_links,
    inline_text,
    latin_joined,
    printed_address,
    reference_text,
)


def file_uri(path: Path) -> str:
    """Return the ``file://`` URI of a local file (the default image source)."""
    return path.resolve().as_uri()


@dataclass(frozen=True)
class HtmlContext:
    """What rendering needs besides the model: facts, where images live, the glossary.

    ``marked`` collects the glossary terms already marked: only a term's first use, in
    reading order, is marked (bold, linked to its entry in the glossary section).
    """

    facts: FactFormatter
    image_src: Callable[[Path], str] = file_uri
    glossary: Mapping[str, GlossaryEntry] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)
    no_picture: str = "Picture not included: {description}"
    """What a figure without an image file says (translated by the writer's catalogue)."""
    in_link: bool = False
    """Inside a link, no element may wrap words: WeasyPrint would make it a second link."""
    sentences: bool = False
    """Give each sentence of a paragraph or list item its own element (for Media Overlays)."""
    rtl: bool = False
    """The leaflet is right to left: left-to-right facts and links are isolated (``isolate``)."""
    print_address: Callable[[str], str] | None = None
    """For print: the address a link's words are followed by (its text, break controls
    included, from the link's target), so a reader holding the paper has it; None: not."""


def inlines(items: Iterable[Inline], ctx: HtmlContext) -> Markup:
    """Return inline content as HTML.

    In right-to-left text the Latin words right after a left-to-right isolate (an address,
    a Latin link) join it in one isolate (``latin_joined``): "name@example.org NHS" is read
    in that order, not as "NHS name@example.org"; so do those after a link whose words are
    right to left and whose printed address ends it (``_link_then_latin``).
    """
    out = Markup("")
    items = tuple(items)
    if ctx.print_address is not None and not ctx.in_link:  # print: a linked fact is a link
        items = fact_links(items, ctx.facts)
    for item, lead in latin_joined(items, lambda item: _ltr_island(item, ctx)):
        if lead and isinstance(item, Link) and (address := _address_after(item, ctx)):
            out += _link_then_latin(item, ctx, address, lead)
            continue
        html = _INLINES[type(item)](item, ctx)
        out += Markup('<bdi dir="ltr">{}{}</bdi>').format(html, text(lead)) if lead else html
    return out


def _ltr_island(item: Inline, ctx: HtmlContext) -> bool:
    """Say whether ``item`` is isolated left to right in right-to-left text, or ends so (a
    link in right-to-left words whose address is printed after them: ``_address_after``)."""
    if not ctx.rtl or ctx.in_link:
        return False
    if isinstance(item, FactRef):
        printed = ctx.facts[item.name].printed
        return left_to_right(printed) or (_is_phone(ctx.facts[item.name]) and not right_to_left(
            printed))
    return isinstance(item, Link) and (left_to_right(inline_text(item.children, ctx.facts))
                                       or bool(_address_after(item, ctx)))


def _address_after(item: Link, ctx: HtmlContext) -> str:
    """Return the address printed after a link's words (its break controls in), where the
    link is in right-to-left text, its words are not left to right and print gives its
    address: the link then ends left to right. Else ""."""
    plain = inline_text(item.children, ctx.facts)
    if (ctx.print_address is None or not ctx.rtl or left_to_right(plain)
            or not printed_address(item.url, plain)):
        return ""
    return ctx.print_address(item.url)


def _link_then_latin(item: Link, ctx: HtmlContext, address: str, lead: str) -> Markup:
    """Return a right-to-left-worded link whose printed address is followed by Latin words
    (``lead``): the words as one link, then the address, as a second link to the same
    target, in one left-to-right isolate with its brackets and the Latin words.

    In one link the address would end the link inside its isolate, and the Latin words come
    after the link: WeasyPrint honours no isolate that spans the link's end (an isolating
    control or a ``bdi`` across ``</a>``), so the address and the words were two
    left-to-right runs set from right to left ("Macmillan (www…/help) موقعنا" read from the
    left). An element isolates them: "(www…/help) Macmillan", after the link's words.
    """
    inside = dataclasses.replace(ctx, in_link=True)
    return Markup('<a href="{url}">{words}</a> <bdi dir="ltr">(<a class="address" href="{url}">'
                  '{address}</a>){lead}</bdi>').format(
        url=item.url, words=inlines(item.children, inside), address=address, lead=text(lead))


def _text(item: Text, ctx: HtmlContext) -> Markup:
    return Markup("{}").format(item.text) if ctx.in_link else text(item.text)


_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


def text(value: str) -> Markup:
    """Return plain text as HTML, keeping hyphenated words (``x-rays``) whole on one line."""
    out, last = Markup(""), 0
    for match in _HYPHENATED.finditer(value):
        out += value[last : match.start()]
        out += Markup('<span class="nobreak">{}</span>').format(match.group())
        last = match.end()
    return out + value[last:]


def _strong(item: Strong, ctx: HtmlContext) -> Markup:
    return Markup("<strong>{}</strong>").format(inlines(item.children, ctx))


def _fact(item: FactRef, ctx: HtmlContext) -> Markup:
    value = ctx.facts[item.name]
    if ctx.in_link:
        return Markup("{}").format(value.printed)
    return isolated_fact(value, fact(value), ctx.rtl)


def _term(item: GlossaryTerm, ctx: HtmlContext) -> Markup:
    # A term with no definition is shown in bold; a definition is never made up.
    entry = ctx.glossary.get(item.key)
    if entry is None:
        return Markup('<strong class="term">{}</strong>').format(text(item.text))
    if item.key in ctx.marked:
        return text(item.text)
    ctx.marked.add(item.key)
    # Links are bold (leaflet.css); an element inside the link would get a second annotation.
    return Markup('<a class="term" href="#{}" title="{}">{}</a>').format(
        entry.anchor, f"{entry.term}: {entry.definition}", text(item.text))


def _link(item: Link, ctx: HtmlContext) -> Markup:
    inside = dataclasses.replace(ctx, in_link=True)
    words, plain = inlines(item.children, inside), inline_text(item.children, ctx.facts)
    address = printed_address(item.url, plain)
    if ctx.print_address is not None and address:
        # Inside the link, as text: an element inside it would be a second link (WeasyPrint).
        # Left to right in right-to-left text: isolated by controls, which draw nothing.
        shown = f"\u2066{ctx.print_address(item.url)}\u2069" if ctx.rtl else ctx.print_address(
            item.url)
        link = Markup('<a class="address" href="{}">{} ({})</a>').format(item.url, words, shown)
    else:
        link = Markup('<a href="{}">{}</a>').format(item.url, words)
    return isolate(link, plain) if ctx.rtl else link


def isolate(content: Markup, plain: str) -> Markup:
    """Return ``content`` isolated left to right if ``plain`` (its text) is left to right.

    In right-to-left text a Latin name, address or reference must be an isolate of its own:
    otherwise its full stop or question mark moves to its left end, and WeasyPrint sets its
    elements (a name, then its link) from right to left.
    """
    return Markup('<bdi dir="ltr">{}</bdi>').format(content) if left_to_right(plain) else content


def isolated_fact(value: FactValue, content: Markup, rtl: bool) -> Markup:
    """Return a fact's HTML isolated in right-to-left text (``rtl``): left to right if it is
    Latin text, else right to left.

    An isolate keeps the fact's own order whatever the words around it hold (a catalogue's
    bidi control, a Latin name before it): a date is never read backwards, an hour never
    joins the number before it. Phone numbers, email and web addresses are isolated already
    (``phone``), in every text.
    """
    if not rtl or _is_phone(value):
        return content
    direction = "ltr" if left_to_right(value.printed) else "rtl"
    return Markup('<bdi dir="{}">{}</bdi>').format(direction, content)


def fact(value: FactValue, linked: bool = True) -> Markup:
    """Return a fact in its printed form, linked when it has a link; phone numbers stay LTR.

    A number whose extension is in right-to-left words ("… ایکسٹینشن 48215") is set right to
    left instead, its spaces no-break ones: the number, the word and the extension's digits
    are then read in that order from the right, and each run of digits keeps its own order.
    """
    rtl_phone = _is_phone(value) and right_to_left(value.printed)
    if linked and value.link:
        # Kept whole as one: WeasyPrint would give an element inside a link its own link.
        kind = "fact nobreak" if kept_whole(value) else "fact"
        shown = unbroken(value) if rtl_phone else value.printed
        text = Markup('<a class="{}" href="{}">{}</a>').format(kind, value.link, shown)
    else:
        text = Markup('<span class="fact">{}</span>').format(unbroken(value))
    if not _is_phone(value):
        return text
    return phone(text, rtl_phone, "phone" if (value.link or "").startswith("tel:") else "address")


_PIECES = re.compile(r"([,\u060c;\u061b]\s+|\s+[\u2013\u2014]\s+)")


def kept_whole(value: FactValue) -> bool:
    """Say whether no line break may fall inside a fact: a phone number, hours or a date.

    Names, notes, email and web addresses wrap like any words (an address kept whole could
    run past the margin).
    """
    return value.name.endswith((".phone", ".hours")) or value.name.startswith("review.")


def unbroken(value: FactValue) -> Markup:
    """Return a fact's printed form so that no line break falls inside a number, date or time.

    Opening hours are kept whole piece by piece between commas, semicolons and dashes ("9 am
    to 5 pm", "Monday to Friday"), so a long line can still break between them; a long
    piece of words alone (a note) wraps like words.
    """
    if not kept_whole(value):
        return Markup("{}").format(value.printed)
    if not value.name.endswith(".hours"):
        # No-break spaces, not an element: in right-to-left text an element boundary would
        # reorder the date's runs ("1 جون، 2025"), and its comma is no place for a break.
        return Markup("{}").format(value.printed.replace(" ", "\u00a0"))
    pieces = _PIECES.split(value.printed)
    return Markup("").join(
        Markup('<span class="nobreak">{}</span>').format(piece) if i % 2 == 0
        and _whole(piece) else piece
        for i, piece in enumerate(pieces) if piece)


_KEPT_PIECE = re.compile(r'(<span class="nobreak">)([^<]*)(</span>)')
_NUMBER_THEN_WORD = re.compile(r"(\d) (?=[^\W\d])")


def times_whole(page: str) -> str:
    """Return a screen's page with each time in a piece of opening hours kept whole.

    On a narrow screen the pieces wrap between their words (the web page's and the EPUB's
    style sheets: a piece kept whole ran past the edge), but never inside a time: a number
    and the word after it ("12:30 pm", "9 am") are joined by a no-break space (STANDARDS: a
    time is never split across lines). The printed leaflet keeps its pieces whole instead.
    """
    return _KEPT_PIECE.sub(
        lambda m: m[1] + _NUMBER_THEN_WORD.sub("\\1\u00a0", m[2]) + m[3], page)


LONGEST_WHOLE = 30
"""The longest piece of opening hours without a digit kept whole (a giant-print contact box's
line holds 30 wide letters): a longer one is a note ("except bank holidays and …"), which
wraps between its words like any words."""


def _whole(piece: str) -> bool:
    """Say whether a piece of opening hours is kept whole: a time, or a few words."""
    return len(piece) <= LONGEST_WHOLE or any(ch.isdigit() for ch in piece)


def furniture_line(line: Line, facts: FactFormatter, linked: bool = True,
                   rtl: bool = False) -> Markup:
    """Return a line of the leaflet's furniture (``lmets_docs.furniture``) as HTML.

    A contact's facts are set as everywhere (a linked number, left to right; hours kept
    whole piece by piece); a review date is text no line break may split. In right-to-left
    text (``rtl``) every fact is isolated (``isolated_fact``). A right-to-left review date is
    isolated where the line's own words are right to left (the date's script says so, also
    where the caller does not: the PDF's overdue notice); after an English label (a language
    without a catalogue) it is not, as pdftotext could not then tell the date's first number
    from the label's run, and ``check`` would miss the date.
    """
    words = right_to_left(" ".join(item.text for item in line.inlines if isinstance(item, Text)))
    return Markup("").join(_furniture_inline(item, facts, linked, rtl, words)
                           for item in line.inlines)


def _furniture_inline(item: Inline, facts: FactFormatter, linked: bool, rtl: bool,
                      words_rtl: bool = False) -> Markup:
    if isinstance(item, Strong):
        inner = Line("", None, item.children)
        return Markup("<strong>{}</strong>").format(furniture_line(inner, facts, linked, rtl))
    if isinstance(item, FactRef):
        if item.name.startswith("review."):
            value = facts[item.name]
            return isolated_fact(value, unbroken(value), words_rtl and right_to_left(value.printed))
        content = optional_fact(facts, item.name, linked)
        return Markup("") if content is None else isolated_fact(facts[item.name], content, rtl)
    return Markup("{}").format(inline_text((item,), facts))


CONTACT_FIELDS = ("name", "phone", "hours", "email", "web", "note")


def contact(facts: FactFormatter, contact_id: str) -> dict[str, Markup | None]:
    """Return one contact's facts as HTML: name, phone, hours, email, web and note."""
    prefix = f"contacts.{contact_id}."
    return {field: optional_fact(facts, prefix + field) for field in CONTACT_FIELDS}


def optional_fact(facts: FactFormatter, name: str, linked: bool = True) -> Markup | None:
    """Return a fact as HTML (linked when it has a link), or None if the leaflet has none."""
    if facts.canonical(name) not in facts.values:
        return None
    value = facts[name]
    if name.endswith(".hours"):
        return Markup('<span class="hours">{}</span>').format(fact(value))
    return fact(value, linked=linked)


def phone(content: str, rtl: bool = False, kind: str = "phone") -> Markup:
    """Return a phone number isolated left to right, so RTL text never reverses its groups.

    ``kind`` is the isolate's class: ``phone`` for a number, ``address`` for an email or web
    address (isolated the same way; the style sheets keep a number on one line and let an
    address break at its own places). With ``rtl`` (an extension in right-to-left words) the
    isolate is right to left, set in its own style so that no style sheet's
    ``direction: ltr`` for phones reverses it.
    """
    if rtl:
        return Markup('<bdi class="{}" dir="rtl" style="direction: rtl">{}</bdi>').format(
            kind, content)
    return Markup('<bdi class="{}" dir="ltr">{}</bdi>').format(kind, content)


def fill(message: str, **values: str) -> Markup:
    """Return a (translated) message with its ``{name}`` fields replaced by escaped values.

    Values that are already ``Markup`` (a linked phone number) are kept as they are, so a
    translator's text never has to contain HTML.
    """
    out = Markup("")
    for literal, name, _spec, _conversion in string.Formatter().parse(message):
        out += literal
        if name is not None:
            out += values.get(name, f"{{{name}}}")
    return out


def _is_phone(value: FactValue) -> bool:
    """Say whether a fact is read left to right whatever the script: a number or address."""
    return bool(value.link and value.link.startswith("tel:")) or value.name.endswith(
        (".email", ".web"))


_INLINES: Mapping[type, Callable[[Any, HtmlContext], Markup]] = MappingProxyType({
    Text: _text,
    Strong: _strong,
    FactRef: _fact,
    GlossaryTerm: _term,
    Link: _link,
})


def blocks(items: Iterable[Block], ctx: HtmlContext) -> Markup:
    """Return blocks as HTML, one element per block, each with the block's stable id."""
    return Markup("\n").join(_BLOCKS[type(item)](item, ctx) for item in items)


def _paragraph(block: Paragraph, ctx: HtmlContext) -> Markup:
    return Markup('<p id="{}">{}</p>').format(block.id, _sentences(block.id, block.inlines, ctx))


def _sentences(block_id: str, items: tuple[Inline, ...], ctx: HtmlContext) -> Markup:
    # With ``ctx.sentences``, each sentence of several is a span the narration can point at.
    runs = sentence.split(items) if ctx.sentences else [items]
    if len(runs) < 2:
        return inlines(items, ctx)
    return Markup(" ").join(
        Markup('<span id="{}">{}</span>').format(sentence.sentence_id(block_id, n),
                                                 inlines(run, ctx))
        for n, run in enumerate(runs, start=1))


def _bullets(block: BulletList, ctx: HtmlContext) -> Markup:
    items = Markup("").join(
        Markup('\n<li id="{}">{}</li>').format(item.id, _sentences(item.id, item.inlines, ctx))
        for item in block.items
    )
    if not block.numbered:
        return Markup('<ul id="{}">{}\n</ul>').format(block.id, items)
    start = Markup(' start="{}"').format(block.start) if block.start != 1 else Markup("")
    return Markup('<ol id="{}"{}>{}\n</ol>').format(block.id, start, items)


def _figure(block: Figure, ctx: HtmlContext) -> Markup:
    if block.path is None:
        # No picture: say so, and print its description in its place.
        return Markup('<figure id="{}" class="described"><p>{}</p></figure>').format(
            block.id, fill(ctx.no_picture, description=block.alt))
    # The caption prints the description for sighted readers; a screen reader hears it once,
    # as the picture's alternative text, so the caption that repeats it is hidden from it
    # (an empty alt would make the picture decorative: skipped, and no /Alt in the PDF).
    return Markup('<figure id="{}"><img src="{}" alt="{}"><figcaption aria-hidden="true">{}'
                  '</figcaption></figure>'
                  ).format(block.id, ctx.image_src(block.path), block.alt, block.alt)


_BLOCKS: Mapping[type, Callable[[Any, HtmlContext], Markup]] = MappingProxyType({
    Paragraph: _paragraph,
    BulletList: _bullets,
    Figure: _figure,
})


def glossary_entry(entry: GlossaryEntry, message: str) -> Markup:
    """Return a glossary entry's paragraph: the term in bold, then its definition."""
    filled = fill(message, term=Markup("<strong>{}</strong>").format(text(entry.term)),
                  definition=text(entry.definition))
    return Markup('<p id="{}">{}</p>').format(entry.anchor, filled)


def reference(ref: Reference, rtl: bool = False) -> Markup:
    """Return a reference in the house style (as in the DOCX), its web address linked.

    In right-to-left text a left-to-right reference is isolated whole (``isolate``).
    """
    out = text(reference_text(ref))
    if ref.url:
        out += Markup(' <a href="{}">{}</a>').format(ref.url, ref.url)
    return isolate(out, reference_text(ref)) if rtl else out


def publisher(name: str, rtl: bool = False) -> Markup:
    """Return the publisher's name, isolated in right-to-left text if it is left to right."""
    return isolate(Markup("{}").format(name), name) if rtl else Markup("{}").format(name)
