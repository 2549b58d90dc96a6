"""The document model in the middle: loaders produce a ``Leaflet``, writers consume it.

A closed set of block and inline types, like pandoc's ``Pandoc Meta [Block]``. Every block
carries a stable id (``section.pN``) so that a translated DOCX can be mapped back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.hours import localized
from lmets_docs.schema import Facts, Publisher, Reference


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Bold emphasis (large print never uses italics)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class FactRef:
    """A reference to a fact by name, e.g. ``helpline.phone``; writers format it."""

    name: str


@dataclass(frozen=True)
class GlossaryTerm:
    """A term the reader may want explained, e.g. "lumbar puncture".

    ``term`` names its glossary entry when that differs from the words in the text
    (``[LP](glossary:lumbar puncture)``); by default the words themselves do.
    """

    text: str
    term: str = ""

    @property
    def key(self) -> str:
        """Return the key of the term's glossary entry (case and spacing folded)."""
        return glossary_key(self.term or self.text)


def glossary_key(term: str) -> str:
    """Return the key a glossary term is matched by: ``Lumbar  Puncture`` → ``lumbar puncture``."""
    return " ".join(term.casefold().split())


@dataclass(frozen=True)
class GlossaryEntry:
    """A term's definition, in the leaflet's language, shown once in each format."""

    term: str
    definition: str
    anchor: str
    """The entry's id in the PDF and bookmark in the DOCX, which the term's first use links to."""


@dataclass(frozen=True)
class Link:
    """A link with visible text; ``url`` is http(s), tel: or mailto:."""

    children: tuple[Inline, ...]
    url: str


Inline = Text | Strong | FactRef | GlossaryTerm | Link


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline content."""

    id: str
    inlines: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class ListItem:
    """One list item (bulleted or numbered)."""

    id: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class BulletList:
    """A list of one level, bulleted or numbered; an optional lead-in is a separate paragraph.

    ``start`` is None for bullets, or the number of a numbered list's first item (``3.``
    starts at 3): a flag rather than a second block type, so every writer, reader and the
    importer that handle a list's items handle a numbered one's too, and only what draws
    or reads the label asks which it is.
    """

    id: str
    items: tuple[ListItem, ...]
    line: int = 0
    start: int | None = None

    @property
    def numbered(self) -> bool:
        """Say whether the list is numbered (its items' labels are their numbers)."""
        return self.start is not None

    def numbers(self) -> tuple[int, ...]:
        """Return each item's number, from ``start`` (empty for a bulleted list)."""
        if self.start is None:
            return ()
        return tuple(range(self.start, self.start + len(self.items)))


@dataclass(frozen=True)
class Figure:
    """A figure; ``path`` is None when there is no image file (print the description)."""

    id: str
    image: str
    alt: str
    path: Path | None
    line: int = 0


Block = Paragraph | BulletList | Figure


@dataclass(frozen=True)
class Section:
    """A section under a level-2 heading, with a stable id."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class StaleUnit:
    """A part of the source whose text changed since a translation was made from it."""

    id: str
    """The unit's id as files for translators name it (``intro.1``, ``section:diet``)."""
    place: str
    """Where a reader finds it: ``section 'Diet' paragraph 2``."""
    file: str
    """The source's language file (``en-GB.md``)."""
    line: int
    """Its line there (0 if unknown)."""


@dataclass(frozen=True)
class AcceptedDifference:
    """A translated unit whose numbers differ from its source's, accepted in its front matter."""

    id: str
    place: str
    source: tuple[str, ...]
    """The source unit's numbers (values in ASCII digits)."""
    translation: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class Leaflet:
    """One leaflet in one language, validated and ready for every writer."""

    id: str
    lang: str
    title: str
    publisher: Publisher
    facts: Facts
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    references: tuple[Reference, ...] = ()
    references_note: str | None = None
    lexicon: dict[str, str] = field(default_factory=dict)
    glossary: Mapping[str, GlossaryEntry] = field(default_factory=dict)
    """The defined terms used in the text, by key, in the glossary's (alphabetical) order."""
    warnings: tuple[str, ...] = ()
    """Problems in the source that do not stop a build (``file:line: message``)."""
    source_dir: Path = Path()
    source_file: Path = Path()
    source_hash: str = ""
    shared_files: tuple[Path, ...] = ()
    """A library's shared files the leaflet took facts from (``source.shared``)."""
    stale: tuple[StaleUnit, ...] = ()
    """A translation's parts whose source changed since (``source.stale``)."""
    numbers_accepted: tuple[AcceptedDifference, ...] = ()
    """A translation's parts whose numbers differ from the source's, accepted on purpose."""

    @property
    def publisher_name(self) -> str:
        """Return the publisher's name in the leaflet's language (``publisher.name``)."""
        return localized(self.publisher.name, self.lang) or ""

    @property
    def rtl(self) -> bool:
        """Say whether the language is written right to left."""
        return self.lang.split("-")[0] in RTL_LANGUAGES

    def definition(self, term: GlossaryTerm) -> GlossaryEntry | None:
        """Return the glossary entry of a term, or None if the source does not define it."""
        return self.glossary.get(term.key)

    def all_blocks(self) -> tuple[Block, ...]:
        """Return the intro's blocks and every section's blocks, in reading order."""
        blocks = list(self.intro)
        for section in self.sections:
            blocks.extend(section.blocks)
        return tuple(blocks)


RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi"})
