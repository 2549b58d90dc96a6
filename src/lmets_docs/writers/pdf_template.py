"""Fill the PDF's Jinja templates (HTML and CSS) for one leaflet: the page WeasyPrint prints.

The built-in templates live in ``lmets_docs/templates/pdf/``; a file of the same name in the
user's ``<templates>/pdf/`` folder replaces one, and can extend the original as
``builtin/<name>``. Templates autoescape HTML; leaflet text reaches them only as escaped
fragments (``writers.html``) or as values, never as template source.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontpkg
from jinja2 import (
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
from markupsafe import Markup

from lmets_docs import __version__
from lmets_docs.errors import BuildError
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import Messages, messages
from lmets_docs.model import Leaflet
from lmets_docs.options import PRINT_PROFILES, BuildOptions, PrintProfile
from lmets_docs.review import review_status
from lmets_docs.text import formatter
from lmets_docs.writers import html

log = logging.getLogger(__name__)

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pdf"
PAGE_TEMPLATE = "leaflet.html"
LARGE_PRINT_MIN_PT = 16.0
FONT_FAMILY = "Atkinson Hyperlegible"
FONT_WEIGHTS = (400, 700)
RTL_FALLBACK = "Noto Sans Arabic"


@dataclass(frozen=True)
class FontFace:
    """One font file declared with ``@font-face`` for one weight."""

    family: str
    weight: int
    path: Path

    @property
    def url(self) -> str:
        """Return the file's ``file://`` URL."""
        return self.path.resolve().as_uri()


@dataclass(frozen=True)
class Page:
    """The filled-in HTML page, the folder its relative URLs start from, and what it used."""

    html: str
    base_url: str
    profile: PrintProfile
    fonts: tuple[FontFace, ...]
    template_dirs: tuple[Path, ...]


def print_profile(options: BuildOptions) -> PrintProfile:
    """Return the print profile for the PDF: large by default, and never under 16 pt."""
    profile = options.print_profile(default="large")
    if profile.min_pt < LARGE_PRINT_MIN_PT:
        log.info("pdf: the %r profile (%g pt) is too small for large print; using 'large'",
                 profile.name, profile.body_pt)
        return PRINT_PROFILES["large"]
    return profile


def fonts(leaflet: Leaflet) -> tuple[FontFace, ...]:
    """Return the embedded fonts: Atkinson Hyperlegible regular and bold (never italic).

    Right-to-left leaflets also get Noto Sans Arabic (a variable font) for the glyphs that
    Atkinson Hyperlegible lacks, so the text never falls back to whatever the system has.
    """
    families = [FONT_FAMILY, RTL_FALLBACK] if leaflet.rtl else [FONT_FAMILY]
    try:
        return tuple(FontFace(family, weight, fontpkg.path(family, weight=weight))
                     for family in families for weight in FONT_WEIGHTS)
    except fontpkg.FontpkgError as exc:
        raise BuildError(f"a font is not installed ({exc}); install the fontpkg-* "
                         "packages lmets-docs depends on") from exc


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
    """Return the Jinja environment: the user's templates first, then the built-in ones."""
    builtin = FileSystemLoader(PACKAGE_TEMPLATES)
    user = [FileSystemLoader(user_dir)] if user_dir else []
    env = Environment(
        loader=ChoiceLoader([*user, builtin, PrefixLoader({"builtin": builtin})]),
        autoescape=select_autoescape(["html"], default_for_string=True, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    env.filters["text"] = html.text
    return env


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


def render_page(leaflet: Leaflet, options: BuildOptions) -> Page:
    """Fill the page template for a leaflet; raise BuildError on a broken template."""
    profile, faces, user_dir = print_profile(options), fonts(leaflet), user_template_dir(options)
    env = environment(user_dir)
    template = _get(env, PAGE_TEMPLATE)
    context = page_context(leaflet, options, profile, faces)
    try:
        text = template.render(context)
    except TemplateError as exc:
        raise BuildError(f"template {_where(exc, template)}: {exc}") from exc
    dirs = tuple(d for d in (user_dir, PACKAGE_TEMPLATES) if d)
    base = Path(template.filename or PACKAGE_TEMPLATES / PAGE_TEMPLATE).parent
    return Page(text, base.as_uri() + "/", profile, faces, dirs)


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
    ctx = html.HtmlContext(facts)
    _ = messages(leaflet.lang)
    return {
        "leaflet": leaflet, "facts": facts, "_": _, "fill": html.fill, "profile": profile,
        "fonts": faces, "font_stack": font_stack(faces),
        "direction": "rtl" if leaflet.rtl else "ltr",
        "generator": f"lmets-docs {__version__}",
        "intro": html.blocks(leaflet.intro, ctx),
        "sections": [(s, html.blocks(s.blocks, ctx)) for s in leaflet.sections],
        "page_label": page_label(_),
        "helpline": _helpline(facts, _, linked=True),
        "helpline_phone": html.fact(facts["helpline.phone"]),
        "helpline_footer": _helpline(facts, _, linked=False),
        "overdue_notice": overdue_notice(leaflet, options),
    }


def _helpline(facts: FactFormatter, _: Messages, linked: bool) -> Markup:
    return html.fill(_("Helpline: {phone}, {hours}"),
                     phone=html.fact(facts["helpline.phone"], linked=linked),
                     hours=Markup('<span class="hours">{}</span>').format(
                         facts.printed("helpline.hours")))


def overdue_notice(leaflet: Leaflet, options: BuildOptions) -> str | None:
    """Return the out-of-date notice when the next review date has passed, else None."""
    if not review_status(leaflet.facts.review, options.today).overdue:
        return None
    due = formatter(leaflet).printed("review.next_review_due")
    return messages(leaflet.lang)("This information is out of date: its review was due on "
                                  "{date}.", date=due)
