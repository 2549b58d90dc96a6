"""The ``pdf`` writer: a large-print, tagged PDF/UA-1 leaflet printed by WeasyPrint.

Recipe: fill the templates (``pdf_template``) → lay the page out with WeasyPrint once, fetching
only allowed files (``pdf_fetch``); the template's style keeps any major section from starting
in the bottom fifth of a page, and ``pdf_layout`` proves it (a template without that rule gets
a page break before such a section, and a layout again); ``pdf_layout`` proves the running
footer fits too (long opening hours may not: a layout again with the hours wrapping, then
with the number alone, ``lay_out_fitting``), and a contact's box too tall for the space left
on a page, which would leave that page more than a third empty, breaks between its lines in a
layout again (``pdf_layout.split_boxes``) → write the PDF with its language
in the XMP metadata → finish its tags with pikepdf (``pdf_tags``): running footers and page
numbers as artifacts, one element per paragraph or list across page breaks, links that print,
content painted in the tag tree's order.
"""

from __future__ import annotations

from lmets_docs.writers.pdf import libs  # noqa: F401  (first: WeasyPrint without its probes)

# isort: split
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse
from xml.sax.saxutils import escape

import pydyf  # type: ignore[import-untyped]
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.urls import FatalURLFetchingError

from lmets_docs import collector as pdf_collector
from lmets_docs.build import stop
from lmets_docs.errors import BuildError, TagTreeError, raise_if_disk_full
from lmets_docs.model import RTL_LANGUAGES, Figure, Leaflet
from lmets_docs.numbering import numbered_details
from lmets_docs.options import BuildOptions
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult
from lmets_docs.writers.pdf import glyphs as pdf_glyphs
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf import tags as pdf_tags
from lmets_docs.writers.pdf import where as pdf_where
from lmets_docs.writers.pdf.fetch import LeafletFetcher
from lmets_docs.writers.pdf.template import (
    BREAK_HERE,
    CONTINUED,
    PACKAGE_TEMPLATES,
    PAGE_TEMPLATE,
    WORD_JOINER,
    Loose,
    Page,
    css_string,
    render_page,
)

log = logging.getLogger(__name__)

# PDF/UA-1 needs tags; the variant does not turn them on by itself (the default is False).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
SOURCE_HASH_KEY = "lmets-source-hash"


MAX_PUSHES = 4
"""How many times a major section may be pushed to a new page (each one lays out again).

The built-in template's style moves such a section in the first layout; these pushes are for a
user's template without that rule."""


def output_name(leaflet: Leaflet, profile: str = "large") -> str:
    """Return the PDF's file name: ``<id>-large-print.pdf``, ``<id>-giant-print.pdf``."""
    return f"{leaflet.id}-{profile}-print.pdf"


class PdfWriter:
    """Write ``<id>-large-print.pdf`` for one leaflet in one language."""

    name = "pdf"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Fill the templates, print them to PDF in ``out_dir`` and say what was made."""
        page = render_page(leaflet, options)
        name = output_name(leaflet, page.profile.name)
        refill = partial(render_page, leaflet, options)
        with weasyprint_problems() as problems, pdf_collector.fewer_collections():
            printed = print_pdf(page, leaflet, out_dir / name, refill)
        pages, pushed, empty, footer = printed[:4]
        stop.raise_if_stopped()  # WeasyPrint swallows a stop while it draws an SVG
        where = f"{leaflet.id} ({leaflet.lang}) pdf"
        missing = [p for p in problems if p.startswith(PICTURE_FAILURES)]
        if missing:
            raise BuildError(f"a picture could not be drawn, so the PDF would miss it: "
                             f"WeasyPrint: {missing[0]}")
        # each once, though a footer that does not fit is laid out again
        found = [*(f"{where}: WeasyPrint: {p}" for p in dict.fromkeys(problems)),
                 *(_empty_warning(where, n, share, pages) for n, share in empty)]
        for warning in found:  # said by the build that finds it, as the other writers do
            log.warning("%s", warning)
        return WriterResult(
            files={"pdf": name}, engines={"pdf": f"WeasyPrint {weasyprint.__version__}"},
            warnings=[*(f"{where}: {w}" for w in page.warnings), *found],
            details={"profile": page.profile.name, "pages": pages,
                     "sections_on_new_page": pushed, "footer": footer, **pictures(leaflet)}
            | numbered_details(leaflet)
            | ({"continued": printed.continued} if printed.continued else {}),
        )


PICTURE_FAILURES = ("Failed to load image", "Failed to render SVG image")
"""WeasyPrint's messages for a picture it leaves out of the page (and goes on printing)."""


