"""The ``pdf`` writer: a large-print, tagged PDF/UA-1 leaflet printed by WeasyPrint.

Recipe: fill the templates (``pdf_template``) → lay the page out with WeasyPrint once, fetching
only allowed files (``pdf_fetch``); the template's style keeps any major section from starting
in the bottom fifth of a page, and ``pdf_layout`` proves it (a template without that rule gets
a page break before such a section, and a layout again); ``pdf_layout`` proves the running
footer fits too (long opening hours may not: a layout again with the hours wrapping, then
with the number alone, ``lay_out_fitting``) → write the PDF with its language
in the XMP metadata → finish its tags with pikepdf (``pdf_tags``): running footers and page
numbers as artifacts, one element per paragraph or list across page breaks, links that print,
content painted in the tag tree's order.
"""

from __future__ import annotations

from lmets_docs.writers.pdf import libs  # noqa: F401  (first: WeasyPrint without its probes)

# isort: split
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

import pydyf  # type: ignore[import-untyped]
import weasyprint
from weasyprint.urls import FatalURLFetchingError

from lmets_docs.errors import BuildError
from lmets_docs.model import RTL_LANGUAGES, Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult
from lmets_docs.writers.pdf import collector as pdf_collector
from lmets_docs.writers.pdf import glyphs as pdf_glyphs
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf import tags as pdf_tags
from lmets_docs.writers.pdf.fetch import LeafletFetcher
from lmets_docs.writers.pdf.template import Page, css_string, render_page

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
        number_only = partial(render_page, leaflet, options, footer_hours=False)
        with weasyprint_problems() as problems, pdf_collector.fewer_collections():
            pages, pushed, empty, footer = print_pdf(page, leaflet, out_dir / name, number_only)
        where = f"{leaflet.id} ({leaflet.lang}) pdf"
        return WriterResult(
            files={"pdf": name}, engines={"pdf": f"WeasyPrint {weasyprint.__version__}"},
            warnings=[*(f"{where}: {w}" for w in page.warnings),
                      # each once, though a footer that does not fit is laid out again
                      *(f"{where}: WeasyPrint: {p}" for p in dict.fromkeys(problems)),
                      *(f"{where}: page {n} is {share:.0%} empty (large print: at most "
                        "about a third); a picture or box too tall to share a page?"
                        for n, share in empty)],
            details={"profile": page.profile.name, "pages": pages,
                     "sections_on_new_page": pushed, "footer": footer},
        )


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


FOOTERS = ("hours unbroken", "hours wrapped", "number only")
"""The running footer's forms, tried in this order until one fits (``lay_out_fitting``)."""
WRAP_HOURS = ".running-footer .hours { white-space: normal !important; }"
"""The second layout's rule: the footer's hours wrap between their pieces (a user sheet's
``!important`` outweighs the template's ``nowrap``; each piece stays whole)."""


def print_pdf(page: Page, leaflet: Leaflet, target: Path,
              number_only: Callable[[], Page]) -> Printed:
    """Lay the page out and write the PDF to ``target``; say what was printed.

    ``number_only`` fills the page again with a footer giving the main contact's number
    alone, for when the hours fit in no other way.
    """
    try:
        document, pushed, footer, url_fetcher = lay_out_fitting(page, leaflet, number_only)
        refuse_misread(document, leaflet)
        data = document.write_pdf(finisher=partial(finish, leaflet=leaflet), **PDF_OPTIONS)
        if url_fetcher.refused:  # inside an SVG image, where WeasyPrint only warns
            raise BuildError("; ".join(dict.fromkeys(url_fetcher.refused)))
        pdf_tags.finish_pdf(data, pdf_layout.cut_depths(document.pages), target)
    except FatalURLFetchingError as exc:
        raise fetch_error(exc) from exc
    except BuildError:
        raise
    except OSError as exc:
        raise BuildError(f"could not write {target}: {exc}") from exc
    except Exception as exc:  # WeasyPrint's own failure, e.g. on a broken user template
        raise BuildError(f"WeasyPrint could not print {leaflet.source_file}: "
                         f"{exc.__class__.__name__}: {exc}") from exc
    return Printed(len(document.pages), pushed, pdf_layout.too_empty(document.pages), footer)


class Laid(NamedTuple):
    """A layout: WeasyPrint's document, the sections moved to a new page, the running
    footer's form (``FOOTERS``) and the fetcher that read the page's files."""

    document: Any
    pushed: list[str]
    footer: str
    fetcher: LeafletFetcher


def lay_out_fitting(page: Page, leaflet: Leaflet, number_only: Callable[[], Page]) -> Laid:
    """Lay the page out until its running footer fits (``pdf_layout.footer_overflows``).

    The first layout keeps the main contact's hours on one line, as every leaflet whose
    footer fits has always been printed (so its PDF does not change); only when the footer
    runs past its box is the page laid out again: the hours wrapping within the footer's two
    lines, then the number alone (the hours stay in the contact box and the last section).
    A footer that fits in none of these is a BuildError.
    """
    url_fetcher = fetcher(page, leaflet)
    html = page_html(page, url_fetcher)
    for form, sheets in zip(FOOTERS, ([], [weasyprint.CSS(string=WRAP_HOURS)]), strict=False):
        laid = Laid(*lay_out(html, sheets), form, url_fetcher)
        if not pdf_layout.footer_overflows(laid.document.pages):
            return laid
        log.info("pdf: the running footer does not fit (%s): laid out again", form)
    short = number_only()
    url_fetcher = fetcher(short, leaflet)
    return _fitted(Laid(*lay_out(page_html(short, url_fetcher)), FOOTERS[2], url_fetcher),
                   leaflet)


def page_html(page: Page, url_fetcher: LeafletFetcher) -> weasyprint.HTML:
    """Return WeasyPrint's document of the filled-in page, reading files with the fetcher."""
    return weasyprint.HTML(string=page.html, base_url=page.base_url, url_fetcher=url_fetcher)


def _fitted(laid: Laid, leaflet: Leaflet) -> Laid:
    """Return the layout if its running footer fits; else raise BuildError."""
    late = pdf_layout.footer_overflows(laid.document.pages)
    if late:
        raise BuildError(
            f"{leaflet.source_dir / 'leaflet.yaml'}: the running footer (the main contact's "
            f"name or number) does not fit in its two lines at the foot of page {late[0]}, "
            "even without the opening hours; give the first contact a shorter name")
    return laid


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


def lay_out(html: Any, sheets: list[weasyprint.CSS] | None = None) -> tuple[Any, list[str]]:
    """Lay the page out; move each major section still starting in a page's bottom fifth.

    The built-in template's style leaves none, so one layout is enough (a user's template may
    lack that rule). One section is moved at a time, the first, since moving it moves every
    later one.
    """
    sheets = sheets or []
    document, pushed = html.render(stylesheets=sheets, **PDF_OPTIONS), []
    for _ in range(MAX_PUSHES):
        late = [s for s in pdf_layout.late_sections(document.pages) if s not in pushed]
        if not late:
            break
        pushed.append(late[0])
        log.info("pdf: section %s would start at the foot of a page: new page", late[0])
        document = html.render(stylesheets=[*sheets, new_pages(pushed)], **PDF_OPTIONS)
    return document, pushed


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
    """Return a link element's ``title``, or else its text, with whitespace folded."""
    if element is None:
        return ""
    return " ".join(str(element.get("title") or "".join(element.itertext())).split())


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
