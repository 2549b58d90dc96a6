"""The EPUB's content documents: one per chapter of the narration, in XHTML.

The intro (with the title, the publisher, the narration's line, the review dates, the
out-of-date notice and the helpline box, in the order the opening says them),
each section, and the back matter (the contacts and review
dates, which the closing chapter says; then the glossary and references, which are not
narrated). Blocks are the same fragments as the PDF's and the web page's (``writers.html``),
re-serialised as XML; a link to an id in another document is pointed at that document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree
from markupsafe import Markup, escape

from lmets_docs.model import Leaflet
from lmets_docs.text import formatter
from lmets_docs.writers import html
from lmets_docs.writers.audio.script import CLOSING_REF, TITLE_REF
from lmets_docs.writers.audio.timing import TrackTiming


@dataclass(frozen=True)
class Document:
    """One content document: its file name, title, body, and the track that narrates it."""

    name: str
    title: str
    body: Markup
    track: TrackTiming
    heading: str
    """The id of the document's heading, for the navigation document."""


DIRECTION_STYLE = "direction: {}"
"""The style ``writers.html.phone`` gives a number set right to left (with its ``dir``)."""


def image_name(path: Path) -> str:
    """Return where a figure's image goes in the book."""
    return f"images/{path.name}"


def documents(leaflet: Leaflet, tracks: tuple[TrackTiming, ...], front: Markup | None = None
              ) -> list[Document]:
    """Return the content documents, each tied to the track that narrates it, in order.

    ``front`` goes after the title, before the intro: what page 1 of the large-print PDF
    and the top of the web page carry (``templates/epub/front.xhtml``).
    """
    ctx = html.HtmlContext(formatter(leaflet), image_src=image_name, glossary=leaflet.glossary,
                           sentences=True, rtl=leaflet.rtl)
    first = Markup('<h1 id="{}">{}</h1>\n').format(TITLE_REF, leaflet.title) + (front or "")
    docs = [Document("c01.xhtml", leaflet.title, first + html.blocks(leaflet.intro, ctx),
                     tracks[0], TITLE_REF)]
    for number, section in enumerate(leaflet.sections, start=2):
        body = Markup('<h2 id="{}">{}</h2>\n').format(section.id, section.title)
        docs.append(Document(f"c{number:02d}.xhtml", section.title,
                             body + html.blocks(section.blocks, ctx), tracks[number - 1],
                             section.id))
    return docs


def back_name(count: int) -> str:
    """Return the back matter's file name, after ``count`` narrated chapters."""
    return f"c{count:02d}.xhtml"


def closing_body(title: str, contacts: Markup, lines: list[Markup]) -> Markup:
    """Return the narrated part of the back matter: the contacts (the web page's list, each
    contact's name its heading) and the review dates."""
    paragraphs = Markup("\n").join(Markup("<p>{}</p>").format(line) for line in lines)
    # The section is one clip's text: its heading has no id of its own to be narrated apart.
    return Markup('<section id="{}" class="contacts">\n<h2>{}</h2>\n{}\n{}\n</section>'
                  ).format(CLOSING_REF, title, contacts, paragraphs)


def xhtml(fragment: Markup, here: str, where: dict[str, str]) -> Markup:
    """Return an HTML fragment as well-formed XHTML, links to other documents' ids fixed.

    ``where`` maps each id to the document that holds it.
    """
    root = lxml.html.fragment_fromstring(str(fragment), create_parent="div")
    for element in root.iter():
        if element.get("lang"):  # XHTML wants the language in xml:lang too
            element.set("{http://www.w3.org/XML/1998/namespace}lang", str(element.get("lang")))
        if element.get("dir") and element.get("style") == DIRECTION_STYLE.format(
                element.get("dir")):
            # The web page's phone number in right-to-left words sets its direction in a style
            # too, against a style sheet's; an EPUB may not use the property (EPUBCheck
            # CSS-001), and its own sheet never sets it: ``dir`` does it.
            del element.attrib["style"]
    for link in root.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and where.get(href[1:], here) != here:
            link.set("href", where[href[1:]] + href)
    text = "".join(etree.tostring(child, encoding="unicode", method="xml") for child in root)
    return escape(root.text or "") + Markup(text)


def ids(fragment: Markup) -> list[str]:
    """Return every id in an HTML fragment, in document order."""
    root = lxml.html.fragment_fromstring(str(fragment), create_parent="div")
    return [str(el.get("id")) for el in root.iter() if el.get("id")]
