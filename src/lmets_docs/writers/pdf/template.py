"""Fill the PDF's Jinja templates (HTML and CSS) for one leaflet: the page WeasyPrint prints.

The built-in templates live in ``lmets_docs/templates/pdf/``; a file of the same name in the
user's ``<templates>/pdf/`` folder replaces one, and can extend the original as
``builtin/<name>``. Templates autoescape HTML; leaflet text reaches them only as escaped
fragments (``writers.html``) or as values, never as template source. Every template, the
package's and the user's, runs in Jinja's immutable sandbox (``sandbox``): a template reads
the values it is given and calls their public methods, and cannot reach Python's internals
(``cycler.__init__.__globals__``), change a value or run anything else.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, replace
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from lmets_docs import __version__, furniture, usercache
from lmets_docs.errors import BuildError
from lmets_docs.facts import FactFormatter, FactValue
from lmets_docs.fontstack import FontFace
from lmets_docs.i18n import Messages, messages
from lmets_docs.model import BulletList, Leaflet
from lmets_docs.numbering import counter_symbols
from lmets_docs.options import LARGE_PRINT_MIN_PT, PRINT_PROFILES, BuildOptions, PrintProfile
from lmets_docs.text import formatter, printed_address
from lmets_docs.writers import html, sandbox
from lmets_docs.writers.pdf import fonts as pdf_fonts

log = logging.getLogger(__name__)

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "pdf"
PAGE_TEMPLATE = "leaflet.html"


CONTINUED = furniture.continued(Messages("en", {}))
"""What heads the rest of a contact's box on the next page, in English (``furniture.continued``'s
message; the page's language's words: ``continued_marker``)."""


@dataclass(frozen=True)
class Page:
    """The filled-in HTML page, the folder its relative URLs start from, and what it used."""

    html: str
    base_url: str
    profile: PrintProfile
    fonts: tuple[FontFace, ...]
    template_dirs: tuple[Path, ...]
    warnings: tuple[str, ...] = ()
    continued: str = CONTINUED
    """What heads the rest of a contact's box that a page break carries on (``{name}``)."""


def print_profile(options: BuildOptions) -> tuple[PrintProfile, str | None]:
    """Return the PDF's print profile (large by default, never under 16 pt) and any warning.

    A profile under 16 pt (``--profile clear``) is not large print; the PDF uses 'large'
    instead, and the warning is logged and returned for the build's warnings.
    """
    profile = options.print_profile(default="large")
    if profile.min_pt >= LARGE_PRINT_MIN_PT:
        return profile, None
    message = (f"the {profile.name!r} profile ({profile.body_pt:g} pt) is too small for "
               "large print; the PDF uses 'large'")
    log.warning("pdf: %s", message)
    return PRINT_PROFILES["large"], message


def font_stack(faces: tuple[FontFace, ...]) -> Markup:
    """Return the CSS ``font-family`` value naming each embedded family once."""
    families = dict.fromkeys(face.family for face in faces)
    return Markup(", ".join([*(css_string(f) for f in families), "sans-serif"]))


def user_template_dir(options: BuildOptions) -> Path | None:
    """Return the user's PDF template folder, if there is one."""
    if options.templates is None:
        return None
    folder = options.templates / "pdf"
    return folder.resolve() if folder.is_dir() else None


def environment(user_dir: Path | None) -> ImmutableSandboxedEnvironment:
    """Return the Jinja environment: the user's templates first, then the built-in ones.

    One per template folder (and the names of the files in it) and process: it keeps the
    templates it compiled (0.02 s of CPU each time), so a batch's later leaflets reuse them;
    Jinja reloads a template changed on disk, and a file added to or taken from the user's
    folder gives a new environment, since it changes which template a name means.
    """
    return _environment(user_dir, _names(user_dir))


def _names(folder: Path | None) -> tuple[str, ...]:
    """Return the paths of the files under a folder (none if it cannot be listed)."""
    if folder is None:
        return ()
    try:
        return tuple(sorted(str(p.relative_to(folder)) for p in folder.rglob("*")))
    except OSError:
        return ()


