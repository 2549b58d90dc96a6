"""Read a built PDF back: its text per page, and the PDF/UA and large-print rules it can prove."""

from __future__ import annotations

import ctypes
import functools
import itertools
import logging
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.psexceptions import PSException

from lmets_docs.check import (
    numbered,
    pdf_contacts,
    pdf_footer,
    pdf_links,
    pdf_links_rtl,
    pdf_pictures,
    pdf_tags,
    pdf_text,
    printed,
)
from lmets_docs.check.findings import Finding, error, warning
from lmets_docs.check.links import named_links
from lmets_docs.check.pdf_fonts import ToUnicode, read_stream
from lmets_docs.check.pdf_pictures import picture_name
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.model import RTL_LANGUAGES
from lmets_docs.options import PRINT_PROFILES, PrintProfile

SOURCE_HASH_KEY = "/lmets-source-hash"
ARABIC_BLOCK = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
"""Arabic script's letters: the Arabic blocks and their presentation forms."""
READ_ERRORS: tuple[type[Exception], ...] = (
    pikepdf.PdfError, pdfium.PdfiumError, PSException,
    subprocess.SubprocessError,
)
"""What reading a corrupt or foreign file raises (a finding, not a crash)."""
ASIDE = True
"""Worth checking the rules aside while the text is read (``check.aside``): 0.035 s of the
seed's check, 0.18 s of a leaflet 8 times as long, against about 5 ms to fork."""
log = logging.getLogger(__name__)
SIZE_TOLERANCE = 0.05
SMALL_PT = max(profile.min_pt for profile in PRINT_PROFILES.values())
"""Characters under this size (giant print's minimum) are looked up in the pictures."""
A4_PT = (595.3, 841.9)
PAGE_TOLERANCE = 1.0
MARGIN_PT = 20 * 72 / 25.4  # 20 mm
# Glyph outlines may overshoot the text box a little; this much (0.2 mm) is not a breach.
MARGIN_TOLERANCE = 0.5
PDFTOTEXT_TIMEOUT = 60
MAX_MARK_RISE = 0.5
"""The largest text rise, in font sizes, read as a mark's place on its line (WeasyPrint's
Arabic marks: about 0.15)."""


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return the PDF's text: each page's, then link targets, notes, bookmarks and alternative
    text (``pdf_text``); and the source hash in its metadata.

    pdftotext reads the pages in its own process while pikepdf reads the rest here; a file
    that neither can read is reported with pdftotext's words, as when it ran first.
    """
    with pages_read(path) as pages_now:
        try:
            text, risen = _read_rest(path, manifest)
        except Exception:
            pages_now()  # pdftotext's own error, if it has one, is the one told
            raise
        pages = pages_now()
    if risen:
        pages = level_page_texts(path)
    addresses = printed.address_patterns(manifest)
    pages = [printed.join_addresses(page, addresses) for page in pages]
    reader = level_page_texts if risen else page_texts
    text.continuous = functools.cache(partial(printed.continuous_pages, path, reader, addresses))
    text.findings += printed.unprinted(path, pages, text.passages, manifest, text.continuous)
    text.passages[:0] = [Passage(f"page {n}", page) for n, page in enumerate(pages, start=1)]
    return text


def _read_rest(path: Path, manifest: Manifest) -> tuple[ArtifactText, bool]:
    """Return the PDF's source hash and its texts besides the pages' (``pdf_text``), and
    whether any text on its pages is drawn with a rise."""
    with pikepdf.open(path) as pdf:
        source_hash = pdf.docinfo.get(SOURCE_HASH_KEY)
        text = ArtifactText(path, [], str(source_hash) if source_hash is not None else None)
        risen = pdf_text.read_more(pdf, text, manifest)
    return text, risen


def level_page_texts(path: Path) -> list[str]:
    """Return each page's text read from a copy with every text rise (``Ts``) set to 0.

    WeasyPrint places a mark (an Arabic tanwin, as in "مساءً") above or below its letter
    with a text rise; pdftotext then takes the mark, and the words drawn after it, for
    another line, and a fact is read in pieces, out of order. A rise moves glyphs up or down,
    never changes what they say, so the text is read with the glyphs on their lines.
    """
    with pikepdf.open(path) as pdf, tempfile.TemporaryDirectory() as folder:
        for page in pdf.pages:
            page.obj.Contents = pdf.make_stream(_levelled(page))
        for form in [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                     and o.get("/Subtype") == "/Form"]:
            try:
                form.write(_levelled(form))
            except pikepdf.PdfError:
                continue  # a form that cannot be read is read (or not) as it is drawn
        copy = Path(folder) / "level.pdf"
        pdf.save(copy)
        return page_texts(copy)


def _levelled(content: pikepdf.Page | pikepdf.Stream) -> bytes:
    """Return a page's or form's content with every small text rise set to 0.

    A rise of more than half the font size is no mark's: it stays, so text a rise moves off
    the page is read (or not) where it is drawn.
    """
    level, size, saved = [], 0.0, []
    for instruction in pikepdf.parse_content_stream(content):
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "Tf" and len(operands) == 2 and _number(operands[1]) is not None:
            size = abs(float(operands[1]))
        elif operator == "q":  # the font size is graphics state: Q gives back q's
            saved.append(size)
        elif operator == "Q" and saved:
            size = saved.pop()
        rise = _number(operands[0]) if operator == "Ts" and operands else None
        small = rise is not None and abs(rise) <= size * MAX_MARK_RISE
        level.append(pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Ts")) if small
                     else instruction)
    return pikepdf.unparse_content_stream(level)


def _number(operand: Any) -> float | None:
    return float(operand) if isinstance(operand, int | float | Decimal) else None


def page_texts(path: Path) -> list[str]:
    """Return each page's text in reading (logical) order (pdftotext, else pdfplumber)."""
    with pages_read(path) as pages:
        return pages()