def _empty_warning(where: str, number: int, share: float, pages: int) -> str:
    if number == pages:
        return (f"{where}: the last page, {number}, is {share:.0%} empty: a sheet for a line "
                "or two; shorten the text a little to save it")
    return (f"{where}: page {number} is {share:.0%} empty (large print: at most about a "
            "third); a picture or box too tall to share a page?")


def pictures(leaflet: Leaflet) -> dict[str, list[dict[str, str]]]:
    """Return the pictures printed (image id, file, description), for ``check`` to name one
    whose text is too small; nothing for a leaflet without one (its manifest is as before)."""
    found = [{"image": b.image, "file": _relative(b.path, leaflet.source_dir), "alt": b.alt}
             for b in leaflet.all_blocks() if isinstance(b, Figure) and b.path is not None]
    return {"pictures": found} if found else {}


def _relative(path: Path, folder: Path) -> str:
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


WRITER = PdfWriter()


def fetcher(page: Page, leaflet: Leaflet) -> LeafletFetcher:
    """Return the URL fetcher allowing the leaflet folder, the templates and the fonts."""
    return LeafletFetcher([leaflet.source_dir, *page.template_dirs], [f.path for f in page.fonts])


class Printed(NamedTuple):
    """What printing made: pages, sections moved to a new page, pages (but the last) more
    than a third empty, and the running footer's form (``FOOTERS``)."""

    pages: int
    pushed: list[str]
    empty: list[tuple[int, float]]
    footer: str
    continued: list[dict[str, Any]]
    """Each rest of a contact box headed by its name, continued: its page, contact and the
    words printed (``pdf_layout.markers``; the manifest's ``details.continued``)."""


FOOTERS = ("hours unbroken", "hours wrapped", "number only")
"""The running footer's forms, tried in this order until one fits (``lay_out_fitting``)."""
WRAP_HOURS = ".running-footer .hours { white-space: normal !important; }"
"""The second layout's rule: the footer's hours wrap between their pieces (a user sheet's
``!important`` outweighs the template's ``nowrap``; each piece stays whole, and a time range
too: STANDARDS, a range is never split). Hours that need more than two lines so leave the
footer to the number alone, the third form."""


Refill = Callable[[bool, Loose], Page]
"""Fill the page again: with the footer's hours or not, some facts set loosely (``Loose``)."""


_LIST = re.compile(r"<(ul|ol)(\s[^>]*)?>")


def numbered_lists(text: str) -> list[bool]:
    """Say of each list of the page's HTML, in order, whether it is one of the text's numbered
    lists (an ``<ol>`` with the id of its block; the references' ``<ol>`` has none)."""
    return [tag == "ol" and ' id="' in attrs for tag, attrs in _LIST.findall(text)]


