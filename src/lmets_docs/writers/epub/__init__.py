"""The EPUB 3 talking book: the leaflet's text with its narration in sync (Media Overlays).

A recipe: the narration's timing map (the audio writer's; nothing is spoken again) →
content documents, one per chapter → one SMIL per document → navigation document, PLS
lexicon, package document with accessibility metadata → the zip, ``epub/<id>.epub``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from lmets_docs import furniture
from lmets_docs.model import Figure, Leaflet
from lmets_docs.numbering import numbered_details
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult
from lmets_docs.writers.audio.script import (
    CLOSING_REF,
    CONTACTS_REF,
    NARRATION_REF,
    OVERDUE_REF,
    PUBLISHER_REF,
    REVIEWED_REF,
)
from lmets_docs.writers.epub import content, package
from lmets_docs.writers.html import times_whole, web

BOOK_DIR = "EPUB"
NARRATION_MSGID = ("This is a spoken version of the printed leaflet, read by a computer voice, "
                   "in {count} part.")
"""The first sentence about the narration: if it has no translation, the line is English."""


@dataclass(frozen=True)
class EpubWriter:
    """Write an EPUB 3 talking book with Media Overlays from the narration already made."""

    name: str = "epub"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write ``epub/<id>.epub`` into ``out_dir``; return its role."""
        narration = web.narration(out_dir)
        book = Book(leaflet, options, narration)
        rel = f"epub/{leaflet.id}.epub"
        (out_dir / "epub").mkdir(parents=True, exist_ok=True)
        package.write_zip(out_dir / rel, book.files())
        return WriterResult(files={"book": rel}, details={"overlays": len(book.docs) + 1}
                            | numbered_details(leaflet))


WRITER = EpubWriter()


