"""What the web page and the EPUB share: the contacts box, captions, copied files.

Both reuse the narration the audio writer made (its MP3s and ``audio/timings.json``); they
never narrate. Leaflet text reaches the templates only as escaped fragments or as values.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from lmets_docs import __version__
from lmets_docs.errors import BuildError
from lmets_docs.i18n import Messages, messages
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.review import review_status
from lmets_docs.text import formatter
from lmets_docs.writers import html
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

    def __call__(self, msgid: str, **values: object) -> Markup:
        """Return a message with its values filled in, as HTML."""
        return self.mark(msgid, escape(self.messages(msgid, **values)))

    def fill(self, msgid: str, **values: str) -> Markup:
        """Return a message whose values are HTML already (a linked phone number)."""
        return self.mark(msgid, html.fill(self.messages(msgid), **values))

    def plain(self, msgid: str, **values: object) -> str:
        """Return a message as plain text (for an attribute or a title)."""
        return self.messages(msgid, **values)

    def mark(self, msgid: str, text: Markup) -> Markup:
        """Return ``text`` marked as English if the message has no translation here."""
        if self.lang.split("-")[0] == "en" or self.messages.has(msgid):
            return text
        return Markup('<span lang="en" dir="ltr">{}</span>').format(text)


def narration(out_dir: Path) -> Narration:
    """Return the narration the audio writer left in ``out_dir`` (the build runs it first)."""
    path = out_dir / TIMINGS
    if not path.is_file():
        raise BuildError(f"{path}: the narration is missing; build the audio format with this one")
    return Narration(out_dir, read_timings(path))


def environment(folder: str) -> Environment:
    """Return a Jinja environment for the package's ``templates/<folder>`` (autoescaped)."""
    return Environment(
        loader=FileSystemLoader(PACKAGE_TEMPLATES / folder),
        autoescape=select_autoescape(["html", "xhtml", "xml", "opf", "smil"],
                                     default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


def common_context(leaflet: Leaflet, options: BuildOptions) -> dict[str, object]:
    """Return the values both web formats' templates use: fixed words, facts, furniture."""
    facts = formatter(leaflet)
    _ = Words(messages(leaflet.lang, options.templates), leaflet.lang)
    return {
        "leaflet": leaflet, "facts": facts, "_": _, "fill": html.fill,
        "direction": "rtl" if leaflet.rtl else "ltr",
        "generator": f"lmets-docs {__version__}",
        "source_hash_meta": SOURCE_HASH_META,
        "contacts": contacts(leaflet, _),
        "reviewed": review_lines(leaflet, _),
        "overdue_notice": overdue_notice(leaflet, options, _),
        "glossary": list(leaflet.glossary.values()),
        "reference": html.reference,
    }


def contacts(leaflet: Leaflet, _: Words) -> list[list[Markup]]:
    """Return each contact as lines: its name, linked number, hours, email, web and note."""
    facts = formatter(leaflet)
    return [contact_lines(html.contact(facts, cid), _) for cid in facts.contact_ids()]


def contact_lines(contact: dict[str, Markup | None], _: Words) -> list[Markup]:
    """Return one contact's lines, with the print's fixed words ("Call {phone}" …)."""
    words = {"phone": "Call {phone}", "email": "Email: {email}", "web": "Web: {web}"}
    lines = [Markup("<strong>{}</strong>").format(contact["name"])] if contact["name"] else []
    for field in ("phone", "hours", "email", "web", "note"):
        value = contact[field]
        if value is not None:
            lines.append(_.fill(words[field], **{field: value}) if field in words else value)
    return lines


def review_lines(leaflet: Leaflet, _: Words) -> list[Markup]:
    """Return the review dates as the print says them."""
    facts = formatter(leaflet)
    return [
        _("Last reviewed: {date}", date=facts.printed("review.last_reviewed")),
        _("Next review due: {date}", date=facts.printed("review.next_review_due")),
    ]


def overdue_notice(leaflet: Leaflet, options: BuildOptions, _: Words) -> Markup | None:
    """Return the out-of-date notice when the next review date has passed, else None."""
    if not review_status(leaflet.facts.review, options.today).overdue:
        return None
    due = formatter(leaflet).printed("review.next_review_due")
    return _("This information is out of date: its review was due on {date}.", date=due)


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