def print_pdf(page: Page, leaflet: Leaflet, target: Path, refill: Refill) -> Printed:
    """Lay the page out and write the PDF to ``target``; say what was printed.

    ``refill`` fills the page again (``render_page``), for when it does not fit as it is.
    """
    try:
        laid = lay_out_fitting(page, leaflet, refill)
        document, url_fetcher = laid.document, laid.fetcher
        refuse_misread(document, leaflet)
        data = document.write_pdf(finisher=partial(finish, leaflet=leaflet), **PDF_OPTIONS)
        if url_fetcher.refused:  # inside an SVG image, where WeasyPrint only warns
            raise BuildError("; ".join(dict.fromkeys(url_fetcher.refused)))
        pdf_tags.finish_pdf(data, pdf_layout.cut_depths(document.pages), target,
                            numbered_lists(page.html), pdf_layout.continued(document.pages))
    except TagTreeError as exc:
        raise BuildError(
            f"{leaflet.source_file}: the PDF template {page_template(page)}: {exc}; each "
            "line of a contact's box (the element with data-contact) must be a paragraph "
            "of the box's own, as in the built-in template (not a list item)") from exc
    except FatalURLFetchingError as exc:
        raise fetch_error(exc) from exc
    except BuildError:
        raise
    except OSError as exc:
        raise_if_disk_full(exc, target)
        raise BuildError(f"could not write {target}: {exc}") from exc
    except Exception as exc:  # WeasyPrint's own failure, e.g. on a broken user template
        raise BuildError(f"WeasyPrint could not print {leaflet.source_file}: "
                         f"{exc.__class__.__name__}: {exc}") from exc
    return Printed(len(document.pages), laid.pushed, _too_empty(document.pages), laid.footer,
                   pdf_layout.markers(document.pages))


def page_template(page: Page) -> str:
    """Return the page's template file, as a user names it (a house template's, or the
    built-in one's)."""
    folder = Path(unquote(urlparse(page.base_url).path))
    return "the built-in leaflet.html" if folder == PACKAGE_TEMPLATES else str(
        folder / PAGE_TEMPLATE)


def _too_empty(pages: list[Any]) -> list[tuple[int, float]]:
    """Return (number, empty share) of the pages but the last more than a third empty, and of
    a last page that holds a line or two (``pdf_layout.last_too_empty``)."""
    last = pdf_layout.last_too_empty(pages)
    return pdf_layout.too_empty(pages) + ([] if last is None else [(len(pages), last)])


class Laid(NamedTuple):
    """A layout: WeasyPrint's document, the sections moved to a new page, the running
    footer's form (``FOOTERS``), the fetcher that read the page's files, and the page and
    the user sheets it was laid out from (to let its contact boxes break, ``_fitted``)."""

    document: Any
    pushed: list[str]
    footer: str
    fetcher: LeafletFetcher
    html: Any
    sheets: tuple[weasyprint.CSS, ...]
    continued: str = CONTINUED


def lay_out_fitting(page: Page, leaflet: Leaflet, refill: Refill) -> Laid:
    """Lay the page out until its text and its running footer fit.

    The first layout is today's: the main contact's hours on one line in the footer, every
    address and piece of hours whole, as every leaflet that fits has always been printed (so
    its PDF does not change). Only what runs past its line or box is then loosened, in one
    layout again: an address longer than its line breaks at chosen points, long hours wrap
    (``too_wide``); the footer's hours wrap within its two lines
    (``pdf_layout.footer_overflows``); then, if the footer still does not fit, the number
    alone (the hours stay in the contact box and the last section). A footer that fits in
    none of these (or that has no hours to change) is a BuildError.
    """
    laid = _laid(page, leaflet, [], FOOTERS[0])
    loose, late = too_wide(laid.document.pages), pdf_layout.footer_overflows(laid.document.pages)
    wrap = bool(late) and footer_has_hours(leaflet)
    if wrap:
        log.info("pdf: the running footer does not fit (%s): laid out again", FOOTERS[0])
    form = Form([weasyprint.CSS(string=WRAP_HOURS)], FOOTERS[1]) if wrap else Form([], FOOTERS[0])
    if loose:
        page, loose, laid = loosened(leaflet, refill, loose, form)
    elif wrap:
        laid = _laid(page, leaflet, *form)
    if not wrap or not pdf_layout.footer_overflows(laid.document.pages):
        return _fitted(laid, leaflet)
    log.info("pdf: the running footer does not fit (%s): laid out again", FOOTERS[1])
    return _fitted(_laid(refill(False, loose), leaflet, [], FOOTERS[2]), leaflet)


class Form(NamedTuple):
    """A layout's user style sheets and the running footer's form they give (``FOOTERS``)."""

    sheets: list[weasyprint.CSS]
    footer: str