class Book:
    """Everything in the book, made from the leaflet and the narration's timing map."""

    def __init__(self, leaflet: Leaflet, options: BuildOptions, narration: web.Narration):
        self.leaflet, self.narration = leaflet, narration
        self.timings = narration.timings
        self.env = web.environment("epub")
        self.context: dict[str, Any] = web.common_context(leaflet, options)
        self.context["lexicon"] = bool(leaflet.lexicon)
        self.docs = content.documents(leaflet, self.timings.tracks, self._front())
        self.docs.append(self._back())
        self.where = {i: d.name for d in self.docs for i in content.ids(d.body)}

    def _front(self) -> Markup:
        """Return what the first document shows after the title: the publisher, what the
        narration is, the review dates, the out-of-date notice and the helpline box, each
        with the id the opening's sentences that say it are tied to (a part no sentence
        says is ``unnarrated``)."""
        opening = self.timings.tracks[0].clips
        said = {clip.ref for clip in opening}
        _ = self.context["_"]
        about = " ".join(clip.text for clip in opening if clip.ref == NARRATION_REF)
        values = {
            "refs": {"publisher": PUBLISHER_REF, "narration": NARRATION_REF,
                     "reviewed": REVIEWED_REF, "overdue": OVERDUE_REF,
                     "contacts": CONTACTS_REF},
            "said": said,
            "narration_words": _.mark(NARRATION_MSGID, Markup("{}").format(about))
            if about else None,
            "contacts_heading": furniture.contacts_heading(_, self.context["facts"]),
        }
        return Markup(self.env.get_template("front.xhtml").render(self.context | values))

    def _back(self) -> content.Document:
        track = self.timings.tracks[-1]
        contacts = web.contact_list(self.context["contacts"])
        body = content.closing_body(track.title, contacts, list(self.context["reviewed"]))
        # The template's output is markup (autoescaped inside): join it as such.
        body += Markup(self.env.get_template("back.xhtml").render(self.context))
        return content.Document(content.back_name(len(self.timings.tracks)), track.title,
                                body, track, CLOSING_REF)

    def files(self) -> list[tuple[str, bytes]]:
        """Return every file of the book but ``mimetype``, by its name in the zip."""
        out = [("META-INF/container.xml", self._render("container.xml", {}))]
        out += [(f"{BOOK_DIR}/{d.name}", self._document(d)) for d in self.docs]
        out += [(f"{BOOK_DIR}/{_smil(d)}", self._overlay(d)) for d in self.docs]
        out += [(f"{BOOK_DIR}/{name}", path.read_bytes()) for name, path in self._media()]
        out.append((f"{BOOK_DIR}/nav.xhtml", self._render("nav.xhtml", self._nav())))
        out.append((f"{BOOK_DIR}/style.css", self._render("style.css", {})))
        if self.leaflet.lexicon:
            words = sorted(self.leaflet.lexicon.items())
            out.append((f"{BOOK_DIR}/lexicon.pls",
                        self._render("lexicon.pls", {"lang": self.leaflet.lang, "words": words})))
        out.append((f"{BOOK_DIR}/package.opf", self._render("package.opf", self._opf())))
        return out

    def _render(self, name: str, values: dict[str, Any]) -> bytes:
        return self.env.get_template(name).render(self.context | values).encode()

    def _document(self, doc: content.Document) -> bytes:
        body = content.xhtml(Markup(times_whole(doc.body)), doc.name, self.where)
        return self._render("content.xhtml", {"doc": doc, "body": body})

    def _overlay(self, doc: content.Document) -> bytes:
        pars = package.pars(doc.track, self.timings.rate)
        return self._render("overlay.smil", {"doc": doc.name, "audio": doc.track.file,
                                             "pars": pars})

    def _media(self) -> list[tuple[str, Path]]:
        tracks = [(t.file, self.narration.folder / t.file) for t in self.timings.tracks]
        images = [(content.image_name(b.path), b.path) for b in self._figures() if b.path]
        return [*tracks, *images]

    def _figures(self) -> list[Figure]:
        return [b for b in self.leaflet.all_blocks() if isinstance(b, Figure) and b.path]

    def _nav(self) -> dict[str, Any]:
        back = self.docs[-1].name
        extra = [(back, "leaflet-glossary", self.context["_"].plain("Glossary"))] if (
            self.leaflet.glossary) else []
        return {"docs": self.docs, "extra": extra}

    def _opf(self) -> dict[str, Any]:
        rate = self.timings.rate
        seconds = [(t.end - t.start) / rate for t in self.timings.tracks]
        overlays = [{"id": f"smil{n:02d}", "href": _smil(d), "duration": package.duration(s)}
                    for n, (d, s) in enumerate(zip(self.docs, seconds, strict=True), start=1)]
        documents = [{"id": f"doc{n:02d}", "href": d.name, "overlay": f"smil{n:02d}"}
                     for n, d in enumerate(self.docs, start=1)]
        media = [{"id": f"media{n:02d}", "href": name, "type": _media_type(name)}
                 for n, (name, _p) in enumerate(self._media(), start=1)]
        return {
            "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, self._uri())}",
            "modified": f"{self.context['leaflet'].facts.review.last_reviewed}T00:00:00Z",
            "reviewed": self.leaflet.facts.review.last_reviewed.isoformat(),
            "pictures": bool(self._figures()), "features": self._features(),
            "summary": self.context["_"].plain(SUMMARY), "duration": package.duration(sum(seconds)),
            "overlays": overlays, "documents": documents, "media": media,
        }

    def _uri(self) -> str:
        return f"https://lmets-docs.invalid/{self.leaflet.id}/{self.leaflet.lang}"

    def _features(self) -> list[str]:
        features = ["synchronizedAudioText", "structuralNavigation", "tableOfContents",
                    "readingOrder", "displayTransformability"]
        if self.leaflet.lexicon:
            # The vocabulary's term for a PLS lexicon (the "pronunciationMarkup" is
            # no term of schema.org's vocabulary; Ace refuses it).
            features.append("ttsMarkup")
        if self._figures():
            features.append("alternativeText")
        return features


SUMMARY = (
    "The whole text of the leaflet, with its narration in sync: each heading, paragraph and "
    "list item is highlighted while it is read aloud. Headings and a table of contents for "
    "navigation; pictures have text descriptions; no flashing, sound or motion hazards."
)


def _smil(doc: content.Document) -> str:
    return doc.name.replace(".xhtml", ".smil")


def _media_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {".mp3": "audio/mpeg", ".png": "image/png", ".jpg": "image/jpeg",
            ".jpeg": "image/jpeg", ".svg": "image/svg+xml", ".gif": "image/gif",
            ".webp": "image/webp"}.get(suffix, "application/octet-stream")
