"""What the web page and the EPUB share: the contacts box, captions, copied files.

Both reuse the narration the audio writer made (its MP3s and ``audio/timings.json``); they
never narrate. Leaflet text reaches the templates only as escaped fragments or as values.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from lmets_docs import __version__, furniture
from lmets_docs.errors import BuildError
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import Messages, is_english, messages
from lmets_docs.model import Leaflet
from lmets_docs.numbering import counter_symbols
from lmets_docs.options import BuildOptions
from lmets_docs.text import formatter
from lmets_docs.writers import html, sandbox
from lmets_docs.writers.audio.timing import TIMINGS, Clip, Timings, TrackTiming, read_timings

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
SOURCE_HASH_META = "lmets-source-hash"


@dataclass(frozen=True)
class Narration:
    """The narration a web format reuses: its folder and its timing map."""

    folder: Path
    timings: Timings

    def track_for(self, ref: str) -> TrackTiming | None:
        """Return the track whose first clip says ``ref`` (a section's heading), if any."""
        return next((t for t in self.timings.tracks if t.clips and t.clips[0].ref == ref), None)


@dataclass(frozen=True)
class Words:
    """Fixed words in the page's language; those that fall back to English are marked so.

    A screen reader then reads "Call" with an English voice in a Welsh or Urdu page, and an
    English phrase runs left to right inside right-to-left text (WCAG 2.2, 3.1.2).
    """

    messages: Messages
    lang: str
    rtl: bool = False

    def __call__(self, msgid: str, **values: object) -> Markup:
        """Return a message with its values filled in, as HTML (a ``Markup`` value as it is:
        a name isolated in right-to-left text)."""
        if any(isinstance(value, Markup) for value in values.values()):
            return self.fill(msgid, **{name: value if isinstance(value, Markup) else str(value)
                                       for name, value in values.items()})
        return self.mark(msgid, escape(self.messages(msgid, **values)))

    def fill(self, msgid: str, **values: str) -> Markup:
        """Return a message whose values are HTML already (a linked phone number)."""
        return self.mark(msgid, html.fill(self.messages(msgid), **values))

    def plain(self, msgid: str, **values: object) -> str:
        """Return a message as plain text (for an attribute or a title)."""
        return self.messages(msgid, **values)

    def line(self, line: furniture.Line, facts: FactFormatter) -> Markup:
        """Return a line of the leaflet's furniture as HTML, marked if it is in English."""
        text = html.furniture_line(line, facts, rtl=self.rtl)
        return text if line.msgid is None else self.mark(line.msgid, text)

    def mark(self, msgid: str, text: Markup) -> Markup:
        """Return ``text`` marked as English if the message has no translation here."""
        if is_english(self.lang) or self.messages.has(msgid):
            return text
        return Markup('<span lang="en" dir="ltr">{}</span>').format(text)


def narration(out_dir: Path) -> Narration:
    """Return the narration the audio writer left in ``out_dir`` (the build runs it first)."""
    path = out_dir / TIMINGS
    if not path.is_file():
        raise BuildError(f"{path}: the narration is missing; build the audio format with this one")
    return Narration(out_dir, read_timings(path))


def environment(folder: str) -> ImmutableSandboxedEnvironment:
    """Return a Jinja environment for the package's ``templates/<folder>`` (autoescaped, in
    the sandbox every template runs in: ``writers.sandbox``)."""
    common = PrefixLoader({"common": FileSystemLoader(PACKAGE_TEMPLATES / "common")})
    return sandbox.environment(
        loader=ChoiceLoader([FileSystemLoader(PACKAGE_TEMPLATES / folder), common]),
        autoescape=select_autoescape(["html", "xhtml", "xml", "opf", "smil"],
                                     default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


def common_context(leaflet: Leaflet, options: BuildOptions) -> dict[str, object]:
    """Return the values both web formats' templates use: fixed words, facts, furniture."""
    facts = formatter(leaflet)
    _ = Words(messages(leaflet.lang, options.templates), leaflet.lang, leaflet.rtl)
    return {
        "leaflet": leaflet, "facts": facts, "_": _, "fill": html.fill,
        "direction": "rtl" if leaflet.rtl else "ltr",
        "list_digits": counter_symbols(leaflet.lang),
        "generator": f"lmets-docs {__version__}",
        "source_hash_meta": SOURCE_HASH_META,
        "contacts": contacts(leaflet, _),
        "closing_title": furniture.closing_title(_, facts),
        "contact_list": contact_list,
        "reviewed": review_lines(leaflet, _),
        "overdue_notice": overdue_notice(leaflet, options, _),
        "glossary": list(leaflet.glossary.values()),
        "reference": functools.partial(html.reference, rtl=leaflet.rtl),
        "publisher": html.publisher(leaflet.publisher_name, leaflet.rtl),
    }


def contacts(leaflet: Leaflet, _: Words) -> list[list[tuple[str, Markup]]]:
    """Return each contact as lines (kind, HTML): name, linked number, hours, email, web, note.

    The name is plain: ``contact_list`` makes it the contact's heading, its emphasis.
    """
    facts = formatter(leaflet)
    return [[(line.kind, _.line(furniture.unbolded(line), facts)) for line in lines]
            for lines in furniture.contacts(_.messages, facts)]


def contact_list(contacts: list[list[tuple[str, Markup]]]) -> Markup:
    """Return the contacts box's contacts for the web page and the EPUB: a list of them.

    Each contact is an item whose name is a heading (``h3``, under the box's ``h2``), so a
    screen reader moves from one contact to the next by heading (NVDA's H) or list item (I),
    and says how many there are; the number to call has the class ``call``. (The PDF keeps
    its boxes of paragraphs: ``common/furniture.html``.)
    """
    items = Markup("").join(
        Markup('<li class="contact">\n{}</li>\n').format(Markup("").join(
            Markup("<h3>{}</h3>\n").format(html_line) if kind == "name"
            else Markup('<p class="call">{}</p>\n').format(html_line) if kind == "phone"
            else Markup("<p>{}</p>\n").format(html_line)
            for kind, html_line in lines))
        for lines in contacts)
    return Markup('<ul class="contact-list">\n{}</ul>').format(items)


def review_lines(leaflet: Leaflet, _: Words) -> list[Markup]:
    """Return the review dates as the print says them."""
    facts = formatter(leaflet)
    return [_.line(line, facts) for line in furniture.review_dates(_.messages)]


def overdue_notice(leaflet: Leaflet, options: BuildOptions, _: Words) -> Markup | None:
    """Return the out-of-date notice when the next review date has passed, else None."""
    notice = furniture.overdue_notice(_.messages, leaflet, options.today)
    return None if notice is None else _.line(notice, formatter(leaflet))


def vtt(clips: list[tuple[Clip, int]], rate: int) -> str:
    """Return WebVTT captions: one cue per clip, shifted by the clip's track offset."""
    cues = ["WEBVTT", ""]
    for number, (clip, offset) in enumerate(clips, start=1):
        begin, end = _stamp((clip.begin + offset) / rate), _stamp((clip.end + offset) / rate)
        cues += [str(number), f"{begin} --> {end}", _cue_text(clip.text), ""]
    return "\n".join(cues)


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    return f"{hours:02d}:{minutes:02d}:{ms // 1000:02d}.{ms % 1000:03d}"


def _cue_text(text: str) -> str:
    # A cue's text is a tiny markup language: escape it, and never let "-->" end the cue.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


def link_or_copy(source: Path, dest: Path) -> None:
    """Put a file at ``dest``: a hard link when the file system allows, else a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def copy(source: Path, dest: Path) -> None:
    """Put a copy of a file at ``dest`` (never a link to the source)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