def loosened(leaflet: Leaflet, refill: Refill, loose: Loose,
             form: Form) -> tuple[Page, Loose, Laid]:
    """Lay the page out in ``form`` with ``loose`` set loosely until nothing runs past its line.

    An address loosened whose part is still longer than its line may then break after its
    own hyphens too (``Loose.hyphens``); one that still runs past its line has a word longer
    than a whole line, which then breaks where it must (``Loose.words``): its line holds
    nothing else, as ``check`` proves (``pdf-address-break``). A page whose loosened
    addresses fit is laid out once, as before.
    """
    for _ in range(MAX_LOOSENINGS):
        log.info("pdf: text runs past its line (%s): set loosely, laid out again", loose)
        page = refill(True, loose)
        laid = _laid(page, leaflet, *form)
        wide = too_wide(laid.document.pages)
        if (wide.addresses <= loose.hyphens and not (wide.hours and not loose.hours)
                and not (wide.links and not loose.links)):
            break
        loose = Loose(loose.addresses | wide.addresses, loose.hours or wide.hours,
                      loose.hyphens | (wide.addresses & loose.addresses),
                      loose.links or wide.links)
    if wide.addresses or wide.links:
        log.info("pdf: a word of an address is longer than its line: it breaks where it must")
        loose = replace(loose, words=True)
        page = refill(True, loose)
        laid = _laid(page, leaflet, *form)
    return page, loose, laid


MAX_LOOSENINGS = 3
"""Layouts of a page set loosely: the addresses and hours too wide, then their hyphens."""


def footer_has_hours(leaflet: Leaflet) -> bool:
    """Say whether the running footer gives the main contact's hours (``furniture.helpline``):
    without them, laying it out again cannot make it shorter."""
    facts = formatter(leaflet)
    return all(facts.canonical(name) in facts.values
               for name in ("helpline.phone", "helpline.hours"))


def _laid(page: Page, leaflet: Leaflet, sheets: list[weasyprint.CSS], form: str) -> Laid:
    """Lay the page out with the user sheets; the footer's form is ``form``.

    Its contact boxes are not let break yet: only the layout kept is (``_fitted``), so a
    layout loosened or given another footer afterwards costs no split renders."""
    url_fetcher = fetcher(page, leaflet)
    html = page_html(page, url_fetcher)
    return Laid(*lay_out(html, sheets, split=False), form, url_fetcher, html, tuple(sheets),
                page.continued)


def too_wide(pages: Any) -> Loose:
    """Return what runs past its line in a layout (``_too_wide``): the addresses, by link
    and place among the links to it (``Loose``), and whether any piece of hours does."""
    roots = [child for page in pages for child in page._page_box.children
             if not isinstance(child, boxes.MarginBox)]
    wide = [box for root in roots for box in _too_wide(root, None)]
    links = [a for a in roots[0].element.iter("a") if _is_address(a)] if roots else []
    return Loose(frozenset(_place(box.element, links) for box in wide
                           if box.element_tag == "a" and _is_address(box.element)),
                 any(box.element_tag == "span" for box in wide),
                 links=any(box.element_tag == "a" and not _is_address(box.element)
                           for box in wide))


def _place(element: Any, links: list[Any]) -> tuple[str, int]:
    """Return an address link's target and its place among the page's links to it."""
    href = str(element.get("href"))
    return href, [a for a in links if a.get("href") == href].index(element)


def _too_wide(box: Any, line: tuple[float, float] | None) -> Iterator[Any]:
    """Yield each element kept whole (an address's link, a piece of hours) that runs past
    the sides of the block its line is in."""
    if isinstance(box, boxes.BlockContainerBox):
        line = (box.content_box_x(), box.content_box_x() + box.width)
    if line and isinstance(box, boxes.InlineBox) and _kept_whole(box) and (
            box.position_x < line[0] - pdf_layout.OVERSHOOT_PX
            or box.position_x + box.margin_width() > line[1] + pdf_layout.OVERSHOOT_PX):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _too_wide(child, line)


