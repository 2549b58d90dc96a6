"""Read a built EPUB back: its documents' text and facts, Media Overlays, accessibility metadata.

Media Overlays are proved from the files: every narrated element has a clip, each clip names
an element that exists, clips follow the text's order without overlapping, and every clip
lies inside its MP3 (whose length is read from the MP3 itself).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import miniaudio
from lxml import etree
from lxml.html import HtmlElement

from lmets_docs.check import numbered, web
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.shown import read_as_shown
from lmets_docs.check.text import ArtifactText
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.model import RTL_LANGUAGES

READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, etree.LxmlError, miniaudio.MiniaudioError,
)
"""What reading a corrupt or foreign file raises (a finding, not a crash)."""
OPF = "{http://www.idpf.org/2007/opf}"
SMIL = "{http://www.w3.org/ns/SMIL}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
REQUIRED_METADATA = (
    "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
    "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
)
CONFORMS_TO = re.compile(r"EPUB Accessibility 1\.1 - WCAG 2\.2 Level AA?")
CLOCK = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)s?$")


@dataclass(frozen=True)
class Book:
    """An opened EPUB: its zip, the package's folder and document, and the spine."""

    zip: zipfile.ZipFile
    base: PurePosixPath
    opf: etree._Element
    spine: list[str]

    def read(self, href: str) -> bytes:
        """Return a file of the book by its path relative to the package document."""
        return self.zip.read(str(self.base / href))

    def item(self, attribute: str, value: str) -> etree._Element | None:
        """Return the manifest item with ``attribute`` equal to ``value``."""
        for item in self.opf.iter(f"{OPF}item"):
            if item.get(attribute) == value:
                return item
        return None


def open_book(path: Path) -> Book:
    """Open an EPUB and find its package document and spine."""
    archive = zipfile.ZipFile(path)
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    full = container.find(f".//{CONTAINER}rootfile").get("full-path")
    opf = etree.fromstring(archive.read(full))
    ids = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
    spine = [str(ids[ref.get("idref")]) for ref in opf.iter(f"{OPF}itemref")]
    return Book(archive, PurePosixPath(full).parent, opf, spine)


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return the text of every document in reading order, and their source hash."""
    book = open_book(path)
    with book.zip:
        pages = [(href, web.parse(book.read(href))) for href in book.spine]
    passages = [p for href, page in pages for p in web.passages(page, href)]
    hashes = {web.source_hash(page) for _href, page in pages}
    return read_as_shown(ArtifactText(path, passages,
                                      hashes.pop() if len(hashes) == 1 else None))


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the rules broken: metadata, navigation, pages, links and Media Overlays."""
    book = open_book(path)
    with book.zip:
        findings = list(metadata_findings(book, path))
        findings += direction_findings(book, path, manifest)
        if book.item("properties", "nav") is None:
            findings.append(error(path, "package", "no navigation document", "nav"))
        pages = []
        for href in book.spine:
            page = web.parse(book.read(href))
            pages.append(page)
            findings += web.page_findings(page, manifest, path, f"{href}: ")
            findings += web.tel_findings(page, manifest, path, f"{href}: ")
            findings += overlay_findings(book, href, page, path)
    return findings + list(numbered.html_findings(path, pages, entry.details, "EPUB"))


def metadata_findings(book: Book, path: Path) -> Iterator[Finding]:
    """Return the accessibility metadata that is missing from the package document."""
    values: dict[str, list[str]] = {}
    for meta in book.opf.iter(f"{OPF}meta"):
        values.setdefault(meta.get("property", ""), []).append((meta.text or "").strip())
    for name in REQUIRED_METADATA:
        if not any(values.get(name, [])):
            yield error(path, "package", f"accessibility metadata {name} is missing", "a11y-meta")
    if "synchronizedAudioText" not in values.get("schema:accessibilityFeature", []):
        yield error(path, "package", "synchronizedAudioText is not declared", "a11y-meta")
    if not any(CONFORMS_TO.fullmatch(v) for v in values.get("dcterms:conformsTo", [])):
        yield error(path, "package", "dcterms:conformsTo does not claim EPUB Accessibility 1.1 "
                    "WCAG 2.2 AA", "a11y-meta")


