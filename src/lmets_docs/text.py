"""Plain text of the model, printed or spoken: shared by writers, tests and ``check``."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping

import regex

from lmets_docs.facts import FactFormatter, web_printed
from lmets_docs.i18n import latin_lead
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
from lmets_docs.schema import Reference


def inline_text(inlines: tuple[Inline, ...], facts: FactFormatter, spoken: bool = False) -> str:
    """Return the text of inline content with every fact in its printed (or spoken) form."""
    return "".join(_one(item, facts, spoken) for item in inlines)


def _one(item: Inline, facts: FactFormatter, spoken: bool) -> str:
    if isinstance(item, Text):
        return item.text
    if isinstance(item, FactRef):
        return facts.spoken(item.name) if spoken else facts.printed(item.name)
    if isinstance(item, GlossaryTerm):
        return item.text
    if isinstance(item, Strong | Link):
        return inline_text(item.children, facts, spoken)
    raise TypeError(f"unknown inline {item!r}")


def printed_text(inlines: tuple[Inline, ...], facts: FactFormatter) -> str:
    """Return the text of inline content as print gives it: each link whose words do not
    say its address followed by it in brackets (``printed_address``), a linked fact's too
    (``fact_links``): "Cancer Chat (www.cancerresearchuk.org/about-cancer/cancer-chat)"."""
    out = ""
    for item in fact_links(inlines, facts):
        if isinstance(item, Strong):
            out += printed_text(item.children, facts)
        elif isinstance(item, Link):
            words = inline_text(item.children, facts)
            address = printed_address(item.url, words)
            out += f"{words} ({address})" if address else words
        else:
            out += _one(item, facts, False)
    return out


def block_texts(block: Block, facts: FactFormatter, spoken: bool = False,
                printed: bool = False) -> list[str]:
    """Return the text of a block: one string per paragraph, list item or figure (as print
    gives it with ``printed``: each link's unsaid address after it, ``printed_text``)."""
    def text(inlines: tuple[Inline, ...]) -> str:
        return printed_text(inlines, facts) if printed else inline_text(inlines, facts, spoken)

    if isinstance(block, Paragraph):
        return [text(block.inlines)]
    if isinstance(block, BulletList):
        return [text(item.inlines) for item in block.items]
    if isinstance(block, Figure):
        return [block.alt]
    raise TypeError(f"unknown block {block!r}")


def formatter(leaflet: Leaflet) -> FactFormatter:
    """Return the fact formatter for a leaflet's language."""
    return FactFormatter(leaflet.facts, leaflet.publisher, leaflet.lang)


def body_texts(leaflet: Leaflet, spoken: bool = False, printed: bool = False) -> list[str]:
    """Return every text of the body in reading order: title, headings, blocks (as print
    gives them with ``printed``, ``block_texts``)."""
    facts = formatter(leaflet)
    texts = [leaflet.title]
    texts += [t for block in leaflet.intro for t in block_texts(block, facts, spoken, printed)]
    for section in leaflet.sections:
        texts.append(section.title)
        texts += [t for block in section.blocks
                  for t in block_texts(block, facts, spoken, printed)]
    return texts


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=\S)")


def sentences(text: str) -> list[str]:
    """Split text into sentences (at . ! ? : followed by a space), whitespace folded."""
    folded = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(folded) if s]


def leaflet_sentences(leaflet: Leaflet, printed: bool = False) -> list[str]:
    """Return every sentence of the leaflet; with ``printed``, every sentence a reader must
    find in a printed format of it (each link's address printed after its words,
    ``printed_text``)."""
    out: list[str] = []
    for text in body_texts(leaflet, printed=printed):
        out.extend(sentences(text))
    for ref in leaflet.references:
        out.extend([ref.title, ref.authors, ref.source])
    if leaflet.references_note:
        out.extend(sentences(leaflet.references_note))
    return out


def fold(text: str) -> str:
    """Fold whitespace (and soft hyphens) so extracted text compares with the source."""
    return " ".join(text.replace("\u00ad", "").split())


_ENDS_IN_PUNCTUATION = regex.compile(r"[\p{Terminal_Punctuation}\u2026]\s*$")
_LEADING_PUNCTUATION = regex.compile(r"^[\p{Sentence_Terminal}:\uff1a]+")
"""A message's own full stop (or colon) after a field; a comma after "Ltd." is kept."""