def _kept_whole(box: Any) -> bool:
    """Say whether an inline box is an address's link or a piece of hours kept whole."""
    if box.element is None:
        return False
    if box.element_tag == "a":  # a contact's address, or one printed after a link's words
        return _is_address(box.element) or "address" in (box.element.get("class") or "").split()
    return box.element_tag == "span" and "nobreak" in (box.element.get("class") or "").split()


def _is_address(element: Any) -> bool:
    """Say whether an element is the link of an email or web address fact."""
    return "fact" in (element.get("class") or "").split() and str(
        element.get("href", "")).startswith(ADDRESS_LINKS)


ADDRESS_LINKS = ("mailto:", "http:", "https:")


def page_html(page: Page, url_fetcher: LeafletFetcher) -> weasyprint.HTML:
    """Return WeasyPrint's document of the filled-in page, reading files with the fetcher."""
    return weasyprint.HTML(string=page.html, base_url=page.base_url, url_fetcher=url_fetcher)


def _fitted(laid: Laid, leaflet: Leaflet) -> Laid:
    """Return the layout kept, its contact boxes let break where they must (``settle``),
    if its running footer fits; else raise BuildError."""
    late = pdf_layout.footer_overflows(laid.document.pages)
    if late:
        raise BuildError(pdf_where.main_contact(
            leaflet, "the running footer (the main contact's name or number) does not fit in "
            f"its two lines at the foot of page {late[0]}, even without the opening hours; give "
            "the first contact a shorter name"))
    document, pushed = settle(laid.html, list(laid.sheets), laid.document, laid.pushed,
                              continued=laid.continued)
    return laid._replace(document=document, pushed=pushed)


def refuse_misread(document: Any, leaflet: Leaflet) -> None:
    """Raise BuildError if a right-to-left PDF's text would say another letter than the page
    shows (``pdf_glyphs``); other leaflets are not read again (each line shaped twice).

    Bengali would be refused too (Noto Sans Bengali draws the "া" of "ো" with the glyph of
    "া"); that is left to a decision of its own (/work/notes/rtl.md).
    """
    if leaflet.lang.split("-")[0] not in RTL_LANGUAGES:
        return
    wrong = pdf_glyphs.misread(document.pages)
    if wrong:
        raise BuildError(
            f"{leaflet.source_file}: the PDF would read wrong words aloud: {wrong[0]} "
            "(WeasyPrint maps a glyph to the first letter it draws, #2841); set the script "
            "in a font that draws these letters apart, or reword")


def lay_out(html: Any, sheets: list[weasyprint.CSS] | None = None, split: bool = True,
            continued: str = CONTINUED) -> tuple[Any, list[str]]:
    """Lay the page out; move each major section still starting in a page's bottom fifth;
    with ``split``, let each contact's box that would leave the page before it more than a
    third empty break between its lines (``settle``).

    The built-in template's style leaves no late section, so one layout is enough (a user's
    template may lack that rule). A leaflet whose boxes fit is laid out once, as before.
    """
    sheets = sheets or []
    document = html.render(stylesheets=sheets, **PDF_OPTIONS)
    return settle(html, sheets, document, [], split, continued)


