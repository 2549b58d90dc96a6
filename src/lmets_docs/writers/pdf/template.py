"""Fill the PDF's Jinja templates (HTML and CSS) for one leaflet: the page WeasyPrint prints.

The built-in templates live in ``lmets_docs/templates/pdf/``; a file of the same name in the
user's ``<templates>/pdf/`` folder replaces one, and can extend the original as
``builtin/<name>``. Templates autoescape HTML; leaflet text reaches them only as escaped
fragments (``writers.html``) or as values, never as template source.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from lmets_docs import __version__, furniture, usercache
from lmets_docs.errors import BuildError
from lmets_docs.i18n import Messages, messages
from lmets_docs.model import Leaflet
from lmets_docs.options import LARGE_PRINT_MIN_PT, PRINT_PROFILES, BuildOptions, PrintProfile
from lmets_docs.text import formatter
from lmets_docs.writers import html
from lmets_docs.writers.pdf import fonts as pdf_fonts
from lmets_docs.writers.pdf.fonts import FontFace

log = logging.getLogger(__name__)

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "pdf"
PAGE_TEMPLATE = "leaflet.html"


@dataclass(frozen=True)
class Page:
    """The filled-in HTML page, the folder its relative URLs start from, and what it used."""

    html: str
    base_url: str
    profile: PrintProfile
    fonts: tuple[FontFace, ...]
    template_dirs: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


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


def environment(user_dir: Path | None) -> Environment:
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
def _environment(user_dir: Path | None, _names: tuple[str, ...]) -> Environment:
    builtin = FileSystemLoader(PACKAGE_TEMPLATES)
    user = [FileSystemLoader(user_dir)] if user_dir else []
    common = FileSystemLoader(PACKAGE_TEMPLATES.parent / "common")
    env = Environment(
        loader=ChoiceLoader([*user, builtin, PrefixLoader({"builtin": builtin,
                                                           "common": common})]),
        autoescape=select_autoescape(["html"], default_for_string=True, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=KeptBytecode(),
    )
    env.filters["css_string"] = css_string
    env.filters["text"] = html.text
    return env


class KeptBytecode(BytecodeCache):
    """Keep each template's compiled code in the user's cache (``usercache``: ``jinja``).

    Jinja compiles the page's three templates (page, style, furniture) in every process that
    prints: 0.02-0.03 s of CPU. Jinja names each file by the template's name and place, and
    within it checks the template's text and the Python version, so a changed template (a
    user's too) is compiled again and kept anew. The code also depends on the environment's
    settings, made here: the folder is named by a hash of Jinja's version and of this
    module's own text.
    """

    def __init__(self) -> None:
        base = usercache.folder("jinja")
        mark = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes())
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


def render_page(leaflet: Leaflet, options: BuildOptions, footer_hours: bool = True) -> Page:
    """Fill the page template for a leaflet; raise BuildError on a broken template.

    The page is filled twice: first to learn every character it shows, which decides the
    fonts (``pdf_fonts``), then with those fonts; a character no font can draw stops the build.
    Without ``footer_hours`` the running footer gives the main contact's number alone.
    """
    (profile, raised), user_dir = print_profile(options), user_template_dir(options)
    template = _get(environment(user_dir), PAGE_TEMPLATE)
    context = page_context(leaflet, options, profile, ())
    if not footer_hours:
        context["helpline_footer"] = number_footer(leaflet, options)
    draft = _render(template, context)
    faces = pdf_fonts.choose(leaflet.lang, (text for _, text in pdf_fonts.page_texts(draft)))
    text = _render(template, context | {"fonts": faces, "font_stack": font_stack(faces)})
    pdf_fonts.prove(faces, text)
    dirs = tuple(d for d in (user_dir, PACKAGE_TEMPLATES) if d)
    base = Path(template.filename or PACKAGE_TEMPLATES / PAGE_TEMPLATE).parent
    return Page(text, base.as_uri() + "/", profile, faces, dirs, (raised,) if raised else ())


def number_footer(leaflet: Leaflet, options: BuildOptions) -> Markup:
    """Return the running footer giving the main contact's number without its hours."""
    facts = formatter(leaflet)
    line = furniture.helpline(messages(leaflet.lang, options.templates), facts, hours=False)
    return html.furniture_line(line, facts, linked=False)


def _render(template: Template, context: dict[str, Any]) -> str:
    try:
        return template.render(context)
    except TemplateError as exc:
        raise BuildError(f"template {_where(exc, template)}: {exc}") from exc


def _get(env: Environment, name: str) -> Template:
    try:
        return env.get_template(name)
    except TemplateSyntaxError as exc:
        raise BuildError(f"template {exc.filename}:{exc.lineno}: {exc.message}") from exc
    except TemplateError as exc:
        raise BuildError(f"template {name}: {exc}") from exc


def _where(exc: TemplateError, template: Template) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename}:{exc.lineno}"
    return str(template.filename)


def page_context(leaflet: Leaflet, options: BuildOptions, profile: PrintProfile,
                 faces: tuple[FontFace, ...]) -> dict[str, Any]:
    """Return everything the templates may use: the leaflet, rendered blocks, fixed words."""
    facts = formatter(leaflet)
    _ = messages(leaflet.lang, options.templates)
    ctx = html.HtmlContext(facts, glossary=leaflet.glossary,
                           no_picture=_("Picture not included: {description}"), rtl=leaflet.rtl)
    line = functools.partial(html.furniture_line, facts=facts, rtl=leaflet.rtl)
    return {
        "leaflet": leaflet, "facts": facts, "_": _, "fill": html.fill, "fact": html.fact,
        "unbroken": html.unbroken,
        "profile": profile,
        "fonts": faces, "font_stack": font_stack(faces),
        "direction": "rtl" if leaflet.rtl else "ltr",
        "generator": f"lmets-docs {__version__}",
        "intro": html.blocks(leaflet.intro, ctx),
        "sections": [(s, html.blocks(s.blocks, ctx)) for s in leaflet.sections],
        "page_label": page_label(_),
        "contacts": [[(each.kind, line(each)) for each in lines]
                     for lines in furniture.contacts(_, facts)],
        "reviewed": [line(each) for each in furniture.review_dates(_)],
        "helpline": line(furniture.helpline(_, facts)),
        "helpline_phone": html.optional_fact(facts, "helpline.phone"),
        "helpline_footer": line(furniture.helpline(_, facts), linked=False),
        "overdue_notice": overdue_notice(leaflet, options),
        "glossary": list(leaflet.glossary.values()),
        "glossary_entry": html.glossary_entry,
        "reference": functools.partial(html.reference, rtl=leaflet.rtl),
        "publisher": html.publisher(leaflet.publisher.name, leaflet.rtl),
    }


def overdue_notice(leaflet: Leaflet, options: BuildOptions) -> Markup | None:
    """Return the out-of-date notice when the next review date has passed, else None."""
    _ = messages(leaflet.lang, options.templates)
    notice = furniture.overdue_notice(_, leaflet, options.today)
    return None if notice is None else html.furniture_line(notice, formatter(leaflet))