def ends_in_punctuation(text: str) -> bool:
    """Say whether text ends in punctuation that ends a sentence or clause, in any script.

    Unicode's Terminal_Punctuation: ``. ? ! : ;``, the Arabic-script question mark, full
    stop and semicolon (U+061F, U+06D4, U+061B), the Devanagari danda, the CJK full-width
    marks and the rest, plus the ellipsis.
    """
    return bool(_ENDS_IN_PUNCTUATION.search(text))


def punctuated(message: str, values: Mapping[str, object]) -> str:
    """Fill a message's ``{name}`` fields, never doubling punctuation after a value.

    ``"Part 2 of 6: {title}."`` with the title "What are mouth ulcers?" gives "… ulcers?",
    not "… ulcers?."; the same for ``!``, ``:``, ``؟`` and every script's own marks.
    """
    out, after_punctuation = "", False
    for literal, name, _spec, _conversion in string.Formatter().parse(message):
        out += _LEADING_PUNCTUATION.sub("", literal) if after_punctuation else literal
        if name is not None:
            value = str(values[name])
            out += value
            after_punctuation = ends_in_punctuation(value)
    return out


def full_stop(text: str) -> str:
    """Return text ending in punctuation: a full stop is added only if it has none."""
    return text if ends_in_punctuation(text) else f"{text}."


def reference_text(ref: Reference) -> str:
    """Return a reference in the one house style of every format: "Authors. Title. Source."

    Authors first, as medical references are cited (Vancouver); the formats number the list
    and add the web address, if any, after it.
    """
    return " ".join(full_stop(part) for part in (ref.authors, ref.title, ref.source))


def glossary_terms(inlines: tuple[Inline, ...]) -> list[GlossaryTerm]:
    """Return the glossary terms in inline content, in reading order (inside bold and links)."""
    found: list[GlossaryTerm] = []
    for item in inlines:
        if isinstance(item, GlossaryTerm):
            found.append(item)
        elif isinstance(item, Strong | Link):
            found += glossary_terms(item.children)
    return found


def printed_address(url: str, words: str) -> str:
    """Return the web or email address a link opens as print gives it (``www.nhs.uk/…``,
    ``ward@example.org``), or "" when its words already say it or it opens no address."""
    if url.startswith("mailto:"):
        address = url.removeprefix("mailto:")
    elif url.startswith(("http://", "https://")):
        address = web_printed(url)
    else:
        return ""
    return "" if web_printed(words.strip()) in (address, url) else address


def fact_link(item: Inline, facts: FactFormatter) -> Inline:
    """Return a fact whose link opens an address its printed words do not say (``forum.name``:
    "Cancer Chat" over ``https://…/cancer-chat/``) as a written link around the fact, which
    the print, braille and narration treat as any other link (its address in brackets after
    its words); anything else as it is. A phone number, an email or a web address prints
    what its link opens, and stays a fact alone."""
    if isinstance(item, FactRef):
        value = facts[item.name]
        if value.link and printed_address(value.link, value.printed):
            return Link((item,), value.link)
    return item


def fact_links(inlines: tuple[Inline, ...], facts: FactFormatter) -> tuple[Inline, ...]:
    """Return inline content with each linked fact a link (``fact_link``), inside bold too
    (not inside a written link, which holds no link)."""
    return tuple(Strong(fact_links(item.children, facts)) if isinstance(item, Strong)
                 else fact_link(item, facts) for item in inlines)


def unsaid_addresses(inlines: tuple[Inline, ...], facts: FactFormatter) -> list[str]:
    """Return the addresses of the links in inline content whose words do not say them
    (``printed_address``), a linked fact's too (``fact_link``), in reading order (inside
    bold too)."""
    found: list[str] = []
    for item in fact_links(inlines, facts):
        if isinstance(item, Link):
            address = printed_address(item.url, inline_text(item.children, facts))
            found += [address] if address else []
        elif isinstance(item, Strong):
            found += unsaid_addresses(item.children, facts)
    return found


def latin_joined(items: tuple[Inline, ...], island: Callable[[Inline], bool]
                 ) -> Iterator[tuple[Inline, str]]:
    """Yield each inline with the Latin words that join it if it is a left-to-right
    ``island`` of right-to-left text (``latin_lead`` of the text after it); the text after
    it then comes without them."""
    cut = 0
    for item, after in zip(items, (*items[1:], None), strict=True):
        current = Text(item.text[cut:]) if cut and isinstance(item, Text) else item
        lead = latin_lead(after.text) if isinstance(after, Text) and island(current) else ""
        yield current, lead
        cut = len(lead)