def settle(html: Any, sheets: list[weasyprint.CSS], document: Any, pushed: list[str],
           split: bool = True, continued: str = CONTINUED) -> tuple[Any, list[str]]:
    """Lay the page out again until no major section starts in a page's bottom fifth and,
    with ``split``, no contact box left whole leaves the page before it more than a third
    empty; return the last layout and the sections moved to a new page.

    One section is moved at a time, the first, since moving it moves every later one; so
    with the contact boxes. A box let break moves everything after it, so the sections are
    looked at again after each break: one loop, at most ``MAX_PUSHES`` sections moved and
    ``MAX_SPLITS`` breaks. A layout whose running footer does not fit is not looked at for
    boxes (``lay_out_fitting`` lays it out again with another footer). Each piece of a box
    let break is closed under its last line (``pdf_layout.closed_breaks``); the rest starts
    with the contact's name, ``continued`` (``broken_boxes``).
    """
    pushed, splits = list(pushed), 0
    broken: dict[str, pdf_layout.Tall] = {}  # each box let break, with the lines its name keeps
    for _ in range(MAX_PUSHES + MAX_SPLITS):
        late = [s for s in pdf_layout.late_sections(document.pages) if s not in pushed]
        if late and len(pushed) < MAX_PUSHES:
            pushed.append(late[0])
            log.info("pdf: section %s would start at the foot of a page: new page", late[0])
        else:
            tall = _tall_boxes(document.pages, broken) if split and splits < MAX_SPLITS else []
            if not tall:
                break
            broken[tall[0].contact], splits = tall[0], splits + 1
            log.info("pdf: contact box %s would leave a page more than a third empty: it "
                     "breaks between its lines, %d kept with its name", *tall[0][:2])
        document = html.render(stylesheets=[*sheets, new_pages(pushed),
                                            broken_boxes(broken.values(), continued)],
                               **PDF_OPTIONS)
    if _settled(document.pages, broken):
        document = html.render(stylesheets=[*sheets, new_pages(pushed),
                                            broken_boxes(broken.values(), continued)],
                               **PDF_OPTIONS)
    pdf_layout.closed_breaks(document.pages)
    return document, pushed


def _settled(pages: Any, broken: dict[str, pdf_layout.Tall]) -> bool:
    """Look once more at the last layout's boxes let break; say whether any must change.

    A box let break that still moved whole (a try that failed, the breaks spent before it
    was tried again) is kept whole: its forced break would leave its name and first lines
    alone on a page. A box whose rest, headed by its name, continued, is too tall for its
    page, so that a page break cuts one of its lines (a long name on several lines above
    long hours), goes on without that heading, as a box taller than a page goes on after
    its first page.
    """
    changed = False
    for moved in pdf_layout.split_boxes(pages):
        box = broken.get(moved.contact)
        if box is not None and box.kept > 0:
            broken[moved.contact], changed = box._replace(kept=0), True
            log.info("pdf: contact box %s still moved whole, no breaks left to try it "
                     "again: kept whole", moved.contact)
    for contact in pdf_layout.cut_lines(pages):
        box = broken.get(contact)
        if box is not None and box.kept > 0 and box.marked:
            broken[contact], changed = box._replace(marked=False), True
            log.info("pdf: contact box %s would cut a line under its name, continued: it "
                     "goes on without it", contact)
    return changed


def _tall_boxes(pages: Any, broken: dict[str, pdf_layout.Tall]) -> list[pdf_layout.Tall]:
    """Return the contact boxes to let break (``pdf_layout.split_boxes``), each with how many
    lines its name keeps: one fewer than before for a box let break that still moved whole
    (none: it moves whole again, laid out as it was before it was let break)."""
    if pdf_layout.footer_overflows(pages):
        return []
    found = []
    for box in pdf_layout.split_boxes(pages):
        before = broken.get(box.contact)
        kept = box.kept if before is None else min(box.kept, before.kept - 1)
        if kept > 0 or (before is not None and before.kept > 0):
            found.append(box._replace(kept=max(kept, 0)))
    return found


MAX_SPLITS = 4
"""How many times a contact box may be let break between its lines (each one lays out again)."""