@functools.lru_cache(maxsize=8)
def _environment(user_dir: Path | None,
                 _names: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    builtin = FileSystemLoader(PACKAGE_TEMPLATES)
    user = [FileSystemLoader(user_dir)] if user_dir else []
    common = FileSystemLoader(PACKAGE_TEMPLATES.parent / "common")
    env = sandbox.environment(
        loader=ChoiceLoader([*user, builtin, PrefixLoader({"builtin": builtin,
                                                           "common": common})]),
        autoescape=select_autoescape(["html"], default_for_string=True, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=KeptBytecode(),
    )
    env.filters["css_string"] = css_string
    env.filters["text"] = html.text
    env.filters["to_print"] = to_print
    return env


class ContactBox(list[tuple[str, Markup]]):
    """One contact's lines, (kind, html) each, as the page's ``contacts`` gives them: its
    ``number`` among the contacts (from 1, the main contact 1) and whether a box has printed
    it yet. Each contact is printed once: ``contact_boxes`` (``common/furniture.html``)
    prints only the boxes no call has printed yet (``to_print``), and the block
    ``contacts`` gives the ones the title page did not, whatever a house template's title
    page gives; each filling of the page starts with none printed (``_render``)."""

    def __init__(self, lines: Iterable[tuple[str, Markup]], number: int) -> None:
        super().__init__(lines)
        self.number = number
        self.printed = False


def to_print(contacts: Iterable[Any]) -> list[Any]:
    """Return the contacts' boxes that no box printed yet, and count them printed now.

    A house template's own list of lines (not the page's ``contacts``) is printed as it is.
    """
    boxes = []
    for box in contacts:
        if isinstance(box, ContactBox):
            if box.printed:
                continue
            box.printed = True
        boxes.append(box)
    return boxes


class KeptBytecode(BytecodeCache):
    """Keep each template's compiled code in the user's cache (``usercache``: ``jinja``).

    Jinja compiles the page's three templates (page, style, furniture) in every process that
    prints: 0.02-0.03 s of CPU. Jinja names each file by the template's name and place, and
    within it checks the template's text and the Python version, so a changed template (a
    user's too) is compiled again and kept anew. The code also depends on the environment's
    settings, made here and in ``writers.sandbox`` (sandboxed code calls through the
    environment): the folder is named by a hash of Jinja's version and of both modules' text.
    """

    def __init__(self) -> None:
        base = usercache.folder("jinja")
        mark = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes()
                              + Path(sandbox.__file__).read_bytes())
        self.place = base / mark.hexdigest()[:16] if base is not None else None

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket with the code kept for its template, if any."""
        payload = usercache.read(self.place / bucket.key) if self.place is not None else None
        if payload is not None:
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the bucket's code for the next process."""
        if self.place is not None:
            usercache.keep(self.place / bucket.key, bucket.bytecode_to_string())


def css_string(text: str) -> Markup:
    """Return text as a quoted CSS string, safe inside a ``<style>`` element."""
    unsafe = {'"', "\\", "<", ">", "&"}
    body = "".join(f"\\{ord(ch):x} " if ch in unsafe or ord(ch) < 0x20 else ch for ch in text)
    return Markup(f'"{body}"')


def page_label(_: Messages) -> Markup:
    """Return the CSS ``content`` value of "Page N of M" in the leaflet's language."""
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(_("Page {page} of {pages}")):
        if literal:
            parts.append(css_string(literal))
        if name in ("page", "pages"):
            parts.append(f"counter({name})")
    return Markup(" ".join(parts))


@dataclass(frozen=True)
class Loose:
    """What a page sets more loosely after a layout in which it ran past its lines.

    ``addresses``: the email and web addresses longer than their line, by link and place
    among the links to it (0 for the first in the page), which may then break, at chosen
    points only (``address_breaks``); ``hyphens``: those of them with a part still longer
    than its line, which may break after their own hyphens too, as a last resort;
    ``hours``: a long piece of opening hours wraps between its times and words
    (``hours_markup``); ``links``: the addresses printed after links' words (which always
    break at the chosen points) may break after their own hyphens too.
    """

    addresses: frozenset[tuple[str, int]] = frozenset()
    hours: bool = False
    hyphens: frozenset[tuple[str, int]] = frozenset()
    links: bool = False
    words: bool = False
    """A word of an address is longer than a whole line even so: it breaks where it must
    (``WORDS_BREAK``), its line holding nothing but its letters."""

    def __bool__(self) -> bool:
        return bool(self.addresses) or self.hours or self.links


def render_page(leaflet: Leaflet, options: BuildOptions, footer_hours: bool = True,
                loose: Loose = Loose()) -> Page:
    """Fill the page template for a leaflet; raise BuildError on a broken template.

    The page is filled twice: first to learn every character it shows, which decides the
    fonts (``pdf_fonts``), then with those fonts; a character no font can draw stops the build.
    Without ``footer_hours`` the running footer gives the main contact's number alone;
    ``loose`` says which addresses may break and whether long hours wrap (``Loose``).
    """
    (profile, raised), user_dir = print_profile(options), user_template_dir(options)
    template = _get(environment(user_dir), PAGE_TEMPLATE)
    context = page_context(leaflet, options, profile, (), loose.links)
    if not footer_hours:
        context["helpline_footer"] = number_footer(leaflet, options)
    draft, continued = _render(template, context), continued_marker(leaflet, options)
    # the words a broken box's rest is headed with too (its name is on the page already)
    faces = pdf_fonts.choose(leaflet.lang, (*(text for _, text in pdf_fonts.page_texts(draft)),
                                            continued.replace("{name}", "")))
    text = _render(template, context | {"fonts": faces, "font_stack": font_stack(faces)})
    pdf_fonts.prove(faces, text, source_lines(leaflet))
    text = unanchored(text, leaflet)  # after: its messages name a block by its id
    text = set_loosely(text, formatter(leaflet), loose)  # after: its break controls draw nothing
    if loose.words:
        text = text.replace("</head>", f"<style>{WORDS_BREAK}</style></head>", 1)
    dirs = tuple(d for d in (user_dir, PACKAGE_TEMPLATES) if d)
    base = Path(template.filename or PACKAGE_TEMPLATES / PAGE_TEMPLATE).parent
    return Page(text, base.as_uri() + "/", profile, faces, dirs, (raised,) if raised else (),
                continued)


_ANCHORED = re.compile(r'<(p|li|ul|figure) id="([^"<>]*)"')


def unanchored(page: str, leaflet: Leaflet) -> str:
    """Return the page without the ids of the text's paragraphs, list items, bulleted lists
    and figures (``html.blocks``), which nothing in the PDF uses.

    WeasyPrint makes each id an anchor, a declaration of the element's own, so an element with
    an id gets a computed style of its own, where elements alike share one; every property of
    each such paragraph, and of its lines, was computed again (a tenth of WeasyPrint's work on
    a long leaflet's page). The ids made only the PDF's named destinations, which no link and
    no bookmark points to. The pages, their text and the tag tree are the same without them.
    The ids that are used stay: the sections' (the layout's checks, ``pdf_layout``), the
    numbered lists' (their numbering, ``numbered_lists`` in the style sheet) and the
    glossary entries' (each term's first use links to its entry).
    """
    ids = {item.id for block in leaflet.all_blocks() if isinstance(block, BulletList)
           for item in block.items}
    ids |= {block.id for block in leaflet.all_blocks()
            if not (isinstance(block, BulletList) and block.numbered)}
    return _ANCHORED.sub(lambda m: f"<{m[1]}" if html_unescape(m[2]) in ids else m[0], page)


def continued_marker(leaflet: Leaflet, options: BuildOptions) -> str:
    """Return what heads the rest of a contact's box that a page break carries on to the
    next page, with ``{name}`` for the contact's name (set by the writer, ``broken_boxes``)."""
    return furniture.continued(messages(leaflet.lang, options.templates))


def source_lines(leaflet: Leaflet) -> dict[str, str]:
    """Return ``file:line`` of each section, block and list item, by its id on the page."""
    lines = {section.id: section.line for section in leaflet.sections}
    for block in leaflet.all_blocks():
        lines[block.id] = block.line
        if isinstance(block, BulletList):
            lines.update(dict.fromkeys((item.id for item in block.items), block.line))
    return {id_: f"{leaflet.source_file}:{line}" for id_, line in lines.items() if line}


def number_footer(leaflet: Leaflet, options: BuildOptions) -> Markup:
    """Return the running footer giving the main contact's number without its hours."""
    facts = formatter(leaflet)
    line = furniture.helpline(messages(leaflet.lang, options.templates), facts, hours=False)
    return html.furniture_line(line, facts, linked=False)


def _render(template: Template, context: dict[str, Any]) -> str:
    contacts = context.get("contacts")
    if isinstance(contacts, list) and all(isinstance(box, ContactBox) for box in contacts):
        # each filling prints each contact, none printed yet
        context = context | {"contacts": [ContactBox(box, box.number) for box in contacts]}
    try:
        return template.render(context)
    except TemplateError as exc:
        raise BuildError(f"template {sandbox.where(exc, template)}: {sandbox.message(exc)}"
                         ) from exc


def _get(env: ImmutableSandboxedEnvironment, name: str) -> Template:
    try:
        return env.get_template(name)
    except TemplateSyntaxError as exc:
        raise BuildError(f"template {exc.filename}:{exc.lineno}: {exc.message}") from exc
    except TemplateError as exc:
        raise BuildError(f"template {name}: {exc}") from exc


def page_context(leaflet: Leaflet, options: BuildOptions, profile: PrintProfile,
                 faces: tuple[FontFace, ...], hyphens: bool = False) -> dict[str, Any]:
    """Return everything the templates may use: the leaflet, rendered blocks, fixed words.

    A link whose words are not its address is printed with the address after them
    (``link_address``), as the web page's print style sheet does; with ``hyphens`` it may
    break after its own hyphens too.
    """
    facts = formatter(leaflet)
    _ = messages(leaflet.lang, options.templates)
    ctx = html.HtmlContext(facts, glossary=leaflet.glossary,
                           no_picture=_("Picture not included: {description}"), rtl=leaflet.rtl,
                           print_address=functools.partial(link_address, hyphens=hyphens,
                                                           rtl=leaflet.rtl))
    line = functools.partial(html.furniture_line, facts=facts, rtl=leaflet.rtl)
    return {
        "leaflet": leaflet, "facts": facts, "_": _, "fill": html.fill, "fact": html.fact,
        "unbroken": html.unbroken,
        "profile": profile,
        "fonts": faces, "font_stack": font_stack(faces),
        "direction": "rtl" if leaflet.rtl else "ltr",
        "list_digits": counter_symbols(leaflet.lang),
        "numbered_lists": [(b.id, b.start, len(str(max(b.numbers(), default=1))))
                           for b in leaflet.all_blocks()
                           if isinstance(b, BulletList) and b.numbered],
        "generator": f"lmets-docs {__version__}",
        "intro": html.blocks(leaflet.intro, ctx),
        "sections": [(s, html.blocks(s.blocks, ctx)) for s in leaflet.sections],
        "page_label": page_label(_),
        "contacts": [
            ContactBox(((each.kind, line(furniture.unbolded(each))) for each in lines), number)
            for number, lines in enumerate(furniture.contacts(_, facts), start=1)],
        "contacts_heading": furniture.contacts_heading(_, facts),
        "helpline_heading": _("Helpline"),
        "reviewed": [line(each) for each in furniture.review_dates(_)],
        "helpline": line(furniture.helpline(_, facts)),
        "helpline_phone": html.optional_fact(facts, "helpline.phone"),
        "helpline_footer": line(furniture.helpline(_, facts), linked=False),
        "overdue_notice": overdue_notice(leaflet, options),
        "glossary": list(leaflet.glossary.values()),
        "glossary_entry": html.glossary_entry,
        "reference": functools.partial(html.reference, rtl=leaflet.rtl),
        "publisher": html.publisher(leaflet.publisher_name, leaflet.rtl),
    }


def overdue_notice(leaflet: Leaflet, options: BuildOptions) -> Markup | None:
    """Return the out-of-date notice when the next review date has passed, else None."""
    _ = messages(leaflet.lang, options.templates)
    notice = furniture.overdue_notice(_, leaflet, options.today)
    return None if notice is None else html.furniture_line(notice, formatter(leaflet))


WORDS_BREAK = "a.breaks, a.address { overflow-wrap: break-word !important; }"
"""The last resort for an address with a word longer than a whole line: that word breaks
where the line ends (WeasyPrint breaks a word so only at the start of a line)."""
WORD_JOINER, BREAK_HERE = "\u2060", "\u200b"
"""Zero-width characters that forbid and allow a line break: Pango draws neither (nothing
in the PDF's text: pdftotext reads the address as it is)."""
_EMAIL_BREAKS = re.compile(r"(?=@)")
_WEB_BREAKS = re.compile(r"(?<=/)(?=.)|(?=\.)")
_SLASH_BREAKS = re.compile(r"(?<=/)(?=.)")
_HYPHEN_BREAKS = re.compile(r"(?<=-)(?=[^\W_])")
"""After a hyphen that a letter or digit follows (not before a "." or another hyphen)."""
_NAME_DOTS = re.compile(r"(?=\.[^@]*@)")
"""Before a "." of an email's name (before its "@"): no line before it reads as an address."""
_COMMAS = re.compile(r"([,\u060c;\u061b]\s+)")
_RANGE = re.compile(r"\s[\u2013\u2014]\s")
_TIME = r"\d[\d:.]*(?:\s+[^\W\d]+)?"
"""A number and the word after it: "8:30 am", "25 December", "10 ص"."""
_TOKENS = re.compile(rf"({_TIME}(?:\s+[\u2013\u2014]\s+{_TIME})?)")
LONGEST_WHOLE = 30
"""The longest piece of opening hours kept whole (a giant-print contact box's line holds 30
wide letters)."""


def set_loosely(text: str, facts: FactFormatter, loose: Loose) -> str:
    """Return the filled-in page with its time ranges whole and the ``loose`` facts loose.

    Every fact's markup is ``writers.html``'s, replaced where it is found: a time range with
    a dash is kept whole as one (STANDARDS: a range is never split); the loose addresses
    break at chosen points only; with ``loose.hours`` a long piece of hours wraps.
    """
    for value in facts.values.values():
        if value.name.endswith(".hours"):
            text = text.replace(html.unbroken(value), hours_markup(value, loose.hours))
        elif value.name.endswith((".email", ".web")):
            text = _replace_at(text, _linked(value, value.printed, "fact"), {
                n: _linked(value, address_breaks(value, (link, n) in loose.hyphens),
                           "fact breaks")
                for link, n in loose.addresses if link == value.link})
    return text


def _replace_at(text: str, old: str, new: dict[int, Markup]) -> str:
    """Return the text with the occurrences of ``old`` at the places (0: the first) that
    ``new`` gives replaced by its markup for each."""
    if not new:
        return text
    parts = text.split(old)  # plain strings: Markup + str would escape the page
    return parts[0] + "".join(str(new.get(n, old)) + part for n, part in enumerate(parts[1:]))


def _linked(value: FactValue, printed: str, classes: str) -> Markup:
    """Return an address's link as ``writers.html.fact`` writes it (``class="fact"``)."""
    return Markup('<a class="{}" href="{}">{}</a>').format(classes, value.link, printed)


def address_breaks(value: FactValue, hyphens: bool = False) -> str:
    """Return an address that may break only before its "@" (an email) or after a "/" and
    before a "." (a web address); a word joiner binds every other letter to the next.

    With ``hyphens`` (a last resort: a part is longer than its line) it may also break after
    one of its own hyphens, which stays on the first line, and an email before a "." of its
    name; never inside a word, which a reader would copy with a space in it ("care" / "rs").
    An email never breaks at a "." after its "@": the first line could read as another
    address ("ward.seven@example.nhs" / ".uk") to a reader and to ``check``.
    """
    return break_address(value.printed, value.name.endswith(".email"), hyphens)


def link_address(url: str, hyphens: bool = False, rtl: bool = False) -> str:
    """Return the address a link opens as printed after its words, with its break controls
    (``break_address``): it may break as a contact's address set loosely does.

    In right-to-left text (``rtl``) it is isolated left to right by controls (an element in
    the link would be a second link), which WeasyPrint, laying each line out from where the
    last one ended, does not carry over a line break: a line starting with "." would show it
    at its right. So there a web address breaks after its "/" only (and its hyphens).
    """
    email = url.startswith("mailto:")
    return break_address(printed_address(url, ""), email, hyphens, dots=not rtl)


def break_address(address: str, email: bool, hyphens: bool = False, dots: bool = True) -> str:
    """Return ``address`` with its break controls (``address_breaks``); without ``dots``, a web
    address never breaks before a "." (``link_address``)."""
    points = _EMAIL_BREAKS if email else _WEB_BREAKS if dots else _SLASH_BREAKS
    if hyphens:
        last = (_HYPHEN_BREAKS, _NAME_DOTS) if email else (_HYPHEN_BREAKS,)
        points = re.compile("|".join(p.pattern for p in (points, *last)))
    parts = points.split(address)
    return BREAK_HERE.join(WORD_JOINER.join(part) for part in parts if part)


def hours_markup(value: FactValue, loose: bool) -> Markup:
    """Return opening hours that may break only after a comma or semicolon, a range kept
    whole; with ``loose``, a piece longer than ``LONGEST_WHOLE`` wraps between its words,
    each time ("8:30 am", "25 December", a range with a dash) kept whole."""
    pieces = _COMMAS.split(value.printed)
    return Markup("").join(
        Markup("{}").format(piece) if i % 2 else _piece(value, piece, loose)
        for i, piece in enumerate(pieces) if piece)


def _piece(value: FactValue, piece: str, loose: bool) -> Markup:
    """Return one piece of opening hours between commas (``hours_markup``)."""
    if loose and len(piece) > LONGEST_WHOLE:
        return Markup("").join(Markup('<span class="nobreak">{}</span>').format(part)
                               if i % 2 else Markup("{}").format(part)
                               for i, part in enumerate(_TOKENS.split(piece)) if part)
    markup = html.unbroken(replace(value, printed=piece))
    if _RANGE.search(piece):  # too long for its line, it is set loosely (a layout again)
        return Markup('<span class="nobreak range">{}</span>').format(markup)
    return markup