@contextmanager
def pages_read(path: Path) -> Iterator[Callable[[], list[str]]]:
    """Start reading each page's text in reading order; the function yielded returns it.

    poppler's pdftotext, started at once in its own process, returns right-to-left scripts in
    logical order, as a screen reader reads them; pdfplumber (without pdftotext) gives
    visual order, which would garble Urdu and Arabic. The process is ended on the way out.
    """
    tool = shutil.which("pdftotext")
    if tool is None:
        log.info("pdftotext (poppler-utils) not found; reading the PDF with pdfplumber")
        yield lambda: _plumber_pages(path)
        return
    with subprocess.Popen([tool, "-enc", "UTF-8", str(path), "-"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        try:
            yield lambda: _pdftotext_pages(process)
        finally:
            if process.poll() is None:
                process.kill()


def _plumber_pages(path: Path) -> list[str]:
    with pdf_tags.plumber(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _pdftotext_pages(process: subprocess.Popen[bytes]) -> list[str]:
    """Wait for pdftotext (a minute at most) and return its pages."""
    out, err = process.communicate(timeout=PDFTOTEXT_TIMEOUT)
    if process.returncode != 0:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(f"pdftotext cannot read it: {reason[-1] if reason else 'no reason given'}")
    return out.decode("utf-8").split("\f")[:-1]


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the PDF/UA and large-print rules the file breaks.

    ``check_artifact`` runs this aside (``ASIDE``), in a child on an idle core, while this
    process reads the text and checks the facts.
    """
    findings: list[Finding] = []
    with pikepdf.open(path) as pdf:
        findings += _catalogue(path, pdf, manifest)
        tree = read_tree(pdf)
        findings += _structure(path, tree)
        findings += _lists(path, tree)
        findings += _links(path, pdf, tree)
        findings += _bookmarks(path, pdf, manifest)
        findings += _fonts(path, pdf)
        findings += _to_unicode(path, pdf)
        findings += _page_format(path, pdf)
        findings += pdf_tags.findings(path, pdf, thorough, _profile(entry).body_pt, {
            name: fact.printed for name, fact in manifest.facts.items()
            if name.startswith("contacts.")}, pdf_contacts.names(manifest),
            entry.details, rtl=pdf_contacts.rtl(manifest))
        findings += numbered.pdf_findings(path, pdf, entry.details)
    return findings + printed_findings(path, entry, manifest)


def printed_findings(path: Path, entry: ArtifactEntry, manifest: Manifest) -> list[Finding]:
    """Return the size, margin, running footer, first page and link text rules the printed
    page breaks (read with pdfium)."""
    profile = _profile(entry)
    pages = page_chars(path)
    footers: list[str | None] = [page.footer for page in pages]
    pictures = list(entry.details.get("pictures") or [])
    return [*_sizes(path, pages, profile.min_pt),
            *_picture_sizes(path, pages, profile.min_pt, partial(picture_name, manifest, pictures)),
            *_margins(path, pages),
            *pdf_footer.findings(path, footers, manifest, entry.details.get("footer")),
            *pdf_contacts.first_page(path, [page.content for page in pages[:CONTENT_PAGES]],
                                     manifest),
            *_link_findings(path, pages, manifest)]


def _link_findings(path: Path, pages: list[PageChars], manifest: Manifest) -> Iterator[Finding]:
    """Yield what the printed links break (``pdf_links``): a right-to-left PDF's read in
    logical order from its glyphs (``pdf_links_rtl``), the pages with a web or email link
    or that may print a fact printed as a link only (pdfminer is slower than pdfium)."""
    named = named_links(manifest)
    texts = ["".join(char for char, _, _ in page.chars) for page in pages]
    if manifest.lang.split("-")[0] not in RTL_LANGUAGES:
        yield from pdf_links.findings(path, [page.links for page in pages], False, named,
                                      texts)
        return
    wanted = {index for index, page in enumerate(pages)
              if page.links or any(pdf_links_rtl.may_print(texts[index], words)
                                   for words, _ in named.values())}
    if wanted:
        links, logical = pdf_links_rtl.read(path, wanted)
        yield from pdf_links.findings(path, links, False, named, logical)


def _profile(entry: ArtifactEntry) -> PrintProfile:
    """Return the print profile the PDF was made in (large print unless giant)."""
    return PRINT_PROFILES["giant" if entry.details.get("profile") == "giant" else "large"]


def _catalogue(path: Path, pdf: pikepdf.Pdf, manifest: Manifest) -> Iterator[Finding]:
    root: Any = pdf.Root
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        yield error(
            path, "catalogue", "the PDF is not tagged (/MarkInfo /Marked true)", "pdf-tagged"
        )
    if str(root.get("/Lang", "")) != manifest.lang:
        yield error(
            path,
            "catalogue",
            f"document language is {str(root.get('/Lang', '')) or 'unset'!r}, "
            f"expected {manifest.lang!r}",
            "pdf-lang",
        )
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        yield error(path, "catalogue", "DisplayDocTitle is not set", "pdf-display-title")
    with pdf.open_metadata() as xmp:
        title = str(xmp.get("dc:title", ""))
        part = str(xmp.get("pdfuaid:part", ""))
    if title != manifest.title:
        yield error(
            path, "metadata", f"title is {title!r}, expected {manifest.title!r}", "pdf-title"
        )
    if part != "1":
        yield error(path, "metadata", "no PDF/UA-1 identification (pdfuaid:part)", "pdf-ua-id")


def _elements(node: Any, above: frozenset[tuple[int, int]] = frozenset()) -> Iterator[Any]:
    """Yield the structure elements under ``node``; ValueError if the tree loops."""
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if kid.is_indirect and kid.objgen in above:
                raise ValueError(f"the structure tree loops (object {kid.objgen[0]} is inside "
                                 "itself)")
            yield kid
            yield from _elements(kid, above | {kid.objgen} if kid.is_indirect else above)


@dataclass(frozen=True)
class Tree:
    """The structure tree, walked once: its role map, and each element with its standard role."""

    role_map: Any
    roles: list[tuple[Any, str]]


def read_tree(pdf: pikepdf.Pdf) -> Tree | None:
    """Return the PDF's structure tree walked once, or None without one (ValueError if it loops)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    role_map: Any = root.get("/RoleMap", {})
    return Tree(role_map, [(e, _role(e, role_map)) for e in _elements(root)])


def _structure(path: Path, tree: Tree | None) -> Iterator[Finding]:
    if tree is None:
        yield error(path, "structure", "no structure tree (/StructTreeRoot)", "pdf-structure")
        return
    elements = [element for element, _ in tree.roles]
    levels = [
        int(str(e.S)[2:]) for e in elements if str(e.S)[:2] == "/H" and str(e.S)[2:].isdigit()
    ]
    if not levels or levels[0] != 1:
        yield error(path, "structure", f"headings must start at H1 (found {levels[:1]})", "pdf-h1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            yield error(
                path,
                "structure",
                f"heading level skipped: H{before} then H{after}",
                "pdf-heading-order",
            )
    for element in elements:
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip():
            yield error(path, "structure", "a Figure has no alternative text", "pdf-figure-alt")


def _role(element: Any, role_map: Any) -> str:
    """Return an element's standard structure type, following the /RoleMap (``/LI``)."""
    role, seen = str(element.get("/S", "")), set()
    while role in role_map and role not in seen:
        seen.add(role)
        role = str(role_map[role])
    return role


def _kids(element: Any) -> list[Any]:
    """Return an element's /K entries as a list: elements, marked-content ids, references."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _kid_role(kid: Any, role_map: Any) -> str:
    """Return what a /K entry is: a structure type, or the kind of content it points to."""
    if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
        return _role(kid, role_map)
    if isinstance(kid, pikepdf.Dictionary):
        return f"a {str(kid.get('/Type', '/MCR'))[1:]} reference"
    return "untagged content"


def _lists(path: Path, tree: Tree | None) -> Iterator[Finding]:
    """Check every list is L → LI → Lbl + LBody."""
    if tree is None:
        return
    role_map = tree.role_map
    lists = [e for e, role in tree.roles if role == "/L"]
    items = [e for e, role in tree.roles if role == "/LI"]
    for number, element in enumerate(lists, start=1):
        for place, kid in enumerate(_kids(element), start=1):
            if (role := _kid_role(kid, role_map)) != "/LI":
                yield error(
                    path,
                    f"list {number}",
                    f"child {place} is {role}, not a list item /LI",
                    "pdf-list-structure",
                )
    for number, element in enumerate(items, start=1):
        found = {_kid_role(kid, role_map) for kid in _kids(element)}
        missing = [part for part in ("/Lbl", "/LBody") if part not in found]
        if missing:
            yield error(
                path,
                f"list item {number}",
                f"the list item has no {' or '.join(missing)}",
                "pdf-list-structure",
            )


def _described(annotation: Any) -> bool:
    """Return whether an annotation has a non-empty description (/Contents)."""
    return bool(str(annotation.get("/Contents", "")).strip())


def _link_target(annotation: Any) -> str:
    """Return where a link annotation goes: its URI or its destination, for messages."""
    action = annotation.get("/A", {})
    target = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
    return str(target if target is not None else annotation.get("/Dest", "?"))


def _links(path: Path, pdf: pikepdf.Pdf, tree: Tree | None) -> Iterator[Finding]:
    """Check every link annotation and every /Link element has a description."""
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link" and not _described(annotation):
                yield error(
                    path,
                    f"page {number}",
                    f"the link to {_link_target(annotation)} has no description (/Contents)",
                    "pdf-link-description",
                )
    if tree is None:
        return
    links = [e for e, role in tree.roles if role == "/Link"]
    for number, element in enumerate(links, start=1):
        if not _link_element_described(element):
            yield error(
                path,
                f"link {number}",
                "a Link element has no description (no /Alt, /ActualText or annotation /Contents)",
                "pdf-link-description",
            )


def _link_element_described(element: Any) -> bool:
    """Return whether a /Link element or an annotation it holds carries a description."""
    if any(str(element.get(key, "")).strip() for key in ("/Alt", "/ActualText")):
        return True
    annotations = [
        kid.get("/Obj")
        for kid in _kids(element)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
    ]
    return any(a is not None and _described(a) for a in annotations)


def _bookmarks(path: Path, pdf: pikepdf.Pdf, manifest: Manifest) -> Iterator[Finding]:
    with pdf.open_outline() as outline:
        titles = [item.title for item in _walk_outline(outline.root)]
    for section in manifest.sections:
        if section["title"] not in titles:
            yield error(
                path, "bookmarks", f"no bookmark for section {section['title']!r}", "pdf-bookmarks"
            )


def _walk_outline(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk_outline(item.children)


def _fonts(path: Path, pdf: pikepdf.Pdf) -> Iterator[Finding]:
    seen: set[str] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in page.resources.get("/Font", {}).values():
            for face in [font, *font.get("/DescendantFonts", [])]:
                name = str(face.get("/BaseFont", "?"))
                descriptor = face.get("/FontDescriptor")
                if descriptor is None or name in seen:
                    continue
                seen.add(name)
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    yield error(
                        path, f"page {number}", f"font {name} is not embedded", "pdf-font-embedded"
                    )
                italic = int(descriptor.get("/Flags", 0)) & 64 or float(
                    descriptor.get("/ItalicAngle", 0)
                )
                if italic or "italic" in name.lower() or "oblique" in name.lower():
                    yield error(path, f"page {number}", f"italic font {name} is used", "pdf-italic")


def _fonts_in(resources: Any, seen: set[tuple[int, int]]) -> Iterator[tuple[str, Any]]:
    """Yield (resource name, font) for each font the resources use, forms included, once."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for name, font in resources.get("/Font", {}).items():
        if font.objgen not in seen or font.objgen == (0, 0):
            seen.add(font.objgen)
            yield name, font
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts_in(xobject.get("/Resources"), seen)


def _to_unicode(path: Path, pdf: pikepdf.Pdf) -> Iterator[Finding]:
    """Check every font has a /ToUnicode map (a Type0 font on its top-level dictionary),
    and that the map gives every glyph it lists some text (``check.pdf_fonts``)."""
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in _fonts_in(page.obj.get("/Resources"), seen):
            label = str(font.get("/BaseFont", name))
            if "/ToUnicode" not in font:
                yield error(
                    path,
                    f"page {number}",
                    f"font {label} has no /ToUnicode map, so its text cannot be "
                    "read aloud or searched",
                    "pdf-tounicode",
                )
            elif (problem := _map_problem(path, f"page {number}", label, font.ToUnicode)):
                yield problem


def _map_problem(path: Path, place: str, label: str, stream: Any) -> Finding | None:
    """Say what is wrong with a /ToUnicode map: glyphs given no text, or entries unreadable.

    Glyphs given no text are an error in an Arabic-script font, where a font whose letters
    are whole glyphs cures it (the writer sets Arabic script in Noto Naskh Arabic), and a
    warning in any other: WeasyPrint does the same to a Gurmukhi or Bengali vowel sign drawn
    before its consonant, no font cures that, and the printed page, which large print is for,
    is right.
    """
    if not isinstance(stream, pikepdf.Stream):
        return error(path, place, f"font {label}: its /ToUnicode is not a stream", "pdf-tounicode")
    cmap = read_stream(stream)
    if cmap.malformed:
        return error(path, place, f"font {label}: its /ToUnicode map cannot be read: "
                     f"{cmap.malformed[0]}", "pdf-tounicode")
    if not cmap.empty:
        return None
    codes = ", ".join(f"{c:#06x}" for c in sorted(cmap.empty)[:6])
    said = (f"font {label}: its /ToUnicode map gives {len(cmap.empty)} glyph(s) no text "
            f"(codes {codes}): a letter drawn as several glyphs, which a screen reader reads "
            "wrong or not at all (WeasyPrint #2841)")
    if _arabic_script(cmap):
        return error(path, place, f"{said}; set Arabic script in a font whose letters are whole "
                     "glyphs (Noto Naskh Arabic)", "pdf-tounicode")
    return warning(path, place, f"{said}; the printed page is right, but give readers who "
                   "listen the DOCX, web page or audio", "pdf-tounicode")


def _arabic_script(cmap: ToUnicode) -> bool:
    """Tell whether a map's glyphs stand for Arabic-script letters (its blocks and forms)."""
    return any(ARABIC_BLOCK.search(text) for text in cmap.texts.values())


def _page_format(path: Path, pdf: pikepdf.Pdf) -> Iterator[Finding]:
    """Check every page is A4 portrait, from its /MediaBox and /Rotate."""
    for number, page in enumerate(pdf.pages, start=1):
        left, bottom, right, top = (float(v) for v in page.mediabox)
        width, height = abs(right - left), abs(top - bottom)
        if int(page.obj.get("/Rotate", 0)) % 180:
            width, height = height, width
        sizes = zip((width, height), A4_PT, strict=True)
        if any(abs(got - want) > PAGE_TOLERANCE for got, want in sizes):
            yield error(
                path,
                f"page {number}",
                f"the page is {width:.1f} by {height:.1f} pt, not A4 portrait "
                f"({A4_PT[0]} by {A4_PT[1]} pt)",
                "pdf-page-geometry",
            )


@dataclass(frozen=True)
class PageChars:
    """One page as pdfium prints it: its /MediaBox and each visible character with its size
    in points and its tight box (left, bottom, right, top)."""

    mediabox: tuple[float, float, float, float]
    chars: list[tuple[str, float, tuple[float, float, float, float]]]
    footer: str = ""
    """The running footer's text (``pdf_footer.footer_text``)."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """Each web and email link's target and printed text (``pdf_links.page_links``)."""
    pictures: dict[int, str] = field(default_factory=dict)
    """Index in ``chars`` → the description of the picture it is printed in (an SVG's
    label), for the characters under the size ``page_chars`` was asked about."""
    content: Callable[[], pdf_contacts.Content] = pdf_contacts.no_content
    """What reads the first two pages' text as pdfium reads it, their running artifacts left
    out, and its frame (``pdf_contacts.content_text``, for ``pdf-first-page``; nothing on
    other pages)."""


CONTENT_PAGES = 2
"""The pages whose text ``page_chars`` reads without their artifacts (``pdf-first-page``: the
first, and the second, where hours too long for the first go on)."""


def page_chars(path: Path, small: float = SMALL_PT) -> list[PageChars]:
    """Return each page's visible characters with their printed sizes and boxes, in one pass.

    pdfium (pypdfium2) is a dozen times faster than pdfminer here; one pass serves both the
    size rule and the margin rule (the text page is the costly part to load). Characters
    under ``small`` points are looked up in the pictures (``PageChars.pictures``).
    """
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [_page_chars(page, small, content=number < CONTENT_PAGES)
                for number, page in enumerate(pdf)]
    finally:
        pdf.close()


def _page_chars(page: pdfium.PdfPage, small: float = 0.0, content: bool = False
                ) -> PageChars:
    """Read one page's visible characters (and with ``content``, its text without its
    artifacts: ``PageChars.content``).

    The size is the font size times the character's vertical scale on the page, so a 16 pt
    font under a 0.75 page transform (WeasyPrint's px to pt) counts as 12 pt, as a reader
    would measure it. pdfium's C functions are called directly, into the same few C values,
    for each of the leaflet's thousands of characters (twice as fast as pypdfium2's helpers).
    """
    text = page.get_textpage()
    raw, matrix = text.raw, pdfium_c.FS_MATRIX()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    chars: list[tuple[str, float, tuple[float, float, float, float]]] = []
    smalls: dict[int, int] = {}
    spaces: list[tuple[int, str]] = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        if char.strip():
            pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
            size = pdfium_c.FPDFText_GetFontSize(raw, index) * math.hypot(matrix.c, matrix.d)
            if not pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top):
                raise pdfium.PdfiumError(f"pdfium cannot place character {index}")
            if size < small - SIZE_TOLERANCE:
                smalls[len(chars)] = index
            chars.append((char, size, (left.value, bottom.value, right.value, top.value)))
        elif content:
            spaces.append((len(chars), char))
    mediabox = page.get_mediabox()
    return PageChars(mediabox, chars, pdf_footer.footer_text(page, text),
                     pdf_links.page_links(page, text), _in_pictures(page, raw, smalls),
                     pdf_contacts.content_text(page.raw, mediabox, chars, spaces) if content
                     else pdf_contacts.no_content)


def _in_pictures(page: pdfium.PdfPage, raw: Any, smalls: dict[int, int]) -> dict[int, str]:
    """Return, of the characters ``smalls`` (position → pdfium index), those in a picture.

    A page without a picture has none (each character looked up had cost 1 µs: the 8x
    leaflet's 27,000 characters under giant print's size, 0.03 s of its check)."""
    figures = pdf_pictures.figure_ids(page.raw) if smalls else {}
    if not figures:
        return {}
    found = {at: pdf_pictures.char_figure(raw, index, figures) for at, index in smalls.items()}
    return {at: alt for at, alt in found.items() if alt is not None}


def _margins(path: Path, pages: list[PageChars]) -> Iterator[Finding]:
    """Check the text on every page stays at least 20 mm from each edge of the page."""
    for number, gaps in enumerate(map(page_margins, pages), start=1):
        narrow = {edge: gap for edge, gap in gaps.items() if gap < MARGIN_PT - MARGIN_TOLERANCE}
        if narrow:
            where = ", ".join(
                f"{edge} {gap:.1f} pt ({gap * 25.4 / 72:.1f} mm)" for edge, gap in narrow.items()
            )
            yield error(
                path,
                f"page {number}",
                f"text is closer than 20 mm to the edge: {where}",
                "pdf-page-geometry",
            )


def page_margins(page: PageChars) -> dict[str, float]:
    """Return the gap in points between a page's visible text and each edge of the page.

    The gaps come from pdfium's tight character boxes against the page's /MediaBox; a page
    without text has no gaps.
    """
    boxes = [box for _, _, box in page.chars]
    if not boxes:
        return {}
    left, bottom, right, top = page.mediabox
    return {
        "left": min(box[0] for box in boxes) - left,
        "bottom": min(box[1] for box in boxes) - bottom,
        "right": right - max(box[2] for box in boxes),
        "top": top - max(box[3] for box in boxes),
    }


def _sizes(path: Path, pages: list[PageChars], minimum: float) -> Iterator[Finding]:
    for number, page in enumerate(pages, start=1):
        small = [(char, size) for at, (char, size, _) in enumerate(page.chars)
                 if size < minimum - SIZE_TOLERANCE and at not in page.pictures]
        if small:
            sample = "".join(char for char, _ in small[:20])
            yield error(
                path,
                f"page {number}",
                f"{len(small)} characters under {minimum:g} pt "
                f"(smallest {min(size for _, size in small):.1f} pt: {sample!r})",
                "pdf-min-size",
            )


def _picture_sizes(path: Path, pages: list[PageChars], minimum: float,
                   name: Callable[[str], str]) -> Iterator[Finding]:
    """Report the text inside a picture (an SVG's labels) under ``minimum`` points, by picture,
    saying how to fix it."""
    for number, page in enumerate(pages, start=1):
        by_picture: dict[str, list[tuple[str, float]]] = {}
        for at, alt in page.pictures.items():
            if page.chars[at][1] < minimum - SIZE_TOLERANCE:
                by_picture.setdefault(alt, []).append(page.chars[at][:2])
        for alt, small in by_picture.items():
            smallest = min(size for _, size in small)
            yield error(
                path, f"page {number}",
                f"{len(small)} characters under {minimum:g} pt inside {name(alt)} (smallest "
                f"{smallest:.1f} pt: {''.join(char for char, _ in small[:20])!r}): make the "
                f"text in the SVG at least {minimum:g} pt at the size the picture is printed "
                f"(at least {math.ceil(minimum / smallest * 100)} % of its size now), or "
                "remove the text from the picture and say it in its description",
                "pdf-min-size",
            )