def broken_boxes(contacts: Iterable[pdf_layout.Tall], continued: str = CONTINUED
                 ) -> weasyprint.CSS:
    """Return the style sheet that breaks each of these contact boxes after the lines its
    name keeps (``Tall.kept``; none: kept whole), each piece a closed box (``clone``: its
    border drawn round each piece; ``pdf_layout.closed_breaks`` ends the first under its
    lines), the rest headed by the contact's name, ``continued``, bold at the name's size,
    on a line of its own (``::before``: no heading, and ``pdf_tags`` makes it an artifact).

    WeasyPrint keeps room for a cloned box's bottom margin under its first piece too, so the
    box's margin goes to the top of the contact box after it, if any (a margin is dropped at
    a page break anyway, and one at the end of a section meets the next section's larger one).

    A user sheet: ``!important`` outweighs the template's (the name's too: a house style's
    own ``::before`` on the line that starts the rest gives way to it, or its words would
    be taken for the name, an artifact, and the rest go on without it). The box may break inside
    (WeasyPrint moves a box kept whole, ``break-inside: avoid``, to a new page before taking
    a forced break inside it), but only there: not between the lines kept with the name.
    """
    rules = []
    for box in contacts:
        if box.kept <= 0:
            continue
        at = f"[{pdf_layout.CONTACT}={css_string(box.contact)}]"
        rest = f"{at} > :nth-child({box.kept + 2})"  # the name, the lines it keeps, then this
        marker = css_string(continued.format(name=box.name) + "\n")
        rules += [f"{at} {{ break-inside: auto !important; "
                  "box-decoration-break: clone !important; margin-bottom: 0 !important; }",
                  f"{at} + [{pdf_layout.CONTACT}] {{ margin-top: {box.gap:.2f}px !important; }}",
                  f"{at} > :nth-child(-n+{box.kept + 1}) {{ break-after: avoid !important; }}",
                  f"{rest} {{ break-before: page !important; }}"]
        if box.marked:
            rules.append(f"{rest}::before {{ content: {marker} !important; "
                         "display: inline !important; white-space: pre-line !important; "
                         "font-weight: 700 !important; "
                         f"font-size: {box.size:.2f}px !important; "
                         "line-height: 1.5 !important; }")
    return weasyprint.CSS(string="\n".join(rules))


def new_pages(sections: list[str]) -> weasyprint.CSS:
    """Return the style sheet that starts each of these sections on a new page."""
    rules = (f"section[id={css_string(s)}] {{ break-before: page; }}" for s in sections)
    return weasyprint.CSS(string="\n".join(rules))


def fetch_error(exc: FatalURLFetchingError) -> BuildError:
    """Return the BuildError for a resource that was refused or could not be read."""
    cause = exc.__cause__
    if isinstance(cause, BuildError):
        return BuildError(str(cause))
    return BuildError(f"{exc} ({cause.__class__.__name__}: {cause})")


def finish(document: Any, pdf: Any, leaflet: Leaflet) -> None:
    """Describe the links, record the language in the XMP metadata and the source hash."""
    describe_links(document)
    add_xmp_language(pdf, leaflet.lang)
    # ``check`` reads this back to prove the PDF was built from the current source.
    pdf.info[SOURCE_HASH_KEY] = pydyf.String(leaflet.source_hash)


def describe_links(document: Any) -> None:
    """Describe each link annotation (``/Contents``) by its words, not its bare URL.

    WeasyPrint describes a tagged link by its target, so a screen reader would read out
    "tel:+448088004040"; PDF/UA wants a description, which is the link's ``title`` or text.
    """
    for page in document.pages:
        for _kind, _target, _rect, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            description = link_description(box.element)
            if annotation is not None and description:
                annotation["Contents"] = pydyf.String(description)


def link_description(element: Any) -> str:
    """Return a link element's ``title``, or else its text, with whitespace folded (and
    without an address's break controls, ``template.address_breaks``)."""
    if element is None:
        return ""
    text = str(element.get("title") or "".join(element.itertext()))
    return " ".join(text.translate(UNSEEN).split())


UNSEEN = str.maketrans("", "", WORD_JOINER + BREAK_HERE)
"""The zero-width characters that say where an address may break: no part of its words."""


def add_xmp_language(pdf: Any, lang: str) -> None:
    """Add ``dc:language`` to the XMP metadata that WeasyPrint wrote for PDF/UA."""
    number = int(pdf.catalog["Metadata"].split()[0])
    stream = pdf.objects[number]
    language = (
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description></rdf:RDF>"
    ).encode()
    chunks = [bytes(c) for c in stream.stream]
    if not any(b"</rdf:RDF>" in c for c in chunks):
        raise BuildError("WeasyPrint wrote no XMP metadata to add the language to")
    stream.stream = [c.replace(b"</rdf:RDF>", language, 1) for c in chunks]


class _Collect(logging.Handler):
    """Keep the messages of warnings and errors logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_problems() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings and errors (bad CSS, a missing alt) while printing."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
