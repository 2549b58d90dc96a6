"""The narration script: what is said, in which chapters, with which pauses.

Made from the model (never from another format) by a speech template: an opening (title,
publisher, what this is, the main helpline's number and hours, how long it lasts, when it
was reviewed), one chapter per section with its heading announced, and a closing (the
helpline again, the sources, the review dates). Fixed sentences come from ``i18n.messages``
so that translators can supply them. Each segment keeps the words said and, separately, the
words the engine is given (the pronunciation lexicon applied) and what the transcript and
the captions write: the words said, but a phone number and opening hours as printed
(``as_printed``). The leaflet's prose (title, headings, text, glossary, picture
descriptions) has its symbols said in words first (``speech.symbols``: "37.5 °C" is "37.5
degrees Celsius"), sentence by sentence, so that each sentence keeps its clip; the facts are
said by their own code and never changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import regex
from babel.dates import format_timedelta

from lmets_docs import furniture, sentence
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import Messages, babel_locale, messages
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
    Section,
    Strong,
    Text,
)
from lmets_docs.numbering import spoken_label
from lmets_docs.speech.symbols import SymbolWords
from lmets_docs.text import (
    ends_in_punctuation,
    formatter,
    full_stop,
    glossary_terms,
    punctuated,
    unsaid_addresses,
)

PAUSE_S = {
    "title": 0.9,
    "sentence": 0.6,
    "heading": 1.0,
    "paragraph": 0.8,
    "item": 0.55,
    "phone": 0.35,
    "end": 0.0,
}
"""Silence after each kind of segment, in seconds (a chapter's lead-in and tail are extra)."""
TITLE_REF = "title"
"""What the opening's title says in a page: its ``h1``."""
PUBLISHER_REF = "opening-publisher"
"""What the opening's "From {publisher}." says in a page: the publisher's line."""
NARRATION_REF = "opening-narration"
"""What the opening's sentences about the recording (its parts, its length) say in a page."""
REVIEWED_REF = "opening-reviewed"
"""What the opening's last review date says in a page: the review dates' line."""
OVERDUE_REF = "opening-overdue"
"""What the opening's out-of-date warning says in a page: the out-of-date notice."""
CONTACTS_REF = "opening-contacts"
"""What the opening's main helpline says in a page: the helpline box under the title."""
CLOSING_REF = "closing"
"""What the closing says in a page: the section with the contacts and the review dates."""


@dataclass(frozen=True)
class Segment:
    """One piece of speech: its transcript text, the engine's text, and the pause after it."""

    text: str
    speech: str
    pause: float
    slow: bool = False
    run_on: bool = False
    """The next segment continues the same transcript line (a number inside a sentence)."""
    ref: str = ""
    """The id of what this says in a page (a block, list item, section heading, ``title``)."""
    shown: str = ""
    """What the transcript, the captions and the MP3's lyrics write for it, where that is not
    ``text``: a phone number and opening hours as printed ("0808 800 4040", "9 am to 5 pm")
    rather than as said ("0 8 0 8, 8 0 0, 4 0 4 0", "9 a.m. to 5 p.m.")."""

    @property
    def written(self) -> str:
        """Return what a reader of the transcript or the captions sees for this segment."""
        return self.shown or self.text


@dataclass(frozen=True)
class Chapter:
    """One chapter of the narration (and one track): the intro, a section, or the closing."""

    slug: str
    title: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Script:
    """The whole narration, in order."""

    lang: str
    chapters: tuple[Chapter, ...]

    def segments(self) -> list[Segment]:
        """Return every segment in speaking order."""
        return [segment for chapter in self.chapters for segment in chapter.segments]


class Speech:
    """Turn the leaflet's texts into segments: lexicon for the engine, slow phone numbers."""

    def __init__(self, leaflet: Leaflet, facts: FactFormatter, words: Messages | None = None
                 ) -> None:
        self.phones = [facts.spoken(f"contacts.{c}.phone") for c in facts.contact_ids()
                       if f"contacts.{c}.phone" in facts.values]
        self.phone = self.phones[0] if self.phones else ""
        self.written = printed_forms(facts)
        self.lexicon = lexicon_pattern(leaflet.lexicon)
        self.respellings = leaflet.lexicon
        self.leaflet = leaflet
        self.explained: set[str] = set()
        self.symbols = SymbolWords(leaflet.lang, words or messages(leaflet.lang))

    def prose(self, inlines: tuple[Inline, ...], facts: FactFormatter) -> str:
        """Return inline content as said: facts in their spoken form, symbols in words."""
        return "".join(self._prose(item, facts) for item in inlines)

    def _prose(self, item: Inline, facts: FactFormatter) -> str:
        if isinstance(item, FactRef):
            return facts.spoken(item.name)
        if isinstance(item, Strong | Link):
            return self.prose(item.children, facts)
        assert isinstance(item, Text | GlossaryTerm)
        return self.symbols.say(item.text)

    def explain(self, inlines: tuple[Inline, ...], _: Messages, ref: str = "") -> list[Segment]:
        """Return the definitions of the glossary terms used here for the first time."""
        sentences = []
        for term in glossary_terms(inlines):
            entry = self.leaflet.definition(term)
            if entry is not None and term.key not in self.explained:
                self.explained.add(term.key)
                sentences.append(punctuated(_("{term}: {definition}"), {
                    "term": self.symbols.say(entry.term),
                    "definition": self.symbols.say(full_stop(entry.definition))}))
        return [seg for text in sentences for seg in self.say(text, PAUSE_S["sentence"], ref)]

    def point_to_print(self, inlines: tuple[Inline, ...], facts: FactFormatter, _: Messages,
                       ref: str = "") -> list[Segment]:
        """Return the sentence saying that the web address is in the printed leaflet, after a
        sentence with a link whose words do not say its address (``unsaid_addresses``): the
        print writes the address out; spelled aloud ("w w w dot …, slash …") a long one is
        hard to follow, and the leaflet's sources are pointed to so too (``sources``)."""
        if not unsaid_addresses(inlines, facts):
            return []
        return self.say(_("The web address is written in the printed leaflet."),
                        PAUSE_S["sentence"], ref)

    def say(self, text: str, pause: float, ref: str = "") -> list[Segment]:
        """Return segments for ``text``, the helpline number split out to be said slowly."""
        segments = [
            Segment(part, self.respell(part), PAUSE_S["phone"], slow=slow, run_on=True, ref=ref,
                    shown=as_printed(part, self.written))
            for part, slow in split_phones(text, self.phones)
            if _SAYABLE.search(part)
        ]  # punctuation alone is not said (gTTS refuses it)
        if segments:
            segments[-1] = replace(segments[-1], pause=pause, run_on=False)
        return segments

    def respell(self, text: str) -> str:
        """Return ``text`` with every lexicon word replaced by how the engine should say it."""
        if self.lexicon is None:
            return text
        return self.lexicon.sub(lambda match: self.respellings[match.group(0)], text)


def lexicon_pattern(lexicon: Mapping[str, str]) -> re.Pattern[str] | None:
    """Return a regex matching any lexicon word as a whole word, case-sensitively."""
    if not lexicon:
        return None
    words = sorted(lexicon, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


PRINTED_FIELDS = ("phone", "hours")
"""The contact facts the transcript and the captions write as printed, not as said: a
reader copies a number from them and reads the hours as on the page. Dates, email and web
addresses stay in the words said (``README``, *Symbols in the narration*)."""


def printed_forms(facts: FactFormatter) -> list[tuple[str, str]]:
    """Return each contact's number and hours as (said, printed), the longest said first."""
    pairs = {(facts.spoken(name), facts.printed(name))
             for c in facts.contact_ids() for name in (f"contacts.{c}.{f}" for f in PRINTED_FIELDS)
             if name in facts.values and facts.spoken(name) != facts.printed(name)}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def as_printed(text: str, forms: list[tuple[str, str]]) -> str:
    """Return ``text`` with each fact said in it written as printed (``printed_forms``).

    A said form ending in a mark the printed one lacks ("… 5 p.m.") kept the sentence's
    own full stop out (``punctuated``); at the end of the text the printed form gets it back.
    """
    for said, printed in forms:
        if said not in text:
            continue
        pieces = text.split(said)
        end = said[-1] if ends_in_punctuation(said) and not ends_in_punctuation(printed) else ""
        text = printed.join(pieces[:-1]) + printed + (pieces[-1] or end)
    return text


_TRAILING = regex.compile(r"^[\p{Terminal_Punctuation}\p{Pe}\p{Pf}]*")
"""The marks a phone number keeps when split out: ``. , ; : ! ?``, closing brackets and
quotes, and every script's own (the Urdu full stop U+06D4, the Arabic comma and question mark)."""
_SAYABLE = re.compile(r"\w")


def split_phone(text: str, phone: str) -> list[tuple[str, bool]]:
    """Split text around the spoken phone number: ``[(before, False), (number., True), …]``."""
    parts: list[tuple[str, bool]] = []
    rest = text
    while phone and phone in rest:
        before, _, after = rest.partition(phone)
        punct = _TRAILING.match(after)
        tail = punct.group(0) if punct else ""
        if before.strip():
            parts.append((before.strip(), False))
        parts.append((phone + tail, True))
        rest = after[len(tail) :]
    if rest.strip() or not parts:
        parts.append((rest.strip(), False))
    return parts


def split_phones(text: str, phones: list[str]) -> list[tuple[str, bool]]:
    """Split text around every contact's spoken number, each to be said slowly."""
    parts = [(text, False)]
    for phone in phones:
        parts = [piece for part, slow in parts
                 for piece in ([(part, slow)] if slow else split_phone(part, phone))]
    return parts


BlockSpeaker = Callable[[Block, FactFormatter, Speech, Messages], list[Segment]]


def by_sentence(
    inlines: tuple[Inline, ...], ref: str, facts: FactFormatter, speech: Speech, _: Messages,
    end: float, label: str = "",
) -> list[Segment]:
    """Return a block's speech a sentence at a time, each tied to its sentence's id.

    A glossary term's definition is said right after the sentence that first uses it, tied to
    that sentence's id too, so that the page's clips keep the text's order (the EPUB's Media
    Overlay joins it to the sentence's clip). The sentences of one block stay one line of
    the transcript (``run_on``), but for a definition, which is a line of its own. ``end`` is
    the pause after the block's last sentence. ``label`` (a numbered item's ``one.``) is said
    before the first sentence, on its line and tied to its id.
    """
    runs = sentence.split(inlines)
    segments: list[Segment] = []
    last = -1  # the last segment of the last sentence that says something
    for number, run in enumerate(runs, start=1):
        own = sentence.sentence_id(ref, number) if len(runs) > 1 else ref
        spoken = speech.prose(run, facts)
        said = speech.say(f"{label} {spoken}" if label and number == 1 else spoken,
                          PAUSE_S["sentence"], own)
        defined = speech.explain(run, _, own) + speech.point_to_print(run, facts, _, own)
        if said and number < len(runs) and not defined:
            said[-1] = replace(said[-1], run_on=True)
        last = len(segments) + len(said) - 1 if said else last
        segments += said + defined
    if last >= 0:  # the block's line of the transcript ends there
        segments[last] = replace(segments[last], pause=end, run_on=False)
    return segments


def _paragraph(block: Block, facts: FactFormatter, speech: Speech, _: Messages) -> list[Segment]:
    assert isinstance(block, Paragraph)
    said = by_sentence(block.inlines, block.id, facts, speech, _, PAUSE_S["paragraph"])
    return _ended(said, PAUSE_S["paragraph"])


def _list(block: Block, facts: FactFormatter, speech: Speech, _: Messages) -> list[Segment]:
    assert isinstance(block, BulletList)
    segments: list[Segment] = []
    labels = [spoken_label(n, speech.leaflet.lang) for n in block.numbers()] or [""] * len(
        block.items)
    for item, label in zip(block.items, labels, strict=True):
        segments += by_sentence(item.inlines, item.id, facts, speech, _, PAUSE_S["item"], label)
    return _ended(segments, PAUSE_S["paragraph"])


def _figure(block: Block, _f: FactFormatter, speech: Speech, _: Messages) -> list[Segment]:
    assert isinstance(block, Figure)
    description = speech.symbols.say(block.alt)
    return speech.say(_("Picture: {description}", description=description),
                      PAUSE_S["paragraph"], block.id)


SPEAKERS: Mapping[type, BlockSpeaker] = {
    Paragraph: _paragraph,
    BulletList: _list,
    Figure: _figure,
}


def build_script(
    leaflet: Leaflet, today: dt.date, duration_s: float | None, templates: Path | None = None
) -> Script:
    """Return the narration script; ``duration_s`` None leaves out the sentence saying it."""
    template = SpeechTemplate(leaflet, today, templates)
    chapters = [template.opening(duration_s)]
    chapters += [
        template.section(number, section)
        for number, section in enumerate(leaflet.sections, start=2)
    ]
    chapters.append(template.closing())
    return Script(leaflet.lang, tuple(chapters))


class SpeechTemplate:
    """The fixed shape of a narration in one language: its sentences come from ``messages``."""

    def __init__(self, leaflet: Leaflet, today: dt.date, templates: Path | None = None) -> None:
        self.leaflet = leaflet
        self.facts = formatter(leaflet)
        self._ = messages(leaflet.lang, templates)
        self.speech = Speech(leaflet, self.facts, self._)
        self.parts = len(leaflet.sections) + 2
        self.today = today

    def opening(self, duration_s: float | None) -> Chapter:
        """Return the first chapter: title, publisher, what this is and its length, the
        review date (and the warning if it has passed), the main helpline, the intro."""
        _, facts = self._, self.facts
        publisher = self.fill(_("From {publisher}."), publisher=self.leaflet.publisher_name)
        sentences = [
            _.ngettext(
                "This is a spoken version of the printed leaflet, read by a computer "
                "voice, in {count} part.",
                "This is a spoken version of the printed leaflet, read by a computer "
                "voice, in {count} parts.",
                self.parts,
            ),
        ]
        if duration_s is not None:
            sentences.append(
                _(
                    "It lasts about {duration}.",
                    duration=spoken_duration(duration_s, self.leaflet.lang),
                )
            )
        reviewed = furniture.spoken(furniture.said_last_reviewed(_), facts)
        title = self.speech.symbols.say(self.leaflet.title)
        # Each sentence is tied to what shows it in a page (the EPUB's first document).
        segments = self.speech.say(title, PAUSE_S["title"], TITLE_REF)
        segments += self.say([publisher], PUBLISHER_REF)
        segments += self.say(sentences, NARRATION_REF)
        segments += self.say([reviewed], REVIEWED_REF)
        segments += self.say(self.overdue_warning(), OVERDUE_REF)
        # The helpline after the warning, as the EPUB's first document shows its box.
        segments += self.say(self.main_contact(), CONTACTS_REF)
        segments = _ended(segments, PAUSE_S["heading"]) + self.blocks(self.leaflet.intro)
        return Chapter("introduction", _("Introduction"), tuple(_ended(segments)))

    def section(self, number: int, section: Section) -> Chapter:
        """Return a section's chapter: its heading announced, then its blocks."""
        heading = self.fill(
            self._("Part {number} of {count}: {title}."),
            number=number,
            count=self.parts,
            title=self.speech.symbols.say(section.title),
        )
        segments = self.speech.say(heading, PAUSE_S["heading"], section.id)
        segments += self.blocks(section.blocks)
        return Chapter(section.id, section.title, tuple(_ended(segments)))

    def closing(self) -> Chapter:
        """Return the last chapter: every contact again, the sources, the review dates."""
        _, facts = self._, self.facts
        title = furniture.closing_title(_, facts)
        sentences = [
            self.fill(
                _("Part {number} of {count}: {title}."),
                number=self.parts,
                count=self.parts,
                title=title,
            ),
        ]
        for contact_id in facts.contact_ids():
            sentences += self.contact(contact_id)
        sentences += self.sources()
        sentences += [
            *(furniture.spoken(line, facts) for line in furniture.said_review_dates(_)),
            *self.overdue_warning(),
            _("This is the end of the recording."),
        ]
        return Chapter("closing", title, tuple(_ended(self.say(sentences, CLOSING_REF))))

    def main_contact(self) -> list[str]:
        """Return the opening's sentences giving the main contact's number and hours (as the
        first page of the print does), and where the other contacts are: the last part."""
        lines = furniture.said_main_contact(self._, self.facts)
        if not lines:
            return []
        sentences = [furniture.spoken(line, self.facts) for line in lines]
        others = len(self.facts.contact_ids()) - 1
        if others:
            sentences.append(self._.ngettext(
                "The other contact is in part {number}.",
                "The other {count} contacts are in part {number}.",
                others,
                number=self.parts,
            ))
        return sentences

    def contact(self, contact_id: str) -> list[str]:
        """Return the sentences that give one contact: number, hours, email, web, note."""
        lines = furniture.said_contact(self._, self.leaflet, contact_id)
        return [furniture.spoken(line, self.facts) for line in lines]

    def overdue_warning(self) -> list[str]:
        """Return the warning for a leaflet past its review date (none when it is not)."""
        notice = furniture.overdue_notice(self._, self.leaflet, self.today)
        return [] if notice is None else [furniture.spoken(notice, self.facts)]

    def sources(self) -> list[str]:
        """Return the sentence saying how many sources the printed leaflet lists."""
        count = len(self.leaflet.references)
        if count == 0:
            return []
        return [
            self._.ngettext(
                "The printed leaflet lists one source for this information.",
                "The printed leaflet lists {count} sources for this information.",
                count,
            )
        ]

    def fill(self, message: str, **values: object) -> str:
        """Fill a translated message's fields without doubling punctuation after a value."""
        return punctuated(message, values)

    def say(self, sentences: list[str], ref: str = "") -> list[Segment]:
        """Return segments for fixed sentences, each followed by a sentence's pause."""
        return [
            seg for text in sentences for seg in self.speech.say(text, PAUSE_S["sentence"], ref)
        ]

    def blocks(self, blocks: tuple[Block, ...]) -> list[Segment]:
        """Return segments for the leaflet's blocks, each by its block type's speaker."""
        return [
            seg
            for block in blocks
            for seg in SPEAKERS[type(block)](block, self.facts, self.speech, self._)
        ]


def _with_pause(segment: Segment, pause: float) -> Segment:
    return replace(segment, pause=pause)


def _ended(segments: list[Segment], pause: float = PAUSE_S["end"]) -> list[Segment]:
    # A chapter ends in its track's tail silence, so its last segment needs no pause of its own.
    return [*segments[:-1], _with_pause(segments[-1], pause)] if segments else []


def spoken_duration(seconds: float, lang: str) -> str:
    """Return a duration as said in the language, to the minute: ``4 minutes``."""
    return str(
        format_timedelta(
            dt.timedelta(seconds=seconds),
            granularity="minute",
            threshold=1.0,
            locale=babel_locale(lang),
        )
    )


def transcript_lines(chapter: Chapter) -> list[str]:
    """Return what a chapter says, one line per paragraph, list item or sentence."""
    lines: list[str] = []
    current: list[str] = []
    for segment in chapter.segments:
        current.append(segment.written)
        if not segment.run_on:
            lines.append(" ".join(current))
            current = []
    return lines