def direction_findings(book: Book, path: Path, manifest: Manifest) -> Iterator[Finding]:
    """Return an error if a right-to-left book's spine does not turn its pages right to left
    (``page-progression-direction="rtl"``): a reading system would turn them the other way."""
    rtl = manifest.lang.split("-")[0] in RTL_LANGUAGES
    spine = next(book.opf.iter(f"{OPF}spine"), None)
    said = spine.get("page-progression-direction", "default") if spine is not None else "none"
    if rtl and said != "rtl":
        yield error(path, "package", f"the spine's page-progression-direction is {said!r}, not "
                    f"'rtl': a reading system turns this {manifest.lang} book's pages left to "
                    "right", "epub-direction")


def overlay_findings(book: Book, href: str, page: HtmlElement, path: Path) -> Iterator[Finding]:
    """Return every way a document's Media Overlay fails to cover its narrated text."""
    item = book.item("href", href)
    overlay = book.item("id", item.get("media-overlay", "")) if item is not None else None
    if overlay is None:
        yield error(path, href, "the document has no Media Overlay", "overlay")
        return
    smil = etree.fromstring(book.read(str(overlay.get("href"))))
    pars = [_par(par) for par in smil.iter(f"{SMIL}par")]
    ids = [str(e.get("id")) for e in page.iter() if e.get("id")]
    yield from _targets(pars, ids, href, path)
    yield from _clips(book, pars, href, path)
    covered = {ref for ref, *_ in pars}
    for element in narrated(page):
        if element.get("id") not in covered:
            yield error(path, f"{href}#{element.get('id')}", "narrated text without a clip",
                        "overlay")


def _par(par: etree._Element) -> tuple[str, str, float, float]:
    text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
    ref = (text.get("src", "") if text is not None else "").partition("#")[2]
    if audio is None:
        return ref, "", 0.0, -1.0
    begin, end = clock(audio.get("clipBegin", "0")), clock(audio.get("clipEnd", "-1"))
    return ref, str(audio.get("src")), begin, end


def clock(value: str) -> float:
    """Return a SMIL clock value (``1.5s``, ``0:01:02.5``, ``01:02.5``) in seconds."""
    match = CLOCK.match(value.strip())
    if not match:
        return -1.0
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds)


def _targets(pars: list[tuple[str, str, float, float]], ids: list[str], href: str,
             path: Path) -> Iterator[Finding]:
    order = [ids.index(ref) for ref, *_ in pars if ref in ids]
    for ref, *_ in pars:
        if ref not in ids:
            yield error(path, href, f"a clip names #{ref}, which is not in the document", "overlay")
    if order != sorted(order):
        yield error(path, href, "the clips do not follow the text's order", "overlay")


def _clips(book: Book, pars: list[tuple[str, str, float, float]], href: str,
           path: Path) -> Iterator[Finding]:
    lengths: dict[str, float] = {}
    last_end = 0.0
    for ref, audio, begin, end in pars:
        if audio not in lengths:
            lengths[audio] = mp3_seconds(book.read(audio)) if audio else 0.0
        place = f"{href}#{ref}"
        if not 0 <= begin < end <= lengths[audio] + 0.0005:
            yield error(path, place, f"clip {begin:.3f}-{end:.3f} s is not inside {audio} "
                        f"({lengths[audio]:.3f} s)", "overlay")
        if begin < last_end - 0.0005:
            yield error(path, place, "the clip overlaps the one before it", "overlay")
        last_end = end


def mp3_seconds(data: bytes) -> float:
    """Return how long an MP3 plays, from its decoded frames."""
    info = miniaudio.mp3_get_info(data)
    return float(info.num_frames) / float(info.sample_rate)


def narrated(page: HtmlElement) -> Iterator[HtmlElement]:
    """Yield the elements that must have a clip: text-bearing leaves outside unnarrated parts.

    A leaf is an element with an id and some text that holds no other element with an id.
    """
    for element in page.iter():
        if not element.get("id") or not element.text_content().strip():
            continue
        if any("unnarrated" in (a.get("class") or "") for a in element.iterancestors()):
            continue
        if "unnarrated" in (element.get("class") or ""):
            continue
        if not any(d.get("id") for d in element.iterdescendants()):
            yield element
